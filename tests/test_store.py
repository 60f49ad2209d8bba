"""The state file: atomic writes, and a broken file never stops the device."""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path

import pytest

from skill.store import FileStateStore, default_state_path


def test_save_then_load_round_trips(tmp_path: Path) -> None:
    store = FileStateStore(tmp_path / "state.json")
    store.save({"version": 1, "break": None})
    assert store.load() == {"version": 1, "break": None}
    assert json.loads((tmp_path / "state.json").read_text()) == {"version": 1, "break": None}


def test_save_creates_the_directory_and_leaves_no_temp_files(tmp_path: Path) -> None:
    store = FileStateStore(tmp_path / "deep" / "dir" / "state.json")
    store.save({"a": 1})
    store.save({"a": 2})
    assert sorted(p.name for p in (tmp_path / "deep" / "dir").iterdir()) == ["state.json"]
    assert store.load() == {"a": 2}


def test_a_missing_file_is_a_fresh_start(tmp_path: Path) -> None:
    assert FileStateStore(tmp_path / "none.json").load() is None


@pytest.mark.parametrize("content", ["{not json", "[1, 2]", "", "\xff\xfe"])
def test_a_broken_file_is_logged_and_ignored(
    tmp_path: Path, content: str, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "state.json"
    path.write_bytes(content.encode("latin-1"))
    with caplog.at_level(logging.WARNING):
        assert FileStateStore(path).load() is None
    assert "starting fresh" in caplog.text


def test_a_failed_write_keeps_the_old_state(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = FileStateStore(tmp_path / "state.json")
    store.save({"good": True})

    def broken_replace(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError):
        store.save({"good": False})
    assert store.load() == {"good": True}
    assert [p.name for p in tmp_path.iterdir()] == ["state.json"]


def test_the_default_path_is_in_the_state_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HAVEN_STATE_DIR", str(tmp_path))
    assert default_state_path() == tmp_path / "state.json"
    assert FileStateStore().path == tmp_path / "state.json"
