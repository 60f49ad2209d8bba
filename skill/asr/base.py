"""The one interface both recognisers offer."""

from __future__ import annotations

from typing import Protocol

from skill.messages import AudioChunk, Transcript


class Recognizer(Protocol):
    """One utterance (16 kHz mono 16-bit) in; the command heard, or None.

    None means "no command was said": silence, noise, or speech that the
    grammar's rejection judged to be something else. ``name`` is logged.
    """

    name: str

    def recognize(self, utterance: AudioChunk) -> Transcript | None: ...

