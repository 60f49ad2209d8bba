"""The pyttsx3 worker: a hung or dead engine is killed and replaced, Haven goes on.

The faulty engines are injected through ``PyttsxSpeaker(render=...)``; they run
in the real worker process, so they must be module-level functions.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import time
from collections.abc import Iterator

import pytest

from skill.config import SpeechSettings
from skill.speech.base import SpeechError
from skill.speech.pyttsx3_speaker import PyttsxSpeaker, render_with_pyttsx3
from skill.speech.worker import RenderFn

TIMEOUT_S = 2.0


def render_or_hang(text: str, wav_path: str, rate_wpm: int) -> None:
    if "[hang]" in text:
        while True:
            time.sleep(3600)
    render_with_pyttsx3(text, wav_path, rate_wpm)


def render_or_die(text: str, wav_path: str, rate_wpm: int) -> None:
    if "[die]" in text:
        os._exit(3)
    render_with_pyttsx3(text, wav_path, rate_wpm)


def render_or_fail(text: str, wav_path: str, rate_wpm: int) -> None:
    if "[fail]" in text:
        raise ValueError("this voice cannot say that")
    render_with_pyttsx3(text, wav_path, rate_wpm)


@pytest.fixture
def speakers() -> Iterator[list[PyttsxSpeaker]]:
    made: list[PyttsxSpeaker] = []
    yield made
    for speaker in made:
        speaker.close()


def make(speakers: list[PyttsxSpeaker], render: RenderFn) -> PyttsxSpeaker:
    speaker = PyttsxSpeaker(SpeechSettings(timeout_seconds=TIMEOUT_S), render=render)
    speakers.append(speaker)
    return speaker


def test_a_hung_worker_is_killed_and_restarted_within_the_timeout(
    speakers: list[PyttsxSpeaker], caplog: pytest.LogCaptureFixture
) -> None:
    speaker = make(speakers, render_or_hang)
    assert speaker.render("Hello.").duration_s > 0.3
    started = time.monotonic()
    with caplog.at_level(logging.WARNING), pytest.raises(SpeechError, match="hung"):
        speaker.render("[hang] Take a slow breath in.")
    assert TIMEOUT_S <= time.monotonic() - started < TIMEOUT_S + 1.5
    started = time.monotonic()
    assert speaker.render("Welcome back.").duration_s > 0.3
    assert time.monotonic() - started < TIMEOUT_S
    assert (speaker.stats.timeouts, speaker.stats.restarts) == (1, 1)
    assert len([r for r in caplog.records if r.levelno == logging.WARNING]) == 1


def test_a_dead_worker_is_replaced(speakers: list[PyttsxSpeaker]) -> None:
    speaker = make(speakers, render_or_die)
    started = time.monotonic()
    with pytest.raises(SpeechError, match="died"):
        speaker.render("[die] Five minutes left.")
    assert time.monotonic() - started < TIMEOUT_S  # noticed at once, not at the timeout
    assert speaker.render("Five minutes left.").duration_s > 0.3
    assert (speaker.stats.crashes, speaker.stats.restarts) == (1, 1)


def test_an_engine_error_loses_the_line_but_keeps_the_worker(
    speakers: list[PyttsxSpeaker],
) -> None:
    speaker = make(speakers, render_or_fail)
    with pytest.raises(SpeechError, match="cannot say that"):
        speaker.render("[fail] something")
    assert speaker.render("Next question.").duration_s > 0.3
    assert (speaker.stats.failures, speaker.stats.restarts) == (1, 0)


def test_many_lines_in_a_row_all_have_audio(speakers: list[PyttsxSpeaker]) -> None:
    speaker = make(speakers, render_with_pyttsx3)
    for index in range(60):
        chunk = speaker.render(f"What made you smile this week? Question {index}.")
        assert chunk.duration_s > 1.0, f"line {index} came out short"
    assert speaker.stats.restarts == 0


def test_every_line_after_a_restart_gets_audio(speakers: list[PyttsxSpeaker]) -> None:
    # A fresh pyttsx3 process sometimes writes its first lines empty; the engine retries them.
    speaker = make(speakers, render_or_die)
    for index in range(5):
        with pytest.raises(SpeechError):
            speaker.render("[die]")
        assert speaker.render(f"Line {index} after a restart.").duration_s > 0.5


def test_the_worker_loads_neither_numpy_nor_portaudio() -> None:
    # What the worker process imports (``python -m skill.speech.worker``): a spawned
    # multiprocessing child re-imported all of Haven and cost 38 MB, not about 20.
    loaded = subprocess.run(
        [sys.executable, "-c", "import sys, skill.speech.worker, skill.speech.pyttsx3_render; "
         "print(' '.join(sorted(sys.modules)))"],
        capture_output=True, text=True, check=True,
    ).stdout.split()
    assert "skill.speech.worker" in loaded
    heavy = {"numpy", "sounddevice", "_sounddevice", "pocketsphinx"}
    assert [m for m in loaded if m.split(".")[0] in heavy] == []
    assert "multiprocessing.resource_tracker" not in loaded


def test_ctrl_c_is_left_to_haven_not_the_worker(speakers: list[PyttsxSpeaker]) -> None:
    # Ctrl-C in a terminal reaches the whole process group: the worker must not die of it (or
    # print a traceback); Haven closes it on its way out.
    import signal

    speaker = make(speakers, render_with_pyttsx3)
    assert speaker.render("Hello.").duration_s > 0.3
    worker = speaker._worker._process
    assert worker is not None
    os.kill(worker.pid, signal.SIGINT)
    time.sleep(0.3)
    assert worker.poll() is None
    assert speaker.render("Still here.").duration_s > 0.3
    assert speaker.stats.restarts == 0
