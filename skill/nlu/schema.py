"""Shape checks for one hassil intent document, each fault with its line."""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import Any

from hassil.expression import Sentence
from hassil.parse_expression import parse_sentence

from skill.datafile import Document, Problem

TOP_KEYS = {
    "language", "intents", "lists", "expansion_rules", "skip_words", "settings", "responses",
    "frames",
}
FRAME_KEYS = ("prefixes", "suffixes")
DATA_KEYS = {
    "sentences", "slots", "requires_context", "excludes_context", "metadata",
    "response", "expansion_rules", "lists", "required_keywords", "settings",
}


# hassil's parser recurses once per bracket and slows down long before it fails: a
# template nested 100,000 deep took 10 s to end in a RecursionError. Haven's deepest
# template nests 3 deep and its longest is under 200 characters.
MAX_TEMPLATE_CHARS = 1_000
MAX_TEMPLATE_NESTING = 20


def template_problem(doc: Document, text: Any, *path: str | int) -> Problem | None:
    """A problem if ``text`` is not a string that hassil can parse as a template."""
    if not isinstance(text, str) or not text.strip():
        return doc.problem(f"template {_short(text)} is not text; expected a sentence template",
                           *path)
    if len(text) > MAX_TEMPLATE_CHARS:
        return doc.problem(f"template {_short(text)} is {len(text)} characters long; expected "
                           f"at most {MAX_TEMPLATE_CHARS} (split it up)", *path)
    if _nesting(text) > MAX_TEMPLATE_NESTING:
        return doc.problem(f"template {_short(text)} nests brackets over {MAX_TEMPLATE_NESTING} "
                           "deep; expected a flatter template", *path)
    try:
        parsed_template(text)
    except Exception as exc:  # noqa: BLE001 - hassil raises several kinds for bad syntax
        reason = _syntax_reason(text, exc)
        return doc.problem(
            f"template {text!r} has a syntax error ({reason}); "
            "expected balanced ( ), [ ], { } and < >",
            *path,
        )
    return None


@lru_cache(maxsize=4096)
def parsed_template(text: str) -> Sentence:
    """hassil's parse of a template, kept: the start-up checks and the expansion each parse
    every template, and parsing is a fifth of start-up. Callers must not change it."""
    return parse_sentence(text, keep_text=True)


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:60] + "..." + text[-10:]


def _nesting(text: str) -> int:
    depth = deepest = 0
    for char in text:
        if char in "([{<":
            depth += 1
            deepest = max(deepest, depth)
        elif char in ")]}>":
            depth -= 1
    return deepest


def _syntax_reason(text: str, exc: Exception) -> str:
    pairs = {"(": ")", "[": "]", "{": "}", "<": ">"}
    for opening, closing in pairs.items():
        if text.count(opening) != text.count(closing):
            return f"unbalanced {opening} {closing}"
    return str(exc).split(" in: ")[0] or type(exc).__name__


def validate_schema(doc: Document) -> list[Problem]:
    """Every shape fault in ``doc`` (not cross-file references: see skill.nlu.check)."""
    data = doc.data
    if not isinstance(data, dict):
        return [doc.problem("expected a mapping with 'language' and 'intents' at the top")]
    problems: list[Problem] = []
    for key in data:
        if key not in TOP_KEYS:
            problems.append(doc.problem(
                f"unknown key {key!r}; expected one of {', '.join(sorted(TOP_KEYS))}", key))
    if not isinstance(data.get("language"), str):
        problems.append(doc.problem("missing 'language'; expected e.g. 'language: en'"))
    checks: list[tuple[str, type, Callable[[Document, Any], list[Problem]]]] = [
        ("intents", dict, _check_intents),
        ("lists", dict, _check_lists),
        ("expansion_rules", dict, _check_rules),
        ("skip_words", list, _check_skip_words),
        ("frames", dict, _check_frames),
    ]
    for key, kind, check in checks:
        if key not in data:
            continue
        value = data[key]
        if not isinstance(value, kind):
            problems.append(doc.problem(f"'{key}' must be a {kind.__name__}", key))
        else:
            problems.extend(check(doc, value))
    return problems


def _check_intents(doc: Document, intents: dict[str, Any]) -> list[Problem]:
    problems: list[Problem] = []
    for name, intent in intents.items():
        data = intent.get("data") if isinstance(intent, dict) else None
        if not isinstance(data, list) or not data:
            problems.append(doc.problem(
                f"intent {name!r} needs 'data:' with a list of '- sentences: [...]'", "intents", name))
            continue
        for d, block in enumerate(data):
            problems.extend(_check_data_block(doc, name, d, block))
    return problems


def _check_data_block(doc: Document, name: str, d: int, block: Any) -> list[Problem]:
    where = ("intents", name, "data", d)
    if not isinstance(block, dict):
        return [doc.problem(f"intent {name!r}: expected a mapping with 'sentences'", *where)]
    problems = [
        doc.problem(f"intent {name!r}: unknown key {key!r}; expected one of "
                    f"{', '.join(sorted(DATA_KEYS))}", *where, key)
        for key in block if key not in DATA_KEYS
    ]
    sentences = block.get("sentences")
    if not isinstance(sentences, list) or not sentences:
        problems.append(doc.problem(f"intent {name!r}: expected a non-empty list of sentences", *where))
        return problems
    for s, text in enumerate(sentences):
        problem = template_problem(doc, text, *where, "sentences", s)
        if problem:
            problems.append(problem)
    if "slots" in block and not isinstance(block["slots"], dict):
        problems.append(doc.problem(f"intent {name!r}: 'slots' must be a mapping", *where, "slots"))
    return problems


def _check_lists(doc: Document, lists: dict[str, Any]) -> list[Problem]:
    problems: list[Problem] = []
    for name, body in lists.items():
        where = ("lists", name)
        kinds = [k for k in ("values", "range", "wildcard") if isinstance(body, dict) and k in body]
        if len(kinds) != 1:
            problems.append(doc.problem(
                f"list {name!r}: expected exactly one of 'values', 'range' or 'wildcard'", *where))
        elif kinds[0] == "range":
            problems.extend(_check_range(doc, name, body["range"]))
        elif kinds[0] == "values":
            problems.extend(_check_values(doc, name, body["values"]))
    return problems


def _check_range(doc: Document, name: str, body: Any) -> list[Problem]:
    where = ("lists", name, "range")
    if not isinstance(body, dict):
        return [doc.problem(f"list {name!r}: 'range' needs 'from' and 'to'", *where)]
    start, stop = body.get("from"), body.get("to")
    if not isinstance(start, int) or not isinstance(stop, int):
        return [doc.problem(f"list {name!r}: 'from' and 'to' must be whole numbers", *where)]
    if start > stop:
        return [doc.problem(f"list {name!r}: 'from' ({start}) is above 'to' ({stop})", *where)]
    return []


def _check_values(doc: Document, name: str, values: Any) -> list[Problem]:
    where = ("lists", name, "values")
    if not isinstance(values, list) or not values:
        return [doc.problem(f"list {name!r}: 'values' must be a non-empty list", *where)]
    problems: list[Problem] = []
    for i, value in enumerate(values):
        text = value.get("in") if isinstance(value, dict) else value
        problem = template_problem(doc, text, *where, i)
        if problem:
            problems.append(problem)
    return problems


def _check_rules(doc: Document, rules: dict[str, Any]) -> list[Problem]:
    problems: list[Problem] = []
    for name, body in rules.items():
        problem = template_problem(doc, body, "expansion_rules", name)
        if problem:
            problems.append(problem)
    return problems


def _check_skip_words(doc: Document, words: list[Any]) -> list[Problem]:
    return [
        doc.problem(f"skip word {w!r} must be text", "skip_words", i)
        for i, w in enumerate(words) if not isinstance(w, str)
    ]


def _check_frames(doc: Document, frames: dict[str, Any]) -> list[Problem]:
    problems = [
        doc.problem(f"frames: unknown key {key!r}; expected prefixes or suffixes", "frames", key)
        for key in frames if key not in FRAME_KEYS
    ]
    for key in FRAME_KEYS:
        words = frames.get(key, [])
        if not isinstance(words, list):
            problems.append(doc.problem(f"frames.{key} must be a list of phrases", "frames", key))
            continue
        problems.extend(
            doc.problem(f"frame {w!r} must be text", "frames", key, i)
            for i, w in enumerate(words) if not isinstance(w, str) or not w.strip()
        )
    return problems
