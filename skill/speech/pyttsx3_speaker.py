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

from skill.audio.wav import read_wav
from skill.config import SpeechSettings
from skill.errors import UserError
from skill.messages import AudioChunk
from skill.speech.base import SpeechError
from skill.speech.playback import Player
from skill.speech.pyttsx3_render import render_with_pyttsx3
from skill.speech.scratch import scratch_file
from skill.speech.speakers import PrintSpeaker, RenderingSpeaker
from skill.speech.worker import RenderFn, SpeechWorker, WorkerStats


class PyttsxSpeaker(RenderingSpeaker):
    """Speaks with pyttsx3, rendered in a worker process with a per-line timeout.

    ``render`` runs in the worker (inject another module-level function to
    test hangs and crashes).
    """

    name = "pyttsx3"

    def __init__(
        self,
        settings: SpeechSettings | None = None,
        *,
        player: Player | None = None,
        fallback: PrintSpeaker | None = None,
        render: RenderFn = render_with_pyttsx3,
    ) -> None:
        super().__init__(player, fallback)
        settings = settings or SpeechSettings()
        self._path = scratch_file()
        self._worker = SpeechWorker(
            render,
            rate_wpm=settings.rate_wpm,
            timeout_s=settings.timeout_seconds,
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
