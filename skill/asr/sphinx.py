"""pocketsphinx, restricted to the command grammar, with a filler loop for rejection.

The search graph is the minimal automaton of every template sentence (see
``skill.asr.automaton``) plus, in parallel from the start, a loop over common
English words and the commands' own words (``filler_words.txt``): a crude
open-vocabulary recogniser. Speech that is not a command is explained better
by that loop than by any command, so its best path runs through the loop. A
command must beat the loop by the loop's entry weight, the knob that trades
missed commands against false accepts.

That trade depends on the room. In noise, the loop explains noisy commands
better than the grammar does, and a weight that rejects arguments in a quiet
room drops most commands at 10-15 dB SNR. So the entry weight (and how hard
the search is pruned) is chosen per utterance from its estimated SNR
(``bands``), one prebuilt search per band; in the noisy band the utterance is
first dereverberated (WPE, ``skill.audio.dereverb``) and then passed through
RNNoise (``skill.audio.denoise``), both given as ``denoise``. On the generated
corpus's untouched test slice, bands and RNNoise took commands in fan or pink
noise at 10-15 dB from 58 to 71 of 93 right (false accepts 1 -> 2 of 148),
and WPE then took reverberant rooms at the same SNR from 59 to 67 of 93
(false accepts 2 -> 4 of 148). On the tune slice, where RNNoise was chosen:
113 -> 140 and 95 -> 112 of 168, false accepts 5 -> 4 and 3 -> 3 of 150.

When the loop wins in the noisy band, the audio is decoded once more with the
commands alone, and the command path is taken if it explains the audio nearly
as well as the loop did (``skill.asr.second_look``). On the test slice this
took fan/pink-noise rooms from 71 to 80 of 93 (false accepts 2 -> 3 of 148)
and reverberant ones from 67 to 73 (false accepts 4 -> 4). Taking the four
"readier" intents (status, check-in, help, safety) from a lower score then
took them to 81 and 79 of 93 (false accepts 3 and 4 of 148). Its
commands-only search costs about 10 MB (peak RSS of ``haven recognize`` on the
dev corpus 125 -> 135 MB).

In a quiet room a second look over all the commands gained 1 of 93 and cost a
third more decoding time, so the quiet band looks again only for the readier
intents (a graph a fifth the size), and only when the loop heard at most seven
words: the clean natural voice went from 87 to 90 of 93 on the test slice (157
-> 159 of 168 on tune), false accepts unchanged (3 of 148, 7 of 342); the
robotic espeak voice 22 -> 24 of 93, false accepts unchanged. Without the
seven-word limit, espeak gained 5 more but two more false accepts (tune and
test alike), and the dev corpus's real-time factor went over 0.05.

When the grammar wins in a quiet room, a path that holds more silence than a
cut utterance has is checked against a free phone loop: a command whose
"silence" scores far below it covered speech it could not explain and is
dropped (``skill.asr.silence_check``: espeak's false accepts on the test slice
4 -> 0 of 148, the natural voice's unchanged).

When no second look takes a command, the loop's words are still a
transcript: the matcher, which is strict on text, decides whether they say a
command ("what's take a break" is still break.start). Settings were tuned on a
generated corpus
(``scripts/make_corpus.py``, its ``tune`` slice) and are reported on its
untouched ``test`` slice and the dev corpus by ``scripts/bench_listen.py``.

Only a short list of skip words may follow a command: a trailing "actually"
or "like" lets the grammar swallow the rest of a longer sentence.

The lattice is never built (``bestpath`` off): on this graph, building it
cost ten times the search itself, and the narrow beams that paid for it
pruned right commands ("let's take a break" lost to "what's take a break").

pocketsphinx's noise removal follows the room across utterances, so what one
utterance gives can depend on the one before (as in a room; in a batch of
files from different rooms, the first file of a new room is judged with the
old room's noise estimate). Starting every file from a fresh estimate
(``Decoder.reinit_feat``) did worse even so: on the tune slice with its four
rooms interleaved file by file, reverberant rooms went from 143 to 140 of 168
commands right and false accepts from 7 to 12 of 342, the other rooms
unchanged. The acoustic model and dictionary ship inside the
pocketsphinx wheel; the decoder is given only the dictionary's words that the
grammar and the loop use.
"""

from __future__ import annotations

import dataclasses
import logging
from dataclasses import dataclass
from importlib import resources
from typing import Any, Callable, Literal

from hassil import Intents

from skill.asr.automaton import Automaton, compile_grammar
from skill.asr.grammar import grammar_from_intents
from skill.asr.lexicon import base_word, read_entries, with_halves
from skill.asr.second_look import SILENCE, Segment, SecondLook, evidence, segments
from skill.asr.silence_check import silence_deficit, silent_frames
from skill.audio.denoise import Denoise
from skill.audio.level import snr_db
from skill.errors import UserError
from skill.messages import AudioChunk, Transcript

log = logging.getLogger(__name__)

FILLER_MARK = "~"
PHONE_LOOP = "haven-phones"  # the silence check's search
# Silences (shared with the second look) and the noise fillers, dropped from a transcript.
NON_WORDS = SILENCE | frozenset({"[NOISE]", "[BREATH]", "[COUGH]", "[SMACK]", "[UH]", "[UM]",
                                 "[LAUGH]", "[SPEECH]"})


@dataclass(frozen=True)
class Band:
    """How to search an utterance whose estimated SNR is at least ``snr_db``.

    ``filler_weight`` is the loop's entry weight. Capping the active HMMs
    (``maxhmmpf``) and pruning word exits (``wbeam``) makes the search ~30%
    cheaper in a quiet room at no cost there; in noise the cap prunes the
    loop's many words first and arguments slip through as commands, so a
    noisy band searches in full, after noise suppression.
    """

    snr_db: float
    filler_weight: float
    wbeam: float = 1e-34
    maxhmmpf: int = 1500
    denoise: bool = False  # the recogniser's ``denoise`` first (as shipped: WPE, then RNNoise)
    # When the loop wins, decode again with the commands alone: "all" of them, only the
    # "readier" intents' (``SecondLook.readier_for``: a smaller, cheaper search), or "off".
    second_look: Literal["off", "readier", "all"] = "off"
    # Check a command's silences against a phone loop (``skill.asr.silence_check``).
    silence_check: bool = False


@dataclass(frozen=True)
class SphinxSettings:
    """Search and rejection knobs (weights are FSG arc probabilities, before the LM weight)."""

    # Loudest rooms first: the loop is entered more easily (stronger rejection) where
    # speech stands out from the noise.
    bands: tuple[Band, ...] = (Band(25.0, 1e-22, second_look="readier", silence_check=True),
                               Band(0.0, 1e-30, wbeam=1e-40, maxhmmpf=30000, denoise=True,
                                    second_look="all"))
    filler_loop: float = 0.1  # each further word of the loop
    filler_count: int = 100  # most frequent English words in the loop
    filler_has_commands: bool = True  # the commands' own words in the loop too
    # Skip words allowed after a command (before one, all of the intents' skip words are).
    tail_skip_words: tuple[str, ...] = ("please", "haven", "now")
    # The loop's words go to the matcher when the loop wins...
    hear_filler_words: bool = True
    # ...unless a second decode with the commands alone makes a good enough case for one.
    second_look: SecondLook | None = SecondLook()
    # A command is kept only if its path's silences score at most this much per frame
    # below a free phone loop (``skill.asr.silence_check``); None: no check.
    max_silence_deficit: float | None = 17.0
    # ...when the path holds more silence than this (seconds): an utterance cut by the
    # segmenter has about 0.7 s of it, and speech taken for silence adds to it.
    checked_silence_s: float = 0.9
    beam: float = 1e-48
    pbeam: float = 1e-48
    topn: int = 4  # Gaussians scored per mixture
    ds: int = 1  # score the model every ds-th frame


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
    """Commands from one utterance at a time; None when nothing command-like was heard."""

    name = "pocketsphinx"

    def __init__(self, intents: Intents, settings: SphinxSettings | None = None,
                 denoise: Denoise | None = None) -> None:
        self.settings = settings or SphinxSettings()
        self._denoise = denoise
        s = self.settings
        # No dictionary at start: only the words Haven can hear (``skill.asr.lexicon``).
        self._decoder = _decoder_class()(lm=None, dict=None, logfn="/dev/null", bestpath=False,
                                         beam=s.beam, pbeam=s.pbeam, topn=s.topn, ds=s.ds)
        skip = list(intents.skip_words)
        tail = [w for w in s.tail_skip_words if w in skip]
        loop_words = set(filler_words(s.filler_count))
        every_word = grammar_from_intents(intents, skip_words=skip, tail_skip_words=tail).words
        for entry, phones in read_entries(with_halves(every_word) | loop_words):
            self._decoder.add_word(entry, phones, False)
        grammar = grammar_from_intents(intents, self._knows, skip, tail)
        for word, parts in grammar.compounds.items():
            self._decoder.add_word(word, " ".join(self._decoder.lookup_word(p) for p in parts), False)
        if grammar.unknown:
            log.info("words the dictionary cannot say (their sentences are not heard): %s",
                     ", ".join(sorted(grammar.unknown)))
        self.automaton = compile_grammar(grammar.root)
        loop_words = loop_words | grammar.words if s.filler_has_commands else loop_words - grammar.words
        fillers = self._add_fillers(loop_words)
        self._searches: list[tuple[Band, str]] = []
        for n, band in enumerate(s.bands):
            name = f"haven{n}"
            arcs = _transitions(self.automaton, fillers, band.filler_weight, s.filler_loop)
            fsg = self._decoder.create_fsg(name, self.automaton.start, self.automaton.n_states, arcs)
            self._decoder.config["wbeam"] = band.wbeam  # read when the search is added,
            self._decoder.config["maxhmmpf"] = band.maxhmmpf  # and again when it is activated
            self._decoder.add_fsg(name, fsg)
            self._searches.append((band, name))
        # The graph without the loop, for the second look (about 10 MB): only if a band uses it.
        # Its searches by band mode: all of the commands, or only the readier intents'.
        self._looks: dict[str, str] = {}
        self._readier: Automaton | None = None
        modes = {band.second_look for band in s.bands} - {"off"}
        if s.second_look is not None and modes:
            self._readier = sentences_of(intents, s.second_look.readier_for, self._knows, skip, tail)
            missing = sorted(set(s.second_look.readier_for) - set(intents.intents))
            if missing:
                log.warning("no intents named %s: their commands get no readier second look",
                            ", ".join(missing))
            graphs = {"all": self.automaton, "readier": self._readier}
            for mode in sorted(modes):
                graph = graphs[mode]
                if graph is not None:
                    self._looks[mode] = name = f"haven-{mode}"
                    arcs = _transitions(graph, [], 1.0, 1.0)
                    self._decoder.add_fsg(name, self._decoder.create_fsg(
                        name, graph.start, graph.n_states, arcs))
        if s.max_silence_deficit is not None and any(band.silence_check for band in s.bands):
            self._decoder.add_allphone_file(PHONE_LOOP, None)
        self._skip_words = frozenset(w for w in skip if " " not in w)
        self._active = ""
        self._activate(*self._searches[0])
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

    def search_for(self, snr: float) -> str:
        """The prebuilt search whose filler weight fits an utterance of this SNR."""
        return self._band_for(snr)[1]

    def _band_for(self, snr: float) -> tuple[Band, str]:
        for band, name in self._searches:
            if snr >= band.snr_db:
                return band, name
        return self._searches[-1]

    def _activate(self, band: Band, name: str) -> None:
        """Switch searches; pocketsphinx reads the beams from the configuration as it does."""
        self._decoder.config["wbeam"] = band.wbeam
        self._decoder.config["maxhmmpf"] = band.maxhmmpf
        self._decoder.activate_search(name)
        self._active = name

    def recognize(self, utterance: AudioChunk) -> Transcript | None:
        if utterance.rate != 16000 or utterance.width != 2 or utterance.channels != 1:
            raise ValueError("the recogniser takes 16 kHz mono 16-bit audio")
        decoder = self._decoder
        band, search = self._band_for(snr_db(utterance.samples))
        if search != self._active:
            self._activate(band, search)
        samples = utterance.samples
        if band.denoise and self._denoise is not None:
            samples = self._denoise(samples)
        words = self._decode(samples)
        if not words:
            return None
        if any(w.endswith(FILLER_MARK) for w in words):
            # The loop won: its words are an open-vocabulary guess, left to the matcher.
            if not self.settings.hear_filler_words:
                return None
            heard = " ".join(w.rstrip(FILLER_MARK) for w in words)
            command = self._second_look(samples, band, heard)
            if command is not None:
                return Transcript(command, confidence=0.7)
            return Transcript(heard, confidence=0.5)
        # A path cut short by the end of the audio is no sentence: only whole commands.
        if not self.automaton.accepts(words) or not self._silence_is_silence(samples, band):
            return None
        return Transcript(" ".join(words), confidence=1.0)

    def _decode(self, samples: bytes) -> list[str]:
        """The active search's best path, without silences and noises."""
        decoder = self._decoder
        decoder.start_utt()
        decoder.process_raw(samples, full_utt=True)
        decoder.end_utt()
        hyp = decoder.hyp()
        return [] if hyp is None else [base_word(w) for w in hyp.hypstr.split() if w not in NON_WORDS]

    def _silence_is_silence(self, samples: bytes, band: Band) -> bool:
        """The silence check on the path just decoded (``skill.asr.silence_check``)."""
        limit = self.settings.max_silence_deficit
        if limit is None or not band.silence_check:
            return True
        decoder = self._decoder
        command, n_frames = segments(decoder.seg()), decoder.n_frames()
        if silent_frames(command) <= self.settings.checked_silence_s * int(decoder.config["frate"]):
            return True
        _, phones = self._decode_again(samples, band, PHONE_LOOP)
        deficit = silence_deficit(command, phones, n_frames)
        log.debug("silence check: %.1f per frame below the phone loop", deficit)
        return deficit <= limit

    def _decode_again(self, samples: bytes, band: Band,
                      search: str) -> tuple[list[str], list[Segment]]:
        """The words and path of the same samples decoded with ``search``.

        A whole utterance gets its own cepstral mean (pocketsphinx's batch
        CMN), so the second decode sees the features the first one saw, but
        for the noise estimate, which has followed the first decode.
        """
        self._activate(band, search)
        words = self._decode(samples)
        raw = self._decoder.seg()  # None when nothing was decoded
        return words, segments(raw) if raw is not None else []

    def _second_look(self, samples: bytes, band: Band, heard: str) -> str | None:
        """The command the commands-only search finds, if ``SecondLook`` takes it over the loop's words."""
        look = self.settings.second_look
        search = self._looks.get(band.second_look)
        if look is None or search is None:
            return None
        if band.second_look == "readier" and len(heard.split()) > look.readier_words:
            return None
        decoder = self._decoder
        loop_path, n_frames = segments(decoder.seg()), decoder.n_frames()
        words, forced = self._decode_again(samples, band, search)
        if not words or not self.automaton.accepts(words):
            return None
        command = " ".join(words)
        seen = evidence(loop_path, forced, n_frames, heard, command, self._skip_words)
        taken = look.accepts(seen, self._readier is not None and self._readier.accepts(words))
        log.debug("second look: %s -> %s", seen, "taken" if taken else "left")
        return command if taken else None


def sentences_of(intents: Intents, names: tuple[str, ...], is_known: Callable[[str], bool],
                  skip: list[str], tail: list[str]) -> Automaton | None:
    """The sentences (with their skip words) of the named intents only; None if there are none."""
    chosen = {name: intent for name, intent in intents.intents.items() if name in names}
    if not chosen:
        return None
    subset = dataclasses.replace(intents, intents=chosen)
    return compile_grammar(grammar_from_intents(subset, is_known, skip, tail).root)


def _transitions(a: Automaton, fillers: list[str], entry: float, loop: float) -> list[tuple[Any, ...]]:
    """FSG arcs: the commands (each state's ways out equally likely), then the filler loop."""
    final, loop_state = a.n_states, a.n_states + 1
    degree = a.out_degree()
    ways = [d + (state in a.finals) for state, d in enumerate(degree)]
    arcs: list[tuple[Any, ...]] = [(src, dst, 1.0 / ways[src], w) for src, dst, w in a.arcs]
    arcs.extend((state, final, 1.0 / ways[state]) for state in sorted(a.finals))
    for word in fillers:
        arcs.append((a.start, loop_state, entry, word))
        arcs.append((loop_state, loop_state, loop, word))
    arcs.append((loop_state, final, 1.0))
    return arcs
