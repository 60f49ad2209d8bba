"""A speech engine in a child process, so that a hang cannot freeze Haven.

pyttsx3's ``runAndWait`` is known to hang on Linux and on the Pi. The engine
therefore runs in a worker process that renders one line at a time into a WAV
file. Each line gets ``timeout_s``; a worker that overruns it, or dies, is
killed and a fresh one started, with one warning logged. The line is lost,
Haven goes on.

The worker is a plain ``python -m skill.speech.worker`` child talking over a
socket pair, not a ``multiprocessing`` process: a spawned process re-imports
the parent's main module (all of Haven, numpy and PortAudio with it) and starts
multiprocessing's resource tracker, a third interpreter. Measured with
``scripts/bench_live.py --voice pyttsx3``: the worker was 38 MB and the tracker
13 MB; the child now imports only its render function's module (about 20 MB
with pyttsx3 and espeak-ng loaded).
"""

from __future__ import annotations

import importlib
import json
import logging
import os
import runpy
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import NoReturn, cast

from skill.speech.base import SpeechError

logger = logging.getLogger(__name__)

RenderFn = Callable[[str, str, int], None]
"""``render(text, wav_path, rate_wpm)`` writes the spoken line to ``wav_path``.

Runs in the worker process, so it must be a module-level function: the worker
imports it by module and name (a script's own function by the script's path).
"""


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


def _where(render: RenderFn) -> dict[str, str]:
    """How the worker finds ``render``: its module, or the main script's path."""
    module, name = render.__module__, render.__qualname__
    if "<" in name or "." in name:
        raise ValueError(f"the speech worker needs a module-level function, not {name}")
    if module == "__main__":
        script = getattr(sys.modules["__main__"], "__file__", None)
        if script is None:
            raise ValueError("the speech worker cannot import a function defined in an interactive session")
        return {"script": str(Path(script).resolve()), "name": name}
    return {"module": module, "name": name}


def _load(where: dict[str, str]) -> RenderFn:
    if "script" in where:
        found = runpy.run_path(where["script"], run_name="__haven_speech_worker__")[where["name"]]
    else:
        found = getattr(importlib.import_module(where["module"]), where["name"])
    return cast(RenderFn, found)


def _worker_env() -> dict[str, str]:
    """This process's environment, with its module path as the worker's: the worker finds this
    copy of Haven, and the render function's module, where this process found them."""
    return {**os.environ, "PYTHONPATH": os.pathsep.join(dict.fromkeys(p for p in sys.path if p))}


def _silence_stdout() -> None:
    """pyttsx3 prints 'Audio saved to ...'; keep the CLI's stdout clean."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.close(devnull)


def _serve(conn: Connection, render: RenderFn, rate_wpm: int) -> None:
    """The worker's main loop: (text, path) in, ("ok" | "error", detail) out."""
    conn.send(("ready", ""))
    while True:
        try:
            request = conn.recv()
        except (EOFError, OSError, KeyboardInterrupt):
            return
        if request is None:
            return
        text, path = request
        try:
            render(text, path, rate_wpm)
            conn.send(("ok", ""))
        except Exception as exc:  # noqa: BLE001 -- report every engine failure, never die of one
            conn.send(("error", f"{type(exc).__name__}: {exc}"))


def main(argv: list[str]) -> None:
    """The worker process: ``python -m skill.speech.worker FD SETUP_JSON``.

    Ctrl-C reaches the whole process group; Haven closes the worker as it shuts down (or the
    worker ends on the closed socket), so the worker itself ignores it rather than print a
    traceback from inside espeak-ng."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _silence_stdout()
    setup = json.loads(argv[1])
    conn = Connection(int(argv[0]))
    _serve(conn, _load(setup["render"]), int(setup["rate_wpm"]))


class SpeechWorker:
    """Runs ``render`` in a child process, one line at a time, each within ``timeout_s``."""

    def __init__(
        self,
        render: RenderFn,
        *,
        rate_wpm: int = 160,
        timeout_s: float = 30.0,
    ) -> None:
        self._setup = json.dumps(
            {"render": _where(render), "rate_wpm": rate_wpm}
        )
        self._timeout_s = timeout_s
        self._lock = threading.Lock()
        self._process: subprocess.Popen[bytes] | None = None
        self._conn: Connection | None = None
        self._ready = False
        self.stats = WorkerStats()
        self._start()

    def render_to(self, text: str, path: Path) -> None:
        """Render ``text`` into the WAV file ``path``; raise ``SpeechError`` if that fails."""
        with self._lock:
            deadline = time.monotonic() + self._timeout_s
            self.stats.lines += 1
            if self._process is None or self._process.poll() is not None:
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
        parent, child = socket.socketpair()
        with parent, child:
            process = subprocess.Popen(
                [sys.executable, "-P", "-m", "skill.speech.worker", str(child.fileno()), self._setup],
                stdin=subprocess.DEVNULL,
                pass_fds=(child.fileno(),),
                env=_worker_env(),
            )
            conn = Connection(parent.detach())
        self._process, self._conn, self._ready = process, conn, False
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
        if gracefully and process.poll() is None:
            try:
                conn.send(None)
                process.wait(1.0)
            except (OSError, subprocess.TimeoutExpired):
                pass
        if process.poll() is None:
            process.kill()
            process.wait()
        conn.close()


if __name__ == "__main__":
    main(sys.argv[1:])
