"""``haven status``: listening or muted, the running break and its return time, the check-in."""

from __future__ import annotations

import argparse
import json
from datetime import datetime
from pathlib import Path
from typing import Any

from skill.app.parts import load_parts
from skill.app.report import describe
from skill.store import FileStateStore, default_state_path


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "status",
        help="whether Haven is listening or muted, the running break, the check-in",
        description=(
            "Read Haven's saved state and print whether it is listening or muted, the running "
            "break and its return time, and the check-in. Nothing is changed or said."
        ),
    )
    parser.add_argument("--json", action="store_true", help="one JSON object instead of lines")
    parser.add_argument("--config", type=Path, metavar="FILE",
                        help="settings file (default: your config.toml if any)")
    parser.add_argument("--state", type=Path, metavar="FILE", help=argparse.SUPPRESS)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    parts = load_parts(args.config)
    store = FileStateStore(args.state or default_state_path())
    now = datetime.now().astimezone()
    report = describe(store.load(), now, parts.settings, parts.decks)
    if args.json:
        print(json.dumps(report.to_json(), sort_keys=True))
    else:
        print("\n".join(report.lines()))
    return 0
