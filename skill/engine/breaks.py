"""The pause-and-return: a break timer that always comes back, then stops by itself.

Timeline of a default 20-minute break started at 0:00: acknowledgement at
0:00, one nudge at 10:00, heads-up at 15:00, return prompt at 20:00, prompts
again at 23:00, 26:00 and 29:00, a last line at 32:00, then idle.

The break belongs to both partners, so nothing one voice says can cut it
short or stretch it without end: more time can be asked only near the end, from
the heads-up on, or in a break too short for one from its last half (it is for the
return, not for staying away), never past the break's cap or
the day limit (``limit_end``); ending early before ``end_early_after_minutes``
asks both once (``confirm_until``) and otherwise keeps the return time.
"""

from __future__ import annotations

import math
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
CONFIRM_WINDOW = timedelta(seconds=60)  # how long "are you both ready?" waits for an answer


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
    confirm_until: datetime | None = None  # "are you both ready to come back?" is open

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
        if self.confirm_until is not None:
            times.append(self.confirm_until)
        if not hold_minor:
            times += [t for t in (self.nudge_at, self.heads_up_at) if t is not None]
        return min(times)

    def tick(self, now: datetime, s: BreakSettings, hold_minor: bool, more: bool) -> list[Say]:
        """Lines due at ``now``: at most one per tick, stale minor lines dropped.

        ``more``: whether more time can still be given (the lines offer it only then).
        """
        if self.finished:
            return []
        if not self.returning and now >= self.ends_at:
            self.returning = True
            self.nudge_at = self.heads_up_at = self.confirm_until = None
            self.next_prompt_at = self.ends_at + minutes(s.reprompt_every_minutes)
            return [say("break.return" if more else "break.return_final")]
        if self.confirm_until is not None and now >= self.confirm_until:
            self.confirm_until = None
            return [say("break.kept", duration=self.ends_at - now, time=self.ends_at)]
        if hold_minor:
            return []
        if self.returning:
            return self._reprompt(now, s, more)
        if self.heads_up_at is not None and now >= self.heads_up_at:
            self.heads_up_at = self.nudge_at = None
            return [say("break.heads_up", duration=self.ends_at - now, time=self.ends_at)]
        if self.nudge_at is not None and now >= self.nudge_at:
            self.nudge_at = None
            return [say("break.nudge")]
        return []

    def _reprompt(self, now: datetime, s: BreakSettings, more: bool) -> list[Say]:
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
        return [say("break.reprompt" if more else "break.reprompt_final")]

    def status(self, now: datetime, more: bool) -> list[Say]:
        if self.returning:
            return [say("break.status_due" if more else "break.status_due_final")]
        return [say("break.status", duration=self.ends_at - now, time=self.ends_at)]

    # ---- more time, and its limits -------------------------------------------

    def limit_end(self, s: BreakSettings, day_room: timedelta) -> datetime:
        """The latest this break may run to: its cap, and what the day limit leaves.

        ``day_room`` is the day limit left over with this break counted to ``ends_at``.
        """
        return min(self.started_at + minutes(s.cap_minutes), self.ends_at + day_room)

    def can_extend(self, now: datetime, s: BreakSettings, day_room: timedelta) -> bool:
        base = now if self.returning else self.ends_at
        return self.limit_end(s, day_room) - base >= timedelta(minutes=1)

    def extend_from(self, s: BreakSettings) -> datetime:
        """More time can be asked from here on, only near the end, in every break: from the
        heads-up (even when it was already said); in a break too short for one, from its last
        half (from a whole minute, so the clock time said is right) or its last
        ``heads_up_minutes``, whichever is later."""
        length = self.ends_at - self.started_at
        before_end = self.ends_at - minutes(s.heads_up_minutes)
        if s.heads_up_minutes > 0 and length >= minutes(s.heads_up_min_break_minutes):
            return max(self.started_at, before_end)
        half = timedelta(minutes=math.ceil((length / 2).total_seconds() / 60))  # a whole minute
        return max(self.started_at + half, before_end)

    def extend(self, now: datetime, requested: int | None, s: BreakSettings,
               day_room: timedelta) -> list[Say]:
        """Add a set amount for the return (at most ``extend_minutes``), within the limits.

        Asked before the heads-up, nothing changes: the line says from when it can be
        asked. From the return prompt the time counts from now.
        """
        if not self.can_extend(now, s, day_room):
            return [say("break.at_limit", time=self.ends_at) if not self.returning
                    else say("break.limit_reached")]
        if not self.returning and now < self.extend_from(s):
            return [say("break.extend_later", time=self.extend_from(s), end=self.ends_at)]
        add = minutes(min(requested, s.extend_minutes) if requested else s.extend_minutes)
        base = now if self.returning else self.ends_at
        new_end = min(base + add, self.limit_end(s, day_room))
        self.ends_at = new_end
        self.returning = False
        self.reprompts_given = 0
        self.next_prompt_at = None
        self.confirm_until = None
        self._arm_heads_up(now, s)
        if new_end - base < add:
            return [say("break.extended_to_limit", added=new_end - base, time=new_end)]
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
        }  # confirm_until is not kept: a restart closes the question

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
