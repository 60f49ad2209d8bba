"""``haven config``: the effective settings, and where each one came from."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from skill.config import (
    ConfigError,
    default_config_path,
    effective_settings,
    load_settings,
    setting_ranges,
)
from skill.errors import UserError


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "config",
        help="print the effective settings and where each came from",
        description="Print every setting, its value, and whether it is a default or from the config file.",
    )
    parser.add_argument("--config", type=Path, metavar="FILE",
                        help="settings file (default: config.toml in your config directory)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    path = args.config or default_config_path()
    try:
        settings, overrides = load_settings(args.config)
    except ConfigError as exc:
        raise UserError(str(exc)) from None
    state = "found" if path.exists() else "not found; all defaults"
    print(f"# config file: {path} ({state})")
    ranges = setting_ranges()
    for key, value, source in effective_settings(settings, overrides):
        shown = f'"{value}"' if isinstance(value, str) else str(value).lower() if isinstance(value, bool) else value
        span = f", range {ranges[key]}" if key in ranges else ""
        print(f"{key} = {shown}  # {source}{span}")
    return 0
