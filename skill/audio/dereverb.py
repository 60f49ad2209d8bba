"""Dereverberation: weighted prediction error (WPE), one microphone, one utterance.

In a bare kitchen the room's echo smears each sound into the next, and the
recogniser's acoustic model, trained on close speech, hears other words.
WPE (Nakatani et al. 2010; Yoshioka and Nakatani 2012) predicts each short-time
spectrum's late reverberation from the spectra ``DELAY`` to ``DELAY + TAPS``
frames before it, one linear filter per frequency, weighted by the estimated
power of the dry speech, and subtracts the prediction. It follows
``nara_wpe``'s ``wpe_v8`` (Drude et al. 2018), vectorised over frequencies,
and matches it to 0.15 % on a reverberant utterance; that package's module
imports click and its STFT needs scipy, for twenty lines of numpy.

Measured on the generated corpus's tune slice, reverberant rooms at 10-15 dB
SNR (168 commands, 150 other sentences), before RNNoise and pocketsphinx:
commands right 113 -> 123 with 10 taps, 135 with 20 (false accepts 4 -> 5);
in fan or pink noise without reverberation it changed nothing (140 right,
4 false accepts). See ``skill.asr.sphinx`` for where it runs.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from skill.audio.denoise import Denoise

FRAME = 512  # samples at 16 kHz: 32 ms
SHIFT = 128
TAPS = 20  # frames of past spectra the prediction uses (20 x 8 ms = 160 ms)
DELAY = 3  # frames skipped first, so the direct sound and early echo stay
ITERATIONS = 3
BLOCK = 32  # frequencies solved at once (bounds the working memory)
_WINDOW = np.sqrt(np.hanning(FRAME + 1)[:-1])  # analysis and synthesis: overlap-adds to a constant


def dereverberate(samples: bytes, taps: int = TAPS) -> bytes:
    """16-bit mono PCM in, the same length out, with the late reverberation removed."""
    x = np.frombuffer(samples, dtype="<i2").astype(np.float32) / 32768.0
    if len(x) < FRAME:
        return samples
    spectra = _stft(x)
    cleaned = np.empty_like(spectra)
    for low in range(0, spectra.shape[0], BLOCK):
        cleaned[low:low + BLOCK] = wpe(spectra[low:low + BLOCK], taps)
    y = _istft(cleaned, len(x))
    return (np.clip(y, -1.0, 32767 / 32768) * 32768.0).astype("<i2").tobytes()


def wpe(spectra: npt.NDArray[np.complex64], taps: int = TAPS, delay: int = DELAY,
        iterations: int = ITERATIONS) -> npt.NDArray[np.complex64]:
    """WPE on (frequencies, frames) of one channel; returns the same shape."""
    observed = spectra.astype(np.complex128)
    n_freq, n_frames = observed.shape
    past = np.zeros((n_freq, n_frames, taps), dtype=observed.dtype)
    for k in range(taps):  # past[f, t, k] = observed[f, t - delay - k]
        shift = delay + k
        if shift < n_frames:
            past[:, shift:, k] = observed[:, :n_frames - shift]
    out = observed
    for _ in range(iterations):
        power = np.abs(out) ** 2
        floor = 1e-10 * power.max(axis=1, keepdims=True)  # as nara_wpe: relative, per frequency
        weighted = past / np.maximum(power, np.maximum(floor, 1e-30))[..., None]
        corr = np.matmul(weighted.transpose(0, 2, 1), past.conj())  # (f, k, l)
        cross = np.matmul(weighted.transpose(0, 2, 1), observed.conj()[..., None])[..., 0]
        # A whisper of diagonal loading keeps silent frequencies solvable.
        loading = 1e-10 * np.trace(corr, axis1=1, axis2=2).real + 1e-30
        corr += loading[:, None, None] * np.eye(taps)
        filters = np.linalg.solve(corr, cross[..., None])[..., 0]  # (f, k): the prediction filter
        out = observed - np.matmul(past, filters.conj()[..., None])[..., 0]
    return out.astype(spectra.dtype)


def _stft(x: npt.NDArray[np.float32]) -> npt.NDArray[np.complex64]:
    padded = np.pad(x, (FRAME, FRAME))
    frames = np.lib.stride_tricks.sliding_window_view(padded, FRAME)[::SHIFT] * _WINDOW
    return np.fft.rfft(frames).T.astype(np.complex64)  # (frequencies, frames)


def _istft(spectra: npt.NDArray[np.complex64], length: int) -> npt.NDArray[np.float64]:
    frames = np.fft.irfft(spectra.T, FRAME) * _WINDOW
    out = np.zeros(SHIFT * (len(frames) - 1) + FRAME)
    for i, frame in enumerate(frames):
        out[i * SHIFT:i * SHIFT + FRAME] += frame
    out /= float((_WINDOW ** 2).sum()) / SHIFT
    return out[FRAME:FRAME + length]


def loud_room(denoise: Denoise | None) -> Denoise:
    """What an utterance in the recogniser's noisy band goes through: WPE, then RNNoise when installed.

    Dereverberation first: RNNoise takes reverberation for speech and keeps it,
    while WPE's linear prediction needs the noise it would otherwise remove.
    """
    if denoise is None:
        return dereverberate

    def clean(samples: bytes) -> bytes:
        return denoise(dereverberate(samples))

    return clean
