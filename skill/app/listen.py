"""The listening thread: an audio source -> echo gate -> hearing -> the loop's queue.

It never stops on a device fault. No microphone at start, a stream error, an
unplugged USB microphone or a sound server that went away are all the same
thing here: the source is closed, the loss is reported once (``MicLost``, an
engine event: the engine decides what is said), and the microphone is opened
again with a growing pause (``RETRY_S``) until it comes back (``MicBack``).
The loop (and with it every timer) runs in another thread and never waits for
this one. A source that goes silent without an error (PortAudio does that when
PulseAudio dies) counts as lost after ``stall_s``. A recording ends with
``InputEnded``: the utterance in progress is heard and the loop told.

A listener that falls behind the room (recognition slower than speech: long
talk on a slow core) hurries: the hearing is told to skip its costly passes
(``Hearing.hurry``) until it has caught up, so a command said now is heard
seconds later, not minutes.

Time is a parameter (``MonoClock``), so the tests run on a hand-moved clock.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from typing import Callable, Protocol, Sequence, Union

from skill.app.echo import EchoGate
from skill.messages import AudioChunk, MicBack, MicLost, Utterance

log = logging.getLogger(__name__)

RETRY_S = (0.5, 1.0, 2.0, 3.0)  # then every 3 s: a reconnected USB microphone is found quickly
READ_TIMEOUT_S = 0.25  # how often a blocked read looks up to see if it should stop
FIRST_AUDIO_S = 5.0  # a fresh PulseAudio stream may take 2 s to deliver its first block
# Hurry when more audio than this waits to be heard (seconds), until less than CAUGHT_UP_S does.
# By hand: an 8 s utterance heard at RTF 0.5 leaves 4 s waiting behind it, so 5 s is a
# listener that is losing ground, not one finishing a long utterance.
HURRY_S = 5.0
CAUGHT_UP_S = 1.0

Item = Union[Utterance, MicLost, MicBack, None]  # None: the input has ended


class MicUnavailable(Exception):
    """The microphone cannot be opened or has failed; one sentence for the log."""


class InputEnded(Exception):
    """The source has nothing more to give (a recording played through)."""


class ChunkSource(Protocol):
    """An open microphone (or recording). ``read`` returns None when nothing came within the timeout."""

    def read(self, timeout_s: float) -> AudioChunk | None: ...

    def behind_s(self) -> float:
        """Seconds of the room's audio captured but not yet read."""

    def close(self) -> None: ...


class Hearing(Protocol):
    """Segmentation and recognition: audio in, an Utterance at the end of each one."""

    def feed(self, chunk: AudioChunk) -> Utterance | None: ...

    def flush(self) -> Utterance | None: ...

    def reset(self) -> None: ...

    def listen_for(self, intents: frozenset[str]) -> None: ...

    def hurry(self, on: bool) -> None:
        """Skip the costly passes (on) or hear in full again (off)."""


class MonoClock(Protocol):
    """Monotonic seconds, and a pause that ends early when ``stop`` is set."""

    def monotonic(self) -> float: ...

    def pause(self, stop: threading.Event, seconds: float) -> None: ...


class RealTime:
    def monotonic(self) -> float:
        return time.monotonic()

    def pause(self, stop: threading.Event, seconds: float) -> None:
        stop.wait(seconds)


class GatedHearing:
    """The echo gate in front of the hearing: what the microphone caught while Haven spoke is
    not heard, and an utterance cut by Haven's voice is dropped (no ``SpeechEnded`` for it)."""

    def __init__(self, hearing: Hearing, gate: EchoGate,
                 status: Callable[[str], None] = lambda state: None) -> None:
        self.hearing = hearing
        self.gate = gate
        self.status = status
        self._open = False

    def hear(self, chunk: AudioChunk, at: float) -> Utterance | None:
        """``chunk`` was captured from time ``at`` (the gate's time base)."""
        if not self.gate.is_open(at):
            if self._open:
                self.hearing.reset()  # drop half an utterance cut by Haven's own voice
                self.status("speaking")
            self._open = False
            return None
        if not self._open:
            self.status("listening")
        self._open = True
        return self.hearing.feed(chunk)


class Listener:
    """Runs ``run(stop)`` in its own thread; puts utterances and device events on ``out``."""

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
        clock: MonoClock | None = None,
    ) -> None:
        self.open_mic = open_mic
        self.hearing = hearing
        self.gated = GatedHearing(hearing, gate, status)
        self.out = out
        self.status = status
        self.stall_s = stall_s
        self.retry_s = retry_s
        self.first_audio_s = first_audio_s
        self.clock = clock or RealTime()
        self.lost = False  # a loss was reported and the microphone has not come back yet
        self.losses = 0
        self._ever_heard = False  # no microphone at start is logged, not an engine event
        self.hurried = False
        self.hurries = 0  # times it fell behind: the first is a warning, the rest are logged

    def run(self, stop: threading.Event) -> None:
        attempt = 0
        while not stop.is_set():
            try:
                source = self.open_mic()
            except MicUnavailable as exc:
                self._report_loss(str(exc))
                self.clock.pause(stop, self.retry_s[min(attempt, len(self.retry_s) - 1)])
                attempt += 1
                continue
            attempt = 0
            try:
                self._listen(source, stop)
            except MicUnavailable as exc:
                self._report_loss(str(exc))
            except InputEnded:
                self._end()
                return
            finally:
                _close_quietly(source)

    def _listen(self, source: ChunkSource, stop: threading.Event) -> None:
        last_audio = self.clock.monotonic() + self.first_audio_s - self.stall_s
        while not stop.is_set():
            chunk = source.read(READ_TIMEOUT_S)
            now = self.clock.monotonic()
            if chunk is None:
                if now - last_audio > self.stall_s:
                    raise MicUnavailable(f"the microphone sent no audio for {self.stall_s:g} s")
                continue
            last_audio = now
            self._report_back()
            self._keep_up(source.behind_s())
            self._put(self.gated.hear(chunk, now - chunk.duration_s))

    def _keep_up(self, behind_s: float) -> None:
        hurry = behind_s > HURRY_S or (self.hurried and behind_s > CAUGHT_UP_S)
        if hurry != self.hurried:
            self.hurried = hurry
            if hurry:
                self.hurries += 1
                log.log(logging.WARNING if self.hurries == 1 else logging.INFO,
                        "listening %.0f s behind the room; hearing quickly until caught up", behind_s)
            else:
                log.info("caught up with the room; hearing in full again")
            self.hearing.hurry(hurry)

    def _end(self) -> None:
        self._put(self.hearing.flush())
        log.info("input ended")
        self.out.put(None)

    def _put(self, utterance: Utterance | None) -> None:
        if utterance is None:
            return
        if utterance.transcript is not None:
            log.info("heard a command")
        self.out.put(utterance)

    def _report_loss(self, reason: str) -> None:
        self.hearing.reset()
        if self.lost:
            return
        self.lost = True
        self.losses += 1
        log.warning("%s; Haven keeps its timers running and listens again when it is back", reason)
        self.status("no microphone")
        if self._ever_heard:
            self.out.put(MicLost())  # a working microphone went away: the engine may say so

    def _report_back(self) -> None:
        was_lost, self.lost = self.lost, False
        if was_lost:
            log.warning("the microphone is back; listening again")
            self.status("listening")
            if self._ever_heard:
                self.out.put(MicBack())
        self._ever_heard = True


def _close_quietly(source: ChunkSource) -> None:
    try:
        source.close()
    except Exception as exc:  # a dead device may fail to close; it is gone either way
        log.debug("closing the microphone failed: %s", exc)
