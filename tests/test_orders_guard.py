"""skill.nlu.orders: negations, third persons and foreign duration units are no command,
except where the matched template holds the word or the intent is safety, help, stop, unmute."""

from __future__ import annotations

import pytest

from skill.messages import IntentMatch
from skill.nlu.matcher import IntentMatcher
from skill.nlu.orders import is_refused, unheld_guarded_words


@pytest.fixture(scope="module")
def matcher() -> IntentMatcher:
    return IntentMatcher.from_files()


@pytest.mark.parametrize("text", [
    "we don't need a break", "I don't need a break", "no break", "we do not need a break",
    "he needs a break", "he needs a time out", "they need a break", "she needs a break",
    "we don't need more time", "he needs more time", "don't stop listening",
    "I don't want to check in", "it's not your turn", "that's not enough for today",
    "don't pause the check-in", "don't breathe with me", "we never need a break",
    "she doesn't need a break",
])
def test_negated_or_third_person_requests_match_nothing(matcher: IntentMatcher, text: str) -> None:
    assert matcher.match(text) is None


@pytest.mark.parametrize("text", [
    "we need a break for 3 days", "we need a break for two weeks", "we need a break for a month",
    "we need a break for two years", "we need a break for ten seconds",
])
def test_a_duration_in_another_unit_matches_nothing(matcher: IntentMatcher, text: str) -> None:
    assert matcher.match(text) is None


@pytest.mark.parametrize(("text", "intent"), [
    ("I don't feel safe", "safety"),
    ("I'm not safe", "safety"),
    ("we don't feel safe with him", "safety"),
    ("I didn't get the number", "safety.repeat"),
    ("never mind", "stop"),
    ("not that one", "checkin.skip"),
    ("I don't want to answer that", "checkin.skip"),
    ("don't listen to us", "mute"),
    ("we're not ready yet we need more time", "break.extend"),
    ("I didn't catch that", "checkin.repeat"),
    ("no, we need a break", "break.start"),
    ("we need a break", "break.start"),
])
def test_negation_in_the_template_or_an_unguarded_intent_still_matches(
        matcher: IntentMatcher, text: str, intent: str) -> None:
    result = matcher.match(text)
    assert result is not None and result.intent == intent


def test_minutes_and_hours_still_give_a_duration(matcher: IntentMatcher) -> None:
    assert matcher.match("we need a break for 20 minutes") == IntentMatch(
        "break.start", {"minutes": 20}, 1.0)
    result = matcher.match("we need a break for two hours")
    assert result is not None and result.slots == {"minutes": 120}


def test_the_match_returned_is_a_plain_intent_match(matcher: IntentMatcher) -> None:
    result = matcher.match("we need a break")
    assert type(result) is IntentMatch


def test_each_guarded_word_is_counted_against_the_template() -> None:
    assert unheld_guarded_words("not not that one", ("not that one",)) == ["not"]
    assert unheld_guarded_words("not that one", ("not that one",)) == []
    assert is_refused("checkin.skip", "no not that one", ("not that one",))
    assert not is_refused("safety", "they don't feel safe", ("we dont feel safe",))
