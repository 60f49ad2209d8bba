"""Intent templates in hassil's format, validated and expanded to sentences.

Layers: ``load_intent_set(paths)`` -> ``IntentSet.from_documents(docs)``.
Each sentence template is parsed by hassil, then expanded once into every
sentence it accepts. Range lists (minutes) become the placeholder ``#`` so a
template with ``{minutes}`` expands to a handful of sentences, not hundreds.
"""

from __future__ import annotations

import copy
import itertools
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hassil import Intents, merge_dict
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

from skill.messages import SlotValue
from skill.nlu.normalize import NUMBER_TOKEN, normalize
from skill.nlu.schema import parsed_template, validate_schema
from skill.nlu.walk import ExpressionWalker
from skill.datafile import DataFileError, Document, Problem, document_from_file
from skill.paths import intent_files

CANONICAL_INTENTS = (
    "break.start",
    "break.resume",
    "break.extend",
    "break.status",
    "break.end",
    "break.confirm",
    "breathing.start",
    "checkin.start",
    "checkin.next",
    "checkin.repeat",
    "checkin.skip",
    "checkin.previous",
    "checkin.yes",
    "checkin.done",
    "checkin.pause",
    "checkin.continue",
    "checkin.enough",
    "stop",
    "help",
    "safety",
    "safety.call",
    "safety.repeat",
    "mute",
    "unmute",
)

# A template that expands past this is almost surely a mistake (and slows matching).
MAX_EXPANSIONS_PER_TEMPLATE = 20_000
# Work bound for one expansion, counted over every partial sentence built on the way (a
# sequence holds its parts' expansions in lists): a chain of rules that doubles at each step
# (2^40 sentences) used to run until memory ran out, in `intents check` and at start.
MAX_EXPANSION_STEPS = 200_000


@dataclass(frozen=True)
class Template:
    """One sentence template and where it was written."""

    intent: str
    text: str
    file: str
    line: int
    slots: tuple[tuple[str, SlotValue], ...] = ()


@dataclass(frozen=True)
class NumberSlot:
    """A number said in the sentence fills slot ``name`` with value × ``multiplier``."""

    name: str
    multiplier: int = 1


@dataclass(frozen=True)
class Expansion:
    """One sentence a template accepts, normalised; ``#`` marks each number slot."""

    intent: str
    text: str
    slots: tuple[tuple[str, SlotValue], ...]
    number_slots: tuple[NumberSlot, ...]
    template: Template


@dataclass(frozen=True)
class _Partial:
    text: str
    slots: tuple[tuple[str, SlotValue], ...] = ()
    number_slots: tuple[NumberSlot, ...] = ()

    def __add__(self, other: _Partial) -> _Partial:
        return _Partial(
            self.text + other.text,
            self.slots + other.slots,
            self.number_slots + other.number_slots,
        )


class ExpansionError(Exception):
    """A template refers to something undefined or expands too far."""


class Budget:
    """Counts expansion steps; past ``limit`` the expansion is an error, not a hang."""

    def __init__(self, limit: int = MAX_EXPANSION_STEPS) -> None:
        self.limit = limit
        self.spent = 0

    def spend(self) -> None:
        self.spent += 1
        if self.spent > self.limit:
            raise ExpansionError(
                f"expands past {self.limit} steps (rules or alternatives multiply too far); "
                "split it up or use fewer alternatives"
            )


class Expander(ExpressionWalker[Iterator[_Partial]]):
    """Every sentence an expression accepts (the shared walk, ``skill.nlu.walk``), each step
    paid for from ``budget`` so that no template can expand for ever."""

    error = ExpansionError

    def __init__(self, lists: Mapping[str, SlotList], rules: Mapping[str, Sentence],
                 budget: Budget | None = None) -> None:
        super().__init__(lists, rules)
        self.budget = budget or Budget()

    def expand(self, expr: Expression, depth: int = 0) -> Iterator[_Partial]:
        return self.walk(expr, depth)

    def walk(self, expr: Expression, depth: int = 0) -> Iterator[_Partial]:
        for part in super().walk(expr, depth):
            self.budget.spend()
            yield part

    def on_text(self, chunk: TextChunk) -> Iterator[_Partial]:
        yield _Partial(chunk.original_text)

    def on_alternative(self, expr: Alternative, depth: int) -> Iterator[_Partial]:
        for item in expr.items:
            yield from self.walk(item, depth)

    def on_permutation(self, expr: Permutation, depth: int) -> Iterator[_Partial]:
        for order in itertools.permutations(expr.items):
            yield from self._sequence(order, depth, spaced=True)

    def on_group(self, expr: Group, depth: int) -> Iterator[_Partial]:
        return self._sequence(expr.items, depth, spaced=False)

    def _sequence(self, items: Sequence[Expression], depth: int, spaced: bool) -> Iterator[_Partial]:
        parts = [list(self.walk(item, depth)) for item in items]
        lead = " " if spaced else ""
        for combo in itertools.product(*parts):
            # one new part per sentence, not one per word: start-up expands 25,000 of them
            yield _Partial("".join(lead + part.text for part in combo),
                           tuple(slot for part in combo for slot in part.slots),
                           tuple(slot for part in combo for slot in part.number_slots))

    def on_list(self, ref: ListReference, slot_list: SlotList, depth: int) -> Iterator[_Partial]:
        if isinstance(slot_list, RangeSlotList):
            multiplier = int(slot_list.multiplier or 1)
            yield _Partial(f" {NUMBER_TOKEN} ", number_slots=(NumberSlot(ref.slot_name, multiplier),))
        elif isinstance(slot_list, TextSlotList):
            for value in slot_list.values:
                for part in self.walk(value.text_in, depth):
                    out = value.value_out if value.value_out is not None else part.text.strip()
                    yield part + _Partial("", slots=((ref.slot_name, out),))
        else:
            raise ExpansionError(f"list {{{ref.list_name}}} is a wildcard; Haven needs fixed values")


@dataclass
class IntentSet:
    """Everything the intent files define, with each template's origin."""

    intents: Intents
    templates: list[Template]
    skip_words: tuple[str, ...]
    frame_prefixes: tuple[str, ...] = ()
    frame_suffixes: tuple[str, ...] = ()
    # Each template's sentences, kept once expanded: the start-up check and the matcher both
    # need them, and expanding is most of the start-up time.
    _expanded: dict[Template, list[Expansion]] = field(default_factory=dict, repr=False,
                                                      compare=False)

    @staticmethod
    def from_documents(docs: Sequence[Document]) -> IntentSet:
        """Validate and merge documents; raise DataFileError listing every problem."""
        problems: list[Problem] = []
        for doc in docs:
            problems.extend(validate_schema(doc))
        if problems:
            raise DataFileError(problems)
        merged: dict[str, Any] = {}
        for doc in docs:
            merge_dict(merged, copy.deepcopy(doc.data))  # merge_dict shares nested dicts
        intents = Intents.from_dict(merged)
        templates = list(_templates(docs))
        skip = tuple(normalize(word) for word in intents.skip_words)
        frames = merged.get("frames") or {}
        return IntentSet(
            intents=intents,
            templates=templates,
            skip_words=skip,
            frame_prefixes=tuple(normalize(f, skip) for f in frames.get("prefixes", [])),
            frame_suffixes=tuple(normalize(f, skip) for f in frames.get("suffixes", [])),
        )

    def expand(self, template: Template) -> list[Expansion]:
        """Every normalised sentence ``template`` accepts."""
        if template not in self._expanded:
            self._expanded[template] = self._expand(template)
        return self._expanded[template]

    def _expand(self, template: Template) -> list[Expansion]:
        sentence = parsed_template(template.text)
        expander = Expander(self.intents.slot_lists, self.intents.expansion_rules)
        out: list[Expansion] = []
        for part in expander.expand(sentence.expression):
            text = normalize(part.text, self.skip_words)
            out.append(Expansion(template.intent, text, template.slots + part.slots,
                                 part.number_slots, template))
            if len(out) > MAX_EXPANSIONS_PER_TEMPLATE:
                raise ExpansionError(
                    f"expands to over {MAX_EXPANSIONS_PER_TEMPLATE} sentences; split it up"
                )
        return out

    def expand_all(self) -> list[Expansion]:
        """All sentences of all templates, duplicates within an intent removed."""
        seen: set[tuple[str, str]] = set()
        out: list[Expansion] = []
        for template in self.templates:
            for exp in self.expand(template):
                if (exp.intent, exp.text) not in seen and exp.text:
                    seen.add((exp.intent, exp.text))
                    out.append(exp)
        return out


def _templates(docs: Iterable[Document]) -> Iterator[Template]:
    for doc in docs:
        for name, intent in (doc.data.get("intents") or {}).items():
            for d, data in enumerate(intent["data"]):
                fixed = tuple((data.get("slots") or {}).items())
                for s, text in enumerate(data["sentences"]):
                    line = doc.line("intents", name, "data", d, "sentences", s)
                    yield Template(name, text, doc.name, line, fixed)


def load_documents(paths: Iterable[Path] | None = None) -> list[Document]:
    """Read intent files (default: the shipped ones); raise DataFileError for every bad one."""
    shipped = paths is None
    paths = list(paths) if paths is not None else intent_files()
    docs: list[Document] = []
    problems: list[Problem] = []
    for path in paths:
        try:
            docs.append(document_from_file(path))
        except DataFileError as exc:
            problems.extend(exc.problems)
    if problems:
        raise DataFileError(problems)
    if shipped:  # the couple's code phrase (break.code_phrase) joins break.start
        from skill.nlu.codephrase import code_phrase_documents

        docs += code_phrase_documents()
    return docs


def load_intent_set(paths: Iterable[Path] | None = None) -> IntentSet:
    return IntentSet.from_documents(load_documents(paths))


def load_intents(paths: Iterable[Path] | None = None) -> Intents:
    """The hassil ``Intents`` for the given (default: shipped) intent files."""
    return load_intent_set(paths).intents
