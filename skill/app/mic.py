"""A microphone that can fail and be opened again: sounddevice input as ``AudioChunk``s.

PortAudio calls back on its own thread; the callback only copies the block
onto a queue, and ``read`` takes it off. Every way a device can be missing or
break (PortAudio absent, no input device, a stream that cannot open, a stream
that reports an error) becomes ``MicUnavailable`` with one sentence, which the
listener answers by closing and opening again later.
"""

from __future__ import annotations

import logging
import queue
import time
from typing import Any

from skill.app.listen import MicUnavailable
from skill.audio.convert import ChunkConverter
from skill.messages import AudioChunk
from skill.speech.playback import PORTAUDIO_LOCK, Device, parse_device

log = logging.getLogger(__name__)

RATE = 16000  # what the recognisers want
BLOCK_S = 0.03  # 30 ms: the VAD's frame, and a fine grain for the echo gate
QUEUE_BLOCKS = 400  # 12 s of audio; the oldest blocks are dropped if the reader falls that far behind


def put_newest(blocks: queue.Queue[Any], block: Any) -> None:
    """Queue ``block``; when the queue is full, its oldest block makes room: the reader is
    far behind, and what was just said (a command, maybe) matters more than what was said
    12 s ago. Losing old audio beats growing without bound."""
    while True:
        try:
            blocks.put_nowait(block)
            return
        except queue.Full:
            try:
                blocks.get_nowait()
            except queue.Empty:
                pass


def _sounddevice() -> Any:
    try:
        import sounddevice
    except (ImportError, OSError) as exc:
        raise MicUnavailable(
            f"PortAudio cannot be loaded ({exc}); install it with: sudo apt-get install libportaudio2"
        ) from None
    return sounddevice


class SoundDeviceMic:
    """An open input stream on ``device`` (name, index, or None for the default)."""

    def __init__(self, device: str | int | None = None) -> None:
        self.device: Device = parse_device(device)
        self._blocks: queue.Queue[tuple[bytes, float]] = queue.Queue(QUEUE_BLOCKS)
        self._started = time.monotonic()
        self._converter = ChunkConverter(RATE)  # soxr, streaming: its filter state follows this stream
        sd = _sounddevice()
        name = "the default microphone" if self.device is None else f"microphone {self.device!r}"
        try:
            info = sd.query_devices(self.device, kind="input")
            self.rate = RATE if _accepts(sd, info["index"], RATE) else int(info["default_samplerate"])
            self._stream = sd.RawInputStream(
                samplerate=self.rate, channels=1, dtype="int16", device=info["index"],
                blocksize=int(self.rate * BLOCK_S), callback=self._on_block,
            )
            self._stream.start()
        except (ValueError, sd.PortAudioError) as exc:
            _rescan(sd)  # so a microphone plugged in (or a sound server started) is found next time
            if not any(d["max_input_channels"] for d in _devices(sd)):
                raise MicUnavailable("no microphone is connected (haven devices lists what is found)") from None
            raise MicUnavailable(f"{name} is not available ({_first_line(exc)})") from None
        log.info("listening on %s (%s, %d Hz)", name, info["name"], self.rate)

    def _on_block(self, data: Any, frames: int, _time: Any, status: Any) -> None:
        if status and status.input_overflow:
            log.debug("microphone overflow")
        put_newest(self._blocks, (bytes(data), time.monotonic()))

    def behind_s(self) -> float:
        return self._blocks.qsize() * BLOCK_S

    def read(self, timeout_s: float) -> AudioChunk | None:
        """The next block, or None if none came within ``timeout_s``."""
        try:
            data, _arrived = self._blocks.get(timeout=timeout_s)
        except queue.Empty:
            if not self._stream.active:
                raise MicUnavailable("the microphone stream stopped") from None
            return None
        return self._converter.convert(AudioChunk(self.rate, 2, 1, data, time.monotonic() - self._started))

    def close(self) -> None:
        try:
            self._stream.abort()
        finally:
            self._stream.close()


def _rescan(sd: Any) -> None:
    """PortAudio lists devices once, when it starts: start it again (never mid-line)."""
    with PORTAUDIO_LOCK:
        try:
            sd._terminate()
            sd._initialize()
        except (sd.PortAudioError, AttributeError) as exc:
            log.debug("could not rescan audio devices: %s", exc)


def _devices(sd: Any) -> list[Any]:
    try:
        return list(sd.query_devices())
    except sd.PortAudioError:
        return []


def _accepts(sd: Any, index: int, rate: int) -> bool:
    try:
        sd.check_input_settings(index, channels=1, dtype="int16", samplerate=rate)
    except sd.PortAudioError:
        return False
    return True


def _first_line(exc: Exception) -> str:
    return str(exc).splitlines()[0] if str(exc) else type(exc).__name__
