"""The pyttsx3 voice's scratch WAV: private, deleted once read, leftovers of dead processes removed."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from skill.speech.factory import pyttsx3_available
from skill.speech.scratch import scratch_dir, scratch_file


def test_leftovers_of_dead_processes_go_and_live_ones_stay(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(tmp_path))
    directory = scratch_dir()
    assert stat.S_IMODE(directory.stat().st_mode) == 0o700
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)
    leftover = directory / f"line-{dead.stdout.strip()}.wav"
    leftover.write_bytes(b"RIFF the last line said")
    parent = directory / f"line-{os.getppid()}.wav"  # a process that still runs
    parent.write_bytes(b"RIFF")
    other = directory / "notes.txt"
    other.write_text("not ours")
    assert scratch_file() == directory / f"line-{os.getpid()}.wav"
    assert not leftover.exists() and parent.exists() and other.exists()


def test_without_a_runtime_dir_the_scratch_is_in_havens_state_dir(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("XDG_RUNTIME_DIR", raising=False)
    monkeypatch.setenv("HAVEN_STATE_DIR", str(tmp_path / "state"))
    assert scratch_dir() == tmp_path / "state" / "scratch"


@pytest.mark.skipif(not pyttsx3_available(), reason="pyttsx3 is not installed")
def test_a_rendered_line_leaves_no_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from skill.speech.pyttsx3_speaker import PyttsxSpeaker

    monkeypatch.setenv("XDG_RUNTIME_DIR", str(tmp_path))
    speaker = PyttsxSpeaker()
    try:
        chunk = speaker.render("Take a slow breath.")
        assert chunk.duration_s > 0.3
        assert list((tmp_path / "haven").iterdir()) == []
    finally:
        speaker.close()
