"""The check-in: a session reading a planned list of questions, and the rotation.

Rotation: within each deck section, a question is not asked again until every
other question of that section has been asked, across sessions. A question
counts as asked once it has been read out (skipping it counts too: it was
heard, and users dislike the same card coming straight back).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Mapping

from skill.config import CheckinSettings
from skill.decks import Deck, Question
from skill.engine.common import EngineStateError, int_field, say, time_from_json, time_to_json
from skill.messages import Say

STALE_AFTER = timedelta(minutes=30)  # a check-in untouched this long has quietly ended


@dataclass
class Rotation:
    """``asked[deck][section]``: ids asked in the current cycle, oldest first."""

    asked: dict[str, dict[str, list[str]]] = field(default_factory=dict)

    def pick(self, deck: Deck, section_id: str, count: int) -> list[Question]:
        section = deck.section(section_id)
        if section is None:
            return []
        asked = self.asked.get(deck.name, {}).get(section_id, [])
        fresh = [q for q in section.questions if q.id not in asked]
        by_id = {q.id: q for q in section.questions}
        # When the cycle runs out mid-session, the longest-unasked questions come next.
        oldest = [by_id[qid] for qid in asked if qid in by_id]
        return (fresh + oldest)[:count]

    def mark(self, deck: Deck, section_id: str, question: Question) -> None:
        section = deck.section(section_id)
        if section is None:
            return
        current = {q.id for q in section.questions}
        sections = self.asked.setdefault(deck.name, {})
        asked = [qid for qid in sections.get(section_id, []) if qid in current]
        if question.id not in asked:
            asked.append(question.id)
        sections[section_id] = [] if set(asked) >= current else asked

    def to_dict(self) -> dict[str, Any]:
        return {deck: {sec: list(ids) for sec, ids in secs.items()} for deck, secs in self.asked.items()}

    @classmethod
    def from_dict(cls, data: Any) -> Rotation:
        if not isinstance(data, dict):
            raise EngineStateError("rotation must be an object")
        asked: dict[str, dict[str, list[str]]] = {}
        for deck, sections in data.items():
            if not isinstance(sections, dict):
                raise EngineStateError("rotation entries must be objects")
            asked[str(deck)] = {
                str(sec): [str(i) for i in ids] for sec, ids in sections.items() if isinstance(ids, list)
            }
        return cls(asked)


@dataclass
class CheckinSession:
    """A running check-in: the planned (section id, question) list and where we are."""

    deck: Deck
    plan: list[tuple[str, Question]]
    index: int = 0
    last_activity: datetime | None = None
    switch_at: datetime | None = None
    done_at: datetime | None = None

    @classmethod
    def start(
        cls, now: datetime, deck: Deck, rotation: Rotation, session_number: int, s: CheckinSettings
    ) -> tuple[CheckinSession, list[Say]]:
        plan = [
            (section.id, question)
            for section in deck.sections
            for question in rotation.pick(deck, section.id, section.ask)
        ]
        session = cls(deck=deck, plan=plan)
        lines = [say("checkin.intro", title=deck.title, count=len(plan))]
        if s.turn_prompts:
            turns = "checkin.turns_earlier" if session_number % 2 == 0 else "checkin.turns_later"
            lines.append(say(turns))
        return session, lines + session.present(now, rotation, s, forward=True)

    @property
    def current(self) -> Question:
        return self.plan[self.index][1]

    def present(self, now: datetime, rotation: Rotation, s: CheckinSettings, forward: bool) -> list[Say]:
        """Read the current question (with its section title when a new section begins)."""
        section_id, question = self.plan[self.index]
        rotation.mark(self.deck, section_id, question)
        self.last_activity = now
        self._arm_turns(now, s)
        lines = []
        section = self.deck.section(section_id)
        new_section = self.index == 0 or self.plan[self.index - 1][0] != section_id
        if forward and new_section and section is not None and section.title:
            lines.append(say("checkin.section", title=section.title))
        return lines + [say("checkin.question", text=question.text)]

    def _arm_turns(self, now: datetime, s: CheckinSettings) -> None:
        turn = timedelta(seconds=s.switch_after_seconds)
        self.switch_at = now + turn if s.turn_prompts else None
        self.done_at = now + 2 * turn if s.turn_prompts else None

    def advance(self, now: datetime, rotation: Rotation, s: CheckinSettings) -> tuple[list[Say], bool]:
        """Move to the next question; at the end, the closing line and ``True`` (finished)."""
        if self.index + 1 >= len(self.plan):
            return [say("checkin.closing")], True
        self.index += 1
        return self.present(now, rotation, s, forward=True), False

    def back(self, now: datetime, rotation: Rotation, s: CheckinSettings) -> list[Say]:
        if self.index == 0:
            self.last_activity = now
            return [say("checkin.first"), say("checkin.question", text=self.current.text)]
        self.index -= 1
        return self.present(now, rotation, s, forward=False)

    def repeat(self, now: datetime) -> list[Say]:
        self.last_activity = now
        return [say("checkin.question", text=self.current.text)]

    def is_stale(self, now: datetime) -> bool:
        return self.last_activity is not None and now - self.last_activity >= STALE_AFTER

    def wakeup(self) -> datetime | None:
        return self.switch_at or self.done_at

    def tick(self, now: datetime) -> list[Say]:
        """Turn prompts: a gentle switch, then (later) a hint to move on."""
        if self.switch_at is not None and now >= self.switch_at:
            self.switch_at = None
            if self.done_at is None or now < self.done_at:
                return [say("turn.switch")]
        if self.done_at is not None and now >= self.done_at:
            self.done_at = None
            return [say("turn.done")]
        return []

    def to_dict(self) -> dict[str, Any]:
        return {
            "deck": self.deck.name,
            "plan": [[section_id, q.id] for section_id, q in self.plan],
            "index": self.index,
            "last_activity": time_to_json(self.last_activity),
            "switch_at": time_to_json(self.switch_at),
            "done_at": time_to_json(self.done_at),
        }

    @classmethod
    def from_dict(cls, data: Any, decks: Mapping[str, Deck]) -> CheckinSession:
        if not isinstance(data, dict) or data.get("deck") not in decks:
            raise EngineStateError("check-in refers to an unknown deck")
        deck = decks[data["deck"]]
        plan = []
        for item in data.get("plan", []):
            section = deck.section(str(item[0])) if isinstance(item, list) and len(item) == 2 else None
            found = [q for q in section.questions if q.id == item[1]] if section else []
            if not found:
                raise EngineStateError("check-in refers to a question no longer in the deck")
            plan.append((section.id if section else "", found[0]))
        index = int_field(data, "index")
        if not 0 <= index < len(plan):
            raise EngineStateError("check-in position is out of range")
        return cls(
            deck=deck,
            plan=plan,
            index=index,
            last_activity=time_from_json(data.get("last_activity")),
            switch_at=time_from_json(data.get("switch_at")),
            done_at=time_from_json(data.get("done_at")),
        )
