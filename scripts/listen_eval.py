#!/usr/bin/env python3
"""Listening figures per context on the shared corpora, one row per utterance (JSON lines).

Sets (``--set``):

- ``argument-dev``: ../shared/corpus/argument-dev, cut at talk.txt's line
  starts (a line runs to the next start). Every line is a non-command.
  ``tune`` = the first two thirds of the lines (0..244), ``test`` = the rest.
- ``real-orders``: ../shared/corpus/real-orders, cut by orders.txt (start,
  duration), 0.3 s of the stream either side. Never tuned on: ``test`` only.
- a directory with ``manifest.jsonl`` (``scripts/make_corpus.py``,
  ``scripts/make_ledin.py``, the dev corpus): its files, its slices
  (``--stride N``: every N-th line of the manifest).

Each utterance is heard in every ``--context`` (idle, break, checkin, all) by
the same recogniser and matcher as ``haven recognize --context``, and the row
holds the verdict's outcome and why (``SphinxRecognizer.last_verdict``), so
checks can be compared on the rows without decoding again.

    python scripts/listen_eval.py --set argument-dev --slice tune --out /tmp/arg-tune.jsonl
    python scripts/listen_eval.py --summary /tmp/arg-tune.jsonl [/tmp/more.jsonl ...]

FLAC streams are converted once with sox into ``--cache`` (default /tmp/haven-listen-wav).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
import wave
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
CORPORA = ROOT.parent / "shared" / "corpus"
ARGUMENT_TUNE_LINES = 245  # talk.txt lines 0..244 tune, 245.. test


def _wav(flac: Path, cache: Path) -> Path:
    cache.mkdir(parents=True, exist_ok=True)
    out = cache / (flac.stem + ".wav")
    if not out.exists():
        subprocess.run(["sox", str(flac), str(out)], check=True)
    return out


def _cut(wav_path: Path, spans: list[tuple[float, float]]) -> Iterator[bytes]:
    with wave.open(str(wav_path), "rb") as wav:
        rate = wav.getframerate()
        for start, end in spans:
            wav.setpos(max(0, int(start * rate)))
            yield wav.readframes(max(0, int((end - max(0.0, start)) * rate)))


def items(name: str, slice_: str | None, cache: Path, stride: int = 1) -> Iterator[dict[str, Any]]:
    """Rows: id, text, intent, slots, slice, condition, audio (16 kHz mono 16-bit bytes)."""
    from skill.audio.wav import read_wav

    if name == "argument-dev":
        base = CORPORA / "argument-dev"
        lines = [(float(line[:8]), line[8:].strip())
                 for line in (base / "talk.txt").read_text().splitlines() if line.strip()]
        wav_path = _wav(base / "talk.flac", cache)
        with wave.open(str(wav_path)) as w:
            total = w.getnframes() / w.getframerate()
        ends = [start for start, _ in lines[1:]] + [total]
        rows = [{"id": f"line{n:03d}", "text": text, "intent": None, "slots": {},
                 "slice": "tune" if n < ARGUMENT_TUNE_LINES else "test", "condition": "argument"}
                for n, (_, text) in enumerate(lines)]
        spans = [(start, end) for (start, _), end in zip(lines, ends)]
    elif name == "real-orders":
        base = CORPORA / "real-orders"
        wav_path = _wav(base / "orders.flac", cache)
        parsed = [line.split("\t") for line in (base / "orders.txt").read_text().splitlines() if line.strip()]
        rows = [{"id": p[2], "text": p[3], "intent": None, "slots": {}, "slice": "test",
                 "condition": "real-orders"} for p in parsed]
        spans = [(float(p[0]) - 0.3, float(p[0]) + float(p[1]) + 0.3) for p in parsed]
    else:
        base = Path(name)
        for n, row in enumerate(map(json.loads, (base / "manifest.jsonl").read_text().splitlines())):
            if (slice_ is None or row.get("slice", "test") == slice_) and n % stride == 0:
                yield {"id": row["file"], "text": row["text"], "intent": row["intent"],
                       "slots": row["slots"], "slice": row.get("slice", "test"),
                       "condition": row["condition"], "audio": read_wav(base / row["file"]).samples}
        return
    for row, audio in zip(rows, _cut(wav_path, spans)):
        if slice_ is None or row["slice"] == slice_:
            yield {**row, "audio": audio}


def run(args: argparse.Namespace) -> None:
    from skill.app.parts import load_matcher, match_heard
    from skill.asr.factory import make_recognizer
    from skill.asr.hearing import hear_recording
    from skill.cli.recognize import context_intents
    from skill.config import ListenSettings
    from skill.messages import AudioChunk

    recognizer: Any = make_recognizer(ListenSettings(), "pocketsphinx")
    if args.no_pieces:  # read at each utterance: the recogniser as it was before skill.asr.pieces
        import dataclasses

        recognizer.settings = dataclasses.replace(recognizer.settings, pieces=None)
    matcher = load_matcher()
    contexts = args.context.split(",")
    audio_s = 0.0
    started = time.monotonic()
    with open(args.out, "w") as out:
        for item in items(args.set, args.slice, Path(args.cache), args.stride):
            audio = item.pop("audio")
            audio_s += len(audio) / 32000
            for context in contexts:
                if context == "own":  # the first state that listens for the command
                    context = own_context(item["intent"])
                intents = context_intents(context)
                recognizer.listen_for(intents if intents is not None else frozenset(recognizer.intent_names))
                heard = hear_recording(AudioChunk(16000, 2, 1, audio), recognizer)
                text, found = match_heard(matcher, heard, intents) if heard is not None else ("", None)
                verdict = getattr(recognizer, "last_verdict", None)
                out.write(json.dumps({**item, "context": context, "heard": text,
                                      "got": found.intent if found else None,
                                      "got_slots": dict(found.slots) if found else {},
                                      "verdict": verdict.as_dict() if verdict is not None else None})
                          + "\n")
            out.flush()
    wall = time.monotonic() - started
    print(f"{args.out}: {audio_s:.0f} s of audio x {len(contexts)} contexts in {wall:.0f} s "
          f"(RTF {wall / max(audio_s * len(contexts), 1e-9):.3f} per context)")


def own_context(intent: str | None) -> str:
    """idle, break or checkin: the first of them that listens for ``intent`` (idle for none)."""
    from skill.cli.recognize import context_intents

    for name in ("idle", "break", "checkin"):
        if intent is None or intent in (context_intents(name) or ()):
            return name
    return "all"


def summary(paths: list[str]) -> None:
    """Per set, slice, condition and context: commands right, false accepts (and per hour)."""
    stats: dict[tuple[str, ...], list[float]] = defaultdict(lambda: [0, 0, 0, 0, 0.0, 0])
    for path in paths:
        for row in map(json.loads, Path(path).read_text().splitlines()):
            s = stats[(Path(path).stem, row["slice"], row["condition"], row["context"])]
            if row["intent"]:
                s[1] += 1
                s[0] += row["got"] == row["intent"] and row["got_slots"] == row["slots"]
            else:
                s[3] += 1
                s[2] += row["got"] is not None
                s[5] += row["got"] == "break.start"
    for key, (right, commands, fa, others, _, breaks) in sorted(stats.items()):
        line = " ".join(key) + ":"
        if commands:
            line += f" {right}/{commands} right ({100 * right / commands:.0f}%)"
        if others:
            line += f" {fa}/{others} false accepts ({breaks} break starts)"
        print(line)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set")
    parser.add_argument("--slice")
    parser.add_argument("--context", default="idle,break,checkin",
                        help="comma-separated: idle, break, checkin, all, own (each command in the "
                             "first state that listens for it)")
    parser.add_argument("--out")
    parser.add_argument("--cache", default="/tmp/haven-listen-wav")
    parser.add_argument("--stride", type=int, default=1, help="every n-th file of a manifest")
    parser.add_argument("--no-pieces", action="store_true",
                        help="no second hearing of the stretches between pauses (to compare)")
    parser.add_argument("--summary", nargs="+")
    args = parser.parse_args()
    if args.summary:
        summary(args.summary)
    else:
        run(args)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
