"""``haven decks``: check the check-in decks (FILE:LINE errors) and list them with fresh counts."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from skill.config import ConfigError, load_settings
from skill.datafile import DataFileError
from skill.decks import Deck, deck_files, load_deck_files, user_decks_dir
from skill.engine.common import EngineStateError
from skill.engine.rotation import Rotation
from skill.errors import UserError
from skill.store import FileStateStore


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("decks", help="check and list the check-in decks")
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    check = actions.add_parser(
        "check",
        help="validate deck files",
        description="Validate deck files in one pass; print every error as FILE:LINE: message.",
    )
    check.add_argument("files", nargs="*", type=Path, metavar="FILE",
                       help=f"deck files (default: the shipped decks and yours in {user_decks_dir()})")
    check.set_defaults(func=run_check)
    listing = actions.add_parser(
        "list",
        help="the decks, and how many of their questions are fresh",
        description="Every deck (shipped and yours), its sections, and how many questions have not "
                    "been asked since the deck was last used up (from the saved state).",
    )
    listing.set_defaults(func=run_list)


def run_check(args: argparse.Namespace) -> int:
    paths: list[Path] = args.files or deck_files()
    missing = [p for p in paths if not p.is_file()]
    if missing:
        raise UserError(f"{missing[0]}: no such file; give a deck file (.yaml)")
    try:
        decks = load_deck_files(paths)
    except DataFileError as exc:
        for problem in exc.problems:
            print(problem)
        print(f"haven: {len(exc.problems)} problem(s) in the deck files", file=sys.stderr)
        return 1
    questions = sum(len(s.questions) for deck in decks.values() for s in deck.sections)
    print(f"ok: {len(paths)} files, {len(decks)} decks, {questions} questions")
    return 0


def run_list(args: argparse.Namespace) -> int:
    paths = deck_files()
    try:
        decks = load_deck_files(paths)
        default = load_settings()[0].checkin.deck
    except DataFileError as exc:
        raise UserError(f"a deck file is broken; run haven decks check to see where:\n{exc}") from None
    except ConfigError as exc:
        raise UserError(str(exc)) from None
    rotation = _saved_rotation()
    yours = {p.stem for p in paths if p.parent == user_decks_dir()}
    print("deck          fresh  sessions  sections  title")
    for name, deck in sorted(decks.items()):
        mark = "*" if name == default else " "
        origin = " (yours)" if name in yours else ""
        print(f"{mark}{name:<12} {_fresh(rotation, deck):>6}  {rotation.sessions_left(deck):>8}  "
              f"{len(deck.sections):>8}  {deck.title}{origin}")
    print("* read by \"start check in\"; fresh: questions not asked since the deck was last used up; "
          "sessions: before a question repeats")
    return 0


def _fresh(rotation: Rotation, deck: Deck) -> str:
    total = sum(len(s.questions) for s in deck.sections)
    return f"{rotation.fresh(deck)}/{total}"


def _saved_rotation() -> Rotation:
    data = FileStateStore().load() or {}
    try:
        return Rotation.from_dict(data.get("rotation", {}))
    except EngineStateError:
        return Rotation()
