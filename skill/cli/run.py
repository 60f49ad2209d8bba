"""``haven run``: the live loop on the real clock, from the microphone (or the keyboard)."""

from __future__ import annotations

import argparse
import logging
import random
import sys
from pathlib import Path
from typing import Any

from skill.app.native_noise import hide_native_noise
from skill.app.loop import LiveLoop, SystemClock, transcripts_from_lines
from skill.app.parts import Parts, load_matcher, load_parts
from skill.app.session import Session
from skill.app.status import StatusLine, route_logs_through
from skill.config import Settings
from skill.engine.persist import engine_from_dict
from skill.heap import keep_malloc_lean
from skill.lines import Renderer
from skill.speech.base import LiveSpeaker
from skill.app.indicator import IndicatingStore, make_indicator
from skill.store import FileStateStore, StateStore

log = logging.getLogger(__name__)


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "run",
        help="run Haven live: listen, recognise, answer (--text: type instead)",
        description=(
            "Run the live loop on the real clock: the microphone is heard, replies are spoken. "
            "With --text, each line typed is one utterance. State is saved, so a break survives "
            "a restart. Ctrl-C (or SIGTERM) stops; with --text, Ctrl-D too."
        ),
    )
    parser.add_argument(
        "--text", action="store_true", help="read utterances from the keyboard (stdin), one per line"
    )
    parser.add_argument(
        "--voice", choices=("auto", "piper", "pyttsx3", "none"), help="voice for replies; none prints only"
    )
    parser.add_argument(
        "--input-device", metavar="DEV", help="microphone name or index (haven devices lists them)"
    )
    parser.add_argument(
        "--input", type=Path, metavar="FILE.wav",
        help="hear a WAV file instead of the microphone, as if said in the room; ends with the file",
    )
    parser.add_argument(
        "--output-device", metavar="DEV", help="speaker name or index (default: the system's)"
    )
    parser.add_argument(
        "--config", type=Path, metavar="FILE", help="settings file (default: your config.toml if any)"
    )
    parser.add_argument(
        "--log-level", default=argparse.SUPPRESS, choices=["debug", "info", "warning", "error"],
        help="how much to log on stderr (same as haven --log-level)",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    hide_native_noise()  # before sounddevice loads PortAudio, which probes ALSA aloud
    keep_malloc_lean()
    parts = load_parts(args.config)
    status = StatusLine(live=False if args.text or args.input else None)
    route_logs_through(status)
    speaker = _speaker(args, parts.settings)
    session, announcement = _session(parts, speaker, status)
    if args.text:
        print("Type what you would say, one line at a time (Ctrl-D to quit). Try: we need a break",
              file=sys.stderr)
        return session.run(announcement, lambda s: s.start(transcripts_from_lines, sys.stdin, s.queue))

    if args.input is not None:
        return _run_file(args.input, parts, session, announcement)

    from skill.app.live import make_hearing, start_listening

    device = args.input_device if args.input_device is not None else parts.settings.listen.input_device
    status.set("starting")
    hearing = make_hearing(parts.settings)
    return session.run(announcement, lambda s: start_listening(s, hearing, parts.settings, device))


def _run_file(path: Path, parts: Parts, session: Session, announcement: list[Any]) -> int:
    """The file's audio, paced in real time, through the same hearing as the microphone.

    The loop ends (exit 0) once the file is heard through and the replies it
    caused have been said.
    """
    from skill.asr.hearing import make_hearing, transcripts_from_wav
    from skill.audio.wav import read_wav

    read_wav(path)  # an unreadable file is reported before anything is said
    hearing = make_hearing(parts.settings.listen)
    return session.run(announcement, lambda s: s.start(transcripts_from_wav, path, hearing, s.queue))


def _session(parts: Parts, speaker: LiveSpeaker | None, status: StatusLine) -> tuple[Session, list[Any]]:
    clock = SystemClock()
    store: StateStore = FileStateStore()
    indicator = make_indicator(parts.settings.indicator)
    if indicator is not None:  # the status LED shows every state the loop saves
        store = IndicatingStore(store, indicator)
    engine, announcement = engine_from_dict(store.load(), clock.now(), parts.settings, parts.decks)
    loop = LiveLoop(
        engine,
        load_matcher(),
        Renderer(parts.book, random.Random(), local_time=True),
        clock,
        speaker=speaker,
        store=store,
        show=lambda text: status.write(f"haven: {text}"),
    )
    return Session(loop, speaker, status), announcement


def _speaker(args: argparse.Namespace, settings: Settings) -> LiveSpeaker | None:
    from skill.speech.factory import choose_voice, make_speaker

    voice = choose_voice(args.voice or settings.speech.voice)
    if voice == "none":
        return None  # replies are printed anyway

    device = args.output_device if args.output_device is not None else settings.listen.output_device
    return make_speaker(settings.speech, voice, device)
