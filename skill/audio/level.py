"""How loud speech is against the room: a signal-to-noise estimate from frame energies."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

FRAME = 480  # 30 ms at 16 kHz


def snr_db(samples: bytes, frame: int = FRAME) -> float:
    """Loud frames (95th percentile energy) over quiet ones (10th), in dB.

    An utterance cut by the segmenter keeps some lead-in and trailing
    silence, so its quietest frames are the room's noise floor. Digital
    silence gives ~70 dB, a quiet room 30-40, a fan at 10-15 dB SNR ~15.
    """
    level = levels_db(samples, frame)
    if len(level) < 4:
        return 0.0
    return float(np.percentile(level, 95) - np.percentile(level, 10))


def levels_db(samples: bytes, frame: int = FRAME) -> npt.NDArray[np.float64]:
    """Mean square of each whole frame of 16-bit samples, in dB (a trailing part frame is left out)."""
    x = np.frombuffer(samples, "<i2").astype(np.float64)
    n = len(x) // frame
    energy: npt.NDArray[np.float64] = (x[: n * frame].reshape(n, frame) ** 2).mean(axis=1) + 1.0
    return 10.0 * np.log10(energy)
