"""The hearing hands the engine's context to the recogniser from the feeding thread."""

from __future__ import annotations

from pathlib import Path

import pytest

from skill.asr.hearing import Hearing
from skill.audio.vad import VadSegmenter, VadSettings
from skill.audio.wav import read_wav, split_chunks
from skill.cli.recognize import _heard
from skill.config import ListenSettings
from skill.messages import AudioChunk, Transcript

DEV = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "dev"


class RecordingRecognizer:
    """Hears nothing; records what it was told, in order."""

    name = "recording"

    def __init__(self) -> None:
        self.calls: list[tuple[str, object]] = []

    def listen_for(self, intents: frozenset[str]) -> None:
        self.calls.append(("listen_for", intents))

    def recognize(self, utterance: AudioChunk) -> Transcript | None:
        self.calls.append(("recognize", len(utterance.samples)))
        return None

    def intent_names(self) -> list[str]:
        return []


def silence(seconds: float) -> AudioChunk:
    return AudioChunk(16000, 2, 1, bytes(int(32000 * seconds)))


def test_a_new_context_reaches_the_recogniser_with_the_next_block_not_the_next_utterance() -> None:
    recognizer = RecordingRecognizer()
    hearing = Hearing(VadSegmenter(VadSettings()), recognizer)
    hearing.listen_for(frozenset({"break.resume"}))
    assert recognizer.calls == []  # only recorded: the recogniser is the feeding thread's
    assert hearing.feed(silence(0.03)) is None  # no utterance closed
    # The recogniser builds what the context needs now, while Haven may still be speaking,
    # not once the next utterance has ended (skill.asr.sphinx: a rebuild of its searches).
    assert recognizer.calls == [("listen_for", frozenset({"break.resume"}))]
    hearing.feed(silence(0.03))
    assert len(recognizer.calls) == 1  # handed over once


@pytest.mark.skipif(not DEV.exists(), reason=f"the dev corpus is not at {DEV}")
def test_haven_recognize_cuts_a_long_recording_with_the_live_loops_timings() -> None:
    # Two commands a second apart: two utterances for the live loop's 0.5 s of trailing
    # silence, one for 3 s. ``haven recognize`` on a long recording must cut as ``haven run``
    # and ``haven simulate --audio`` do (it used the segmenter's own 0.6 s before).
    said = read_wav(DEV / "000-piper-clean.wav").samples
    stream = AudioChunk(16000, 2, 1, said + silence(1.0).samples + said + silence(1.0).samples)
    cut = {}
    for trailing in (0.5, 3.0):
        recognizer = RecordingRecognizer()
        blocks = ((False, block) for block in split_chunks(stream))
        cut[trailing] = len(list(_heard(blocks, recognizer, ListenSettings(trailing_silence_seconds=trailing))))
    assert cut == {0.5: 2, 3.0: 1}
