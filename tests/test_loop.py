"""The live loop with fakes: a queue of transcripts, a hand-moved clock, a recording speaker."""

from __future__ import annotations

import io
import queue
import random
import threading

import pytest
from engine_kit import T0, shipped_decks
from fakes import FakeClock, FakeMatcher, FakeSpeaker, FakeStateStore

from skill.app.loop import LiveLoop, transcripts_from_lines
from skill.config import Settings
from skill.engine import Engine, State
from skill.engine.persist import engine_from_dict, engine_to_dict
from skill.lines import LineBook, Renderer
from skill.messages import Transcript
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
) -> tuple[LiveLoop, FakeClock, FakeSpeaker, FakeStateStore]:
    clock = FakeClock(T0)
    speaker = speaker or FakeSpeaker()
    store = store or FakeStateStore()
    engine = Engine(Settings(), shipped_decks())
    loop = LiveLoop(engine, MATCHER, Renderer(BOOK, random.Random(0)), clock, speaker=speaker, store=store)
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


def test_run_serves_the_queue_until_input_ends() -> None:
    loop, clock, speaker, store = make_loop()
    transcripts: queue.Queue[Transcript | None] = queue.Queue()
    transcripts_from_lines(io.StringIO("we need a break\n\nhow long\n"), transcripts)
    loop.run(transcripts)
    assert len(speaker.said) == 3
    assert "20 minutes" in speaker.said[-1]


def test_run_ticks_while_waiting_for_speech() -> None:
    loop, clock, speaker, store = make_loop()
    loop.hear(Transcript("we need a break"))
    clock.advance(25 * 60)
    transcripts: queue.Queue[Transcript | None] = queue.Queue()
    threading.Timer(0.05, transcripts.put, args=(None,)).start()
    loop.run(transcripts)
    assert loop.engine.state is State.BREAK_RETURN


def test_a_restart_restores_the_break_and_announces_it() -> None:
    loop, clock, speaker, store = make_loop()
    loop.hear(Transcript("we need a break"))
    engine, lines = engine_from_dict(store.data, clock.now(), Settings(), shipped_decks())
    second = FakeSpeaker()
    again = LiveLoop(engine, MATCHER, Renderer(BOOK, random.Random(0)), clock, speaker=second, store=store)
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
