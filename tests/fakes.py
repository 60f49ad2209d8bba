"""Hand-written fakes for the side-effect interfaces (no mock.patch)."""

from __future__ import annotations

import json
import queue
import threading
from datetime import datetime, timedelta
from typing import Any, Mapping

from skill.messages import AudioChunk, IntentMatch, SlotValue, Transcript, Utterance


class FakeSpeaker:
    """Records what would have been spoken."""

    def __init__(self) -> None:
        self.said: list[str] = []
        self.closed = False

    def say(self, text: str) -> None:
        self.said.append(text)

    def close(self) -> None:
        self.closed = True


# ---- engine, state and loop fakes --------------------------------------------


class FakeStateStore:
    """Keeps the saved state in memory; ``saves`` counts writes."""

    def __init__(self, data: dict[str, Any] | None = None) -> None:
        self.data = data
        self.saves = 0

    def load(self) -> dict[str, Any] | None:
        return self.data

    def save(self, data: dict[str, Any]) -> None:
        self.data = data
        self.saves += 1


class FakeClock:
    """A clock that only moves when told to."""

    def __init__(self, start: datetime) -> None:
        self.current = start

    def now(self) -> datetime:
        return self.current

    def advance(self, seconds: float) -> None:
        self.current += timedelta(seconds=seconds)


class FakeMatcher:
    """Matches exact texts from a table: text -> (intent, slots); honours the listening context
    and records each context it was asked in."""

    def __init__(self, table: Mapping[str, tuple[str, Mapping[str, SlotValue]]]) -> None:
        self.table = dict(table)
        self.contexts: list[frozenset[str] | None] = []

    def match(self, text: str, intents: frozenset[str] | None = None) -> IntentMatch | None:
        self.contexts.append(intents)
        found = self.table.get(text)
        if found is None or (intents is not None and found[0] not in intents):
            return None
        return IntentMatch(found[0], found[1])


# ---- speech fakes -------------------------------------------------------------


class FakeLiveSpeaker(FakeSpeaker):
    """A FakeSpeaker with the LiveSpeaker extras; the test sets ``is_speaking`` and
    ``speaking_until`` (monotonic seconds) and counts ``interrupts``."""

    def __init__(self) -> None:
        super().__init__()
        self.is_speaking = False
        self.speaking_until = 0.0
        self.interrupts = 0

    def interrupt(self) -> None:
        self.interrupts += 1
        self.is_speaking = False


# ---- microphone and hearing fakes (the listening thread) ----------------------

SILENCE = AudioChunk(16000, 2, 1, b"\0\0" * 480)  # 30 ms


class FakeTime:
    """Monotonic seconds that move only when something waits; sets ``stop`` at ``stop_at``,
    so a listener runs in the test's own thread and ends on the fake clock."""

    def __init__(self, stop_at: float = float("inf")) -> None:
        self.now = 100.0
        self.stop_at = 100.0 + stop_at
        self.stop = threading.Event()
        self.hooks: list[tuple[float, Any]] = []  # (time, callable): run once the clock passes it

    def monotonic(self) -> float:
        return self.now

    def pause(self, stop: threading.Event, seconds: float) -> None:
        self.advance(seconds)

    def advance(self, seconds: float) -> None:
        self.now += seconds
        for hook in [h for h in self.hooks if h[0] <= self.now]:
            self.hooks.remove(hook)
            hook[1]()
        if self.now >= self.stop_at:
            self.stop.set()


class FakeMic:
    """A microphone that plays a script: AudioChunks, None (nothing within the timeout),
    or an exception to raise; after the script it sends silence (or fails, if ``then``).
    Each read takes its time on ``clock``: a chunk its length, None the whole timeout."""

    def __init__(self, script: list[object] | None = None, then: Exception | None = None,
                 clock: FakeTime | None = None) -> None:
        self.script = list(script or [])
        self.then = then
        self.clock = clock
        self.closed = False
        self.reads = 0
        self.behind: list[float] = []  # what behind_s says at each read, then 0

    def behind_s(self) -> float:
        return self.behind.pop(0) if self.behind else 0.0

    def read(self, timeout_s: float) -> AudioChunk | None:
        self.reads += 1
        if self.script:
            item = self.script.pop(0)
        elif self.then is not None:
            raise self.then
        else:
            item = SILENCE
        if isinstance(item, Exception):
            raise item
        if self.clock is not None:
            self.clock.advance(timeout_s if item is None else item.duration_s)  # type: ignore[union-attr]
        return item  # type: ignore[return-value]

    def close(self) -> None:
        self.closed = True


class FakeMicFactory:
    """``open_mic`` for a Listener: each call takes the next entry (a FakeMic, or an
    exception to raise); when they run out it keeps raising the last exception."""

    def __init__(self, entries: list[object]) -> None:
        self.entries = list(entries)
        self.opened: list[FakeMic] = []
        self.calls = 0

    def __call__(self) -> FakeMic:
        self.calls += 1
        entry = self.entries.pop(0) if len(self.entries) > 1 else self.entries[0]
        if isinstance(entry, Exception):
            raise entry
        assert isinstance(entry, FakeMic)
        self.opened.append(entry)
        return entry


class FakeHearing:
    """Hears an utterance in any chunk whose samples start with ``b"say:"`` (a command unless
    the text is ``-``); counts resets and records the listening contexts it was given."""

    def __init__(self) -> None:
        self.fed = 0
        self.resets = 0
        self.contexts: list[frozenset[str]] = []
        self.hurries: list[bool] = []

    def hurry(self, on: bool) -> None:
        self.hurries.append(on)

    def feed(self, chunk: AudioChunk) -> Utterance | None:
        self.fed += 1
        if chunk.samples.startswith(b"say:"):
            text = chunk.samples[4:].rstrip(b"\0").decode()
            return Utterance(None if text == "-" else Transcript(text), chunk.timestamp_s)
        return None

    def flush(self) -> Utterance | None:
        return None

    def reset(self) -> None:
        self.resets += 1

    def listen_for(self, intents: frozenset[str]) -> None:
        self.contexts.append(intents)


def spoken(text: str) -> AudioChunk:
    """A 30 ms chunk that FakeHearing hears as ``text``."""
    data = b"say:" + text.encode()
    return AudioChunk(16000, 2, 1, data + b"\0" * (960 - len(data)))


def drain(q: queue.Queue[Any]) -> list[object]:
    items = []
    while True:
        try:
            items.append(q.get_nowait())
        except queue.Empty:
            return items


class FakeVosk:
    """Stands in for the ``vosk`` module: ``Model`` and ``KaldiRecognizer`` with its API.

    The recogniser "hears" the text in ``heard`` (one result), recording every
    grammar it was given and every block of audio fed to it.
    """

    def __init__(self, heard: str = "", fail_model: bool = False) -> None:
        self.heard = heard
        self.fail_model = fail_model
        self.grammars: list[str] = []
        self.fed_bytes = 0
        self.endpointer: tuple[float, float, float] | None = None
        fake = self

        class Model:
            def __init__(self, path: str) -> None:
                if fake.fail_model:
                    raise Exception("Failed to create a model")
                self.path = path

        class KaldiRecognizer:
            def __init__(self, model: Model, rate: float, grammar: str) -> None:
                fake.grammars.append(grammar)

            def SetWords(self, on: bool) -> None:
                pass

            def SetEndpointerDelays(self, start: float, end: float, most: float) -> None:
                fake.endpointer = (start, end, most)

            def AcceptWaveform(self, data: bytes) -> bool:
                fake.fed_bytes += len(data)
                return False

            def Result(self) -> str:
                return '{"text": ""}'

            def FinalResult(self) -> str:
                words = [{"word": w, "conf": 0.9} for w in fake.heard.split()]
                return json.dumps({"text": fake.heard, "result": words})

        self.Model = Model
        self.KaldiRecognizer = KaldiRecognizer
