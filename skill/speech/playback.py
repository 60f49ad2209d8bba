"""Playing rendered lines through sounddevice, cut short on request.

The device is looked up on first use; a missing one raises ``NoOutputDevice``
so the speaker can fall back to printing. Playback waits at most the line's
length plus a margin, so a stalled audio driver cannot freeze Haven either.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from typing import Any, Iterator

import numpy as np
import numpy.typing as npt

from skill.messages import AudioChunk
from skill.audio.convert import convert_samples
from skill.speech.audio import int16_from_chunk

logger = logging.getLogger(__name__)

STALL_MARGIN_S = 3.0  # beyond the line's own length, before we give up on the device
OUTPUT_LATENCY_S = 0.15  # roomy: at 0.08 s the 2-core machine underruns (glitches, ALSA chatter) under load

Device = str | int | None


# Held while a stream plays, and while PortAudio is re-initialised to find devices
# plugged in after start (re-initialising closes every open stream).
PORTAUDIO_LOCK = threading.RLock()


class NoOutputDevice(Exception):
    """No usable audio output (no sound card, unknown device, no PortAudio)."""


def parse_device(value: str | int | None) -> Device:
    """'' or None means the default device; digits mean a device index."""
    if value is None or isinstance(value, int):
        return value
    value = value.strip()
    if not value:
        return None
    return int(value) if value.isdecimal() else value


def _sounddevice() -> Any:
    try:
        import sounddevice
    except (ImportError, OSError) as exc:
        raise NoOutputDevice(
            f"sounddevice cannot load PortAudio ({exc}); install with: "
            "pip install sounddevice && sudo apt install libportaudio2"
        ) from None
    return sounddevice


class Player:
    """Plays 16-bit audio on one output device; ``interrupt`` from any thread."""

    def __init__(self, device: Device = None) -> None:
        self._device = device
        self._info: dict[str, Any] | None = None
        self._stop = threading.Event()
        self._playing = False
        self._until = 0.0
        self._started = 0.0
        self._feed: _Feed | None = None

    @property
    def is_playing(self) -> bool:
        return self._playing

    @property
    def playing_until(self) -> float:
        feed = self._feed
        if self._playing and feed is not None:
            return self._started + feed.total_s()
        return self._until

    def check_device(self) -> None:
        """Look the device up once; raise ``NoOutputDevice`` if there is none."""
        if self._info is not None:
            return
        sd = _sounddevice()
        name = (
            "the default output device"
            if self._device is None
            else f"output device {self._device!r}"
        )
        try:
            self._info = dict(sd.query_devices(self._device, kind="output"))
        except (ValueError, sd.PortAudioError):
            raise NoOutputDevice(f"{name} is not available") from None

    def forget_device(self) -> None:
        """Look the device up again next time (it failed; it may come back elsewhere)."""
        self._info = None

    def interrupt(self) -> None:
        self._stop.set()

    def play(self, chunk: AudioChunk) -> None:
        """Play ``chunk``; return when it is done, interrupted or stalled."""
        self.play_parts(iter([chunk]))

    def play_parts(self, parts: Iterator[AudioChunk]) -> None:
        """Play ``parts`` back to back in one stream, starting as soon as the first is here.

        The rest are pulled from ``parts`` (rendered, say, one sentence at a time)
        on a helper thread while the first plays; ``playing_until`` grows as they come.
        """
        first = next(parts, None)
        if first is None:
            return
        self.check_device()
        assert self._info is not None
        sd = _sounddevice()
        samples, rate = self._fit_device(sd, int16_from_chunk(first), first.rate)
        self._stop.clear()
        feed = _Feed(samples, rate)
        threading.Thread(target=self._feed_rest, args=(feed, parts), daemon=True).start()
        try:
            with PORTAUDIO_LOCK:
                self._play_feed(sd, feed)
        except sd.PortAudioError as exc:
            raise NoOutputDevice(
                f"output device {self._info['name']!r} failed: {exc}"
            ) from None

    def _feed_rest(self, feed: _Feed, parts: Iterator[AudioChunk]) -> None:
        try:
            for part in parts:
                if self._stop.is_set():
                    break
                samples = int16_from_chunk(part)
                if part.rate != feed.rate:
                    samples = convert_samples(samples, part.rate, feed.rate)
                feed.append(samples)
        except Exception as exc:  # a later sentence failed to render: end the line there
            logger.warning("could not render the rest of a line: %s", exc)
        finally:
            feed.finish()

    def _fit_device(
        self, sd: Any, samples: npt.NDArray[np.int16], rate: int
    ) -> tuple[npt.NDArray[np.int16], int]:
        """Resample when the device refuses the voice's rate (some bare ALSA devices)."""
        assert self._info is not None
        try:
            sd.check_output_settings(
                self._info["index"],
                channels=samples.shape[1],
                dtype="int16",
                samplerate=rate,
            )
            return samples, rate
        except sd.PortAudioError:
            device_rate = int(self._info["default_samplerate"])
            logger.debug("device refuses %d Hz; resampling to %d Hz", rate, device_rate)
            return convert_samples(samples, rate, device_rate), device_rate

    def _play_feed(self, sd: Any, feed: _Feed) -> None:
        assert self._info is not None
        done = threading.Event()

        def fill(outdata: npt.NDArray[np.int16], frames: int, _time: Any, _status: Any) -> None:
            written = feed.read_into(outdata)
            if self._stop.is_set() or (written < frames and feed.is_drained()):
                raise sd.CallbackStop

        stream = sd.OutputStream(
            samplerate=feed.rate,
            channels=feed.channels,
            dtype="int16",
            device=self._info["index"],
            latency=OUTPUT_LATENCY_S,
            callback=fill,
            finished_callback=done.set,
        )
        try:
            self._playing = True
            self._started = time.monotonic()
            self._feed = feed
            stream.start()
            self._wait(done, feed)
        finally:
            stream.abort()
            stream.close()
            self._playing = False
            self._feed = None
            self._until = time.monotonic()

    def _wait(self, done: threading.Event, feed: _Feed) -> None:
        """Wait for the end of playback, returning early on ``interrupt`` or a stall."""
        while not done.wait(0.02):
            if self._stop.is_set():
                return
            limit_s = feed.total_s() + STALL_MARGIN_S
            if time.monotonic() - self._started > limit_s:
                logger.warning(
                    "audio output stalled for %.0f s; cut the line short", limit_s
                )
                return


class _Feed:
    """Samples to play, appended by one thread and read by PortAudio's callback."""

    def __init__(self, first: npt.NDArray[np.int16], rate: int) -> None:
        self.rate = rate
        self.channels = int(first.shape[1])
        self._parts: deque[npt.NDArray[np.int16]] = deque([first])
        self._frames = len(first)
        self._finished = False
        self._lock = threading.Lock()

    def append(self, samples: npt.NDArray[np.int16]) -> None:
        with self._lock:
            self._parts.append(samples[:, : self.channels])
            self._frames += len(samples)

    def finish(self) -> None:
        self._finished = True

    def total_s(self) -> float:
        return self._frames / self.rate

    def is_drained(self) -> bool:
        with self._lock:
            return self._finished and not self._parts

    def read_into(self, out: npt.NDArray[np.int16]) -> int:
        """Fill ``out`` from the front; zeros where nothing is ready yet. Returns frames written."""
        written = 0
        with self._lock:
            while written < len(out) and self._parts:
                part = self._parts[0]
                take = min(len(part), len(out) - written)
                out[written : written + take] = part[:take]
                written += take
                if take == len(part):
                    self._parts.popleft()
                else:
                    self._parts[0] = part[take:]
        out[written:] = 0
        return written
