"""Check-in decks: YAML files under ``intents/decks/``, one deck per file.

A flat deck lists ``questions`` and how many to ``ask`` per session; a
sectioned deck lists ``sections`` (each with ``id``, ``title``, ``ask`` and
``questions``), asked in order. A question's id is a hash of its text, so the
rotation survives reordering the file; editing a question makes it new.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Union

from skill.datafile import DataFileError, Document, Problem, document_from_file
from skill.datafile import document_from_text as _parse
from skill.paths import data_dir

_SECTION_ID = re.compile(r"^[a-z][a-z0-9_-]*$")
_DECK_KEYS = {"title", "ask", "questions", "sections"}
_SECTION_KEYS = {"id", "title", "ask", "questions"}
_At = tuple[Union[str, int], ...]


@dataclass(frozen=True)
class Question:
    id: str
    text: str


@dataclass(frozen=True)
class Section:
    """Part of a deck; ``title`` is empty for a flat deck; ``ask`` questions per session."""

    id: str
    title: str
    ask: int
    questions: tuple[Question, ...]


@dataclass(frozen=True)
class Deck:
    name: str
    title: str
    sections: tuple[Section, ...]

    @property
    def questions_per_session(self) -> int:
        return sum(section.ask for section in self.sections)

    def section(self, section_id: str) -> Section | None:
        return next((s for s in self.sections if s.id == section_id), None)


def question_id(text: str) -> str:
    normal = " ".join(text.lower().split())
    return hashlib.blake2b(normal.encode("utf-8"), digest_size=5).hexdigest()


def decks_dir() -> Path:
    return data_dir() / "decks"


def load_decks(directory: Path | None = None) -> dict[str, Deck]:
    """Every ``*.yaml`` deck in the directory, by file stem; all problems at once."""
    directory = directory or decks_dir()
    paths = sorted(directory.glob("*.yaml"))
    if not paths:
        raise DataFileError(
            [Problem(str(directory), 1, "no *.yaml decks found; expected daily.yaml and weekly.yaml")]
        )
    decks: dict[str, Deck] = {}
    problems: list[Problem] = []
    for path in paths:
        try:
            decks[path.stem] = deck_from_document(document_from_file(path), path.stem)
        except DataFileError as exc:
            problems.extend(exc.problems)
    if problems:
        raise DataFileError(problems)
    return decks


def deck_from_yaml(text: str, name: str, source: str = "<deck>") -> Deck:
    return deck_from_document(_parse(text, source), name)


def deck_from_document(doc: Document, name: str) -> Deck:
    problems: list[Problem] = []
    data = doc.data
    if not isinstance(data, dict):
        raise DataFileError([doc.problem("expected a mapping with title and questions or sections")])
    for key in data:
        if key not in _DECK_KEYS:
            problems.append(
                doc.problem(f"unknown key {key!r}; expected one of {', '.join(sorted(_DECK_KEYS))}", key)
            )
    title = _text(doc, data, (), "title", problems)
    if ("questions" in data) == ("sections" in data):
        problems.append(
            doc.problem("expected either questions (a flat deck) or sections, not both or neither")
        )
        raise DataFileError(problems)
    seen: set[str] = set()
    if "questions" in data:
        flat = {**data, "id": "questions"}
        sections = [_section(doc, flat, (), problems, seen, flat=True)]
    else:
        sections = _sections(doc, data["sections"], problems, seen)
    ids = [s.id for s in sections if s is not None]
    for index, section_id in enumerate(ids):
        if section_id in ids[:index]:
            problems.append(doc.problem(f"section id {section_id!r} is used twice", "sections"))
    if problems:
        raise DataFileError(problems)
    return Deck(name=name, title=title, sections=tuple(s for s in sections if s is not None))


def _text(doc: Document, data: dict[str, Any], at: _At, key: str, problems: list[Problem]) -> str:
    value = data.get(key)
    if not isinstance(value, str) or not value.strip():
        problems.append(doc.problem(f"{key} must be non-empty text", *at, key))
        return ""
    return " ".join(value.split())


def _sections(doc: Document, raw: Any, problems: list[Problem], seen: set[str]) -> list[Section | None]:
    if not isinstance(raw, list) or not raw:
        problems.append(doc.problem("sections must be a non-empty list", "sections"))
        return []
    sections = []
    for index, item in enumerate(raw):
        if not isinstance(item, dict):
            problems.append(
                doc.problem(
                    "each section must be a mapping with id, title, ask, questions", "sections", index
                )
            )
            continue
        sections.append(_section(doc, item, ("sections", index), problems, seen, flat=False))
    return sections


def _section(
    doc: Document, item: dict[str, Any], at: _At, problems: list[Problem], seen: set[str], flat: bool
) -> Section | None:
    before = len(problems)
    if not flat:
        for key in item:
            if key not in _SECTION_KEYS:
                problems.append(
                    doc.problem(
                        f"unknown key {key!r}; expected one of {', '.join(sorted(_SECTION_KEYS))}", *at, key
                    )
                )
    section_id = item.get("id")
    if not isinstance(section_id, str) or not _SECTION_ID.match(section_id):
        problems.append(
            doc.problem("id must be lowercase letters, digits, - or _ (like what_went_well)", *at, "id")
        )
    title = "" if flat else _text(doc, item, at, "title", problems)
    questions = _questions(doc, item.get("questions"), at + ("questions",), problems, seen)
    ask = item.get("ask", 1)
    if not isinstance(ask, int) or isinstance(ask, bool) or not 1 <= ask <= max(1, len(questions)):
        problems.append(
            doc.problem(
                f"ask must be a whole number from 1 to {max(1, len(questions))} (the number of questions)",
                *at,
                "ask",
            )
        )
    if len(problems) > before:
        return None
    return Section(id=str(section_id), title=title, ask=int(ask), questions=tuple(questions))


def _questions(doc: Document, raw: Any, at: _At, problems: list[Problem], seen: set[str]) -> list[Question]:
    if not isinstance(raw, list) or not raw:
        problems.append(doc.problem("questions must be a non-empty list of texts", *at))
        return []
    questions = []
    for index, text in enumerate(raw):
        if not isinstance(text, str) or not text.strip():
            problems.append(doc.problem("a question must be non-empty text", *at, index))
            continue
        if "{" in text or "}" in text:
            problems.append(doc.problem("a question must not contain { or }", *at, index))
            continue
        question = Question(id=question_id(text), text=" ".join(text.split()))
        if question.id in seen:
            problems.append(doc.problem("this question appears twice in the deck", *at, index))
            continue
        seen.add(question.id)
        questions.append(question)
    return questions
