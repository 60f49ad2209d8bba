"""WAV files as 16 kHz mono 16-bit audio, whole or as a stream of 30 ms chunks.

Any rate, channel count and sample width that the ``wave`` module reads is
accepted: channels are averaged, samples scaled to 16 bits, and the rate
converted with a windowed-sinc low-pass (against aliasing) and linear
interpolation, in numpy. Nothing is written anywhere.
"""

from __future__ import annotations

import logging
import time
import wave
from pathlib import Path
from typing import Iterator

import numpy as np

from skill.errors import UserError
from skill.messages import AudioChunk

log = logging.getLogger(__name__)

RATE = 16000
WIDTH = 2
BLOCK_S = 0.03  # the VAD's frame length


def to_mono_16k(samples: np.ndarray, rate: int) -> np.ndarray:
    """float samples (frames x channels, or frames) at ``rate`` -> int16 mono at 16 kHz."""
    mono = samples.mean(axis=1) if samples.ndim == 2 else samples
    mono = mono.astype(np.float64)
    if rate != RATE and len(mono):
        if rate > RATE:
            mono = np.convolve(mono, _lowpass(RATE / 2 / rate), mode="same")
        n_out = int(round(len(mono) * RATE / rate))
        mono = np.interp(np.arange(n_out) * (rate / RATE), np.arange(len(mono)), mono)
    return np.clip(np.round(mono), -32768, 32767).astype(np.int16)


def _lowpass(cutoff: float, taps: int = 63) -> np.ndarray:
    """A Hamming-windowed sinc low-pass; ``cutoff`` as a fraction of the input rate."""
    n = np.arange(taps) - (taps - 1) / 2
    kernel = 2 * cutoff * np.sinc(2 * cutoff * n) * np.hamming(taps)
    return np.asarray(kernel / kernel.sum(), dtype=np.float64)


def read_wav(path: Path | str) -> AudioChunk:
    """The whole file as one 16 kHz mono chunk; an unreadable file is a UserError."""
    try:
        with wave.open(str(path), "rb") as wav:
            rate, width, channels = wav.getframerate(), wav.getsampwidth(), wav.getnchannels()
            raw = wav.readframes(wav.getnframes())
    except FileNotFoundError:
        raise UserError(f"{path}: no such file") from None
    except (OSError, EOFError, wave.Error) as exc:
        raise UserError(f"{path}: not a readable WAV file ({exc}); "
                        "convert it with: sox IN -r 16000 -c 1 -b 16 OUT.wav") from None
    if width not in (1, 2, 3, 4):
        raise UserError(f"{path}: {8 * width}-bit samples are not supported; convert to 16-bit")
    samples = _decode(raw, width).reshape(-1, channels)
    pcm = to_mono_16k(samples, rate)
    return AudioChunk(RATE, WIDTH, 1, pcm.tobytes(), 0.0)


def _decode(raw: bytes, width: int) -> np.ndarray:
    """Little-endian PCM -> float samples on the 16-bit scale."""
    if width == 1:
        return (np.frombuffer(raw, np.uint8).astype(np.float64) - 128) * 256
    if width == 2:
        return np.frombuffer(raw, "<i2").astype(np.float64)
    if width == 3:
        b = np.frombuffer(raw, np.uint8).reshape(-1, 3).astype(np.int32)
        value = b[:, 0] | (b[:, 1] << 8) | (b[:, 2] << 16)
        value = np.where(value >= 1 << 23, value - (1 << 24), value)
        return value.astype(np.float64) / 256
    return np.frombuffer(raw, "<i4").astype(np.float64) / 65536


def split_chunks(audio: AudioChunk, block_s: float = BLOCK_S) -> Iterator[AudioChunk]:
    """``audio`` as consecutive chunks of ``block_s`` seconds (the last may be shorter)."""
    step = int(audio.rate * block_s) * audio.width * audio.channels
    frame_bytes = audio.width * audio.channels
    for start in range(0, len(audio.samples), step):
        yield AudioChunk(audio.rate, audio.width, audio.channels, audio.samples[start:start + step],
                         audio.timestamp_s + start / frame_bytes / audio.rate)


class WavSource:
    """A WAV file heard as if in the room: 30 ms chunks, optionally at real-time pace.

    Offers the microphone's interface (``read(timeout_s)`` / ``close()``);
    ``read`` returns None once the file has been played through.
    """

    def __init__(self, path: Path | str, realtime: bool = True, block_s: float = BLOCK_S,
                 tail_silence_s: float = 1.0) -> None:
        audio = read_wav(path)
        # Silence after the end lets the segmenter close an utterance said at the very end.
        pad = bytes(int(RATE * tail_silence_s) * WIDTH)
        self._chunks = split_chunks(AudioChunk(RATE, WIDTH, 1, audio.samples + pad), block_s)
        self.realtime = realtime
        self._started = time.monotonic()
        self.duration_s = len(audio.samples) / (RATE * WIDTH)

    def read(self, timeout_s: float = 1.0) -> AudioChunk | None:
        chunk = next(self._chunks, None)
        if chunk is not None and self.realtime:
            delay = chunk.timestamp_s + chunk.duration_s - (time.monotonic() - self._started)
            if delay > 0:
                time.sleep(delay)
        return chunk

    def chunks(self) -> Iterator[AudioChunk]:
        while (chunk := self.read()) is not None:
            yield chunk

    def close(self) -> None:
        self._chunks = iter(())
