"""Rendered speech as an ``AudioChunk`` (16-bit mono PCM), and WAV out.

Reading audio and changing its rate is ``skill.audio`` (``wav.read_wav``,
``convert.convert_samples``): one conversion for files, microphone and speech.
"""

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
