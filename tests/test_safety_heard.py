"""Asking for help out loud, spoken by the natural voice: heard in a noisy room, and not made up.

In a noisy room the second look refused "please call nine one one" because "please" is a skip
word, though that sentence spells it out (``verdict.Context.written``). Making ``safety.call`` a
readier intent too heard "call nine one one" in quiet rooms, but turned "We need a break." said
while muted (or without a required name) into "we need the police", so it was not kept
(docs/listening.md, stop 18). So a quiet room now looks again for the asking-to-call sentences
that hold "call" (or phone, dial, ring) only, at the usual score (``SecondLook.quiet_looks_for``,
stop 20): "call nine one one" is heard, "We need a break." while muted is still no call.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

import pytest
from acoustics import floats, pcm, with_pink_noise
from test_asr_contexts import say  # noqa: F401  (the piper voice with no random variation)

from skill.app.parts import load_matcher, match_heard
from skill.audio.denoise import load_denoiser
from skill.audio.dereverb import loud_room
from skill.engine.common import State
from skill.engine.contexts import CONTEXTS, MUTED
from skill.messages import AudioChunk
from skill.nlu.templates import load_intents

pytestmark = pytest.mark.slow


def test_we_need_a_break_said_while_muted_is_not_a_call_for_help(say: Callable[[str], AudioChunk]) -> None:
    from skill.asr.sphinx import SphinxRecognizer

    recognizer = SphinxRecognizer(load_intents())
    recognizer.listen_for(MUTED)
    heard = recognizer.recognize(say("We need a break."))
    assert heard is None or match_heard(load_matcher(), heard, MUTED)[1] is None, recognizer.last_verdict


def test_please_in_please_call_nine_one_one_is_not_padding_in_a_noisy_room(say: Callable[[str], AudioChunk]) -> None:
    from skill.asr.sphinx import SphinxRecognizer

    clean = say("please call nine one one")  # no random variation: the same audio every run
    recognizer = SphinxRecognizer(load_intents(), denoise=loud_room(load_denoiser()))
    recognizer.listen_for(CONTEXTS[State.IDLE])
    matcher = load_matcher()
    heard = []
    for seed in range(1, 8):  # pink noise at 12 dB, seven draws
        noisy = dataclasses.replace(clean, samples=pcm(with_pink_noise(floats(clean.samples), 12.0, seed=seed)))
        transcript = recognizer.recognize(noisy)
        verdict = recognizer.last_verdict
        assert verdict is not None and verdict.details.get("padding", 0.0) == 0.0, verdict
        found = match_heard(matcher, transcript, CONTEXTS[State.IDLE])[1] if transcript else None
        heard.append(found.intent if found else None)
    # Refused for its "please" before (0 of these 7); none is heard as anything else.
    assert heard.count("safety.call") >= 2 and set(heard) <= {"safety.call", None}, heard


def test_call_nine_one_one_in_a_quiet_room_is_heard(say: Callable[[str], AudioChunk]) -> None:
    from skill.asr.sphinx import SphinxRecognizer

    recognizer = SphinxRecognizer(load_intents())
    recognizer.listen_for(CONTEXTS[State.IDLE])
    heard = recognizer.recognize(say("call nine one one"))  # the loop alone: "call mind one one"
    found = match_heard(load_matcher(), heard, CONTEXTS[State.IDLE])[1] if heard else None
    assert found is not None and found.intent == "safety.call", recognizer.last_verdict
