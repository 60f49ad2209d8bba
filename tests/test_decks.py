"""Check-in decks: the shipped ones are big enough, and mistakes name their line."""

from __future__ import annotations

from pathlib import Path

import pytest

from skill.decks import deck_from_yaml, load_deck_files, load_decks, question_id, wording_problem
from skill.datafile import DataFileError

DECKS = load_decks()


def test_the_daily_deck_is_an_appreciation_a_stress_and_a_request_for_four_weeks() -> None:
    daily = DECKS["daily"]
    assert [s.id for s in daily.sections] == ["appreciation", "stress", "request"]
    assert daily.questions_per_session == 3
    assert all(len(s.questions) // s.ask >= 28 for s in daily.sections)  # a session a day, 4 weeks
    assert not daily.opening and not any(s.turns for s in daily.sections)


def test_the_weekly_deck_is_a_state_of_the_union_in_order() -> None:
    weekly = DECKS["weekly"]
    assert [s.id for s in weekly.sections] == [
        "appreciations",
        "what_went_well",
        "one_issue",
        "needs",
        "plans",
    ]
    assert [s.id for s in weekly.sections if s.turns] == ["one_issue"]
    assert weekly.opening
    assert all(len(s.questions) >= 4 for s in weekly.sections)  # a month of weeks without a repeat


def test_the_temperature_reading_and_the_stress_talk() -> None:
    temperature = DECKS["temperature"]
    assert [s.id for s in temperature.sections] == [
        "appreciations", "new_information", "puzzles", "complaints", "wishes",
    ]
    assert [s.id for s in temperature.sections if s.turns] == ["complaints"] and temperature.opening
    stress = DECKS["stress"]
    assert stress.sections[0].turns and "fix" in stress.intro


@pytest.mark.parametrize("name", sorted(DECKS))
def test_shipped_questions_speak_to_the_couple(name: str) -> None:
    for section in DECKS[name].sections:
        for question in section.questions:
            assert wording_problem(question.text) is None
            assert "your partner" in question.text or "you" in question.text.lower()


def test_question_ids_ignore_case_and_spacing() -> None:
    assert question_id("How are  you?") == question_id("how are you?")
    assert question_id("How are you?") != question_id("How were you?")


def problems(text: str) -> list[str]:
    with pytest.raises(DataFileError) as caught:
        deck_from_yaml(text, "test", "deck.yaml")
    return [str(p) for p in caught.value.problems]


@pytest.mark.parametrize(
    ("text", "line", "expected"),
    [
        ("ask: 1\nquestions:\n  - One\n", 1, "title must be non-empty text"),
        ("title: t\nask: 5\nquestions:\n  - One?\n  - Two?\n", 2, "ask must be a whole number from 1 to 2"),
        ("title: t\nquestions:\n  - One?\n  - one?\n", 4, "appears twice"),
        ("title: t\nquestions:\n  - Tell your partner one thing.\n", 3, "end the question with a question mark"),
        ("title: t\nquestions:\n  - One\n  - 7\n", 4, "non-empty text"),
        ("title: t\ncolour: red\nquestions:\n  - One\n", 2, "unknown key 'colour'"),
        ("title: t\nquestions: []\n", 2, "non-empty list"),
        ("title: t\nquestions:\n  - Say {x}\n", 3, "must not contain { or }"),
        (
            "title: t\nsections:\n  - id: Bad Id\n    title: x\n    questions:\n      - One\n",
            3,
            "id must be lowercase",
        ),
        ("title: t\nsections:\n  - id: a\n    questions:\n      - One\n", 3, "title must be non-empty text"),
        (
            "title: t\nsections:\n  - id: a\n    title: A\n    questions:\n      - One\n    extra: 1\n",
            7,
            "unknown key 'extra'",
        ),
        ("title: t\nquestions:\n  - What do you love about me?\n", 3, "'me' has nobody to be"),
        ("title: t\nquestions:\n  - How are we doing?\n", 3, "'we' has nobody to be"),
        ("title: t\nquestions:\n  - How are you? And your partner?\n", 3, "one question at a time"),
        ("title: t\nquestions:\n  - " + "word " * 31 + "\n", 3, "at most 30 words"),
        ("title: t\nopening: yes please\nquestions:\n  - One\n", 2, "opening must be true or false"),
        ("title: t\nminutes: 0\nquestions:\n  - One\n", 2, "minutes must be a whole number from 1 to 240"),
        ("title: t\nintro: Let's begin.\nquestions:\n  - One\n", 2, "intro:"),
    ],
)
def test_mistakes_are_reported_with_file_and_line(text: str, line: int, expected: str) -> None:
    found = problems(text)
    assert any(p.startswith(f"deck.yaml:{line}:") and expected in p for p in found), found


def test_a_deck_needs_questions_or_sections_not_both() -> None:
    found = problems("title: t\nquestions:\n  - One\nsections: []\n")
    assert "either questions" in found[0]


def test_a_duplicate_question_across_sections_is_caught() -> None:
    text = (
        "title: t\nsections:\n"
        "  - id: a\n    title: A\n    questions:\n      - Same?\n"
        "  - id: b\n    title: B\n    questions:\n      - Same?\n"
    )
    assert any("deck.yaml:10:" in p and "twice" in p for p in problems(text))


def test_load_decks_reports_every_broken_file(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text("title: a\nquestions: nope\n")
    (tmp_path / "b.yaml").write_text("title: [\n")
    with pytest.raises(DataFileError) as caught:
        load_decks(tmp_path)
    files = {Path(p.file).name for p in caught.value.problems}
    assert files == {"a.yaml", "b.yaml"}


def test_starting_leaves_out_a_broken_deck_of_their_own_but_not_a_shipped_one(tmp_path: Path) -> None:
    from skill.decks import decks_dir, load_decks_to_start

    own = tmp_path / "own"
    own.mkdir()
    (own / "ours.yaml").write_text("title: Ours\nquestions:\n  - What went well this week?\n")
    (own / "broken.yaml").write_text("title: [\n")
    (own / "daily.yaml").write_text("title: daily\nquestions: nope\n")  # would replace the shipped one
    decks, problems = load_decks_to_start(user_directory=own)
    assert {"ours", "daily", "weekly"} <= set(decks) and "broken" not in decks
    assert decks["daily"] == load_decks(decks_dir(), tmp_path / "none")["daily"]  # the shipped one stays
    assert {Path(p.file).name for p in problems} == {"broken.yaml", "daily.yaml"}
    shipped = tmp_path / "shipped"
    shipped.mkdir()
    (shipped / "daily.yaml").write_text("title: [\n")
    with pytest.raises(DataFileError):
        load_decks_to_start(shipped, own)


def test_an_empty_deck_directory_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(DataFileError):
        load_decks(tmp_path)


def test_words_to_say_may_be_quoted() -> None:
    assert wording_problem('Starting with "I feel", what would you like to change?') is None
    assert wording_problem("What do you need from your partner?") is None


USER_DECK = """\
title: our evening questions
sections:
  - id: evening
    title: the evening
    ask: 1
    questions:
      - What was the best part of your day?
      - What would you like to do tomorrow?
"""


def test_a_couple_adds_a_deck_and_replaces_a_shipped_one(tmp_path: Path) -> None:
    (tmp_path / "evening.yaml").write_text(USER_DECK)
    (tmp_path / "daily.yaml").write_text(USER_DECK.replace("our evening questions", "our daily"))
    decks = load_decks(user_directory=tmp_path)
    assert decks["evening"].title == "our evening questions"
    assert decks["daily"].title == "our daily"
    assert decks["weekly"].title == DECKS["weekly"].title


def test_a_broken_user_deck_is_reported_at_its_line(tmp_path: Path) -> None:
    (tmp_path / "evening.yaml").write_text(USER_DECK.replace("    ask: 1\n", "    ask: 3\n"))
    with pytest.raises(DataFileError) as caught:
        load_deck_files([tmp_path / "evening.yaml"])
    assert [str(p) for p in caught.value.problems] == [
        f"{tmp_path / 'evening.yaml'}:5: ask must be a whole number from 1 to 2 (the number of questions)"
    ]
