"""A recording as a microphone: ``haven run --input FILE`` hears it through the live listener."""

from __future__ import annotations

import threading
from pathlib import Path

from skill.app.listen import InputEnded, MonoClock, RealTime
from skill.audio.wav import AudioFile
from skill.messages import AudioChunk


class RecordingSource:
    """30 ms chunks of ``path`` (any WAV or FLAC), paced as the room would deliver them when
    ``paced``; then ``InputEnded``. Offers the microphone's ``read`` / ``close``."""

    def __init__(self, path: Path | str, paced: bool = True, clock: MonoClock | None = None) -> None:
        self.audio = AudioFile(path)
        self._chunks = self.audio.chunks()  # the listener flushes the segmenter at the end
        self.paced = paced
        self.clock = clock or RealTime()
        self._started = self.clock.monotonic()
        self._never = threading.Event()  # a pause is one chunk long; the listener checks its stop between
        self._heard_to = 0.0  # the end of the last chunk read, in the recording's time

    def read(self, timeout_s: float) -> AudioChunk | None:
        chunk = next(self._chunks, None)
        if chunk is None:
            raise InputEnded()
        self._heard_to = chunk.timestamp_s + chunk.duration_s
        if self.paced:
            due = self._heard_to - (self.clock.monotonic() - self._started)
            if due > 0:
                self.clock.pause(self._never, due)
        return chunk

    def behind_s(self) -> float:
        """Paced: how much of the recording the room has "said" that is not yet read;
        unpaced, nothing is ever late."""
        if not self.paced:
            return 0.0
        return max(0.0, self.clock.monotonic() - self._started - self._heard_to)

    def close(self) -> None:
        self.audio.close()
