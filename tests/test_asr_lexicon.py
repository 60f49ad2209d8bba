"""The decoder is given only the words it can hear, read from the bundled dictionary."""

from __future__ import annotations

from pathlib import Path

import pytest

from skill.asr.lexicon import dictionary_path, read_entries, with_halves
from skill.errors import UserError


def test_reads_every_pronunciation_of_the_wanted_words_only() -> None:
    entries = read_entries({"a", "break", "checkin"})
    assert ("a", "AH") in entries and ("a(2)", "EY") in entries
    assert ("break", "B R EY K") in entries
    assert {e for e, _ in entries} == {"a", "a(2)", "break"}  # "checkin" is not in it
    # base word before its alternates, as the decoder needs them
    assert [e for e, _ in entries].index("a") < [e for e, _ in entries].index("a(2)")


def test_halves_cover_compounds() -> None:
    halves = with_halves(["checkin"])
    assert {"checkin", "check", "in", "ch", "eckin"} <= halves
    words = {e for e, _ in read_entries(halves)}
    assert {"check", "in"} <= words


def test_a_missing_dictionary_is_one_clear_error(tmp_path: Path) -> None:
    with pytest.raises(UserError, match="reinstall"):
        read_entries({"a"}, tmp_path / "nothing.dict")


def test_the_recogniser_holds_only_the_words_it_needs() -> None:
    from skill.asr.sphinx import SphinxRecognizer
    from skill.nlu.templates import load_intent_set

    recognizer = SphinxRecognizer(load_intent_set().intents)
    decoder = recognizer._decoder
    assert decoder.phones("break") == "B R EY K"
    assert decoder.phones("checkin") == "CH EH K IH N"  # a compound, joined
    assert decoder.phones("zebra") is None  # in the full dictionary, not needed
    assert dictionary_path().stat().st_size > 3_000_000


def test_unknown_words_names_what_the_recogniser_cannot_say() -> None:
    from skill.asr.lexicon import unknown_words

    assert unknown_words(["Pineapple, please", "check-in"]) == []
    assert unknown_words(["blue", "zxqv", "checkin"]) == ["zxqv"]  # checkin: check + in
    assert unknown_words(["Flibbertigibbetx zxqv", "zxqv"]) == ["flibbertigibbetx", "zxqv"]


def test_a_word_that_sounds_like_one_command_word_reads_as_it() -> None:
    from skill.asr.lexicon import sounds_like

    entries = read_entries({"were", "we're", "brake", "break", "four", "for", "fore", "tail"})
    same = sounds_like(entries, {"we're", "break", "four", "for"})
    assert same["were"] == "we're" and same["brake"] == "break"  # "were" is "we're"'s third
    assert "fore" not in same  # it sounds like both "four" and "for": no single reading
    assert "tail" not in same and "break" not in same  # no command word sounds like it; ours stay
