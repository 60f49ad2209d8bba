"""Compile a grammar tree to the minimal word automaton a recogniser searches.

pocketsphinx's own JSGF compiler keeps every rule reference as a copy joined
by empty (null) transitions: the Haven templates become ~30,000 states and
~90,000 null arcs, and its search then runs slower than real time. The same
language as a deterministic, minimal automaton without null arcs is a few
thousand arcs and decodes at a few per cent of real time. The language is
finite (templates have no loops), so minimising is one bottom-up pass.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from types import MappingProxyType
from typing import Any

from skill.asr.grammar import Alt, Node, Seq

EMPTY: Mapping[str, Collection[str]] = MappingProxyType({})  # no word read as another


@dataclass(frozen=True)
class Automaton:
    """States 0..n-1, ``start``, ``finals``; ``arcs`` as (source, target, word)."""

    n_states: int
    start: int
    finals: frozenset[int]
    arcs: tuple[tuple[int, int, str], ...]

    def out_degree(self) -> list[int]:
        degree = [0] * self.n_states
        for src, _, _ in self.arcs:
            degree[src] += 1
        return degree

    @cached_property
    def _moves(self) -> dict[tuple[int, str], int]:
        """(state, word) -> next state, built once: a recogniser asks on every utterance."""
        return {(src, word): dst for src, dst, word in self.arcs}

    @cached_property
    def _out(self) -> list[list[tuple[str, int]]]:
        out: list[list[tuple[str, int]]] = [[] for _ in range(self.n_states)]
        for src, dst, word in self.arcs:
            out[src].append((word, dst))
        return out

    def edits(self, words: Sequence[str], most: int,
              alike: Mapping[str, Collection[str]] = EMPTY) -> list[int | None]:
        """For each prefix ``words[:k + 1]``, the fewest word edits (a word put in, left out or
        changed) that make it one of the automaton's sentences; None where that takes more than
        ``most``. A word read as one ``alike`` gives it is no edit. One pass over the words: the
        states within ``most`` edits, with their cost."""
        out = self._out

        def closure(costs: dict[int, int]) -> dict[int, int]:  # a sentence word left out
            todo = list(costs)
            while todo:
                state = todo.pop()
                cost = costs[state] + 1
                if cost > most:
                    continue
                for _, nxt in out[state]:
                    if costs.get(nxt, most + 1) > cost:
                        costs[nxt] = cost
                        todo.append(nxt)
            return costs

        costs = closure({self.start: 0})
        found: list[int | None] = []
        for word in words:
            also = alike.get(word, ())
            step: dict[int, int] = {}
            for state, cost in costs.items():
                if cost < most and step.get(state, most + 1) > cost + 1:
                    step[state] = cost + 1  # a word put in
                for label, nxt in out[state]:
                    new = cost + (label != word and label not in also)
                    if new <= most and step.get(nxt, most + 1) > new:
                        step[nxt] = new
            costs = closure(step)
            best = min((c for s, c in costs.items() if s in self.finals), default=None)
            found.append(best)
            if not costs:
                found.extend([None] * (len(words) - len(found)))
                break
        return found

    def accepts(self, words: list[str]) -> bool:
        return self.after(words) in self.finals

    def after(self, words: Sequence[str]) -> int | None:
        """The state ``words`` lead to from the start (None: no sentence begins so)."""
        state: int | None = self.start
        for word in words:
            state = self._moves.get((state, word)) if state is not None else None
        return state

    def next_words(self, state: int) -> frozenset[str]:
        """The words a sentence may go on with from ``state``."""
        return frozenset(word for word, _ in self._out[state])

    def containing(self, words: Collection[str]) -> Automaton:
        """The minimal automaton of this one's sentences that hold at least one of ``words``
        ("call nine one one" of the calls for help, not "we need the police")."""
        def step(q: tuple[int, bool], word: str) -> tuple[int, bool] | None:
            state = self._moves.get((q[0], word))
            return None if state is None else (state, q[1] or word in words)
        return _product((self.start, False), step, lambda q: q[0] in self.finals and q[1], self.words)

    def union(self, other: Automaton) -> Automaton:
        """The minimal automaton of the sentences of either."""
        def step(q: tuple[int | None, int | None], word: str) -> tuple[int | None, int | None] | None:
            mine = None if q[0] is None else self._moves.get((q[0], word))
            theirs = None if q[1] is None else other._moves.get((q[1], word))
            return None if mine is None and theirs is None else (mine, theirs)
        return _product((self.start, other.start), step,
                        lambda q: q[0] in self.finals or q[1] in other.finals, self.words | other.words)

    @cached_property
    def words(self) -> frozenset[str]:
        """Every word of every sentence."""
        return frozenset(word for _, _, word in self.arcs)


def _product(start: Any, step: Callable[[Any, str], Any], final: Callable[[Any], bool],
             words: frozenset[str]) -> Automaton:
    """The minimal automaton over the states ``step`` reaches from ``start`` (None: no move),
    without the states from which no final one can be reached."""
    ids = {start: 0}
    moves: list[dict[str, int]] = []
    todo = [start]
    while todo:
        current = todo.pop(0)
        row: dict[str, int] = {}
        for word in sorted(words):
            nxt = step(current, word)
            if nxt is not None:
                if nxt not in ids:
                    ids[nxt] = len(ids)
                    todo.append(nxt)
                row[word] = ids[nxt]
        moves.append(row)
    finals = [final(q) for q in ids]
    alive = list(finals)
    changed = True
    while changed:
        changed = False
        for n, row in enumerate(moves):
            if not alive[n] and any(alive[m] for m in row.values()):
                alive[n] = changed = True
    return _minimise([{w: m for w, m in row.items() if alive[m]} for row in moves], finals)


class _Nfa:
    def __init__(self) -> None:
        self.eps: list[list[int]] = [[]]
        self.arcs: list[list[tuple[str, int]]] = [[]]

    def new(self) -> int:
        self.eps.append([])
        self.arcs.append([])
        return len(self.eps) - 1

    def build(self, node: Node, start: int) -> int:
        """Add ``node`` from state ``start``; return the state where it ends."""
        if isinstance(node, str):
            end = self.new()
            self.arcs[start].append((node, end))
            return end
        if isinstance(node, Seq):
            for item in node.items:
                start = self.build(item, start)
            return start
        end = self.new()
        for item in node.items:
            self.eps[self.build(item, start)].append(end)
        if node.optional:
            self.eps[start].append(end)
        return end

    def closure(self, states: frozenset[int]) -> frozenset[int]:
        seen = set(states)
        stack = list(states)
        while stack:
            for nxt in self.eps[stack.pop()]:
                if nxt not in seen:
                    seen.add(nxt)
                    stack.append(nxt)
        return frozenset(seen)


def _determinise(nfa: _Nfa, final: int) -> tuple[list[dict[str, int]], list[bool]]:
    start = nfa.closure(frozenset([0]))
    ids = {start: 0}
    moves: list[dict[str, int]] = []
    finals: list[bool] = []
    todo = [start]
    while todo:
        current = todo.pop(0)
        targets: dict[str, set[int]] = {}
        for state in current:
            for word, nxt in nfa.arcs[state]:
                targets.setdefault(word, set()).add(nxt)
        row: dict[str, int] = {}
        for word, nxt_states in sorted(targets.items()):
            subset = nfa.closure(frozenset(nxt_states))
            if subset not in ids:
                ids[subset] = len(ids)
                todo.append(subset)
            row[word] = ids[subset]
        moves.append(row)
        finals.append(final in current)
    return moves, finals


def _minimise(moves: list[dict[str, int]], finals: list[bool]) -> Automaton:
    """Merge states with the same future: one pass, since the automaton has no loops."""
    canon: dict[int, int] = {}
    signatures: dict[tuple[object, ...], int] = {}

    def visit(state: int) -> int:
        stack = [(state, False)]
        while stack:
            current, expanded = stack.pop()
            if current in canon:
                continue
            pending = [n for n in moves[current].values() if n not in canon]
            if pending and not expanded:
                stack.append((current, True))
                stack.extend((n, False) for n in pending)
                continue
            sig = (finals[current], tuple((w, canon[n]) for w, n in moves[current].items()))
            canon[current] = signatures.setdefault(sig, len(signatures))
        return canon[state]

    start = visit(0)
    arcs = {(canon[s], canon[n], w) for s, row in enumerate(moves) if s in canon for w, n in row.items()}
    final_states = frozenset(canon[s] for s, f in enumerate(finals) if f and s in canon)
    return Automaton(len(signatures), start, final_states, tuple(sorted(arcs)))


def compile_grammar(root: Node) -> Automaton:
    """The minimal deterministic automaton accepting exactly the sentences of ``root``."""
    nfa = _Nfa()
    final = nfa.build(root, 0)
    moves, finals = _determinise(nfa, final)
    return _minimise(moves, finals)
