"""Keeping dependencies off the network and out of the user's home, set up before they load.

Both measures are environment variables their libraries read when they start:
``skill/__init__`` switches the telemetry off before anything of Haven's can
import onnxruntime, and ``skill.cli.main`` settles the sound client's runtime
directory before a command can load PortAudio (only in the ``haven`` process:
set on import, it would leak into every process a test suite starts).

- onnxruntime (under the piper voice) has a telemetry client: DNS queries for
  its collector host during ``haven run``, and a device id plus an event store
  under ``~/.cache/Microsoft``. ``ORT_DISABLE_TELEMETRY=1`` stops both, but only
  when set before the import (see ``skill.speech.telemetry``).
- libpulse (reached through PortAudio and ALSA's pulse plugin) keeps its runtime
  directory in ``$XDG_RUNTIME_DIR/pulse``; without XDG_RUNTIME_DIR (a bare
  container, a service started outside a login session) it made
  ``~/.config/pulse/<machine-id>-runtime``, a link to a fresh ``/tmp/pulse-*``.
  Then ``PULSE_RUNTIME_PATH`` points it at the login session's sound server if
  there is one (``/run/user/UID/pulse``), else at a directory of Haven's own.
  With XDG_RUNTIME_DIR set (a systemd user service, a desktop) nothing changes.
"""

from __future__ import annotations

import os
from pathlib import Path


def telemetry_off_on_import() -> None:
    os.environ["ORT_DISABLE_TELEMETRY"] = "1"


def keep_sound_client_out_of_home() -> None:
    if not os.environ.get("XDG_RUNTIME_DIR") and not os.environ.get("PULSE_RUNTIME_PATH"):
        os.environ["PULSE_RUNTIME_PATH"] = str(_pulse_runtime())


def _pulse_runtime() -> Path:
    session = Path(f"/run/user/{os.getuid()}/pulse")
    if session.is_dir():
        return session
    from skill.paths import state_dir

    return state_dir() / "pulse"
