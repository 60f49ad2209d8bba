"""Snapshot and restore of the engine, for surviving a restart.

The snapshot holds only what resuming needs: a running break or check-in,
the deck rotation, who speaks first after the next break (one bit), whether
Haven is muted, and the start and end times of the last 24 hours' breaks (the
day limit cannot be reset by a restart). No counts and no history: nothing
that tells how often the couple argued, and never anything that was said.
Breathing is not saved: after a restart its rhythm is gone, and the break it
ran in continues on its own.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any, Mapping

from skill.engine.breaks import BreakTimer
from skill.engine.checkin import CheckinSession, Rotation
from skill.config import Settings
from skill.decks import Deck
from skill.engine.common import (
    EngineStateError,
    State,
    int_field,
    minutes,
    say,
)
from skill.engine.daylimit import BreakLog
from skill.engine.engine import Engine
from skill.engine.restore_check import clean_break, clean_checkin
from skill.messages import Say

log = logging.getLogger(__name__)

VERSION = 1
FORGET_AFTER = timedelta(hours=24)  # a break that ended longer ago than this is not mentioned


def engine_to_dict(engine: Engine) -> dict[str, Any]:
    return {
        "version": VERSION,
        "state": engine.state.value,
        "break": engine.brk.to_dict() if engine.brk is not None else None,
        "checkin": engine.checkin.to_dict() if engine.checkin is not None else None,
        "rotation": engine.rotation.to_dict(),
        "later_speaks_first": engine.later_speaks_first,
        "later_answers_first": engine.later_answers_first,
        "muted": engine.muted,
        "break_times": engine.break_log.to_list(),
    }


def engine_from_dict(
    data: Any, now: datetime, settings: Settings, decks: Mapping[str, Deck]
) -> tuple[Engine, list[Say]]:
    """A fresh engine given what of ``engine_to_dict``'s output can be restored, and the
    lines to announce (a return time missed while Haven was down)."""
    engine = Engine(settings, decks)
    return engine, restore_engine(engine, data, now)


def restore_engine(engine: Engine, data: Any, now: datetime) -> list[Say]:
    """Load what can be loaded (each part on its own), then announce what changed while down."""
    if not isinstance(data, dict) or data.get("version") != VERSION:
        if data is not None:
            log.warning("saved state has an unknown shape; starting fresh")
        return []
    _load_counters(engine, data, now)
    lines: list[Say] = []
    if data.get("break") is not None:
        lines += _restore_part("break", lambda: _restore_break(engine, data["break"], now))
    elif data.get("checkin") is not None:
        lines += _restore_part("check-in", lambda: _restore_checkin(engine, data["checkin"], now))
    return lines


def _restore_part(name: str, load: Any) -> list[Say]:
    try:
        result: list[Say] = load()
        return result
    except (EngineStateError, KeyError, TypeError, ValueError, OverflowError) as exc:
        log.warning("saved %s could not be restored (%s); dropping it", name, exc)
        return []


def _load_counters(engine: Engine, data: dict[str, Any], now: datetime) -> None:
    """Each counter on its own: one bad value is dropped alone."""
    try:
        engine.rotation = Rotation.from_dict(data.get("rotation", {}))
    except EngineStateError as exc:
        log.warning("saved deck rotation could not be restored (%s); starting it fresh", exc)
    engine.later_answers_first = _parity(data, "later_answers_first", "checkins_started")
    engine.later_speaks_first = data.get("later_speaks_first") is True
    engine.muted = data.get("muted") is True
    try:
        log_ = BreakLog.from_list(data.get("break_times"))
        log_.spans = [(a, b) for a, b in log_.spans if b <= now]  # none from the future
        log_.forget_old(now)
        engine.break_log = log_
    except EngineStateError as exc:
        log.warning("saved break times could not be restored (%s); dropping them", exc)


def _restore_break(engine: Engine, data: Any, now: datetime) -> list[Say]:
    s = engine.settings.break_
    brk = BreakTimer.from_dict(clean_break(data, now, s))
    if not brk.returning and now < brk.ends_at:
        # Lines that fell due while down are stale now: drop them quietly.
        if brk.heads_up_at is not None and brk.heads_up_at <= now:
            brk.heads_up_at = brk.nudge_at = None
        if brk.nudge_at is not None and brk.nudge_at <= now:
            brk.nudge_at = None
        engine.brk, engine.state = brk, State.BREAK
        continues = "break.continues_muted" if engine.muted else "break.continues"
        return [say(continues, duration=brk.ends_at - now, time=brk.ends_at)]
    overdue = now - brk.ends_at
    if overdue >= minutes(s.reprompt_every_minutes * (s.reprompt_times + 1)):
        engine.break_log.record(brk.started_at, brk.ends_at)  # it still counts for the day
        engine.break_log.forget_old(now)
    if overdue > FORGET_AFTER:
        return []
    prompting_window = minutes(s.reprompt_every_minutes * (s.reprompt_times + 1))
    if overdue >= prompting_window:
        engine.last_break_over = now
        return [say("break.missed_long_ago", time=brk.ends_at)]
    brk.returning = True
    brk.nudge_at = brk.heads_up_at = None
    brk.next_prompt_at = now + minutes(s.reprompt_every_minutes)
    engine.brk, engine.state = brk, State.BREAK_RETURN
    missed = "break.return_missed_muted" if engine.muted else "break.return_missed"
    return [say(missed, time=brk.ends_at)]


def _restore_checkin(engine: Engine, data: Any, now: datetime) -> list[Say]:
    session = CheckinSession.from_dict(clean_checkin(data, now), engine.decks)
    if session.is_stale(now) or session.waiting_until is not None:
        return []  # over, or an opening nobody said yes to: nothing to pick up
    engine.checkin, engine.state = session, session.state
    if session.paused_at is not None:
        return []  # still paused; "let's continue the check-in" picks it up
    return session.restored(now, engine.settings.checkin)


def _parity(data: dict[str, Any], key: str, old_count_key: str) -> bool:
    """Who goes first next: a saved bit, or the parity of an older snapshot's count (the count
    itself is no longer kept: it was a record of how often the couple did this)."""
    if key in data:
        return data[key] is True
    count = data.get(old_count_key)
    return isinstance(count, int) and not isinstance(count, bool) and count % 2 == 1
