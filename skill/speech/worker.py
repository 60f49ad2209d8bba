"""A speech engine in a child process, so that a hang cannot freeze Haven.

pyttsx3's ``runAndWait`` is known to hang on Linux and on the Pi. The engine
therefore runs in a worker process that renders one line at a time into a WAV
file. Each line gets ``timeout_s``; a worker that overruns it, or dies, is
killed and a fresh one started, with one warning logged. The line is lost,
Haven goes on.
"""

from __future__ import annotations

import logging
import multiprocessing
import multiprocessing.connection
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.context import ForkServerContext, SpawnContext
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import Literal, NoReturn

from skill.speech.base import SpeechError

logger = logging.getLogger(__name__)

RenderFn = Callable[[str, str, int], None]
"""``render(text, wav_path, rate_wpm)`` writes the spoken line to ``wav_path``.

Runs in the worker process, so it must be a module-level (picklable) function.
"""

StartMethod = Literal[
    "spawn", "forkserver"
]  # never fork: the parent may hold audio threads


@dataclass
class WorkerStats:
    """What the worker has been through since it was created."""

    lines: int = 0
    failures: int = 0  # the engine raised; the worker lives on
    timeouts: int = 0  # the worker hung and was killed
    crashes: int = 0  # the worker died on its own
    starts: int = 0

    @property
    def restarts(self) -> int:
        return max(0, self.starts - 1)


def _silence_stdout() -> None:
    """pyttsx3 prints 'Audio saved to ...'; keep the CLI's stdout clean."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.close(devnull)


def _serve(
    conn: multiprocessing.connection.Connection, render: RenderFn, rate_wpm: int
) -> None:
    """The worker's main loop: (text, path) in, ("ok" | "error", detail) out."""
    _silence_stdout()
    conn.send(("ready", ""))
    while True:
        try:
            request = conn.recv()
        except (EOFError, KeyboardInterrupt):
            return
        if request is None:
            return
        text, path = request
        try:
            render(text, path, rate_wpm)
            conn.send(("ok", ""))
        except Exception as exc:  # noqa: BLE001 -- report every engine failure, never die of one
            conn.send(("error", f"{type(exc).__name__}: {exc}"))


class SpeechWorker:
    """Runs ``render`` in a child process, one line at a time, each within ``timeout_s``."""

    def __init__(
        self,
        render: RenderFn,
        *,
        rate_wpm: int = 160,
        timeout_s: float = 30.0,
        start_method: StartMethod = "spawn",
    ) -> None:
        self._render = render
        self._rate_wpm = rate_wpm
        self._timeout_s = timeout_s
        self._context: SpawnContext | ForkServerContext = (
            multiprocessing.get_context("forkserver")
            if start_method == "forkserver"
            else multiprocessing.get_context("spawn")
        )
        self._lock = threading.Lock()
        self._process: BaseProcess | None = None
        self._conn: multiprocessing.connection.Connection | None = None
        self._ready = False
        self.stats = WorkerStats()
        self._start()

    def render_to(self, text: str, path: Path) -> None:
        """Render ``text`` into the WAV file ``path``; raise ``SpeechError`` if that fails."""
        with self._lock:
            deadline = time.monotonic() + self._timeout_s
            self.stats.lines += 1
            if self._process is None or not self._process.is_alive():
                self._start()
            if not self._ready:
                self._expect("ready", deadline)
                self._ready = True
            assert self._conn is not None
            try:
                self._conn.send((text, str(path)))
            except OSError:
                self._lost("died")
            self._expect("ok", deadline)

    def close(self) -> None:
        with self._lock:
            self._stop(gracefully=True)

    def _start(self) -> None:
        parent, child = self._context.Pipe()
        process = self._context.Process(
            target=_serve,
            args=(child, self._render, self._rate_wpm),
            name="haven-speech",
            daemon=True,
        )
        process.start()
        child.close()
        self._process, self._conn, self._ready = process, parent, False
        self.stats.starts += 1

    def _expect(self, status: str, deadline: float) -> None:
        assert self._conn is not None
        try:
            if not self._conn.poll(max(0.0, deadline - time.monotonic())):
                self._lost("hung")
            reply, detail = self._conn.recv()
        except (EOFError, OSError):
            self._lost("died")
        if reply == "error":
            self.stats.failures += 1
            raise SpeechError(f"the speech engine failed: {detail}")
        if reply != status:
            self._lost("died")

    def _lost(self, how: str) -> NoReturn:
        """Kill the worker, start a fresh one, log once and give up on this line."""
        if how == "hung":
            self.stats.timeouts += 1
            message = f"the speech worker hung for {self._timeout_s:g} s"
        else:
            self.stats.crashes += 1
            message = "the speech worker died"
        self._stop(gracefully=False)
        self._start()
        logger.warning(
            "%s; killed it, started a fresh one, and dropped the line", message
        )
        raise SpeechError(message)

    def _stop(self, *, gracefully: bool) -> None:
        process, conn = self._process, self._conn
        self._process, self._conn = None, None
        if process is None or conn is None:
            return
        if gracefully and process.is_alive():
            try:
                conn.send(None)
            except OSError:
                pass
            process.join(1.0)
        if process.is_alive():
            process.kill()
        process.join(1.0)
        conn.close()
