"""The worker side of the pyttsx3 voice: one engine, one WAV file per line.

This module runs in the speech worker process (``skill.speech.worker``), so it
imports nothing of Haven's audio stack: no numpy, no PortAudio. The worker
stays at about 20 MB with espeak-ng loaded.
"""

from __future__ import annotations

import logging
import os
import threading
import wave
from typing import Any

logger = logging.getLogger(__name__)

INSTALL_HINT = "install with: pip install pyttsx3 && sudo apt install espeak-ng"

ATTEMPTS = 3


class _Engine:
    """Worker side: one pyttsx3 engine, driven so that each line really finishes.

    Two quirks of pyttsx3 2.99 on espeak-ng, measured here: ``runAndWait`` may
    return before espeak-ng's thread has written the file (so we wait for
    ``finished-utterance``), and a property change can make pyttsx3 cancel a
    later line, which then comes out empty (about one fresh process in four
    loses its first or second line). So the rate is set once, and an empty
    file is rendered again.
    """

    def __init__(self, rate_wpm: int) -> None:
        try:
            import pyttsx3
        except ImportError:
            raise RuntimeError(f"pyttsx3 is not installed; {INSTALL_HINT}") from None
        self._done = threading.Event()
        self._engine: Any = pyttsx3.init()
        self._engine.connect("finished-utterance", self._on_finished)
        self._engine.setProperty("rate", rate_wpm)
        self.rate_wpm = rate_wpm

    def _on_finished(self, name: object = None, completed: object = None) -> None:
        self._done.set()

    def render(self, text: str, wav_path: str) -> None:
        for attempt in range(1, ATTEMPTS + 1):
            if os.path.exists(wav_path):
                os.remove(wav_path)
            self._done.clear()
            self._engine.save_to_file(text, wav_path)
            self._engine.runAndWait()
            self._done.wait()  # no limit here: the parent's timeout kills a hang
            if _frames(wav_path) > 0:
                return
            logger.debug(
                "pyttsx3 wrote an empty file (attempt %d of %d)", attempt, ATTEMPTS
            )
        raise RuntimeError(f"pyttsx3 wrote no audio {ATTEMPTS} times in a row")


def _frames(wav_path: str) -> int:
    try:
        with wave.open(wav_path, "rb") as wav:
            return wav.getnframes()
    except (OSError, EOFError, wave.Error):
        return 0


_engine: _Engine | None = (
    None  # one per worker process: espeak-ng initialises only once
)


def render_with_pyttsx3(text: str, wav_path: str, rate_wpm: int) -> None:
    """Worker side: render ``text`` into ``wav_path`` with pyttsx3."""
    global _engine
    if _engine is None or _engine.rate_wpm != rate_wpm:
        _engine = _Engine(rate_wpm)
    _engine.render(text, wav_path)


