"""Wiring ``haven run`` to the microphone: mic -> echo gate -> segmenter -> recogniser -> queue."""

from __future__ import annotations

import logging

from skill.app.echo import EchoGate
from skill.app.listen import Hearing, Listener
from skill.app.mic import SoundDeviceMic
from skill.app.session import Session
from skill.config import Settings

log = logging.getLogger(__name__)


def make_hearing(settings: Settings) -> Hearing:
    """The VAD segmenter and the configured recogniser (``skill.asr``); UserError if unusable."""
    from skill.asr.hearing import make_hearing as make_asr_hearing

    return make_asr_hearing(settings.listen)


def start_listening(session: Session, hearing: Hearing, settings: Settings, device: str | int | None) -> None:
    """Start the listener thread: deaf while Haven speaks; it stops when the session does."""
    speaker = session.speaker if hasattr(session.speaker, "is_speaking") else None
    gate = EchoGate(speaker, settings.listen.echo_tail_seconds, busy=lambda: session.loop.busy)  # type: ignore[arg-type]
    listener = Listener(lambda: SoundDeviceMic(device), hearing, gate, session.queue, session.status.set)
    session.start(listener.run, session.stopping)
