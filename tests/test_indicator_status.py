"""The status LED on gpiozero's mock pins, and ``haven status`` from the saved state."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any, Iterator

import pytest
from engine_kit import Timeline, at, mmss

from skill.app.indicator import GpioIndicator, IndicatingStore, indicator_mode, make_indicator
from skill.app.loop import Loop
from skill.app.report import describe
from skill.cli import main
from skill.config import IndicatorSettings, Settings
from skill.engine.persist import engine_to_dict
from skill.errors import UserError
from skill.lines import LineBook, Renderer
from skill.messages import IntentMatch, Transcript

gpiozero = pytest.importorskip("gpiozero")
from gpiozero.pins.mock import MockFactory  # noqa: E402


@pytest.fixture
def factory() -> Iterator[Any]:
    pins = MockFactory()
    yield pins
    pins.close()


class MemoryStore:
    def __init__(self) -> None:
        self.data: dict[str, Any] | None = None

    def load(self) -> dict[str, Any] | None:
        return self.data

    def save(self, data: dict[str, Any]) -> None:
        self.data = data


class Clock:
    def __init__(self) -> None:
        self.t = 0.0

    def now(self) -> Any:
        return at(self.t)


class ByText:
    """A matcher for this test: the text is the intent."""

    def match(self, text: str, intents: frozenset[str] | None = None) -> IntentMatch | None:
        return IntentMatch(text)


def test_led_on_listening_off_muted_slow_blink_in_a_break(factory: Any) -> None:
    """Driven by the live loop through the state it saves, as ``haven run`` wires it."""
    led = GpioIndicator(17, pin_factory=factory)
    pin = factory.pin(17)
    run = Timeline()
    store = IndicatingStore(MemoryStore(), led)
    clock = Clock()
    loop = Loop(run.engine, ByText(), Renderer(LineBook.from_files()), clock, store=store)
    store.load()
    assert pin.state is True and led.mode == "listening"
    pin.clear_states()
    loop.hear(Transcript("break.start"))
    assert led.mode == "break"
    time.sleep(2.5)  # the blink runs in gpiozero's own thread: on 1 s, off 1 s
    # A mock pin records each change with the time since the one before.
    changes = [(s.timestamp, s.state) for s in pin.states][1:]
    assert [state for _, state in changes] in ([False, True], [True, False], [False, True, False],
                                              [True, False, True]), changes  # it blinks
    assert all(0.8 <= gap <= 1.3 for gap, _ in changes[1:]), changes  # slowly: a second each
    clock.t = 60
    loop.hear(Transcript("mute"))
    assert led.mode == "muted"
    time.sleep(0.1)
    assert pin.state is False
    clock.t = 120
    loop.hear(Transcript("unmute"))
    assert led.mode == "break"  # the break still runs
    led.close()


def test_led_mode_follows_the_saved_state() -> None:
    run = Timeline()
    assert indicator_mode(engine_to_dict(run.engine)) == "listening"
    run.hear(0, "break.start")
    assert indicator_mode(engine_to_dict(run.engine)) == "break"
    run.hear(10, "mute")
    assert indicator_mode(engine_to_dict(run.engine)) == "muted"
    assert indicator_mode(None) == "listening"


def test_no_pin_means_no_led_and_a_bad_pin_is_one_sentence(factory: Any) -> None:
    assert make_indicator(IndicatorSettings()) is None
    assert IndicatorSettings(gpio_pin=40).validate() != []
    led = make_indicator(IndicatorSettings(gpio_pin=18), pin_factory=factory)
    assert led is not None
    with pytest.raises(UserError, match="indicator.gpio_pin = 18"):
        make_indicator(IndicatorSettings(gpio_pin=18), pin_factory=factory)  # pin already in use
    led.close()


def test_status_reports_the_break_and_its_return_time() -> None:
    run = Timeline()
    run.hear(0, "break.start")
    report = describe(engine_to_dict(run.engine), at(mmss(5)), Settings(), run.engine.decks)
    assert report.listening and report.break_running and report.break_left == "15 minutes"
    assert report.break_returns_at == at(mmss(20)).isoformat()
    text = report.lines(local_time=False)
    assert text == ["listening", "break: running, back together at 8:20 (15 minutes left)",
                    "check-in: none"]


def test_status_reports_muted_and_the_check_in() -> None:
    run = Timeline()
    run.hear(0, "checkin.start")
    run.hear(10, "mute")
    report = describe(engine_to_dict(run.engine), at(20), Settings(), run.engine.decks)
    assert not report.listening and report.checkin_question == 1
    assert report.lines()[0].startswith("muted")
    assert report.lines()[2].startswith("check-in: ")


def test_haven_status_cli_reads_the_state_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run = Timeline()
    run.hear(0, "mute")
    state = tmp_path / "state.json"
    state.write_text(json.dumps(engine_to_dict(run.engine)))
    assert main(["status", "--json", "--state", str(state)]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["listening"] is False and out["break_running"] is False
    assert main(["status", "--state", str(tmp_path / "none.json")]) == 0
    assert capsys.readouterr().out.splitlines() == ["listening", "break: none", "check-in: none"]
