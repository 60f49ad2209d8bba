"""Golden test cases for intents, in Home Assistant's test-file shape.

    language: en
    tests:
      - sentences: ["we need a twenty minute break"]
        intent: {name: break.start, slots: {minutes: 20}}
    negatives:            # Haven's addition: must match no intent at all
      - near: break.start # optional: the intent these sound like
        sentences: ["the car needs new brakes"]
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from skill.messages import SlotValue
from skill.datafile import DataFileError, Document, Problem, document_from_file


@dataclass(frozen=True)
class GoldenCase:
    """One utterance and the intent it must give (None: no intent)."""

    text: str
    intent: str | None
    slots: tuple[tuple[str, SlotValue], ...]
    file: str
    line: int
    near: str | None = None  # for a negative: the intent it sounds like

    @property
    def where(self) -> str:
        return f"{self.file}:{self.line}"


@dataclass
class GoldenSet:
    files: list[str] = field(default_factory=list)
    cases: list[GoldenCase] = field(default_factory=list)

    @property
    def case_count(self) -> int:
        return len(self.cases)

    def positives(self) -> list[GoldenCase]:
        return [c for c in self.cases if c.intent is not None]

    def negatives(self) -> list[GoldenCase]:
        return [c for c in self.cases if c.intent is None]

    def tested_intents(self) -> set[str]:
        return {c.intent for c in self.cases if c.intent is not None}

    def near_missed_intents(self) -> set[str]:
        return {c.near for c in self.cases if c.near is not None}

    def describe_files(self) -> str:
        return ", ".join(self.files) or "the golden files"


def golden_from_document(doc: Document) -> tuple[list[GoldenCase], list[Problem]]:
    data = doc.data if isinstance(doc.data, dict) else None
    if data is None:
        return [], [doc.problem("expected a mapping with 'tests' and/or 'negatives'")]
    cases: list[GoldenCase] = []
    problems: list[Problem] = []
    for key in ("tests", "negatives"):
        blocks = data.get(key) or []
        if not isinstance(blocks, list):
            problems.append(doc.problem(f"'{key}' must be a list of blocks with 'sentences'", key))
            continue
        for b, block in enumerate(blocks):
            found, bad = _block_cases(doc, key, b, block)
            cases.extend(found)
            problems.extend(bad)
    return cases, problems


def _block_cases(doc: Document, key: str, b: int, block: Any) -> tuple[list[GoldenCase], list[Problem]]:
    where = (key, b)
    if not isinstance(block, dict) or not isinstance(block.get("sentences"), list):
        return [], [doc.problem("expected a block with a list of 'sentences'", *where)]
    intent: str | None = None
    slots: tuple[tuple[str, SlotValue], ...] = ()
    near = block.get("near") if key == "negatives" else None
    if near is not None and not isinstance(near, str):
        return [], [doc.problem("'near' must name the intent these negatives sound like", *where)]
    if key == "tests":
        spec = block.get("intent")
        if not isinstance(spec, dict) or not isinstance(spec.get("name"), str):
            return [], [doc.problem("expected 'intent: {name: ..., slots: {...}}'", *where)]
        intent = spec["name"]
        slots = tuple(sorted((spec.get("slots") or {}).items()))
    cases, problems = [], []
    for s, text in enumerate(block["sentences"]):
        line = doc.line(key, b, "sentences", s)
        if not isinstance(text, str):
            problems.append(Problem(doc.name, line, f"sentence {text!r} must be text"))
        else:
            cases.append(GoldenCase(text, intent, slots, doc.name, line, near))
    return cases, problems


def load_golden(paths: Iterable[Path]) -> GoldenSet:
    golden = GoldenSet()
    problems: list[Problem] = []
    for path in paths:
        golden.files.append(str(path))
        try:
            doc = document_from_file(path)
        except DataFileError as exc:
            problems.extend(exc.problems)
            continue
        cases, bad = golden_from_document(doc)
        golden.cases.extend(cases)
        problems.extend(bad)
    if problems:
        raise DataFileError(problems)
    return golden
