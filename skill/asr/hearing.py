"""Audio stream in, transcripts out: segmenter + recogniser, and the WAV producer for the loop."""

from __future__ import annotations

import logging
import queue
from pathlib import Path
from typing import Any

from skill.asr.base import Recognizer
from skill.audio.vad import VadSegmenter, VadSettings, speech_span
from skill.audio.wav import WavSource
from skill.config import ListenSettings
from skill.messages import AudioChunk, Transcript

log = logging.getLogger(__name__)


class Hearing:
    """feed(chunk) -> a Transcript when an utterance ends and holds a command."""

    def __init__(self, segmenter: VadSegmenter, recognizer: Recognizer) -> None:
        self.segmenter = segmenter
        self.recognizer = recognizer

    def feed(self, chunk: AudioChunk) -> Transcript | None:
        utterance = self.segmenter.feed(chunk)
        return self.recognizer.recognize(utterance) if utterance is not None else None

    def flush(self) -> Transcript | None:
        utterance = self.segmenter.flush()
        return self.recognizer.recognize(utterance) if utterance is not None else None

    def reset(self) -> None:
        self.segmenter.reset()


def make_hearing(listen: ListenSettings, choice: str | None = None) -> Hearing:
    """The segmenter from ``listen``'s timings and the chosen recogniser."""
    from skill.asr.factory import make_recognizer

    vad = VadSettings(trailing_silence_seconds=listen.trailing_silence_seconds,
                      max_utterance_seconds=listen.max_utterance_seconds)
    recognizer = make_recognizer(listen, choice)
    prepare = getattr(recognizer, "prepare", None)
    if prepare is not None:  # the states' searches now, not at their first utterance (~2 s each)
        from skill.engine.contexts import CONTEXTS

        prepare(set(CONTEXTS.values()))
    return Hearing(VadSegmenter(vad), recognizer)


def hear_recording(audio: AudioChunk, recognizer: Recognizer) -> Transcript | None:
    """A recording of one utterance, as ``haven recognize`` hears it.

    Only the span the live loop would hear is decoded (``speech_span``, with
    the segmenter's default 0.6 s of trailing silence: the live loop's shorter
    default buys latency, which a file does not need). The silence around it
    is a third of the dev corpus's audio and costs decoding time; on the
    generated tune slice, cutting it found as many commands or more in every
    room, and false accepts went from 43 to 41 of 1368.
    """
    return recognizer.recognize(speech_span(audio, VadSettings()))


def transcripts_from_wav(path: Path | str, hearing: Hearing, out: queue.Queue[Any],
                         realtime: bool = True) -> None:
    """Producer for the live loop: the file as if heard in the room, then ``None``."""
    source = WavSource(path, realtime=realtime)
    try:
        for chunk in source.chunks():
            transcript = hearing.feed(chunk)
            if transcript is not None:
                log.info("heard a command in the file")
                out.put(transcript)
        transcript = hearing.flush()
        if transcript is not None:
            out.put(transcript)
    finally:
        source.close()
        out.put(None)
