#!/usr/bin/env python3
"""Does the live loop keep up with the room on a slow core? (docs/listening.md, "Keeping up").

Runs ``haven run --input FILE --voice none`` (the recording paced as the room
would say it, through the live listener) on one core shared with ``--busy``
busy loops, a stand-in for a device several times slower than this machine:
as shipped, never hurrying, or both one after the other (``--mode``). Prints,
per run, how long it took past the recording's end, how often the listener
hurried and how far behind it was each time. Two runs at once: one per core.

    python scripts/bench_keepup.py talk300.wav --busy 2 --core 0 --mode shipped &
    python scripts/bench_keepup.py talk300.wav --busy 2 --core 1 --mode never

A figure, not a test: it takes the recording's length per run.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import NamedTuple

ROOT = Path(__file__).resolve().parents[1]
RUN = """
import sys
import skill.app.listen as listen
if sys.argv[1] == "never":
    listen.HURRY_S = float("inf")
from skill.cli import main
sys.exit(main(["run", "--input", sys.argv[2], "--voice", "none", "--log-level", "info"]))
"""


def seconds_of(path: Path) -> float:
    from skill.audio.wav import AudioFile

    audio = AudioFile(path)
    try:
        return audio.duration_s
    finally:
        audio.close()


class Run(NamedTuple):
    exit_code: int
    wall_s: float
    behind_s: list[int]  # how far behind, each time the listener began to hurry


def run(path: Path, mode: str, core: int) -> Run:
    with tempfile.TemporaryDirectory() as home:
        env = {**os.environ, "PYTHONPATH": str(ROOT), "HAVEN_STATE_DIR": f"{home}/state",
               "HAVEN_CONFIG_DIR": f"{home}/config"}
        started = time.monotonic()
        done = subprocess.run([sys.executable, "-c", RUN, mode, str(path)], env=env, capture_output=True,
                              text=True, preexec_fn=lambda: os.sched_setaffinity(0, {core}))
        wall = time.monotonic() - started
    behind = [int(b) for b in re.findall(r"listening (\d+) s behind the room", done.stderr)]
    return Run(done.returncode, wall, behind)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("recording", type=Path)
    parser.add_argument("--busy", type=int, default=2, help="busy loops sharing the core (0: none)")
    parser.add_argument("--core", type=int, default=0)
    parser.add_argument("--mode", choices=("shipped", "never", "both"), default="shipped")
    args = parser.parse_args()
    length = seconds_of(args.recording)
    hogs = [subprocess.Popen([sys.executable, "-c", "while True: pass"],
                             preexec_fn=lambda: os.sched_setaffinity(0, {args.core}))
            for _ in range(args.busy)]
    try:
        for mode in ("shipped", "never") if args.mode == "both" else (args.mode,):
            result = run(args.recording, mode, args.core)
            print(f"{mode}: {args.recording.name} ({length:.0f} s) on core {args.core} with {args.busy} busy "
                  f"loop(s): wall {result.wall_s:.1f} s, {result.wall_s - length:.0f} s past the "
                  f"end (start-up included); hurried {len(result.behind_s)} time(s), "
                  f"behind {result.behind_s} s when it began; exit {result.exit_code}")
    finally:
        for hog in hogs:
            hog.kill()
    return 0


if __name__ == "__main__":
    sys.exit(main())
