"""The one loop with fakes: scripted inputs, a hand-moved clock, a recording speaker."""

from __future__ import annotations

import io
import queue
import random
from datetime import datetime
from typing import Any

import pytest
from engine_kit import T0, shipped_decks
from fakes import FakeClock, FakeHearing, FakeMatcher, FakeSpeaker, FakeStateStore

from skill.app.listen import Item
from skill.app.loop import WAITED, Loop, QueueInput, Waited, utterances_from_lines
from skill.config import Settings
from skill.engine import Engine, State
from skill.engine.persist import engine_from_dict
from skill.lines import LineBook, Renderer
from skill.messages import Event, MicLost, Say, Transcript, Utterance
from skill.speech.base import SpeechError

MATCHER = FakeMatcher(
    {
        "we need a break": ("break.start", {}),
        "how long": ("break.status", {}),
        "we're back": ("break.resume", {}),
        "breathe": ("breathing.start", {}),
    }
)
BOOK = LineBook.from_files()


def make_loop(
    store: FakeStateStore | None = None, speaker: FakeSpeaker | None = None
) -> tuple[Loop, FakeClock, FakeSpeaker, FakeStateStore]:
    clock = FakeClock(T0)
    speaker = speaker or FakeSpeaker()
    store = store or FakeStateStore()
    engine = Engine(Settings(), shipped_decks())
    loop = Loop(engine, MATCHER, Renderer(BOOK, random.Random(0)), clock, speaker=speaker, store=store)
    return loop, clock, speaker, store


def test_heard_lines_are_spoken_and_state_saved() -> None:
    loop, clock, speaker, store = make_loop()
    loop.hear(Transcript("we need a break"))
    assert len(speaker.said) == 2 and "8:20" in speaker.said[0]
    assert store.data is not None and store.data["state"] == "break"


def test_unmatched_speech_says_nothing_and_saves_nothing() -> None:
    loop, clock, speaker, store = make_loop()
    loop.hear(Transcript("lovely weather"))
    assert speaker.said == [] and store.saves == 0


def test_ticks_speak_only_when_due() -> None:
    loop, clock, speaker, store = make_loop()
    loop.hear(Transcript("we need a break"))
    speaker.said.clear()
    clock.advance(9 * 60)
    loop.tick()
    assert speaker.said == []
    clock.advance(60)
    loop.tick()
    assert len(speaker.said) == 1  # the mid-break nudge


def test_breathing_cues_do_not_rewrite_the_state_file() -> None:
    loop, clock, speaker, store = make_loop()
    loop.hear(Transcript("breathe"))
    saves = store.saves
    for _ in range(60):
        clock.advance(1)
        loop.tick()
    assert len(speaker.said) > 5
    assert store.saves == saves


def test_run_serves_the_keyboard_until_input_ends() -> None:
    loop, clock, speaker, store = make_loop()
    items: queue.Queue[Item] = queue.Queue()
    utterances_from_lines(io.StringIO("we need a break\n\nhow long\n"), items)
    loop.run(QueueInput(items, clock))
    assert len(speaker.said) == 3
    assert "20 minutes" in speaker.said[-1]


class Waiting:
    """An input that says nothing: each wait moves the fake clock to the engine's wakeup."""

    def __init__(self, clock: FakeClock, waits: int) -> None:
        self.clock = clock
        self.waits = waits
        self.asked: list[datetime | None] = []

    def next(self, until: datetime | None) -> Item | Waited:
        self.asked.append(until)
        if self.waits == 0 or until is None:
            return None
        self.waits -= 1
        self.clock.current = max(self.clock.current, until)
        return WAITED


def test_run_ticks_while_waiting_for_speech() -> None:
    loop, clock, speaker, store = make_loop()
    loop.hear(Transcript("we need a break"))
    speaker.said.clear()
    loop.run(Waiting(clock, waits=3))
    assert loop.engine.state is State.BREAK_RETURN
    assert len(speaker.said) == 3  # nudge, heads-up, return: each at its own wakeup


class SavedWhenSpoken(FakeSpeaker):
    """Records the saved state at the moment each line is spoken."""

    def __init__(self, store: FakeStateStore) -> None:
        super().__init__()
        self.store = store
        self.saved_then: list[Any] = []

    def say(self, text: str) -> None:
        super().say(text)
        self.saved_then.append(self.store.data and self.store.data["state"])


def test_the_state_is_saved_before_a_line_is_spoken() -> None:
    store = FakeStateStore()
    speaker = SavedWhenSpoken(store)
    loop, clock, _, _ = make_loop(store, speaker)
    loop.hear(Transcript("we need a break"))
    assert speaker.saved_then and speaker.saved_then[0] == "break"  # on disk before "Sure. 20 minutes"


class EventLog(Engine):
    """The real engine, recording every event handed to it."""

    def __init__(self) -> None:
        super().__init__(Settings(), shipped_decks())
        self.events: list[Event] = []

    def handle(self, event: Event, now: datetime) -> list[Say]:
        self.events.append(event)
        return super().handle(event, now)


def test_every_utterance_ends_with_speech_ended_command_or_not() -> None:
    engine = EventLog()
    loop = Loop(engine, MATCHER, Renderer(BOOK, random.Random(0)), FakeClock(T0))
    items: queue.Queue[Item] = queue.Queue()
    for item in (Utterance(None), Utterance(Transcript("we need a break")), Utterance(Transcript("hmm")), None):
        items.put(item)
    loop.run(QueueInput(items, loop.clock))
    kinds = [type(e).__name__ for e in engine.events if type(e).__name__ != "Tick"]
    assert kinds == ["SpeechEnded", "Heard", "SpeechEnded", "SpeechEnded"]


def test_the_hearing_and_matcher_listen_in_the_engine_context() -> None:
    hearing, matcher = FakeHearing(), FakeMatcher({"we need a break": ("break.start", {}),
                                                    "next": ("checkin.next", {})})
    engine = Engine(Settings(), shipped_decks())
    loop = Loop(engine, matcher, Renderer(BOOK, random.Random(0)), FakeClock(T0),
                on_context=hearing.listen_for)
    items: queue.Queue[Item] = queue.Queue()
    for item in (Utterance(Transcript("next")), Utterance(Transcript("we need a break")), None):
        items.put(item)
    loop.run(QueueInput(items, loop.clock))
    assert engine.state is State.BREAK  # "next" outside a check-in was not even matched
    assert [("break.status" in c) for c in hearing.contexts] == [False, True]  # idle, then the break
    assert matcher.contexts[0] is not None and "checkin.next" not in matcher.contexts[0]


def test_a_lost_microphone_is_not_said_over_breathing() -> None:
    loop, clock, speaker, store = make_loop()
    loop.hear(Transcript("breathe"))
    said = len(speaker.said)
    loop.handle(MicLost())
    assert len(speaker.said) == said


def test_a_restart_restores_the_break_and_announces_it() -> None:
    loop, clock, speaker, store = make_loop()
    loop.hear(Transcript("we need a break"))
    engine, lines = engine_from_dict(store.data, clock.now(), Settings(), shipped_decks())
    second = FakeSpeaker()
    again = Loop(engine, MATCHER, Renderer(BOOK, random.Random(0)), clock, speaker=second, store=store)
    again.announce(lines)
    assert "20 minutes" in second.said[0] or "8:20" in second.said[0]


class BrokenSpeaker(FakeSpeaker):
    def say(self, text: str) -> None:
        raise SpeechError("the voice died")


def test_a_speech_failure_does_not_stop_the_timer(caplog: pytest.LogCaptureFixture) -> None:
    loop, clock, speaker, store = make_loop(speaker=BrokenSpeaker())
    loop.hear(Transcript("we need a break"))
    assert loop.engine.state is State.BREAK
    assert "could not speak line break.started" in caplog.text


def test_logs_name_intents_never_what_was_said(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level("INFO")
    loop, clock, speaker, store = make_loop()
    loop.hear(Transcript("we need a break"))
    loop.hear(Transcript("something private"))
    assert "break.start" in caplog.text
    assert "we need a break" not in caplog.text and "private" not in caplog.text
