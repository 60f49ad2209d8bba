"""haven run --input FILE.wav: the file heard as if in the room, replies said, exit 0 at its end."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DEV = ROOT.parent / "shared" / "corpus" / "dev"
pytestmark = pytest.mark.skipif(not DEV.exists(), reason=f"the dev corpus is not at {DEV}")


def _run(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    env = dict(os.environ, HOME=str(home), PYTHONPATH=str(ROOT),
               XDG_CONFIG_HOME=str(home / ".config"), HAVEN_STATE_DIR=str(tmp_path / "state"),
               HAVEN_CONFIG_DIR=str(home / "config"))
    return subprocess.run([sys.executable, "-m", "skill", "run", *args], env=env,
                          capture_output=True, text=True, timeout=60, cwd=tmp_path)


def test_a_command_in_the_file_is_answered_and_the_run_ends(tmp_path: Path) -> None:
    done = _run(tmp_path, "--input", str(DEV / "000-piper-clean.wav"), "--voice", "none")
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    assert "haven:" in done.stdout + done.stderr  # the break's reply was shown
    state = json.loads((tmp_path / "state" / "state.json").read_text())
    assert "break" in json.dumps(state).lower()


def test_an_unreadable_file_is_one_sentence_and_exit_1(tmp_path: Path) -> None:
    done = _run(tmp_path, "--input", str(tmp_path / "missing.wav"), "--voice", "none")
    assert done.returncode == 1
    assert "missing.wav" in done.stderr and "Traceback" not in done.stderr
