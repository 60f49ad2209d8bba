"""The one interface every speech output implements."""

from __future__ import annotations

from typing import Protocol


class Speaker(Protocol):
    """Speaks text aloud. ``say`` blocks until the line is done (or timed out)."""

    def say(self, text: str) -> None: ...

    def close(self) -> None: ...
