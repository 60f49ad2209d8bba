"""One status line for a person at a terminal: listening, hearing, speaking, no microphone.

On a terminal the line is redrawn in place (carriage return, clear to end of
line); log records and replies clear it first and it is drawn again after
them, so nothing is garbled. Off a terminal (systemd, a pipe) only changes are
logged, at info level.
"""

from __future__ import annotations

import logging
import sys
import threading
from typing import TextIO

log = logging.getLogger(__name__)

CLEAR = "\r\x1b[K"
GLYPHS = {
    "listening": "listening ... (Ctrl-C to quit)",
    "hearing": "hearing ...",
    "speaking": "speaking ...",
    "no microphone": "no microphone: waiting for one to be connected ...",
    "starting": "starting ...",
}


class StatusLine:
    """``set(state)`` from any thread; ``write(text)`` prints a line above the status."""

    def __init__(self, stream: TextIO | None = None, live: bool | None = None) -> None:
        self._stream = stream or sys.stderr
        self.live = self._stream.isatty() if live is None else live
        self._lock = threading.RLock()
        self.state = ""

    def set(self, state: str) -> None:
        with self._lock:
            if state == self.state:
                return
            self.state = state
            if self.live:
                self._draw()
            else:
                log.info("status: %s", state)

    def write(self, text: str, stream: TextIO | None = None) -> None:
        """Print ``text`` on its own line (to ``stream``, default stdout), keeping the status below."""
        out = stream or sys.stdout
        with self._lock:
            self._clear()
            out.write(text + "\n")
            out.flush()
            self._draw()

    def close(self) -> None:
        with self._lock:
            self._clear()
            self.live = False

    def _clear(self) -> None:
        if self.live and self.state:
            self._stream.write(CLEAR)
            self._stream.flush()

    def _draw(self) -> None:
        if self.live and self.state:
            self._stream.write(CLEAR + "haven: " + GLYPHS.get(self.state, self.state))
            self._stream.flush()


class StatusAwareHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """A stderr log handler that lifts the status line out of the way of each record."""

    def __init__(self, status: StatusLine, stream: TextIO | None = None) -> None:
        super().__init__(stream or sys.stderr)
        self.status = status

    def emit(self, record: logging.LogRecord) -> None:
        with self.status._lock:
            self.status._clear()
            super().emit(record)
            self.status._draw()


def route_logs_through(status: StatusLine) -> None:
    """Swap the root logger's stderr handlers for status-aware ones (terminal only)."""
    if not status.live:
        return
    root = logging.getLogger()
    for handler in list(root.handlers):
        if isinstance(handler, logging.StreamHandler) and handler.stream in (sys.stderr, sys.__stderr__):
            aware = StatusAwareHandler(status, handler.stream)
            aware.setFormatter(handler.formatter)
            aware.setLevel(handler.level)
            root.removeHandler(handler)
            root.addHandler(aware)
