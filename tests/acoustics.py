"""Hard rooms made from clean dev speech: sox's reverb and pink noise at a chosen SNR."""

from __future__ import annotations

import functools
import importlib.util
import subprocess
from pathlib import Path
from types import ModuleType

import numpy as np

from skill.audio.wav import read_wav
from skill.speech.audio import chunk_from_int16, write_wav

MAKE_CORPUS = Path(__file__).resolve().parents[1] / "scripts" / "make_corpus.py"


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
    noise = _corpus_maker().pink_noise(len(x), np.random.default_rng(seed)).astype(np.float64)
    speech = np.mean(x[np.abs(x) > 0.1 * np.abs(x).max()] ** 2)
    noisy: np.ndarray = x + noise * np.sqrt(speech / 10 ** (snr_db / 10) / np.mean(noise ** 2))
    return noisy


@functools.cache
def _corpus_maker() -> ModuleType:
    """``scripts/make_corpus.py``, whose noise these rooms use (a script, so loaded by path)."""
    spec = importlib.util.spec_from_file_location("make_corpus", MAKE_CORPUS)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
