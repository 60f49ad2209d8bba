"""The day limit: all breaks together in any 24 hours stay under ``break.day_limit_minutes``.

Chaining breaks, ending one early and calling another, or saying "stop" first
never adds up past it: every break's start and end within the last 24 hours is
kept (two times each, nothing about who called it or why) and counted. Past a
day a break reads as punishment (Julie Gottman), so the window is 24 hours.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from skill.engine.common import EngineStateError, time_from_json, time_to_json

WINDOW = timedelta(hours=24)


@dataclass
class BreakLog:
    """(start, end) of each finished break in the last 24 hours."""

    spans: list[tuple[datetime, datetime]] = field(default_factory=list)

    def record(self, start: datetime, end: datetime) -> None:
        if end > start:
            self.spans.append((start, end))

    def forget_old(self, now: datetime) -> None:
        self.spans = [(s, e) for s, e in self.spans if e > now - WINDOW]

    def used(self, now: datetime, running: tuple[datetime, datetime] | None = None) -> timedelta:
        """Break time inside the 24 hours before ``now`` (a running break counts to its end)."""
        since = now - WINDOW
        spans = self.spans + ([running] if running is not None else [])
        return sum((max(timedelta(0), e - max(s, since)) for s, e in spans), timedelta(0))

    def room(self, now: datetime, limit: timedelta,
             running: tuple[datetime, datetime] | None = None) -> timedelta:
        """How much more break time the day limit allows from ``now``."""
        return max(timedelta(0), limit - self.used(now, running))

    def to_list(self) -> list[list[str | None]]:
        return [[time_to_json(s), time_to_json(e)] for s, e in self.spans]

    @classmethod
    def from_list(cls, data: Any) -> BreakLog:
        if data is None:
            return cls()
        if not isinstance(data, list):
            raise EngineStateError("break_times must be a list of [start, end]")
        spans = []
        for item in data:
            if not isinstance(item, list) or len(item) != 2:
                raise EngineStateError("break_times must be a list of [start, end]")
            start, end = time_from_json(item[0]), time_from_json(item[1])
            if start is None or end is None or end < start:
                raise EngineStateError("a break time needs start <= end")
            spans.append((start, end))
        return cls(spans)
