"""The composition root: source -> hearing -> the one loop, for every way Haven is run.

``haven run`` reads the microphone, a recording (``--input``) or the keyboard
(``--text``) on the real clock; ``haven simulate`` reads a script and a
recording (``--audio``) on a simulated clock. All of them build the same loop
(``skill.app.loop.Loop``) and, when there is audio, the same hearing (segmenter,
recogniser in the engine's listening context) behind the same echo gate; only
the clock, the input and the voice differ.
"""

from __future__ import annotations

import random
import sys
from datetime import datetime
from pathlib import Path
from typing import Callable, TextIO

from skill.app.echo import EchoGate
from skill.app.listen import ChunkSource, GatedHearing, Hearing, Listener
from skill.app.loop import Loop, ShowSaid, SystemClock, utterances_from_lines
from skill.app.parts import Parts, load_matcher, typed_name
from skill.app.session import Session
from skill.app.simulate import RecordingFeed, Report, SimClock, SimEvent, SimVoice, Timeline, Utterance
from skill.app.simulate import spoken_seconds
from skill.app.status import StatusLine
from skill.audio.wav import AudioFile
from skill.config import Settings
from skill.engine import Engine
from skill.engine.persist import engine_from_dict
from skill.lines import Renderer
from skill.messages import Say
from skill.speech.base import LiveSpeaker
from skill.app.indicator import IndicatingStore, make_indicator
from skill.store import FileStateStore, StateStore


def make_hearing(settings: Settings) -> Hearing:
    """The VAD segmenter and the configured recogniser (``skill.asr``); UserError if unusable."""
    from skill.asr.hearing import make_hearing as make_asr_hearing

    return make_asr_hearing(settings.listen)


# ---- haven run: the real clock ------------------------------------------------


def live_session(parts: Parts, speaker: LiveSpeaker | None, status: StatusLine,
                 hearing: Hearing | None = None) -> tuple[Session, list[Say]]:
    """The loop on the real clock with the saved state; the lines announcing a restored state."""
    clock = SystemClock()
    store: StateStore = FileStateStore()
    indicator = make_indicator(parts.settings.indicator)  # the status LED ([indicator])
    if indicator is not None:
        store = IndicatingStore(store, indicator)  # it shows every state the loop saves
    engine, announcement = engine_from_dict(store.load(), clock.now(), parts.settings, parts.decks)
    loop = Loop(
        # Typed lines need the name (listen.require_name); the recogniser demands it itself.
        engine, load_matcher(typed_name(parts.settings.listen) if hearing is None else ""),
        Renderer(parts.book, random.Random(), local_time=True), clock,
        speaker=speaker, store=store, trace=ShowSaid(lambda text: status.write(f"haven: {text}")),
        on_context=hearing.listen_for if hearing is not None else None,
    )
    return Session(loop, speaker, status), announcement


def run_keyboard(session: Session, announcement: list[Say], stream: TextIO = sys.stdin) -> int:
    """Each line typed is one utterance (a command, if it holds one, then a pause)."""
    return session.run(announcement, lambda s: s.start(utterances_from_lines, stream, s.queue))


def run_listening(session: Session, announcement: list[Say], hearing: Hearing, settings: Settings,
                  open_source: Callable[[], ChunkSource]) -> int:
    """The microphone (or a recording read like one) heard in a thread; deaf while Haven speaks."""

    def start(s: Session) -> None:
        speaker = s.speaker if hasattr(s.speaker, "is_speaking") else None
        gate = EchoGate(speaker, settings.listen.echo_tail_seconds, busy=lambda: s.loop.busy)  # type: ignore[arg-type]
        listener = Listener(open_source, hearing, gate, s.queue, s.status.set)
        s.start(listener.run, s.stopping)

    return session.run(announcement, start)


# ---- haven simulate: a simulated clock ----------------------------------------


def simulation(parts: Parts, script: list[Utterance], start: datetime, emit: Callable[[SimEvent], None],
               seed: int = 0, audio: Path | None = None, audio_at_s: float = 0.0,
               hearing: Hearing | None = None) -> None:
    """Run a script (and a recording from ``audio_at_s`` on) through the loop; ``emit`` each row.

    Without a recording Haven's lines take no time, as in a script preview;
    with one they take their spoken length, and the hearing is deaf meanwhile.
    ``hearing``: one already built (it is slow to build), else the configured one.
    """
    clock = SimClock(start)
    recording = AudioFile(audio) if audio is not None else None  # a bad file is reported at once
    if recording is not None and hearing is None:
        hearing = make_hearing(parts.settings)
    if hearing is not None:
        hearing.reset()
    rate = parts.settings.speech.rate_wpm
    voice = SimVoice(clock, (lambda text: spoken_seconds(text, rate)) if recording else (lambda text: 0.0))
    feed = None
    if recording is not None and hearing is not None:
        gate = EchoGate(voice, parts.settings.listen.echo_tail_seconds, monotonic=clock.seconds)
        # The feed flushes the segmenter at the recording's end (no second of zeros after it: the
        # last utterance held half a second of them, and a noisy command was judged a quiet room).
        feed = RecordingFeed(recording.chunks(), audio_at_s, GatedHearing(hearing, gate),
                             recording.duration_s)
    loop = Loop(
        # Script lines need the name (listen.require_name); with a recording, the recogniser
        # demands it of what it hears, and cuts it off, so the script's lines are not checked.
        Engine(parts.settings, parts.decks),
        load_matcher(typed_name(parts.settings.listen) if recording is None else ""),
        Renderer(parts.book, random.Random(seed)),
        clock, speaker=voice, trace=Report(clock, emit),
        on_context=hearing.listen_for if hearing is not None else None,
    )
    try:
        loop.run(Timeline(clock, script, feed))
    finally:
        if recording is not None:
            recording.close()
