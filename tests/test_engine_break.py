"""The pause-and-return, driven directly through the pure engine."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

import pytest
from engine_kit import Timeline, at, ids, mmss, param

from skill.config import MAX_CAP_MINUTES, BreakSettings, Settings
from skill.engine import State


def with_break(**changes: object) -> Settings:
    return dataclasses.replace(Settings(), break_=dataclasses.replace(BreakSettings(), **changes))


def test_default_break_acknowledges_with_length_and_return_time() -> None:
    run = Timeline()
    lines = run.hear(0, "break.start")
    assert ids(lines) == ["break.started", "break.offer_breathing"]
    assert param(lines, "break.started", "duration") == timedelta(minutes=20)
    assert param(lines, "break.started", "time") == at(mmss(20))
    assert run.state is State.BREAK


def test_breathing_offer_can_be_turned_off() -> None:
    run = Timeline(with_break(offer_breathing=False))
    assert ids(run.hear(0, "break.start")) == ["break.started"]


def test_status_at_five_minutes_says_fifteen_left() -> None:
    run = Timeline()
    run.hear(0, "break.start")
    lines = run.hear(mmss(5), "break.status")
    assert ids(lines) == ["break.status"]
    assert param(lines, "break.status", "duration") == timedelta(minutes=15)
    assert param(lines, "break.status", "time") == at(mmss(20))


def test_default_timeline_nudge_heads_up_return() -> None:
    run = Timeline()
    run.hear(0, "break.start")
    run.run_until(mmss(20))
    assert run.times_of("break.nudge") == [mmss(10)]
    assert run.times_of("break.heads_up") == [mmss(15)]
    assert run.last("break.heads_up").params["duration"] == timedelta(minutes=5)
    assert run.times_of("break.return") == [mmss(20)]
    assert run.state is State.BREAK_RETURN


def test_resume_gives_guide_then_quiet() -> None:
    run = Timeline()
    run.hear(0, "break.start")
    run.run_until(mmss(21))
    lines = run.hear(mmss(21), "break.resume")
    assert ids(lines) == ["resume.guide", "resume.first_earlier"]
    assert run.state is State.IDLE
    assert run.engine.next_wakeup() is None
    run.run_out()
    assert run.ids(start=mmss(21, 1)) == []


def test_early_return_during_the_break_asks_both_then_is_welcome() -> None:
    run = Timeline()
    run.hear(0, "break.start")
    assert ids(run.hear(mmss(12), "break.resume")) == ["break.confirm_end"]
    assert ids(run.hear(mmss(12, 10), "break.confirm"))[0] == "resume.guide"
    run.run_out()
    assert run.ids(start=mmss(12, 11)) == []


def test_thirty_minutes_extended_by_ten_returns_at_forty_not_thirty() -> None:
    run = Timeline()
    run.hear(0, "break.start", minutes=30)
    lines = run.hear(mmss(26), "break.extend")
    assert ids(lines) == ["break.extended"]
    assert param(lines, "break.extended", "added") == timedelta(minutes=10)
    assert param(lines, "break.extended", "time") == at(mmss(40))
    run.run_until(mmss(41))
    assert run.times_of("break.return") == [mmss(40)]
    assert run.times_of("break.heads_up") == [mmss(25), mmss(35)]


def test_extend_after_heads_up_rearms_it_for_the_new_end() -> None:
    run = Timeline()
    run.hear(0, "break.start")
    run.hear(mmss(16), "break.extend", minutes=15)  # more than the set amount: 10 is given
    run.run_until(mmss(36))
    assert run.times_of("break.heads_up") == [mmss(15), mmss(25)]
    assert run.times_of("break.return") == [mmss(30)]


def test_nobody_returns_prompts_three_more_times_then_last_line_then_idle() -> None:
    run = Timeline()
    run.hear(0, "break.start")
    run.run_out()
    assert run.times_of("break.return") == [mmss(20)]
    assert run.times_of("break.reprompt") == [mmss(23), mmss(26), mmss(29)]
    assert run.times_of("break.last_call") == [mmss(32)]
    assert run.said[-1].line == "break.last_call"
    assert run.state is State.IDLE
    assert run.engine.next_wakeup() is None


def test_reprompts_follow_settings() -> None:
    run = Timeline(with_break(reprompt_times=0, reprompt_every_minutes=5))
    run.hear(0, "break.start")
    run.run_out()
    assert run.ids(start=mmss(20)) == ["break.return", "break.last_call"]
    assert run.times_of("break.last_call") == [mmss(25)]


@pytest.mark.parametrize(("asked", "used"), [(200, 120), (121, 120), (2, 5), (0, 5)])
def test_out_of_range_minutes_say_the_range_and_use_the_nearest(asked: int, used: int) -> None:
    run = Timeline()
    lines = run.hear(0, "break.start", minutes=asked)
    assert ids(lines)[:2] == ["break.out_of_range", "break.started"]
    assert param(lines, "break.out_of_range", "low") == 5
    assert param(lines, "break.out_of_range", "high") == 120
    assert param(lines, "break.started", "duration") == timedelta(minutes=used)


def test_in_range_minutes_need_no_range_line() -> None:
    run = Timeline()
    assert ids(run.hear(0, "break.start", minutes=45))[0] == "break.started"


def test_minutes_given_as_text_digits_are_accepted() -> None:
    run = Timeline()
    lines = run.hear(0, "break.start", minutes="25")
    assert param(lines, "break.started", "duration") == timedelta(minutes=25)


def test_extend_stops_at_the_two_hour_cap() -> None:
    run = Timeline()
    run.hear(0, "break.start", minutes=115)
    lines = run.hear(mmss(111), "break.extend", minutes=30)
    assert ids(lines) == ["break.extended_to_limit"]
    assert param(lines, "break.extended_to_limit", "added") == timedelta(minutes=5)
    assert param(lines, "break.extended_to_limit", "time") == at(mmss(120))
    lines = run.hear(mmss(112), "break.extend")
    assert ids(lines) == ["break.at_limit"]
    assert param(lines, "break.at_limit", "time") == at(mmss(120))
    run.run_until(mmss(121))
    assert run.times_of("break.return_final") == [mmss(120)]  # no "ask for more time" now


def test_at_the_cap_during_return_prompts_it_says_so_and_keeps_prompting() -> None:
    run = Timeline()
    run.hear(0, "break.start", minutes=120)
    run.run_until(mmss(121))
    assert ids(run.hear(mmss(121), "break.extend")) == ["break.limit_reached"]
    assert run.state is State.BREAK_RETURN
    run.run_out()
    assert run.said[-1].line == "break.last_call"


def test_many_extensions_never_pass_the_cap() -> None:
    run = Timeline()
    run.hear(0, "break.start")
    for minute in range(1, 126):
        run.hear(mmss(minute), "break.extend", minutes=60)
        assert run.engine.brk is not None
        assert run.engine.brk.ends_at <= at(mmss(120))
    assert run.engine.brk.ends_at == at(mmss(120))


def test_configurable_cap_limits_start_and_extend() -> None:
    run = Timeline(with_break(cap_minutes=30))
    lines = run.hear(0, "break.start", minutes=60)
    assert param(lines, "break.out_of_range", "high") == 30
    assert param(lines, "break.started", "duration") == timedelta(minutes=30)
    assert ids(run.hear(mmss(1), "break.extend")) == ["break.at_limit"]


def test_a_day_long_cap_is_allowed_but_never_more() -> None:
    assert BreakSettings(cap_minutes=MAX_CAP_MINUTES).validate() == []
    assert BreakSettings(cap_minutes=MAX_CAP_MINUTES + 1).validate() != []
    assert BreakSettings(day_limit_minutes=MAX_CAP_MINUTES + 1).validate() != []
    day = MAX_CAP_MINUTES
    run = Timeline(with_break(cap_minutes=day, day_limit_minutes=day, max_minutes=day,
                              extend_minutes=day))
    run.hear(0, "break.start", minutes=day - 10)
    for minute in range(day - 9, day - 6):
        run.hear(mmss(minute), "break.extend", minutes=MAX_CAP_MINUTES)
    assert run.engine.brk is not None
    assert run.engine.brk.ends_at - run.engine.brk.started_at == timedelta(hours=24)


def test_extend_during_return_prompts_counts_from_now() -> None:
    run = Timeline()
    run.hear(0, "break.start")
    run.run_until(mmss(22))
    lines = run.hear(mmss(22), "break.extend")
    assert param(lines, "break.extended", "time") == at(mmss(32))
    assert run.state is State.BREAK
    run.run_until(mmss(33))
    assert run.times_of("break.return") == [mmss(20), mmss(32)]
    assert run.times_of("break.heads_up") == [mmss(15), mmss(27)]


def test_break_start_at_return_time_is_more_time_on_the_same_break() -> None:
    run = Timeline()
    run.hear(0, "break.start", minutes=115)
    run.run_until(mmss(116))
    lines = run.hear(mmss(116), "break.start", minutes=20)
    assert ids(lines) == ["break.extended_to_limit"]
    assert param(lines, "break.extended_to_limit", "time") == at(mmss(120))


def test_break_start_during_a_break_says_it_is_already_on() -> None:
    run = Timeline()
    run.hear(0, "break.start")
    lines = run.hear(mmss(3), "break.start", minutes=40)
    assert ids(lines) == ["break.already"]
    assert param(lines, "break.already", "time") == at(mmss(20))
    assert param(lines, "break.already", "duration") == timedelta(minutes=17)


@pytest.mark.parametrize("length", [5, 9])
def test_no_heads_up_for_breaks_under_ten_minutes(length: int) -> None:
    run = Timeline()
    run.hear(0, "break.start", minutes=length)
    run.run_until(mmss(length))
    assert run.times_of("break.heads_up") == []
    assert run.times_of("break.nudge") == [length * 30]
    assert run.times_of("break.return") == [mmss(length)]


def test_ten_minute_break_gets_heads_up_and_an_earlier_nudge() -> None:
    run = Timeline()
    run.hear(0, "break.start", minutes=10)
    run.run_until(mmss(10))
    assert run.times_of("break.heads_up") == [mmss(5)]
    assert run.times_of("break.nudge") == [mmss(3)]


def test_nudge_can_be_turned_off() -> None:
    run = Timeline(with_break(mid_break_nudge=False))
    run.hear(0, "break.start")
    run.run_until(mmss(20))
    assert run.times_of("break.nudge") == []


def test_who_speaks_first_alternates_from_break_to_break() -> None:
    run = Timeline()
    firsts = []
    for n in range(3):
        start = n * 3600
        run.hear(start, "break.start")
        lines = run.hear(start + mmss(20), "break.resume")
        firsts.append(ids(lines)[1])
    assert firsts == ["resume.first_earlier", "resume.first_later", "resume.first_earlier"]


def test_stop_keeps_the_break_with_one_short_line() -> None:
    run = Timeline()
    run.hear(0, "break.start")
    lines = run.hear(mmss(2), "stop")
    assert ids(lines) == ["break.stop_kept"]
    assert param(lines, "break.stop_kept", "time") == at(mmss(20))
    assert run.state is State.BREAK
    run.run_until(mmss(20))
    assert run.times_of("break.return") == [mmss(20)]


def test_stop_with_nothing_running_stays_quiet() -> None:
    assert Timeline().hear(0, "stop") == []


def test_resume_soon_after_the_last_reminder_still_gets_the_guide() -> None:
    run = Timeline()
    run.hear(0, "break.start")
    run.run_until(mmss(40))  # the last reminder was at 32:00
    assert run.state is State.IDLE
    assert ids(run.hear(mmss(40), "break.resume"))[0] == "resume.guide"
    assert ids(run.hear(mmss(41), "break.resume")) == []  # out of context: nothing to come back from


@pytest.mark.parametrize("intent", ["break.status", "break.extend", "break.resume"])
def test_break_commands_without_a_break_are_not_listened_for(intent: str) -> None:
    run = Timeline()
    assert intent not in run.engine.listening_for()
    assert ids(run.hear(0, intent)) == []
    assert run.state is State.IDLE


def test_status_during_return_prompts() -> None:
    run = Timeline()
    run.hear(0, "break.start")
    run.run_until(mmss(21))
    assert ids(run.hear(mmss(21), "break.status")) == ["break.status_due"]
