"""``haven simulate [--json] [--audio FILE [--audio-at MM:SS]] [SCRIPT]``: the loop on a simulated clock."""

from __future__ import annotations

import argparse
import json
import re
import sys
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from skill.app.compose import simulation
from skill.app.parts import load_parts
from skill.app.simulate import SimEvent, format_event, parse_script
from skill.errors import UserError

# A fixed day, so the output is the same on every machine and every day.
SIM_DAY = (2025, 1, 6)


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "simulate",
        help="run a script (and a recording) through Haven's loop on a simulated clock",
        description=(
            "Each SCRIPT line is 'MM:SS text' or 'H:MM:SS text': something said at that time. "
            "With --audio, a recording is heard as the microphone would hear it (the same "
            "segmenter, echo gate, recogniser and matcher as haven run), as fast as the machine "
            "allows, while Haven's own lines take their spoken length. "
            "Prints what the device hears and says, in time order, until nothing is pending "
            "(at most 24 simulated hours). The clock starts at 20:00 on a fixed day; "
            "your saved state is never read or written."
        ),
    )
    parser.add_argument(
        "script", nargs="?", type=Path, metavar="SCRIPT",
        help="script file (default: stdin; with --audio, none unless given)",
    )
    parser.add_argument(
        "--audio", type=Path, metavar="FILE", help="a recording (WAV or FLAC, any rate) heard from --audio-at on"
    )
    parser.add_argument(
        "--audio-at", default="00:00", metavar="MM:SS", help="when the recording starts (default 00:00)"
    )
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
    audio_at_s = parse_offset(args.audio_at)
    if args.audio is not None and args.script is None:
        text, source = "", "<none>"  # stdin stays free: the recording is the input
    else:
        text, source = _read_script(args.script)
    utterances = parse_script(text, source)
    parts = load_parts(args.config)

    def emit(event: SimEvent) -> None:
        print(json.dumps(event.to_json(), ensure_ascii=False) if args.json else format_event(event), flush=True)

    simulation(parts, utterances, start, emit, seed=args.seed, audio=args.audio, audio_at_s=audio_at_s)
    return 0


def parse_offset(value: str) -> float:
    """``MM:SS`` or ``H:MM:SS`` (seconds may have a fraction) -> seconds."""
    found = re.fullmatch(r"(?:(\d+):)?(\d+):(\d{2}(?:\.\d+)?)", value.strip())
    if found is None or float(found.group(3)) >= 60:
        raise UserError(f"--audio-at {value!r} is not a time; give it as MM:SS, like 01:30")
    hours, mins, secs = found.groups()
    return int(hours or 0) * 3600 + int(mins) * 60 + float(secs)


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
