"""The small frozen messages that flow one way through Haven.

audio -> AudioChunk -> Recognizer -> Transcript -> IntentMatcher -> IntentMatch
-> Engine (Heard / Tick events, with ``now``) -> Say actions -> Speaker.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping, Union

SlotValue = Union[int, str]


@dataclass(frozen=True)
class AudioChunk:
    """A piece of PCM audio.

    ``rate`` in Hz, ``width`` in bytes per sample, ``samples`` little-endian
    signed PCM, ``timestamp_s`` seconds since the source started.
    """

    rate: int
    width: int
    channels: int
    samples: bytes
    timestamp_s: float = 0.0

    @property
    def duration_s(self) -> float:
        frames = len(self.samples) // (self.width * self.channels)
        return frames / self.rate


@dataclass(frozen=True)
class Transcript:
    """What a recogniser heard; ``confidence`` in [0, 1]. ``alternatives``: other readings of
    the same utterance, weighed only when ``text`` says no command (a command the recogniser
    found between pauses inside the talk, ``skill.asr.pieces``)."""

    text: str
    confidence: float = 1.0
    alternatives: tuple[str, ...] = ()
    # Said without the name ``listen.require_name`` asks for: only asking for help
    # (``skill.nlu.name.NAMELESS``) is taken from it.
    nameless: bool = False

    @property
    def readings(self) -> tuple[str, ...]:
        """``text``, then the alternatives, in the order they are weighed."""
        return (self.text, *self.alternatives)


@dataclass(frozen=True)
class Utterance:
    """The hearing closed an utterance ``end_s`` seconds into its source; ``transcript`` is the
    command heard in it, None when it held none (talk, noise). The loop hands the engine a
    ``SpeechEnded`` for every one, and a ``Heard`` for the command, if any."""

    transcript: Transcript | None
    end_s: float = 0.0


@dataclass(frozen=True)
class IntentMatch:
    """An intent recognised in a text; ``confidence`` in [0, 1]."""

    intent: str
    slots: Mapping[str, SlotValue] = field(default_factory=dict)
    confidence: float = 1.0


@dataclass(frozen=True)
class Heard:
    """Engine event: an intent was heard. Carries no transcript on purpose."""

    intent: str
    slots: Mapping[str, SlotValue] = field(default_factory=dict)


@dataclass(frozen=True)
class Tick:
    """Engine event: time has passed (the ``now`` passed beside it says how far)."""


@dataclass(frozen=True)
class SpeechEnded:
    """Engine event: someone in the room just stopped talking (any utterance, command or not).

    It carries nothing of what was said; a turn cue can wait for it instead of cutting a
    sentence in half.
    """


@dataclass(frozen=True)
class MicLost:
    """Engine event: the microphone stopped delivering audio (unplugged, sound server gone)."""


@dataclass(frozen=True)
class MicBack:
    """Engine event: the microphone delivers audio again."""


Event = Union[Heard, Tick, SpeechEnded, MicLost, MicBack]


@dataclass(frozen=True)
class Say:
    """Engine action: speak the line ``line_id`` rendered with ``params``."""

    line_id: str
    params: Mapping[str, object] = field(default_factory=dict)


Action = Say
