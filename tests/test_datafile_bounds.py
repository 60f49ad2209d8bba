"""The intent-file shapes that crashed or hung ``haven intents check`` (issue 19), each now one
FILE:LINE problem, found in well under the time a user would wait."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from skill.nlu.check import check_intent_files

LAUGHS = "".join(
    f"l{i}: &l{i} [" + ",".join([f"*l{i - 1}" if i else "lol"] * 9) + "]\n" for i in range(10)
)
CHAIN = "language: en\nexpansion_rules:\n  r0: \"(a|b)\"\n" + "".join(
    f"  r{i}: \"<r{i - 1}> <r{i - 1}>\"\n" for i in range(1, 41)
) + "intents:\n  stop:\n    data:\n      - sentences: [\"<r40>\"]\n"
SENTENCE = "language: en\nintents:\n  stop:\n    data:\n      - sentences:\n          - {}\n"


@pytest.mark.parametrize("text, line, says, seconds", [
    (LAUGHS, 1, "anchor &l0 is not supported", 1.0),  # grew past 2 GB
    ("language: en\nskip_words:\n" + "  - filler words here\n" * 250_000, 1, "over", 2.0),  # 5 MB
    ("x: " + "[" * 600 + "]" * 600 + "\n", 1, "nested over 30", 1.0),  # RecursionError
    ('language: !!float "x"\n', 1, "tag tag:yaml.org,2002:float is not supported", 1.0),
    ("language: en\n", 1, "no 'intents:' in any intent file", 1.0),
    (SENTENCE.format("42"), 6, "template 42 is not text", 2.0),
    (SENTENCE.format('"' + "(" * 100_000 + "a" + ")" * 100_000 + '"'), 6, "characters long", 2.0),
    (SENTENCE.format('"' + "(" * 300 + "a" + ")" * 300 + '"'), 6, "nests brackets over 20", 2.0),
    (CHAIN, 8, "expands past 200000 steps", 5.0),  # 2^40 sentences: a hang
])
def test_hostile_intent_files_are_one_problem_each(tmp_path: Path, text: str, line: int, says: str,
                                                  seconds: float) -> None:
    path = tmp_path / "hostile.yaml"
    path.write_text(text)
    start = time.monotonic()
    report = check_intent_files([path], [])
    took = time.monotonic() - start
    found = [p for p in report.problems if says in p.message]
    assert found, [str(p) for p in report.problems][:5]
    assert found[0].file == str(path) and found[0].line == line
    assert took < seconds
