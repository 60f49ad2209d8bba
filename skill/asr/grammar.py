"""The command grammar, generated from the hassil intent templates, never written by hand.

Each template's expression tree (text, alternatives, optionals, permutations,
rule and list references) becomes the same structure of spoken words, so the
grammar accepts exactly the word sequences the templates accept, plus optional
skip words before and after a command ("okay stop", "stop please"). Range
lists (minutes 1..240) become their number words as hassil spells them (via
unicode_rbnf). Parts written without a space ("minute[s]") join into words.

Words the recogniser's dictionary lacks are checked through ``is_known``:
compounds of two known words ("checkin") are kept and listed in
``Grammar.compounds`` for the adapter to add with joined pronunciations; any
other unknown word drops the branches that use it, with one warning each.

The result is a small tree (``Node``); ``skill.asr.automaton`` compiles it to
the minimal word automaton the recogniser searches, and ``to_jsgf`` renders it
for people to read.
"""

from __future__ import annotations

import functools
import itertools
import logging
import re
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Union

from hassil import Intents
from hassil.expression import (
    Alternative,
    Expression,
    Group,
    ListReference,
    Permutation,
    Sentence,
    TextChunk,
)
from hassil.intents import RangeSlotList, SlotList, TextSlotList

from skill.nlu.walk import ExpressionWalker

_LOGGER = logging.getLogger(__name__)

_WORD_CHARS = re.compile(r"[^a-z0-9' ]+")
_MAX_PERMUTED = 4  # permutations grow factorially; templates use two or three parts


@dataclass(frozen=True)
class Seq:
    items: tuple[Node, ...]


@dataclass(frozen=True)
class Alt:
    items: tuple[Node, ...]
    optional: bool = False


Node = Union[str, Seq, Alt]  # a str is one spoken word


class _Void:
    """A branch that can never be heard (it uses a word the dictionary lacks)."""


VOID = _Void()
Part = Union[Node, _Void, None]  # None: says nothing (an empty chunk)


@dataclass(frozen=True)
class Grammar:
    """Every command sentence as a tree of words, plus how to say compound words.

    ``compounds`` maps a word missing from the dictionary to the known words
    whose pronunciations, joined, say it ("checkin" -> ("check", "in")).
    """

    root: Node
    words: frozenset[str]
    compounds: dict[str, tuple[str, ...]] = field(default_factory=dict)
    unknown: frozenset[str] = frozenset()


def words_of(text: str) -> list[str]:
    """Spoken words of a template chunk: lower case, hyphens and punctuation as spaces."""
    return _WORD_CHARS.sub(" ", text.lower().replace("-", " ")).split()


@functools.lru_cache(maxsize=1)
def _rbnf() -> Any:
    from unicode_rbnf import RbnfEngine

    return RbnfEngine.for_language("en")


def number_words(value: int) -> list[str]:
    """How ``value`` is said, e.g. 25 -> ["twenty five"] (hassil's own spelling)."""
    result = _rbnf().format_number(value)
    return sorted({" ".join(words_of(text)) for text in result.text_by_ruleset.values()})


def _seq(parts: Iterable[Part]) -> Part:
    items = [p for p in parts if p is not None]
    if any(p is VOID for p in items):
        return VOID
    nodes = tuple(p for p in items if not isinstance(p, _Void))
    return None if not nodes else nodes[0] if len(nodes) == 1 else Seq(nodes)


def _alt(parts: Iterable[Part], optional: bool = False) -> Part:
    options = list(parts)
    optional = optional or any(p is None for p in options)
    nodes = tuple(dict.fromkeys(p for p in options if p is not None and not isinstance(p, _Void)))
    if not nodes:
        return None if optional else VOID
    if len(nodes) == 1 and not optional:
        return nodes[0]
    return Alt(nodes, optional)


def _edge(expr: Expression, last: bool) -> bool:
    """True when ``expr`` may start (or end) with a letter, so a neighbour glues onto it."""
    if isinstance(expr, TextChunk):
        return bool(expr.text) and not (expr.text[-1] if last else expr.text[0]).isspace()
    if isinstance(expr, Alternative):
        return any(_edge(item, last) for item in expr.items)
    if isinstance(expr, Group):
        items = [i for i in expr.items if not (isinstance(i, TextChunk) and not i.text)]
        return bool(items) and _edge(items[-1] if last else items[0], last)
    return True


class _Builder(ExpressionWalker[Part]):
    """A template expression as a tree of spoken words (the shared walk, ``skill.nlu.walk``)."""

    def __init__(self, intents: Intents, is_known: Callable[[str], bool]) -> None:
        super().__init__(intents.slot_lists, intents.expansion_rules)
        self.is_known = is_known
        self.cache: dict[str, Part] = {}
        self.words: set[str] = set()
        self.compounds: dict[str, tuple[str, ...]] = {}
        self.unknown: set[str] = set()

    def word(self, word: str) -> str | _Void:
        if word in self.words:
            return word
        if not self.is_known(word):
            split = self._compound(word)
            if split is None:
                if word not in self.unknown:
                    _LOGGER.info("template word %r is not in the recogniser's dictionary; "
                                    "sentences using it cannot be heard", word)
                    self.unknown.add(word)
                return VOID
            self.compounds[word] = split
        self.words.add(word)
        return word

    def _compound(self, word: str) -> tuple[str, str] | None:
        for cut in range(2, len(word) - 1):
            if self.is_known(word[:cut]) and self.is_known(word[cut:]):
                return word[:cut], word[cut:]
        return None

    def phrase(self, text: str) -> Part:
        return _seq(self.word(w) for w in words_of(text))

    def expr(self, expr: Expression) -> Part:
        return self.walk(expr)

    def on_text(self, chunk: TextChunk) -> Part:
        return self.phrase(chunk.text)

    def on_alternative(self, expr: Alternative, depth: int) -> Part:
        return _alt((self.walk(i, depth) for i in expr.items), expr.is_optional)

    def on_permutation(self, expr: Permutation, depth: int) -> Part:
        if len(expr.items) > _MAX_PERMUTED:
            raise ValueError(f"a permutation of {len(expr.items)} parts is too large for a grammar")
        orders = itertools.permutations(expr.items)
        return _alt(_seq(self.walk(item, depth) for item in order) for order in orders)

    def on_group(self, expr: Group, depth: int) -> Part:
        """Items in order; items written without a space between ("minute[s]") form one word."""
        parts: list[Part] = []
        run: list[Expression] = []
        for item in list(expr.items) + [TextChunk(" ")]:
            if run and not (_edge(run[-1], last=True) and _edge(item, last=False)):
                parts.append(self.walk(run[0], depth) if len(run) == 1 else self.glued(run))
                run = []
            run.append(item)
        return _seq(parts)

    def glued(self, run: list[Expression]) -> Part:
        strings = _Strings(self.lists, self.rules)
        texts = {"".join(combo) for combo in itertools.product(*map(strings.walk, run))}
        return _alt(self.phrase(text) for text in sorted(texts))

    def on_rule(self, name: str, sentence: Sentence, depth: int) -> Part:
        key = "<" + name + ">"
        if key not in self.cache:
            self.cache[key] = VOID  # a rule that refers to itself can never end
            self.cache[key] = self.walk(sentence.expression, depth)
        return self.cache[key]

    def on_list(self, ref: ListReference, slot_list: SlotList, depth: int) -> Part:
        key = "{" + ref.list_name + "}"
        if key not in self.cache:
            self.cache[key] = self.list_body(slot_list, depth)
        return self.cache[key]

    def list_body(self, slot_list: SlotList, depth: int = 0) -> Part:
        if isinstance(slot_list, RangeSlotList):
            values = range(slot_list.start, slot_list.stop + 1, slot_list.step)
            return _alt(self.phrase(said) for v in values for said in number_words(v))
        if isinstance(slot_list, TextSlotList):
            return _alt(self.walk(v.text_in, depth) for v in slot_list.values)
        raise ValueError("wildcard lists cannot be part of a grammar")


class _Strings(ExpressionWalker[list[str]]):
    """Every text a part glued to its neighbour stands for ("minute[s]": minute, minutes)."""

    def on_text(self, chunk: TextChunk) -> list[str]:
        return [chunk.text]

    def on_alternative(self, expr: Alternative, depth: int) -> list[str]:
        return [s for item in expr.items for s in self.walk(item, depth)]

    def on_group(self, expr: Group, depth: int) -> list[str]:
        return ["".join(c) for c in itertools.product(*(self.walk(i, depth) for i in expr.items))]

    def on_permutation(self, expr: Permutation, depth: int) -> list[str]:
        raise ValueError("a Permutation cannot be joined to a word without a space")

    def on_list(self, ref: ListReference, slot_list: SlotList, depth: int) -> list[str]:
        raise ValueError("a ListReference cannot be joined to a word without a space")


def grammar_from_intents(
    intents: Intents,
    is_known: Callable[[str], bool] = lambda word: True,
    skip_words: Iterable[str] = (),
    tail_skip_words: Iterable[str] | None = None,
) -> Grammar:
    """Every sentence of ``intents``, with an optional skip word before and after.

    ``tail_skip_words`` (default: ``skip_words``) are the ones allowed after a
    command: a recogniser can stretch a trailing skip word over the rest of a
    longer sentence ("repeat after me" heard as "repeat actually").
    """
    builder = _Builder(intents, is_known)
    sentences = _alt(
        builder.expr(sentence.expression)
        for intent in intents.intents.values()
        for data in intent.data
        for sentence in data.sentences
    )
    if not isinstance(sentences, (str, Seq, Alt)):
        raise ValueError("the intent templates contain no sentence the recogniser can hear")
    skip_words = list(skip_words)
    tail_words = skip_words if tail_skip_words is None else list(tail_skip_words)
    skip = _alt((builder.phrase(s) for s in skip_words), optional=True)
    tail = _alt((builder.phrase(s) for s in tail_words), optional=True)
    root = _seq([skip, sentences, tail])
    assert isinstance(root, (str, Seq, Alt))
    return Grammar(root, frozenset(builder.words), dict(builder.compounds),
                   frozenset(builder.unknown))


def to_jsgf(grammar: Grammar) -> str:
    """The grammar in JSGF, for reading (the recogniser uses the compiled automaton)."""

    def render(node: Node) -> str:
        if isinstance(node, str):
            return node
        if isinstance(node, Seq):
            return "(" + " ".join(map(render, node.items)) + ")"
        body = "(" + " | ".join(map(render, node.items)) + ")"
        return "[" + body + "]" if node.optional else body

    return f"#JSGF V1.0;\ngrammar haven;\npublic <command> = {render(grammar.root)};\n"
