"""The printing speaker, and the base of every speaker that renders audio.

A rendering speaker turns a line into 16-bit audio (``render``), then plays it
on its ``Player``. With no usable output device it prints lines instead, after
one warning, and Haven goes on; the device is tried again every
``OUTPUT_RETRY_S``, so speech comes back with the device (a sound server
restarted, a USB speaker plugged in again).
"""

from __future__ import annotations

import itertools
import logging
import sys
import threading
import time
from abc import ABC, abstractmethod
from pathlib import Path
from typing import Iterator, TextIO

from skill.messages import AudioChunk
from skill.speech.audio import write_wav
from skill.speech.base import SpeechError
from skill.speech.playback import NoOutputDevice, Player

logger = logging.getLogger(__name__)

OUTPUT_RETRY_S = 2.0


class PrintSpeaker:
    """Prints each line (``--voice none``, or no audio output)."""

    name = "none"

    def __init__(self, stream: TextIO | None = None) -> None:
        self._stream = stream
        self._until = 0.0

    @property
    def is_speaking(self) -> bool:
        return False

    @property
    def speaking_until(self) -> float:
        return self._until

    def say(self, text: str) -> None:
        stream = self._stream or sys.stdout  # looked up late, so redirection works
        stream.write(text + "\n")
        stream.flush()
        self._until = time.monotonic()

    def interrupt(self) -> None:
        """Nothing to cut: a printed line is done at once."""

    def close(self) -> None:
        """Nothing to release."""


class RenderingSpeaker(ABC):
    """Renders lines to audio and plays them; subclasses supply ``render``."""

    name = "audio"

    def __init__(
        self, player: Player | None = None, fallback: PrintSpeaker | None = None
    ) -> None:
        self._player: Player | None = player or Player()
        self._fallback = fallback or PrintSpeaker()
        self._interrupted = threading.Event()
        self._lost_at: float | None = None  # when the output device last failed

    @abstractmethod
    def render(self, text: str) -> AudioChunk:
        """The line as 16-bit mono audio; raise ``SpeechError`` on failure."""

    def render_parts(self, text: str) -> Iterator[AudioChunk]:
        """The line in pieces (sentences, where the voice can), so playing starts sooner."""
        yield self.render(text)

    def save(self, text: str, path: Path) -> AudioChunk:
        """Render ``text`` into the 16-bit WAV file ``path``; return the audio."""
        chunk = self.render(text)
        write_wav(path, chunk)
        return chunk

    @property
    def is_speaking(self) -> bool:
        return self._player is not None and self._player.is_playing

    @property
    def speaking_until(self) -> float:
        if self._player is None:
            return self._fallback.speaking_until
        return max(self._player.playing_until, self._fallback.speaking_until)

    def say(self, text: str) -> None:
        """Speak ``text``; a failed line is logged and dropped, never raised."""
        text = text.strip()
        if not text:
            return
        self._interrupted.clear()
        player = self._usable_player()
        if player is None:
            self._fallback.say(text)
            return
        parts = self.render_parts(text)
        try:
            first = next(parts, None)
        except SpeechError as exc:
            logger.warning("could not speak %r: %s", text, exc)
            return
        if first is not None and not self._interrupted.is_set():
            self._play(player, itertools.chain([first], parts), text)

    def interrupt(self) -> None:
        self._interrupted.set()
        if self._player is not None:
            self._player.interrupt()

    def close(self) -> None:
        self.interrupt()

    def _usable_player(self) -> Player | None:
        """The player, unless its device failed less than ``OUTPUT_RETRY_S`` ago or is still gone."""
        player = self._player
        if player is None:
            return None
        if self._lost_at is not None and time.monotonic() - self._lost_at < OUTPUT_RETRY_S:
            return None
        try:
            player.check_device()
        except NoOutputDevice as exc:
            self._device_lost(player, exc)
            return None
        if self._lost_at is not None:
            logger.warning("audio output is back; speaking again")
            self._lost_at = None
        return player

    def _play(self, player: Player, parts: Iterator[AudioChunk], text: str) -> None:
        try:
            player.play_parts(parts)
        except NoOutputDevice as exc:
            self._device_lost(player, exc)
            self._fallback.say(text)

    def _device_lost(self, player: Player, exc: NoOutputDevice) -> None:
        player.forget_device()
        if self._lost_at is None:
            logger.warning("%s; printing lines instead of speaking them until it is back", exc)
        self._lost_at = time.monotonic()
