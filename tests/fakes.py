"""Hand-written fakes for the side-effect interfaces (no mock.patch)."""

from __future__ import annotations


class FakeSpeaker:
    """Records what would have been spoken."""

    def __init__(self) -> None:
        self.said: list[str] = []
        self.closed = False

    def say(self, text: str) -> None:
        self.said.append(text)

    def close(self) -> None:
        self.closed = True


# ---- engine, state and loop fakes --------------------------------------------

from datetime import datetime, timedelta  # noqa: E402
from typing import Any, Mapping  # noqa: E402

from skill.messages import IntentMatch, SlotValue  # noqa: E402


class FakeStateStore:
    """Keeps the saved state in memory; ``saves`` counts writes."""

    def __init__(self, data: dict[str, Any] | None = None) -> None:
        self.data = data
        self.saves = 0

    def load(self) -> dict[str, Any] | None:
        return self.data

    def save(self, data: dict[str, Any]) -> None:
        self.data = data
        self.saves += 1


class FakeClock:
    """A clock that only moves when told to."""

    def __init__(self, start: datetime) -> None:
        self.current = start

    def now(self) -> datetime:
        return self.current

    def advance(self, seconds: float) -> None:
        self.current += timedelta(seconds=seconds)


class FakeMatcher:
    """Matches exact texts from a table: text -> (intent, slots)."""

    def __init__(self, table: Mapping[str, tuple[str, Mapping[str, SlotValue]]]) -> None:
        self.table = dict(table)

    def match(self, text: str) -> IntentMatch | None:
        found = self.table.get(text)
        return IntentMatch(found[0], found[1]) if found else None


# ---- speech fakes -------------------------------------------------------------


class FakeLiveSpeaker(FakeSpeaker):
    """A FakeSpeaker with the LiveSpeaker extras; the test sets ``is_speaking`` and
    ``speaking_until`` (monotonic seconds) and counts ``interrupts``."""

    def __init__(self) -> None:
        super().__init__()
        self.is_speaking = False
        self.speaking_until = 0.0
        self.interrupts = 0

    def interrupt(self) -> None:
        self.interrupts += 1
        self.is_speaking = False
