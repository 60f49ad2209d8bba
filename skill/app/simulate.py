"""``haven simulate``: the real matcher and engine on a simulated clock.

A script is one utterance a line, ``MM:SS text`` or ``H:MM:SS text`` (blank
lines and ``#`` comments are skipped); hours may pass 24, so a script can span
weeks of check-ins (``168:00:00`` is a week later), up to ``MAX_SCRIPT``. The
clock starts at ``start`` (the CLI uses 20:00 on a fixed day in UTC, so output
is the same everywhere) and runs until the script is done and the engine has
nothing pending, at most ``LIMIT`` past the script's last line.
When a timer and an utterance fall on the same second, the timer goes first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Iterator

from skill.app.parts import Matcher
from skill.engine import Engine
from skill.errors import UserError
from skill.lines import Renderer
from skill.messages import Heard, Tick

LIMIT = timedelta(hours=24)  # how long the simulated clock may run past the script's last line
MAX_SCRIPT = timedelta(days=366)  # a year of evenings previews in seconds; past that is a typo
MAX_TICKS_AT_ONCE = 10
_LINE = re.compile(r"^(?:(\d+):)?(\d+):(\d{2})\s+(\S.*)$")


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
    return int(t) if float(t).is_integer() else round(t, 3)


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


def simulate(
    utterances: list[Utterance],
    engine: Engine,
    matcher: Matcher,
    renderer: Renderer,
    start: datetime,
) -> Iterator[SimEvent]:
    """Run the script; yield what was heard and said, in time order."""
    pending = list(utterances)
    end = start + timedelta(seconds=max((u.at_s for u in utterances), default=0)) + LIMIT
    clock = start
    ticks_now = 0  # ticks at one instant; a held line may fall due right after another
    while True:
        wakeup = engine.next_wakeup()
        next_said = start + timedelta(seconds=pending[0].at_s) if pending else None
        if wakeup is not None and (next_said is None or wakeup <= next_said) and wakeup <= end:
            ticks_now = ticks_now + 1 if wakeup <= clock else 0
            if ticks_now > MAX_TICKS_AT_ONCE:
                raise RuntimeError(f"engine keeps asking to be woken at {wakeup}; it must move on")
            clock = max(clock, wakeup)
            for action in engine.handle(Tick(), clock):
                yield _said(start, clock, renderer.render(action), None, action.line_id)
        elif next_said is not None:
            utterance = pending.pop(0)
            clock = max(clock, next_said)
            yield from _hear(utterance, engine, matcher, renderer, start, clock)
        else:
            return


def _hear(
    utterance: Utterance, engine: Engine, matcher: Matcher, renderer: Renderer, start: datetime, now: datetime
) -> Iterator[SimEvent]:
    found = matcher.match(utterance.text)
    intent = found.intent if found is not None else None
    slots = dict(found.slots) if found is not None else {}
    yield SimEvent((now - start).total_seconds(), "heard", utterance.text, intent, slots)
    if found is None:
        return
    for action in engine.handle(Heard(found.intent, found.slots), now):
        yield _said(start, now, renderer.render(action), intent, action.line_id)


def _said(start: datetime, now: datetime, text: str, intent: str | None, line_id: str) -> SimEvent:
    return SimEvent((now - start).total_seconds(), "said", text, intent, line=line_id)


def format_event(event: SimEvent) -> str:
    """One human-readable row: time, who, text (and the intent for what was heard)."""
    total = int(event.t)
    hours, rest = divmod(total, 3600)
    stamp = f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else f"{rest // 60:02d}:{rest % 60:02d}"
    if event.event == "heard":
        slots = "".join(f" {k}={v}" for k, v in (event.slots or {}).items())
        meaning = f"{event.intent}{slots}" if event.intent else "no intent: nothing said"
        return f"{stamp}  heard  {event.text!r}  ->  {meaning}"
    return f"{stamp}  said   {event.text}"
