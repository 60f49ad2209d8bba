"""QA findings on the break, safety and mute lines: more time only near the end, nothing offered
that a muted Haven cannot hear, the help line's "repeat" ending with the next line, the day's
limit said as such."""

from __future__ import annotations

import dataclasses
import json
from datetime import timedelta
from typing import Any

from engine_kit import Timeline, at, ids, mmss, shipped_decks

from skill.config import BreakSettings, Settings
from skill.engine import State
from skill.engine.persist import engine_from_dict, engine_to_dict
from skill.lines import LineBook


def with_break(**changes: object) -> Settings:
    return dataclasses.replace(Settings(), break_=dataclasses.replace(BreakSettings(), **changes))


# ---- 1. more time only near the end, in every break --------------------------------

def test_a_five_minute_break_gives_more_time_only_in_its_last_half() -> None:
    run = Timeline()
    run.hear(0, "break.start", minutes=5)
    early = run.hear(mmss(1), "break.extend")
    assert ids(early) == ["break.extend_later"]  # was: "Okay, 10 minutes more." at 01:00
    assert early[0].params["time"] == at(mmss(3))  # the last half, from a whole minute
    assert run.engine.brk is not None and run.engine.brk.ends_at == at(mmss(5))
    assert ids(run.hear(mmss(2, 50), "break.extend")) == ["break.extend_later"]
    assert ids(run.hear(mmss(3), "break.extend")) == ["break.extended"]
    assert run.engine.brk.ends_at == at(mmss(15))


def test_a_short_break_with_a_short_heads_up_time_waits_for_the_later_of_the_two() -> None:
    run = Timeline(with_break(heads_up_minutes=2, min_minutes=1))
    run.hear(0, "break.start", minutes=8)  # no heads-up (under 10): last half 4:00, last 2 6:00
    assert run.engine.brk is not None
    assert run.engine.brk.extend_from(run.settings.break_) == at(mmss(6))
    run = Timeline()
    run.hear(0, "break.start", minutes=8)  # last half 4:00, last 5 minutes 3:00: from 4:00
    assert ids(run.hear(mmss(3, 30), "break.extend")) == ["break.extend_later"]
    assert ids(run.hear(mmss(4), "break.extend")) == ["break.extended"]


def test_the_refusal_names_the_time_from_which_more_time_is_then_given() -> None:
    run = Timeline()
    run.hear(0, "break.start", minutes=5)
    refused = run.hear(mmss(1), "break.extend")
    from_ = refused[0].params["time"]
    assert ids(run.hear((from_ - at(0)).total_seconds(), "break.extend")) == ["break.extended"]
    # Extended to 15 minutes, the heads-up (10:00) is now the time, and the refusal says it.
    again = run.hear(mmss(6), "break.extend")
    assert ids(again) == ["break.extend_later"] and again[0].params["time"] == at(mmss(10))
    assert ids(run.hear(mmss(10), "break.extend")) == ["break.extended"]


# ---- 2. muted: nothing offered that is not heard -----------------------------------

def test_muted_in_a_break_the_return_and_reminders_say_how_to_unmute() -> None:
    run = Timeline()
    run.hear(0, "break.start", minutes=20)
    run.hear(5, "mute")
    run.run_until(mmss(31))
    assert run.times_of("break.return_muted") == [mmss(20)]
    assert run.times_of("break.reprompt_muted") == [mmss(23), mmss(26), mmss(29)]
    assert "break.return" not in run.ids() and "break.reprompt" not in run.ids()
    run.hear(mmss(31), "unmute")
    run.run_until(mmss(40))
    assert "break.last_call" in run.ids(mmss(31))


def test_the_muted_lines_name_the_unmute_phrase_before_any_other_command() -> None:
    lines = LineBook.from_files().variants
    for line_id in ("break.return_muted", "break.reprompt_muted", "break.continues_muted",
                    "break.return_missed_muted", "mute.still"):
        for text in lines[line_id]:
            unmute = text.index("start listening")
            assert "we're back" not in text[:unmute] and "more time" not in text[:unmute], text


def test_muted_in_a_check_in_a_cue_that_asks_for_a_command_says_first_it_is_not_heard() -> None:
    run = Timeline()
    run.hear(0, "checkin.start")
    run.hear(15, "mute")
    run.run_until(mmss(30))
    said = run.ids(16)
    assert "turn.done" in said  # "Whenever you're both done, say next": not heard while muted
    assert said[said.index("turn.done") - 1] == "mute.still"


def test_unmuted_lines_are_unchanged() -> None:
    run = Timeline()
    run.hear(0, "break.start", minutes=20)
    run.run_until(mmss(23))
    assert run.times_of("break.return") == [mmss(20)] and "mute.still" not in run.ids()


# ---- 3. the help line's follow-up ends with the next request or line --------------

def test_repeat_after_a_check_in_has_started_repeats_the_question_not_the_number() -> None:
    run = Timeline()
    run.hear(0, "safety")
    run.hear(20, "checkin.start")
    if run.state is State.CHECKIN_OPENING:
        run.hear(25, "checkin.yes")
    said = run.hear(40, "checkin.repeat")
    assert "safety.repeat" not in ids(said)
    assert "checkin.question" in ids(said)


def test_repeat_right_after_the_number_still_gives_the_number() -> None:
    run = Timeline()
    run.hear(0, "checkin.start")
    if run.state is State.CHECKIN_OPENING:
        run.hear(5, "checkin.yes")
    run.hear(10, "safety")
    assert ids(run.hear(30, "checkin.repeat")) == ["safety.repeat"]
    assert ids(run.hear(40, "checkin.repeat")) == ["safety.repeat"]  # repeat again: the number


def test_a_line_said_after_the_number_ends_the_follow_up() -> None:
    run = Timeline()
    run.hear(0, "break.start", minutes=20)
    run.hear(mmss(14, 30), "safety")
    assert run.engine.safety_said_at is not None
    run.run_until(mmss(15))  # the heads-up is said
    assert run.times_of("break.heads_up") == [mmss(15)]
    assert run.engine.safety_said_at is None
    assert ids(run.hear(mmss(15, 10), "checkin.repeat")) == []  # no longer the number


# ---- 4. a restart while muted says it is still muted --------------------------------

def _restart(run: Timeline, seconds: float) -> list[str]:
    data: dict[str, Any] = json.loads(json.dumps(engine_to_dict(run.engine)))
    _, lines = engine_from_dict(data, at(seconds), Settings(), shipped_decks())
    return ids(lines)


def test_a_restart_while_muted_in_a_break_says_it_is_still_muted() -> None:
    run = Timeline()
    run.hear(0, "break.start", minutes=20)
    run.hear(5, "mute")
    assert _restart(run, mmss(7)) == ["break.continues_muted"]
    assert _restart(run, mmss(21)) == ["break.return_missed_muted"]
    run.hear(10, "unmute")
    assert _restart(run, mmss(7)) == ["break.continues"]


# ---- 6. a new break refused by the day limit says the day's limit ------------------

def test_a_new_break_at_the_return_time_refused_by_the_day_limit_says_the_limit() -> None:
    run = Timeline(with_break(day_limit_minutes=30))
    run.hear(0, "break.start", minutes=30)
    run.run_until(mmss(30))
    assert run.state is State.BREAK_RETURN
    said = run.hear(mmss(31), "break.start", minutes=120)
    assert ids(said) == ["break.day_limit"]
    assert said[0].params["limit"] == timedelta(minutes=30)
    assert ids(run.hear(mmss(32), "break.extend")) == ["break.limit_reached"]  # asked: the break's
