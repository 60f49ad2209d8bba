"""``haven run`` starts whatever the state directory holds: a broken state file is moved
aside (and said so), an odd one is restored field by field; never a traceback or a hang."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def start(tmp_path: Path, said: str = "") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "HAVEN_STATE_DIR": str(tmp_path / "state"),
           "HAVEN_CONFIG_DIR": str(tmp_path / "config")}
    return subprocess.run([sys.executable, "-m", "skill", "run", "--text", "--voice", "none"],
                          input=said, env=env, capture_output=True, text=True, timeout=30)


def a_break(**changes: object) -> dict[str, object]:
    now = datetime.now(timezone.utc)
    brk: dict[str, object] = {"started_at": (now - timedelta(minutes=1)).isoformat(),
                              "ends_at": (now + timedelta(minutes=19)).isoformat(),
                              "nudge_at": None, "heads_up_at": None, "returning": False,
                              "reprompts_given": 0, "next_prompt_at": None}
    brk.update(changes)
    return {"version": 1, "state": "break", "break": brk, "checkin": None, "rotation": {},
            "last_break_over": None}


@pytest.mark.parametrize("make", ["fifo", "deep", "huge"])
def test_an_unreadable_state_file_is_moved_aside(tmp_path: Path, make: str) -> None:
    state = tmp_path / "state"
    state.mkdir()
    path = state / "state.json"
    if make == "fifo":
        os.mkfifo(path)
    elif make == "deep":
        path.write_text("[" * 1000 + "]" * 1000)
    else:
        path.write_text(json.dumps({"version": 1, "pad": "x" * 2_000_000}))
    result = start(tmp_path)
    assert result.returncode == 0 and "Traceback" not in result.stderr
    assert "moved it to state.json.broken-" in result.stderr
    assert [p.name.startswith("state.json.broken-") for p in state.iterdir()].count(True) == 1


@pytest.mark.parametrize("changes, says", [
    ({"ends_at": "9999-12-31T23:59:59+00:00"}, "longer than break.cap_minutes"),  # was OverflowError
    ({"nudge_at": "soon"}, "nudge_at dropped"),
    ({"returning": "false"}, "returning dropped"),
])
def test_an_odd_break_is_restored_not_dropped(tmp_path: Path, changes: dict[str, object], says: str) -> None:
    state = tmp_path / "state"
    state.mkdir()
    (state / "state.json").write_text(json.dumps(a_break(**changes)))
    result = start(tmp_path)
    assert result.returncode == 0 and "Traceback" not in result.stderr
    assert says in result.stderr
    assert "haven:" in result.stdout  # the running break is announced
    saved = json.loads((state / "state.json").read_text())
    assert saved["state"] == "break"
    ends = datetime.fromisoformat(saved["break"]["ends_at"])
    assert ends - datetime.fromisoformat(saved["break"]["started_at"]) <= timedelta(minutes=120)


def test_a_broken_deck_of_their_own_is_left_out_and_haven_starts(tmp_path: Path) -> None:
    decks = tmp_path / "config" / "decks"
    decks.mkdir(parents=True)
    (decks / "ours.yaml").write_text('title: Ours\nquestions:\n  - "What went well?"\n  - [oops\n')
    (tmp_path / "config" / "config.toml").write_text('[checkin]\ndeck = "ours"\n')
    result = start(tmp_path, "start check in\nwe need a break\n")
    assert result.returncode == 0 and "Traceback" not in result.stderr
    assert f"{decks / 'ours.yaml'}:5: YAML syntax error" in result.stderr  # file:line, in the log
    assert "check-ins use 'daily' until it is fixed" in result.stderr
    assert "daily check-in" in result.stdout  # the shipped deck instead
    assert "together at" in result.stdout  # and a break starts as ever, with its return time
    check = subprocess.run([sys.executable, "-m", "skill", "decks", "check"], capture_output=True, text=True,
                           env={**os.environ, "PYTHONPATH": str(ROOT), "HAVEN_CONFIG_DIR": str(tmp_path / "config")})
    assert check.returncode == 1 and "ours.yaml:5" in check.stdout + check.stderr
