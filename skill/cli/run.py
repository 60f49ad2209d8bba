"""``haven run``: the one loop on the real clock, from the microphone, a recording or the keyboard."""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path
from typing import Any, Callable

from skill.app.compose import live_session, make_hearing, run_keyboard, run_listening
from skill.app.listen import ChunkSource
from skill.app.native_noise import hide_native_noise
from skill.app.parts import load_parts
from skill.app.recording import RecordingSource
from skill.app.status import StatusLine, route_logs_through
from skill.audio.wav import AudioFile
from skill.config import Settings
from skill.heap import keep_malloc_lean
from skill.speech.base import LiveSpeaker

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
        help="hear a recording (WAV or FLAC) instead of the microphone, as if said in the room, "
        "in real time; ends with the file",
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
    if args.text:
        speaker = _speaker(args, parts.settings)
        session, announcement = live_session(parts, speaker, status)
        print("Type what you would say, one line at a time (Ctrl-D to quit). Try: we need a break",
              file=sys.stderr)
        return run_keyboard(session, announcement)

    if args.input is not None:
        AudioFile(args.input).close()  # an unreadable file is reported before anything is said
        source: Callable[[], ChunkSource] = lambda: RecordingSource(args.input)
    else:
        device = args.input_device if args.input_device is not None else parts.settings.listen.input_device
        from skill.app.mic import SoundDeviceMic  # after hide_native_noise: PortAudio probes ALSA aloud

        source = lambda: SoundDeviceMic(device)
        status.set("starting")
    hearing = make_hearing(parts.settings)
    speaker = _speaker(args, parts.settings)
    session, announcement = live_session(parts, speaker, status, hearing)
    return run_listening(session, announcement, hearing, parts.settings, source)


def _speaker(args: argparse.Namespace, settings: Settings) -> LiveSpeaker | None:
    from skill.speech.factory import choose_voice, make_speaker

    voice = choose_voice(args.voice or settings.speech.voice)
    if voice == "none":
        return None  # replies are printed anyway

    device = args.output_device if args.output_device is not None else settings.listen.output_device
    return make_speaker(settings.speech, voice, device)
