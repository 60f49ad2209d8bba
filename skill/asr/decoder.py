"""The decoder behind a Protocol: samples and a search name in, the best path out.

Everything else in the recogniser (the room, the checks, the verdict) only
calls ``decode``, so it runs on hand-written paths with a fake decoder in
tests (``tests/test_asr_verdict.py``). ``SphinxDecoder`` is pocketsphinx: it
holds the dictionary words and the searches (FSGs built from automata, the
phone loop) and the beams each search is run with.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from skill.asr.lexicon import base_word
from skill.asr.second_look import SILENCE, Segment, segments
from skill.errors import UserError

# Silences (shared with the second look) and the noise fillers, dropped from the words.
NON_WORDS = SILENCE | frozenset({"[NOISE]", "[BREATH]", "[COUGH]", "[SMACK]", "[UH]", "[UM]",
                                 "[LAUGH]", "[SPEECH]"})


@dataclass(frozen=True)
class Decoded:
    """The best path of one decode: its words (no silences or noises) and segments."""

    words: tuple[str, ...]
    path: tuple[Segment, ...]
    n_frames: int


class Decoder(Protocol):
    frames_per_second: int

    def decode(self, samples: bytes, search: str) -> Decoded: ...


def _decoder_class() -> Any:
    try:
        from pocketsphinx import Decoder as PsDecoder
    except ImportError:
        raise UserError("the pocketsphinx recogniser is missing; install it with: "
                        "pip install 'pocketsphinx>=5,<6'") from None
    return PsDecoder


@dataclass(frozen=True)
class Beams:
    wbeam: float
    maxhmmpf: int


class SphinxDecoder:
    """pocketsphinx with no dictionary at start: only the words it is given."""

    def __init__(self, beam: float, pbeam: float, topn: int, ds: int) -> None:
        self._ps = _decoder_class()(lm=None, dict=None, logfn="/dev/null", bestpath=False,
                                    beam=beam, pbeam=pbeam, topn=topn, ds=ds)
        self._beams: dict[str, Beams] = {}
        self._active = ""
        self.frames_per_second = int(self._ps.config["frate"])

    def forget_noise(self) -> None:
        """Start the next utterance from a fresh noise estimate (it otherwise follows the room)."""
        self._ps.reinit_feat()

    def add_word(self, entry: str, phones: str) -> None:
        self._ps.add_word(entry, phones, False)

    def phones(self, word: str) -> str | None:
        found = self._ps.lookup_word(word)
        return None if found is None else str(found)

    def add_fsg(self, name: str, start: int, final: int, arcs: list[tuple[Any, ...]],
                beams: Beams) -> None:
        """A search over the word graph given as FSG arcs, run with ``beams``."""
        fsg = self._ps.create_fsg(name, start, final, arcs)
        self._set_beams(beams)  # read when the search is added, and again when activated
        self._ps.add_fsg(name, fsg)
        self._beams[name] = beams

    @property
    def n_searches(self) -> int:
        """The word-graph searches held (``add_fsg``'s, not yet removed)."""
        return len(self._beams)

    def remove_search(self, name: str) -> None:
        """Free a search made by ``add_fsg`` (its memory is reused by the next one added)."""
        self._ps.remove_search(name)
        del self._beams[name]
        if self._active == name:
            self._active = ""

    def add_phone_loop(self, name: str) -> None:
        """Any phone after any other: the best the acoustic model can do with the frames."""
        self._ps.add_allphone_file(name, None)

    def _set_beams(self, beams: Beams) -> None:
        self._ps.config["wbeam"] = beams.wbeam
        self._ps.config["maxhmmpf"] = beams.maxhmmpf

    def decode(self, samples: bytes, search: str) -> Decoded:
        """Whole-utterance decode (batch CMN: the utterance's own cepstral mean)."""
        ps = self._ps
        if search != self._active:
            if search in self._beams:
                self._set_beams(self._beams[search])
            ps.activate_search(search)
            self._active = search
        ps.start_utt()
        ps.process_raw(samples, full_utt=True)
        ps.end_utt()
        hyp = ps.hyp()
        words = () if hyp is None else tuple(base_word(w) for w in hyp.hypstr.split()
                                             if w not in NON_WORDS)
        raw = ps.seg()
        return Decoded(words, tuple(segments(raw)) if raw is not None else (), int(ps.n_frames()))
