"""What Haven is doing, read from its saved state: for ``haven status`` and the status LED.

``describe`` restores the saved snapshot into a fresh engine (nothing is saved
back, nothing is said) and reports listening or muted, the running break and
its return time, and the check-in.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any, Mapping

from skill.config import Settings
from skill.decks import Deck
from skill.engine import Engine, State
from skill.engine.persist import engine_from_dict
from skill.lines import format_clock, format_duration


@dataclass(frozen=True)
class StatusReport:
    listening: bool
    break_running: bool
    break_returns_at: str | None  # ISO time, or None
    break_left: str | None  # spoken duration ("15 minutes"), or None
    break_returning: bool  # the return time has come; Haven is prompting
    checkin: str | None  # the deck's title, or None
    checkin_question: int | None  # 1-based
    checkin_questions: int | None

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    def lines(self, local_time: bool = True) -> list[str]:
        out = ["listening" if self.listening
               else "muted: not listening (say \"Haven, start listening\")"]
        if self.break_returning:
            out.append("break: the return time has come; waiting for \"we're back\"")
        elif self.break_running and self.break_returns_at is not None:
            when = format_clock(datetime.fromisoformat(self.break_returns_at), local_time)
            out.append(f"break: running, back together at {when} ({self.break_left} left)")
        else:
            out.append("break: none")
        if self.checkin is not None:
            out.append(f"check-in: {self.checkin}, question {self.checkin_question} "
                       f"of {self.checkin_questions}")
        else:
            out.append("check-in: none")
        return out


def describe(data: Any, now: datetime, settings: Settings, decks: Mapping[str, Deck]) -> StatusReport:
    engine, _announcement = engine_from_dict(data, now, settings, decks)
    return report_for(engine, now)


def report_for(engine: Engine, now: datetime) -> StatusReport:
    brk, checkin = engine.brk, engine.checkin
    running = brk is not None and engine.state is State.BREAK
    return StatusReport(
        listening=not engine.muted,
        break_running=running,
        break_returns_at=brk.ends_at.isoformat() if brk is not None else None,
        break_left=format_duration(brk.ends_at - now) if running and brk is not None else None,
        break_returning=brk is not None and engine.state is State.BREAK_RETURN,
        checkin=checkin.deck.title if checkin is not None else None,
        checkin_question=checkin.index + 1 if checkin is not None else None,
        checkin_questions=len(checkin.plan) if checkin is not None else None,
    )
