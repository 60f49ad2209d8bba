"""YAML documents that remember where each value came from (file and line).

Data files are validated with ``FILE:LINE`` errors, so loading keeps a map from
each value's path inside the document (``("intents", "stop", "data", 0,
"sentences", 2)``) to its 1-based line.

Loading is bounded, because a data file is input like any other: fuzzed intent
files hung ``haven intents check`` (alias "billion laughs" growing past 2 GB,
files of tens of MB) or crashed it (nesting 500 deep, ``!!float "x"``). So a
file is read only if it is a regular file of at most ``MAX_BYTES``; its event
stream is checked before anything is built: no aliases (Haven's files never
need them, and refusing them is simpler and safer than expanding on a budget),
no explicit tags, at most ``MAX_DEPTH`` levels of nesting and ``MAX_NODES``
values. Each refusal is one ``FILE:LINE`` problem.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

PathKey = tuple[str | int, ...]

MAX_BYTES = 1_000_000  # the largest shipped file is 13 kB
MAX_DEPTH = 30  # the shipped files nest 7 deep
MAX_NODES = 100_000  # the shipped files hold about 1,000 values

# The C parser when PyYAML has it (the same grammar, faster on a large file).
_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class UnreadableFile(Exception):
    """A file that is there but is not a small regular UTF-8 text file; the message says why."""


def read_bounded_text(path: Path, max_bytes: int) -> str:
    """The UTF-8 text of ``path``; UnreadableFile if it is not a regular file of at most
    ``max_bytes``. Opened non-blocking and checked with fstat before reading, so a FIFO or a
    device in its place is refused instead of hanging. OSError (missing, no permission) passes."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    with os.fdopen(fd, "rb") as fh:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise UnreadableFile("it is not a regular file")
        if info.st_size > max_bytes:
            raise UnreadableFile(f"it is {info.st_size} bytes, over the limit of {max_bytes}")
        raw = fh.read(max_bytes + 1)
    if len(raw) > max_bytes:
        raise UnreadableFile(f"it is over the limit of {max_bytes} bytes")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise UnreadableFile(f"it is not UTF-8 text (byte {exc.start})") from None


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
    """Parse YAML text within the bounds; raise DataFileError with the line of any fault."""
    if len(text) > MAX_BYTES:
        raise DataFileError([Problem(name, 1, f"file is over {MAX_BYTES} characters; "
                                              "expected a small data file")])
    try:
        _check_events(text, name)
        node = yaml.compose(text, Loader=_Loader)
        data = _Loader("").construct_document(node) if node is not None else None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 1
        reason = getattr(exc, "problem", None) or str(exc)
        raise DataFileError(
            [Problem(name, line, f"YAML syntax error: {reason}; expected valid YAML")]
        ) from None
    except (ValueError, TypeError, OverflowError, RecursionError) as exc:
        raise DataFileError([Problem(name, 1, f"YAML value cannot be read ({exc})")]) from None
    lines: dict[PathKey, int] = {}
    if node is not None:
        _record_lines(node, (), lines)
    return Document(name=name, data=data, lines=lines)


def _check_events(text: str, name: str) -> None:
    """Refuse aliases, explicit tags, deep nesting and too many values, before building."""
    depth = nodes = 0
    for event in yaml.parse(text, Loader=_Loader):
        line = event.start_mark.line + 1 if event.start_mark is not None else 1
        if isinstance(event, yaml.AliasEvent):
            _refuse(name, line, f"alias *{event.anchor} is not supported; write the value out")
        if isinstance(event, yaml.NodeEvent):
            nodes += 1
            if nodes > MAX_NODES:
                _refuse(name, line, f"over {MAX_NODES} values; expected a small data file")
            if getattr(event, "anchor", None) is not None:
                _refuse(name, line, f"anchor &{event.anchor} is not supported; write the value out")
            if _explicit_tag(event):
                _refuse(name, line, f"tag {getattr(event, 'tag', '')} is not supported; "
                        "write the plain value")
        if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
            depth += 1
            if depth > MAX_DEPTH:
                _refuse(name, line, f"nested over {MAX_DEPTH} levels deep; expected a flatter file")
        elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
            depth -= 1


def _explicit_tag(event: Any) -> bool:
    if getattr(event, "tag", None) is None:
        return False
    implicit = getattr(event, "implicit", True)
    return implicit is False or implicit == (False, False)


def _refuse(name: str, line: int, message: str) -> None:
    raise DataFileError([Problem(name, line, message)])


def document_from_file(path: Path) -> Document:
    """Read and parse a YAML file; an unreadable file is a DataFileError, not a traceback."""
    try:
        text = read_bounded_text(path, MAX_BYTES)
    except OSError as exc:
        raise DataFileError([Problem(str(path), 1, f"cannot read file: {exc.strerror}")]) from None
    except UnreadableFile as exc:
        raise DataFileError([Problem(str(path), 1, f"cannot read file: {exc}")]) from None
    return document_from_text(text, str(path))
