"""Check-in decks: YAML files, one deck per file, named by the file's stem.

The shipped decks are under ``intents/decks/``; a couple's own decks in
``decks/`` in their config directory add to them, or replace the shipped deck of
the same name. A flat deck lists ``questions`` and how many to ``ask`` per
session; a sectioned deck lists ``sections`` (each with ``id``, ``title``,
``ask`` and ``questions``), asked in order. ``turns: true`` (on a section, or on
a flat deck) makes its questions timed turns: one speaks, the listener sums up,
then they swap. ``opening: true`` asks whether now is a good time before the
first question, and an optional ``intro`` line of guidance follows the deck's
introduction; ``minutes`` says about how long a session takes. A question's id is a hash of its text, so the rotation survives
reordering the file; editing a question makes it new.

Questions are read aloud to both partners by a device that is nobody, so a
question speaks to the couple ("your partner", "the two of you") and never in a
first person ("I", "we", "us") outside quotation marks; it asks one thing (one
question mark, at its end) in at most ``MAX_WORDS`` words.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Union

from skill.datafile import DataFileError, Document, Problem, document_from_file
from skill.datafile import document_from_text as _parse
from skill.paths import config_dir, data_dir

_SECTION_ID = re.compile(r"^[a-z][a-z0-9_-]*$")
_DECK_KEYS = {"title", "intro", "minutes", "ask", "questions", "sections", "turns", "opening"}
_SECTION_KEYS = {"id", "title", "ask", "questions", "turns"}
DEFAULT_MINUTES = 15  # a deck that does not say how long it takes
MAX_WORDS = 30  # a question must be easy to hold in mind while answering
_FIRST_PERSON = frozenset(
    "i i'm i've i'd i'll me my mine myself we we're we've we'd we'll us our ours ourselves let's".split()
)
_QUOTED = re.compile(r'"[^"]*"|\u201c[^\u201d]*\u201d')
_WORD = re.compile(r"[a-z]+(?:['\u2019][a-z]+)?")
_At = tuple[Union[str, int], ...]


@dataclass(frozen=True)
class Question:
    id: str
    text: str


@dataclass(frozen=True)
class Section:
    """Part of a deck; ``title`` is empty for a flat deck; ``ask`` questions per session;
    ``turns``: each question is answered in timed turns with a summary by the listener."""

    id: str
    title: str
    ask: int
    questions: tuple[Question, ...]
    turns: bool = False


@dataclass(frozen=True)
class Deck:
    """``opening``: ask "is now a good time for both of you?" before the first question;
    ``intro``: one line of guidance read after the deck's introduction (may be empty);
    ``minutes``: about how long a session takes (a quiet session is dropped after twice that)."""

    name: str
    title: str
    sections: tuple[Section, ...]
    opening: bool = False
    intro: str = ""
    minutes: int = DEFAULT_MINUTES

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


def user_decks_dir() -> Path:
    """The couple's own decks: ``decks/*.yaml`` beside ``config.toml``."""
    return config_dir() / "decks"


def deck_files(directory: Path | None = None, user_directory: Path | None = None) -> list[Path]:
    """The shipped deck files, then the couple's (a later file of the same name wins)."""
    return _shipped_files(directory or decks_dir()) + _user_files(user_directory)


def _shipped_files(directory: Path) -> list[Path]:
    return sorted(directory.glob("*.yaml"))


def _user_files(user_directory: Path | None) -> list[Path]:
    user = user_directory or user_decks_dir()
    return sorted(user.glob("*.yaml")) if user.is_dir() else []


def load_decks(directory: Path | None = None, user_directory: Path | None = None) -> dict[str, Deck]:
    """Every deck, shipped and the couple's own, by file stem; all problems at once."""
    directory = directory or decks_dir()
    paths = deck_files(directory, user_directory)
    if not paths:
        raise _no_decks(directory)
    return load_deck_files(paths)


def _no_decks(directory: Path) -> DataFileError:
    return DataFileError([Problem(str(directory), 1, "no *.yaml decks found; expected daily.yaml and weekly.yaml")])


def load_deck_files(paths: list[Path]) -> dict[str, Deck]:
    """The decks in ``paths`` by file stem (a later path replaces an earlier one of the same stem)."""
    decks, problems = _decks_and_problems(paths)
    if problems:
        raise DataFileError(problems)
    return decks


def load_decks_to_start(directory: Path | None = None,
                        user_directory: Path | None = None) -> tuple[dict[str, Deck], list[Problem]]:
    """For starting Haven: the shipped decks (a problem in them is an error: they are Haven's
    own files), and those of the couple's own that load; the problems of the rest, which are
    left out (a typo in a deck of their own must not keep Haven, and its breaks, from starting;
    ``haven decks check`` shows them)."""
    directory = directory or decks_dir()
    shipped = _shipped_files(directory)
    if not shipped:
        raise _no_decks(directory)
    own, problems = _decks_and_problems(_user_files(user_directory))
    return {**load_deck_files(shipped), **own}, problems


def _decks_and_problems(paths: list[Path]) -> tuple[dict[str, Deck], list[Problem]]:
    decks: dict[str, Deck] = {}
    problems: list[Problem] = []
    for path in paths:
        try:
            decks[path.stem] = deck_from_document(document_from_file(path), path.stem)
        except DataFileError as exc:
            problems.extend(exc.problems)
    return decks, problems


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
    opening = _flag(doc, data, (), "opening", problems)
    intro = _intro(doc, data, problems)
    minutes = data.get("minutes", DEFAULT_MINUTES)
    if not isinstance(minutes, int) or isinstance(minutes, bool) or not 1 <= minutes <= 240:
        problems.append(doc.problem("minutes must be a whole number from 1 to 240", "minutes"))
    seen: set[str] = set()
    if "questions" in data:
        flat = {**data, "id": "questions"}
        sections = [_section(doc, flat, (), problems, seen, flat=True)]
    else:
        if "turns" in data:
            problems.append(doc.problem("turns belongs on each section of a sectioned deck", "turns"))
        sections = _sections(doc, data["sections"], problems, seen)
    ids = [s.id for s in sections if s is not None]
    for index, section_id in enumerate(ids):
        if section_id in ids[:index]:
            problems.append(doc.problem(f"section id {section_id!r} is used twice", "sections"))
    if problems:
        raise DataFileError(problems)
    return Deck(
        name=name,
        title=title,
        sections=tuple(s for s in sections if s is not None),
        opening=opening,
        intro=intro,
        minutes=int(minutes),
    )


def _intro(doc: Document, data: dict[str, Any], problems: list[Problem]) -> str:
    if "intro" not in data:
        return ""
    text = _text(doc, data, (), "intro", problems)
    wording = wording_problem(text, question=False) if text else None
    if wording:
        problems.append(doc.problem(f"intro: {wording}", "intro"))
        return ""
    return text


def _flag(doc: Document, data: dict[str, Any], at: _At, key: str, problems: list[Problem]) -> bool:
    value = data.get(key, False)
    if not isinstance(value, bool):
        problems.append(doc.problem(f"{key} must be true or false", *at, key))
        return False
    return value


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
    turns = _flag(doc, item, at, "turns", problems)
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
    return Section(
        id=str(section_id), title=title, ask=int(ask), questions=tuple(questions), turns=turns
    )


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
        wording = wording_problem(text)
        if wording:
            problems.append(doc.problem(wording, *at, index))
            continue
        question = Question(id=question_id(text), text=" ".join(text.split()))
        if question.id in seen:
            problems.append(doc.problem("this question appears twice in the deck", *at, index))
            continue
        seen.add(question.id)
        questions.append(question)
    return questions


def wording_problem(text: str, question: bool = True) -> str | None:
    """Why a question (or, ``question=False``, a line of guidance) cannot be read aloud as it
    is, or None: its length, two questions, no question mark, a first person."""
    words = text.split()
    if len(words) > MAX_WORDS:
        return f"a question must be at most {MAX_WORDS} words (this one has {len(words)}); shorten it"
    if text.count("?") > 1:
        return "ask one question at a time (this one has more than one question mark); split it"
    if question and not text.rstrip().endswith("?"):
        return "end the question with a question mark, so it is read as a question"
    outside = _QUOTED.sub(" ", text.lower())
    found = [w for w in _WORD.findall(outside.replace("\u2019", "'")) if w in _FIRST_PERSON]
    if found:
        return (
            f"the device reads this aloud, so {found[0]!r} has nobody to be: speak to the couple "
            "(\"your partner\", \"the two of you\"), or put words to say in quotation marks"
        )
    return None
