"""The help-line data file: every country's entry valid, with its source; mistakes as FILE:LINE."""

from __future__ import annotations

import pytest

from skill.datafile import DataFileError
from skill.helplines import default_helplines, helplines_from_yaml, spoken_digits
from skill.nlu.codephrase import use_code_phrase
from skill.nlu.templates import load_intent_set


def test_the_shipped_file_has_the_six_countries_each_with_a_source() -> None:
    lines = default_helplines()
    assert {"US", "UK", "CA", "AU", "IE", "NZ"} <= set(lines)
    for line in lines.values():
        assert line.source.startswith("https://") and line.phone and line.emergency


def test_numbers_are_spoken_digit_by_digit_with_pauses_between_groups() -> None:
    assert spoken_digits("1-800-799-7233") == (
        "one. eight, zero, zero. seven, nine, nine. seven, two, three, three")
    assert spoken_digits("0808 2000 247").startswith("zero, eight, zero, eight. two")
    assert "hundred" not in spoken_digits("1800 737 732") and "-" not in spoken_digits("1-800")


def test_every_mistake_is_reported_with_its_line() -> None:
    text = ("US:\n  name: ''\n  phone: 'call me'\n  emergency: '911'\n  source: 'thehotline.org'\n"
            "usa:\n  name: x\n  phone: '1'\n  emergency: '2'\n  source: 'https://x'\n  colour: red\n")
    with pytest.raises(DataFileError) as caught:
        helplines_from_yaml(text, "helplines.yaml")
    messages = [str(p) for p in caught.value.problems]
    assert "helplines.yaml:2: US: name must be non-empty text" in messages
    assert "helplines.yaml:3: US: phone must be digits (spaces and dashes allowed)" in messages
    assert any(m.startswith("helplines.yaml:5: US: source must be the https://") for m in messages)
    assert any(m.startswith("helplines.yaml:6: 'usa': expected a two-letter country code") for m in messages)
    assert any(m.startswith("helplines.yaml:11: usa: unknown field 'colour'") for m in messages)


def test_the_code_phrase_joins_break_start_for_the_matcher_and_the_grammar() -> None:
    try:
        use_code_phrase("pineapple")
        intent_set = load_intent_set()
        sentences = {e.text for e in intent_set.expand_all() if e.intent == "break.start"}
        assert "pineapple" in sentences
        from skill.asr.grammar import grammar_from_intents

        grammar = grammar_from_intents(intent_set.intents, skip_words=intent_set.intents.skip_words)
        assert "pineapple" in grammar.words
    finally:
        use_code_phrase("")
    assert "pineapple" not in {e.text for e in load_intent_set().expand_all()}


def test_no_help_line_name_has_a_digit_so_every_voice_says_it_right() -> None:
    """espeak reads "9-8-8" as "nine dash eight dash eight" and "1800RESPECT" as "one thousand
    eight hundred respect": names are written as they are said."""
    import re

    for code, line in default_helplines().items():
        assert not re.search(r"\d", line.name), (code, line.name)
        assert not re.search(r"\d\s*-\s*\d", line.name), (code, line.name)
    names = {code: line.name for code, line in default_helplines().items()}
    assert "nine eight eight" in names["CA"]
    assert names["AU"].startswith("eighteen hundred respect")
