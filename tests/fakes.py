"""Hand-written fakes for the side-effect interfaces (no mock.patch)."""

from __future__ import annotations


class FakeSpeaker:
    """Records what would have been spoken."""

    def __init__(self) -> None:
        self.said: list[str] = []
        self.closed = False

    def say(self, text: str) -> None:
        self.said.append(text)

    def close(self) -> None:
        self.closed = True
