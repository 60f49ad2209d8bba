"""Saved engine state: one small JSON file, written atomically.

Only what the engine snapshots is stored (times, positions, counters, deck
rotation), never anything that was said. A missing or broken file is logged
and treated as "start fresh": a bad file must never keep the device from
starting.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
from pathlib import Path
from typing import Any, Protocol

from skill.paths import state_dir

log = logging.getLogger(__name__)

STATE_FILE = "state.json"


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
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return None
        except (OSError, UnicodeDecodeError) as exc:
            log.warning("cannot read saved state %s (%s); starting fresh", self.path, exc)
            return None
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            log.warning("saved state %s is not valid JSON (%s); starting fresh", self.path, exc)
            return None
        if not isinstance(data, dict):
            log.warning("saved state %s is not a JSON object; starting fresh", self.path)
            return None
        return data

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
