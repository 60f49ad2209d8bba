"""The one audio conversion: any PCM (width, channels, rate) to what a consumer wants.

Like wyoming's ``AudioChunkConverter``: samples are decoded to float, channels
averaged, and the rate changed by soxr (a band-limited resampler, so a 48 kHz
microphone does not fold its top octave into the speech band the way linear
interpolation does). ``StreamConverter`` keeps soxr's filter state between
blocks, so the microphone and a long file are converted block by block with
the same result as converting them whole; ``convert_samples`` does a whole
buffer at once (speech output to a device's rate).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

from skill.messages import AudioChunk

RATE = 16000  # what the segmenter and the recognisers take
WIDTH = 2
FloatArray = npt.NDArray[np.float32]
Int16Array = npt.NDArray[np.int16]


def _soxr() -> Any:
    import soxr  # imported here: the engine and the NLU never need it

    return soxr


def floats_from_pcm(raw: bytes, width: int, channels: int) -> FloatArray:
    """Little-endian signed PCM (unsigned for 8-bit, as WAV stores it) -> (frames, channels) in [-1, 1]."""
    usable = len(raw) - len(raw) % (width * channels)  # a torn last frame is dropped
    data = raw[:usable]
    if width == 1:
        values = (np.frombuffer(data, np.uint8).astype(np.float32) - 128.0) / 128.0
    elif width == 2:
        values = np.frombuffer(data, "<i2").astype(np.float32) / 32768.0
    elif width == 3:
        b = np.frombuffer(data, np.uint8).reshape(-1, 3).astype(np.int32)
        value = b[:, 0] | (b[:, 1] << 8) | (b[:, 2] << 16)
        value = np.where(value >= 1 << 23, value - (1 << 24), value)
        values = value.astype(np.float32) / float(1 << 23)
    elif width == 4:
        values = (np.frombuffer(data, "<i4").astype(np.float64) / float(1 << 31)).astype(np.float32)
    else:
        raise ValueError(f"{8 * width}-bit PCM is not a sample width Haven reads")
    return values.reshape(-1, channels)


def int16_from_floats(samples: npt.NDArray[Any]) -> Int16Array:
    """Float samples in [-1, 1] -> int16, clipped (a resampler may overshoot full scale)."""
    scaled = np.round(np.asarray(samples, dtype=np.float32) * 32768.0)
    return np.clip(scaled, -32768, 32767).astype(np.int16)


def downmix(samples: npt.NDArray[Any]) -> FloatArray:
    """(frames, channels) or (frames,) -> mono float32 (channels averaged)."""
    if samples.ndim == 2:
        samples = samples.mean(axis=1) if samples.shape[1] > 1 else samples[:, 0]
    return np.ascontiguousarray(samples, dtype=np.float32)


class StreamConverter:
    """Mono float blocks at ``rate_in`` -> int16 at ``rate_out``, keeping the filter's state."""

    def __init__(self, rate_in: int, rate_out: int = RATE) -> None:
        self.rate_in = rate_in
        self.rate_out = rate_out
        self._stream = (
            None if rate_in == rate_out
            else _soxr().ResampleStream(rate_in, rate_out, 1, dtype="float32", quality="HQ")
        )

    def convert(self, mono: FloatArray, last: bool = False) -> Int16Array:
        if self._stream is None:
            return int16_from_floats(mono)
        return int16_from_floats(self._stream.resample_chunk(mono, last=last))

    def flush(self) -> Int16Array:
        """What the filter still holds at the end of the input."""
        return self.convert(np.zeros(0, dtype=np.float32), last=True)


class ChunkConverter:
    """AudioChunks of any PCM format -> 16 kHz mono 16-bit AudioChunks, streaming.

    One per input stream (the microphone opens one per stream): the
    resampler's state follows the stream. Timestamps are carried over.
    """

    def __init__(self, rate_out: int = RATE) -> None:
        self.rate_out = rate_out
        self._converter: StreamConverter | None = None

    def convert(self, chunk: AudioChunk) -> AudioChunk:
        if (chunk.rate, chunk.width, chunk.channels) == (self.rate_out, WIDTH, 1):
            return chunk
        if self._converter is None or self._converter.rate_in != chunk.rate:
            self._converter = StreamConverter(chunk.rate, self.rate_out)
        mono = downmix(floats_from_pcm(chunk.samples, chunk.width, chunk.channels))
        out = self._converter.convert(mono)
        return AudioChunk(self.rate_out, WIDTH, 1, out.astype("<i2").tobytes(), chunk.timestamp_s)


def convert_samples(samples: Int16Array, rate: int, new_rate: int) -> Int16Array:
    """Whole (frames, channels) int16 audio to ``new_rate`` (speech to a device that refuses its rate)."""
    if rate == new_rate or len(samples) == 0:
        return samples
    floats = samples.astype(np.float32) / 32768.0
    out = _soxr().resample(floats, rate, new_rate, quality="HQ")
    return int16_from_floats(np.asarray(out).reshape(-1, samples.shape[1]))
