"""Choosing a voice: ``make_speaker(settings, voice, output_device)``."""

from __future__ import annotations

import importlib.util
import logging

from skill.config import SpeechSettings
from skill.errors import UserError
from skill.speech.base import LiveSpeaker, SpeechError
from skill.speech.piper_speaker import INSTALL_HINT as PIPER_HINT
from skill.speech.piper_speaker import PiperSpeaker, piper_available
from skill.speech.playback import Device, Player, parse_device
from skill.speech.pyttsx3_render import INSTALL_HINT as PYTTSX3_HINT
from skill.speech.pyttsx3_speaker import PyttsxSpeaker
from skill.speech.speakers import PrintSpeaker

logger = logging.getLogger(__name__)

VOICES = ("auto", "piper", "pyttsx3", "none")


def pyttsx3_available() -> bool:
    return importlib.util.find_spec("pyttsx3") is not None


def choose_voice(voice: str) -> str:
    """Resolve ``auto`` to the best installed voice: piper, then pyttsx3, then none."""
    if voice not in VOICES:
        raise UserError(f"unknown voice {voice!r}; choose one of {', '.join(VOICES)}")
    if voice != "auto":
        return voice
    if piper_available():
        return "piper"
    return "pyttsx3" if pyttsx3_available() else "none"


def make_speaker(
    settings: SpeechSettings,
    voice: str | None = None,
    output_device: str | int | None = None,
) -> LiveSpeaker:
    """A speaker for ``voice`` (default: ``settings.voice``) on ``output_device``.

    ``output_device`` is a device name, an index, or None/'' for the default.
    """
    requested = voice or settings.voice
    chosen = choose_voice(requested)
    device = parse_device(output_device)
    speaker = _build(chosen, settings, device)
    how = " (auto)" if requested == "auto" else ""
    where = (
        ""
        if chosen == "none"
        else f" on {'the default output' if device is None else repr(device)}"
    )
    logger.info("speech: voice %s%s%s", chosen, how, where)
    return speaker


def _build(voice: str, settings: SpeechSettings, device: Device) -> LiveSpeaker:
    if voice == "none":
        return PrintSpeaker()
    if voice == "piper":
        if not piper_available():
            raise UserError(
                f"the piper voice is not installed; {PIPER_HINT} (or use --voice pyttsx3)"
            )
        try:
            return PiperSpeaker.load(rate_wpm=settings.rate_wpm, player=Player(device))
        except SpeechError as exc:
            raise UserError(f"{exc}; reinstall it or use --voice pyttsx3") from None
    if not pyttsx3_available():
        raise UserError(
            f"pyttsx3 is not installed; {PYTTSX3_HINT} (or use --voice none)"
        )
    return PyttsxSpeaker(settings, player=Player(device))
