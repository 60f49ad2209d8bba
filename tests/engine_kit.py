"""A small harness that drives the pure engine along a timeline (seconds from 20:00)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any, Mapping

from skill.config import Settings
from skill.decks import Deck, load_decks
from skill.engine import Engine, State
from skill.engine.catalog import LINE_PARAMS
from skill.messages import Heard, Say, SlotValue, SpeechEnded, Tick

T0 = datetime(2025, 1, 6, 20, 0, tzinfo=timezone.utc)
DAY = 24 * 3600

_DECKS: dict[str, Deck] = {}


def shipped_decks() -> dict[str, Deck]:
    if not _DECKS:
        _DECKS.update(load_decks())
    return _DECKS


def at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


def mmss(minutes: int, seconds: int = 0) -> int:
    return minutes * 60 + seconds


@dataclass(frozen=True)
class Said:
    t: float  # seconds from T0
    line: str
    params: Mapping[str, object]


class Timeline:
    """Ticks the engine at every wakeup up to a time, like the app would; records what it says."""

    def __init__(
        self, settings: Settings | None = None, engine: Engine | None = None, start: float = 0
    ) -> None:
        self.settings = settings or Settings()
        self.engine = engine or Engine(self.settings, shipped_decks())
        self.t = float(start)
        self.said: list[Said] = []

    @property
    def state(self) -> State:
        return self.engine.state

    def _record(self, lines: list[Say], t: float) -> list[Say]:
        for action in lines:
            assert action.line_id in LINE_PARAMS, action.line_id
            assert set(action.params) == LINE_PARAMS[action.line_id], action
            self.said.append(Said(t, action.line_id, action.params))
        return lines

    def run_until(self, seconds: float) -> None:
        """Tick at every wakeup up to and including ``seconds``."""
        same_instant = 0
        for _ in range(100_000):
            wakeup = self.engine.next_wakeup()
            if wakeup is None or wakeup > at(seconds):
                break
            tick_at = max(wakeup, at(self.t))
            same_instant = same_instant + 1 if tick_at == at(self.t) else 0
            assert same_instant < 5, f"engine does not move on from {tick_at}"
            self.t = (tick_at - T0).total_seconds()
            self._record(self.engine.handle(Tick(), tick_at), self.t)
        self.t = max(self.t, float(seconds))

    def run_out(self, limit: float = DAY) -> None:
        self.run_until(self.t + limit)

    def hear(self, seconds: float, intent: str, **slots: SlotValue) -> list[Say]:
        self.run_until(seconds)
        return self._record(self.engine.handle(Heard(intent, slots), at(seconds)), seconds)

    def speech_ended(self, seconds: float) -> list[Say]:
        """Someone in the room stopped talking at ``seconds``."""
        self.run_until(seconds)
        return self._record(self.engine.handle(SpeechEnded(), at(seconds)), seconds)

    def ids(self, start: float = 0, end: float = float("inf")) -> list[str]:
        return [s.line for s in self.said if start <= s.t <= end]

    def times_of(self, line: str) -> list[float]:
        return [s.t for s in self.said if s.line == line]

    def last(self, line: str) -> Said:
        return [s for s in self.said if s.line == line][-1]


def ids(lines: list[Say]) -> list[str]:
    return [line.line_id for line in lines]


def param(lines: list[Say], line_id: str, name: str) -> Any:
    return next(line.params[name] for line in lines if line.line_id == line_id)
