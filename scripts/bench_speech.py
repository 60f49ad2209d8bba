#!/usr/bin/env python3
"""Push many lines through the pyttsx3 speech worker and prove it never hangs.

    python scripts/bench_speech.py                  # 1000 lines, then fault injection
    python scripts/bench_speech.py --lines 200 --fault-lines 100 --timeout 1

Lines are rendered into a temporary WAV file (no sound card needed) and read
back. The fault run uses a render function that hangs forever on every
``--fault-every``-th line and kills its own process on the line after it; each
must be killed/noticed, the worker restarted, and the next line spoken. A
watchdog aborts the whole run (exit 1) if it ever stalls.
"""

from __future__ import annotations

import argparse
import faulthandler
import logging
import os
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from skill.config import SpeechSettings
from skill.speech.base import SpeechError
from skill.speech.pyttsx3_speaker import PyttsxSpeaker, render_with_pyttsx3

HANG_MARKER = "[hang]"
CRASH_MARKER = "[crash]"
LINES = [
    "How are you feeling about us lately?",
    "Let's take a twenty minute break. I'll let you know when it's time.",
    "Five minutes left in your break.",
    "Take a slow breath in, and a long breath out.",
    "What is one thing your partner did this week that you appreciated?",
]


def render_with_faults(text: str, wav_path: str, rate_wpm: int) -> None:
    """Worker side: hang forever or die on a marker, else render with pyttsx3."""
    if HANG_MARKER in text:
        while True:
            time.sleep(3600)
    if CRASH_MARKER in text:
        os._exit(3)
    render_with_pyttsx3(text, wav_path, rate_wpm)


@dataclass
class Result:
    mode: str
    lines: int
    lost: int
    seconds: float
    times_ms: list[float]
    recovery_ms: list[float]  # the line right after each fault: includes the restart
    timeouts: int
    crashes: int
    restarts: int


def fault_at(index: int, fault_every: int) -> str:
    """The marker for line ``index``: a hang at the end of each block, a crash mid-block."""
    if not fault_every or index == 0:
        return ""
    if index % fault_every == fault_every - 1:
        return HANG_MARKER
    if index % fault_every == fault_every // 2 - 1:
        return CRASH_MARKER
    return ""


def line_text(index: int, fault_every: int) -> str:
    return f"{fault_at(index, fault_every)} {LINES[index % len(LINES)]} Line {index}.".strip()


def run(mode: str, lines: int, timeout_s: float, fault_every: int) -> Result:
    render = render_with_faults if fault_every else render_with_pyttsx3
    speaker = PyttsxSpeaker(SpeechSettings(timeout_seconds=timeout_s), render=render)
    times: list[float] = []
    recovery: list[float] = []
    lost = 0
    started = time.monotonic()
    try:
        for index in range(lines):
            t0 = time.monotonic()
            try:
                chunk = speaker.render(line_text(index, fault_every))
                assert chunk.duration_s > 0.5, (
                    f"line {index}: only {chunk.duration_s:.2f} s of audio"
                )
            except SpeechError:
                lost += 1
            times.append(1000 * (time.monotonic() - t0))
            if index and fault_at(index - 1, fault_every):
                recovery.append(times[-1])
        stats = speaker.stats
    finally:
        speaker.close()
    return Result(
        mode,
        lines,
        lost,
        time.monotonic() - started,
        times,
        recovery,
        stats.timeouts,
        stats.crashes,
        stats.restarts,
    )


def print_table(results: list[Result]) -> None:
    header = (
        f"{'mode':<8}{'lines':>7}{'lost':>6}{'lines/s':>9}{'p50 ms':>8}{'p95 ms':>8}{'max ms':>9}"
        f"{'hangs':>7}{'crashes':>8}{'restarts':>9}{'recovery ms':>12}"
    )
    print(header)
    print("-" * len(header))
    for r in results:
        q = statistics.quantiles(r.times_ms, n=20)
        print(
            f"{r.mode:<8}{r.lines:>7}{r.lost:>6}{r.lines / r.seconds:>9.1f}{statistics.median(r.times_ms):>8.1f}"
            f"{q[18]:>8.1f}{max(r.times_ms):>9.1f}{r.timeouts:>7}{r.crashes:>8}{r.restarts:>9}"
            f"{(f'{max(r.recovery_ms):.1f}' if r.recovery_ms else '-'):>12}"
        )


def check(result: Result, timeout_s: float, expected_faults: int) -> list[str]:
    problems = []
    if max(result.times_ms) > 1000 * (timeout_s + 2.0):
        problems.append(
            f"{result.mode}: a line took {max(result.times_ms):.0f} ms, beyond the timeout"
        )
    if result.lost != expected_faults:
        problems.append(
            f"{result.mode}: lost {result.lost} lines, expected {expected_faults}"
        )
    if result.timeouts + result.crashes != expected_faults:
        problems.append(
            f"{result.mode}: {result.timeouts} hangs + {result.crashes} crashes, expected {expected_faults}"
        )
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--lines", type=int, default=1000, help="lines in the plain run (default 1000)"
    )
    parser.add_argument(
        "--fault-lines",
        type=int,
        default=200,
        help="lines in the fault run (0 skips it)",
    )
    parser.add_argument(
        "--fault-every",
        type=int,
        default=50,
        help="one hang and one crash per this many lines",
    )
    parser.add_argument(
        "--timeout",
        type=float,
        default=2.0,
        help="per-line timeout in seconds (default 2)",
    )
    args = parser.parse_args()
    logging.basicConfig(format="bench: %(levelname)s: %(message)s")
    faults = 2 * (args.fault_lines // args.fault_every) if args.fault_lines else 0
    budget = 60 + 0.5 * (args.lines + args.fault_lines) + faults * args.timeout
    faulthandler.dump_traceback_later(
        budget, exit=True
    )  # the "no hang" assertion of last resort

    results = [run("plain", args.lines, args.timeout, 0)]
    problems = check(results[0], args.timeout, 0)
    if args.fault_lines:
        results.append(run("faults", args.fault_lines, args.timeout, args.fault_every))
        problems += check(results[1], args.timeout, faults)
    faulthandler.cancel_dump_traceback_later()
    print_table(results)
    for problem in problems:
        print(f"FAIL: {problem}")
    print("no hang: every line returned within the timeout" if not problems else "")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
