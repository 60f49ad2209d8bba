"""The engine: events in (an intent heard, a clock tick, each with ``now``), lines out.

It never reads the clock, never sleeps, never speaks and never sees what was
said: ``Heard`` carries only the intent and its slots. Time is always a
timezone-aware datetime passed in by the caller.

A recognised command that makes no sense in the current state gets one short
line saying what is going on (silence after a command reads as "it did not
hear", and people repeat themselves louder, which is the last thing a tense
room needs). The one exception is ``stop`` with nothing running: it is asked
to be quiet, so it is.

The break belongs to both partners: "stop" silences (breathing, a line) but
never ends a break; ending early takes an explicit request and, before
``break.end_early_after_minutes``, a "yes, we're both ready". Muted, the
engine hears only the unmute phrase and safety, and its timers still run.
"""

from __future__ import annotations

import dataclasses
import logging
from datetime import datetime, timedelta
from typing import Callable, Mapping

from skill.config import BreathingSettings, Settings
from skill.decks import Deck
from skill.engine.breaks import CONFIRM_WINDOW, BreakTimer, clamp_break_minutes
from skill.engine.breathing import PATTERNS, Breathing
from skill.engine.checkin import CheckinSession, Rotation
from skill.engine.checkin_handlers import CheckinHandlers
from skill.engine.common import State, minutes, require_aware, say
from skill.engine.contexts import DURING_TURNS, MUTED, SAFETY_FOLLOW_UP, listening_context, same_words
from skill.engine.daylimit import BreakLog
from skill.engine.safety import SAFETY_REPEAT_WINDOW, safety_lines
from skill.helplines import HelpLine, default_helplines
from skill.messages import Event, Heard, MicBack, MicLost, Say, SlotValue, SpeechEnded, Tick

log = logging.getLogger(__name__)

RECENT_BREAK = timedelta(hours=1)  # "we're back" this soon after a break still gets the guide

Handler = Callable[[Mapping[str, SlotValue], datetime], list[Say]]

# Lines said by the timers that ask for a command. Muted, Haven hears none of those: each
# has a muted variant that says so and how to unmute first, or gets ``mute.still`` before it.
MUTED_VARIANTS: Mapping[str, str] = {
    "break.return": "break.return_muted",
    "break.return_final": "break.return_muted",
    "break.reprompt": "break.reprompt_muted",
    "break.reprompt_final": "break.reprompt_muted",
}
OFFERS_COMMAND: frozenset[str] = frozenset({
    "checkin.opening_expired", "checkin.intro", "checkin.intro_one", "checkin.continued",
    "checkin.restored", "turn.first_earlier", "turn.first_later", "turn.sum_up", "turn.swap",
    "turn.both_done", "turn.done",
})
SAFETY_INTENTS = frozenset({"safety", "safety.repeat", "safety.call"})


class Engine(CheckinHandlers):
    """The state machine for both rituals. ``handle`` is the only way in."""

    def __init__(self, settings: Settings, decks: Mapping[str, Deck],
                 helplines: Mapping[str, HelpLine] | None = None) -> None:
        if settings.checkin.deck not in decks:
            raise ValueError(f"no deck named {settings.checkin.deck!r}")
        self.settings = settings
        self.decks = dict(decks)
        self.helplines = dict(helplines) if helplines is not None else dict(default_helplines())
        self.state = State.IDLE
        self.brk: BreakTimer | None = None
        self.checkin: CheckinSession | None = None
        self.breathing: Breathing | None = None
        self.rotation = Rotation()
        self.later_speaks_first = False  # alternates who speaks first after a break
        self.later_answers_first = False  # alternates who answers first in a check-in
        self.last_break_over: datetime | None = None  # in memory only: "we're back" soon after
        self.mic_loss_said = False  # per run, on purpose: not part of the saved state
        self.break_log = BreakLog()  # break times of the last 24 h, for the day limit
        self.muted = False
        self.safety_said_at: datetime | None = None
        self._handlers: dict[str, Handler] = {
            "break.start": self._on_break_start,
            "break.resume": self._on_resume,
            "break.end": self._on_break_end,
            "break.confirm": self._on_break_confirm,
            "break.extend": self._on_extend,
            "break.status": self._on_status,
            "breathing.start": self._on_breathing,
            "checkin.start": self._on_checkin_start,
            "checkin.next": self._on_checkin_next,
            "checkin.skip": self._on_checkin_skip,
            "checkin.repeat": self._on_checkin_repeat,
            "checkin.previous": self._on_checkin_previous,
            "checkin.yes": self._on_checkin_yes,
            "checkin.done": self._on_checkin_done,
            "checkin.pause": self._on_checkin_pause,
            "checkin.continue": self._on_checkin_continue,
            "checkin.enough": self._on_checkin_enough,
            "stop": self._on_stop,
            "help": self._on_help,
            "safety": self._on_safety,
            "safety.repeat": self._on_safety_repeat,
            "safety.call": self._on_safety_call,
            "mute": self._on_mute,
            "unmute": self._on_unmute,
        }

    # ---- the way in -------------------------------------------------------

    def handle(self, event: Event, now: datetime) -> list[Say]:
        """Apply one event at ``now`` and return the lines to say, in order."""
        require_aware(now)
        self._expire(now)
        if isinstance(event, Tick):
            return self._tick(now)
        if not isinstance(event, Heard):
            return self._on_device(event, now)
        handler = self._handlers.get(event.intent)
        if handler is None:
            log.info("ignoring unknown intent %s", event.intent)
            return []
        if event.intent not in self.listening_for():
            log.info("ignoring %s: not listened for in state %s", event.intent, self.state.value)
            return []
        log.info("heard %s in state %s", event.intent, self.state.value)
        if event.intent == "checkin.repeat" and self.safety_said_at is not None:
            return self._on_safety_repeat(event.slots, now)  # right after the number: the number
        meant = same_words(self.state).get(event.intent)  # "we're ready" at the opening is a yes
        if event.intent not in SAFETY_INTENTS:
            self.safety_said_at = None  # another request handled: "repeat" is no longer the number
        return self._handlers[meant](event.slots, now) if meant else handler(event.slots, now)

    def next_wakeup(self) -> datetime | None:
        """When the caller must tick next; None when nothing is pending."""
        holding = self.breathing is not None
        times: list[datetime | None] = [self.breathing.wakeup()] if self.breathing else []
        if self.safety_said_at is not None:
            times.append(self.safety_said_at + SAFETY_REPEAT_WINDOW)  # to close that context
        if self.brk is not None:
            times.append(self.brk.wakeup(holding))
        elif self.checkin is not None:
            # Breathing holds the cues, not the end of a session left alone (which changes
            # what is listened for); ``wakeup`` includes that end.
            times.append(self.checkin.stale_at() if holding else self.checkin.wakeup())
        if self.last_break_over is not None:
            times.append(self.last_break_over + RECENT_BREAK)
        pending = [t for t in times if t is not None]
        return min(pending) if pending else None

    def listening_for(self) -> frozenset[str]:
        """The intents this state acts on (``skill.engine.contexts``); the hearing hears no others."""
        if self.muted:
            intents = MUTED
        else:
            intents = listening_context(self.state, self.breathing is not None)
            if self.state is State.IDLE and self.last_break_over is not None:
                intents |= {"break.resume"}  # "we're back" soon after a break still gets the guide
            if self.checkin is not None and self.checkin.in_turns:
                intents |= DURING_TURNS  # "I'm done" means something only in a turn
        if self.safety_said_at is not None:
            intents |= SAFETY_FOLLOW_UP  # "repeat", "what was the number", in every state
        return intents

    @property
    def is_breathing(self) -> bool:
        return self.breathing is not None

    def _on_device(self, event: SpeechEnded | MicLost | MicBack, now: datetime) -> list[Say]:
        """Events from the room and the audio device, not from a request."""
        if isinstance(event, SpeechEnded):
            # A check-in's turn cue waits for a pause; breathing holds the cues.
            if self.checkin is None or self.breathing is not None:
                return []
            return self._said_after(self.checkin.speech_ended(now, self.settings.checkin))
        if isinstance(event, MicLost):
            return self._mic_lost_notice()
        return []  # the microphone is back: listening again says nothing

    def _mic_lost_notice(self) -> list[Say]:
        """Whether a lost microphone is said aloud: once per run (the log has every loss); not
        over breathing guidance, whose quiet is the point, nor while muted, when nobody expects
        to be heard (a later loss may still be said)."""
        if self.mic_loss_said or self.breathing is not None or self.muted:
            return []
        self.mic_loss_said = True
        return [say("device.mic_lost")]

    # ---- time passing -----------------------------------------------------

    def _expire(self, now: datetime) -> None:
        if self.last_break_over is not None and now - self.last_break_over >= RECENT_BREAK:
            self.last_break_over = None
        if self.safety_said_at is not None and now - self.safety_said_at >= SAFETY_REPEAT_WINDOW:
            self.safety_said_at = None
        self.break_log.forget_old(now)
        if self.checkin is not None and self.checkin.is_stale(now):
            log.info("check-in left untouched; ending it quietly")
            self._end_checkin()

    def _tick(self, now: datetime) -> list[Say]:
        holding = self.breathing is not None
        lines: list[Say] = []
        if self.brk is not None:
            extendable = self.brk.can_extend(now, self.settings.break_, self._day_room(now))
            lines += self.brk.tick(now, self.settings.break_, hold_minor=holding, more=extendable)
            self._sync_break(now)
        elif self.checkin is not None and not holding:
            more, finished = self.checkin.tick(now, self.settings.checkin)
            lines += more
            if finished:
                self._end_checkin()
        if self.breathing is not None and not lines:
            if self.breathing.is_over(now):
                self.breathing = None
                lines.append(say("breathing.done"))
            else:
                lines += self.breathing.tick(now)
        return self._said_after(lines)

    def _said_after(self, lines: list[Say]) -> list[Say]:
        """Lines said unasked (a timer, a turn cue). Any line ends the help line's follow-up:
        "repeat" then means the line just said. Muted, a line that asks for a command says
        first that Haven is not listening and how to unmute."""
        if lines:
            self.safety_said_at = None
        return self.muted_lines(lines) if self.muted else lines

    @staticmethod
    def muted_lines(lines: list[Say]) -> list[Say]:
        """``lines`` as said while muted: nothing offered that a muted Haven cannot hear."""
        out = [say(MUTED_VARIANTS[line.line_id]) if line.line_id in MUTED_VARIANTS else line
               for line in lines]
        if any(line.line_id in OFFERS_COMMAND for line in out):
            out.insert(0, say("mute.still"))
        return out

    def _sync_break(self, now: datetime) -> None:
        """Keep ``state`` in step with the break timer after it changed."""
        if self.brk is None:
            return
        if self.brk.finished:
            self._end_break(now)
        elif self.brk.returning:
            if self.state is not State.BREAK_RETURN:
                self.breathing = None  # the return time wins over breathing
            self.state = State.BREAK_RETURN
        else:
            self.state = State.BREAK

    def _end_break(self, now: datetime) -> None:
        if self.brk is not None:
            self.break_log.record(self.brk.started_at, min(now, self.brk.ends_at))
        self.brk = None
        self.breathing = None
        self.state = State.IDLE
        self.last_break_over = now

    def _day_room(self, now: datetime) -> timedelta:
        """What the day limit leaves, the running break counted to its return time."""
        running = (self.brk.started_at, self.brk.ends_at) if self.brk is not None else None
        return self.break_log.room(now, minutes(self.settings.break_.day_limit_minutes), running)

    # ---- the pause-and-return -------------------------------------------

    def _on_break_start(self, slots: Mapping[str, SlotValue], now: datetime) -> list[Say]:
        if self.state is State.BREAK and self.brk is not None:
            # Never a restart: that would reset the cap and move the agreed return time.
            return [say("break.already", duration=self.brk.ends_at - now, time=self.brk.ends_at)]
        s = self.settings.break_
        if self.state is State.BREAK_RETURN and self.brk is not None:
            # Another break at the return time is more time on this one, so the limits hold;
            # refused by the day limit, the answer is the day's limit (nobody asked for more).
            day_room = self._day_room(now)
            if (not self.brk.can_extend(now, s, day_room)
                    and self.brk.ends_at + day_room <= self.brk.started_at + minutes(s.cap_minutes)):
                return [say("break.day_limit", limit=minutes(s.day_limit_minutes))]
            return self._on_extend(slots, now)
        length, lines = clamp_break_minutes(_slot_minutes(slots), s)
        room = int(self._day_room(now).total_seconds() // 60)
        if room < 1:
            return [say("break.day_limit", limit=minutes(s.day_limit_minutes))]
        if room < length:
            length, lines = room, [say("break.day_left", duration=minutes(room))]
        self.checkin = None  # a break always takes precedence over a check-in
        self.breathing = None
        self.brk = BreakTimer.start(now, length, s)
        self.state = State.BREAK
        lines.append(say("break.started", duration=self.brk.ends_at - now, time=self.brk.ends_at))
        if s.offer_breathing:
            lines.append(say("break.offer_breathing"))
        return lines

    def _on_extend(self, slots: Mapping[str, SlotValue], now: datetime) -> list[Say]:
        if self.brk is None:
            return [say("break.none")]
        lines = self.brk.extend(now, _slot_minutes(slots), self.settings.break_, self._day_room(now))
        self._sync_break(now)
        return lines

    def _on_status(self, slots: Mapping[str, SlotValue], now: datetime) -> list[Say]:
        if self.brk is None:
            return [say("break.none")]
        return self.brk.status(now, self.brk.can_extend(now, self.settings.break_, self._day_room(now)))

    def _on_resume(self, slots: Mapping[str, SlotValue], now: datetime) -> list[Say]:
        """ "We're back": the guide after the return time; before it, a request to end early."""
        if self.state is State.BREAK:
            return self._on_break_end(slots, now)
        recent = self.last_break_over is not None and now - self.last_break_over <= RECENT_BREAK
        if self.brk is None and not (self.state is State.IDLE and recent):
            return [say("break.none")]
        return self._come_back(now)

    def _come_back(self, now: datetime) -> list[Say]:
        self._end_break(now)
        self.last_break_over = None
        first = "resume.first_later" if self.later_speaks_first else "resume.first_earlier"
        self.later_speaks_first = not self.later_speaks_first
        return [say("resume.guide"), say(first)]

    def _on_break_end(self, slots: Mapping[str, SlotValue], now: datetime) -> list[Say]:
        """An explicit "end the break": early on, both are asked once; it is never one voice's."""
        if self.brk is None:
            return [say("break.none")]
        if self.state is State.BREAK_RETURN:
            return self._come_back(now)
        if self.brk.confirm_until is not None:
            return [say("break.confirm_end")]  # the question stands; a repeat is not an answer
        early = minutes(self.settings.break_.end_early_after_minutes)
        if now - self.brk.started_at >= early:
            return self._come_back(now)
        self.brk.confirm_until = now + CONFIRM_WINDOW
        return [say("break.confirm_end")]

    def _on_break_confirm(self, slots: Mapping[str, SlotValue], now: datetime) -> list[Say]:
        """ "Yes, we're both ready": the answer to the question, or itself a request to end."""
        if self.brk is not None and self.brk.confirm_until is not None:
            return self._come_back(now)
        return self._on_break_end(slots, now)

    def _on_breathing(self, slots: Mapping[str, SlotValue], now: datetime) -> list[Say]:
        wanted = slots.get("pattern")
        if self.breathing is not None:
            named = PATTERNS.get(wanted) if isinstance(wanted, str) else None
            if named is None or named is self.breathing.pattern:
                return [say("breathing.already")]
            # "box breathing" during another pattern: switch to it, with its intro.
        if self.checkin is not None:  # turns are interrupted; the next question starts them again
            self.checkin.hold_cues()
        until = self.brk.ends_at if self.state is State.BREAK and self.brk is not None else None
        session, lines = Breathing.start(now, _breathing_settings(self.settings, slots), until)
        if session is not None or self.breathing is None:  # a switch that does not fit keeps the old
            self.breathing = session
        return lines

    # ---- always -----------------------------------------------------------

    def _on_stop(self, slots: Mapping[str, SlotValue], now: datetime) -> list[Say]:
        """Silence the innermost activity: breathing first, then the check-in.

        A break is never ended by "stop" (a shout in a quarrel must not take the
        break away from the other partner): the line being said is cut by the app,
        and the engine says the break goes on. At the return time it quiets the
        reminders; "we're back" still gets the guide for a while.
        """
        if self.breathing is not None:
            self.breathing = None
            if self.state is State.BREAK and self.brk is not None:
                return [say("breathing.stopped_in_break", time=self.brk.ends_at)]
            return [say("breathing.stopped")]
        if self.checkin is not None:
            self._end_checkin()
            return [say("checkin.stopped")]
        if self.brk is not None and self.state is State.BREAK_RETURN:
            self._end_break(now)
            return [say("break.reminders_off")]
        if self.brk is not None:
            self.brk.confirm_until = None
            return [say("break.stop_kept", time=self.brk.ends_at)]
        return []

    def _on_help(self, slots: Mapping[str, SlotValue], now: datetime) -> list[Say]:
        if self.breathing is not None:
            return [say("help.breathing")]
        if self.state is State.BREAK_RETURN and self.brk is not None:
            if not self.brk.can_extend(now, self.settings.break_, self._day_room(now)):
                return [say("help.break_return_final")]
        return [say(f"help.{self.state.value}")]

    def _on_safety(self, slots: Mapping[str, SlotValue], now: datetime) -> list[Say]:
        return self._safety(now, "info")

    def _on_safety_repeat(self, slots: Mapping[str, SlotValue], now: datetime) -> list[Say]:
        return self._safety(now, "repeat")

    def _on_safety_call(self, slots: Mapping[str, SlotValue], now: datetime) -> list[Say]:
        return self._safety(now, "call")

    def _safety(self, now: datetime, kind: str) -> list[Say]:
        self.breathing = None  # so the number is not talked over by the next cue
        self.safety_said_at = now
        return safety_lines(kind, self.settings.safety, self.helplines)

    def _on_mute(self, slots: Mapping[str, SlotValue], now: datetime) -> list[Say]:
        self.muted = True
        return [say("mute.on")]

    def _on_unmute(self, slots: Mapping[str, SlotValue], now: datetime) -> list[Say]:
        self.muted = False
        return [say("mute.off")]


def _slot_minutes(slots: Mapping[str, SlotValue]) -> int | None:
    value = slots.get("minutes")
    if isinstance(value, str) and value.strip().isdecimal():
        value = int(value)
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _breathing_settings(settings: Settings, slots: Mapping[str, SlotValue]) -> BreathingSettings:
    """The configured breathing, with the pattern the couple named ("box breathing"), if any."""
    wanted = slots.get("pattern")
    if isinstance(wanted, str) and wanted in PATTERNS:
        return dataclasses.replace(settings.breathing, pattern=wanted)
    return settings.breathing
