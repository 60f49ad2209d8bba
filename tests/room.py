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
from collections.abc import Iterator
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
    inherited = {k: v for k, v in os.environ.items() if k != "PULSE_RUNTIME_PATH"}  # the room's own
    return {
        **inherited,
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


@pytest.fixture(scope="module")
def room(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """A PulseAudio server with a null sink as the room (import this fixture into a test module)."""
    need_pulseaudio()
    env = room_env(tmp_path_factory.mktemp("pulse"))
    problem = start_pulseaudio(env)
    if problem:
        pytest.skip(problem)
    yield env
    kill_pulseaudio(env)


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


class HavenRun:
    """``haven --log-level info run`` as a child in the room, its output read as it comes.

    Without a terminal the status line is logged (``status: listening``), and
    each reply is printed on stdout as ``haven: TEXT``.
    """

    def __init__(self, env: dict[str, str], state_dir: Path, *args: str) -> None:
        import sys

        env = {**env, "HAVEN_STATE_DIR": str(state_dir), "HAVEN_CONFIG_DIR": str(state_dir / "config")}
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "skill", "--log-level", "info", "run", *args],
            env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            text=True,
        )
        self.out: list[tuple[float, str]] = []
        self.err: list[tuple[float, str]] = []
        self._changed = threading.Condition()
        for stream, lines in ((self.proc.stdout, self.out), (self.proc.stderr, self.err)):
            threading.Thread(target=self._read, args=(stream, lines), daemon=True).start()

    def _read(self, stream: object, lines: list[tuple[float, str]]) -> None:
        for line in stream:  # type: ignore[attr-defined]
            with self._changed:
                lines.append((time.monotonic(), line.rstrip("\n")))
                self._changed.notify_all()

    def wait_for(self, text: str, after: float = 0.0, timeout: float = 30.0, stream: str = "err") -> float:
        """Wait for a line containing ``text`` logged after ``after``; return when it came."""
        lines = self.err if stream == "err" else self.out
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                for at, line in lines:
                    if at >= after and text in line:
                        return at
                if self.proc.poll() is not None and time.monotonic() > deadline - timeout + 1:
                    raise AssertionError(f"haven run ended ({self.proc.returncode}):\n{self.stderr()}")
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"no {text!r} within {timeout} s; stderr:\n{self.stderr()}")
                self._changed.wait(min(left, 0.2))

    def replies(self) -> list[str]:
        return [line.removeprefix("haven: ") for _, line in self.out if line.startswith("haven: ")]

    def stderr(self) -> str:
        return "\n".join(line for _, line in self.err)

    def interrupt(self, sig: int = signal.SIGINT, timeout: float = 10.0) -> float:
        """Send ``sig``; return how long the exit took."""
        start = time.monotonic()
        self.proc.send_signal(sig)
        try:
            self.proc.wait(timeout)
        finally:
            if self.proc.poll() is None:
                self.proc.kill()
                self.proc.wait()
        time.sleep(0.1)  # the readers finish the last lines
        return time.monotonic() - start


def speech_span(samples: npt.NDArray[np.int16], rate: int = 16000, start_s: float = 0.0,
                level: float = 300.0, gap_s: float = 0.8) -> tuple[float, float] | None:
    """(start, end) seconds of the first stretch of sound after ``start_s``; pauses shorter
    than ``gap_s`` do not end it. None if the room was silent."""
    hop = rate // 100
    frames = samples[: len(samples) // hop * hop].reshape(-1, hop).astype(np.float64)
    loud = np.sqrt((frames**2).mean(axis=1)) > level
    first = int(start_s * 100)
    idx = np.nonzero(loud[first:])[0]
    if not len(idx):
        return None
    begin = end = first + int(idx[0])
    for i in range(begin, len(loud)):
        if loud[i]:
            end = i
        elif i - end > gap_s * 100:
            break
    return begin / 100, (end + 1) / 100
