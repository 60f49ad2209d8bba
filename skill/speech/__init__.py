"""Speech output: the last stage, turning rendered lines into sound.

``make_speaker(settings, voice, output_device)`` picks piper, pyttsx3 or
printing; every speaker has ``say``/``close`` and the live-loop extras
``is_speaking``, ``speaking_until`` and ``interrupt`` (see ``base``).

The names below load on first use, so that the pyttsx3 worker process, which
imports ``skill.speech.worker``, does not load numpy and PortAudio with them.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from skill.speech.base import LiveSpeaker, Speaker, SpeechError
    from skill.speech.factory import VOICES, make_speaker
    from skill.speech.speakers import PrintSpeaker, RenderingSpeaker

_HOME = {
    "VOICES": "skill.speech.factory",
    "make_speaker": "skill.speech.factory",
    "LiveSpeaker": "skill.speech.base",
    "Speaker": "skill.speech.base",
    "SpeechError": "skill.speech.base",
    "PrintSpeaker": "skill.speech.speakers",
    "RenderingSpeaker": "skill.speech.speakers",
}

__all__ = sorted(_HOME)


def __getattr__(name: str) -> Any:
    if name not in _HOME:
        raise AttributeError(f"module 'skill.speech' has no attribute {name!r}")
    return getattr(importlib.import_module(_HOME[name]), name)
