"""Saved engine state: one small JSON file, written atomically.

Only what the engine snapshots is stored (times, positions, counters, deck
rotation), never anything that was said. A missing file is a fresh start. A
file that cannot be read (not a regular file, too big, nested too deep, not
JSON, not an object) is moved aside to ``state.json.broken-<time>`` and the
log says so: left in place it would fail every start (a restart loop under
systemd), and a FIFO in its place would hang the start. What a readable file
holds is checked field by field in ``skill.engine.persist``.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
import time
from pathlib import Path
from typing import Any, Protocol

from skill.datafile import UnreadableFile, read_bounded_text
from skill.paths import state_dir

log = logging.getLogger(__name__)

STATE_FILE = "state.json"
MAX_BYTES = 1_000_000  # a real snapshot is a few kB; more is not Haven's
MAX_DEPTH = 20  # a real snapshot nests 4 deep
STALE_TEMP_S = 60.0


class UnreadableState(Exception):
    """The state file is there but cannot be used; the message says why."""


class StateStore(Protocol):
    """Where the engine snapshot lives between runs."""

    def load(self) -> dict[str, Any] | None: ...

    def save(self, data: dict[str, Any]) -> None: ...


def default_state_path() -> Path:
    return state_dir() / STATE_FILE


class FileStateStore:
    """A JSON file; ``save`` writes a temp file beside it, fsyncs, then renames over it."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or default_state_path()

    def load(self) -> dict[str, Any] | None:
        self._remove_stale_temp_files()
        try:
            text = read_bounded_text(self.path, MAX_BYTES)
        except FileNotFoundError:
            return None
        except OSError as exc:
            log.warning("cannot read saved state %s (%s); starting fresh", self.path, exc.strerror)
            return None
        except UnreadableFile as exc:
            self._move_aside(str(exc))
            return None
        try:
            data = json.loads(text)
            _check_depth(data)
        except ValueError:  # JSONDecodeError, or a number over Python's 4,300 digits
            self._move_aside("it is not valid JSON")
            return None
        except RecursionError:
            self._move_aside("it is nested too deep to read")
            return None
        except UnreadableState as exc:
            self._move_aside(str(exc))
            return None
        if not isinstance(data, dict):
            self._move_aside("it is not a JSON object")
            return None
        return data

    def _move_aside(self, reason: str) -> None:
        aside = self.path.with_name(f"{self.path.name}.broken-{time.strftime('%Y%m%d-%H%M%S')}")
        try:
            os.replace(self.path, aside)
        except OSError as exc:
            log.warning("saved state %s cannot be used (%s) nor moved aside (%s); starting fresh",
                        self.path, reason, exc.strerror)
            return
        log.warning("saved state %s cannot be used (%s); moved it to %s and starting fresh",
                    self.path, reason, aside.name)

    def _remove_stale_temp_files(self) -> None:
        """A kill during ``save`` leaves its temp file; the rename never happened, so it is junk.
        Only old ones: another process (``haven status`` beside ``haven run``) may be saving now."""
        try:
            for tmp in self.path.parent.glob(".state-*.tmp"):
                if time.time() - tmp.stat().st_mtime > STALE_TEMP_S:
                    tmp.unlink(missing_ok=True)
        except OSError:
            pass

    def save(self, data: dict[str, Any]) -> None:
        text = json.dumps(data, indent=1, sort_keys=True)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".state-", suffix=".tmp", dir=self.path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(text)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, self.path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        _fsync_dir(self.path.parent)


def _check_depth(data: Any) -> None:
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise UnreadableState(f"it is nested over {MAX_DEPTH} levels deep")
        if isinstance(value, dict):
            stack.extend((v, depth + 1) for v in value.values())
        elif isinstance(value, list):
            stack.extend((v, depth + 1) for v in value)


def _fsync_dir(directory: Path) -> None:
    """Make the rename itself durable (best effort; not every platform allows it)."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
