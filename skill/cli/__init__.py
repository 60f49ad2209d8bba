"""The ``haven`` command: one module per sub-command under ``skill.cli``.

Each module offers ``register(subparsers)``, which adds its parser and sets
``func`` to a ``run(args) -> int``. User mistakes raise ``UserError`` and are
printed as one sentence with exit code 1, never a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
from typing import Sequence

from skill import __version__
from skill.errors import UserError
from skill.offline import keep_sound_client_out_of_home

# Sub-command modules, in the order `haven --help` lists them.
COMMAND_MODULES = [
    "skill.cli.match",
    "skill.cli.recognize",
    "skill.cli.intents",
    "skill.cli.decks",
    "skill.cli.speak",
    "skill.cli.simulate",
    "skill.cli.run",
    "skill.cli.status",
    "skill.cli.devices",
    "skill.cli.config",
]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="haven",
        description="Haven: an offline voice companion for couples.",
    )
    parser.add_argument("--version", action="version", version=f"haven {__version__}")
    parser.add_argument(
        "--log-level",
        default="warning",
        choices=["debug", "info", "warning", "error"],
        help="how much to log on stderr (default: warning)",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    keep_sound_client_out_of_home()  # before any command module can load PortAudio
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=getattr(logging, args.log_level.upper()),
        format="haven: %(levelname)s: %(message)s",
    )
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        code: int = args.func(args)
    except UserError as exc:
        print(f"haven: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
    return code


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
