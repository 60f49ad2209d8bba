"""``haven recognize``: WAV files in, one intent (or none) per file out."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from typing import Any

from skill.errors import UserError

log = logging.getLogger(__name__)


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "recognize",
        help="recognise the command said in each WAV file (one utterance per file)",
        description=(
            "Each file is one utterance (any rate or channel count). Prints the transcript and "
            "the intent heard, or nothing heard. Nothing is written to disk."
        ),
    )
    parser.add_argument("files", nargs="+", metavar="FILE", help="WAV files")
    parser.add_argument("--json", action="store_true",
                        help='one JSON object per file: {"file", "text", "intent", "slots", "confidence"}')
    parser.add_argument("--recognizer", choices=("auto", "vosk", "pocketsphinx"),
                        help="which recogniser (default: listen.recognizer, auto)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from skill.app.parts import load_matcher, load_parts
    from skill.asr.factory import make_recognizer
    from skill.asr.hearing import hear_recording
    from skill.audio.wav import read_wav

    settings = load_parts().settings  # config, decks and lines checked as for `haven run`
    recognizer = make_recognizer(settings.listen, args.recognizer)
    matcher = load_matcher()
    failed = 0
    for path in args.files:
        try:
            audio = read_wav(path)
        except UserError as exc:
            print(f"haven: {exc}", file=sys.stderr)
            failed += 1
            continue
        transcript = hear_recording(audio, recognizer)
        found = matcher.match(transcript.text) if transcript else None
        log.info("file %d: %s", args.files.index(path) + 1, found.intent if found else "no intent")
        row = {
            "file": path,
            "text": transcript.text if transcript else "",
            "intent": found.intent if found else None,
            "slots": dict(found.slots) if found else {},
            "confidence": round(min(transcript.confidence, found.confidence), 3)
            if transcript and found else 0.0,
        }
        print(json.dumps(row) if args.json else _line(row), flush=True)
    return 1 if failed else 0


def _line(row: dict[str, Any]) -> str:
    if row["intent"] is None:
        return f"{row['file']}: nothing heard" + (f" (\"{row['text']}\")" if row["text"] else "")
    slots = " ".join(f"{k}={v}" for k, v in row["slots"].items())
    return f"{row['file']}: {row['intent']} {slots}".rstrip() + f"  (\"{row['text']}\")"
