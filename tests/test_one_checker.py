"""One loader, one checker: every command loads the intent files through the checks of
``haven intents check``; a broken file is one sentence with FILE:LINE and exit 1."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SIMULATE_SCRIPT = "00:00 we need a break\n"


def broken_data(tmp_path: Path, how: str) -> Path:
    data = tmp_path / "data"
    shutil.copytree(ROOT / "intents", data)
    sentences = data / "sentences"
    if how == "misspelled rule":
        path = sentences / "break.yaml"
        path.write_text(path.read_text().replace("<we_need> a <minutes_long> <break>",
                                                 "<we_need> a <minutes_long> <brake_rule>", 1))
    elif how == "empty sentences":
        for path in sentences.glob("*.yaml"):
            path.unlink()
    elif how == "alias bomb":
        (sentences / "extra.yaml").write_text(
            "language: en\nlists:\n  a: &a {values: [x]}\n  b: *a\n")
    return data


def haven(data: Path, tmp_path: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "HAVEN_DATA_DIR": str(data),
           "HAVEN_STATE_DIR": str(tmp_path / "state"), "HAVEN_CONFIG_DIR": str(tmp_path / "config")}
    return subprocess.run([sys.executable, "-m", "skill", *args], input=stdin, env=env,
                          capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("how, where", [
    ("misspelled rule", "break.yaml:"),
    ("empty sentences", "sentences:1:"),
    ("alias bomb", "extra.yaml:3:"),
])
def test_every_command_refuses_broken_intents_with_file_and_line(tmp_path: Path, how: str, where: str) -> None:
    data = broken_data(tmp_path, how)
    check = haven(data, tmp_path, "intents", "check", *sorted(map(str, (data / "sentences").glob("*.yaml"))))
    assert check.returncode == 1 and "Traceback" not in check.stderr  # the checker agrees
    for args, stdin in (
        (["run", "--text", "--voice", "none"], "we need a break\n"),
        (["match", "we need a break"], ""),
        (["simulate"], SIMULATE_SCRIPT),
        (["recognize", str(tmp_path / "any.wav")], ""),
    ):
        result = haven(data, tmp_path, *args, stdin=stdin)
        assert result.returncode == 1, (args, result.stderr)
        assert "Traceback" not in result.stderr
        assert result.stderr.startswith("haven: the intent files have ") and where in result.stderr, \
            (args, result.stderr)
        assert "fix them and try again" in result.stderr


def test_a_misspelled_rule_names_its_line(tmp_path: Path) -> None:
    data = broken_data(tmp_path, "misspelled rule")
    result = haven(data, tmp_path, "match", "hello")
    line = next(n for n, text in enumerate((data / "sentences" / "break.yaml").read_text().splitlines(), 1)
                if "<brake_rule>" in text)
    assert f"break.yaml:{line}: " in result.stderr and "undefined expansion rule <brake_rule>" in result.stderr


def test_an_empty_sentences_directory_fails_the_check_too(tmp_path: Path) -> None:
    data = broken_data(tmp_path, "empty sentences")
    result = haven(data, tmp_path, "intents", "check")
    assert result.returncode == 1 and "no intent files" in result.stdout


def test_the_shipped_intents_are_checked_once_until_a_file_or_the_code_phrase_changes(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from skill.nlu import check
    from skill.nlu.codephrase import use_code_phrase
    from skill.nlu.matcher import IntentMatcher

    data = tmp_path / "data"
    shutil.copytree(ROOT / "intents", data)
    monkeypatch.setenv("HAVEN_DATA_DIR", str(data))
    checks: list[int] = []
    real = check._check_intents
    monkeypatch.setattr(check, "_check_intents", lambda *a: checks.append(1) or real(*a))
    try:
        first = check.load_checked_intents()
        assert check.load_checked_intents() is first and len(checks) == 1  # recogniser, then matcher
        path = data / "sentences" / "break.yaml"
        path.write_text(path.read_text().replace("<we_need> a <minutes_long> <break>",
                                                 "<we_need> a <minutes_long> <brake_rule>", 1))
        with pytest.raises(check.DataFileError, match="brake_rule"):  # an edited file: checked again
            check.load_checked_intents()
        shutil.copy(ROOT / "intents" / "sentences" / "break.yaml", path)
        fixed = check.load_checked_intents()
        assert fixed is not first and len(checks) == 3
        use_code_phrase("pineapple")  # the config's break.code_phrase is one more sentence
        with_phrase = check.load_checked_intents()
        assert len(checks) == 4
        found = IntentMatcher(with_phrase).match("pineapple")
        assert found is not None and found.intent == "break.start"
        assert IntentMatcher(fixed).match("pineapple") is None
    finally:
        use_code_phrase("")
        check._SHIPPED.clear()
