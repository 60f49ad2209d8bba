"""Typed input of any length or script: clipped for matching, never a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from skill.app.parts import load_matcher
from skill.nlu.normalize import MAX_COMMAND_WORDS, clip_command, replace_numbers

ROOT = Path(__file__).resolve().parents[1]
RAMBLE = ("we really need to talk about the dishes and the way you always leave them for me " * 70).strip()


def test_a_thousand_word_line_is_matched_in_a_moment() -> None:
    matcher = load_matcher()
    line = " ".join(RAMBLE.split()[:1000])
    start = time.monotonic()
    assert matcher.match(line) is None
    assert time.monotonic() - start < 1.0  # was 158 s
    assert len(clip_command(line).split()) == MAX_COMMAND_WORDS


@pytest.mark.parametrize("text, values", [
    ("we need a ² minute break", ()),  # a superscript is no number (it was a ValueError)
    ("we need a ٣٠ minute break", (30,)),  # Arabic-Indic digits are
    ("we need a " + "9" * 5000 + " minute break", ()),  # past int()'s digit limit
    ("a 15 minute break", (15,)),
])
def test_digits_of_any_kind_never_raise(text: str, values: tuple[int, ...]) -> None:
    assert replace_numbers(text)[1] == values
    load_matcher().match(text)  # no exception


def test_haven_run_answers_at_once_after_a_huge_line(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "HAVEN_STATE_DIR": str(tmp_path / "state"),
           "HAVEN_CONFIG_DIR": str(tmp_path / "config")}
    lines = "\n".join([RAMBLE * 3, "we need a ² minute break", "x" * 1_000_000, "we need a break", ""])
    start = time.monotonic()
    result = subprocess.run([sys.executable, "-m", "skill", "run", "--text", "--voice", "none"],
                            input=lines, env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and "Traceback" not in result.stderr
    assert "20 minutes" in result.stdout
    assert time.monotonic() - start < 20


def test_a_script_time_of_thousands_of_digits_is_a_mistake_not_a_crash(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "HAVEN_CONFIG_DIR": str(tmp_path / "config")}
    result = subprocess.run([sys.executable, "-m", "skill", "simulate"], input="1" * 5000 + ":00 hi\n",
                            env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "<stdin>:1: expected 'MM:SS text'" in result.stderr
