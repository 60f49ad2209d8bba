"""Guided breathing: timed cue lines on the beat, as a sub-activity.

Paced breathing (default) is 4 s in and 6 s out: six breaths a minute. Each
phase gets one short cue at its start, so a cue must fit in its beat. The
schedule is absolute (first cue + n beats), so a late tick does not drift the
rhythm: a cue that is already half over is dropped rather than said late.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from skill.config import BreathingSettings
from skill.engine.common import say
from skill.messages import Say

LEAD = timedelta(seconds=8)  # time for the intro line before the first cue


@dataclass(frozen=True)
class Pattern:
    """A breathing pattern: its intro line, (cue line, seconds) phases, optional cycle cap."""

    intro: str
    phases: tuple[tuple[str, int], ...]
    max_cycles: int | None = None

    @property
    def cycle_seconds(self) -> int:
        return sum(seconds for _, seconds in self.phases)


PATTERNS: dict[str, Pattern] = {
    "paced": Pattern("breathing.intro_paced", (("breathe.in4", 4), ("breathe.out6", 6))),
    # Cyclic sighing: a deep breath in with a short top-up (one cue), a long slow sigh out.
    "sigh": Pattern("breathing.intro_sigh", (("breathe.sigh_in", 4), ("breathe.sigh_out", 6))),
    "box": Pattern(
        "breathing.intro_box",
        (("breathe.in4", 4), ("breathe.hold4", 4), ("breathe.out4", 4), ("breathe.hold4", 4)),
    ),
    # 4-7-8 is strong; no more than four cycles at first (the intro says to sit down).
    "478": Pattern(
        "breathing.intro_478",
        (("breathe.in4", 4), ("breathe.hold7", 7), ("breathe.out8", 8)),
        max_cycles=4,
    ),
}


@dataclass
class Breathing:
    """One guided breathing session; ``next_cue`` is the index of the next cue to say."""

    pattern: Pattern
    first_cue_at: datetime
    cycles: int
    next_cue: int = 0

    @classmethod
    def start(cls, now: datetime, s: BreathingSettings) -> tuple[Breathing, list[Say]]:
        pattern = PATTERNS[s.pattern]
        cycles = max(1, s.minutes * 60 // pattern.cycle_seconds)
        if pattern.max_cycles is not None:
            cycles = min(cycles, pattern.max_cycles)
        session = cls(pattern=pattern, first_cue_at=now + LEAD, cycles=cycles)
        length = session.ends_at - session.first_cue_at
        params = {} if pattern.intro == "breathing.intro_478" else {"duration": length}
        return session, [say(pattern.intro, **params)]

    @property
    def total_cues(self) -> int:
        return self.cycles * len(self.pattern.phases)

    @property
    def ends_at(self) -> datetime:
        return self.first_cue_at + timedelta(seconds=self.cycles * self.pattern.cycle_seconds)

    def cue_time(self, index: int) -> datetime:
        cycle, phase = divmod(index, len(self.pattern.phases))
        offset = sum(seconds for _, seconds in self.pattern.phases[:phase])
        return self.first_cue_at + timedelta(seconds=cycle * self.pattern.cycle_seconds + offset)

    def wakeup(self) -> datetime:
        return self.cue_time(self.next_cue) if self.next_cue < self.total_cues else self.ends_at

    def is_over(self, now: datetime) -> bool:
        return now >= self.ends_at

    def tick(self, now: datetime) -> list[Say]:
        """The cue due now, if any. The caller checks ``is_over`` first."""
        said: list[Say] = []
        while self.next_cue < self.total_cues and self.cue_time(self.next_cue) <= now:
            index = self.next_cue
            self.next_cue += 1
            line_id, seconds = self.pattern.phases[index % len(self.pattern.phases)]
            late = now - self.cue_time(index)
            if late < timedelta(seconds=seconds / 2):
                said = [say(line_id)]
        return said
