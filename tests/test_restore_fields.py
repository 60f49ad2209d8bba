"""A saved state checked field by field: one bad field is dropped alone, times are clamped."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from engine_kit import Timeline, at, ids, mmss, shipped_decks

from skill.config import Settings
from skill.engine import State
from skill.engine.persist import engine_from_dict, engine_to_dict


def saved_break(minutes_in: int = 0) -> dict[str, Any]:
    run = Timeline()
    run.hear(0, "break.start")
    run.run_until(mmss(minutes_in))
    data: dict[str, Any] = json.loads(json.dumps(engine_to_dict(run.engine)))
    return data


def restored(data: Any, seconds: float) -> tuple[Timeline, list[str]]:
    engine, lines = engine_from_dict(data, at(seconds), Settings(), shipped_decks())
    return Timeline(engine=engine, start=seconds), ids(lines)


def test_a_malformed_optional_time_is_dropped_alone() -> None:
    data = saved_break()
    data["break"]["nudge_at"] = "soon"
    after, lines = restored(data, mmss(2))
    assert lines == ["break.continues"] and after.state is State.BREAK
    after.run_until(mmss(20))
    assert after.times_of("break.nudge") == []  # the bad nudge is gone ...
    assert after.times_of("break.heads_up") == [mmss(15)]  # ... the rest of the break is not
    assert after.times_of("break.return") == [mmss(20)]


@pytest.mark.parametrize("value", ["false", "true", 1, None, []])
def test_returning_must_be_a_real_boolean(value: object) -> None:
    data = saved_break()
    data["break"]["returning"] = value
    after, lines = restored(data, mmss(2))
    assert lines == ["break.continues"]  # not "the break is over", 18 minutes early
    after.run_until(mmss(20) - 1)
    assert after.times_of("break.return") == [] and after.state is State.BREAK
    after.run_until(mmss(20))
    assert after.times_of("break.return") == [mmss(20)]


@pytest.mark.parametrize("ends_at", ["2036-01-06T20:00:00+00:00", "9999-12-31T23:59:59+00:00"])
def test_a_break_past_the_cap_is_clamped_to_it(ends_at: str) -> None:
    data = saved_break()
    data["break"]["ends_at"] = ends_at
    data["break"]["heads_up_at"] = data["break"]["nudge_at"] = None
    after, lines = restored(data, mmss(1))
    cap = Settings().break_.cap_minutes
    assert lines == ["break.continues"]
    assert after.engine.brk is not None and after.engine.brk.ends_at == at(0) + timedelta(minutes=cap)
    after.run_out()
    assert after.times_of("break.return_final") == [cap * 60]  # at the cap: no "more time" offered


def test_a_break_saved_in_the_future_counts_from_now() -> None:
    data = saved_break()
    data["break"]["started_at"] = at(mmss(600)).isoformat()
    data["break"]["ends_at"] = at(mmss(620)).isoformat()
    after, lines = restored(data, mmss(1))
    assert lines == ["break.continues"]
    after.run_out()
    assert after.times_of("break.return") == [mmss(21)]


@pytest.mark.parametrize("field, value", [
    ("reprompts_given", 10**30), ("reprompts_given", "3"), ("next_prompt_at", "0001-01-01T00:00:00+05:00"),
    ("heads_up_at", 12), ("started_at_extra", {"deep": [1, 2]}),
])
def test_odd_values_never_crash_a_restore(field: str, value: object) -> None:
    data = saved_break()
    data["break"][field] = value
    after, lines = restored(data, mmss(25))  # the return time passed while down
    assert lines == ["break.return_missed"] and after.state is State.BREAK_RETURN
    after.run_out()
    assert after.ids()[-1] == "break.last_call"


def test_a_bad_counter_leaves_the_break_alone() -> None:
    data = saved_break()
    data["last_break_over"] = "yesterday"
    data["rotation"] = "all of them"
    after, lines = restored(data, mmss(2))
    assert lines == ["break.continues"] and after.state is State.BREAK


def test_a_bad_required_time_drops_only_the_break() -> None:
    data = saved_break()
    data["break"]["started_at"] = "10 minutes ago"
    after, lines = restored(data, mmss(2))
    assert lines == [] and after.state is State.IDLE
    after.hear(mmss(3), "break.start")
    assert after.state is State.BREAK
