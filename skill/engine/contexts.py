"""The listening context: which intents the engine can act on, state by state.

Haven has no wake word, so every word of the couple's own talk reaches it. An
intent that makes no sense in the current state ("next" in the middle of a
quarrel) is not a request to answer: it is a mishearing. So the engine names,
for its current state, the intents it acts on; the hearing listens for those
alone (a grammar per context, as Picovoice Rhino and Rhasspy do), and the
engine drops anything else without a word.

Help, safety (asking for it, or asking Haven to call for help) and mute are
heard in every context. Muted, only the unmute phrase and safety are heard.
For two minutes after the help line was given, "repeat" / "what was the
number" are heard in every state (``SAFETY_FOLLOW_UP``). Breathing is a
sub-activity: while it runs, "stop" is heard whatever the state. During a
check-in's turn, "I'm done" / "your turn" are heard too (``DURING_TURNS``).
"""

from __future__ import annotations

from typing import Mapping

from skill.engine.common import State

SAFETY: frozenset[str] = frozenset({"safety", "safety.call"})
ALWAYS: frozenset[str] = SAFETY | {"help", "mute"}
MUTED: frozenset[str] = SAFETY | {"unmute"}
# "checkin.repeat" too: "repeat that" is one sentence, whichever the last thing said was.
SAFETY_FOLLOW_UP: frozenset[str] = frozenset({"safety.repeat", "checkin.repeat"})

_IN_BREAK = ALWAYS | {
    "break.start", "break.status", "break.extend", "break.resume", "break.end", "break.confirm",
    "breathing.start", "stop",
}

CONTEXTS: Mapping[State, frozenset[str]] = {
    State.IDLE: ALWAYS | {"break.start", "checkin.start", "breathing.start"},
    State.BREAK: _IN_BREAK,
    State.BREAK_RETURN: _IN_BREAK,
    State.CHECKIN: ALWAYS
    | {"break.start", "checkin.next", "checkin.repeat", "checkin.skip", "checkin.previous", "breathing.start", "stop"}
    | {"checkin.pause", "checkin.enough"},
    # "Is now a good time for both of you? Say yes to begin."
    State.CHECKIN_OPENING: ALWAYS
    | {"checkin.yes", "checkin.enough", "break.start", "stop", "break.resume", "break.confirm"},
    State.CHECKIN_PAUSED: ALWAYS
    | {"checkin.continue", "checkin.start", "checkin.enough", "break.start", "breathing.start", "stop"}
    | {"break.resume", "break.confirm"},
}

# Words of another intent that mean something else in a state: "we're ready" or "let's
# continue" (break.resume) answer the check-in's opening, or pick up a paused check-in.
SAME_WORDS: Mapping[State, Mapping[str, str]] = {
    State.CHECKIN_OPENING: {"break.resume": "checkin.yes", "break.confirm": "checkin.yes"},
    State.CHECKIN_PAUSED: {"break.resume": "checkin.continue", "break.confirm": "checkin.continue"},
}

WHILE_BREATHING: frozenset[str] = frozenset({"stop"})
# While a partner's turn (or the listener's summary) runs, "I'm done" / "your turn" end it.
DURING_TURNS: frozenset[str] = frozenset({"checkin.done"})


def prepared_contexts() -> set[frozenset[str]]:
    """The contexts the hearing should have ready before the first utterance: each state's,
    and a check-in's during a turn."""
    return set(CONTEXTS.values()) | {CONTEXTS[State.CHECKIN] | DURING_TURNS}


def listening_context(state: State, breathing: bool) -> frozenset[str]:
    """The intents acted on in ``state`` (with breathing running or not), not muted."""
    intents = CONTEXTS[state]
    return intents | WHILE_BREATHING if breathing else intents


def same_words(state: State) -> Mapping[str, str]:
    """Intents heard in ``state`` that stand for another intent there."""
    return SAME_WORDS.get(state, {})


def every_intent() -> frozenset[str]:
    """Every intent some context listens for (what the intent files must provide)."""
    found: frozenset[str] = WHILE_BREATHING | MUTED | SAFETY_FOLLOW_UP | DURING_TURNS
    for intents in CONTEXTS.values():
        found |= intents
    return found
