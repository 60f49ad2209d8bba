#!/usr/bin/env python3
"""Accuracy and false accepts of the text matcher on golden files.

    python scripts/eval_match.py [FILE.yaml ...]   (default: tests/golden/*.yaml)

Prints, per file, commands right (intent and slots) and near-miss negatives
that got any intent, then every miss.
"""

from __future__ import annotations

import sys
from pathlib import Path

from skill.nlu.golden import GoldenCase, load_golden
from skill.nlu.matcher import IntentMatcher
from skill.paths import golden_files


def outcome(matcher: IntentMatcher, case: GoldenCase) -> tuple[bool, str]:
    result = matcher.match(case.text)
    got = (result.intent, tuple(sorted(result.slots.items()))) if result else (None, ())
    ok = got == (case.intent, case.slots)
    detail = f"{case.where}: {case.text!r} -> {got[0]} {dict(got[1]) or ''}"
    if result:
        detail += f" ({result.confidence:.3f})"
    return ok, detail + ("" if ok else f"; expected {case.intent} {dict(case.slots) or ''}")


def main(argv: list[str]) -> int:
    files = [Path(a) for a in argv] or golden_files()
    matcher = IntentMatcher.from_files()
    print(f"{'file':40} {'commands right':>16} {'false accepts':>15}")
    misses: list[str] = []
    for path in files:
        golden = load_golden([path])
        pos = [outcome(matcher, c) for c in golden.positives()]
        neg = [outcome(matcher, c) for c in golden.negatives()]
        right = sum(ok for ok, _ in pos)
        fa = sum(not ok for ok, _ in neg)
        print(f"{path!s:40} {right:>5}/{len(pos):<4} {right / max(len(pos), 1):6.1%}"
              f" {fa:>4}/{len(neg):<4} {fa / max(len(neg), 1):5.1%}")
        misses += [d for ok, d in pos + neg if not ok]
    for line in misses:
        print("  miss", line)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
