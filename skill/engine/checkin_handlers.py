"""The engine's answers to the check-in intents (a part of ``Engine``, kept apart for size).

The session itself (questions, turns, cues) is ``skill.engine.checkin``; these
handlers only keep the engine's state in step with it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Mapping

from skill.config import Settings
from skill.decks import Deck
from skill.engine.breathing import Breathing
from skill.engine.checkin import CheckinSession
from skill.engine.common import State, say
from skill.engine.rotation import Rotation
from skill.messages import Say, SlotValue


class CheckinHandlers:
    """Mixed into ``Engine``, which owns these attributes."""

    settings: Settings
    decks: dict[str, Deck]
    state: State
    checkin: CheckinSession | None
    breathing: Breathing | None
    rotation: Rotation
    later_answers_first: bool

    def _end_checkin(self) -> None:
        self.checkin = None
        self.state = State.IDLE

    def _on_checkin_start(self, slots: Mapping[str, SlotValue], now: datetime) -> list[Say]:
        if self.state in (State.BREAK, State.BREAK_RETURN):
            return [say("checkin.in_break")]
        if self.checkin is not None and self.state is State.CHECKIN_PAUSED:
            return self._on_checkin_continue(slots, now)
        if self.checkin is not None:
            return [say("checkin.already")]
        wanted = slots.get("deck")
        name = wanted if isinstance(wanted, str) and wanted in self.decks else self.settings.checkin.deck
        self.breathing = None
        self.checkin, lines = CheckinSession.start(
            now, self.decks[name], self.rotation, int(self.later_answers_first), self.settings.checkin
        )
        if self.checkin.state is not State.CHECKIN_OPENING:  # begun at once: it counts
            self.later_answers_first = not self.later_answers_first
        self.state = self.checkin.state
        return lines

    def _on_checkin_yes(self, slots: Mapping[str, SlotValue], now: datetime) -> list[Say]:
        if self.checkin is None or self.state is not State.CHECKIN_OPENING:
            return []
        lines = self.checkin.begin(now, self.rotation, self.settings.checkin)
        self.later_answers_first = not self.later_answers_first  # only a session that began counts
        self.state = self.checkin.state
        return lines

    def _on_checkin_done(self, slots: Mapping[str, SlotValue], now: datetime) -> list[Say]:
        if self.checkin is None:
            return [say("checkin.none")]
        return self.checkin.done_speaking(now, self.settings.checkin)

    def _on_checkin_pause(self, slots: Mapping[str, SlotValue], now: datetime) -> list[Say]:
        if self.checkin is None:
            return [say("checkin.none")]
        self.breathing = None
        lines = self.checkin.pause(now)
        self.state = self.checkin.state
        return lines

    def _on_checkin_continue(self, slots: Mapping[str, SlotValue], now: datetime) -> list[Say]:
        if self.checkin is None:
            return [say("checkin.none")]
        if self.state is not State.CHECKIN_PAUSED:
            return [say("checkin.not_paused")]
        lines = self.checkin.resume(now, self.settings.checkin)
        self.state = self.checkin.state
        return lines

    def _on_checkin_enough(self, slots: Mapping[str, SlotValue], now: datetime) -> list[Say]:
        """ "That's enough for today": close warmly; unread questions stay fresh."""
        if self.checkin is None:
            return [say("checkin.none")]
        opening = self.state is State.CHECKIN_OPENING
        self.breathing = None
        self._end_checkin()
        return [say("checkin.another_time")] if opening else [say("checkin.enough")]

    def _on_checkin_next(self, slots: Mapping[str, SlotValue], now: datetime) -> list[Say]:
        return self._checkin_advance(now, [])

    def _on_checkin_skip(self, slots: Mapping[str, SlotValue], now: datetime) -> list[Say]:
        return self._checkin_advance(now, [say("checkin.skipped")])

    def _checkin_advance(self, now: datetime, first: list[Say]) -> list[Say]:
        if self.checkin is None:
            return [say("checkin.none")]
        self.breathing = None
        more, finished = self.checkin.advance(now, self.rotation, self.settings.checkin)
        if finished:
            self._end_checkin()
        return first + more

    def _on_checkin_repeat(self, slots: Mapping[str, SlotValue], now: datetime) -> list[Say]:
        if self.checkin is None:
            return [say("checkin.none")]
        self.breathing = None
        return self.checkin.repeat(now)

    def _on_checkin_previous(self, slots: Mapping[str, SlotValue], now: datetime) -> list[Say]:
        if self.checkin is None:
            return [say("checkin.none")]
        self.breathing = None
        return self.checkin.back(now, self.rotation, self.settings.checkin)
