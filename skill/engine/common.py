"""Shared pieces of the engine: the state enum, line helper and time codecs."""

from __future__ import annotations

import enum
from datetime import datetime, timedelta
from typing import Any

from skill.engine.catalog import LINE_PARAMS
from skill.messages import Say


class State(enum.Enum):
    """What the device is doing. Breathing is a sub-activity, not a state."""

    IDLE = "idle"
    BREAK = "break"  # the break timer runs
    BREAK_RETURN = "break_return"  # the return time has come; prompting to come back
    CHECKIN = "checkin"
    CHECKIN_OPENING = "checkin_opening"  # "is now a good time for both of you?": waiting for a yes
    CHECKIN_PAUSED = "checkin_paused"  # a check-in held until "let's continue the check-in"


class EngineStateError(ValueError):
    """A saved snapshot that cannot be restored (the caller starts fresh)."""


def say(line_id: str, **params: object) -> Say:
    """A Say action; the id must be in the catalogue so lines.yaml can be checked."""
    if line_id not in LINE_PARAMS:
        raise KeyError(f"line id {line_id!r} is not in skill.engine.catalog.LINE_PARAMS")
    return Say(line_id, params)


def minutes(n: int) -> timedelta:
    return timedelta(minutes=n)


def time_to_json(when: datetime | None) -> str | None:
    return when.isoformat() if when is not None else None


def time_from_json(value: Any) -> datetime | None:
    """Parse an aware ISO time; None stays None; anything else is an EngineStateError."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise EngineStateError(f"expected an ISO time, got {value!r}")
    try:
        when = datetime.fromisoformat(value)
    except ValueError:
        raise EngineStateError(f"expected an ISO time, got {value!r}") from None
    if when.tzinfo is None:
        raise EngineStateError(f"time {value!r} has no timezone")
    return when


def require_aware(now: datetime) -> None:
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("the engine needs timezone-aware datetimes")


def int_field(data: Any, key: str, default: int = 0) -> int:
    value = data.get(key, default) if isinstance(data, dict) else default
    if not isinstance(value, int) or isinstance(value, bool):
        raise EngineStateError(f"{key} must be an integer, got {value!r}")
    return value
