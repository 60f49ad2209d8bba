"""Rendered speech as an ``AudioChunk`` (16-bit mono PCM), and WAV in and out."""

from __future__ import annotations

import wave
from pathlib import Path

import numpy as np
import numpy.typing as npt

from skill.messages import AudioChunk

SAMPLE_WIDTH = 2  # bytes: every voice renders 16-bit PCM


def chunk_from_int16(samples: npt.NDArray[np.int16], rate: int) -> AudioChunk:
    """Wrap mono int16 samples at ``rate`` Hz."""
    data = np.ascontiguousarray(samples, dtype="<i2").tobytes()
    return AudioChunk(rate=rate, width=SAMPLE_WIDTH, channels=1, samples=data)


def int16_from_chunk(chunk: AudioChunk) -> npt.NDArray[np.int16]:
    """The samples as an int16 array of shape (frames, channels)."""
    if chunk.width != SAMPLE_WIDTH:
        raise ValueError(f"expected 16-bit audio, got {8 * chunk.width}-bit")
    samples: npt.NDArray[np.int16] = np.frombuffer(chunk.samples, dtype="<i2")
    return samples.reshape(-1, chunk.channels)


def read_wav(path: Path) -> AudioChunk:
    """Read a 16-bit PCM WAV file."""
    with wave.open(str(path), "rb") as wav:
        if wav.getsampwidth() != SAMPLE_WIDTH:
            raise ValueError(
                f"{path}: expected 16-bit PCM, got {8 * wav.getsampwidth()}-bit"
            )
        return AudioChunk(
            rate=wav.getframerate(),
            width=SAMPLE_WIDTH,
            channels=wav.getnchannels(),
            samples=wav.readframes(wav.getnframes()),
        )


def write_wav(path: Path, chunk: AudioChunk) -> None:
    """Write ``chunk`` as a PCM WAV file (16-bit for every voice Haven has)."""
    with wave.open(str(path), "wb") as wav:
        wav.setnchannels(chunk.channels)
        wav.setsampwidth(chunk.width)
        wav.setframerate(chunk.rate)
        wav.writeframes(chunk.samples)


def silence(seconds: float, rate: int) -> npt.NDArray[np.int16]:
    """A stretch of digital silence."""
    return np.zeros(int(seconds * rate), dtype=np.int16)


def resample(
    samples: npt.NDArray[np.int16], rate: int, new_rate: int
) -> npt.NDArray[np.int16]:
    """Linear-interpolation resampling of (frames, channels) int16 audio.

    Good enough for speech played on a device that refuses the voice's own
    rate; never used for the files Haven writes.
    """
    if rate == new_rate or len(samples) == 0:
        return samples
    frames = round(len(samples) * new_rate / rate)
    old_t = np.arange(len(samples)) / rate
    new_t = np.arange(frames) / new_rate
    columns = [np.interp(new_t, old_t, samples[:, c]) for c in range(samples.shape[1])]
    return np.stack(columns, axis=1).round().astype(np.int16)
