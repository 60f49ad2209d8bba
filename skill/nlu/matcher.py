"""Text -> intent: an exact match on the expanded templates, then a fuzzy fallback.

Saying nothing is a feature: most speech in a room where people argue is not a
command. The fuzzy stage compares the *whole* utterance with whole sentences
(rapidfuzz's ``ratio``, an edit-distance similarity), never a partial or
token-set score, so a command word buried in a long sentence scores low. Two
intents scoring within ``margin`` of each other give no intent at all.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz, process
from rapidfuzz.distance import Indel

from skill.messages import IntentMatch, SlotValue
from skill.nlu.normalize import (
    CLAUSE_BREAK,
    is_number_word,
    normalize,
    replace_numbers,
    strip_frames,
)
from skill.nlu.orders import is_refused
from skill.nlu.templates import Expansion, IntentSet, load_documents
from skill.datafile import Document, document_from_text

_LOGGER = logging.getLogger(__name__)


@dataclass(frozen=True)
class MatchSettings:
    """Fuzzy thresholds, as scores in 0..100.

    The best sentence must be within ``threshold`` in character similarity
    (rapidfuzz ratio: absorbs "brek", "checking"). Intents are then ranked by
    a blend with word similarity, which keeps "we need the break" nearer "we
    need a break" than "end the break"; the top two must differ by ``margin``.
    """

    threshold: float = 84.0
    margin: float = 5.0
    char_weight: float = 0.6
    # Short utterances ("stop", "skip") are one slip away from other words ("shop").
    short_chars: int = 8
    short_threshold: float = 92.0
    # Each word no template uses (and that is no near spelling of one) costs this much:
    # "is the game over yet" is not a slip of "is the break over yet".
    unknown_word_penalty: float = 6.0
    near_spelling: float = 75.0
    # In "that's enough, stop" the clause without a command may be this long at most.
    max_aside_words: int = 3
    # Sentences found inside a longer utterance must cover this share of its words,
    # and every other word must be one the templates use.
    min_span_coverage: float = 0.65
    # Words that turn a command around when they stand outside it ("not ... say it again").
    negations: tuple[str, ...] = ("not", "dont", "never", "no", "cant", "wont", "didnt")


class _Index:
    """Expanded sentences for exact lookup and fuzzy scoring."""

    def __init__(self, expansions: Iterable[Expansion]) -> None:
        self.exact: dict[str, list[Expansion]] = defaultdict(list)
        self.choices: list[str] = []
        self.entries: list[Expansion] = []
        for exp in expansions:
            self.exact[exp.text].append(exp)
            self.choices.append(exp.text)
            self.entries.append(exp)


class IntentMatcher:
    """Matches recognised text against the intent templates."""

    def __init__(self, intent_set: IntentSet, settings: MatchSettings | None = None) -> None:
        self.intent_set = intent_set
        self.settings = settings or MatchSettings()
        expansions = intent_set.expand_all()
        # Sentences with a number slot are compared with the query's numbers replaced by '#';
        # the others with the query as said, so "one more time" stays words.
        self._plain = _Index(e for e in expansions if not e.number_slots)
        self._numbered = _Index(e for e in expansions if e.number_slots)
        self.sentence_count = len(expansions)
        self.intent_names = sorted({e.intent for e in expansions})
        self._vocabulary = sorted({w for e in expansions for w in e.text.split()})
        self._known = set(self._vocabulary)

    @classmethod
    def from_files(cls, paths: Iterable[Path] | None = None,
                   settings: MatchSettings | None = None) -> IntentMatcher:
        """Load intent files (default: the shipped ones)."""
        return cls.from_documents(load_documents(paths), settings)

    @classmethod
    def from_yaml(cls, text: str, name: str = "<string>",
                  settings: MatchSettings | None = None) -> IntentMatcher:
        return cls.from_documents([document_from_text(text, name)], settings)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], settings: MatchSettings | None = None) -> IntentMatcher:
        return cls.from_documents([Document("<dict>", dict(data))], settings)

    @classmethod
    def from_documents(cls, docs: Sequence[Document],
                       settings: MatchSettings | None = None) -> IntentMatcher:
        return cls(IntentSet.from_documents(docs), settings)

    def match(self, text: str, intents: frozenset[str] | None = None) -> IntentMatch | None:
        """The intent in ``text``, or None when it is not (clearly) a command.

        ``intents``: the listening context; an intent outside it is no match.
        The text is still weighed against every intent's sentences, so a
        context only ever takes a match away: "next question" while idle is
        nearest ``checkin.next`` and gives nothing, never the closest idle
        intent.
        """
        result: _Matched | None = self._match_clause(text)
        if result is None and CLAUSE_BREAK.search(text.strip(" .!?")):
            result = self._match_clauses(CLAUSE_BREAK.split(text))
        if result is not None and intents is not None and result.intent not in intents:
            _LOGGER.debug("%s is not listened for now", result.intent)
            return None
        if result is not None and is_refused(result.intent, text, result.templates):
            _LOGGER.debug("%s refused: an order, a negation, a third person or a unit", result.intent)
            return None  # "you need to calm down" is not a break request (skill.nlu.orders)
        if result is None:
            return None
        return IntentMatch(intent=result.intent, slots=result.slots, confidence=result.confidence)

    def _match_clause(self, text: str) -> _Matched | None:
        query = normalize(text, self.intent_set.skip_words)
        if not query:
            return None
        numbered, numbers = replace_numbers(query)
        exact = self._exact(query, numbered, numbers)
        if exact:
            return self._decide_exact(exact, numbers)
        # Polite frames come off only for an exact match, so they never make a
        # long sentence look like a command.
        iset = self.intent_set
        for stripped in strip_frames(query, iset.frame_prefixes, iset.frame_suffixes):
            s_numbered, s_numbers = replace_numbers(stripped)
            exact = self._exact(stripped, s_numbered, s_numbers)
            if exact:
                return self._decide_exact(exact, s_numbers)
        return self._fuzzy(query, numbered, numbers) or self._spans(query)

    def _spans(self, query: str) -> _Matched | None:
        """Whole template sentences inside a longer utterance, all of one intent:
        "the time out is over we're back", "i need to step away from this"."""
        words = query.split()
        numeric = [is_number_word(w) for w in words]
        covered = [False] * len(words)
        found: list[tuple[Expansion, tuple[int, ...]]] = []
        for length in range(len(words) - 1, 0, -1):
            for start in range(len(words) - length + 1):
                if any(covered[start:start + length]):
                    continue
                span = " ".join(words[start:start + length])
                if any(numeric[start:start + length]):
                    numbered, numbers = replace_numbers(span)
                    hits = self._exact(span, numbered, numbers)
                else:
                    numbers, hits = (), self._plain.exact.get(span, [])
                if hits and len({h.intent for h in hits}) == 1:
                    found.append((hits[0], numbers))
                    covered[start:start + length] = [True] * length
        if not found or len({exp.intent for exp, _ in found}) > 1:
            return None
        coverage = sum(covered) / len(words)
        leftover = [w for w, c in zip(words, covered) if not c]
        longest = max(len(exp.text.split()) for exp, _ in found)
        if coverage < self.settings.min_span_coverage or longest < 2:
            return None
        if any(w not in self._known or w in self.settings.negations for w in leftover):
            return None
        if replace_numbers(" ".join(leftover))[1] or "hour" in leftover:
            return None  # a duration outside the sentence would be lost
        exp, numbers = max(found, key=lambda item: len(item[0].text))
        return _to_match(exp, numbers, 0.8 * coverage, tuple(e.text for e, _ in found))

    def _match_clauses(self, clauses: list[str]) -> _Matched | None:
        """Typed text with commas ("break's over, we're good"): one command, and asides."""
        results = [(c, self._match_clause(c)) for c in clauses if normalize(c)]
        found = [r for _, r in results if r is not None]
        asides = [c for c, r in results if r is None]
        if not found or len({r.intent for r in found}) > 1:
            return None
        if any(len(normalize(c).split()) > self.settings.max_aside_words for c in asides):
            return None
        return found[0]

    def _exact(self, query: str, numbered: str, numbers: tuple[int, ...]) -> list[Expansion]:
        hits = list(self._plain.exact.get(query, ()))
        if numbers:
            hits += self._numbered.exact.get(numbered, ())
        return hits

    def _decide_exact(self, hits: list[Expansion], numbers: tuple[int, ...]) -> _Matched | None:
        if len({h.intent for h in hits}) > 1:
            _LOGGER.debug("exact match is ambiguous between %s", sorted({h.intent for h in hits}))
            return None
        return _to_match(hits[0], numbers, 1.0, tuple(h.text for h in hits))

    def _unknown_words(self, query: str) -> int:
        unknown = [w for w in query.split() if w not in self._known and not w.isdigit()]
        return sum(
            1 for w in unknown
            if process.extractOne(w, self._vocabulary, scorer=fuzz.ratio,
                                  score_cutoff=self.settings.near_spelling) is None
        )

    def _fuzzy(self, query: str, numbered: str, numbers: tuple[int, ...]) -> _Matched | None:
        s = self.settings
        threshold = s.short_threshold if len(query) <= s.short_chars else s.threshold
        threshold += s.unknown_word_penalty * self._unknown_words(query)
        if threshold > 100.0:
            return None
        best: dict[str, tuple[float, float, Expansion]] = {}
        searches = [(query, self._plain)]
        if numbers:
            searches.append((numbered, self._numbered))
        for q, index in searches:
            words = q.split()
            for choice, char_score, i in process.extract(
                q, index.choices, scorer=fuzz.ratio, score_cutoff=threshold - 2 * s.margin,
                limit=None,
            ):
                exp = index.entries[i]
                word_score = Indel.normalized_similarity(words, choice.split()) * 100.0
                blend = s.char_weight * char_score + (1.0 - s.char_weight) * word_score
                if blend > best.get(exp.intent, (-1.0, 0.0, exp))[0] and _numbers_agree(exp, numbers):
                    best[exp.intent] = (blend, char_score, exp)
        if not best:
            return None
        ranked = sorted(best.values(), key=lambda item: item[0], reverse=True)
        top_blend, top_char, top = ranked[0]
        if top_char < threshold:
            return None
        if len(ranked) > 1 and top_blend - ranked[1][0] < s.margin:
            _LOGGER.debug("fuzzy match too close between %s and %s", top.intent, ranked[1][2].intent)
            return None
        return _to_match(top, numbers, top_char / 100.0)


def _numbers_agree(exp: Expansion, numbers: tuple[int, ...]) -> bool:
    """A near miss must not change a number: "three hours" is not "one hour"."""
    if exp.number_slots:
        return len(exp.number_slots) == len(numbers)
    return not numbers or replace_numbers(exp.text)[1] == numbers


@dataclass(frozen=True)
class _Matched(IntentMatch):
    """A match and the template sentences it came from (for skill.nlu.orders); never returned."""

    templates: tuple[str, ...] = ()


def _to_match(exp: Expansion, numbers: tuple[int, ...], confidence: float,
              templates: tuple[str, ...] | None = None) -> _Matched:
    slots: dict[str, SlotValue] = dict(exp.slots)
    if exp.number_slots and len(numbers) == len(exp.number_slots):
        for slot, value in zip(exp.number_slots, numbers):
            slots[slot.name] = value * slot.multiplier
    return _Matched(intent=exp.intent, slots=slots, confidence=round(confidence, 3),
                    templates=templates if templates is not None else (exp.text,))
