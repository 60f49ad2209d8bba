"""Stopping on SIGINT / SIGTERM / SIGHUP: promptly, with state saved, without a traceback.

A Python signal handler runs in the main thread between two bytecodes, which
may be inside a lock held by ``queue`` or ``threading.Event``; calling either
from the handler can deadlock. So the handler only sets a flag, and the C-level
wakeup fd (``signal.set_wakeup_fd``) wakes a watcher thread that does the real
work from an ordinary thread: interrupt the line being spoken and end the loop.

SIGHUP (a closed terminal, some service managers) used to kill Haven on the
spot; it now stops it like SIGTERM. A second signal gives up on a graceful
stop: it ends the process at once with ``os._exit(128 + signal)``. Raising
KeyboardInterrupt there instead once ended in SIGABRT (the interpreter tore
down native libraries under threads still inside them). Nothing is lost by
leaving at once: every change is saved before it is spoken (``skill.app.loop.Loop``) and
a state write is an atomic rename, so the file holds the old or the new state.
"""

from __future__ import annotations

import logging
import os
import signal
import socket
import sys
import threading
from types import FrameType
from typing import Callable

log = logging.getLogger(__name__)

SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


class Shutdown:
    """Installs the handlers on ``__enter__``; ``on_stop`` callbacks run once, off the main thread."""

    def __init__(self) -> None:
        self.requested = threading.Event()
        self._callbacks: list[Callable[[], None]] = []
        self._flag = False
        self._closed = False
        self._old: dict[int, object] = {}
        self._old_fd = -1
        self._reader, self._writer = socket.socketpair()
        self._writer.setblocking(False)

    def on_stop(self, callback: Callable[[], None]) -> None:
        self._callbacks.append(callback)

    def __enter__(self) -> Shutdown:
        for sig in SIGNALS:
            self._old[sig] = signal.signal(sig, self._handle)
        self._old_fd = signal.set_wakeup_fd(self._writer.fileno(), warn_on_full_buffer=False)
        threading.Thread(target=self._watch, name="shutdown", daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        signal.set_wakeup_fd(self._old_fd)
        for sig, old in self._old.items():
            # once stopping, a late or repeated signal must not raise into the interpreter's exit
            after = signal.SIG_IGN if self.requested.is_set() or self._flag else old
            signal.signal(sig, after)  # type: ignore[arg-type]
        self._closed = True
        self._wake()

    def _handle(self, signum: int, frame: FrameType | None) -> None:
        if self._flag:
            exit_now(signum)  # a second signal: stop waiting for a clean end
        self._flag = True

    def _wake(self) -> None:
        try:
            self._writer.send(b"\0")
        except OSError:
            pass

    def _watch(self) -> None:
        """Wait for a signal number on the wakeup socket (``\\0`` means: uninstalled)."""
        wanted = {int(sig) for sig in SIGNALS}
        while True:
            try:
                data = self._reader.recv(64)
            except OSError:
                return
            if wanted & set(data):
                break
            if self._closed:
                return
        log.info("stop requested by a signal")
        self.requested.set()
        for callback in self._callbacks:
            try:
                callback()
            except Exception:  # a failing callback must not keep the others from running
                log.exception("while stopping")


def exit_now(signum: int) -> None:
    """Leave at once, as a process killed by ``signum`` would report it, without a traceback."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except Exception:  # the main thread may be inside this very stream's write
            pass
    os._exit(128 + signum)
