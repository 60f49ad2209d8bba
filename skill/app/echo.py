"""Haven's own voice: the microphone is deaf to it.

Haven shares the room with its microphone, and its lines are full of command
words ("say stop to end the break"). The gate closes while a line plays and
for ``tail_s`` after it (the room's echo and the input's buffering), so the
recogniser never hears a line; any half-heard utterance is dropped when the
gate closes. "Stop" during a long line is heard once the line ends (barge-in
was measured and left out: ``docs/barge-in.md``).

The gate's time is a parameter: the monotonic clock under ``haven run``,
seconds of simulated time under ``haven simulate --audio``.
"""

from __future__ import annotations

import time
from typing import Callable, Protocol


class Voice(Protocol):
    """What the gate needs to know of the speaker (``LiveSpeaker`` has it)."""

    @property
    def is_speaking(self) -> bool: ...

    @property
    def speaking_until(self) -> float: ...


class EchoGate:
    """Open when the microphone may be heard: not speaking, and ``tail_s`` past the last line."""

    def __init__(
        self,
        voice: Voice | None,
        tail_s: float,
        busy: Callable[[], bool] = lambda: False,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.voice = voice
        self.tail_s = tail_s
        self._busy = busy  # the loop is saying lines (rendering comes before playing)
        self._monotonic = monotonic

    def is_open(self, at: float | None = None) -> bool:
        """True if audio captured at monotonic time ``at`` (default: now) may be heard."""
        if self.voice is None:
            return True
        if self._busy() or self.voice.is_speaking:
            return False
        at = self._monotonic() if at is None else at
        return at >= self.voice.speaking_until + self.tail_s
