"""The room, before any decoding: is there speech at all, and how loud is the room?

A restricted grammar forces every sound into some command, so a second of
digital silence came out as "pause" and ten minutes of white noise as "next".
No decode can be trusted to reject what holds no speech, so it is not asked:
an utterance with no frame above ``MIN_PEAK_DB`` (silence) or whose loud
frames stand less than ``MIN_SPEECH_RANGE_DB`` above its quiet ones (a steady
sound: a fan, a hum, white or pink noise) is never decoded.

The same level estimate picks the room's band: how hard the filler loop
rejects, how hard the search is pruned, and whether the audio is cleaned
(dereverberation and noise suppression) first.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np

from skill.asr import tuned
from skill.audio.level import levels_db


@dataclass(frozen=True)
class Band:
    """How to search an utterance whose estimated SNR is at least ``snr_db``.

    ``filler_weight`` is the loop's entry weight. Capping the active HMMs
    (``maxhmmpf``) and pruning word exits (``wbeam``) makes the search ~30%
    cheaper in a quiet room at no cost there; in noise the cap prunes the
    loop's many words first and arguments slip through as commands, so a
    noisy band searches in full, after noise suppression.
    """

    snr_db: float
    filler_weight: float
    wbeam: float = 1e-34
    maxhmmpf: int = 1500
    denoise: bool = False  # the recogniser's ``denoise`` first (as shipped: WPE, then RNNoise)
    # When the loop wins, decode again with the commands alone: "all" of them, only the
    # "readier" intents' (``SecondLook.readier_for``: a smaller, cheaper search), or "off".
    second_look: Literal["off", "readier", "all"] = "off"
    # Check a command's silences against a phone loop (``skill.asr.silence_check``).
    silence_check: bool = False


# Loudest rooms first: the loop is entered more easily (stronger rejection) where
# speech stands out from the noise.
BANDS: tuple[Band, ...] = (
    Band(tuned.QUIET_ROOM_SNR_DB, tuned.QUIET_FILLER_WEIGHT, second_look="readier", silence_check=True),
    Band(0.0, tuned.NOISY_FILLER_WEIGHT, wbeam=1e-40, maxhmmpf=30000, denoise=True, second_look="all"),
)


@dataclass(frozen=True)
class Level:
    peak_db: float  # the loudest 30 ms frame
    range_db: float  # loud frames (95th percentile) over quiet ones (10th): the SNR estimate
    # The same after pre-emphasis (as speech features are taken): rumble's slow swings
    # (brown noise, traffic) vary the plain frame levels by 7-9 dB, not these.
    emphasised_range_db: float


def level(samples: bytes) -> Level:
    frames = levels_db(samples)
    if len(frames) < 4:
        return Level(float(frames.max()) if len(frames) else 0.0, 0.0, 0.0)
    x = np.frombuffer(samples, "<i2").astype(np.float64)
    emphasised = np.clip(np.append(x[:1], x[1:] - 0.97 * x[:-1]), -32768, 32767).astype("<i2")
    return Level(float(frames.max()), _spread(frames), _spread(levels_db(emphasised.tobytes())))


def _spread(frames: np.ndarray) -> float:
    return float(np.percentile(frames, 95) - np.percentile(frames, 10))


def no_speech(heard: Level, min_peak_db: float = tuned.MIN_PEAK_DB,
              min_range_db: float = tuned.MIN_SPEECH_RANGE_DB,
              min_emphasised_db: float = tuned.MIN_EMPHASISED_RANGE_DB) -> str | None:
    """Why ``heard`` cannot hold speech, or None when it may."""
    if heard.peak_db < min_peak_db:
        return f"silence (loudest frame {heard.peak_db:.0f} dB)"
    if heard.range_db < min_range_db or heard.emphasised_range_db < min_emphasised_db:
        return (f"a steady sound (loud frames only {heard.range_db:.1f} dB above quiet ones, "
                f"{heard.emphasised_range_db:.1f} dB pre-emphasised)")
    return None


def band_for(bands: Sequence[Band], snr: float) -> int:
    """Which band (index, loudest first) an utterance of this SNR is searched in."""
    for n, band in enumerate(bands):
        if snr >= band.snr_db:
            return n
    return len(bands) - 1
