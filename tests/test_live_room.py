"""``haven run`` end to end in the virtual room: heard, answered aloud, stopped cleanly.

Haven runs on the default devices of a PulseAudio null sink (``PULSE_SINK`` /
``PULSE_SOURCE``): a recorded "start check in" is played into the room, the
room is recorded, and what Haven said is transcribed (pocketsphinx, full
language model) to show it read the question aloud. The fault test kills the
sound server mid-run and starts it again: Haven says so once, keeps going, and
answers the next request aloud.
"""

from __future__ import annotations

import re
import signal
import subprocess
import time
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pytest
from conftest import DEV_CORPUS
from room import (
    HavenRun,
    Recorder,
    kill_pulseaudio,
    play,
    room,  # noqa: F401  (a fixture)
    room_env,
    speech_span,
    start_pulseaudio,
)

from skill.decks import load_decks

pytestmark = pytest.mark.room

START_UP_S = 60  # loading the recogniser, the matcher and the voice on a busy CI machine



@pytest.fixture(scope="module")
def start_check_in(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Someone saying "start check in": the shared corpus's recording, or espeak-ng's."""
    recorded = DEV_CORPUS / "009-piper-clean.wav"
    if recorded.exists():
        return recorded
    wav = tmp_path_factory.mktemp("say") / "start-check-in.wav"
    made = subprocess.run(["espeak-ng", "-s", "150", "-w", str(wav), "start check in"], check=False)
    if made.returncode != 0:
        pytest.skip("neither the shared corpus nor espeak-ng is here to say 'start check in'")
    return wav


def transcribe(samples: npt.NDArray[np.int16]) -> str:
    from pocketsphinx import Decoder

    decoder = Decoder(samprate=16000, loglevel="FATAL")
    decoder.start_utt()
    decoder.process_raw(samples.astype("<i2").tobytes(), False, True)
    decoder.end_utt()
    return decoder.hyp().hypstr if decoder.hyp() else ""


def words(text: str) -> list[str]:
    return re.findall(r"[a-z']+", text.lower())


def ask_and_record(room: dict[str, str], haven: HavenRun, wav: Path) -> tuple[str, npt.NDArray[np.int16]]:
    """Play ``wav`` into the room; return the question Haven printed and what the room heard."""
    recorder = Recorder(room).start()
    try:
        played = time.monotonic()
        play(room, wav)
        asked = haven.wait_for("saying line checkin.question", after=played, timeout=30)
        haven.wait_for("status: listening", after=asked, timeout=30)  # the line has been said
    finally:
        heard = recorder.stop()
    question = [r for r in haven.replies() if r in daily_questions()][-1]
    return question, heard


def daily_questions() -> set[str]:
    """Every question of the default (daily) deck: the check-in's first question is one of them."""
    deck = load_decks()["daily"]
    return {question.text for section in deck.sections for question in section.questions}


def speech_seconds(wav: Path) -> float:
    """How long the speech in ``wav`` lasts, measured as in the room."""
    import wave

    with wave.open(str(wav), "rb") as w:
        samples = np.frombuffer(w.readframes(w.getnframes()), dtype="<i2")
        rate = w.getframerate()
    if rate != 16000:
        from skill.audio.convert import convert_samples

        samples = convert_samples(samples.reshape(-1, 1), rate, 16000)[:, 0]
    span = speech_span(samples)
    assert span is not None
    return span[1] - span[0]


def assert_question_said(question: str, heard: npt.NDArray[np.int16], wav: Path) -> None:
    user = speech_span(heard)
    assert user is not None, "the room heard nothing at all"
    reply = speech_span(heard, start_s=user[0] + speech_seconds(wav) + 0.1)
    assert reply is not None, "Haven said nothing aloud"
    said = transcribe(heard[int(reply[0] * 16000) :])
    expected = words(question)
    found = set(words(said))
    recall = sum(w in found for w in expected) / len(expected)
    assert recall >= 0.5, f"asked {question!r}, the room heard {said!r}"


def test_start_check_in_is_answered_aloud_and_sigint_stops_cleanly(
    room: dict[str, str], start_check_in: Path, tmp_path: Path
) -> None:
    haven = HavenRun(room, tmp_path / "state")
    try:
        haven.wait_for("status: listening", timeout=START_UP_S)
        question, heard = ask_and_record(room, haven, start_check_in)
        assert_question_said(question, heard, start_check_in)
    finally:
        took = haven.interrupt(signal.SIGINT)
    assert haven.proc.returncode == 0 and took < 5.0, haven.stderr()
    assert "Traceback" not in haven.stderr()
    assert '"state": "checkin"' in (tmp_path / "state" / "state.json").read_text()


def test_the_sound_server_dies_and_comes_back_and_haven_still_answers(
    room: dict[str, str], start_check_in: Path, tmp_path: Path
) -> None:
    haven = HavenRun(room, tmp_path / "state")
    try:
        haven.wait_for("status: listening", timeout=START_UP_S)
        killed = time.monotonic()
        kill_pulseaudio(room)
        haven.wait_for("Haven keeps its timers running", after=killed, timeout=15)
        time.sleep(1.0)
        assert start_pulseaudio(room) == ""
        back = haven.wait_for("microphone is back", after=killed, timeout=30)
        haven.wait_for("status: listening", after=back, timeout=10)
        question, heard = ask_and_record(room, haven, start_check_in)
        assert_question_said(question, heard, start_check_in)
    finally:
        took = haven.interrupt(signal.SIGTERM)
    log = haven.stderr()
    assert haven.proc.returncode == 0 and took < 5.0, log
    assert log.count("Haven keeps its timers running") == 1, log
    assert "Traceback" not in log and "ALSA lib" not in log and "Expression '" not in log, log


def test_no_sound_server_at_start_is_one_line_then_haven_waits_for_it(
    tmp_path: Path, start_check_in: Path, room: dict[str, str]
) -> None:
    (tmp_path / "pulse-later").mkdir()
    quiet = room_env(tmp_path / "pulse-later")  # a room whose sound server is not up yet
    haven = HavenRun(quiet, tmp_path / "state", "--voice", "none")
    try:
        haven.wait_for("no microphone is connected", timeout=START_UP_S)
        time.sleep(1.0)
        assert start_pulseaudio(quiet) == ""
        haven.wait_for("microphone is back", timeout=30)
        played = time.monotonic()
        play(quiet, start_check_in)
        haven.wait_for("saying line checkin.question", after=played, timeout=30)
    finally:
        took = haven.interrupt(signal.SIGINT)
        kill_pulseaudio(quiet)
    log = haven.stderr()
    assert haven.proc.returncode == 0 and took < 5.0, log
    assert log.count("no microphone is connected") == 1 and "Traceback" not in log, log
    assert not any("microphone" in reply for reply in haven.replies())  # logged, not said
