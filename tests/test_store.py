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


def _aside(tmp_path: Path) -> list[str]:
    return sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("state.json.broken-"))


@pytest.mark.parametrize(
    "content, reason",
    [
        ("[" * 5000 + "]" * 5000, "nested too deep"),  # RecursionError in json
        ('{"a": ' * 100 + "1" + "}" * 100, "nested over 20"),
        ("[1, 2]", "not a JSON object"),
        ('{"version": 1, "pad": "' + "x" * 2_000_000 + '"}', "bytes"),
        ("\xff\xfe{}", "not UTF-8"),
        ("{not json", "not valid JSON"),
        ('{"version": ' + "1" * 5000 + "}", "not valid JSON"),  # int() refuses: a ValueError
    ],
)
def test_an_unusable_file_is_moved_aside_and_said_so(
    tmp_path: Path, content: str, reason: str, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "state.json"
    path.write_bytes(content.encode("latin-1"))
    with caplog.at_level(logging.WARNING):
        assert FileStateStore(path).load() is None
    assert not path.exists() and len(_aside(tmp_path)) == 1
    assert "moved it to state.json.broken-" in caplog.text
    assert reason in caplog.text
    # The next start is a plain fresh start, and a save works again.
    store = FileStateStore(path)
    assert store.load() is None
    store.save({"version": 1})
    assert store.load() == {"version": 1}


def test_a_fifo_in_place_of_the_file_does_not_hang_the_start(tmp_path: Path) -> None:
    path = tmp_path / "state.json"
    os.mkfifo(path)
    assert FileStateStore(path).load() is None  # returns at once: opened non-blocking
    assert not path.exists() and len(_aside(tmp_path)) == 1


def test_a_directory_in_place_of_the_file_is_a_fresh_start(tmp_path: Path) -> None:
    (tmp_path / "state.json").mkdir()
    assert FileStateStore(tmp_path / "state.json").load() is None


def test_a_temp_file_left_by_a_kill_is_removed_once_old(tmp_path: Path) -> None:
    store = FileStateStore(tmp_path / "state.json")
    store.save({"a": 1})
    old, fresh = tmp_path / ".state-old.tmp", tmp_path / ".state-new.tmp"
    old.write_text("{")
    fresh.write_text("{")
    os.utime(old, (1, 1))
    assert store.load() == {"a": 1}
    assert not old.exists() and fresh.exists()  # a fresh one may be another process's write
