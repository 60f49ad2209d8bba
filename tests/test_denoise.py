"""RNNoise before the recogniser: the real library on real noisy speech from the dev corpus."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import DEV_CORPUS as DEV, dev_manifest

from skill.audio.denoise import RNNoise, load_denoiser
from skill.audio.level import levels_db, snr_db
from skill.audio.wav import read_wav

needs_dev = pytest.mark.skipif(not dev_manifest(), reason=f"the dev corpus is not at {DEV}")


def dev_rows(condition: str) -> list[dict[str, object]]:
    return [r for r in dev_manifest() if r["condition"] == condition]


@pytest.fixture(scope="module")
def denoise() -> RNNoise:
    found = load_denoiser()
    # scripts/setup installs it; a run without it would quietly measure something else.
    assert isinstance(found, RNNoise), "RNNoise is not installed: run bash scripts/setup"
    return found


@needs_dev
def test_noise_floor_drops_and_length_is_kept(denoise: RNNoise) -> None:
    row = next(r for r in dev_rows("piper-fan20") if r["intent"])
    heard = read_wav(DEV / str(row["file"])).samples
    cleaned = denoise(heard)
    assert len(cleaned) == len(heard)
    # The quiet frames (the fan alone) lose at least 6 dB; speech stays about as loud.
    before, after = levels_db(heard), levels_db(cleaned)
    assert np.percentile(after, 10) < np.percentile(before, 10) - 6.0
    assert abs(np.percentile(after, 95) - np.percentile(before, 95)) < 4.5
    assert snr_db(cleaned) > snr_db(heard) + 6.0


def test_silence_and_empty_audio(denoise: RNNoise) -> None:
    assert denoise(b"") == b""
    quiet = np.zeros(16000, "<i2").tobytes()
    assert denoise(quiet) == quiet


class CountingDenoise:
    """A fake denoiser: passes audio through and remembers how often it was asked."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, samples: bytes) -> bytes:
        self.calls += 1
        return samples


@needs_dev
def test_only_noisy_rooms_are_denoised() -> None:
    from skill.asr.sphinx import SphinxRecognizer
    from skill.nlu.templates import load_intents

    fake = CountingDenoise()
    recognizer = SphinxRecognizer(load_intents(), denoise=fake)
    clean = next(r for r in dev_rows("piper-clean") if r["intent"])
    recognizer.recognize(read_wav(DEV / str(clean["file"])))
    assert fake.calls == 0
    # The noisiest fan recording (most of them are above the noisy band's 25 dB).
    noisy = min((read_wav(DEV / str(r["file"])) for r in dev_rows("piper-fan20")),
                key=lambda audio: snr_db(audio.samples))
    assert snr_db(noisy.samples) < 25.0
    recognizer.recognize(noisy)
    assert fake.calls == 1


def test_missing_library_means_no_denoiser(monkeypatch: pytest.MonkeyPatch) -> None:
    import skill.audio.denoise as module

    monkeypatch.setattr(module, "_library_path", lambda: None)
    assert module.load_denoiser() is None
