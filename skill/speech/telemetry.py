"""Keeping the speech dependencies off the network and out of the user's home.

onnxruntime (1.32, loaded by the piper voice) has a telemetry client: with
default settings ``haven run`` made DNS queries for its collector host and it
wrote ``~/.cache/Microsoft/DeveloperTools/.onnxruntime/{deviceid,onnxruntime.db}``.
Measured here: ``ORT_DISABLE_TELEMETRY=1`` in the environment *before*
onnxruntime is imported stops both (no AF_INET socket under strace, no file
under HOME); set after the import it does not, and
``onnxruntime.disable_telemetry_events()`` alone still creates the files. So
``skill.offline`` (from ``skill/__init__``) sets the variable before any module can import onnxruntime,
and ``telemetry_off`` repeats both measures at the one place Haven loads it.
"""

from __future__ import annotations

import logging
import os
import sys

log = logging.getLogger(__name__)

ENV_VAR = "ORT_DISABLE_TELEMETRY"


def telemetry_off() -> None:
    """Call before importing piper or onnxruntime; safe to call again."""
    if sys.modules.get("onnxruntime") is None:
        os.environ[ENV_VAR] = "1"
    elif os.environ.get(ENV_VAR) != "1":  # pragma: no cover - skill.offline sets it first
        log.warning("onnxruntime was loaded before its telemetry could be switched off")
    import onnxruntime

    disable = getattr(onnxruntime, "disable_telemetry_events", None)
    if disable is not None:
        disable()
