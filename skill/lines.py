"""Spoken lines: ``intents/lines.yaml`` (line id -> variants) and rendering ``Say`` to text.

Every id the engine can emit (``skill.engine.catalog.LINE_PARAMS``) must be in
the file, every id in the file must be one the engine emits, and a variant may
only use the ``{params}`` the engine passes. Problems are reported together,
each with its file and line.
"""

from __future__ import annotations

import random
import string
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Mapping

from skill.engine.catalog import LINE_PARAMS
from skill.messages import Say
from skill.datafile import DataFileError, Document, Problem, document_from_file, document_from_text
from skill.paths import data_dir

MAX_VARIANTS = 4


def lines_path() -> Path:
    return data_dir() / "lines.yaml"


@dataclass(frozen=True)
class LineBook:
    """The validated lines: id -> its variants (format strings)."""

    variants: Mapping[str, tuple[str, ...]]

    @classmethod
    def from_files(cls, path: Path | None = None) -> LineBook:
        return cls.from_document(document_from_file(path or lines_path()))

    @classmethod
    def from_yaml(cls, text: str, source: str = "<lines>") -> LineBook:
        return cls.from_document(document_from_text(text, source))

    @classmethod
    def from_document(cls, doc: Document, catalog: Mapping[str, frozenset[str]] = LINE_PARAMS) -> LineBook:
        if not isinstance(doc.data, dict):
            raise DataFileError([doc.problem("expected a mapping of line id to a list of variants")])
        problems: list[Problem] = []
        variants: dict[str, tuple[str, ...]] = {}
        for line_id, raw in doc.data.items():
            if line_id not in catalog:
                problems.append(
                    doc.problem(f"unknown line id {line_id!r}: the engine never says it (a typo?)", line_id)
                )
                continue
            found = _variants(doc, str(line_id), raw, catalog[line_id], problems)
            if found:
                variants[str(line_id)] = found
        for line_id in sorted(set(catalog) - set(doc.data)):
            params = ", ".join(sorted(catalog[line_id])) or "no parameters"
            problems.append(
                doc.problem(f"missing line {line_id!r}, which the engine says ({params}); add it")
            )
        if problems:
            raise DataFileError(problems)
        return cls(variants)


def _variants(
    doc: Document, line_id: str, raw: object, allowed: frozenset[str], problems: list[Problem]
) -> tuple[str, ...]:
    if not isinstance(raw, list) or not 1 <= len(raw) <= MAX_VARIANTS:
        problems.append(doc.problem(f"{line_id}: expected a list of 1 to {MAX_VARIANTS} variants", line_id))
        return ()
    found = []
    for index, text in enumerate(raw):
        if not isinstance(text, str) or not text.strip():
            problems.append(doc.problem(f"{line_id}: a variant must be non-empty text", line_id, index))
            continue
        problem = _check_fields(text, allowed)
        if problem:
            problems.append(doc.problem(f"{line_id}: {problem}", line_id, index))
            continue
        found.append(text.strip())
    return tuple(found)


def _check_fields(text: str, allowed: frozenset[str]) -> str | None:
    try:
        fields = [name for _, name, spec, conv in string.Formatter().parse(text) if name is not None]
    except ValueError as exc:
        return f"bad braces ({exc}); write {{name}} for a parameter"
    for name in fields:
        if name not in allowed:
            expected = ", ".join("{" + p + "}" for p in sorted(allowed)) or "no parameters"
            return f"unknown parameter {{{name}}}; expected {expected}"
    return None


def format_clock(when: datetime, local_time: bool = False) -> str:
    """A calm spoken clock time: "8:40", twelve-hour, no am/pm (breaks are short)."""
    if local_time:
        when = when.astimezone()
    hour = when.hour % 12 or 12
    return f"{hour}:{when.minute:02d}"


def format_duration(span: timedelta) -> str:
    """A spoken duration rounded to the minute: "15 minutes", "1 hour and 10 minutes"."""
    total = int((span.total_seconds() + 30) // 60)
    if total <= 0:
        return "less than a minute"
    hours, mins = divmod(total, 60)
    parts = []
    if hours:
        parts.append(f"{hours} hour" + ("s" if hours > 1 else ""))
    if mins:
        parts.append(f"{mins} minute" + ("s" if mins > 1 else ""))
    return " and ".join(parts)


def format_param(value: object, local_time: bool = False) -> str:
    if isinstance(value, datetime):
        return format_clock(value, local_time)
    if isinstance(value, timedelta):
        return format_duration(value)
    return str(value)


class Renderer:
    """Turns ``Say`` actions into text; variants come from an injected ``random.Random``.

    The same variant is never picked twice in a row for a line, and a seeded
    ``rng`` makes the output reproducible (``haven simulate`` relies on it).
    ``local_time`` converts clock times to the system's zone (the live loop).
    """

    def __init__(self, book: LineBook, rng: random.Random | None = None, local_time: bool = False) -> None:
        self.book = book
        self.rng = rng or random.Random()
        self.local_time = local_time
        self._last: dict[str, int] = {}

    def render(self, action: Say) -> str:
        variants = self.book.variants[action.line_id]
        choices = [i for i in range(len(variants)) if i != self._last.get(action.line_id)]
        index = self.rng.choice(choices or [0])
        self._last[action.line_id] = index
        params = {k: format_param(v, self.local_time) for k, v in action.params.items()}
        return variants[index].format(**params)
