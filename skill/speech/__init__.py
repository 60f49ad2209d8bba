"""Speech output: the last stage, turning rendered lines into sound.

``make_speaker(settings, voice, output_device)`` picks piper, pyttsx3 or
printing; every speaker has ``say``/``close`` and the live-loop extras
``is_speaking``, ``speaking_until`` and ``interrupt`` (see ``base``).
"""

from __future__ import annotations

from skill.speech.base import LiveSpeaker, Speaker, SpeechError
from skill.speech.factory import VOICES, make_speaker
from skill.speech.speakers import PrintSpeaker, RenderingSpeaker

__all__ = [
    "VOICES",
    "LiveSpeaker",
    "PrintSpeaker",
    "RenderingSpeaker",
    "Speaker",
    "SpeechError",
    "make_speaker",
]
