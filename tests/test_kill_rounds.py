"""A break is on disk before it is spoken: kill -9 while Haven speaks the acknowledgement,
100 rounds with the default (piper) voice in the virtual room, and no break is lost.

The rounds run in ``tests/kill_rounds.py`` (see there how each round stays under a
second). With the state saved only after the lines were spoken, 6 of 6 rounds lost
their break.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from room import room  # noqa: F401  (room is a fixture)

from skill.speech.piper_speaker import piper_available

pytestmark = [pytest.mark.room, pytest.mark.slow]
ROOT = Path(__file__).resolve().parents[1]


def rounds(env: dict[str, str], work: Path, *args: str) -> dict[str, object]:
    result = subprocess.run(
        [sys.executable, str(ROOT / "tests" / "kill_rounds.py"), "--work", str(work), *args],
        env={**env, "HAVEN_CONFIG_DIR": str(work / "config")}, capture_output=True, text=True,
        timeout=600, check=False,
    )
    assert result.stdout.strip(), result.stderr[-2000:]
    summary: dict[str, object] = json.loads(result.stdout.strip().splitlines()[-1])
    return summary


@pytest.mark.skipif(not piper_available(), reason="the piper voice is not installed")
def test_a_hundred_kills_while_speaking_lose_no_break(room: dict[str, str], tmp_path: Path) -> None:  # noqa: F811
    summary = rounds(room, tmp_path, "--rounds", "100", "--seed", "19", "--max-delay", "1.0")
    assert summary["rounds"] == summary["acked"] == 100
    assert summary["killed_while_running"] == 100  # each kill landed while Haven was up
    assert summary["lost"] == [] and summary["restored"] == 100


@pytest.mark.skipif(not piper_available(), reason="the piper voice is not installed")
def test_kills_of_separately_started_processes_lose_no_break(room: dict[str, str], tmp_path: Path) -> None:  # noqa: F811
    summary = rounds(room, tmp_path, "--rounds", "3", "--seed", "5", "--max-delay", "2.0", "--fresh")
    assert summary["acked"] == summary["restored"] == 3 and summary["lost"] == []
