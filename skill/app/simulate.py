"""``haven simulate``: the one loop (``skill.app.loop``) on a simulated clock.

A script is one utterance a line, ``MM:SS text`` or ``H:MM:SS text`` (blank
lines and ``#`` comments are skipped); hours may pass 24, so a script can span
weeks of check-ins (``168:00:00`` is a week later), up to ``MAX_SCRIPT``. The
clock starts at ``start`` (the CLI uses 20:00 on a fixed day in UTC, so output
is the same everywhere) and runs until the script (and the recording) is done
and the engine has nothing pending, at most ``LIMIT`` past the script's last
line or the recording's end. When a timer and an utterance fall on the same
second, the timer goes first.

With a recording, its audio is heard through the gated hearing ``haven run``
uses, chunk by chunk on the simulated clock, as fast as the CPU allows; Haven's
own lines take their spoken length (``SimVoice``), so the echo gate deafens
the hearing while they play, as it would in the room.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Callable, Iterator

from skill import messages
from skill.app.listen import GatedHearing, Item
from skill.app.loop import WAITED, Loop, Waited
from skill.errors import UserError
from skill.messages import AudioChunk, IntentMatch, Say

LIMIT = timedelta(hours=24)  # how long the simulated clock may run past the script's last line
MAX_SCRIPT = timedelta(days=366)  # a year of evenings previews in seconds; past that is a typo
PAUSE_S = 0.3  # between sentences of a line, and the voice's lead-in
_SENTENCE_END = re.compile(r"[.!?](?:\s|$)")
_LINE = re.compile(r"^(?:(\d{1,9}):)?(\d{1,9}):(\d{2})\s+(\S.*)$")  # 9 digits: int() never refuses


@dataclass(frozen=True)
class Utterance:
    """Something said ``at_s`` seconds after the start; ``line`` is its script line."""

    at_s: int
    text: str
    line: int = 0


@dataclass(frozen=True)
class SimEvent:
    """One row of output: the device heard or said ``text`` at ``t`` seconds."""

    t: float
    event: str  # "heard" or "said"
    text: str
    intent: str | None
    slots: dict[str, Any] | None = None
    line: str | None = None  # the line id, for "said"

    def to_json(self) -> dict[str, Any]:
        row: dict[str, Any] = {
            "t": _seconds(self.t),
            "event": self.event,
            "text": self.text,
            "intent": self.intent,
        }
        if self.event == "heard":
            row["slots"] = self.slots or {}
        else:
            row["line"] = self.line
        return row


def _seconds(t: float) -> float | int:
    t = round(t, 1)
    return int(t) if t.is_integer() else t


def parse_script(text: str, source: str = "<script>") -> list[Utterance]:
    """Parse a script; every bad line is reported with ``source:line`` in one UserError."""
    utterances: list[Utterance] = []
    problems: list[str] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        stripped = raw.strip()
        if not stripped or stripped.startswith("#"):
            continue
        found = _LINE.match(stripped)
        if found is None:
            problems.append(f"{source}:{number}: expected 'MM:SS text' or 'H:MM:SS text', got {stripped!r}")
            continue
        hours, mins, secs, said = found.groups()
        if int(secs) > 59 or (hours is not None and int(mins) > 59):
            problems.append(f"{source}:{number}: {stripped.split()[0]} is not a valid time")
            continue
        at_s = int(hours or 0) * 3600 + int(mins) * 60 + int(secs)
        if at_s > MAX_SCRIPT.total_seconds():
            problems.append(
                f"{source}:{number}: {stripped.split()[0]} is past the one-year limit of a simulation "
                f"({int(MAX_SCRIPT.total_seconds() // 3600)}:00:00)"
            )
            continue
        utterances.append(Utterance(at_s=at_s, text=said.strip(), line=number))
    if problems:
        raise UserError("the script has mistakes; fix these lines:\n" + "\n".join(problems))
    return sorted(utterances, key=lambda u: u.at_s)  # stable: same-time lines keep their order


class SimClock:
    """The simulated time: it moves only when the timeline or Haven's voice moves it."""

    def __init__(self, start: datetime) -> None:
        self.start = start
        self.current = start

    def now(self) -> datetime:
        return self.current

    def seconds(self) -> float:
        """Seconds since the start (the echo gate's time base in a simulation)."""
        return (self.current - self.start).total_seconds()

    def move_to(self, when: datetime) -> None:
        self.current = max(self.current, when)


def spoken_seconds(text: str, rate_wpm: int) -> float:
    """How long a line takes to say at ``rate_wpm``, with a short pause at each sentence end.

    Measured against piper at the default 160 wpm on the 26 different lines of a break and a
    check-in script: 136.5 s estimated for 120.5 s rendered (median line 17% long, from 35%
    short to 77% long), so a replay is deaf a little longer than the room would be.
    """
    words = len(text.split())
    pauses = max(1, len(_SENTENCE_END.findall(text)))
    return words * 60.0 / max(rate_wpm, 1) + PAUSE_S * pauses


class SimVoice:
    """Haven's voice on the simulated clock: a line takes ``seconds_for(text)``, and the
    echo gate reads ``speaking_until`` (simulated seconds), as it reads a live speaker's."""

    is_speaking = False  # a simulated line is over by the time the loop goes on

    def __init__(self, clock: SimClock, seconds_for: Callable[[str], float]) -> None:
        self.clock = clock
        self.seconds_for = seconds_for
        self.speaking_until = float("-inf")

    def say(self, text: str) -> None:
        self.clock.move_to(self.clock.now() + timedelta(seconds=self.seconds_for(text)))
        self.speaking_until = self.clock.seconds()

    def close(self) -> None:
        pass


class RecordingFeed:
    """A recording heard through the gated hearing, from ``at_s`` simulated seconds on."""

    def __init__(self, chunks: Iterator[AudioChunk], at_s: float, gated: GatedHearing,
                 length_s: float = 0.0) -> None:
        self._chunks = chunks
        self._next: AudioChunk | None = next(chunks, None)
        self.at_s = at_s
        self.gated = gated
        self.end_s = at_s + length_s  # when the recording is over (simulated seconds)

    def next_end_s(self) -> float | None:
        """When the next chunk has been captured (simulated seconds), None after the end."""
        if self._next is None:
            return None
        return self.at_s + self._next.timestamp_s + self._next.duration_s

    def hear_until(self, bound_s: float) -> tuple[float, messages.Utterance] | None:
        """Hear the chunks captured by ``bound_s``; stop at the first utterance closed."""
        while (end_s := self.next_end_s()) is not None and end_s <= bound_s:
            chunk = self._next
            assert chunk is not None
            self._next = next(self._chunks, None)
            heard = self.gated.hear(chunk, self.at_s + chunk.timestamp_s)
            if heard is None and self._next is None:
                heard = self.gated.hearing.flush()  # the recording ends mid-utterance
            if heard is not None:
                return end_s, heard
        return None


class Timeline:
    """The input of a simulation: script lines and a recording, in time order, on a SimClock.

    ``next(until)`` moves the clock to the next item before ``until`` (the
    engine's wakeup), or to ``until``; when a timer and an item fall on the same
    instant, the timer goes first. The end of everything, or ``limit`` past the
    script's last line, ends the input.
    """

    def __init__(self, clock: SimClock, script: list[Utterance], recording: RecordingFeed | None = None,
                 limit: timedelta = LIMIT) -> None:
        self.clock = clock
        self.script = list(script)
        self.recording = recording
        last_s = max([float(u.at_s) for u in self.script] + [recording.end_s if recording else 0.0])
        self.end = clock.start + timedelta(seconds=last_s) + limit  # a day past the last line or sound

    def next(self, until: datetime | None) -> Item | Waited:
        horizon = self.end if until is None else min(until, self.end)
        script_at = self.clock.start + timedelta(seconds=self.script[0].at_s) if self.script else None
        bound = horizon if script_at is None else min(horizon, script_at)
        if self.recording is not None:
            heard = self.recording.hear_until((bound - self.clock.start).total_seconds())
            if heard is not None:
                self.clock.move_to(self.clock.start + timedelta(seconds=heard[0]))
                return heard[1]
        if script_at is not None and (script_at < horizon or until is None or until > self.end):
            self.clock.move_to(script_at)
            return messages.Utterance(messages.Transcript(self.script.pop(0).text))
        if until is not None and until <= self.end:
            self.clock.move_to(until)
            return WAITED
        return None  # nothing more within the limit


class Report:
    """The loop's Trace in a simulation: each thing heard and said as a SimEvent, in time order."""

    def __init__(self, clock: SimClock, emit: Callable[[SimEvent], None]) -> None:
        self.clock = clock
        self.emit = emit

    def heard(self, text: str, found: IntentMatch | None) -> None:
        intent = found.intent if found is not None else None
        slots = dict(found.slots) if found is not None else {}
        self.emit(SimEvent(self.clock.seconds(), "heard", text, intent, slots))

    def said(self, action: Say, text: str, intent: str | None) -> None:
        self.emit(SimEvent(self.clock.seconds(), "said", text, intent, line=action.line_id))


def simulate(loop: Loop, timeline: Timeline) -> None:
    """Run ``loop`` on the timeline until the input ends (the loop's trace reports)."""
    loop.run(timeline)


def format_event(event: SimEvent) -> str:
    """One human-readable row: time, who, text (and the intent for what was heard)."""
    tenths = round(round(event.t, 1) * 10)  # a recording's times have tenths; a script's are whole seconds
    hours, rest = divmod(tenths // 10, 3600)
    stamp = f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else f"{rest // 60:02d}:{rest % 60:02d}"
    stamp += f".{tenths % 10}" if tenths % 10 else ""
    if event.event == "heard":
        slots = "".join(f" {k}={v}" for k, v in (event.slots or {}).items())
        meaning = f"{event.intent}{slots}" if event.intent else "no intent: nothing said"
        return f"{stamp}  heard  {event.text!r}  ->  {meaning}"
    return f"{stamp}  said   {event.text}"
