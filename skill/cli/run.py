"""``haven run --text``: the live loop, with the keyboard as the microphone."""

from __future__ import annotations

import argparse
import logging
import queue
import random
import sys
from pathlib import Path
from typing import Any

from skill.app.loop import LiveLoop, SystemClock, start_producer, transcripts_from_lines
from skill.app.parts import load_matcher, load_parts
from skill.config import Settings
from skill.engine import Engine
from skill.errors import UserError
from skill.lines import Renderer
from skill.messages import Transcript
from skill.speech.base import Speaker
from skill.store import FileStateStore

log = logging.getLogger(__name__)


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "run",
        help="run Haven live (with --text, type what you would say)",
        description=(
            "Run the live loop on the real clock. With --text, each line typed is one utterance; "
            "replies are spoken and printed. State is saved, so a break survives a restart. "
            "Ctrl-D ends the session."
        ),
    )
    parser.add_argument(
        "--text", action="store_true", help="read utterances from the keyboard (stdin), one per line"
    )
    parser.add_argument(
        "--voice", choices=("auto", "piper", "pyttsx3", "none"), help="voice for replies; none prints only"
    )
    parser.add_argument(
        "--output-device", metavar="DEV", help="sound device name or index (default: the system's)"
    )
    parser.add_argument(
        "--config", type=Path, metavar="FILE", help="settings file (default: your config.toml if any)"
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if not args.text:
        raise UserError("listening from a microphone is not available in this version; use haven run --text")
    parts = load_parts(args.config)
    clock = SystemClock()
    store = FileStateStore()
    engine, announcement = Engine.from_dict(store.load(), clock.now(), parts.settings, parts.decks)
    speaker = _speaker(args, parts.settings)
    loop = LiveLoop(
        engine,
        load_matcher(),
        Renderer(parts.book, random.Random(), local_time=True),
        clock,
        speaker=speaker,
        store=store,
        show=lambda text: print(f"haven: {text}", flush=True),
    )
    transcripts: queue.Queue[Transcript | None] = queue.Queue()
    print(
        "Type what you would say, one line at a time (Ctrl-D to quit). Try: we need a break", file=sys.stderr
    )
    try:
        loop.announce(announcement)
        loop.save()
        start_producer(transcripts_from_lines, sys.stdin, transcripts)
        loop.run(transcripts)
    finally:
        if speaker is not None:
            speaker.close()
    return 0


def _speaker(args: argparse.Namespace, settings: Settings) -> Speaker | None:
    from skill.speech.factory import choose_voice, make_speaker

    voice = choose_voice(args.voice or settings.speech.voice)
    if voice == "none":
        return None  # replies are printed anyway

    device = args.output_device if args.output_device is not None else settings.listen.output_device
    speaker: Speaker = make_speaker(settings.speech, voice, device)
    return speaker
