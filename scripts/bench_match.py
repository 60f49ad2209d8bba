#!/usr/bin/env python3
"""Matcher latency per query, p50 and p99, on the shipped intents and on 100 synthetic
intents x 20 sentences. Target: p99 <= 1 ms at 100 intents on a 2-core machine.

    python scripts/bench_match.py [--queries N]

Queries mix exact commands, slipped commands (one character changed) and long
non-commands, as a room would.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from typing import Any

from skill.nlu.golden import load_golden
from skill.nlu.matcher import IntentMatcher
from skill.paths import golden_files

WORDS = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india", "juliet", "kilo", "lima", "mike", "november", "oscar", "papa", "quebec", "romeo", "sierra", "tango", "uniform", "victor", "whiskey", "xray", "yankee", "zulu", "light", "lamp", "door", "music", "kitchen", "garden", "window", "heat", "fan", "blind"]


def synthetic_intents(rng: random.Random, intents: int = 100, sentences: int = 20) -> dict[str, Any]:
    data: dict[str, Any] = {"language": "en", "intents": {}, "skip_words": ["please", "um"],
                            "lists": {"minutes": {"range": {"from": 1, "to": 120}}}}
    seen: set[str] = set()
    for i in range(intents):
        texts: list[str] = []
        while len(texts) < sentences:
            words = rng.sample(WORDS, rng.randint(2, 5))
            text = " ".join(words) + (" for {minutes} minutes" if rng.random() < 0.2 else "")
            if text not in seen:
                seen.add(text)
                texts.append(text)
        data["intents"][f"synthetic.{i}"] = {"data": [{"sentences": texts}]}
    return data


def slip(text: str, rng: random.Random) -> str:
    i = rng.randrange(len(text))
    return text[:i] + rng.choice("aeiourst") + text[i + 1:]


def queries_for(sentences: list[str], rng: random.Random, n: int) -> list[str]:
    out = []
    for _ in range(n):
        base = rng.choice(sentences).replace("{minutes}", str(rng.randint(5, 60)))
        kind = rng.random()
        if kind < 0.4:
            out.append(base)
        elif kind < 0.8:
            out.append(slip(base, rng))
        else:
            out.append("you always say " + base + " and then you never do anything about it")
    return out


def measure(matcher: IntentMatcher, queries: list[str]) -> tuple[float, float, float]:
    for q in queries[:50]:
        matcher.match(q)  # warm caches
    times = []
    for q in queries:
        start = time.perf_counter()
        matcher.match(q)
        times.append((time.perf_counter() - start) * 1000.0)
    times.sort()
    return (statistics.median(times), times[int(0.99 * (len(times) - 1))], times[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--queries", type=int, default=5000)
    args = parser.parse_args()
    rng = random.Random(7)

    shipped = IntentMatcher.from_files()
    golden = [c.text for c in load_golden(golden_files()).cases]
    synthetic_data = synthetic_intents(rng)
    synthetic = IntentMatcher.from_dict(synthetic_data)
    synthetic_sentences = [s for i in synthetic_data["intents"].values() for s in i["data"][0]["sentences"]]

    rows = [
        ("shipped intents", len(shipped.intent_names), shipped.sentence_count,
         measure(shipped, queries_for(golden, rng, args.queries))),
        ("100 synthetic x 20", len(synthetic.intent_names), synthetic.sentence_count,
         measure(synthetic, queries_for(synthetic_sentences, rng, args.queries))),
    ]
    print(f"{'intent set':22} {'intents':>7} {'sentences':>9} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8}")
    for name, n_intents, n_sentences, (p50, p99, worst) in rows:
        print(f"{name:22} {n_intents:>7} {n_sentences:>9} {p50:>8.3f} {p99:>8.3f} {worst:>8.3f}")
    ok = rows[1][3][1] <= 1.0
    print(f"target p99 <= 1 ms at 100 intents: {'met' if ok else 'NOT met'}")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
