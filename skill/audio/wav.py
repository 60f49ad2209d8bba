"""Recordings (WAV or FLAC) as 16 kHz mono 16-bit audio, whole or streamed in 30 ms chunks.

libsndfile (through ``soundfile``) reads the container: WAV with any PCM
width (8/16/24/32-bit integer, 32/64-bit float), FLAC, any channel count. The
conversion is ``skill.audio.convert``'s, the same as the microphone's. A file
is read one second at a time, so a long recording costs a second of buffers,
not the whole file several times over as float arrays.

Every way a file can be wrong (missing, not audio, a header-only file, a rate
of 0 Hz or 4 GHz, a size no room recording has) is one UserError sentence that
names the file and says what to do. Nothing is written anywhere.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any, Iterator

import numpy as np

from skill.audio.convert import RATE, WIDTH, StreamConverter, downmix
from skill.errors import UserError
from skill.messages import AudioChunk

log = logging.getLogger(__name__)

BLOCK_S = 0.03  # the VAD's frame length
READ_S = 1.0  # read this much at a time: bounded memory for any length
MIN_RATE, MAX_RATE = 4000, 384000  # below: not speech; above: no recorder makes it
MAX_HOURS = 12  # a room recording longer than this is a mistake (or a forged header)
FIX = "convert it with: sox IN -r 16000 -c 1 -b 16 OUT.wav"


def _soundfile() -> Any:
    try:
        import soundfile
    except (ImportError, OSError) as exc:
        raise UserError(f"the audio file reader is missing ({exc}); install it with: "
                        "pip install soundfile") from None
    return soundfile


class AudioFile:
    """An open, checked recording; ``chunks`` streams it as 16 kHz mono 16-bit audio."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        sf = _soundfile()
        if not self.path.is_file():
            raise UserError(f"{path}: no such file" if not self.path.exists() else f"{path}: not a file")
        try:
            self._file = sf.SoundFile(str(path))
        except (RuntimeError, OSError, ValueError, TypeError) as exc:  # LibsndfileError is a RuntimeError
            raise UserError(f"{path}: not a readable WAV or FLAC file ({_reason(exc)}); {FIX}") from None
        self.rate = int(self._file.samplerate)
        self.channels = int(self._file.channels)
        self.frames = int(self._file.frames)
        self._check()

    def _check(self) -> None:
        problem, fix = None, FIX
        if not MIN_RATE <= self.rate <= MAX_RATE:
            problem = f"its sample rate of {self.rate} Hz is not an audio rate ({MIN_RATE}-{MAX_RATE} Hz)"
        elif not 1 <= self.channels <= 64:
            problem = f"it claims {self.channels} channels"
        elif self.frames <= 0:
            problem, fix = "it holds no audio (only a header)", "check that it is the recording you meant"
        elif self.frames / self.rate > MAX_HOURS * 3600:
            problem = f"it claims {self.frames / self.rate / 3600:.0f} hours of audio (at most {MAX_HOURS})"
        if problem is not None:
            self.close()
            raise UserError(f"{self.path}: {problem}; {fix}")

    @property
    def duration_s(self) -> float:
        return self.frames / self.rate

    def blocks(self, rate: int = RATE) -> Iterator[np.ndarray]:
        """The audio as int16 mono blocks at ``rate`` of about ``READ_S`` (the last ones shorter)."""
        converter = StreamConverter(self.rate, rate)
        try:
            while True:
                block = self._file.read(int(self.rate * READ_S), dtype="float32", always_2d=True)
                if len(block) == 0:
                    break
                yield converter.convert(downmix(block))
        except (RuntimeError, OSError, ValueError) as exc:  # a file torn mid-stream
            log.warning("%s: the rest is unreadable (%s); using what was read", self.path, _reason(exc))
        yield converter.flush()

    def chunks(self, block_s: float = BLOCK_S) -> Iterator[AudioChunk]:
        """Consecutive ``block_s`` chunks timed from the start; no silence is added after the end
        (whoever reads them flushes the segmenter there: digital silence in an utterance would
        be taken for the room's floor, ``skill.asr.room``)."""
        step = int(RATE * block_s)
        pending = np.zeros(0, dtype=np.int16)
        done = 0  # samples handed out so far
        for block in self.blocks():
            pending = np.concatenate([pending, block])
            usable = len(pending) - len(pending) % step
            for start in range(0, usable, step):
                yield _chunk(pending[start:start + step], done / RATE)
                done += step
            pending = pending[usable:]
        if len(pending):
            yield _chunk(pending, done / RATE)

    def close(self) -> None:
        self._file.close()

    def __enter__(self) -> AudioFile:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


def _chunk(samples: np.ndarray, at_s: float) -> AudioChunk:
    return AudioChunk(RATE, WIDTH, 1, samples.astype("<i2").tobytes(), at_s)


def _reason(exc: Exception) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    # libsndfile says "Error opening 'PATH': what"; the path is already in the sentence
    return text.rsplit("': ", 1)[-1].strip().rstrip(".")


def read_wav(path: Path | str, rate: int | None = RATE) -> AudioChunk:
    """The whole recording (WAV or FLAC) as one mono chunk at ``rate`` (None: the file's own).

    A bad file is a UserError.
    """
    with AudioFile(path) as audio:
        out_rate = audio.rate if rate is None else rate
        samples = b"".join(block.astype("<i2").tobytes() for block in audio.blocks(out_rate))
    return AudioChunk(out_rate, WIDTH, 1, samples, 0.0)


def split_chunks(audio: AudioChunk, block_s: float = BLOCK_S) -> Iterator[AudioChunk]:
    """``audio`` as consecutive chunks of ``block_s`` seconds (the last may be shorter)."""
    step = int(audio.rate * block_s) * audio.width * audio.channels
    frame_bytes = audio.width * audio.channels
    for start in range(0, len(audio.samples), step):
        yield AudioChunk(audio.rate, audio.width, audio.channels, audio.samples[start:start + step],
                         audio.timestamp_s + start / frame_bytes / audio.rate)
