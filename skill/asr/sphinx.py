"""pocketsphinx, restricted to the command grammar, with a filler branch for rejection.

The search graph is the minimal automaton of every template sentence (see
``skill.asr.automaton``) plus, in parallel from the start, a loop over common
English words and the commands' own words (``filler_words.txt``). Speech that
is not a command is explained better by that loop than by any command, so
its best path runs through the loop and nothing is heard. A command must
beat the loop by the entry penalty ``filler_weight``: the one knob that trades
missed commands against false accepts, tuned on a generated corpus (see
``scripts/make_corpus.py``) and measured on the dev corpus by
``scripts/bench_listen.py``.

The acoustic model and dictionary ship inside the pocketsphinx wheel.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from importlib import resources
from typing import Any

from hassil import Intents

from skill.asr.automaton import Automaton, compile_grammar
from skill.asr.grammar import grammar_from_intents
from skill.errors import UserError
from skill.messages import AudioChunk, Transcript

log = logging.getLogger(__name__)

FILLER_MARK = "~"
NON_WORDS = frozenset({"<s>", "</s>", "<sil>", "[NOISE]", "[BREATH]", "[COUGH]", "[SMACK]",
                       "[UH]", "[UM]", "[LAUGH]"})


@dataclass(frozen=True)
class SphinxSettings:
    """Search and rejection knobs (probabilities are per path, before the LM weight)."""

    filler_weight: float = 1e-17  # entry into the filler loop, against any command
    filler_loop: float = 0.5  # each further filler word
    filler_count: int = 100  # most frequent English words in the loop (plus the commands' own)
    # Narrower than pocketsphinx's defaults (1e-48): the filler loop makes the search wide,
    # and the defaults cost ~0.5 x real time here; these ~0.05.
    beam: float = 1e-30
    wbeam: float = 1e-20
    pbeam: float = 1e-25


def filler_words(count: int) -> list[str]:
    text = resources.files("skill.asr").joinpath("filler_words.txt").read_text(encoding="utf-8")
    return text.split()[:count]


def _decoder_class() -> Any:
    try:
        from pocketsphinx import Decoder
    except ImportError:
        raise UserError("the pocketsphinx recogniser is missing; install it with: "
                        "pip install 'pocketsphinx>=5,<6'") from None
    return Decoder


class SphinxRecognizer:
    """Commands from one utterance at a time; None when the filler loop wins."""

    name = "pocketsphinx"

    def __init__(self, intents: Intents, settings: SphinxSettings | None = None) -> None:
        self.settings = settings or SphinxSettings()
        s = self.settings
        self._decoder = _decoder_class()(lm=None, logfn="/dev/null", beam=s.beam, wbeam=s.wbeam,
                                         pbeam=s.pbeam)
        grammar = grammar_from_intents(intents, self._knows, intents.skip_words)
        for word, parts in grammar.compounds.items():
            self._decoder.add_word(word, " ".join(self._decoder.lookup_word(p) for p in parts), False)
        self.automaton = compile_grammar(grammar.root)
        self._table = {(src, word): dst for src, dst, word in self.automaton.arcs}
        fillers = self._add_fillers(set(filler_words(s.filler_count)) | grammar.words)
        fsg = self._decoder.create_fsg("haven", self.automaton.start, self.automaton.n_states,
                                       _transitions(self.automaton, sorted(fillers), s))
        self._decoder.add_fsg("haven", fsg)
        self._decoder.activate_search("haven")
        log.debug("grammar: %d states, %d arcs, %d filler words", self.automaton.n_states,
                  len(self.automaton.arcs), len(fillers))

    def _add_fillers(self, words: set[str]) -> list[str]:
        """Copies of ``words`` marked with FILLER_MARK, so a path through the loop shows."""
        names = []
        for word in sorted(words):
            phones = self._decoder.lookup_word(word)
            if phones:
                self._decoder.add_word(word + FILLER_MARK, phones, False)
                names.append(word + FILLER_MARK)
        return names

    def _knows(self, word: str) -> bool:
        return self._decoder.lookup_word(word) is not None

    def _accepts(self, words: list[str]) -> bool:
        state: int | None = self.automaton.start
        for word in words:
            state = self._table.get((state, word)) if state is not None else None
        return state in self.automaton.finals

    def recognize(self, utterance: AudioChunk) -> Transcript | None:
        if utterance.rate != 16000 or utterance.width != 2 or utterance.channels != 1:
            raise ValueError("the recogniser takes 16 kHz mono 16-bit audio")
        decoder = self._decoder
        decoder.start_utt()
        decoder.process_raw(utterance.samples, full_utt=True)
        decoder.end_utt()
        hyp = decoder.hyp()
        if hyp is None:
            return None
        words = [w for w in hyp.hypstr.split() if w not in NON_WORDS]
        # The filler loop cannot end in a command sentence, and a path cut short by the
        # end of audio is no sentence either: only whole commands are heard.
        if not words or any(w.endswith(FILLER_MARK) for w in words) or not self._accepts(words):
            return None
        return Transcript(" ".join(words), confidence=float(min(1.0, max(0.0, hyp.prob))))


def _transitions(a: Automaton, fillers: list[str], s: SphinxSettings) -> list[tuple[Any, ...]]:
    """FSG arcs: the commands (each state's ways out equally likely), then the filler loop."""
    final, loop = a.n_states, a.n_states + 1
    degree = a.out_degree()
    ways = [d + (state in a.finals) for state, d in enumerate(degree)]
    arcs: list[tuple[Any, ...]] = [(src, dst, 1.0 / ways[src], w) for src, dst, w in a.arcs]
    arcs.extend((state, final, 1.0 / ways[state]) for state in sorted(a.finals))
    for word in fillers:
        arcs.append((a.start, loop, s.filler_weight / len(fillers), word))
        arcs.append((loop, loop, s.filler_loop / len(fillers), word))
    arcs.append((loop, final, 1.0 - s.filler_loop))
    return arcs
