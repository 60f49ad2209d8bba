"""The pyttsx3 voice (espeak-ng on Linux), isolated in a worker process.

Measured here (pyttsx3 2.99, 2 cores): one engine kept for the worker's life
renders 1000 lines in a row without a hang, about 85 lines/s (p50 11 ms, p95
14 ms; ``scripts/bench_speech.py``); a fresh worker costs 0.15-0.3 s. A fresh
engine per call is no fix: ``pyttsx3.init`` hands back the cached engine and
espeak-ng initialises once per process. pyttsx3's own ``say`` shells out to
``aplay`` on Linux (absent on many systems, deaf to device choice), so the
worker only renders WAV files and Haven plays them through sounddevice.
"""

from __future__ import annotations

import logging
import os
import threading
import wave
from typing import Any

from skill.audio.wav import read_wav
from skill.config import SpeechSettings
from skill.errors import UserError
from skill.messages import AudioChunk
from skill.speech.base import SpeechError
from skill.speech.playback import Player
from skill.speech.scratch import scratch_file
from skill.speech.speakers import PrintSpeaker, RenderingSpeaker
from skill.speech.worker import RenderFn, SpeechWorker, StartMethod, WorkerStats

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


class PyttsxSpeaker(RenderingSpeaker):
    """Speaks with pyttsx3, rendered in a worker process with a per-line timeout.

    ``render`` runs in the worker (inject another module-level function to
    test hangs and crashes); ``start_method`` is a multiprocessing context.
    """

    name = "pyttsx3"

    def __init__(
        self,
        settings: SpeechSettings | None = None,
        *,
        player: Player | None = None,
        fallback: PrintSpeaker | None = None,
        render: RenderFn = render_with_pyttsx3,
        start_method: StartMethod = "spawn",
    ) -> None:
        super().__init__(player, fallback)
        settings = settings or SpeechSettings()
        self._path = scratch_file()
        self._worker = SpeechWorker(
            render,
            rate_wpm=settings.rate_wpm,
            timeout_s=settings.timeout_seconds,
            start_method=start_method,
        )

    @property
    def stats(self) -> WorkerStats:
        return self._worker.stats

    def render(self, text: str) -> AudioChunk:
        text = text.strip()
        if not text:
            raise SpeechError("there is nothing to say in an empty line")
        path = self._path
        try:
            self._worker.render_to(text, path)
            return read_wav(path, rate=None)  # the voice's own rate; playback fits the device
        except UserError as exc:
            raise SpeechError(
                f"the speech engine wrote unreadable audio ({exc})"
            ) from None
        finally:
            path.unlink(missing_ok=True)  # the line is in memory now; leave nothing behind

    def close(self) -> None:
        super().close()
        self._worker.close()
        self._path.unlink(missing_ok=True)
