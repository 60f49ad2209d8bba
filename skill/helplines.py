"""Help lines by country (``intents/helplines.yaml``), and numbers as they are spoken.

A frightened person must be able to take the number down: it is spoken digit by
digit, as words ("one, eight, zero, zero"), so every voice reads it the same way
(a voice left to read "1-800-799-7233" says "one dash eight hundred..."), with a
longer pause between the groups it is written in.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping

from skill.datafile import DataFileError, Document, Problem, document_from_file, document_from_text
from skill.paths import data_dir

DIGIT_WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
_FIELDS = {"name", "phone", "text", "emergency", "source"}


@dataclass(frozen=True)
class HelpLine:
    """One country's line. ``text_keyword``/``text_number`` empty when it takes no texts."""

    country: str
    name: str
    phone: str
    emergency: str
    source: str
    text_keyword: str = ""
    text_number: str = ""


def country_key(code: str) -> str:
    """The entry for a configured country: upper case, and GB is the UK."""
    key = code.strip().upper()
    return "UK" if key == "GB" else key


def spoken_digits(number: str) -> str:
    """ "1-800-799-7233" -> "one, eight, zero, zero. seven, nine, nine. seven, two, three, three"."""
    groups = [g for g in re.split(r"[^0-9A-Za-z]+", number) if g]
    spoken = []
    for group in groups:
        words = [DIGIT_WORDS[int(c)] if c.isdigit() else c.upper() for c in group]
        spoken.append(", ".join(words))
    return ". ".join(spoken)


def helplines_path() -> Path:
    return data_dir() / "helplines.yaml"


def helplines_from_file(path: Path | None = None) -> dict[str, HelpLine]:
    return helplines_from_document(document_from_file(path or helplines_path()))


def helplines_from_yaml(text: str, name: str = "<helplines>") -> dict[str, HelpLine]:
    return helplines_from_document(document_from_text(text, name))


def helplines_from_document(doc: Document) -> dict[str, HelpLine]:
    """Validate every entry; raise DataFileError listing each problem with its line."""
    if not isinstance(doc.data, dict) or not doc.data:
        raise DataFileError([doc.problem("expected a mapping of country code to a help line")])
    problems: list[Problem] = []
    found: dict[str, HelpLine] = {}
    for code, entry in doc.data.items():
        line = _entry(doc, str(code), entry, problems)
        if line is not None:
            found[line.country] = line
    if problems:
        raise DataFileError(problems)
    return found


def _entry(doc: Document, code: str, entry: Any, problems: list[Problem]) -> HelpLine | None:
    before = len(problems)
    if not re.fullmatch(r"[A-Z]{2}", code):
        problems.append(doc.problem(f"{code!r}: expected a two-letter country code like US", code))
    if not isinstance(entry, dict):
        problems.append(doc.problem(f"{code}: expected name, phone, emergency and source", code))
        return None
    for key in sorted(set(entry) - _FIELDS):
        problems.append(doc.problem(f"{code}: unknown field {key!r}; expected {', '.join(sorted(_FIELDS))}",
                                    code, key))
    values: dict[str, str] = {}
    for key in ("name", "phone", "emergency", "source"):
        value = entry.get(key)
        if not isinstance(value, str) or not value.strip():
            problems.append(doc.problem(f"{code}: {key} must be non-empty text", code, key))
        else:
            values[key] = value.strip()
    for key in ("phone", "emergency"):
        if key in values and not re.fullmatch(r"[0-9][0-9 \-]*", values[key]):
            problems.append(doc.problem(f"{code}: {key} must be digits (spaces and dashes allowed)",
                                        code, key))
    if "source" in values and not values["source"].startswith("https://"):
        problems.append(doc.problem(f"{code}: source must be the https:// page that publishes the number",
                                    code, "source"))
    keyword, number = _text(doc, code, entry.get("text"), problems)
    if len(problems) > before:
        return None
    return HelpLine(code, values["name"], values["phone"], values["emergency"], values["source"],
                    keyword, number)


def _text(doc: Document, code: str, raw: Any, problems: list[Problem]) -> tuple[str, str]:
    if raw is None:
        return "", ""
    if (not isinstance(raw, dict) or not isinstance(raw.get("keyword", ""), str)
            or not isinstance(raw.get("number"), str) or not str(raw["number"]).isdigit()):
        problems.append(doc.problem(f"{code}: text must be {{keyword: WORD, number: DIGITS}}", code, "text"))
        return "", ""
    return str(raw.get("keyword", "")).strip(), str(raw["number"])


def default_helplines() -> Mapping[str, HelpLine]:
    """The shipped help lines (read once per data directory; validated by tests and at start-up)."""
    return _helplines_at(helplines_path())


@functools.lru_cache(maxsize=4)
def _helplines_at(path: Path) -> Mapping[str, HelpLine]:
    return helplines_from_file(path)
