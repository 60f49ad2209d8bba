"""Check-in decks: the shipped ones are big enough, and mistakes name their line."""

from __future__ import annotations

from pathlib import Path

import pytest

from skill.decks import deck_from_yaml, load_decks, question_id
from skill.datafile import DataFileError

DECKS = load_decks()


def test_the_daily_deck_is_flat_with_enough_questions_to_rotate() -> None:
    daily = DECKS["daily"]
    assert len(daily.sections) == 1 and daily.sections[0].title == ""
    assert len(daily.sections[0].questions) >= 20
    assert daily.questions_per_session == 3


def test_the_weekly_deck_is_a_state_of_the_union_in_order() -> None:
    weekly = DECKS["weekly"]
    assert [s.id for s in weekly.sections] == [
        "appreciations",
        "what_went_well",
        "one_concern",
        "needs",
        "plans",
    ]
    assert sum(len(s.questions) for s in weekly.sections) >= 15
    assert all(len(s.questions) > s.ask for s in weekly.sections)  # so rotation matters


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
        ("title: t\nask: 5\nquestions:\n  - One\n  - Two\n", 2, "ask must be a whole number from 1 to 2"),
        ("title: t\nquestions:\n  - One\n  - one\n", 4, "appears twice"),
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


def test_an_empty_deck_directory_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(DataFileError):
        load_decks(tmp_path)
