"""YAML documents that remember where each value came from (file and line).

Data files are validated with ``FILE:LINE`` errors, so loading keeps a map from
each value's path inside the document (``("intents", "stop", "data", 0,
"sentences", 2)``) to its 1-based line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

PathKey = tuple[str | int, ...]


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a data file, as ``FILE:LINE: message``."""

    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


class DataFileError(Exception):
    """A data file (intents, decks, lines) is broken; ``problems`` lists every fault."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


@dataclass
class Document:
    """A parsed YAML file and the line of every value in it."""

    name: str
    data: Any
    lines: dict[PathKey, int] = field(default_factory=dict)

    def line(self, *path: str | int) -> int:
        """Line of the value at ``path``, or of its nearest ancestor that has one."""
        key: PathKey = tuple(path)
        while key:
            if key in self.lines:
                return self.lines[key]
            key = key[:-1]
        return 1

    def problem(self, message: str, *path: str | int) -> Problem:
        return Problem(self.name, self.line(*path), message)


def _record_lines(node: yaml.Node, path: PathKey, lines: dict[PathKey, int],
                  line: int | None = None) -> None:
    lines[path] = line if line is not None else node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else str(key_node)
            # A mapping entry is "at" the line its key is written on.
            _record_lines(value_node, path + (key,), lines, key_node.start_mark.line + 1)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _record_lines(item, path + (index,), lines)


def document_from_text(text: str, name: str) -> Document:
    """Parse YAML text; raise DataFileError with the line of a syntax error."""
    try:
        data = yaml.safe_load(text)
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 1
        reason = getattr(exc, "problem", None) or str(exc)
        raise DataFileError(
            [Problem(name, line, f"YAML syntax error: {reason}; expected valid YAML")]
        ) from None
    lines: dict[PathKey, int] = {}
    if node is not None:
        _record_lines(node, (), lines)
    return Document(name=name, data=data, lines=lines)


def document_from_file(path: Path) -> Document:
    """Read and parse a YAML file; an unreadable file is a DataFileError, not a traceback."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else "not UTF-8 text"
        raise DataFileError([Problem(str(path), 1, f"cannot read file: {reason}")]) from None
    return document_from_text(text, str(path))
