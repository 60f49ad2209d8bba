"""Hard rooms made from clean dev speech: sox's reverb and pink noise at a chosen SNR."""

from __future__ import annotations

import subprocess
from pathlib import Path

import numpy as np

from skill.audio.wav import read_wav
from skill.speech.audio import chunk_from_int16, write_wav


def pcm(x: np.ndarray) -> bytes:
    """Floats in [-1, 1] as 16-bit samples."""
    return bytes((np.clip(x, -1, 1) * 32767).astype("<i2").tobytes())


def floats(samples: bytes) -> np.ndarray:
    return np.frombuffer(samples, dtype="<i2").astype(np.float64) / 32768


def reverberate(dry: np.ndarray, tmp: Path) -> np.ndarray:
    """``dry`` in an echoing room: sox's reverb, as ``scripts/make_corpus.py`` builds its reverberant rooms."""
    write_wav(tmp / "dry.wav", chunk_from_int16(np.frombuffer(pcm(dry), "<i2"), 16000))
    subprocess.run(["sox", "-V1", str(tmp / "dry.wav"), str(tmp / "wet.wav"), "gain", "-6",
                    "reverb", "80", "50", "100", "100", "20"], check=True)
    return floats(read_wav(tmp / "wet.wav").samples)[: len(dry)]


def with_pink_noise(x: np.ndarray, snr_db: float, seed: int) -> np.ndarray:
    """``x`` plus 1/f noise, ``snr_db`` below the speech's loud frames."""
    rng = np.random.default_rng(seed)
    spectrum = np.fft.rfft(rng.standard_normal(len(x)))
    spectrum[1:] /= np.sqrt(np.arange(1, len(spectrum)))
    spectrum[0] = 0
    noise = np.fft.irfft(spectrum, len(x))
    speech = np.mean(x[np.abs(x) > 0.1 * np.abs(x).max()] ** 2)
    noisy: np.ndarray = x + noise * np.sqrt(speech / 10 ** (snr_db / 10) / np.mean(noise ** 2))
    return noisy
