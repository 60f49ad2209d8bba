"""``haven match``: what intent a text gives, for people and for scripts."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable
from typing import Any

from skill.app.parts import load_matcher, typed_name
from skill.messages import IntentMatch


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "match",
        help="match text against the intents",
        description="Match each TEXT (or each line of stdin) against Haven's intents.",
    )
    parser.add_argument("texts", nargs="*", metavar="TEXT", help="text to match; none = read stdin")
    parser.add_argument("--json", action="store_true", help="one JSON object per input line")
    parser.set_defaults(func=run)


def match_record(text: str, result: IntentMatch | None) -> dict[str, Any]:
    return {
        "text": text,
        "intent": result.intent if result else None,
        "slots": dict(result.slots) if result else {},
        "confidence": result.confidence if result else 0.0,
    }


def _human(text: str, result: IntentMatch | None) -> str:
    if result is None:
        return f"{text!r}: no intent"
    slots = " ".join(f"{k}={v}" for k, v in result.slots.items())
    return f"{text!r}: {result.intent} {slots} (confidence {result.confidence:.2f})".replace("  ", " ")


def _inputs(texts: list[str]) -> Iterable[str]:
    if texts:
        yield " ".join(texts)
        return
    for line in sys.stdin:
        yield line.rstrip("\n")


def run(args: argparse.Namespace) -> int:
    matcher = load_matcher(_use_code_phrase())
    for text in _inputs(args.texts):
        result = matcher.match(text)
        if args.json:
            print(json.dumps(match_record(text, result)), flush=True)
        else:
            print(_human(text, result), flush=True)
    return 0


def _use_code_phrase() -> str:
    """The couple's ``break.code_phrase`` from the config, as ``haven run`` hears it; the
    name a command must start with (``listen.require_name``), as ``haven run --text`` hears it."""
    from skill.config import ConfigError, load_settings
    from skill.errors import UserError
    from skill.nlu.codephrase import set_up_code_phrase

    try:
        settings, _overrides = load_settings()
    except ConfigError as exc:
        raise UserError(str(exc)) from None
    set_up_code_phrase(settings.break_.code_phrase)
    return typed_name(settings.listen)
