"""The silence check: its deficit from paths written out by hand, then the real recogniser on joined speech."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from conftest import DEV_CORPUS as DEV, dev_manifest

from skill.asr.second_look import Segment
from skill.asr.silence_check import silence_deficit, silent_frames
from skill.audio.vad import VadSettings, speech_span
from skill.audio.wav import read_wav
from skill.messages import AudioChunk
from skill.nlu.templates import load_intents

needs_dev = pytest.mark.skipif(not dev_manifest(), reason=f"the dev corpus is not at {DEV}")


def path(*words: tuple[str, int, int, float]) -> list[Segment]:
    return [Segment(w, start, end, score) for w, start, end, score in words]


PHONES = path(("SIL", 0, 9, -50.0), ("W", 10, 19, -200.0), ("IY", 20, 39, -300.0),
              ("SIL", 40, 49, -50.0))


def test_the_deficit_counts_only_the_command_paths_silences() -> None:
    command = path(("<sil>", 0, 9, -80.0), ("we", 10, 39, -900.0), ("</s>", 40, 49, -70.0))
    # silences: (-50 - -80) + (-50 - -70) = 50 over 20 frames; the word's deficit is not counted
    assert silence_deficit(command, PHONES, 50) == pytest.approx(2.5)


def test_silence_laid_over_speech_shows_as_a_large_deficit() -> None:
    command = path(("<sil>", 0, 39, -2000.0), ("</s>", 40, 49, -50.0))
    # the phone loop explains frames 0-39 with -550; the silence model with -2000
    assert silence_deficit(command, PHONES, 50) == pytest.approx(1450 / 50)


def test_a_path_without_silence_has_no_deficit() -> None:
    assert silence_deficit(path(("we", 0, 49, -600.0)), PHONES, 50) == 0.0


def _span(text: str, voice: str = "piper-clean") -> AudioChunk:
    row = next(r for r in dev_manifest() if r["condition"] == voice and r["text"] == text)
    return speech_span(read_wav(DEV / str(row["file"])), VadSettings())


def test_silent_frames_counts_every_kind_of_silence() -> None:
    command = path(("<s>", 0, 4, -1.0), ("we", 5, 9, -1.0), ("<sil>", 10, 12, -1.0), ("</s>", 13, 19, -1.0))
    assert silent_frames(command) == 5 + 3 + 7


@needs_dev
def test_speech_a_command_path_calls_silence_is_not_let_through() -> None:
    from skill.asr.sphinx import SphinxRecognizer, SphinxSettings

    # A command, then two seconds of speech played backwards: sounds, but no words.
    command = _span("how much time is left")
    babble = np.frombuffer(_span("we need to talk about your mother").samples, dtype=np.int16)[::-1]
    heard = replace(command, samples=command.samples + babble.tobytes())
    # The whole utterance, as one command path: its "silence" covers the babble, so it is refused.
    recognizer = SphinxRecognizer(load_intents(), SphinxSettings(pieces=None))
    said = recognizer.recognize(command)
    assert said is not None and said.text == "how much time is left"
    assert recognizer.recognize(heard) is None
    assert recognizer.last_verdict is not None and "silence check" in recognizer.last_verdict.why


@needs_dev
def test_dev_utterances_are_heard_the_same_with_every_command_checked() -> None:
    from skill.asr.sphinx import SphinxRecognizer, SphinxSettings

    # Every command checked, however little silence its path holds.
    checked = SphinxRecognizer(load_intents(), SphinxSettings(checked_silence_s=0.0))
    unchecked = SphinxRecognizer(load_intents(), SphinxSettings(max_silence_deficit=None))
    rows = [r for r in dev_manifest() if r["condition"] in ("piper-clean", "espeak-clean")]
    assert len(rows) >= 50
    for row in rows:
        heard = read_wav(DEV / str(row["file"]))
        with_check, without = checked.recognize(heard), unchecked.recognize(heard)
        assert (with_check and with_check.text) == (without and without.text), row["text"]
