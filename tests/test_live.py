"""The live pieces with fakes: echo gate, listener faults and recovery, stopping."""

from __future__ import annotations

import os
import queue
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from engine_kit import T0, shipped_decks
from fakes import (
    FakeClock,
    FakeHearing,
    FakeLiveSpeaker,
    FakeMatcher,
    FakeMic,
    FakeMicFactory,
    FakeStateStore,
    drain,
    spoken,
)

from skill.app.echo import EchoGate
from skill.app.listen import Item, Listener, MicUnavailable
from skill.app.loop import LiveLoop
from skill.config import Settings
from skill.engine import Engine
from skill.lines import LineBook, Renderer
from skill.messages import Say, Transcript

ROOT = Path(__file__).resolve().parents[1]


class Monotonic:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_the_gate_is_shut_while_speaking_and_for_the_tail() -> None:
    voice, clock = FakeLiveSpeaker(), Monotonic()
    busy = [False]
    gate = EchoGate(voice, tail_s=0.4, busy=lambda: busy[0], monotonic=clock)
    assert gate.is_open()
    busy[0] = True  # the loop is rendering a line
    assert not gate.is_open()
    busy[0], voice.is_speaking, voice.speaking_until = False, True, 103.0
    assert not gate.is_open()
    voice.is_speaking, clock.now = False, 103.0
    assert not gate.is_open()
    assert not gate.is_open(at=103.3)
    assert gate.is_open(at=103.4)
    clock.now = 103.5
    assert gate.is_open()


def listener(factory: FakeMicFactory, gate: EchoGate | None = None, **kw: object) -> tuple[
    Listener, FakeHearing, queue.Queue[Item], list[str]
]:
    hearing, out, states = FakeHearing(), queue.Queue(), []  # type: ignore[var-annotated]
    gate = gate or EchoGate(None, 0.0)
    options = {"retry_s": (0.01,), "stall_s": 0.2, "first_audio_s": 0.3, **kw}
    made = Listener(factory, hearing, gate, out, states.append, **options)  # type: ignore[arg-type]
    return made, hearing, out, states


def run_for(made: Listener, seconds: float) -> None:
    stop = threading.Event()
    thread = threading.Thread(target=made.run, args=(stop,))
    thread.start()
    time.sleep(seconds)
    stop.set()
    thread.join(2)
    assert not thread.is_alive(), "the listener did not stop"


def test_no_microphone_at_start_is_reported_once_then_found(caplog: pytest.LogCaptureFixture) -> None:
    missing = MicUnavailable("the default microphone is not available")
    factory = FakeMicFactory([missing] * 5 + [FakeMic([spoken("start check in")])])
    made, hearing, out, states = listener(factory)
    run_for(made, 0.4)
    assert factory.calls == 6
    assert drain(out) == [Transcript("start check in")]  # none at start: logged, not said
    assert caplog.text.count("not available") == 1
    assert "microphone is back" in caplog.text
    assert states[0] == "no microphone" and states[-1] == "listening"


def test_a_microphone_lost_mid_run_is_reopened_and_heard_again(caplog: pytest.LogCaptureFixture) -> None:
    broken = MicUnavailable("the microphone stream stopped")
    first = FakeMic([spoken("stop")], then=broken)
    second = FakeMic([spoken("we need a break")])
    factory = FakeMicFactory([first, broken, broken, second])
    made, hearing, out, states = listener(factory)
    run_for(made, 0.3)
    assert first.closed and factory.opened == [first, second]
    assert drain(out) == [Transcript("stop"), Say("device.mic_lost"), Transcript("we need a break")]
    assert caplog.text.count("stream stopped") == 1 and made.losses == 1


def test_a_silent_stream_counts_as_lost_and_a_loss_after_hearing_is_said() -> None:
    silent = [FakeMic([None] * 100), FakeMic([spoken("next")] + [None] * 100)]
    factory = FakeMicFactory([silent[0], silent[1], FakeMic()])
    made, hearing, out, states = listener(factory, first_audio_s=0.1, stall_s=0.1)
    run_for(made, 1.0)
    assert all(m.closed for m in silent) and made.losses == 2
    assert drain(out) == [Transcript("next"), Say("device.mic_lost")]


def test_audio_is_not_heard_while_haven_speaks_and_a_cut_utterance_is_dropped() -> None:
    voice, clock = FakeLiveSpeaker(), Monotonic()
    gate = EchoGate(voice, tail_s=0.0)
    voice.is_speaking = True
    voice.speaking_until = time.monotonic() + 60
    made, hearing, out, states = listener(FakeMicFactory([FakeMic([spoken("stop")] * 3)]), gate)
    run_for(made, 0.1)
    assert drain(out) == [] and hearing.fed == 0

    voice.is_speaking, voice.speaking_until = False, 0.0
    mic = FakeMic([spoken("next")])
    made, hearing, out, states = listener(FakeMicFactory([mic]), gate)
    stop = threading.Event()
    thread = threading.Thread(target=made.run, args=(stop,))
    thread.start()
    time.sleep(0.05)
    voice.is_speaking = True  # Haven starts a line: half-heard audio is dropped
    time.sleep(0.05)
    stop.set()
    thread.join(2)
    assert drain(out) == [Transcript("next")]
    assert hearing.resets >= 1 and states[-1] == "speaking"


def make_loop(speaker: FakeLiveSpeaker) -> LiveLoop:
    engine = Engine(Settings(), shipped_decks())
    matcher = FakeMatcher({"start check in": ("checkin.start", {})})
    return LiveLoop(
        engine, matcher, Renderer(LineBook.from_files(), random.Random(0)), FakeClock(T0),
        speaker=speaker, store=FakeStateStore(),
    )


class SlowSpeaker(FakeLiveSpeaker):
    def say(self, text: str) -> None:
        super().say(text)
        time.sleep(0.2)


def test_stop_cuts_the_line_and_says_nothing_more() -> None:
    speaker = SlowSpeaker()
    loop = make_loop(speaker)
    transcripts: queue.Queue[Item] = queue.Queue()
    transcripts.put(Transcript("start check in"))  # an intro, then the first question
    threading.Timer(0.1, loop.stop).start()
    loop.run(transcripts)
    assert len(speaker.said) == 1 and speaker.interrupts == 1


def test_a_notice_on_the_queue_is_said() -> None:
    speaker = FakeLiveSpeaker()
    loop = make_loop(speaker)
    transcripts: queue.Queue[Item] = queue.Queue()
    for item in (Say("device.mic_lost"), None):
        transcripts.put(item)
    loop.run(transcripts)
    assert len(speaker.said) == 1 and "microphone" in speaker.said[0]


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_a_signal_ends_haven_run_at_once_with_state_saved(sig: int, tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "HAVEN_STATE_DIR": str(tmp_path / "state")}
    run = subprocess.Popen(
        [sys.executable, "-m", "skill", "run", "--text", "--voice", "none"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
    )
    assert run.stdin is not None and run.stdout is not None
    run.stdin.write("we need a break\n")
    run.stdin.flush()
    assert "haven:" in run.stdout.readline()
    start = time.monotonic()
    run.send_signal(sig)
    out, err = run.communicate(timeout=10)
    assert run.returncode == 0 and time.monotonic() - start < 2.0
    assert "Traceback" not in err
    assert '"state": "break"' in (tmp_path / "state" / "state.json").read_text()
