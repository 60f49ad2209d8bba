"""One walk over hassil's expression trees, for every reader of the intent templates.

The recogniser's grammar (``skill.asr.grammar``) and the matcher's sentence
expansion (``skill.nlu.templates``) read the same trees. This module owns what
they share: which kind of node is which (``Permutation`` and ``Alternative``
are both ``Group``s in hassil, so the order of the tests matters), how a rule
or a list reference is resolved, and the refusal of undefined names and of
rules that refer to each other without end. Each reader says only what a node
becomes, by overriding the ``on_*`` methods.
"""

from __future__ import annotations

from typing import Generic, Mapping, TypeVar

from hassil.expression import (
    Alternative,
    Expression,
    Group,
    ListReference,
    Permutation,
    RuleReference,
    Sentence,
    TextChunk,
)
from hassil.intents import SlotList

T = TypeVar("T")

MAX_DEPTH = 30  # no template nests this deep; rules referring to each other do


class ExpressionWalker(Generic[T]):
    """``walk(expr)`` dispatches each node to an ``on_*`` method returning a ``T``.

    ``error`` is the exception a reader raises for a broken template.
    """

    error: type[Exception] = ValueError

    def __init__(self, lists: Mapping[str, SlotList], rules: Mapping[str, Sentence]) -> None:
        self.lists = lists
        self.rules = rules

    def walk(self, expr: Expression, depth: int = 0) -> T:
        if depth > MAX_DEPTH:
            raise self.error("expansion rules refer to each other in a loop")
        if isinstance(expr, TextChunk):
            return self.on_text(expr)
        if isinstance(expr, Alternative):
            return self.on_alternative(expr, depth + 1)
        if isinstance(expr, Permutation):
            return self.on_permutation(expr, depth + 1)
        if isinstance(expr, Group):
            return self.on_group(expr, depth + 1)
        if isinstance(expr, RuleReference):
            return self.on_rule(expr.rule_name, self.rule(expr.rule_name), depth + 1)
        if isinstance(expr, ListReference):
            return self.on_list(expr, self.slot_list(expr.list_name), depth + 1)
        raise self.error(f"unsupported template part {type(expr).__name__}")

    def rule(self, name: str) -> Sentence:
        sentence = self.rules.get(name)
        if sentence is None:
            raise self.error(f"undefined expansion rule <{name}>")
        return sentence

    def slot_list(self, name: str) -> SlotList:
        found = self.lists.get(name)
        if found is None:
            raise self.error(f"undefined list {{{name}}}")
        return found

    # ---- what each reader makes of a node -------------------------------------

    def on_text(self, chunk: TextChunk) -> T:
        raise self.error("a text chunk cannot be used here")

    def on_alternative(self, expr: Alternative, depth: int) -> T:
        raise self.error("an alternative cannot be used here")

    def on_permutation(self, expr: Permutation, depth: int) -> T:
        raise self.error("a permutation cannot be used here")

    def on_group(self, expr: Group, depth: int) -> T:
        raise self.error("a group cannot be used here")

    def on_rule(self, name: str, sentence: Sentence, depth: int) -> T:
        return self.walk(sentence.expression, depth)

    def on_list(self, ref: ListReference, slot_list: SlotList, depth: int) -> T:
        raise self.error(f"the list {{{ref.list_name}}} cannot be used here")
