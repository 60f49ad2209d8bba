"""The one loop: inputs in, the engine on a clock, lines out, for every way Haven is run.

``haven run`` (microphone, ``--input FILE``, ``--text``) and ``haven simulate``
(a script, ``--audio FILE``) differ only in the ``Clock`` and the ``Input``
they hand this loop (``skill.app.compose`` builds them). The loop asks the
input for the next item, waiting at most until the engine's next wakeup;
an item is an utterance the hearing closed (with the command heard in it, if
any), a device event, or the end of the input. Every engine event's lines
follow one order: the engine decides, the state is saved, then the lines are
spoken, so a break is on disk before it is announced. Logs name intents,
never what was said.
"""

from __future__ import annotations

import logging
import queue
import threading
from datetime import datetime
from typing import Any, Callable, Protocol, TextIO

from skill.app.listen import Item
from skill.app.parts import Matcher, match_heard
from skill.engine import Engine
from skill.engine.persist import engine_to_dict
from skill.lines import Renderer
from skill.messages import Event, Heard, IntentMatch, Say, SpeechEnded, Tick, Transcript, Utterance
from skill.speech.base import Speaker, SpeechError
from skill.store import StateStore

log = logging.getLogger(__name__)

MAX_WAIT_S = 30.0  # wake at least this often, so a clock jump (suspend) is noticed
MAX_TICKS_AT_ONCE = 10  # a held line may fall due right after another; more is an engine fault


class Clock(Protocol):
    def now(self) -> datetime: ...


class SystemClock:
    """The real time, timezone-aware in the system's zone."""

    def now(self) -> datetime:
        return datetime.now().astimezone()


class Waited:
    """``Input.next`` found nothing before ``until``: time to look at the engine's timers."""


WAITED = Waited()


class Input(Protocol):
    """Where the loop's items come from; ``next`` returns by ``until`` (None: no timer pending)."""

    def next(self, until: datetime | None) -> Item | Waited: ...


class Trace(Protocol):
    """What the loop heard and said, for a display (``run``) or a report (``simulate``)."""

    def heard(self, text: str, found: IntentMatch | None) -> None: ...

    def said(self, action: Say, text: str, intent: str | None) -> None:
        """``intent``: the request the line answers; None for timers and device events."""


class ShowSaid:
    """A Trace that shows each line said (the status line under ``haven run``)."""

    def __init__(self, show: Callable[[str], None]) -> None:
        self.show = show

    def heard(self, text: str, found: IntentMatch | None) -> None:
        pass

    def said(self, action: Say, text: str, intent: str | None) -> None:
        self.show(text)


class QueueInput:
    """Items put on a queue by input threads (listener, keyboard), on the real clock."""

    def __init__(self, items: queue.Queue[Item], clock: Clock, max_wait_s: float = MAX_WAIT_S) -> None:
        self.items = items
        self.clock = clock
        self.max_wait_s = max_wait_s

    def next(self, until: datetime | None) -> Item | Waited:
        wait = self.max_wait_s
        if until is not None:
            wait = min(wait, max(0.0, (until - self.clock.now()).total_seconds()))
        try:
            return self.items.get(timeout=wait)
        except queue.Empty:
            return WAITED


class Loop:
    """Connects an input, matcher, engine, renderer, speaker and store, on one clock."""

    def __init__(
        self,
        engine: Engine,
        matcher: Matcher,
        renderer: Renderer,
        clock: Clock,
        speaker: Speaker | None = None,
        store: StateStore | None = None,
        trace: Trace | None = None,
        on_context: Callable[[frozenset[str]], None] | None = None,
    ) -> None:
        self.engine = engine
        self.matcher = matcher
        self.renderer = renderer
        self.clock = clock
        self.speaker = speaker
        self.store = store
        self.trace = trace
        self.on_context = on_context  # the hearing's ``listen_for``
        self._context: frozenset[str] | None = None
        self._saved: dict[str, Any] | None = None
        self.busy = False  # True while lines are being spoken (the echo gate reads it)
        self._stopping = threading.Event()

    def announce(self, lines: list[Say]) -> None:
        """Speak lines produced outside an event (the restore announcement)."""
        self._speak(lines)

    def run(self, source: Input) -> None:
        """Serve ``source`` until it ends (or ``stop`` is called)."""
        self._sync_context()
        self.tick()
        while not self._stopping.is_set():
            item = source.next(self.engine.next_wakeup())
            if item is None:
                log.info("input ended")
                return
            if not isinstance(item, Waited):
                self.handle(item)
            self.tick()

    def stop(self) -> None:
        """From any thread: cut the line being spoken, say nothing more, end ``run`` soon."""
        self._stopping.set()
        interrupt = getattr(self.speaker, "interrupt", None)
        if interrupt is not None:
            interrupt()

    def handle(self, item: Item) -> None:
        """One input item: the command in an utterance, then its end; or a device event."""
        if isinstance(item, Utterance):
            if item.transcript is not None:
                self.hear(item.transcript)
            self._event(SpeechEnded())
        elif item is not None:
            self._event(item)

    def hear(self, transcript: Transcript) -> None:
        text, found = match_heard(self.matcher, transcript, self.engine.listening_for())
        if self.trace is not None:
            self.trace.heard(text, found)
        if found is None:
            log.info("heard something; no intent listened for matched")
            return
        log.info("heard intent %s", found.intent)
        self._event(Heard(found.intent, found.slots))

    def tick(self) -> None:
        """Tick the engine if (and as often as) it is due."""
        for _ in range(MAX_TICKS_AT_ONCE):
            wakeup = self.engine.next_wakeup()
            if wakeup is None or wakeup > self.clock.now():
                return
            self._event(Tick())
        wakeup = self.engine.next_wakeup()
        if wakeup is not None and wakeup <= self.clock.now():
            raise RuntimeError(f"engine keeps asking to be woken at {wakeup}; it must move on")

    def _event(self, event: Event) -> None:
        lines = self.engine.handle(event, self.clock.now())
        self.save()  # before speaking: what is announced is already on disk
        self._sync_context()
        self._speak(lines, event.intent if isinstance(event, Heard) else None)

    def _sync_context(self) -> None:
        context = self.engine.listening_for()
        if context != self._context and self.on_context is not None:
            self.on_context(context)
        self._context = context

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

    def _speak(self, lines: list[Say], intent: str | None = None) -> None:
        self.busy = bool(lines)
        try:
            for action in lines:
                if self._stopping.is_set():
                    return
                self._say(action, intent)
        finally:
            self.busy = False

    def _say(self, action: Say, intent: str | None) -> None:
        text = self.renderer.render(action)
        log.info("saying line %s", action.line_id)
        if self.trace is not None:
            self.trace.said(action, text, intent)
        if self.speaker is None:
            return
        try:
            self.speaker.say(text)
        except SpeechError as exc:
            log.warning("could not speak line %s (%s)", action.line_id, exc)


def utterances_from_lines(stream: TextIO, out: queue.Queue[Item]) -> None:
    """Producer: one line of text is one utterance (the keyboard as microphone); ``None`` at the end."""
    for line in stream:
        text = line.strip()
        if text:
            out.put(Utterance(Transcript(text)))
    out.put(None)
