"""The listening thread: microphone -> echo gate -> utterances -> transcript queue.

It never stops on a device fault. No microphone at start, a stream error, an
unplugged USB microphone or a sound server that went away are all the same
thing here: the source is closed, the loss is reported once, and the
microphone is opened again with a growing pause (``RETRY_S``) until it comes
back. The loop (and with it every timer) runs in another thread and never
waits for this one. A source that goes silent without an error (PortAudio does
that when PulseAudio dies) counts as lost after ``stall_s``.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from typing import Callable, Protocol, Sequence

from skill.app.echo import EchoGate
from skill.messages import AudioChunk, Say, Transcript

log = logging.getLogger(__name__)

RETRY_S = (0.5, 1.0, 2.0, 3.0)  # then every 3 s: a reconnected USB microphone is found quickly
READ_TIMEOUT_S = 0.25  # how often a blocked read looks up to see if it should stop
FIRST_AUDIO_S = 5.0  # a fresh PulseAudio stream may take 2 s to deliver its first block


class MicUnavailable(Exception):
    """The microphone cannot be opened or has failed; one sentence for the log."""


class ChunkSource(Protocol):
    """An open microphone. ``read`` returns None when nothing came within the timeout."""

    def read(self, timeout_s: float) -> AudioChunk | None: ...

    def close(self) -> None: ...


class Hearing(Protocol):
    """Segmentation and recognition: audio in, a transcript at the end of each utterance."""

    def feed(self, chunk: AudioChunk) -> Transcript | None: ...

    def reset(self) -> None: ...


Item = Transcript | Say | None


class Listener:
    """Runs ``run(stop)`` in its own thread; puts transcripts (and fault notices) on ``out``."""

    def __init__(
        self,
        open_mic: Callable[[], ChunkSource],
        hearing: Hearing,
        gate: EchoGate,
        out: queue.Queue[Item],
        status: Callable[[str], None] = lambda state: None,
        stall_s: float = 2.0,
        retry_s: Sequence[float] = RETRY_S,
        first_audio_s: float = FIRST_AUDIO_S,
    ) -> None:
        self.open_mic = open_mic
        self.hearing = hearing
        self.gate = gate
        self.out = out
        self.status = status
        self.stall_s = stall_s
        self.retry_s = retry_s
        self.first_audio_s = first_audio_s
        self.lost = False  # a loss was reported and the microphone has not come back yet
        self.losses = 0
        self._said_lost = False
        self._ever_heard = False  # no microphone at start is logged, not said

    def run(self, stop: threading.Event) -> None:
        attempt = 0
        while not stop.is_set():
            try:
                source = self.open_mic()
            except MicUnavailable as exc:
                self._report_loss(str(exc))
                stop.wait(self.retry_s[min(attempt, len(self.retry_s) - 1)])
                attempt += 1
                continue
            attempt = 0
            try:
                self._listen(source, stop)
            except MicUnavailable as exc:
                self._report_loss(str(exc))
            finally:
                _close_quietly(source)

    def _listen(self, source: ChunkSource, stop: threading.Event) -> None:
        last_audio = time.monotonic() + self.first_audio_s - self.stall_s
        was_open = False
        while not stop.is_set():
            chunk = source.read(READ_TIMEOUT_S)
            now = time.monotonic()
            if chunk is None:
                if now - last_audio > self.stall_s:
                    raise MicUnavailable(f"the microphone sent no audio for {self.stall_s:g} s")
                continue
            last_audio = now
            self._report_back()
            is_open = self.gate.is_open(now - chunk.duration_s)
            if not is_open:
                if was_open:
                    self.hearing.reset()  # drop half an utterance cut by Haven's own voice
                    self.status("speaking")
                was_open = False
                continue
            if not was_open:
                self.status("listening")
            was_open = True
            self._hear(chunk)

    def _hear(self, chunk: AudioChunk) -> None:
        transcript = self.hearing.feed(chunk)
        if transcript is not None:
            self.out.put(transcript)

    def _report_loss(self, reason: str) -> None:
        self.hearing.reset()
        if self.lost:
            return
        self.lost = True
        self.losses += 1
        log.warning("%s; Haven keeps its timers running and listens again when it is back", reason)
        self.status("no microphone")
        if self._ever_heard and not self._said_lost:
            self._said_lost = True  # said aloud once per run; logged once per loss
            self.out.put(Say("device.mic_lost"))

    def _report_back(self) -> None:
        self._ever_heard = True
        if self.lost:
            self.lost = False
            log.warning("the microphone is back; listening again")
            self.status("listening")


def _close_quietly(source: ChunkSource) -> None:
    try:
        source.close()
    except Exception as exc:  # a dead device may fail to close; it is gone either way
        log.debug("closing the microphone failed: %s", exc)
