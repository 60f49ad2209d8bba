"""The check-in: a session reading a planned list of questions, with real turns.

A session may open by asking whether now is a good time (decks with
``opening``), waiting ``OPENING_WAIT`` for a "yes". A question from a ``turns``
section is answered in turns: the first partner speaks (``switch_after_seconds``),
the listener sums up (``summary_seconds``), they swap, the other listener sums
up, then the couple says "next". "I'm done" / "your turn" moves to the next step
early, but not in a step's first ``DONE_IGNORED`` (a late or repeated request, meant
for the step that just ended, must not skip the next one too). Other questions are answered freely, with one hint to say "next" later.

A cue falls due at its time but waits for a pause in speech: it is said at the
next ``SpeechEnded`` after that, or ``CUE_GRACE`` late, whichever comes first,
so it does not cut a sentence in half. Who speaks first alternates between
sessions and, within a session, between questions with turns.

A session left untouched (no command, nobody talking) for twice the deck's
``minutes``, and at least ``STALE_AFTER``, ends quietly (an hour-long weekly
session after two quiet hours); a paused one waits up to ``PAUSE_LIMIT``.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Mapping

from skill.config import CheckinSettings
from skill.decks import Deck, Question
from skill.engine.common import EngineStateError, State, int_field, say, time_from_json, time_to_json
from skill.engine.rotation import Rotation
from skill.messages import Say

__all__ = ["CheckinSession", "Phase", "Rotation"]

# Untouched and silent this long (or twice the ritual's length, if longer): the couple has moved on.
STALE_AFTER = timedelta(minutes=30)
PAUSE_LIMIT = timedelta(hours=12)  # a paused session is kept this long, then dropped
OPENING_WAIT = timedelta(minutes=2)  # how long "is now a good time?" waits for a yes
CUE_GRACE = timedelta(seconds=20)  # a turn cue waits at most this long for a pause in speech
# "I'm done" / "your turn" this soon after a phase began belongs to the phase before (a late
# or repeated request): it is ignored, so one partner cannot run through the other's turn.
DONE_IGNORED = timedelta(seconds=20)  # (at most half the phase's length)


class Phase(enum.Enum):
    ANSWER = "answer"  # a question without turns: answered freely
    SPEAK_FIRST = "speak_first"
    SUM_FIRST = "sum_first"  # the listener sums up what the first speaker said
    SPEAK_SECOND = "speak_second"
    SUM_SECOND = "sum_second"
    DONE = "done"  # nothing more to cue; waiting for "next"


# A phase, the line that ends it, and the phase that follows.
_STEPS: Mapping[Phase, tuple[str, Phase]] = {
    Phase.ANSWER: ("turn.done", Phase.DONE),
    Phase.SPEAK_FIRST: ("turn.sum_up", Phase.SUM_FIRST),
    Phase.SUM_FIRST: ("turn.swap", Phase.SPEAK_SECOND),
    Phase.SPEAK_SECOND: ("turn.sum_up", Phase.SUM_SECOND),
    Phase.SUM_SECOND: ("turn.both_done", Phase.DONE),
}
TURN_PHASES = frozenset({Phase.SPEAK_FIRST, Phase.SUM_FIRST, Phase.SPEAK_SECOND, Phase.SUM_SECOND})


def _phase_length(phase: Phase, s: CheckinSettings) -> timedelta | None:
    if not s.turn_prompts or phase is Phase.DONE:
        return None
    if phase is Phase.ANSWER:
        return timedelta(seconds=2 * s.switch_after_seconds)
    if phase in (Phase.SUM_FIRST, Phase.SUM_SECOND):
        return timedelta(seconds=s.summary_seconds)
    return timedelta(seconds=s.switch_after_seconds)


@dataclass
class CheckinSession:
    """A running check-in: the planned (section id, question) list and where it stands.

    ``number`` counts sessions in the household (its parity says who starts);
    ``cue_at`` is when the current phase's cue falls due; ``waiting_until`` is set while
    the opening waits for a yes, ``paused_at`` while the session is paused.
    """

    deck: Deck
    plan: list[tuple[str, Question]]
    number: int = 0
    index: int = 0
    phase: Phase = Phase.ANSWER
    cue_at: datetime | None = None
    last_activity: datetime | None = None
    waiting_until: datetime | None = None
    paused_at: datetime | None = None
    phase_began: datetime | None = None  # when the current phase began (not saved: a restore restarts it)

    @classmethod
    def start(
        cls, now: datetime, deck: Deck, rotation: Rotation, number: int, s: CheckinSettings
    ) -> tuple[CheckinSession, list[Say]]:
        rotation.ensure_seed(now)
        plan = [
            (section.id, question)
            for section in deck.sections
            for question in rotation.pick(deck, section.id, section.ask)
        ]
        session = cls(deck=deck, plan=plan, number=number, last_activity=now)
        if deck.opening:
            session.waiting_until = now + OPENING_WAIT
            return session, [say("checkin.opening", title=deck.title)]
        return session, session.begin(now, rotation, s)

    @property
    def state(self) -> State:
        if self.waiting_until is not None:
            return State.CHECKIN_OPENING
        return State.CHECKIN_PAUSED if self.paused_at is not None else State.CHECKIN

    @property
    def current(self) -> Question:
        return self.plan[self.index][1]

    @property
    def in_turns(self) -> bool:
        """A turn is running, so "I'm done" / "your turn" means something."""
        return self.phase in TURN_PHASES and self.state is State.CHECKIN

    def begin(self, now: datetime, rotation: Rotation, s: CheckinSettings) -> list[Say]:
        """The introduction and the first question (after the opening's yes, if any)."""
        self.waiting_until = None
        if len(self.plan) == 1:
            lines = [say("checkin.intro_one", title=self.deck.title)]
        else:
            lines = [say("checkin.intro", title=self.deck.title, count=len(self.plan))]
        if self.deck.intro:
            lines.append(say("checkin.guidance", text=self.deck.intro))
        first = self.deck.section(self.plan[0][0]) if self.plan else None
        if s.turn_prompts and not (first is not None and first.turns):  # else the question says it
            lines.append(say("checkin.turns_earlier" if self.number % 2 == 0 else "checkin.turns_later"))
        return lines + self.present(now, rotation, s, forward=True)

    def present(self, now: datetime, rotation: Rotation, s: CheckinSettings, forward: bool) -> list[Say]:
        """Read the current question (with its section title when a new section begins)."""
        section_id, question = self.plan[self.index]
        rotation.mark(self.deck, section_id, question)
        self.last_activity = now
        lines = []
        section = self.deck.section(section_id)
        new_section = self.index == 0 or self.plan[self.index - 1][0] != section_id
        if forward and new_section and section is not None and section.title:
            lines.append(say("checkin.section", title=section.title))
        lines.append(say("checkin.question", text=question.text))
        turns = section is not None and section.turns
        self._enter(Phase.SPEAK_FIRST if turns else Phase.ANSWER, now, s)
        if turns and s.turn_prompts:
            first = "turn.first_earlier" if self._first_speaker() == 0 else "turn.first_later"
            lines.append(say(first, duration=timedelta(seconds=s.switch_after_seconds)))
        return lines

    def _first_speaker(self) -> int:
        """0: the earlier birthday starts; alternates by session and by question with turns."""
        earlier_turns = sum(
            1 for sid, _ in self.plan[: self.index] if (sec := self.deck.section(sid)) and sec.turns
        )
        return (self.number + earlier_turns) % 2

    def _enter(self, phase: Phase, now: datetime, s: CheckinSettings) -> None:
        self.phase = phase
        self.phase_began = now
        length = _phase_length(phase, s)
        self.cue_at = now + length if length is not None else None

    def _step(self, now: datetime, s: CheckinSettings) -> list[Say]:
        """End the current phase: its cue, and the next phase starts now."""
        line, following = _STEPS[self.phase]
        self._enter(following, now, s)
        if line == "turn.swap":
            return [say(line, duration=timedelta(seconds=s.switch_after_seconds))]
        return [say(line)]

    # ---- what the couple says ---------------------------------------------

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

    def done_speaking(self, now: datetime, s: CheckinSettings) -> list[Say]:
        """ "I'm done" / "your turn": the current turn or summary ends now, unless it began
        moments ago (then the request was meant for the phase before, already ended)."""
        if self.phase not in TURN_PHASES:
            return []
        self.last_activity = now
        if self.phase_began is not None:
            ignored = DONE_IGNORED
            length = _phase_length(self.phase, s)
            if length is not None:
                ignored = min(ignored, length / 2)
            if now - self.phase_began < ignored:
                return []
        return self._step(now, s)

    def pause(self, now: datetime) -> list[Say]:
        self.paused_at = now
        self.cue_at = None
        return [say("checkin.paused")]

    def resume(self, now: datetime, s: CheckinSettings) -> list[Say]:
        """Back from a pause: the question again, and its current step starts over."""
        self.paused_at = None
        self.last_activity = now
        self._enter(self.phase, now, s)
        return [say("checkin.continued"), say("checkin.question", text=self.current.text)]

    def restored(self, now: datetime, s: CheckinSettings) -> list[Say]:
        """After a restart: where the couple was, and the current step starts over."""
        self.last_activity = now
        self._enter(self.phase, now, s)
        return [say("checkin.restored"), say("checkin.question", text=self.current.text)]

    def hold_cues(self) -> None:
        """Breathing interrupts the turns; the next command or question starts them again."""
        self.cue_at = None

    # ---- time and the room ------------------------------------------------

    def speech_ended(self, now: datetime, s: CheckinSettings) -> list[Say]:
        """Someone stopped talking: the session is alive, and a due cue can be said now."""
        if self.state is not State.CHECKIN:
            return []
        self.last_activity = now
        if self.cue_at is not None and now >= self.cue_at:
            return self._step(now, s)
        return []

    def stale_at(self) -> datetime | None:
        """When the session ends by itself if nothing happens before."""
        if self.paused_at is not None:
            return self.paused_at + PAUSE_LIMIT
        if self.last_activity is None:
            return None
        return self.last_activity + max(STALE_AFTER, 2 * timedelta(minutes=self.deck.minutes))

    def is_stale(self, now: datetime) -> bool:
        ends = self.stale_at()
        return ends is not None and now >= ends

    def wakeup(self) -> datetime | None:
        """The opening's deadline, a cue's latest time, or the end of a quiet session: the
        engine is woken for it, so the hearing stops listening for check-in commands then."""
        if self.waiting_until is not None:
            return self.waiting_until
        times = [self.stale_at()]
        if self.paused_at is None and self.cue_at is not None:
            times.append(self.cue_at + CUE_GRACE)
        pending = [t for t in times if t is not None]
        return min(pending) if pending else None

    def tick(self, now: datetime, s: CheckinSettings) -> tuple[list[Say], bool]:
        """A cue nobody paused for; or no yes to the opening, or a session left alone
        (``True``: the session is over)."""
        if self.waiting_until is not None:
            if now >= self.waiting_until:
                return [say("checkin.opening_expired")], True
            return [], False
        if self.is_stale(now):
            return [], True  # left alone: it ends quietly
        if self.paused_at is None and self.cue_at is not None and now >= self.cue_at + CUE_GRACE:
            return self._step(now, s), False
        return [], False

    # ---- snapshot ---------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        return {
            "deck": self.deck.name,
            "plan": [[section_id, q.id] for section_id, q in self.plan],
            "number": self.number,
            "index": self.index,
            "phase": self.phase.value,
            "cue_at": time_to_json(self.cue_at),
            "last_activity": time_to_json(self.last_activity),
            "waiting_until": time_to_json(self.waiting_until),
            "paused_at": time_to_json(self.paused_at),
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
        try:
            phase = Phase(data.get("phase", Phase.ANSWER.value))
        except ValueError:
            raise EngineStateError("check-in phase is unknown") from None
        return cls(
            deck=deck,
            plan=plan,
            number=int_field(data, "number"),
            index=index,
            phase=phase,
            cue_at=time_from_json(data.get("cue_at")),
            last_activity=time_from_json(data.get("last_activity")),
            waiting_until=time_from_json(data.get("waiting_until")),
            paused_at=time_from_json(data.get("paused_at")),
        )
