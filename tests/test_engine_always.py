"""What works in every state: help, safety, stop; and the engine's contract."""

from __future__ import annotations

import dataclasses
from datetime import datetime
from typing import Callable

import pytest
from engine_kit import Timeline, ids, mmss, shipped_decks

from skill.config import SafetySettings, Settings
from skill.engine import Engine, State
from skill.engine.breathing import LEAD
from skill.messages import Heard, Tick


def idle() -> Timeline:
    return Timeline()


def on_break() -> Timeline:
    run = Timeline()
    run.hear(0, "break.start")
    run.run_until(mmss(1))
    return run


def returning() -> Timeline:
    run = Timeline()
    run.hear(0, "break.start")
    run.run_until(mmss(21))
    return run


def in_checkin() -> Timeline:
    run = Timeline()
    run.hear(0, "checkin.start")
    run.run_until(mmss(1))
    return run


def breathing() -> Timeline:
    run = Timeline()
    run.hear(0, "break.start")
    run.hear(30, "breathing.start")
    run.run_until(mmss(1))
    return run


STATES: dict[str, Callable[[], Timeline]] = {
    "idle": idle,
    "break": on_break,
    "break_return": returning,
    "checkin": in_checkin,
    "breathing": breathing,
}


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("idle", "help.idle"),
        ("break", "help.break"),
        ("break_return", "help.break_return"),
        ("checkin", "help.checkin"),
        ("breathing", "help.breathing"),
    ],
)
def test_help_says_what_can_be_said_now(name: str, expected: str) -> None:
    run = STATES[name]()
    before = run.state
    assert ids(run.hear(run.t, "help")) == [expected]
    assert run.state is before


@pytest.mark.parametrize("name", sorted(STATES))
def test_safety_gives_the_help_line_in_every_state(name: str) -> None:
    run = STATES[name]()
    before = run.state
    lines = run.hear(run.t, "safety")
    assert ids(lines) == ["safety.info_text"]
    assert lines[0].params["phone"] == "one. eight, zero, zero. seven, nine, nine. seven, two, three, three"
    assert lines[0].params["text"] == "START to eight, eight, seven, eight, eight"
    assert lines[0].params["emergency"] == "nine, one, one"
    assert run.state is before


def test_safety_keeps_the_break_running_but_stops_breathing_cues() -> None:
    run = breathing()
    run.hear(run.t, "safety")
    assert not run.engine.is_breathing
    run.run_until(mmss(20))
    assert run.times_of("break.return") == [mmss(20)]


def test_safety_line_follows_settings_for_other_countries() -> None:
    safety = SafetySettings(
        country="UK", hotline_name="the Refuge helpline", hotline_phone="0808 2000 247", hotline_text=""
    )
    settings = dataclasses.replace(Settings(), safety=safety)
    lines = Timeline(settings).hear(0, "safety")
    assert ids(lines) == ["safety.info"]
    assert lines[0].params == {"name": "the Refuge helpline",
                               "phone": "zero, eight, zero, eight. two, zero, zero, zero. two, four, seven",
                               "emergency": "nine, nine, nine"}


def test_unknown_intents_are_ignored() -> None:
    run = on_break()
    assert run.hear(run.t, "weather.today") == []
    assert run.state is State.BREAK


def test_the_engine_refuses_naive_times() -> None:
    engine = Engine(Settings(), shipped_decks())
    with pytest.raises(ValueError):
        engine.handle(Heard("help"), datetime(2025, 1, 6, 20, 0))


def test_the_engine_needs_the_configured_deck() -> None:
    settings = dataclasses.replace(Settings(), checkin=dataclasses.replace(Settings().checkin, deck="nope"))
    with pytest.raises(ValueError):
        Engine(settings, shipped_decks())


def test_ticks_when_nothing_is_due_say_nothing() -> None:
    run = on_break()
    assert run.engine.handle(Tick(), run.engine.next_wakeup() - LEAD) == []  # type: ignore[operator]


@pytest.mark.parametrize("name", sorted(STATES))
def test_every_state_eventually_falls_quiet(name: str) -> None:
    run = STATES[name]()
    run.run_out()
    assert run.engine.next_wakeup() is None


def test_nothing_the_device_says_asks_who_called_the_break() -> None:
    from skill.lines import LineBook

    for variants in LineBook.from_files().variants.values():
        for text in variants:
            assert "who called" not in text.lower()
            assert "whose idea" not in text.lower()
            assert "whose fault" not in text.lower()
