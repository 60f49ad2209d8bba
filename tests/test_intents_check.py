"""`haven intents check`: every fault in one pass, as FILE:LINE, exit 1, no traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from skill.nlu.check import check_intent_files
from skill.nlu.templates import CANONICAL_INTENTS
from skill.paths import golden_files, intent_files
from skill.nlu.templates import CANONICAL_INTENTS

GOOD_TESTS = """\
language: en
tests:
  - sentences: ["we need a break"]
    intent: {name: break.start}
"""


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def _haven(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "skill", *args],
                          capture_output=True, text=True, timeout=60)


def test_shipped_files_are_clean() -> None:
    report = check_intent_files(intent_files(), golden_files())
    assert report.problems == []
    assert report.intents == len(CANONICAL_INTENTS) and report.sentences > 1000


def test_cli_ok_line() -> None:
    result = _haven("intents", "check")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith("ok: ")


def test_yaml_syntax_error_has_its_line(tmp_path: Path) -> None:
    bad = _write(tmp_path, "bad.yaml", "language: en\nintents:\n  stop:\n    data: [\n")
    result = _haven("intents", "check", str(bad), "--tests")
    assert result.returncode == 1
    assert f"{bad}:5: YAML syntax error" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr


def test_every_error_reported_with_line(tmp_path: Path) -> None:
    text = """\
language: en
lists:
  minutes:
    range: {from: 1, to: 60}
expansion_rules:
  brk: "(break|pause)"
intents:
  break.start:
    data:
      - sentences:
          - "we need a (break"
          - "we need a {nolist} break"
          - "we need a <norule>"
          - "stop"
  stop:
    data:
      - sentences:
          - "stop"
  break.resumed:
    data:
      - sentences:
          - "we are back"
  help:
    data: []
"""
    path = _write(tmp_path, "intents.yaml", text)
    tests = _write(tmp_path, "tests.yaml", GOOD_TESTS)
    result = _haven("intents", "check", str(path), "--tests", str(tests))
    out = result.stdout
    assert result.returncode == 1
    assert "Traceback" not in out + result.stderr
    assert f"{path}:11: template 'we need a (break' has a syntax error (unbalanced ( )" in out
    assert f"{path}:12:" in out and "undefined list {nolist}" in out
    assert f"{path}:13:" in out and "undefined expansion rule <norule>" in out
    assert f"{path}:14: sentence 'stop' matches both break.start and stop" in out \
        or f"{path}:18: sentence 'stop' matches both stop and break.start" in out
    assert f"{path}:19: unknown intent 'break.resumed'" in out
    assert f"{path}:23: intent 'help' needs 'data:'" in out


def test_schema_errors_all_reported_at_once(tmp_path: Path) -> None:
    text = "language: en\nbogus: 1\nlists:\n  m:\n    range: {from: 9, to: 1}\nintents: []\n"
    path = _write(tmp_path, "x.yaml", text)
    report = check_intent_files([path], [])
    lines = {(p.line, p.message.split(";")[0]) for p in report.problems}
    assert (2, "unknown key 'bogus'") in lines
    assert any(line == 5 and "'from' (9) is above 'to' (1)" in msg for line, msg in lines)
    assert any(line == 6 and "'intents' must be a dict" in msg for line, msg in lines)


def test_intent_without_test_cases(tmp_path: Path) -> None:
    files = intent_files()
    tests = _write(tmp_path, "tests.yaml", GOOD_TESTS)
    report = check_intent_files(files, [tests])
    untested = [p for p in report.problems if "has no test cases" in p.message]
    assert len(untested) == len(CANONICAL_INTENTS) - 1  # all but break.start
    assert all(p.file.endswith(".yaml") and p.line > 1 for p in untested)


def test_missing_file_is_one_line(tmp_path: Path) -> None:
    result = _haven("intents", "check", str(tmp_path / "nope.yaml"))
    assert result.returncode == 1
    assert "nope.yaml:1: cannot read file" in result.stdout
    assert "Traceback" not in result.stderr


def test_broken_shipped_file_does_not_crash_match(tmp_path: Path) -> None:
    data = tmp_path / "data"
    (data / "sentences").mkdir(parents=True)
    (data / "sentences" / "x.yaml").write_text("language: en\nintents:\n  stop:\n    data: [\n")
    result = subprocess.run([sys.executable, "-m", "skill", "match", "stop"], capture_output=True,
                            text=True, timeout=60, env={"HAVEN_DATA_DIR": str(data), "PATH": ""})
    assert result.returncode == 1
    assert "x.yaml:5: YAML syntax error" in result.stderr
    assert "Traceback" not in result.stderr
