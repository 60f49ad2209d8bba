"""``haven simulate [--json] [SCRIPT]``: preview a sequence on a simulated clock."""

from __future__ import annotations

import argparse
import json
import random
import sys
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from skill.app.parts import load_matcher, load_parts
from skill.app.simulate import format_event, parse_script, simulate
from skill.engine import Engine
from skill.errors import UserError
from skill.lines import Renderer

# A fixed day, so the output is the same on every machine and every day.
SIM_DAY = (2025, 1, 6)


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "simulate",
        help="run a script of utterances through the matcher and engine on a simulated clock",
        description=(
            "Each SCRIPT line is 'MM:SS text' or 'H:MM:SS text': something said at that time. "
            "Prints what the device hears and says, in time order, until nothing is pending "
            "(at most 24 simulated hours). The clock starts at 20:00 on a fixed day; "
            "your saved state is never read or written."
        ),
    )
    parser.add_argument("script", nargs="?", type=Path, metavar="SCRIPT", help="script file (default: stdin)")
    parser.add_argument(
        "--json", action="store_true", help='one JSON object per line: {"t", "event", "text", "intent", ...}'
    )
    parser.add_argument(
        "--start",
        default="20:00",
        metavar="HH:MM",
        help="clock time the simulation starts at (default 20:00)",
    )
    parser.add_argument("--seed", type=int, default=0, help="seed for picking line variants (default 0)")
    parser.add_argument(
        "--config", type=Path, metavar="FILE", help="settings file (default: your config.toml if any)"
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    start = parse_start(args.start)
    text, source = _read_script(args.script)
    utterances = parse_script(text, source)
    parts = load_parts(args.config)
    matcher = load_matcher()
    engine = Engine(parts.settings, parts.decks)
    renderer = Renderer(parts.book, random.Random(args.seed))
    for event in simulate(utterances, engine, matcher, renderer, start):
        if args.json:
            print(json.dumps(event.to_json(), ensure_ascii=False))
        else:
            print(format_event(event))
    return 0


def parse_start(value: str) -> datetime:
    try:
        hour, minute = (int(part) for part in value.split(":"))
        return datetime(*SIM_DAY, hour, minute, tzinfo=timezone.utc)
    except ValueError:
        raise UserError(f"--start {value!r} is not a time; give it as HH:MM, like 20:00") from None


def _read_script(path: Path | None) -> tuple[str, str]:
    if path is None or str(path) == "-":
        return sys.stdin.read(), "<stdin>"
    try:
        return path.read_text(encoding="utf-8"), str(path)
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else "not UTF-8 text"
        raise UserError(f"cannot read the script {path}: {reason}; check the path") from None
