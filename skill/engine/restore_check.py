"""Field-by-field checks of a saved snapshot, before the engine is rebuilt from it.

A state file is data from disk: a hand edit, a bug of an older version or a
bad sector can put anything in it. Each field is checked on its own, so one
bad optional field (``"nudge_at": "soon"``) is dropped alone and the break
still comes back; a required field that is bad drops its part (the break, the
check-in), never the start. Booleans must be JSON booleans (``"false"`` is not
true). Times must be real, timezone-aware and within a sane span of ``now``,
then are clamped to the caps: a break never lasts longer than
``break.cap_minutes`` from its start, never starts in the future, and its
nudges lie inside it. The cleaned dicts are in the shape the engine's
``from_dict`` readers expect.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from skill.config import BreakSettings
from skill.engine.common import EngineStateError, minutes, time_from_json

log = logging.getLogger(__name__)

SANE_SPAN = timedelta(days=3660)  # times further than ten years from now are not Haven's


def checked_time(data: dict[str, Any], key: str, now: datetime, bounded: bool = True
                 ) -> datetime | None:
    """The time at ``key``, or None (logged) when it is missing or unusable; ``bounded``:
    also when it is further from now than ``SANE_SPAN`` (an end time is clamped instead)."""
    try:
        when = time_from_json(data.get(key))
        if bounded and when is not None and abs(when - now) > SANE_SPAN:
            raise EngineStateError(f"{key} {data.get(key)!r} is more than ten years from now")
    except (EngineStateError, OverflowError) as exc:
        log.warning("saved %s dropped (%s)", key, exc)
        return None
    return when


def checked_int(data: dict[str, Any], key: str, low: int, high: int) -> int:
    value = data.get(key, low)
    if not isinstance(value, int) or isinstance(value, bool):
        log.warning("saved %s dropped (expected an integer, got %r)", key, value)
        return low
    return min(max(value, low), high)


def checked_bool(data: dict[str, Any], key: str) -> bool:
    value = data.get(key, False)
    if not isinstance(value, bool):
        log.warning("saved %s dropped (expected true or false, got %r)", key, value)
        return False
    return value


def _json(when: datetime | None) -> str | None:
    return when.isoformat() if when is not None else None


def clean_break(data: Any, now: datetime, s: BreakSettings) -> dict[str, Any]:
    """A break dict ``BreakTimer.from_dict`` can read; EngineStateError if the break is lost."""
    if not isinstance(data, dict):
        raise EngineStateError("break must be an object")
    started, ends = checked_time(data, "started_at", now), checked_time(data, "ends_at", now, bounded=False)
    if started is None or ends is None or ends < started:
        raise EngineStateError("break needs started_at <= ends_at")
    if started > now:
        log.warning("saved break starts in the future; counting it from now")
        ends, started = now + min(ends - started, minutes(s.cap_minutes)), now
    if ends - started > minutes(s.cap_minutes):
        log.warning("saved break is longer than break.cap_minutes; shortened to the cap")
        ends = started + minutes(s.cap_minutes)
    inside = [checked_time(data, key, now) for key in ("nudge_at", "heads_up_at")]
    inside = [t if t is not None and started <= t <= ends else None for t in inside]
    window = minutes(s.reprompt_every_minutes * (s.reprompt_times + 1))
    next_prompt = checked_time(data, "next_prompt_at", now)
    if next_prompt is not None and not ends <= next_prompt <= ends + window:
        next_prompt = None
    return {
        "started_at": _json(started),
        "ends_at": _json(ends),
        "nudge_at": _json(inside[0]),
        "heads_up_at": _json(inside[1]),
        "returning": checked_bool(data, "returning"),
        "reprompts_given": checked_int(data, "reprompts_given", 0, s.reprompt_times),
        "next_prompt_at": _json(next_prompt),
    }


def clean_checkin(data: Any, now: datetime) -> Any:
    """The check-in dict with each optional time checked on its own (the rest is the deck's)."""
    if not isinstance(data, dict):
        return data
    cleaned = dict(data)
    for key in ("last_activity", "cue_at", "waiting_until", "paused_at"):
        cleaned[key] = _json(checked_time(data, key, now))
    return cleaned
