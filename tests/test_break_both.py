"""Issue 17, "the break belongs to both of you": heated breaks on the simulated clock.

Each test replays one of the issue's numbered findings through ``haven simulate``
(the real matcher and engine, text in, lines out), or through the engine on the
simulated clock where the finding is about time. Every one of them failed on the
code before the issue.
"""

from __future__ import annotations

import dataclasses
import json
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from engine_kit import Timeline, at, ids, mmss

from skill.cli import main
from skill.config import BreakSettings, SafetySettings, Settings
from skill.engine import State
from skill.engine.persist import engine_from_dict, engine_to_dict

HOUR = 3600


def simulate(tmp_path: Path, capsys: pytest.CaptureFixture[str], script: str,
             config: str = "") -> list[dict[str, Any]]:
    path = tmp_path / "script.txt"
    path.write_text(script)
    args = ["simulate", "--json"]
    if config:
        (tmp_path / "config.toml").write_text(config)
        args += ["--config", str(tmp_path / "config.toml")]
    assert main([*args, str(path)]) == 0
    return [json.loads(line) for line in capsys.readouterr().out.splitlines()]


def lines(events: list[dict[str, Any]], start: float = 0, end: float = float("inf")) -> list[str]:
    return [e["line"] for e in events if e["event"] == "said" and start <= e["t"] <= end]


def heard(events: list[dict[str, Any]], text: str) -> dict[str, Any]:
    return next(e for e in events if e["event"] == "heard" and e["text"] == text)


# ---- 1. "stop" silences; it never ends a break ------------------------------------

def test_1_a_shouted_stop_it_keeps_the_break_and_its_return(tmp_path: Path,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    events = simulate(tmp_path, capsys, "00:00 we need a break\n02:00 stop it\n02:05 STOP\n21:00 we're back\n")
    assert lines(events, 120, 125) == ["break.stop_kept", "break.stop_kept"]
    assert "break.stopped" not in lines(events)
    assert lines(events, 1200, 1200) == ["break.return"]
    assert lines(events, 1260, 1260) == ["resume.guide", "resume.first_earlier"]


def test_1_stop_during_breathing_stops_only_the_breathing() -> None:
    run = Timeline()
    run.hear(0, "break.start")
    run.hear(mmss(1), "breathing.start")
    assert ids(run.hear(mmss(2), "stop")) == ["breathing.stopped_in_break"]
    assert ids(run.hear(mmss(3), "stop")) == ["break.stop_kept"]
    run.run_until(mmss(20))
    assert run.times_of("break.return") == [mmss(20)]


# ---- 2. one voice, or a negation, never ends the break ------------------------------

@pytest.mark.parametrize("text", ["let's talk", "I am calm", "I'm not ready to talk", "not yet",
                                  "I'm not ready", "we're not ready to talk"])
def test_2_one_voice_or_a_negation_never_ends_the_break(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str
) -> None:
    events = simulate(tmp_path, capsys, f"00:00 we need a break\n05:00 {text}\n")
    assert heard(events, text)["intent"] not in {"break.resume", "break.end", "break.confirm"}
    assert "resume.guide" not in lines(events)
    assert lines(events, 1200, 1200) == ["break.return"]


def test_2_we_are_back_early_asks_both_once_and_keeps_the_break_without_an_answer(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    events = simulate(tmp_path, capsys, "00:00 we need a break\n05:00 we're back\n05:10 end the break\n")
    assert lines(events, 300, 310) == ["break.confirm_end", "break.confirm_end"]
    assert lines(events, 360, 360) == ["break.kept"]  # a minute without "yes, we're both ready"
    assert "resume.guide" not in lines(events, 0, 1199)
    assert lines(events, 1200, 1200) == ["break.return"]


def test_2_both_ready_ends_early_and_after_the_minimum_an_explicit_end_is_enough(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    events = simulate(tmp_path, capsys, "00:00 we need a break\n05:00 end the break\n"
                                        "05:20 yes, we're both ready\n")
    assert lines(events, 320, 320) == ["resume.guide", "resume.first_earlier"]
    assert events[-1]["t"] == 320
    events = simulate(tmp_path, capsys, "00:00 we need a 30 minute break\n21:00 end the break\n")
    assert lines(events, 1260, 1260) == ["resume.guide", "resume.first_earlier"]


def test_2_the_minimum_is_a_setting(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    events = simulate(tmp_path, capsys, "00:00 we need a break\n06:00 end the break\n",
                      config="[break]\nend_early_after_minutes = 5\n")
    assert lines(events, 360, 360)[0] == "resume.guide"


# ---- 3. orders to the other partner are not commands --------------------------------

@pytest.mark.parametrize("text", ["you need to calm down", "go take a time out", "you take a break",
                                  "you need a break", "why don't you take a break", "go cool off"])
def test_3_second_person_orders_start_nothing_and_get_no_answer(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str
) -> None:
    events = simulate(tmp_path, capsys, f"00:00 {text}\n")
    assert events == [{"t": 0, "event": "heard", "text": text, "intent": None, "slots": {}}]


def test_3_the_couples_code_phrase_starts_a_break(tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    events = simulate(tmp_path, capsys, "00:00 pineapple\n", config='[break]\ncode_phrase = "pineapple"\n')
    assert heard(events, "pineapple")["intent"] == "break.start"
    assert lines(events, 0, 0)[0] == "break.started"


@pytest.mark.parametrize(("phrase", "expected"), [
    ("zzyzxqua", "cannot be recognised: 'zzyzxqua' is not in the speech recogniser's English dictionary"),
    ("stop", "already means 'stop'"),
])
def test_3_a_code_phrase_that_cannot_work_is_one_sentence_and_exit_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], phrase: str, expected: str
) -> None:
    (tmp_path / "config.toml").write_text(f'[break]\ncode_phrase = "{phrase}"\n')
    (tmp_path / "script.txt").write_text("00:00 we need a break\n")
    assert main(["simulate", "--config", str(tmp_path / "config.toml"), str(tmp_path / "script.txt")]) == 1
    err = capsys.readouterr().err
    assert expected in err and "Traceback" not in err and len(err.strip().splitlines()) == 1


# ---- 4. more time is for the return; a day limit nothing resets ---------------------

def test_4_more_time_early_says_when_it_can_be_asked_and_changes_nothing() -> None:
    run = Timeline()
    run.hear(0, "break.start")
    lines_ = run.hear(mmss(1), "break.extend")
    assert ids(lines_) == ["break.extend_later"]
    assert lines_[0].params == {"time": at(mmss(15)), "end": at(mmss(20))}
    extended = run.hear(mmss(15), "break.extend", minutes=30)
    assert ids(extended) == ["break.extended"]
    assert extended[0].params["added"] == timedelta(minutes=10)  # the set amount, not 30
    run.run_until(mmss(31))
    assert run.times_of("break.return") == [mmss(30)]


def test_4_chained_two_hour_breaks_stop_at_four_hours_a_day(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    script = "".join(f"{h}:{m:02d}:00 we need a two hour break\n"
                     for h, m in [(0, 0), (2, 13), (4, 26), (6, 39), (8, 52)])
    events = simulate(tmp_path, capsys, script)
    started = [e for e in events if e.get("line") == "break.started"]
    assert len(started) == 2
    assert lines(events, 4 * HOUR + 26 * 60, 4 * HOUR + 26 * 60) == ["break.day_limit"]
    assert lines(events, 8 * HOUR + 52 * 60, 8 * HOUR + 52 * 60) == ["break.day_limit"]
    returns = [e["t"] for e in events if e.get("line") in ("break.return", "break.return_final")]
    assert returns == [2 * HOUR, 4 * HOUR + 13 * 60]


def test_4_ending_early_and_starting_again_cannot_reset_the_day_limit() -> None:
    run = Timeline()
    t = 0
    for _ in range(20):
        said = run.hear(t, "break.start", minutes=120)
        if "break.started" not in ids(said):
            break
        run.hear(t + 60, "stop")
        run.hear(t + 90, "break.start", minutes=120)  # "stop" then a new break: no restart
        run.hear(t + mmss(21), "break.end")  # past the minimum: ends at once
        t += mmss(22)
        assert run.engine.break_log.used(at(t)) <= timedelta(hours=4)
    assert ids(said) == ["break.day_limit"]
    assert run.engine.break_log.used(at(t)) == timedelta(hours=4)
    # A day later the limit has room again.
    assert "break.started" in ids(run.hear(t + 24 * HOUR, "break.start"))


def test_4_stop_then_a_new_break_does_not_restart_the_cap() -> None:
    run = Timeline()
    run.hear(0, "break.start", minutes=120)
    run.hear(60, "stop")
    lines_ = run.hear(120, "break.start", minutes=120)
    assert ids(lines_) == ["break.already"]
    assert run.engine.brk is not None and run.engine.brk.ends_at == at(mmss(120))


def test_4_the_day_limit_shortens_a_break_to_what_is_left() -> None:
    settings = dataclasses.replace(Settings(), break_=BreakSettings(day_limit_minutes=30))
    run = Timeline(settings)
    run.hear(0, "break.start")
    run.hear(mmss(21), "break.end")
    lines_ = run.hear(mmss(22), "break.start")
    assert ids(lines_)[:2] == ["break.day_left", "break.started"]
    assert lines_[1].params["duration"] == timedelta(minutes=10)  # 20 of 30 used


# ---- 5. nothing at the cap offers what is not possible -----------------------------

def test_5_more_time_thirty_seconds_into_a_two_hour_break_is_not_at_the_cap() -> None:
    run = Timeline()
    run.hear(0, "break.start", minutes=115)
    assert ids(run.hear(30, "break.extend")) == ["break.extend_later"]
    run = Timeline()
    run.hear(0, "break.start", minutes=120)  # as long as a break can be: it says so, calmly
    said = run.hear(30, "break.extend")
    assert ids(said) == ["break.at_limit"] and said[0].params["time"] == at(mmss(120))
    assert run.state is State.BREAK


def test_5_lines_at_the_cap_do_not_offer_more_time() -> None:
    run = Timeline()
    run.hear(0, "break.start", minutes=120)
    run.run_until(mmss(120))
    assert run.times_of("break.return_final") == [mmss(120)]
    assert ids(run.hear(mmss(121), "help")) == ["help.break_return_final"]
    assert ids(run.hear(mmss(121), "break.status")) == ["break.status_due_final"]
    run.run_out()
    assert run.times_of("break.reprompt") == [] and len(run.times_of("break.reprompt_final")) == 3


def test_5_below_the_cap_the_return_still_offers_more_time() -> None:
    run = Timeline()
    run.hear(0, "break.start")
    run.run_until(mmss(20))
    assert run.times_of("break.return") == [mmss(20)]


# ---- 6. safety a frightened person can use -------------------------------------------

def test_6_the_number_in_digits_twice_then_repeat_works_in_every_state(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    events = simulate(tmp_path, capsys, "00:00 I don't feel safe\n00:40 repeat that\n"
                                        "01:00 what was the number\n01:10 say it again\n")
    said = [e for e in events if e["event"] == "said"]
    assert said[0]["text"].count("one. eight, zero, zero. seven, nine, nine. seven, two, three, three") == 2
    assert "Say repeat" in said[0]["text"]
    assert [e["line"] for e in said[1:]] == ["safety.repeat"] * 3
    assert "We're not in a check-in" not in " ".join(e["text"] for e in said)


def test_6_repeat_is_heard_after_safety_during_a_break_and_a_check_in(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    events = simulate(tmp_path, capsys, "00:00 we need a break\n01:00 safety\n01:30 repeat\n")
    assert lines(events, 90, 90) == ["safety.repeat"]
    events = simulate(tmp_path, capsys, "00:00 let's check in\n01:00 safety\n01:30 repeat that\n")
    assert lines(events, 90, 90) == ["safety.repeat"]


def test_6_the_repeat_window_closes_after_two_minutes() -> None:
    run = Timeline()
    run.hear(0, "safety")
    assert "safety.repeat" in run.engine.listening_for()
    run.run_until(mmss(2, 1))
    assert "safety.repeat" not in run.engine.listening_for()
    assert run.hear(mmss(2, 1), "safety.repeat") == []


@pytest.mark.parametrize("text", ["help me", "call 911", "call the police", "call for help"])
def test_6_asked_to_call_it_says_it_cannot_and_gives_the_numbers(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str
) -> None:
    events = simulate(tmp_path, capsys, f"00:00 {text}\n")
    said = [e for e in events if e["event"] == "said"]
    assert [e["line"] for e in said] == ["safety.call"]
    assert "can't call anyone" in said[0]["text"] and "nine, one, one" in said[0]["text"]


def test_6_help_line_gives_the_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    events = simulate(tmp_path, capsys, "00:00 help line\n")
    assert lines(events) == ["safety.info_text"]


@pytest.mark.parametrize(("country", "digits", "emergency"), [
    ("UK", "zero, eight, zero, eight. two, zero, zero, zero. two, four, seven", "nine, nine, nine"),
    ("AU", "one, eight, zero, zero. seven, three, seven. seven, three, two", "zero, zero, zero"),
    ("IE", "one, eight, zero, zero. three, four, one. nine, zero, zero", "one, one, two"),
    ("NZ", "zero, eight, zero, zero. seven, three, three. eight, four, three", "one, one, one"),
    ("CA", "nine, eight, eight", "nine, one, one"),
])
def test_6_the_country_setting_picks_the_line(country: str, digits: str, emergency: str) -> None:
    settings = dataclasses.replace(Settings(), safety=SafetySettings(country=country))
    said = Timeline(settings).hear(0, "safety")[0]
    assert said.params["phone"] == digits and said.params["emergency"] == emergency


# ---- 7. mute ---------------------------------------------------------------------------

def test_7_muted_only_unmute_and_safety_are_heard_and_the_break_still_returns(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    script = ("00:00 we need a break\n01:00 stop listening\n02:00 we're back\n03:00 how much time is left\n"
              "04:00 I don't feel safe\n21:00 haven, start listening\n21:30 we're back\n")
    events = simulate(tmp_path, capsys, script)
    assert lines(events, 60, 60) == ["mute.on"]
    assert lines(events, 120, 180) == []
    assert lines(events, 240, 240) == ["safety.info_text"]
    assert lines(events, 1200, 1200) == ["break.return_muted"]  # the break comes back while muted, and says so
    assert lines(events, 1260, 1260) == ["mute.off"]
    assert lines(events, 1290, 1290)[0] == "resume.guide"


def test_7_muted_is_kept_across_a_restart() -> None:
    run = Timeline()
    run.hear(0, "mute")
    engine, _ = engine_from_dict(engine_to_dict(run.engine), at(60), run.settings, run.engine.decks)
    assert engine.muted and engine.listening_for() == {"unmute", "safety", "safety.call"}


# ---- 8. nothing about the couple on disk ------------------------------------------------

def test_8_the_snapshot_keeps_no_counts_and_no_history() -> None:
    run = Timeline()
    for n in range(3):
        run.hear(n * 2 * HOUR, "break.start")
        run.hear(n * 2 * HOUR + mmss(21), "break.resume")
    data = engine_to_dict(run.engine)
    assert "breaks_resumed" not in data and "last_break_over" not in data
    assert set(data) == {"version", "state", "break", "checkin", "rotation", "later_speaks_first",
                         "later_answers_first", "muted", "break_times"}
    assert isinstance(data["later_speaks_first"], bool)
    assert isinstance(data["later_answers_first"], bool)
    # Only the day limit's times, and only for a day.
    assert len(data["break_times"]) == 3
    run.run_until(6 * HOUR + 25 * HOUR)
    run.hear(31 * HOUR, "help")
    assert engine_to_dict(run.engine)["break_times"] == []


def test_8_who_speaks_first_still_alternates_with_one_bit() -> None:
    run = Timeline()
    firsts = []
    for n in range(3):
        run.hear(n * HOUR, "break.start")
        firsts.append(ids(run.hear(n * HOUR + mmss(20), "break.resume"))[1])
        data = engine_to_dict(run.engine)
        run.engine, _ = engine_from_dict(data, at(n * HOUR + mmss(21)), run.settings, run.engine.decks)
    assert firsts == ["resume.first_earlier", "resume.first_later", "resume.first_earlier"]
