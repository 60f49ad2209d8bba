"""Audio stream in, utterances out: the segmenter and the recogniser, in the engine's context.

The hearing is fed in the thread that reads the audio (the listener thread
under ``haven run``), while the listening context changes in the loop's
thread. ``listen_for`` therefore only records the new context under a lock;
the feeding thread hands it to the recogniser with the next block of audio
(and again before a decode), so a recogniser is never reconfigured in the
middle of a decode, and builds what the context needs before the next
utterance ends rather than after it.
"""

from __future__ import annotations

import logging
import threading

from skill.asr.base import Recognizer
from skill.audio.vad import VadSegmenter, VadSettings, speech_span
from skill.config import ListenSettings
from skill.messages import AudioChunk, Transcript, Utterance

log = logging.getLogger(__name__)


class Hearing:
    """feed(chunk) -> an Utterance when the segmenter closes one (with the command heard, if any)."""

    def __init__(self, segmenter: VadSegmenter, recognizer: Recognizer) -> None:
        self.segmenter = segmenter
        self.recognizer = recognizer
        self._lock = threading.Lock()
        self._context: frozenset[str] | None = None  # a context not yet handed to the recogniser

    def listen_for(self, intents: frozenset[str]) -> None:
        """From any thread: the intents the engine acts on now (applied before the next decode)."""
        with self._lock:
            self._context = intents

    def hurry(self, on: bool) -> None:
        """From the listening thread: the recogniser skips its costly passes while it runs
        behind the room (a recogniser without them ignores this)."""
        forward = getattr(self.recognizer, "hurry", None)
        if forward is not None:
            forward(on)

    def feed(self, chunk: AudioChunk) -> Utterance | None:
        self._apply_context()  # now, while the room may still be hearing Haven's reply
        audio = self.segmenter.feed(chunk)
        return self._recognize(audio) if audio is not None else None

    def flush(self) -> Utterance | None:
        """End of input: the utterance in progress, if any."""
        audio = self.segmenter.flush()
        return self._recognize(audio) if audio is not None else None

    def reset(self) -> None:
        self.segmenter.reset()

    def _recognize(self, audio: AudioChunk) -> Utterance:
        self._apply_context()
        transcript = self.recognizer.recognize(audio)
        return Utterance(transcript, audio.timestamp_s + audio.duration_s)

    def _apply_context(self) -> None:
        with self._lock:
            context, self._context = self._context, None
        forward = getattr(self.recognizer, "listen_for", None)
        if context is not None and forward is not None:
            forward(context)


def segmenter_settings(listen: ListenSettings) -> VadSettings:
    """The live loop's segmenter timings (``haven run``, ``haven simulate --audio``, and
    ``haven recognize`` on a long recording)."""
    return VadSettings(trailing_silence_seconds=listen.trailing_silence_seconds,
                       max_utterance_seconds=listen.max_utterance_seconds)


def make_hearing(listen: ListenSettings, choice: str | None = None) -> Hearing:
    """The segmenter from ``listen``'s timings and the chosen recogniser."""
    from skill.asr.factory import make_recognizer

    vad = segmenter_settings(listen)
    recognizer = make_recognizer(listen, choice)
    prepare = getattr(recognizer, "prepare", None)
    if prepare is not None:  # the states' searches now, not at their first utterance (~2 s each)
        from skill.engine.contexts import prepared_contexts

        prepare(prepared_contexts())
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
