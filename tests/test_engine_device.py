"""Device events are engine events: the engine alone decides what a lost microphone costs the room."""

from __future__ import annotations

from engine_kit import T0, Timeline, at, ids, shipped_decks

from skill.config import Settings
from skill.engine.persist import engine_from_dict, engine_to_dict
from skill.messages import MicBack, MicLost, SpeechEnded


def test_a_lost_microphone_is_said_once_per_run_and_its_return_silently() -> None:
    run = Timeline()
    assert ids(run.engine.handle(MicLost(), at(10))) == ["device.mic_lost"]
    assert run.engine.handle(MicBack(), at(20)) == []
    assert run.engine.handle(MicLost(), at(30)) == []  # the log has every loss; the room hears one


def test_no_notice_over_breathing_guidance_but_a_later_loss_is_said() -> None:
    run = Timeline()
    run.hear(0, "breathing.start")
    assert run.engine.is_breathing
    assert run.engine.handle(MicLost(), at(5)) == []
    run.run_until(30 * 60)
    assert not run.engine.is_breathing
    assert ids(run.engine.handle(MicLost(), at(30 * 60 + 1))) == ["device.mic_lost"]


def test_no_notice_while_muted_and_one_once_unmuted() -> None:
    run = Timeline()
    run.hear(0, "mute")
    assert run.engine.handle(MicLost(), at(5)) == []
    run.hear(10, "unmute")
    assert ids(run.engine.handle(MicLost(), at(15))) == ["device.mic_lost"]


def test_a_lost_microphone_keeps_the_break_running() -> None:
    run = Timeline()
    run.hear(0, "break.start")
    run.engine.handle(MicLost(), at(60))
    run.run_until(20 * 60)
    assert "break.return" in run.ids(20 * 60, 20 * 60)


def test_the_notice_is_per_run_not_saved() -> None:
    run = Timeline()
    run.engine.handle(MicLost(), at(10))
    again, _ = engine_from_dict(engine_to_dict(run.engine), at(20), Settings(), shipped_decks())
    assert ids(again.handle(MicLost(), at(30))) == ["device.mic_lost"]


def test_the_end_of_an_utterance_changes_nothing_yet() -> None:
    run = Timeline()
    run.hear(0, "break.start")
    before = engine_to_dict(run.engine)
    assert run.engine.handle(SpeechEnded(), T0) == []
    assert engine_to_dict(run.engine) == before
