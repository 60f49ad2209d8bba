"""Wiring ``haven run`` to the microphone: mic -> echo gate -> segmenter -> recogniser -> queue."""

from __future__ import annotations

import logging
from typing import Protocol

from skill.app.echo import EchoGate
from skill.app.listen import Hearing, Listener
from skill.app.mic import SoundDeviceMic
from skill.app.session import Session
from skill.config import Settings
from skill.errors import UserError
from skill.messages import AudioChunk, Transcript

log = logging.getLogger(__name__)


class Segmenter(Protocol):
    def feed(self, chunk: AudioChunk) -> AudioChunk | None: ...

    def reset(self) -> None: ...


class Recognizer(Protocol):
    def recognize(self, utterance: AudioChunk) -> Transcript | None: ...


class SegmentedHearing:
    """A segmenter cuts utterances out of the stream; a recogniser transcribes each one."""

    def __init__(self, segmenter: Segmenter, recognizer: Recognizer) -> None:
        self.segmenter = segmenter
        self.recognizer = recognizer

    def feed(self, chunk: AudioChunk) -> Transcript | None:
        utterance = self.segmenter.feed(chunk)
        if utterance is None:
            return None
        return self.recognizer.recognize(utterance)

    def reset(self) -> None:
        self.segmenter.reset()


NOT_YET = "listening from a microphone is not available in this build yet; use haven run --text"


def hearing_missing() -> str:
    """Why ``make_hearing`` cannot work here, or '' when it can."""
    return NOT_YET


def make_hearing(settings: Settings) -> Hearing:
    """Segmentation and recognition from ``skill.audio`` and ``skill.asr``."""
    raise UserError(NOT_YET)


def start_listening(session: Session, settings: Settings, device: str | int | None) -> None:
    """Start the listener thread; it stops when the session does."""
    hearing = make_hearing(settings)
    speaker = session.speaker if hasattr(session.speaker, "is_speaking") else None
    gate = EchoGate(speaker, settings.listen.echo_tail_seconds, busy=lambda: session.loop.busy)  # type: ignore[arg-type]
    listener = Listener(lambda: SoundDeviceMic(device), hearing, gate, session.queue, session.status.set)
    session.start(listener.run, session.stopping)
