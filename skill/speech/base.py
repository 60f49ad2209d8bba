"""The one interface every speech output implements."""

from __future__ import annotations

from typing import Protocol


class SpeechError(Exception):
    """A line could not be rendered (backend failed, hung or died); one sentence."""


class Speaker(Protocol):
    """Speaks text aloud. ``say`` blocks until the line is done (or timed out)."""

    def say(self, text: str) -> None: ...

    def close(self) -> None: ...


class LiveSpeaker(Speaker, Protocol):
    """A speaker the live loop can watch and cut short.

    Haven must not act on what its microphone hears while it is talking, and
    "stop" must cut a long line: hence ``is_speaking``, ``speaking_until`` and
    an ``interrupt`` that is safe to call from another thread.
    """

    @property
    def is_speaking(self) -> bool:
        """True while a line is being played."""
        ...

    @property
    def speaking_until(self) -> float:
        """``time.monotonic()`` seconds when the current line will end (while
        speaking) or when the last one ended; 0.0 before the first line."""
        ...

    def interrupt(self) -> None:
        """Stop the line in progress (and drop one still being rendered)."""
        ...
