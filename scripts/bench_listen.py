#!/usr/bin/env python3
"""Benchmark listening on a corpus (default ../shared/corpus/dev): figures, not tests.

1. ``haven recognize --json`` over every file in one process: accuracy and
   false accepts per condition, real-time factor and peak RSS of the process.
2. Streaming: each file padded with 1 s of silence and fed in 30 ms chunks
   through VAD + recogniser; end of speech -> intent latency p50/p95 (stream
   time waiting for the trailing silence plus compute time).
3. Baseline: open-vocabulary pocketsphinx (full en-us LM) + rapidfuzz against
   the template sentences, so the gain is a ratio.

    python scripts/bench_listen.py [CORPUS_DIR]
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def table(rows: list[dict[str, Any]], got: list[tuple[str | None, dict[str, Any]]]) -> dict[str, str]:
    stats: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for row, (intent, slots) in zip(rows, got):
        s = stats[row["condition"]]
        if row["intent"]:
            s[1] += 1
            s[0] += intent == row["intent"] and slots == row["slots"]
        else:
            s[3] += 1
            s[2] += intent is not None
    return {k: f"{v[0]}/{v[1]} right, {v[2]}/{v[3]} false accepts" for k, v in sorted(stats.items())}


def whole_process(corpus: Path, rows: list[dict[str, Any]]) -> None:
    files = [str(corpus / r["file"]) for r in rows]
    start = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "skill", "recognize", "--json", *files],
                          capture_output=True, text=True, cwd=ROOT)
    wall = time.monotonic() - start
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    out = [json.loads(line) for line in done.stdout.splitlines()]
    audio_s = sum(_duration(Path(f)) for f in files)
    print("haven recognize:", json.dumps(table(rows, [(o["intent"], o["slots"]) for o in out]), indent=1))
    print(f"  whole process: RTF {wall / audio_s:.3f} ({wall:.1f} s for {audio_s:.0f} s), "
          f"peak RSS {peak_mb:.0f} MB")


def _duration(path: Path) -> float:
    import wave

    with wave.open(str(path)) as w:
        return w.getnframes() / w.getframerate()


def streaming(corpus: Path, rows: list[dict[str, Any]]) -> None:
    from skill.asr.hearing import make_hearing
    from skill.audio.wav import read_wav, split_chunks
    from skill.config import ListenSettings
    from skill.messages import AudioChunk

    hearing = make_hearing(ListenSettings(), "pocketsphinx")
    latencies = []
    for row in rows:
        audio = read_wav(corpus / row["file"])
        pad = bytes(32000)
        stream = AudioChunk(16000, 2, 1, pad + audio.samples + pad)
        speech_end = 1.0 + audio.duration_s  # upper bound: the file's own trailing silence counts
        for chunk in split_chunks(stream):
            t0 = time.perf_counter()
            heard = hearing.feed(chunk)
            if heard is not None:
                compute = time.perf_counter() - t0
                latencies.append(max(0.0, chunk.timestamp_s + chunk.duration_s - speech_end) + compute)
        hearing.reset()
    latencies.sort()
    if latencies:
        p50, p95 = latencies[len(latencies) // 2], latencies[int(len(latencies) * 0.95)]
        print(f"streaming: end of file -> transcript p50 {p50 * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms "
              f"({len(latencies)} utterances heard)")


def baseline(corpus: Path, rows: list[dict[str, Any]]) -> None:
    from pocketsphinx import Decoder
    from rapidfuzz import fuzz, process

    from skill.audio.wav import read_wav
    from skill.nlu.templates import load_intent_set

    expansions = load_intent_set().expand_all()
    choices = [e.text for e in expansions]
    decoder = Decoder(logfn="/dev/null")
    got = []
    start = time.monotonic()
    for row in rows:
        decoder.start_utt()
        decoder.process_raw(read_wav(corpus / row["file"]).samples, full_utt=True)
        decoder.end_utt()
        text = decoder.hyp().hypstr if decoder.hyp() else ""
        best = process.extractOne(text, choices, scorer=fuzz.ratio, score_cutoff=80) if text else None
        got.append((expansions[best[2]].intent, {}) if best else (None, {}))
    print("baseline (full LM + rapidfuzz, intent only):", json.dumps(table(
        rows, [(g[0], r["slots"]) for g, r in zip(got, rows)]), indent=1))
    print(f"  baseline decode time {time.monotonic() - start:.1f} s")


def main() -> int:
    corpus = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared" / "corpus" / "dev"
    rows = [json.loads(line) for line in (corpus / "manifest.jsonl").read_text().splitlines()]
    whole_process(corpus, rows)
    streaming(corpus, rows)
    baseline(corpus, rows)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
