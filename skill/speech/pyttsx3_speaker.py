"""The pyttsx3 voice (espeak-ng on Linux), isolated in a worker process.

Measured here with pyttsx3 2.99: one engine kept for the worker's life,
``save_to_file`` + ``runAndWait`` per line, renders 1000 lines without a
hang. pyttsx3's own ``say`` shells out to ``aplay`` on Linux (absent on many
systems, and deaf to device choice), so the worker only ever renders to a
WAV file and Haven plays it itself through sounddevice.
"""

from __future__ import annotations

import os
import tempfile
import wave
from pathlib import Path
from typing import Any

from skill.config import SpeechSettings
from skill.messages import AudioChunk
from skill.speech.audio import read_wav
from skill.speech.base import SpeechError
from skill.speech.playback import Player
from skill.speech.speakers import PrintSpeaker, RenderingSpeaker
from skill.speech.worker import RenderFn, SpeechWorker, StartMethod, WorkerStats

INSTALL_HINT = "install with: pip install pyttsx3 && sudo apt install espeak-ng"

_engine: Any = None  # one per worker process; espeak-ng initialises only once anyway


def render_with_pyttsx3(text: str, wav_path: str, rate_wpm: int) -> None:
    """Worker side: render ``text`` into ``wav_path`` with pyttsx3."""
    global _engine
    if _engine is None:
        try:
            import pyttsx3
        except ImportError:
            raise RuntimeError(f"pyttsx3 is not installed; {INSTALL_HINT}") from None
        _engine = pyttsx3.init()
    if os.path.exists(wav_path):
        os.remove(wav_path)
    _engine.setProperty("rate", rate_wpm)
    _engine.save_to_file(text, wav_path)
    _engine.runAndWait()
    if not os.path.exists(wav_path):
        raise RuntimeError("pyttsx3 returned without writing audio")


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
        self._dir = tempfile.TemporaryDirectory(prefix="haven-speech-")
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
        path = Path(self._dir.name) / "line.wav"
        self._worker.render_to(text, path)
        try:
            return read_wav(path)
        except (OSError, EOFError, ValueError, wave.Error) as exc:
            raise SpeechError(f"the speech engine wrote unreadable audio ({exc})") from None

    def close(self) -> None:
        super().close()
        self._worker.close()
        self._dir.cleanup()
