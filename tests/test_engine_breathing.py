"""Guided breathing: cues on the beat, stoppable, and polite to the break around it."""

from __future__ import annotations

import dataclasses

import pytest
from engine_kit import Timeline, at, ids, mmss

from skill.config import BreathingSettings, Settings
from skill.engine import State
from skill.engine.breathing import COUNTED_ROUNDS, LEAD, PATTERNS
from skill.messages import Tick

LEAD_S = LEAD.total_seconds()


def with_breathing(**changes: object) -> Settings:
    return dataclasses.replace(Settings(), breathing=dataclasses.replace(BreathingSettings(), **changes))


def test_paced_breathing_is_four_in_six_out_for_five_minutes() -> None:
    run = Timeline()
    lines = run.hear(0, "breathing.start")
    assert ids(lines) == ["breathing.intro_paced"]
    run.run_out()
    ins, outs = run.times_of("breathe.in"), run.times_of("breathe.out")
    assert len(ins) == len(outs) == 30  # six breaths a minute for five minutes
    assert ins[:3] == [LEAD_S, LEAD_S + 10, LEAD_S + 20]
    assert outs[:2] == [LEAD_S + 4, LEAD_S + 14]
    assert run.times_of("breathing.done") == [LEAD_S + 300]
    assert run.said[-1].line == "breathing.done"
    assert run.engine.next_wakeup() is None


def test_stop_ends_breathing_with_one_line() -> None:
    run = Timeline()
    run.hear(0, "breathing.start")
    run.run_until(30)
    assert ids(run.hear(30, "stop")) == ["breathing.stopped"]
    run.run_out()
    assert run.ids(start=30.5) == []
    assert run.state is State.IDLE


def test_stop_during_breathing_in_a_break_keeps_the_break() -> None:
    run = Timeline()
    run.hear(0, "break.start")
    run.hear(mmss(1), "breathing.start")
    lines = run.hear(mmss(2), "stop")
    assert ids(lines) == ["breathing.stopped_in_break"]
    assert run.state is State.BREAK
    run.run_until(mmss(20))
    assert run.times_of("break.return") == [mmss(20)]


def test_nudge_and_heads_up_wait_for_the_breathing_to_finish() -> None:
    run = Timeline()
    run.hear(0, "break.start", minutes=10)
    run.hear(mmss(2), "breathing.start")  # runs past the nudge (3:00) and heads-up (5:00)
    run.run_until(mmss(10))
    done = run.times_of("breathing.done")[0]
    assert done == mmss(2) + LEAD_S + 300
    assert run.times_of("break.nudge") == []  # stale by then; the heads-up says enough
    assert run.times_of("break.heads_up") == [done]
    assert run.times_of("break.return") == [mmss(10)]


def test_breathing_in_a_break_ends_before_the_return_and_says_so_up_front() -> None:
    run = Timeline()
    run.hear(0, "break.start", minutes=5)
    intro = run.hear(mmss(1), "breathing.start")
    run.run_out()
    assert run.times_of("break.return") == [mmss(5)]
    cues = [s.t for s in run.said if s.line.startswith("breathe.")]
    assert cues and max(cues) < mmss(5)
    done = run.times_of("breathing.done")
    assert len(done) == 1 and done[0] <= mmss(5)
    promised = intro[0].params["duration"]
    assert mmss(1) + LEAD_S + promised.total_seconds() == done[0]


def test_late_ticks_drop_stale_cues_instead_of_bursting() -> None:
    run = Timeline()
    run.hear(0, "breathing.start")
    said = run.engine.handle(Tick(), at(LEAD_S + 41))  # 41 s late: mid in-breath (40..44)
    assert ids(said) == ["breathe.in"]
    said = run.engine.handle(Tick(), at(LEAD_S + 47.5))  # out-breath began at 44: over half gone
    assert said == []
    assert run.engine.next_wakeup() == at(LEAD_S + 50)


def test_breathing_twice_says_it_is_already_on() -> None:
    run = Timeline()
    run.hear(0, "breathing.start")
    assert ids(run.hear(5, "breathing.start")) == ["breathing.already"]


def test_a_named_pattern_during_breathing_switches_to_it() -> None:
    """QA: "box breathing" during paced breathing said "The breathing is on" and stayed paced."""
    run = Timeline()
    run.hear(0, "breathing.start")
    assert ids(run.hear(20, "breathing.start", pattern="box")) == ["breathing.intro_box"]
    assert run.engine.breathing is not None and run.engine.breathing.pattern is PATTERNS["box"]
    run.run_until(20 + LEAD_S + 8.5)
    openers = [(s.t - 20 - LEAD_S, s.line) for s in run.said
               if s.t > 20 and s.line.startswith("breathe.") and s.line != "breathe.count"]
    assert openers == [(0, "breathe.in"), (4, "breathe.hold"), (8, "breathe.out")]
    assert ids(run.hear(40, "breathing.start", pattern="478")) == ["breathing.intro_478"]
    assert ids(run.hear(50, "breathing.start")) == ["breathing.already"]  # no pattern named
    assert ids(run.hear(60, "breathing.start", pattern="478")) == ["breathing.already"]  # the same one
    assert run.engine.breathing.pattern is PATTERNS["478"]


def test_a_named_pattern_during_breathing_in_a_break_still_fits_the_break() -> None:
    run = Timeline()
    run.hear(0, "break.start", minutes=10)
    assert ids(run.hear(mmss(9), "breathing.start")) == ["breathing.intro_paced"]
    assert ids(run.hear(mmss(9, 40), "breathing.start", pattern="box")) == ["breathing.no_time"]
    assert run.engine.breathing is not None and run.engine.breathing.pattern is PATTERNS["paced"]
    assert ids(run.hear(mmss(9, 41), "breathing.start", pattern="sigh")) == ["breathing.intro_sigh"]


def test_box_pattern_cues_every_four_seconds() -> None:
    run = Timeline(with_breathing(pattern="box", minutes=1))
    assert ids(run.hear(0, "breathing.start")) == ["breathing.intro_box"]
    run.run_out()
    openers = [(s.t - LEAD_S, s.line) for s in run.said
               if s.line.startswith("breathe.") and s.line != "breathe.count"]
    assert openers[:5] == [
        (0, "breathe.in"),
        (4, "breathe.hold"),
        (8, "breathe.out"),
        (12, "breathe.hold"),
        (16, "breathe.in"),
    ]
    counts = [(s.t - LEAD_S, s.params["n"]) for s in run.said if s.line == "breathe.count"]
    assert counts[:4] == [(1, "two"), (2, "three"), (3, "four"), (5, "two")]


def test_four_seven_eight_is_limited_to_four_rounds() -> None:
    run = Timeline(with_breathing(pattern="478", minutes=10))
    intro = run.hear(0, "breathing.start")
    assert ids(intro) == ["breathing.intro_478"]
    assert intro[0].params["rounds"] == "four rounds"
    run.run_out()
    assert len(run.times_of("breathe.hold")) == 4
    assert run.times_of("breathing.done") == [LEAD_S + 4 * 19]


@pytest.mark.parametrize("name", sorted(PATTERNS))
def test_every_pattern_runs_to_its_end(name: str) -> None:
    run = Timeline(with_breathing(pattern=name))
    run.hear(0, "breathing.start")
    run.run_out()
    assert run.said[-1].line == "breathing.done"


def test_sigh_pattern_is_about_six_breaths_a_minute() -> None:
    assert PATTERNS["sigh"].cycle_seconds == 10
    assert PATTERNS["paced"].cycle_seconds == 10


def test_breathing_works_during_a_check_in_and_holds_turn_prompts() -> None:
    run = Timeline()
    run.hear(0, "checkin.start")
    run.hear(10, "breathing.start")
    run.run_until(10 + LEAD_S + 300)
    run.run_until(400)
    assert [line for line in run.ids() if line.startswith("turn.")] == []
    assert run.said[-1].line == "breathing.done"
    assert run.engine.next_wakeup() == at(30 * 60)  # no turn cue: only the quiet check-in's end
    assert run.state is State.CHECKIN
    assert ids(run.hear(400, "checkin.next"))[-1] == "checkin.question"


def count_words(run: Timeline, start: float, end: float) -> list[tuple[float, str]]:
    return [(s.t - start, str(s.params["n"])) for s in run.said
            if s.line == "breathe.count" and start <= s.t < end]


@pytest.mark.parametrize(("name", "phase", "seconds"), [("paced", 0, 4), ("paced", 1, 6), ("478", 2, 8)])
def test_each_count_word_comes_on_its_own_second(name: str, phase: int, seconds: int) -> None:
    """Finding 9: "In... two, three, four" used to fit in 2.2 s of a 4 s in-breath."""
    run = Timeline(with_breathing(pattern=name))
    run.hear(0, "breathing.start")
    run.run_out()
    pattern = PATTERNS[name]
    start = LEAD_S + sum(p.seconds for p in pattern.phases[:phase])
    words = ["two", "three", "four", "five", "six", "seven", "eight"][: seconds - 1]
    assert count_words(run, start, start + seconds) == [(n + 1.0, w) for n, w in enumerate(words)]


def test_count_is_given_for_the_first_rounds_then_openers_keep_the_rhythm() -> None:
    run = Timeline()
    run.hear(0, "breathing.start")
    run.run_out()
    counted = {int((s.t - LEAD_S) // 10) for s in run.said if s.line == "breathe.count"}
    assert counted == set(range(COUNTED_ROUNDS))
    assert len(run.times_of("breathe.in")) == 30


def test_four_seven_eight_announces_the_rounds_it_gives_when_time_is_short() -> None:
    """Finding 9: 4-7-8 announced four rounds and gave three."""
    for minutes in (1, 2, 5):
        run = Timeline(with_breathing(pattern="478", minutes=minutes))
        intro = run.hear(0, "breathing.start")
        run.run_out()
        assert intro[0].params["rounds"] == "four rounds"
        assert len(run.times_of("breathe.hold")) == 4
    run = Timeline(with_breathing(pattern="478"))
    run.hear(0, "break.start", minutes=5)
    run.run_until(mmss(4, 10))  # 50 s left: two rounds (8 s lead + 2 x 19 s) fit
    intro = run.hear(mmss(4, 10), "breathing.start")
    run.run_until(mmss(5))
    assert intro[0].params["rounds"] == "two rounds"
    assert len(run.times_of("breathe.hold")) == 2


def test_paced_intro_never_promises_more_than_the_break_has_left() -> None:
    """Finding 9: the intro promised 5 minutes with 3 left before the return prompt."""
    run = Timeline()
    run.hear(0, "break.start", minutes=20)
    run.run_until(mmss(17))
    intro = run.hear(mmss(17), "breathing.start")
    assert intro[0].params["duration"].total_seconds() <= mmss(3) - LEAD_S
    run.run_until(mmss(20))
    assert run.times_of("breathing.done") and run.times_of("breathing.done")[0] <= mmss(20)


def test_no_round_fits_before_the_return_says_so() -> None:
    run = Timeline()
    run.hear(0, "break.start", minutes=5)
    run.run_until(mmss(4, 50))
    lines = run.hear(mmss(4, 50), "breathing.start")
    assert ids(lines) == ["breathing.no_time"]
    assert not run.engine.is_breathing
