"""The hearing hands the engine's context to the recogniser from the feeding thread."""

from __future__ import annotations

from skill.asr.hearing import Hearing
from skill.audio.vad import VadSegmenter, VadSettings
from skill.messages import AudioChunk, Transcript


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
