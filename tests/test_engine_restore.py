"""Surviving a restart: the break keeps its time, a missed return is announced."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from engine_kit import Timeline, at, ids, mmss, param, shipped_decks

from skill.config import Settings
from skill.engine import Engine, State
from skill.engine.persist import engine_from_dict, engine_to_dict


def snapshot(run: Timeline) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(json.dumps(engine_to_dict(run.engine)))
    return data


def restore(data: Any, seconds: float) -> tuple[Timeline, list[str]]:
    engine, lines = engine_from_dict(data, at(seconds), Settings(), shipped_decks())
    return Timeline(engine=engine, start=seconds), ids(lines)


def test_restart_mid_break_continues_with_the_right_time_left() -> None:
    run = Timeline()
    run.hear(0, "break.start")
    run.run_until(mmss(5))
    engine, lines = engine_from_dict(snapshot(run), at(mmss(7)), Settings(), shipped_decks())
    assert ids(lines) == ["break.continues"]
    assert param(lines, "break.continues", "duration") == timedelta(minutes=13)
    assert engine.state is State.BREAK
    after = Timeline(engine=engine, start=mmss(7))
    assert param(after.hear(mmss(8), "break.status"), "break.status", "duration") == timedelta(minutes=12)
    after.run_until(mmss(20))
    assert after.times_of("break.nudge") == [mmss(10)]
    assert after.times_of("break.return") == [mmss(20)]


def test_lines_missed_while_down_are_not_said_late() -> None:
    run = Timeline()
    run.hear(0, "break.start")
    after, lines = restore(snapshot(run), mmss(16))
    after.run_until(mmss(20))
    assert after.ids() == ["break.return"]


def test_a_return_time_that_passed_while_down_is_announced() -> None:
    run = Timeline()
    run.hear(0, "break.start")
    run.run_until(mmss(12))
    engine, lines = engine_from_dict(snapshot(run), at(mmss(24)), Settings(), shipped_decks())
    assert ids(lines) == ["break.return_missed"]
    assert param(lines, "break.return_missed", "time") == at(mmss(20))
    assert engine.state is State.BREAK_RETURN
    after = Timeline(engine=engine, start=mmss(24))
    after.run_out()
    assert after.times_of("break.reprompt") == [mmss(27), mmss(30), mmss(33)]
    assert after.said[-1].line == "break.last_call"


def test_restart_during_return_prompts_keeps_prompting_and_resume_works() -> None:
    run = Timeline()
    run.hear(0, "break.start")
    run.run_until(mmss(24))
    after, lines = restore(snapshot(run), mmss(25))
    assert lines == ["break.return_missed"]
    assert ids(after.hear(mmss(26), "break.resume"))[0] == "resume.guide"


def test_a_break_that_ended_hours_ago_is_mentioned_once_then_idle() -> None:
    run = Timeline()
    run.hear(0, "break.start")
    after, lines = restore(snapshot(run), 5 * 3600)
    assert lines == ["break.missed_long_ago"]
    assert after.state is State.IDLE
    after.run_out()
    assert after.ids() == []


def test_a_break_from_days_ago_is_forgotten() -> None:
    run = Timeline()
    run.hear(0, "break.start")
    after, lines = restore(snapshot(run), 3 * 24 * 3600)
    assert lines == []
    assert after.state is State.IDLE


def test_restart_mid_check_in_picks_up_at_the_same_question() -> None:
    run = Timeline()
    run.hear(0, "checkin.start")
    current = run.hear(20, "checkin.next")[-1].params["text"]
    engine, lines = engine_from_dict(snapshot(run), at(60), Settings(), shipped_decks())
    assert ids(lines) == ["checkin.restored", "checkin.question"]
    assert lines[-1].params["text"] == current
    after = Timeline(engine=engine, start=60)
    assert ids(after.hear(70, "checkin.next")) == ["checkin.section", "checkin.question"]
    assert ids(after.hear(80, "checkin.next")) == ["checkin.closing"]


def test_a_stale_check_in_is_not_resumed_but_its_rotation_is_kept() -> None:
    run = Timeline()
    first = run.hear(0, "checkin.start")[-1].params["text"]
    after, lines = restore(snapshot(run), 2 * 3600)
    assert lines == [] and after.state is State.IDLE
    assert after.hear(2 * 3600, "checkin.start")[-1].params["text"] != first


def test_counters_survive_so_the_first_speaker_keeps_alternating() -> None:
    run = Timeline()
    run.hear(0, "break.start")
    run.hear(60, "break.end")
    run.hear(70, "break.confirm")
    after, _ = restore(snapshot(run), 3600)
    after.hear(3600, "break.start")
    after.hear(3660, "break.end")
    assert ids(after.hear(3670, "break.confirm"))[1] == "resume.first_later"


def test_the_snapshot_holds_no_text_of_any_kind() -> None:
    run = Timeline()
    run.hear(0, "checkin.start")
    run.hear(10, "checkin.next")
    text = json.dumps(engine_to_dict(run.engine))
    for deck in shipped_decks().values():
        for section in deck.sections:
            for q in section.questions:
                assert q.text not in text


@pytest.mark.parametrize(
    "data",
    [
        None,
        {},
        [],
        "garbage",
        {"version": 99, "state": "break"},
        {"version": 1, "break": {"started_at": "yesterday", "ends_at": None}},
        {"version": 1, "break": {"started_at": "2025-01-06T20:00:00", "ends_at": "2025-01-06T20:20:00"}},
        {"version": 1, "checkin": {"deck": "gone", "plan": [], "index": 0}},
        {"version": 1, "checkin": {"deck": "daily", "plan": [["questions", "nope"]], "index": 0}},
        {"version": 1, "rotation": "x", "breaks_resumed": "two"},
    ],
)
def test_broken_snapshots_start_fresh_without_raising(data: Any) -> None:
    after, lines = restore(data, 0)
    assert lines == []
    assert after.state is State.IDLE
    assert ids(after.hear(1, "break.start"))[0] == "break.started"


def test_a_broken_break_keeps_the_good_counters() -> None:
    data = {"version": 1, "later_speaks_first": True, "break": {"started_at": "bad"}}
    after, _ = restore(data, 0)
    after.hear(0, "break.start")
    after.hear(60, "break.end")
    assert ids(after.hear(70, "break.confirm"))[1] == "resume.first_later"


def test_who_answers_first_is_a_bit_and_an_older_count_gives_its_parity() -> None:
    run = Timeline()
    run.hear(0, "checkin.start")
    data = engine_to_dict(run.engine)
    assert data["later_answers_first"] is True and "checkins_started" not in data
    old = {**data, "checkin": None, "checkins_started": 3}
    del old["later_answers_first"]
    engine, _ = engine_from_dict(old, at(60), Settings(), shipped_decks())
    assert engine.later_answers_first is True
    engine, _ = engine_from_dict({**old, "checkins_started": 4}, at(60), Settings(), shipped_decks())
    assert engine.later_answers_first is False
