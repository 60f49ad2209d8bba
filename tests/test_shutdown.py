"""Signals to ``haven run``: SIGHUP stops it like SIGTERM, a second signal ends it at once.

Each test runs the real command (``--voice none``, the keyboard as microphone).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def start_haven(tmp_path: Path, *args: str) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "HAVEN_STATE_DIR": str(tmp_path / "state"),
           "HAVEN_CONFIG_DIR": str(tmp_path / "config")}
    run = subprocess.Popen(
        [sys.executable, "-m", "skill", "run", "--text", *args],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
    )
    assert run.stdin is not None and run.stdout is not None
    run.stdin.write("we need a break\n")
    run.stdin.flush()
    assert "haven:" in run.stdout.readline()
    return run


def saved_state(tmp_path: Path) -> str:
    return str(json.loads((tmp_path / "state" / "state.json").read_text())["state"])


def test_sighup_stops_haven_cleanly_with_the_break_saved(tmp_path: Path) -> None:
    run = start_haven(tmp_path, "--voice", "none")
    run.send_signal(signal.SIGHUP)
    out, err = run.communicate(timeout=10)
    assert run.returncode == 0, err
    assert "Traceback" not in err
    assert saved_state(tmp_path) == "break"


def test_a_second_signal_ends_at_once_without_a_crash(tmp_path: Path) -> None:
    # The piper voice (native threads) is where a double Ctrl-C once ended in SIGABRT.
    run = start_haven(tmp_path, "--voice", "piper")
    start = time.monotonic()
    run.send_signal(signal.SIGINT)
    time.sleep(0.01)
    run.send_signal(signal.SIGINT)
    out, err = run.communicate(timeout=10)
    assert run.returncode in (0, 128 + signal.SIGINT), (run.returncode, err)
    assert time.monotonic() - start < 3.0
    assert "Traceback" not in err
    assert saved_state(tmp_path) == "break"


def test_a_late_signal_after_the_stop_is_ignored(tmp_path: Path) -> None:
    run = start_haven(tmp_path, "--voice", "none")
    for sig in (signal.SIGTERM, signal.SIGHUP, signal.SIGINT):
        if run.poll() is None:
            run.send_signal(sig)
        time.sleep(0.005)
    out, err = run.communicate(timeout=10)
    assert run.returncode in (0, 128 + signal.SIGHUP, 128 + signal.SIGINT), (run.returncode, err)
    assert "Traceback" not in err and saved_state(tmp_path) == "break"
