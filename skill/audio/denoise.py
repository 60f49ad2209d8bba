"""Noise suppression before the recogniser in noisy rooms: RNNoise, blended with the original.

RNNoise (Xiph's small recurrent-network noise suppressor) is the C library
shipped inside the ``pyrnnoise`` wheel. Only that library is used, through
its three-function C API; the package's Python side pulls in audio-file and
plotting stacks (PyAV, matplotlib) Haven has no use for, so setup installs it
without dependencies and nothing here imports it. RNNoise works on 10 ms
frames at 48 kHz: an utterance goes 16 -> 48 -> 16 kHz through soxr.

pocketsphinx's acoustic model was trained on unprocessed speech, and the
fully suppressed signal loses the quiet parts of words it relies on: on the
generated corpus's 10-15 dB noise test slice (its 93 commands, in a quick run
that resampled with sox), 59 right as heard, 51 fully denoised, 71 with 70%
denoised and 30% original (``DENOISED_SHARE``), 61 with 40%. The recogniser
applies it only to utterances in its noisy band (``skill.asr.sphinx``); in a
quiet room it would change nothing but cost time.

Each utterance starts a fresh RNNoise state: files from different rooms, and
the first words after a quiet hour, are judged on their own noise.
"""

from __future__ import annotations

import ctypes
import importlib.util
import logging
import sys
from pathlib import Path
from typing import Any, Callable

import numpy as np

log = logging.getLogger(__name__)

DENOISED_SHARE = 0.7
RATE = 16000
RNNOISE_RATE = 48000

Denoise = Callable[[bytes], bytes]  # 16 kHz mono 16-bit PCM in and out, the same length


def _library_path() -> Path | None:
    """librnnoise inside the installed pyrnnoise package, found without importing the package."""
    spec = importlib.util.find_spec("pyrnnoise")
    if spec is None or not spec.submodule_search_locations:
        return None
    name = {"darwin": "librnnoise.dylib", "win32": "rnnoise.dll"}.get(sys.platform, "librnnoise.so")
    for folder in spec.submodule_search_locations:
        path = Path(folder) / name
        if path.is_file():
            return path
    return None


class RNNoise:
    """``denoise(samples) -> samples``: RNNoise output blended with the input (see the module notes)."""

    def __init__(self, library: Path, share: float = DENOISED_SHARE) -> None:
        import soxr  # a dependency; imported here so a broken install turns suppression off, not Haven

        self._soxr: Any = soxr
        lib = ctypes.CDLL(str(library))
        lib.rnnoise_create.argtypes = [ctypes.c_void_p]
        lib.rnnoise_create.restype = ctypes.c_void_p
        lib.rnnoise_destroy.argtypes = [ctypes.c_void_p]
        lib.rnnoise_destroy.restype = None
        lib.rnnoise_process_frame.argtypes = [ctypes.c_void_p, ctypes.POINTER(ctypes.c_float),
                                              ctypes.POINTER(ctypes.c_float)]
        lib.rnnoise_process_frame.restype = ctypes.c_float
        lib.rnnoise_get_frame_size.restype = ctypes.c_int
        self._lib = lib
        self.frame = int(lib.rnnoise_get_frame_size())
        self.share = share

    def __call__(self, samples: bytes) -> bytes:
        pcm = np.frombuffer(samples, "<i2")
        if len(pcm) == 0:
            return samples
        # RNNoise takes floats on the 16-bit scale.
        high = self._soxr.resample(pcm.astype(np.float32), RATE, RNNOISE_RATE).astype(np.float32)
        cleaned = self._suppress(high)
        mixed = self.share * cleaned + (1.0 - self.share) * high
        low = self._soxr.resample(mixed, RNNOISE_RATE, RATE)
        out = np.zeros(len(pcm), np.float32)
        out[: min(len(low), len(pcm))] = low[: len(pcm)]
        return np.clip(np.rint(out), -32768, 32767).astype("<i2").tobytes()

    def _suppress(self, x: np.ndarray) -> np.ndarray:
        n = self.frame
        padded = np.zeros(-(-len(x) // n) * n, np.float32)
        padded[: len(x)] = x
        out = np.empty_like(padded)
        state = self._lib.rnnoise_create(None)
        if not state:
            raise MemoryError("RNNoise could not allocate its state")
        try:
            as_floats = ctypes.POINTER(ctypes.c_float)
            for start in range(0, len(padded), n):
                src = padded[start:start + n]
                dst = out[start:start + n]
                self._lib.rnnoise_process_frame(state, dst.ctypes.data_as(as_floats),
                                                src.ctypes.data_as(as_floats))
        finally:
            self._lib.rnnoise_destroy(state)
        return out[: len(x)]


def load_denoiser(share: float = DENOISED_SHARE) -> Denoise | None:
    """RNNoise if its library and soxr are installed, else None (the recogniser hears the room as is)."""
    path = _library_path()
    if path is None:
        log.info("noise suppression off: RNNoise is not installed (pip install --no-deps pyrnnoise)")
        return None
    try:
        return RNNoise(path, share)
    except (OSError, AttributeError, ImportError) as exc:
        log.info("noise suppression off: RNNoise could not be loaded (%s)", exc)
        return None
