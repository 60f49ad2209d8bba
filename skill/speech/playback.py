"""Playing rendered lines through sounddevice, cut short on request.

The device is looked up on first use; a missing one raises ``NoOutputDevice``
so the speaker can fall back to printing. Playback waits at most the line's
length plus a margin, so a stalled audio driver cannot freeze Haven either.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

import numpy as np
import numpy.typing as npt

from skill.messages import AudioChunk
from skill.speech.audio import int16_from_chunk, resample

logger = logging.getLogger(__name__)

STALL_MARGIN_S = 3.0  # beyond the line's own length, before we give up on the device
OUTPUT_LATENCY_S = 0.15  # roomy: speech needs no low latency, and underruns make ALSA chatter on stderr

Device = str | int | None


class NoOutputDevice(Exception):
    """No usable audio output (no sound card, unknown device, no PortAudio)."""


def parse_device(value: str | int | None) -> Device:
    """'' or None means the default device; digits mean a device index."""
    if value is None or isinstance(value, int):
        return value
    value = value.strip()
    if not value:
        return None
    return int(value) if value.isdigit() else value


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

    @property
    def is_playing(self) -> bool:
        return self._playing

    @property
    def playing_until(self) -> float:
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
        self.check_device()
        assert self._info is not None
        sd = _sounddevice()
        samples, rate = self._fit_device(sd, int16_from_chunk(chunk), chunk.rate)
        self._stop.clear()
        try:
            self._play_samples(sd, samples, rate)
        except sd.PortAudioError as exc:
            raise NoOutputDevice(
                f"output device {self._info['name']!r} failed: {exc}"
            ) from None

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
            return resample(samples, rate, device_rate), device_rate

    def _play_samples(self, sd: Any, samples: npt.NDArray[np.int16], rate: int) -> None:
        assert self._info is not None
        done = threading.Event()
        position = 0

        def fill(
            outdata: npt.NDArray[np.int16], frames: int, _time: Any, _status: Any
        ) -> None:
            nonlocal position
            part = samples[position : position + frames]
            outdata[: len(part)] = part
            outdata[len(part) :] = 0
            position += frames
            if len(part) < frames or self._stop.is_set():
                raise sd.CallbackStop

        duration = len(samples) / rate
        stream = sd.OutputStream(
            samplerate=rate,
            channels=samples.shape[1],
            dtype="int16",
            device=self._info["index"],
            latency=OUTPUT_LATENCY_S,
            callback=fill,
            finished_callback=done.set,
        )
        try:
            self._playing = True
            self._until = time.monotonic() + duration
            stream.start()
            self._wait(done, duration + STALL_MARGIN_S)
        finally:
            stream.abort()
            stream.close()
            self._playing = False
            self._until = time.monotonic()

    def _wait(self, done: threading.Event, limit_s: float) -> None:
        """Wait for the end of playback, returning early on ``interrupt``."""
        deadline = time.monotonic() + limit_s
        while not done.wait(0.02):
            if self._stop.is_set():
                return
            if time.monotonic() > deadline:
                logger.warning(
                    "audio output stalled for %.0f s; cut the line short", limit_s
                )
                return
