"""The verdict: from the first decode (and any further ones it asks for) to a named outcome and why.

Pure: the decodes come in through ``again(search)``, so the whole decision
runs on hand-written paths (``tests/test_asr_verdict.py``). The steps, in order:

1. The first pass's path holds the filler loop's words ("~"-marked): the loop
   explained the audio better than any command. Its words may still be a
   command by a second look (a commands-only decode, ``skill.asr.second_look``)
   or, as text, by the matcher: outcome ``SECOND_LOOK`` or ``LOOP_WORDS``.
2. The path is a whole command of the context: every ``CommandCheck`` that
   applies in this room must pass, else ``REJECTED`` with the check's reason;
   then ``COMMAND``.
3. Anything else (nothing decoded, a path cut short by the end of the audio):
   ``NOTHING``.

``BETWEEN_PAUSES`` is not decided here: when the whole gives no command, the
recogniser hears the stretches between its pauses (``skill.asr.pieces``), each
through ``decide``, and that module names the outcome.

A new check is one class with ``applies``/``rejects`` added to the recogniser's
``checks``: it sees the first path and the decode of its own search.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from skill.asr.automaton import Automaton
from skill.asr.decoder import Decoded
from skill.asr.room import Band
from skill.asr.second_look import SecondLook, Segment, evidence, spoken_words
from skill.asr.silence_check import deficit, silence_deficit, silent_frames

FILLER_MARK = "~"


class Outcome(enum.Enum):
    NO_SPEECH = "no speech"  # the room: silence or a steady sound, never decoded
    NOT_LISTENING = "not listening"  # the context holds no intent this recogniser can hear
    NOTHING = "nothing"  # no whole command decoded
    REJECTED = "rejected"  # a command path a check refused
    LOOP_WORDS = "loop words"  # the loop won; its words go to the matcher as text
    SECOND_LOOK = "second look"  # the loop won, but the commands-only decode was taken
    COMMAND = "command"  # the grammar won and every check passed
    COMMAND_IN_TALK = "command in talk"  # the same, led in or trailed by a few loop words
    BETWEEN_PAUSES = "between pauses"  # the whole gave none; a stretch between pauses is a command


@dataclass(frozen=True)
class Verdict:
    outcome: Outcome
    text: str = ""  # what goes to the matcher ("" for none)
    why: str = ""
    details: dict[str, float] = field(default_factory=dict)  # the figures the decision used
    also: tuple[str, ...] = ()  # commands between pauses, weighed when ``text`` says none

    def as_dict(self) -> dict[str, object]:
        return {"outcome": self.outcome.value, "text": self.text, "why": self.why, "also": list(self.also),
                "details": {k: round(v, 3) for k, v in self.details.items()}}


@dataclass(frozen=True)
class Context:
    """One listening context as the verdict sees it: its graphs and search names."""

    automaton: Automaton
    readier: Automaton | None
    searches: tuple[str, ...]  # the first pass's search per band (loudest first)
    looks: dict[str, str]  # second-look mode ("all", "readier") -> its search
    # The sentences as the templates write them, no skip word added: a skip word one of them
    # spells out ("please call nine one one") is part of the command, not padding.
    written: Automaton | None = None
    # The sentences never taken from a stretch between pauses (``Pieces.whole_only``).
    whole_only: Automaton | None = None


class CommandCheck(Protocol):
    """A check on a command path the grammar won outright, with a search of its own."""

    @property
    def name(self) -> str: ...

    @property
    def search(self) -> str:
        """The search whose decode of the same audio the check compares with."""

    def applies(self, band: Band, first: Decoded, frames_per_second: int) -> bool: ...

    def rejects(self, first: Decoded, other: Decoded) -> str | None:
        """Why the command path is no command, or None to let it through."""


@dataclass(frozen=True)
class SilenceCheck:
    """``skill.asr.silence_check``: the path's silences against a free phone loop."""

    search: str
    max_deficit: float
    checked_silence_s: float
    name: str = "silence check"

    def applies(self, band: Band, first: Decoded, frames_per_second: int) -> bool:
        return band.silence_check and silent_frames(first.path) > self.checked_silence_s * frames_per_second

    def rejects(self, first: Decoded, other: Decoded) -> str | None:
        deficit = silence_deficit(first.path, other.path, first.n_frames)
        if deficit > self.max_deficit:
            return f"its silences score {deficit:.1f} per frame below a phone loop (> {self.max_deficit:g})"
        return None


def decide(first: Decoded, context: Context, band: Band, again: Callable[[str], Decoded],
           checks: Sequence[CommandCheck], look: SecondLook | None, skip_words: frozenset[str],
           frames_per_second: int, hear_loop_words: bool = True) -> Verdict:
    """The verdict on one utterance's first pass (see the module docstring)."""
    words = list(first.words)
    if not words:
        return Verdict(Outcome.NOTHING, why="nothing decoded")
    marked = [w.endswith(FILLER_MARK) for w in words]
    if any(marked) and not all(marked):
        return _in_talk(first, words, marked, context, band, again, checks, skip_words,
                        frames_per_second)
    if all(marked):
        heard = " ".join(w.rstrip(FILLER_MARK) for w in words)
        if not hear_loop_words:
            return Verdict(Outcome.NOTHING, why=f"the loop won ({heard!r}) and its words are not heard")
        taken = _second_look(first, heard, context, band, again, look, skip_words)
        if isinstance(taken, Verdict):
            return taken
        return Verdict(Outcome.LOOP_WORDS, heard, "the loop won; its words go to the matcher",
                       taken)
    text = " ".join(words)
    if not context.automaton.accepts(words):
        return Verdict(Outcome.NOTHING, why=f"{text!r} is no whole command (cut short)")
    figures = shape(first)
    for check in checks:
        if check.applies(band, first, frames_per_second):
            reason = check.rejects(first, again(check.search))
            if reason is not None:
                return Verdict(Outcome.REJECTED, why=f"{text!r}: {check.name}: {reason}", details=figures)
    return Verdict(Outcome.COMMAND, text, "the grammar won over the loop", figures)


def _in_talk(first: Decoded, words: list[str], marked: list[bool], context: Context, band: Band,
             again: Callable[[str], Decoded], checks: Sequence[CommandCheck],
             skip_words: frozenset[str], frames_per_second: int) -> Verdict:
    """A command with loop words before or after it: taken only if it is two words or more."""
    begin = marked.index(False)
    end = len(marked) - marked[::-1].index(False)
    command = words[begin:end]
    talk = " ".join(w.rstrip(FILLER_MARK) for w in words[:begin] + ["|"] + words[end:])
    text = " ".join(command)
    if any(marked[begin:end]) or not context.automaton.accepts(command):
        return Verdict(Outcome.NOTHING, why=f"{text!r} around {talk!r} is no whole command")
    if len([w for w in command if w not in skip_words]) < 2:
        return Verdict(Outcome.NOTHING, why=f"{text!r} is too short to take out of talk ({talk!r})")
    figures = {**shape(first), "lead": float(begin), "trail": float(len(words) - end)}
    for check in checks:
        if check.applies(band, first, frames_per_second):
            reason = check.rejects(first, again(check.search))
            if reason is not None:
                return Verdict(Outcome.REJECTED, why=f"{text!r}: {check.name}: {reason}", details=figures)
    return Verdict(Outcome.COMMAND_IN_TALK, text, f"a command in talk ({talk!r})", figures)


def word_frames(path: Sequence[Segment]) -> int:
    """How many frames the path spends on words (not silence or noise)."""
    return sum(s.frames for s in spoken_words(path))


def shape(decoded: Decoded) -> dict[str, float]:
    """How a path spends its frames: on words (the longest one too), on silence."""
    words = spoken_words(decoded.path)
    frames = sum(s.frames for s in words)
    return {"words": float(len(words)), "word_frames": float(frames),
            "longest_word": float(max((s.frames for s in words), default=0)),
            "silence_frames": float(silent_frames(decoded.path)), "frames": float(decoded.n_frames),
            "word_score": sum(s.score for s in words) / max(frames, 1)}


def _second_look(first: Decoded, heard: str, context: Context, band: Band,
                 again: Callable[[str], Decoded], look: SecondLook | None,
                 skip_words: frozenset[str]) -> Verdict | dict[str, float]:
    """A SECOND_LOOK verdict, or the figures of a look not taken (empty when none was made)."""
    search = context.looks.get(band.second_look)
    if look is None or search is None:
        return {}
    if band.second_look == "readier" and len(heard.split()) > look.readier_words:
        return {}
    if len(heard.split()) > look.max_loop_words:
        return {}
    forced = again(search)
    words = list(forced.words)
    marked = [w.endswith(FILLER_MARK) for w in words]
    if any(marked):  # led in or trailed: the command is what lies between
        if all(marked):
            return {}
        begin, end = marked.index(False), len(marked) - marked[::-1].index(False)
        words = words[begin:end]
        if any(w.endswith(FILLER_MARK) for w in words) or \
                len([w for w in words if w not in skip_words]) < 2:
            return {}
    if not words or not context.automaton.accepts(words):
        return {}
    command = " ".join(words)
    written = context.written is not None and context.written.accepts(words)
    seen = evidence(first.path, forced.path, first.n_frames, heard, command,
                    frozenset() if written else skip_words)
    figures = {"gain": seen.gain, "worst": seen.worst, "likeness": seen.likeness,
               "padding": seen.padding, "look_score": look.score(seen)}
    readier = context.readier is not None and context.readier.accepts(words)
    if look.accepts(seen, readier):
        return Verdict(Outcome.SECOND_LOOK, command,
                       f"the loop won ({heard!r}) but the commands alone explain it well enough",
                       figures)
    return figures


@dataclass(frozen=True)
class WordsCheck:
    """A whole command path in a noisy room: its words against a free phone loop
    (``skill.asr.silence_check.deficit``; the check stretches between pauses pass too).

    A path whose words last at most ``short_frames`` may score down to ``short_max_deficit``:
    over so few frames the words' edges in the noise weigh more per frame, and talk forced
    into a command covers more speech than that ("your secret's safe with me" as "proceed to
    the following", 136 frames; ``skill.asr.tuned``)."""

    search: str
    max_deficit: float
    short_frames: int = 0
    short_max_deficit: float = 0.0
    name: str = "phone-loop check"

    def applies(self, band: Band, first: Decoded, frames_per_second: int) -> bool:
        return not band.silence_check

    def limit(self, first: Decoded) -> float:
        """The largest deficit this path may have: more for a short one."""
        if word_frames(first.path) <= self.short_frames:
            return max(self.max_deficit, self.short_max_deficit)
        return self.max_deficit

    def rejects(self, first: Decoded, other: Decoded) -> str | None:
        below, limit = deficit(first.path, other), self.limit(first)
        if below > limit:
            return f"its words score {below:.1f} per frame below a phone loop (> {limit:g})"
        return None
