#!/usr/bin/env python3
"""The fuzz tests, longer and freshly random: intent files, config files, state files.

    .venv/bin/python scripts/fuzz.py                 # 2,000 examples per test
    .venv/bin/python scripts/fuzz.py --examples 20000 --memory-mb 1500

CI runs the same tests (tests/test_fuzz.py) with 60 fixed examples each. Here every
example is new, each must finish within the tests' deadline (5 s), and the whole
run is held under an address-space limit, so a blow-up (a YAML alias bomb, an
expansion that multiplies without end) fails as a MemoryError instead of swapping.
A failure prints the smallest input hypothesis found; add it to tests/fuzz_kit.py
as a fixed case once fixed.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=2000, help="examples per test")
    parser.add_argument("--memory-mb", type=int, default=2000, help="address-space limit")
    parser.add_argument("-k", default="", help="only the tests matching this (pytest -k)")
    args = parser.parse_args()
    limit = args.memory_mb * 1024 * 1024

    def cap_memory() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    env = {**os.environ, "HAVEN_FUZZ_EXAMPLES": str(args.examples), "HAVEN_FUZZ_RANDOM": "1"}
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/test_fuzz.py"]
    if args.k:
        command += ["-k", args.k]
    return subprocess.run(command, cwd=ROOT, env=env, preexec_fn=cap_memory, check=False).returncode


if __name__ == "__main__":
    sys.exit(main())
