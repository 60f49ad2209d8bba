"""The listening context: out of context, nothing is acted on and nothing is said."""

from __future__ import annotations

from engine_kit import Timeline, ids

from skill.engine import State
from skill.engine.contexts import ALWAYS, every_intent
from skill.nlu.templates import load_intent_set


def test_help_and_safety_are_heard_in_every_state() -> None:
    run = Timeline()
    assert ALWAYS <= run.engine.listening_for()
    run.hear(0, "break.start")
    assert ALWAYS <= run.engine.listening_for()


def test_next_in_a_quarrel_is_not_answered() -> None:
    run = Timeline()
    assert ids(run.hear(5, "checkin.next")) == []
    assert run.state is State.IDLE


def test_stop_is_heard_while_breathing_even_when_idle() -> None:
    run = Timeline()
    assert "stop" not in run.engine.listening_for()
    run.hear(0, "breathing.start")
    assert "stop" in run.engine.listening_for()
    assert ids(run.hear(20, "stop")) == ["breathing.stopped"]


def test_the_context_follows_the_state() -> None:
    run = Timeline()
    run.hear(0, "break.start")
    assert "break.extend" in run.engine.listening_for()
    assert "checkin.next" not in run.engine.listening_for()
    assert every_intent() >= run.engine.listening_for()


def test_every_intent_a_context_listens_for_is_in_the_intent_files() -> None:
    names = {template.intent for template in load_intent_set().templates}
    assert every_intent() <= names
