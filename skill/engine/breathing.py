"""Guided breathing: cue words on the beat, as a sub-activity.

Paced breathing (default) is 4 s in and 6 s out: six breaths a minute. A phase
opens with a short cue ("Breathe in") and, while the count is given, each
count word comes on its own second ("two" one second in, "three" two seconds
in, ...). Each word is its own line, so a voice that speaks fast or slow can
never run ahead of the beat: the schedule, not the voice, keeps the time. The
schedule is absolute (first cue + offsets), so a late tick does not drift the
rhythm; a word already half a second late is dropped rather than said late.

The count is given for the first rounds only (all four rounds of 4-7-8); after
that the openers alone keep the rhythm and leave the room quiet between them,
so "stop" can be heard.

A session never promises more than it gives: it is cut to whole rounds that
fit before ``until`` (the return time of a running break), and the intro says
the length and round count it will actually run.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import datetime, timedelta

from skill.config import BreathingSettings
from skill.engine.common import say
from skill.messages import Say

LEAD = timedelta(seconds=8)  # time for the intro line before the first cue
BEAT = timedelta(seconds=1)  # one count word per second
COUNTED_ROUNDS = 2  # rounds with every count word spoken (then openers only)
COUNT_WORDS = ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")


@dataclass(frozen=True)
class Phase:
    """One phase of a round: its opener line and how many seconds (beats) it lasts."""

    opener: str
    seconds: int


@dataclass(frozen=True)
class Pattern:
    """A breathing pattern: its intro line, phases, optional round cap, counted rounds."""

    intro: str
    phases: tuple[Phase, ...]
    max_cycles: int | None = None
    counted_rounds: int = COUNTED_ROUNDS

    @property
    def cycle_seconds(self) -> int:
        return sum(p.seconds for p in self.phases)


IN4, OUT6 = Phase("breathe.in", 4), Phase("breathe.out", 6)
PATTERNS: dict[str, Pattern] = {
    "paced": Pattern("breathing.intro_paced", (IN4, OUT6)),
    # Cyclic sighing: a deep breath in with a short top-up, a long slow sigh out; no count.
    "sigh": Pattern("breathing.intro_sigh", (Phase("breathe.sigh_in", 4), Phase("breathe.sigh_out", 6)),
                    counted_rounds=0),
    "box": Pattern("breathing.intro_box",
                   (IN4, Phase("breathe.hold", 4), Phase("breathe.out", 4), Phase("breathe.hold", 4))),
    # 4-7-8 is strong: four rounds at most (the intro says to sit down), each counted.
    "478": Pattern("breathing.intro_478", (IN4, Phase("breathe.hold", 7), Phase("breathe.out", 8)),
                   max_cycles=4, counted_rounds=4),
}


@dataclass(frozen=True)
class Cue:
    """A word to say ``offset`` after the first cue; ``window``: how late it may still come."""

    offset: timedelta
    line: Say
    window: timedelta


def cue_schedule(pattern: Pattern, cycles: int) -> tuple[Cue, ...]:
    """Every cue of ``cycles`` rounds: an opener per phase, count words on their seconds."""
    cues: list[Cue] = []
    start = timedelta(0)
    for cycle in range(cycles):
        for phase in pattern.phases:
            counted = cycle < pattern.counted_rounds
            opener_window = BEAT / 2 if counted else timedelta(seconds=phase.seconds / 2)
            cues.append(Cue(start, say(phase.opener), opener_window))
            if counted:
                for n in range(2, phase.seconds + 1):
                    word = say("breathe.count", n=COUNT_WORDS[n - 1])
                    cues.append(Cue(start + (n - 1) * BEAT, word, BEAT / 2))
            start += timedelta(seconds=phase.seconds)
    return tuple(cues)


@dataclass
class Breathing:
    """One guided breathing session; ``next_cue`` is the index of the next cue to say."""

    pattern: Pattern
    first_cue_at: datetime
    cycles: int
    next_cue: int = 0

    @classmethod
    def start(
        cls, now: datetime, s: BreathingSettings, until: datetime | None = None
    ) -> tuple[Breathing | None, list[Say]]:
        """A session and its intro; no session (and a line saying so) when no round fits."""
        pattern = PATTERNS[s.pattern]
        cycles = max(1, s.minutes * 60 // pattern.cycle_seconds)
        if pattern.max_cycles is not None:
            cycles = pattern.max_cycles  # 4-7-8 is a number of rounds, not a length
        if until is not None:
            fits = int((until - now - LEAD).total_seconds()) // pattern.cycle_seconds
            if fits < 1:
                return None, [say("breathing.no_time", time=until)]
            cycles = min(cycles, fits)
        session = cls(pattern=pattern, first_cue_at=now + LEAD, cycles=cycles)
        if pattern.intro == "breathing.intro_478":
            rounds = f"{COUNT_WORDS[cycles - 1]} round" + ("s" if cycles > 1 else "")
            return session, [say(pattern.intro, rounds=rounds)]
        return session, [say(pattern.intro, duration=session.ends_at - session.first_cue_at)]

    @functools.cached_property
    def cues(self) -> tuple[Cue, ...]:
        return cue_schedule(self.pattern, self.cycles)

    @property
    def ends_at(self) -> datetime:
        return self.first_cue_at + timedelta(seconds=self.cycles * self.pattern.cycle_seconds)

    def cue_time(self, index: int) -> datetime:
        return self.first_cue_at + self.cues[index].offset

    def wakeup(self) -> datetime:
        return self.cue_time(self.next_cue) if self.next_cue < len(self.cues) else self.ends_at

    def is_over(self, now: datetime) -> bool:
        return now >= self.ends_at

    def tick(self, now: datetime) -> list[Say]:
        """The cue due now, if any (late ones dropped). The caller checks ``is_over`` first."""
        said: list[Say] = []
        while self.next_cue < len(self.cues) and self.cue_time(self.next_cue) <= now:
            cue = self.cues[self.next_cue]
            self.next_cue += 1
            if now - self.cue_time(self.next_cue - 1) < cue.window:
                said = [cue.line]
        return said
