"""The live loop: transcripts from any source in, spoken lines out, on the real clock.

Sources (the keyboard, a WAV recogniser, the microphone) run in producer
threads and put ``Transcript`` objects on a ``queue.Queue``; a ``Say`` on the
queue is a line to say at once (a device notice); ``None`` means the input has
ended. The loop waits on the queue until the
engine's next wakeup, ticks the engine, renders its lines and speaks them.
State is saved after every change, before any line about it is spoken, and
restored at start. Logs name intents,
never what was said.
"""

from __future__ import annotations

import logging
import queue
import threading
from datetime import datetime
from typing import Any, Callable, Protocol, TextIO

from skill.app.parts import Matcher
from skill.engine import Engine
from skill.engine.persist import engine_to_dict
from skill.lines import Renderer
from skill.messages import Heard, Say, Tick, Transcript
from skill.speech.base import Speaker, SpeechError
from skill.store import StateStore

log = logging.getLogger(__name__)

MAX_WAIT_S = 30.0  # wake at least this often, so a clock jump (suspend) is noticed


class Clock(Protocol):
    def now(self) -> datetime: ...


class SystemClock:
    """The real time, timezone-aware in the system's zone."""

    def now(self) -> datetime:
        return datetime.now().astimezone()


class LiveLoop:
    """Connects a transcript queue, matcher, engine, renderer, speaker and store."""

    def __init__(
        self,
        engine: Engine,
        matcher: Matcher,
        renderer: Renderer,
        clock: Clock,
        speaker: Speaker | None = None,
        store: StateStore | None = None,
        show: Callable[[str], None] | None = None,
    ) -> None:
        self.engine = engine
        self.matcher = matcher
        self.renderer = renderer
        self.clock = clock
        self.speaker = speaker
        self.store = store
        self.show = show
        self._saved: dict[str, Any] | None = None
        self.busy = False  # True while lines are being spoken (the echo gate reads it)
        self._stopping = threading.Event()

    def announce(self, lines: list[Say]) -> None:
        """Speak lines produced outside an event (the restore announcement)."""
        self._speak(lines)

    def run(self, transcripts: queue.Queue[Transcript | Say | None]) -> None:
        """Serve until a ``None`` arrives on the queue (or ``stop`` is called)."""
        self.tick()
        while not self._stopping.is_set():
            try:
                item = transcripts.get(timeout=self._wait_seconds())
            except queue.Empty:
                self.tick()
                continue
            if item is None:
                log.info("input ended")
                return
            if isinstance(item, Say):
                self._speak([item])
            else:
                self.hear(item)
            self.tick()

    def stop(self) -> None:
        """From any thread: cut the line being spoken, say nothing more, end ``run`` soon."""
        self._stopping.set()
        interrupt = getattr(self.speaker, "interrupt", None)
        if interrupt is not None:
            interrupt()

    def _wait_seconds(self) -> float:
        wakeup = self.engine.next_wakeup()
        if wakeup is None:
            return MAX_WAIT_S
        return min(MAX_WAIT_S, max(0.0, (wakeup - self.clock.now()).total_seconds()))

    def hear(self, transcript: Transcript) -> None:
        found = self.matcher.match(transcript.text)
        if found is None:
            log.info("heard something; no intent matched")
            return
        log.info("heard intent %s", found.intent)
        lines = self.engine.handle(Heard(found.intent, found.slots), self.clock.now())
        self.save()  # on disk before a word of it is said: a kill mid-line loses nothing
        self._speak(lines)

    def tick(self) -> None:
        """Tick the engine if (and as often as) it is due."""
        for _ in range(10):  # a held line may fall due right after another
            wakeup = self.engine.next_wakeup()
            now = self.clock.now()
            if wakeup is None or wakeup > now:
                break
            lines = self.engine.handle(Tick(), now)
            self.save()  # before speaking, as in ``hear``
            self._speak(lines)

    def save(self) -> None:
        if self.store is None:
            return
        data = engine_to_dict(self.engine)
        if data == self._saved:
            return
        try:
            self.store.save(data)
            self._saved = data
        except OSError as exc:
            log.warning("could not save state (%s); carrying on", exc.strerror or exc)

    def _speak(self, lines: list[Say]) -> None:
        self.busy = bool(lines)
        try:
            for action in lines:
                if self._stopping.is_set():
                    return
                self._say(action)
        finally:
            self.busy = False

    def _say(self, action: Say) -> None:
        text = self.renderer.render(action)
        log.info("saying line %s", action.line_id)
        if self.show is not None:
            self.show(text)
        if self.speaker is None:
            return
        try:
            self.speaker.say(text)
        except SpeechError as exc:
            log.warning("could not speak line %s (%s)", action.line_id, exc)


def transcripts_from_lines(stream: TextIO, out: queue.Queue[Transcript | Say | None]) -> None:
    """Producer: one line of text is one utterance; ``None`` at the end of input."""
    for line in stream:
        text = line.strip()
        if text:
            out.put(Transcript(text))
    out.put(None)


def start_producer(target: Callable[..., None], *args: object) -> threading.Thread:
    thread = threading.Thread(
        target=target, args=args, daemon=True, name=getattr(target, "__name__", "source")
    )
    thread.start()
    return thread
