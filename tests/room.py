"""The PulseAudio virtual room, shared by the room tests.

A null sink named ``room`` is the room: what is played into it can be
recorded from ``room.monitor``. Children started with ``room_env`` use it as
their default output (``PULSE_SINK``) and input (``PULSE_SOURCE``), so Haven
hears what is played into the room, including its own voice.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import threading
import time
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pytest

ROOT = Path(__file__).resolve().parents[1]


def need_pulseaudio() -> None:
    if not (shutil.which("pulseaudio") and shutil.which("parec") and shutil.which("pactl")):
        pytest.skip("pulseaudio is not installed (bash scripts/setup --test installs it)")


def room_env(runtime: Path) -> dict[str, str]:
    runtime.chmod(0o700)
    return {
        **os.environ,
        "XDG_RUNTIME_DIR": str(runtime),
        "PULSE_SINK": "room",
        "PULSE_SOURCE": "room.monitor",
        "PYTHONPATH": str(ROOT),
    }


def start_pulseaudio(env: dict[str, str]) -> str:
    """Start the room's sound server; return '' or why it would not start."""
    start = subprocess.run(
        ["pulseaudio", "--daemonize=yes", "--exit-idle-time=-1", "-n",
         "--load=module-native-protocol-unix", "--load=module-null-sink sink_name=room"],
        env=env, capture_output=True, text=True, timeout=30, check=False,
    )
    if start.returncode != 0:
        return f"pulseaudio would not start: {start.stderr.strip()[-200:]}"
    deadline = time.monotonic() + 10
    while subprocess.run(["pactl", "info"], env=env, capture_output=True, check=False).returncode:
        if time.monotonic() > deadline:
            return "pulseaudio did not come up"
        time.sleep(0.1)
    return ""


def kill_pulseaudio(env: dict[str, str]) -> None:
    subprocess.run(["pulseaudio", "--kill"], env=env, capture_output=True, timeout=10, check=False)
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        if subprocess.run(["pactl", "info"], env=env, capture_output=True, check=False).returncode:
            return
        time.sleep(0.05)


class Recorder:
    """Records the room at 16 kHz mono while running; ``stop()`` returns the samples.

    parec starts late and loses its buffer on SIGTERM: ``start`` waits for its
    first bytes, and ``stop`` ends it with SIGINT.
    """

    def __init__(self, env: dict[str, str]) -> None:
        self.env = env
        self.chunks: list[bytes] = []
        self.started_at = 0.0  # time.monotonic() of the first byte

    def start(self) -> Recorder:
        self.proc = subprocess.Popen(
            ["parec", "--latency-msec=20", "--device=room.monitor", "--rate=16000",
             "--channels=1", "--format=s16le"],
            env=self.env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
        )
        stream = self.proc.stdout
        assert stream is not None

        def read() -> None:
            for block in iter(lambda: stream.read(640), b""):
                if not self.chunks:
                    self.started_at = time.monotonic() - len(block) / 32000
                self.chunks.append(block)

        self.reader = threading.Thread(target=read, daemon=True)
        self.reader.start()
        deadline = time.monotonic() + 10
        while not self.chunks and time.monotonic() < deadline:
            time.sleep(0.02)
        return self

    def samples(self) -> npt.NDArray[np.int16]:
        raw = b"".join(list(self.chunks))
        return np.frombuffer(raw[: len(raw) // 2 * 2], dtype="<i2")

    def stop(self) -> npt.NDArray[np.int16]:
        self.proc.send_signal(signal.SIGINT)
        self.proc.wait(10)
        self.reader.join(10)
        return self.samples()


def record_while(
    env: dict[str, str], args: list[str]
) -> tuple[subprocess.CompletedProcess[str], npt.NDArray[np.int16]]:
    """Run ``args`` while recording the room; return the run and the recording."""
    recorder = Recorder(env).start()
    try:
        done = subprocess.run(args, env=env, capture_output=True, text=True, timeout=60, check=False)
        time.sleep(0.5)
    finally:
        heard = recorder.stop()
    return done, heard


def play(env: dict[str, str], wav: Path) -> None:
    """Someone speaks in the room."""
    subprocess.run(["paplay", "--device=room", str(wav)], env=env, timeout=30, check=True)
