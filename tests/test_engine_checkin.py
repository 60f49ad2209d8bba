"""The check-in: navigation, end of deck, turn prompts and rotation across sessions."""

from __future__ import annotations

import dataclasses
import json

import pytest
from engine_kit import Timeline, at, ids, mmss, shipped_decks

from skill.config import CheckinSettings, Settings
from skill.decks import deck_from_yaml
from skill.engine import Engine, State
from skill.engine.persist import engine_from_dict, engine_to_dict
from skill.messages import Say

SMALL = deck_from_yaml(
    "title: small deck\nask: 2\nquestions:\n"
    + "".join(f"  - {q}?\n" for q in ("One", "Two", "Three", "Four", "Five")),
    "daily",
)


def with_checkin(**changes: object) -> Settings:
    return dataclasses.replace(Settings(), checkin=dataclasses.replace(CheckinSettings(), **changes))


def question(lines: list[Say]) -> str:
    texts = [str(line.params["text"]) for line in lines if line.line_id == "checkin.question"]
    assert len(texts) == 1, lines
    return texts[0]


def test_start_reads_intro_turns_and_first_question() -> None:
    run = Timeline()
    lines = run.hear(0, "checkin.start")
    assert ids(lines) == ["checkin.intro", "checkin.turns_earlier", "checkin.question"]
    assert lines[0].params == {"title": "daily check-in", "count": 3}
    assert run.state is State.CHECKIN


def test_next_repeat_skip_previous_stop() -> None:
    run = Timeline()
    first = question(run.hear(0, "checkin.start"))
    second = question(run.hear(30, "checkin.next"))
    assert second != first
    assert question(run.hear(40, "checkin.repeat")) == second
    skip = run.hear(50, "checkin.skip")
    assert ids(skip)[0] == "checkin.skipped"
    third = question(skip)
    assert third not in (first, second)
    assert question(run.hear(60, "checkin.previous")) == second
    assert ids(run.hear(70, "stop")) == ["checkin.stopped"]
    run.run_out()
    assert run.ids(start=70.5) == []
    assert run.state is State.IDLE


def test_previous_at_the_first_question_says_so_and_repeats_it() -> None:
    run = Timeline()
    first = question(run.hear(0, "checkin.start"))
    lines = run.hear(5, "checkin.previous")
    assert ids(lines) == ["checkin.first", "checkin.question"]
    assert question(lines) == first


def test_end_of_deck_gives_a_closing_line_then_idle() -> None:
    run = Timeline()
    run.hear(0, "checkin.start")
    run.hear(10, "checkin.next")
    run.hear(20, "checkin.next")
    assert ids(run.hear(30, "checkin.next")) == ["checkin.closing"]
    assert run.state is State.IDLE
    assert run.engine.next_wakeup() is None


def test_skip_on_the_last_question_also_closes() -> None:
    run = Timeline()
    run.hear(0, "checkin.start")
    run.hear(10, "checkin.next")
    run.hear(20, "checkin.next")
    assert ids(run.hear(30, "checkin.skip")) == ["checkin.skipped", "checkin.closing"]


def all_questions_asked(engine: Engine, sessions: int, start: float = 0) -> list[list[str]]:
    run = Timeline(engine=engine, start=start)
    asked = []
    for n in range(sessions):
        t = start + n * 3600
        texts = [question(run.hear(t, "checkin.start"))]
        for step in range(1, 10):
            lines = run.hear(t + step * 10, "checkin.next")
            if ids(lines) == ["checkin.closing"]:
                break
            texts.append(question(lines))
        asked.append(texts)
    return asked


def test_daily_questions_do_not_repeat_until_the_deck_is_used_up() -> None:
    engine = Engine(Settings(), shipped_decks())
    total = len(shipped_decks()["daily"].sections[0].questions)
    sessions = all_questions_asked(engine, total // 3 + 1)
    flat = [q for s in sessions for q in s]
    assert len(set(flat[:total])) == total
    assert flat[total] == flat[0]  # a new cycle starts with the longest-unasked question


def test_rotation_survives_a_restart_between_sessions() -> None:
    decks = shipped_decks()
    engine = Engine(Settings(), decks)
    first = all_questions_asked(engine, 1)[0]
    snapshot = json.loads(json.dumps(engine_to_dict(engine)))
    restored, lines = engine_from_dict(snapshot, at(7200), Settings(), decks)
    assert lines == []
    second = all_questions_asked(restored, 1, start=7200)[0]
    assert not set(first) & set(second)


def test_a_stopped_session_leaves_its_unread_questions_for_next_time() -> None:
    engine = Engine(Settings(), {"daily": SMALL})
    run = Timeline(engine=engine)
    assert question(run.hear(0, "checkin.start")) == "One?"
    run.hear(10, "stop")
    lines = run.hear(100, "checkin.start")
    assert question(lines) == "Two?"
    assert question(run.hear(110, "checkin.next")) == "Three?"


def test_rotation_wraps_with_the_oldest_questions_first() -> None:
    engine = Engine(Settings(), {"daily": SMALL})
    sessions = all_questions_asked(engine, 4)
    assert sessions == [["One?", "Two?"], ["Three?", "Four?"], ["Five?", "One?"], ["Two?", "Three?"]]


def test_weekly_deck_keeps_section_order_and_rotates_within_sections() -> None:
    engine = Engine(Settings(), shipped_decks())
    run = Timeline(engine=engine)
    weekly = shipped_decks()["weekly"]
    firsts = []
    for n in range(5):
        t = n * 3600
        lines = run.hear(t, "checkin.start", deck="weekly")
        assert lines[0].params["title"] == "weekly State of the Union"
        titles = [str(line.params["title"]) for line in lines if line.line_id == "checkin.section"]
        firsts.append(question(lines))
        for step in range(1, 5):
            titles += [
                str(x.params["title"])
                for x in run.hear(t + step * 10, "checkin.next")
                if x.line_id == "checkin.section"
            ]
        assert titles == [s.title for s in weekly.sections]
        assert ids(run.hear(t + 60, "checkin.next")) == ["checkin.closing"]
    appreciations = [q.text for q in weekly.sections[0].questions]
    assert firsts[:4] == appreciations
    assert firsts[4] == appreciations[0]


def test_an_unknown_deck_slot_falls_back_to_the_configured_deck() -> None:
    run = Timeline()
    lines = run.hear(0, "checkin.start", deck="monthly")
    assert lines[0].params["title"] == "daily check-in"


def test_turn_prompts_switch_then_hint_to_move_on() -> None:
    run = Timeline()
    run.hear(0, "checkin.start")
    run.run_out()
    assert run.times_of("turn.switch") == [180]
    assert run.times_of("turn.done") == [360]
    assert run.engine.next_wakeup() is None


def test_turn_prompts_restart_with_each_question_and_follow_settings() -> None:
    run = Timeline(with_checkin(switch_after_seconds=60))
    run.hear(0, "checkin.start")
    run.hear(50, "checkin.next")
    run.run_until(200)
    assert run.times_of("turn.switch") == [110]
    assert run.times_of("turn.done") == [170]


def test_turn_prompts_can_be_turned_off() -> None:
    run = Timeline(with_checkin(turn_prompts=False))
    assert ids(run.hear(0, "checkin.start")) == ["checkin.intro", "checkin.question"]
    assert run.engine.next_wakeup() is None


def test_who_answers_first_alternates_between_sessions() -> None:
    run = Timeline()
    seen = []
    for n in range(3):
        seen.append(ids(run.hear(n * 3600, "checkin.start"))[1])
        run.hear(n * 3600 + 10, "stop")
    assert seen == ["checkin.turns_earlier", "checkin.turns_later", "checkin.turns_earlier"]


@pytest.mark.parametrize("intent", ["checkin.next", "checkin.repeat", "checkin.skip", "checkin.previous"])
def test_check_in_commands_without_a_check_in_are_not_listened_for(intent: str) -> None:
    run = Timeline()
    assert intent not in run.engine.listening_for()
    assert ids(run.hear(0, intent)) == []


def test_no_check_in_during_a_break() -> None:
    run = Timeline()
    run.hear(0, "break.start")
    assert ids(run.hear(10, "checkin.start")) == []  # not listened for during a break
    assert run.state is State.BREAK


def test_starting_twice_is_not_listened_for() -> None:
    run = Timeline()
    run.hear(0, "checkin.start")
    assert ids(run.hear(10, "checkin.start")) == []
    assert run.state is State.CHECKIN


def test_a_break_called_during_a_check_in_takes_over() -> None:
    run = Timeline()
    run.hear(0, "checkin.start")
    assert ids(run.hear(30, "break.start"))[0] == "break.started"
    assert run.state is State.BREAK
    assert run.engine.checkin is None


def test_a_check_in_left_alone_ends_quietly() -> None:
    run = Timeline()
    run.hear(0, "checkin.start")
    assert ids(run.hear(mmss(31), "checkin.next")) == []
    assert run.state is State.IDLE
