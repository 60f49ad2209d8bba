"""Keep ALSA's and PortAudio's own chatter off the user's terminal.

When a sound server goes away, ALSA and PortAudio write lines like
``ALSA lib pulse.c:242:(pulse_connect) PulseAudio: Unable to connect`` and
``Expression '...' failed in 'src/hostapi/alsa/pa_linux_alsa.c'`` straight to
file descriptor 2, from C, every time a device is tried. Haven already says
what happened in one sentence, so file descriptor 2 is passed through a
filter thread that drops those lines (logged at debug level) and forwards
everything else; Python's own ``sys.stderr`` keeps writing to the terminal
directly, so logs and the status line are not delayed.
"""

from __future__ import annotations

import io
import logging
import os
import re
import sys
import threading

log = logging.getLogger(__name__)

NOISE = re.compile(
    rb"^(ALSA lib |Expression '.*' failed in |Cannot connect to server|jack server is not running"
    rb"|JackShmReadWritePtr|PaAlsaStream|\s*$)"
)


def hide_native_noise() -> None:
    """Route fd 2 through the filter (once per process; a no-op if it cannot)."""
    if getattr(hide_native_noise, "done", False):
        return
    try:
        terminal = os.dup(2)
        read_end, write_end = os.pipe()
        os.dup2(write_end, 2)
        os.close(write_end)
    except OSError as exc:
        log.debug("cannot filter native stderr: %s", exc)
        return
    hide_native_noise.done = True  # type: ignore[attr-defined]
    old = sys.stderr
    sys.stderr = io.TextIOWrapper(
        io.FileIO(terminal, "w", closefd=False), encoding=getattr(old, "encoding", None) or "utf-8",
        errors="backslashreplace", line_buffering=True, write_through=True,
    )
    for handler in logging.getLogger().handlers:
        if isinstance(handler, logging.StreamHandler) and handler.stream is old:
            handler.setStream(sys.stderr)
    threading.Thread(target=_forward, args=(read_end, terminal), daemon=True, name="stderr").start()


def _forward(read_end: int, terminal: int) -> None:
    with os.fdopen(read_end, "rb") as lines:
        for line in lines:
            if NOISE.match(line):
                log.debug("native: %s", line.decode(errors="replace").rstrip())
                continue
            try:
                os.write(terminal, line)
            except OSError:
                return
