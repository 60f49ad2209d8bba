"""The pause-and-return: a break timer that always comes back, then stops by itself.

Timeline of a default 20-minute break started at 0:00: acknowledgement at
0:00, one nudge at 10:00, heads-up at 15:00, return prompt at 20:00, prompts
again at 23:00, 26:00 and 29:00, a last line at 32:00, then idle.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from skill.config import BreakSettings
from skill.engine.common import (
    EngineStateError,
    int_field,
    minutes,
    say,
    time_from_json,
    time_to_json,
)
from skill.messages import Say

NUDGE_GAP = timedelta(minutes=2)  # keep the nudge and the heads-up apart
NUDGE_EARLIEST = timedelta(minutes=1)


def clamp_break_minutes(requested: int | None, s: BreakSettings) -> tuple[int, list[Say]]:
    """The break length to use, and a line saying the range when it was out of range."""
    high = min(s.max_minutes, s.cap_minutes)
    low = min(s.min_minutes, high)
    if requested is None:
        return min(max(s.default_minutes, low), high), []
    used = min(max(requested, low), high)
    if used == requested:
        return used, []
    return used, [say("break.out_of_range", low=low, high=high, duration=minutes(used))]


@dataclass
class BreakTimer:
    """One break. ``returning`` once the return time has come; ``finished`` when over."""

    started_at: datetime
    ends_at: datetime
    nudge_at: datetime | None = None
    heads_up_at: datetime | None = None
    returning: bool = False
    reprompts_given: int = 0
    next_prompt_at: datetime | None = None
    finished: bool = False

    @classmethod
    def start(cls, now: datetime, length_minutes: int, s: BreakSettings) -> BreakTimer:
        timer = cls(started_at=now, ends_at=now + minutes(length_minutes))
        timer._arm_heads_up(now, s)
        if s.mid_break_nudge:
            timer._arm_nudge()
        return timer

    def _arm_heads_up(self, now: datetime, s: BreakSettings) -> None:
        long_enough = self.ends_at - self.started_at >= minutes(s.heads_up_min_break_minutes)
        at = self.ends_at - minutes(s.heads_up_minutes)
        self.heads_up_at = at if long_enough and s.heads_up_minutes > 0 and at > now else None

    def _arm_nudge(self) -> None:
        at = self.started_at + (self.ends_at - self.started_at) / 2
        if self.heads_up_at is not None:
            at = min(at, self.heads_up_at - NUDGE_GAP)
        self.nudge_at = at if at >= self.started_at + NUDGE_EARLIEST else None

    def wakeup(self, hold_minor: bool) -> datetime | None:
        """When a tick is next due. ``hold_minor``: breathing runs, so only the end counts."""
        if self.finished:
            return None
        if self.returning:
            return None if hold_minor else self.next_prompt_at
        times = [self.ends_at]
        if not hold_minor:
            times += [t for t in (self.nudge_at, self.heads_up_at) if t is not None]
        return min(times)

    def tick(self, now: datetime, s: BreakSettings, hold_minor: bool) -> list[Say]:
        """Lines due at ``now``: at most one per tick, stale minor lines dropped."""
        if self.finished:
            return []
        if not self.returning and now >= self.ends_at:
            self.returning = True
            self.nudge_at = self.heads_up_at = None
            self.next_prompt_at = self.ends_at + minutes(s.reprompt_every_minutes)
            return [say("break.return")]
        if hold_minor:
            return []
        if self.returning:
            return self._reprompt(now, s)
        if self.heads_up_at is not None and now >= self.heads_up_at:
            self.heads_up_at = self.nudge_at = None
            return [say("break.heads_up", duration=self.ends_at - now, time=self.ends_at)]
        if self.nudge_at is not None and now >= self.nudge_at:
            self.nudge_at = None
            return [say("break.nudge")]
        return []

    def _reprompt(self, now: datetime, s: BreakSettings) -> list[Say]:
        if self.next_prompt_at is None or now < self.next_prompt_at:
            return []
        if self.reprompts_given >= s.reprompt_times:
            self.finished = True
            return [say("break.last_call")]
        self.reprompts_given += 1
        every = minutes(s.reprompt_every_minutes)
        self.next_prompt_at += every
        if self.next_prompt_at <= now:  # we were late (a long line, a suspend): no burst
            self.next_prompt_at = now + every
        return [say("break.reprompt")]

    def status(self, now: datetime) -> list[Say]:
        if self.returning:
            return [say("break.status_due")]
        return [say("break.status", duration=self.ends_at - now, time=self.ends_at)]

    def extend(self, now: datetime, requested: int | None, s: BreakSettings) -> list[Say]:
        """Add time, never past the cap; from the return prompt, time counts from now."""
        cap = minutes(s.cap_minutes)
        add = minutes(max(1, min(requested, s.cap_minutes)) if requested else s.extend_minutes)
        base = now if self.returning else self.ends_at
        new_end = min(base + add, self.started_at + cap)
        if new_end <= base:
            return [say("break.at_cap", cap=cap)]
        self.ends_at = new_end
        self.returning = False
        self.reprompts_given = 0
        self.next_prompt_at = None
        self._arm_heads_up(now, s)
        if new_end - base < add:
            return [say("break.extended_to_cap", cap=cap, time=new_end)]
        return [say("break.extended", added=add, time=new_end)]

    def to_dict(self) -> dict[str, Any]:
        return {
            "started_at": time_to_json(self.started_at),
            "ends_at": time_to_json(self.ends_at),
            "nudge_at": time_to_json(self.nudge_at),
            "heads_up_at": time_to_json(self.heads_up_at),
            "returning": self.returning,
            "reprompts_given": self.reprompts_given,
            "next_prompt_at": time_to_json(self.next_prompt_at),
        }

    @classmethod
    def from_dict(cls, data: Any) -> BreakTimer:
        if not isinstance(data, dict):
            raise EngineStateError("break must be an object")
        started, ends = time_from_json(data.get("started_at")), time_from_json(data.get("ends_at"))
        if started is None or ends is None or ends < started:
            raise EngineStateError("break needs started_at <= ends_at")
        return cls(
            started_at=started,
            ends_at=ends,
            nudge_at=time_from_json(data.get("nudge_at")),
            heads_up_at=time_from_json(data.get("heads_up_at")),
            returning=bool(data.get("returning", False)),
            reprompts_given=int_field(data, "reprompts_given"),
            next_prompt_at=time_from_json(data.get("next_prompt_at")),
        )
