"""pocketsphinx, restricted to the listening context's commands, with a filler loop for rejection.

The recogniser in stages (docs/listening.md has the measurements behind each):

1. the room (``skill.asr.room``): an utterance with no speech in it (silence,
   a steady sound) is never decoded; its level picks a band: how hard the
   loop rejects, the beams, and whether it is dereverberated and denoised;
2. the decoder (``skill.asr.decoder``): one decode of the context's search
   for that band, further decodes when the verdict asks;
3. the verdict (``skill.asr.verdict``): a pure function from the paths to a
   named outcome and why;
4. when the whole gave no command, the stretches between its pauses
   (``skill.asr.pieces``): a command said inside an argument.

Each context (the intents the engine acts on in its state, ``listen_for``)
has its own searches: the minimal automaton of its intents' sentences
(``skill.asr.automaton``) plus, in parallel from the start, a loop over
common English words and every intent's words (``filler_words.txt``): a
crude open-vocabulary recogniser. Speech that is not a command of this
context is explained better by that loop, so its best path runs through it.
A context's searches are built the first time it is asked for.

The acoustic model and dictionary ship inside the pocketsphinx wheel; the
decoder is given only the dictionary's words that the grammar and the loop
use.
"""

from __future__ import annotations

import dataclasses
import functools
import logging
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from typing import Any

from hassil import Intents

from skill.asr import tuned
from skill.asr.automaton import Automaton, compile_grammar
from skill.asr.decoder import Beams, Decoded, SphinxDecoder
from skill.asr.grammar import grammar_from_intents
from skill.asr.lexicon import read_entries, sounds_like, with_halves
from skill.asr.pieces import Pieces, Span, between_pauses
from skill.asr.room import BANDS, Band, band_for, level, no_speech
from skill.asr.second_look import SecondLook
from skill.asr.verdict import FILLER_MARK, CommandCheck, Context, Outcome, SilenceCheck, Verdict, WordsCheck, decide
from skill.audio.denoise import Denoise
from skill.audio.level import levels_db
from skill.messages import AudioChunk, Transcript
from skill.nlu.name import NAMELESS, Name

log = logging.getLogger(__name__)

# The outcomes whose text goes to the matcher.
TAKEN = frozenset({Outcome.COMMAND, Outcome.COMMAND_IN_TALK, Outcome.SECOND_LOOK, Outcome.LOOP_WORDS,
                   Outcome.BETWEEN_PAUSES})

PHONE_LOOP = "haven-phones"  # the silence check's and the stretches' phone loop


@dataclass(frozen=True)
class SphinxSettings:
    """Search and rejection knobs (weights are FSG arc probabilities, before the LM weight)."""

    bands: tuple[Band, ...] = BANDS
    filler_loop: float = tuned.FILLER_LOOP  # each further word of the loop
    filler_count: int = tuned.FILLER_COUNT  # most frequent English words in the loop
    filler_has_commands: bool = True  # every intent's words in the loop too
    # Skip words allowed before a command: all the intents' skip words but "just" and "well",
    # which open sentences in an argument and let the grammar take over their start: "just
    # break of eleven minutes", "well pause this for two hours" (argument-dev 600-1200 s).
    # Dropping "so", "like", "actually" too took the dev corpus's espeak "what do you want
    # for dinner" to help (a readier second look), so they stay.
    lead_skip_words: tuple[str, ...] = ("uh", "um", "er", "hmm", "okay", "ok", "please",
                                        "hey haven", "haven", "alright", "all right", "hey",
                                        "so", "now", "right now", "actually", "like", "gonna",
                                        "going to")
    # Skip words allowed after a command. A trailing "actually" or "like" lets the grammar
    # swallow the rest of a longer sentence; a trailing name let "well pause this for two
    # hours haven" end as a command.
    tail_skip_words: tuple[str, ...] = ("please", "now")
    # The loop's words go to the matcher when the loop wins...
    hear_filler_words: bool = True
    # ...unless a second decode with the commands alone makes a good enough case for one.
    second_look: SecondLook | None = SecondLook()
    # A command is kept only if its path's silences score at most this much per frame
    # below a free phone loop (``skill.asr.silence_check``); None: no check.
    max_silence_deficit: float | None = tuned.MAX_SILENCE_DEFICIT
    # ...when the path holds more silence than this (seconds).
    checked_silence_s: float = tuned.CHECKED_SILENCE_S
    # Dereverberation (WPE) costs about half of real time: utterances longer than
    # this (seconds, as cut) are only denoised (``quick_denoise``). Commands said alone
    # last up to 4 s as cut, led in by a few words up to 5.5 s; long talk, cut at 8 s,
    # is most of a conversation's audio.
    max_dereverb_s: float = tuned.MAX_DEREVERB_S
    # A few loop words may lead in or trail a command ("enough, we need a break, I mean
    # it"): at most this many each side (0: none), the first costing the loop's entry
    # weight times ``lead_penalty``. Only commands of two words or more are taken so.
    lead_words: int = tuned.LEAD_WORDS
    lead_penalty: float = tuned.LEAD_PENALTY
    # Everyday talk starts like some commands ("we need to talk", "I need some coffee"):
    # after these words, a loop word the commands do not go on with is as likely as theirs.
    escape_after: tuple[str, ...] = tuned.ESCAPE_AFTER
    # When the whole utterance gives no command: the stretches between its pauses
    # (``skill.asr.pieces``); None: never.
    pieces: Pieces | None = Pieces()
    # Only "NAME, <command>" is a command (``listen.require_name``).
    require_name: str = ""
    beam: float = 1e-48
    pbeam: float = 1e-48
    topn: int = 4  # Gaussians scored per mixture
    ds: int = 1  # score the model every ds-th frame
    # Contexts whose pocketsphinx searches are kept, the most recently listened for: each holds
    # 27-42 MB (`haven simulate` peaked at 334 MB with every state's); one listened for again is
    # rebuilt from its kept grammar in 0.1-0.16 s of CPU (docs/listening.md, stop 25).
    max_contexts: int = 1


def filler_words(count: int) -> list[str]:
    text = resources.files("skill.asr").joinpath("filler_words.txt").read_text(encoding="utf-8")
    return text.split()[:count]


class SphinxRecognizer:
    """Commands from one utterance at a time; None when nothing command-like was heard."""

    name = "pocketsphinx"

    def __init__(self, intents: Intents, settings: SphinxSettings | None = None,
                 denoise: Denoise | None = None, quick_denoise: Denoise | None = None) -> None:
        """``denoise``: the noisy band's cleaning; ``quick_denoise``: the same without its
        costly part, for long utterances (default: ``denoise`` for all)."""
        self.settings = s = settings or SphinxSettings()
        self._denoise = denoise
        self._quick_denoise = quick_denoise or denoise
        self._decoder = SphinxDecoder(s.beam, s.pbeam, s.topn, s.ds)
        self._intents = intents
        every_skip = list(intents.skip_words)  # all are still the loop's words
        self._skip = skip = [w for w in every_skip if w in s.lead_skip_words]
        self._tail = tail = [w for w in s.tail_skip_words if w in skip]
        loop_words = set(filler_words(s.filler_count))
        self._name = Name(s.require_name)
        every_word = grammar_from_intents(intents, skip_words=every_skip, tail_skip_words=tail).words
        entries = read_entries(with_halves(every_word | set(self._name.words)) | loop_words)
        for entry, phones in entries:
            self._decoder.add_word(entry, phones)
        grammar = grammar_from_intents(intents, self._knows, every_skip, tail)
        self._alike = alike(sounds_like(entries, grammar.words), tuned.HEARD_AS, grammar.words)
        for word, parts in grammar.compounds.items():
            self._decoder.add_word(word, " ".join(self._decoder.phones(p) or "" for p in parts))
        if grammar.unknown:
            log.info("words the dictionary cannot say (their sentences are not heard): %s",
                     ", ".join(sorted(grammar.unknown)))
        # Every context's loop holds every intent's words: a command of another
        # context ("next" while idle) is explained by the loop, not forced into one of
        # this context's commands, and the matcher (told the context too) drops it.
        loop_words = loop_words | grammar.words if s.filler_has_commands else loop_words - grammar.words
        loop_words |= set(self._name.words)
        self._fillers = self._add_fillers(loop_words)
        if s.second_look is not None:
            looked_for = {*s.second_look.readier_for, *(name for name, _ in s.second_look.quiet_looks_for)}
            missing = sorted(looked_for - set(intents.intents))
            if missing:
                log.warning("no intents named %s: their commands get no readier second look",
                            ", ".join(missing))
        self.checks: list[CommandCheck] = []
        max_silence = s.max_silence_deficit if any(band.silence_check for band in s.bands) else None
        if max_silence is not None or s.pieces is not None:
            self._decoder.add_phone_loop(PHONE_LOOP)
        if s.pieces is not None:  # noisy rooms: a whole command path's words too
            self.checks.append(WordsCheck(PHONE_LOOP, s.pieces.max_deficit, tuned.WORDS_SHORT_FRAMES,
                                          tuned.WORDS_SHORT_MAX_DEFICIT))
        if max_silence is not None:
            self.checks.append(SilenceCheck(PHONE_LOOP, max_silence, s.checked_silence_s))
        self._skip_words = frozenset(w for w in skip if " " not in w)
        # Said to the partner, not to Haven: the first pass can hear them as said (skill.nlu.orders)
        self._turns = {w: t for w, t in tuned.TURNED_OPENERS.items() if self._knows(w) and self._knows(t)}
        self._contexts: dict[frozenset[str], Context | None] = {}  # the least recently listened for first
        self._built = 0  # contexts built so far: their searches' names
        self._graphs: dict[tuple[frozenset[str], bool], Automaton | None] = {}
        self._listening = frozenset(intents.intents)  # every intent until told otherwise
        self.last_verdict: Verdict | None = None
        self.hurried = False  # ``hurry``: no dereverberation, no stretches between pauses

    @property
    def intent_names(self) -> list[str]:
        return sorted(self._intents.intents)

    def hurry(self, on: bool) -> None:
        """While the listener runs behind the room: skip dereverberation (the quick denoise
        only) and the stretches between pauses, about half the cost of a long utterance in a
        noisy room (docs/listening.md); the whole utterance is still heard and checked."""
        self.hurried = on

    def listen_for(self, intents: frozenset[str]) -> None:
        """Listen for these intents only (the engine's listening context) from the next
        utterance, whose searches are ready when this returns.

        A context's grammar is compiled the first time it is listened for (or by ``prepare``;
        0.2-0.3 s on the development machine) and kept; its pocketsphinx searches (27-42 MB)
        are kept for the ``max_contexts`` most recent contexts only, and rebuilt from the kept
        grammar (0.1-0.16 s of CPU) when it is listened for again.
        """
        self._listening = frozenset(intents) & frozenset(self._intents.intents)
        self._context_for(self._listening)  # built now, not once the next utterance has ended

    def forget_noise(self) -> None:
        """Hear the next utterance as a freshly started recogniser would (the noise estimate
        follows the room from one utterance to the next): to compare two ways of hearing the
        same recordings file by file without building a recogniser for each."""
        self._decoder.forget_noise()

    def prepare(self, contexts: Iterable[frozenset[str]]) -> None:
        """Compile these contexts' grammars now (at start), not at their first utterance: most
        of a context's cost the first time (each one's searches are built, then freed for the
        next beyond ``max_contexts``)."""
        for names in contexts:
            self._context_for(frozenset(names) & frozenset(self._intents.intents))

    def _context_for(self, names: frozenset[str]) -> Context | None:
        """The context's searches, built when it is first listened for, or again after they were
        freed for contexts listened for since (``max_contexts``)."""
        if names in self._contexts:
            self._contexts[names] = self._contexts.pop(names)  # now the most recent
            return self._contexts[names]
        while len(self._contexts) >= max(1, self.settings.max_contexts):
            oldest = self._contexts.pop(next(iter(self._contexts)))
            if oldest is not None:
                for search in (*oldest.searches, *oldest.looks.values()):
                    self._decoder.remove_search(search)
        self._contexts[names] = context = self._build_context(names, self._built)
        self._built += 1
        return context

    def _build_context(self, names: frozenset[str], number: int) -> Context | None:
        """The searches of one context: one per band, and the second looks' graphs."""
        s = self.settings
        automaton = self._graph(names)
        if automaton is None:
            return None
        searches = []
        escapes = escape_states(automaton, s.escape_after, self._skip)
        turns = turned_arcs(automaton, self._turns, self._skip)
        for n, band in enumerate(s.bands):
            name = f"haven{number}-{n}"
            lead = Lead(s.lead_words, band.filler_weight * s.lead_penalty) if s.lead_words else None
            start, final, arcs = _transitions(automaton, self._fillers, band.filler_weight,
                                              s.filler_loop, lead, escapes, turns)
            self._decoder.add_fsg(name, start, final, arcs, Beams(band.wbeam, band.maxhmmpf))
            searches.append(name)
        looks: dict[str, str] = {}
        readier: Automaton | None = None
        modes = {band.second_look for band in s.bands} - {"off"}
        if s.second_look is not None and modes:
            readier = self._graph(names & set(s.second_look.readier_for))
            graphs = {"all": automaton, "readier": quiet_look(names, readier, s.second_look, self._graph)}
            for mode in sorted(modes):
                graph = graphs[mode]
                if graph is not None:
                    looks[mode] = name = f"haven{number}-{mode}"
                    # Beams of the noisiest band that looks in this mode (as it was run before).
                    band = [b for b in s.bands if b.second_look == mode][-1]
                    # The commands alone, with the lead-ins and trails the first pass allows.
                    lead = Lead(s.lead_words, 1.0) if s.lead_words and mode == "all" else None
                    fillers = self._fillers if lead is not None else []
                    self._decoder.add_fsg(name, *_transitions(graph, fillers, 0.0, s.filler_loop, lead),
                                          Beams(band.wbeam, band.maxhmmpf))
        log.debug("context %s: %d states, %d arcs", sorted(names), automaton.n_states,
                  len(automaton.arcs))
        written = self._graph(names, skip_words=False) if looks else None  # only a look weighs padding
        whole_only = self._graph(names & s.pieces.whole_only) if s.pieces is not None else None
        return Context(automaton, readier, tuple(searches), looks, written, whole_only)

    def _graph(self, names: frozenset[str], skip_words: bool = True) -> Automaton | None:
        """The sentences of the named intents (after the name, when one is required); with
        ``skip_words`` False, as the templates write them (no skip word added either side).
        Each made once: the contexts share their second looks' graphs (help and safety, the
        calls for help)."""
        key = (names, skip_words)
        if key not in self._graphs:
            self._graphs[key] = self._make_graph(names, skip_words)
        return self._graphs[key]

    def _make_graph(self, names: frozenset[str], skip_words: bool) -> Automaton | None:
        skip, tail = (self._skip, self._tail) if skip_words else ([], [])
        chosen = {name: intent for name, intent in self._intents.intents.items() if name in names}
        if not chosen:
            return None
        subset = dataclasses.replace(self._intents, intents=chosen)
        root = grammar_from_intents(subset, self._knows, skip, tail).root
        if self._name:
            from skill.asr.grammar import Alt, Seq

            root = Seq((*self._name.words, root))
            nameless = {name: intent for name, intent in chosen.items() if name in NAMELESS}
            if nameless:  # a frightened person is not asked to say the name first
                bare = dataclasses.replace(self._intents, intents=nameless)
                root = Alt((root, grammar_from_intents(bare, self._knows, skip, tail).root))
        return compile_grammar(root)

    def _add_fillers(self, words: set[str]) -> list[str]:
        """Copies of ``words`` marked with FILLER_MARK, so a path through the loop shows."""
        names = []
        for word in sorted(words):
            phones = self._decoder.phones(word)
            if phones:
                self._decoder.add_word(word + FILLER_MARK, phones)
                names.append(word + FILLER_MARK)
        return names

    def _knows(self, word: str) -> bool:
        return self._decoder.phones(word) is not None

    def recognize(self, utterance: AudioChunk) -> Transcript | None:
        if utterance.rate != 16000 or utterance.width != 2 or utterance.channels != 1:
            raise ValueError("the recogniser takes 16 kHz mono 16-bit audio")
        self.last_verdict = verdict = self.hear(utterance.samples)
        log.debug("%s: %s", verdict.outcome.value, verdict.why)
        if verdict.outcome not in TAKEN:
            return None
        # The loop's words, or a path through the context's grammar (the rest: ``also`` too).
        readings = [(verdict.text, verdict.outcome is not Outcome.LOOP_WORDS),
                    *((text, True) for text in verdict.also)]
        texts = [t for t in (self._after_name(text, grammar) for text, grammar in readings) if t]
        return Transcript(texts[0], alternatives=tuple(texts[1:])) if texts else None

    def _after_name(self, text: str, grammar: bool) -> str:
        """A reading without the required name ("" when it lacks it: the loop's words need it,
        a grammar path without it is a safety sentence, see ``_graph``)."""
        rest = self._name.after(text)
        return rest.strip() if rest is not None else (text if grammar else "")

    def hear(self, samples: bytes) -> Verdict:
        """The verdict on one utterance: the room, the decodes, the decision; then, when the
        whole gave no command, the stretches between its pauses (``skill.asr.pieces``)."""
        context = self._context_for(self._listening)
        if context is None:
            return Verdict(Outcome.NOT_LISTENING, why="no intent this recogniser hears is listened for")
        room = level(samples)
        why = no_speech(room)
        if why is not None:
            return Verdict(Outcome.NO_SPEECH, why=why)
        n = band_for(self.settings.bands, room.range_db)
        band = self.settings.bands[n]
        if band.denoise:
            quick = self.hurried or len(samples) / 32000 > self.settings.max_dereverb_s
            clean = self._quick_denoise if quick else self._denoise
            samples = clean(samples) if clean is not None else samples
        again = self._decodes(samples)
        first = again(context.searches[n])
        whole = self._decide(first, context, n, again)
        pieces = self.settings.pieces
        if whole.outcome in TAKEN - {Outcome.LOOP_WORDS} or pieces is None or self.hurried:
            return whole
        found = self._between_pauses(samples, first, context, n, pieces)
        if found is None:
            return whole
        if whole.outcome is Outcome.LOOP_WORDS:  # its words first: the matcher may take them
            return dataclasses.replace(whole, why=f"{whole.why}; {found.why}", also=(found.text,))
        return found

    def _decodes(self, samples: bytes) -> Callable[[str], Decoded]:
        """Decodes of ``samples`` by search, each made once (a stretch's phone loop is asked
        for by the checks and by the stretches' own deficit)."""
        return functools.lru_cache(maxsize=None)(lambda search: self._decoder.decode(samples, search))

    def _decide(self, first: Decoded, context: Context, n: int, again: Callable[[str], Decoded]) -> Verdict:
        return decide(first, context, self.settings.bands[n], again, self.checks, self.settings.second_look,
                      self._skip_words, self._decoder.frames_per_second, self.settings.hear_filler_words)

    def _between_pauses(self, samples: bytes, first: Decoded, context: Context, n: int,
                        settings: Pieces) -> Verdict | None:
        """A stretch between the whole's pauses heard as a command, with the whole's band and
        cleaned audio (``skill.asr.pieces``)."""
        step = 32000 // self._decoder.frames_per_second  # bytes per frame
        decodes: dict[Span, Callable[[str], Decoded]] = {}

        def of(span: Span) -> Callable[[str], Decoded]:
            if span not in decodes:
                decodes[span] = self._decodes(samples[span.start * step:span.end * step])
            return decodes[span]

        def hear(span: Span) -> tuple[Verdict, Decoded]:
            decoded = of(span)(context.searches[n])
            return self._decide(decoded, context, n, of(span)), decoded

        def phones(span: Span) -> Decoded:
            return of(span)(PHONE_LOOP)

        def commands(span: Span) -> Decoded:  # cached: in a noisy room the second look asks for it too
            return of(span)(context.looks["all"])

        levels = levels_db(samples, step // 2).tolist()
        return between_pauses(first, levels, self._decoder.frames_per_second, settings, hear, phones,
                              self._skip_words, context.automaton, self._alike,
                              commands if "all" in context.looks else None, context.whole_only)


def alike(sounds: Mapping[str, str], heard_as: Mapping[str, Iterable[str]],
          words: Collection[str]) -> dict[str, frozenset[str]]:
    """The command words (of ``words``) each loop word may count as where the loop's words point
    at a command (``skill.asr.pieces.windows``): the one it sounds like ("were": "we're") and
    those the loop is often heard to write it for (``heard_as``: "what's" for "let's")."""
    out = {word: {same} for word, same in sounds.items()}
    for word, said in heard_as.items():
        out.setdefault(word, set()).update(w for w in said if w in words and w != word)
    return {word: frozenset(said) for word, said in out.items() if said}


def quiet_look(names: frozenset[str], readier: Automaton | None, look: SecondLook,
               graph: Callable[[frozenset[str]], Automaton | None]) -> Automaton | None:
    """What a quiet room looks again for: the ``readier`` intents' sentences, and those of
    ``look.quiet_looks_for``'s intents (``graph``: the named intents' sentences) that hold one
    of its words."""
    for name, words in look.quiet_looks_for:
        sentences = graph(names & {name})
        part = sentences.containing(words) if sentences is not None else None
        if part is not None and part.finals:
            readier = part if readier is None else readier.union(part)
    return readier


def sentences_of(intents: Intents, names: tuple[str, ...], is_known: Callable[[str], bool],
                 skip: list[str], tail: list[str]) -> Automaton | None:
    """The sentences (with their skip words) of the named intents only; None if there are none."""
    chosen = {name: intent for name, intent in intents.intents.items() if name in names}
    if not chosen:
        return None
    subset = dataclasses.replace(intents, intents=chosen)
    return compile_grammar(grammar_from_intents(subset, is_known, skip, tail).root)


def command_starts(skip_words: Iterable[str]) -> list[list[str]]:
    """What may come before a command's first word in the first pass: nothing, or one skip word."""
    return [[]] + [[word] for word in skip_words if " " not in word]


def turned_arcs(a: Automaton, turns: Mapping[str, str], skip_words: Iterable[str]) -> list[tuple[int, int, str]]:
    """Arcs that let the first pass hear an order to the partner as said, so the grammar does not
    force it into a command. Where a command starts (``command_starts``): beside each arc of a
    word in ``turns`` an arc of its second-person word to the same state ("you" beside "we": "you
    need to calm down" is no longer heard as "we need to calm down"). Inside a sentence nothing
    is added: "what time do we come back" became "... do you ...". The matcher refuses the words
    (``skill.nlu.orders``); the commands' own words are unchanged."""
    openers = {state for first in command_starts(skip_words) for state in [a.after(first)] if state is not None}
    return [(src, dst, turns[word]) for src, dst, word in a.arcs if src in openers and word in turns]


def escape_states(a: Automaton, prefixes: Iterable[str], skip_words: Iterable[str]) -> frozenset[int]:
    """The states that ``prefixes`` ("we need to") lead to where a command starts (``command_starts``)."""
    found = (a.after(first + prefix.split()) for prefix in prefixes for first in command_starts(skip_words))
    return frozenset(state for state in found if state is not None and state not in a.finals)


def _transitions(a: Automaton, fillers: list[str], entry: float, loop: float,
                 lead: Lead | None = None, escapes: frozenset[int] = frozenset(),
                 turns: Sequence[tuple[int, int, str]] = ()) -> tuple[int, int, list[tuple[Any, ...]]]:
    """(start, final, FSG arcs): the commands (each state's ways out equally likely), the filler loop,
    and with ``lead`` a few loop words before and after a command. From each state of ``escapes``
    any loop word the commands do not go on with there leads into the loop, as likely as the
    commands' own next words: after "we need to", "talk" and "pause" are weighed on sound alone.
    ``turns`` (``turned_arcs``) are as likely as the commands' own arcs beside them.

    States: the automaton's, then the final state, the loop, and with ``lead``
    a new start, the lead-in states and the trailing states. Null arcs (no word)
    join them.
    """
    final, loop_state = a.n_states, a.n_states + 1
    degree = a.out_degree()
    ways = [d + (state in a.finals) for state, d in enumerate(degree)]
    arcs: list[tuple[Any, ...]] = [(src, dst, 1.0 / ways[src], w) for src, dst, w in (*a.arcs, *turns)]
    arcs.extend((state, final, 1.0 / ways[state]) for state in sorted(a.finals))
    start = a.start
    if lead is not None and fillers:
        start = loop_state + 1
        leads = [start + 1 + n for n in range(lead.words)]
        trails = [start + 1 + lead.words + n for n in range(lead.words)]
        arcs.append((start, a.start, 1.0))
        for n, state in enumerate(leads):
            arcs.append((state, a.start, 1.0))
            if n + 1 < len(leads):
                arcs.extend((state, leads[n + 1], loop, word) for word in fillers)
        arcs.extend((start, leads[0], lead.weight, word) for word in fillers)
        for n, state in enumerate(trails):
            arcs.append((state, final, 1.0))
            if n + 1 < len(trails):
                arcs.extend((state, trails[n + 1], loop, word) for word in fillers)
        for state in sorted(a.finals):
            arcs.extend((state, trails[0], lead.weight, word) for word in fillers)
    if entry > 0.0:  # the whole loop (none for a second look with lead-ins only)
        for word in fillers:
            arcs.append((start, loop_state, entry, word))
            arcs.append((loop_state, loop_state, loop, word))
        arcs.append((loop_state, final, 1.0))
    if escapes:
        # Its own loop, without the commands' words: a path that left the commands cannot say
        # the rest of one ("i need | uh break" for "I need a break").
        escaped = 1 + max(max(d for _, d, *_ in arcs), loop_state, start)
        talk = [word for word in fillers if word.removesuffix(FILLER_MARK) not in a.words]
        for state in sorted(escapes):
            ahead = a.next_words(state)
            arcs.extend((state, escaped, 1.0 / ways[state], word) for word in fillers
                        if word.removesuffix(FILLER_MARK) not in ahead)
        arcs.extend((escaped, escaped, loop, word) for word in talk)
        arcs.append((escaped, final, 1.0))
    return start, final, arcs


@dataclass(frozen=True)
class Lead:
    """Up to ``words`` loop words before and after a command, the first costing ``weight``."""

    words: int
    weight: float
