"""Fresh questions: each deck section shuffled for the household, no repeat until used up.

The order of a section is a shuffle seeded by the household's ``seed`` (set once,
from the moment of its first check-in, and saved with the state), the deck and
the section, so two households hear different orders and one household hears
the same order after a restart. A question counts as asked once it has been
read out (a skipped one too: it was heard, and the same card straight back is
what couples dislike). When every question of a section has been asked, a new
cycle starts with a new shuffle, and the questions asked last in the old cycle
go to the end of the new one, so a question never comes back soon after it was
heard. Question ids are hashes of their text: editing the deck file keeps the
rotation of the questions left as they were.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from skill.decks import Deck, Question, Section
from skill.engine.common import EngineStateError


@dataclass
class SectionRound:
    """Where one section is: its ``cycle`` number, ids ``asked`` in it (oldest first), and
    the ids of the cycle before in the order they were asked."""

    cycle: int = 0
    asked: list[str] = field(default_factory=list)
    previous: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"cycle": self.cycle, "asked": list(self.asked), "previous": list(self.previous)}

    @classmethod
    def from_dict(cls, data: Any) -> SectionRound:
        if isinstance(data, list):  # the first saved shape: the asked ids alone
            return cls(asked=[str(i) for i in data])
        if not isinstance(data, dict):
            raise EngineStateError("a rotation section must be an object")
        cycle = data.get("cycle", 0)
        if not isinstance(cycle, int) or isinstance(cycle, bool) or cycle < 0:
            raise EngineStateError("a rotation cycle must be a whole number")
        asked, previous = data.get("asked", []), data.get("previous", [])
        if not isinstance(asked, list) or not isinstance(previous, list):
            raise EngineStateError("rotation ids must be lists")
        return cls(cycle=cycle, asked=[str(i) for i in asked], previous=[str(i) for i in previous])


@dataclass
class Rotation:
    """``rounds[deck][section]``; ``seed`` is None until the household's first check-in."""

    seed: int | None = None
    rounds: dict[str, dict[str, SectionRound]] = field(default_factory=dict)

    def ensure_seed(self, now: datetime) -> None:
        """Seed the shuffle once per household, from the moment of its first check-in."""
        if self.seed is None:
            self.seed = int(now.timestamp() * 1_000_000) % (2**31)

    def _round(self, deck: Deck, section_id: str) -> SectionRound:
        return self.rounds.get(deck.name, {}).get(section_id) or SectionRound()

    def order(self, deck: Deck, section: Section, cycle: int, previous: list[str]) -> list[Question]:
        """The section's questions in the order of ``cycle``; the end of ``previous`` goes last."""
        questions = sorted(section.questions, key=lambda q: q.id)  # file order does not matter
        random.Random(f"{self.seed}:{deck.name}:{section.id}:{cycle}").shuffle(questions)
        recent = set(previous[-max(1, len(previous) // 4):]) if previous else set()
        return sorted(questions, key=lambda q: q.id in recent)  # stable: recent ones to the back

    def pick(self, deck: Deck, section_id: str, count: int) -> list[Question]:
        """The next ``count`` questions of the section, fresh ones first."""
        section = deck.section(section_id)
        if section is None:
            return []
        now = self._round(deck, section_id)
        current = {q.id for q in section.questions}
        asked = [qid for qid in now.asked if qid in current]
        fresh = [q for q in self.order(deck, section, now.cycle, now.previous) if q.id not in asked]
        if len(fresh) < count:  # the cycle runs out mid-session: go on with the next one
            finished = asked + [q.id for q in fresh]
            following = self.order(deck, section, now.cycle + 1, finished)
            fresh += [q for q in following if q not in fresh]
        return fresh[:count]

    def mark(self, deck: Deck, section_id: str, question: Question) -> None:
        """``question`` was read out."""
        section = deck.section(section_id)
        if section is None:
            return
        current = {q.id for q in section.questions}
        now = self._round(deck, section_id)
        asked = [qid for qid in now.asked if qid in current]
        if question.id not in asked:
            asked.append(question.id)
        if set(asked) >= current:
            now = SectionRound(cycle=now.cycle + 1, asked=[], previous=asked)
        else:
            now = SectionRound(cycle=now.cycle, asked=asked, previous=now.previous)
        self.rounds.setdefault(deck.name, {})[section_id] = now

    def fresh(self, deck: Deck) -> int:
        """How many of the deck's questions have not been asked in their section's cycle."""
        return sum(
            len({q.id for q in s.questions} - set(self._round(deck, s.id).asked)) for s in deck.sections
        )

    def sessions_left(self, deck: Deck) -> int:
        """Whole sessions before some section has to repeat a question."""
        return min(
            len({q.id for q in s.questions} - set(self._round(deck, s.id).asked)) // s.ask
            for s in deck.sections
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "seed": self.seed,
            "decks": {
                deck: {sec: rnd.to_dict() for sec, rnd in secs.items()} for deck, secs in self.rounds.items()
            },
        }

    @classmethod
    def from_dict(cls, data: Any) -> Rotation:
        if not isinstance(data, dict):
            raise EngineStateError("rotation must be an object")
        seed = data.get("seed")
        if "decks" in data and (seed is None or (isinstance(seed, int) and not isinstance(seed, bool))):
            decks = data["decks"]
        else:  # the first saved shape: deck -> section -> asked ids, no seed
            decks, seed = data, None
        if not isinstance(decks, dict):
            raise EngineStateError("rotation decks must be an object")
        rounds: dict[str, dict[str, SectionRound]] = {}
        for deck, sections in decks.items():
            if not isinstance(sections, dict):
                raise EngineStateError("rotation entries must be objects")
            rounds[str(deck)] = {str(sec): SectionRound.from_dict(rnd) for sec, rnd in sections.items()}
        return cls(seed=seed, rounds=rounds)
