"""Breathing by voice: the pattern named picks the guidance; "breathe with me" keeps the default."""

from __future__ import annotations

import dataclasses

import pytest
from engine_kit import Timeline, ids

from skill.config import BreathingSettings, Settings
from skill.nlu.matcher import IntentMatcher


@pytest.fixture(scope="module")
def matcher() -> IntentMatcher:
    return IntentMatcher.from_files()


@pytest.mark.parametrize(
    ("text", "intro", "first_cues"),
    [
        ("box breathing", "breathing.intro_box", ["breathe.in", "breathe.hold", "breathe.out", "breathe.hold"]),
        ("sigh breathing", "breathing.intro_sigh", ["breathe.sigh_in", "breathe.sigh_out"]),
        ("cyclic sighing", "breathing.intro_sigh", ["breathe.sigh_in", "breathe.sigh_out"]),
        ("four seven eight", "breathing.intro_478", ["breathe.in", "breathe.hold", "breathe.out"]),
        ("breathe with me", "breathing.intro_paced", ["breathe.in", "breathe.out"]),
    ],
)
def test_the_pattern_named_is_the_pattern_guided(
    matcher: IntentMatcher, text: str, intro: str, first_cues: list[str]
) -> None:
    found = matcher.match(text)
    assert found is not None and found.intent == "breathing.start"
    run = Timeline()
    assert ids(run.hear(0, found.intent, **found.slots)) == [intro]
    run.run_until(40)
    openers = [line for line in run.ids(start=1) if line != "breathe.count"]  # count words between
    assert openers[: len(first_cues)] == first_cues


def test_four_seven_eight_keeps_its_caution_and_its_four_rounds() -> None:
    run = Timeline()
    assert ids(run.hear(0, "breathing.start", pattern="478")) == ["breathing.intro_478"]
    run.run_out()
    assert run.ids().count("breathe.out") == 4
    assert run.said[-1].line == "breathing.done"


def test_breathe_with_me_uses_the_configured_pattern() -> None:
    settings = dataclasses.replace(Settings(), breathing=BreathingSettings(pattern="box"))
    run = Timeline(settings)
    assert ids(run.hear(0, "breathing.start")) == ["breathing.intro_box"]
    assert ids(Timeline(settings).hear(0, "breathing.start", pattern="sigh")) == ["breathing.intro_sigh"]
