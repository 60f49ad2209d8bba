"""The listening context: which intents the engine can act on, state by state.

Haven has no wake word, so every word of the couple's own talk reaches it. An
intent that makes no sense in the current state ("next" in the middle of a
quarrel) is not a request to answer: it is a mishearing. So the engine names,
for its current state, the intents it acts on; the hearing listens for those
alone (a grammar per context, as Picovoice Rhino and Rhasspy do), and the
engine drops anything else without a word.

Help and safety are heard in every context. Breathing is a sub-activity: while
it runs, "stop" is heard whatever the state.
"""

from __future__ import annotations

from typing import Mapping

from skill.engine.common import State

ALWAYS: frozenset[str] = frozenset({"help", "safety"})

CONTEXTS: Mapping[State, frozenset[str]] = {
    State.IDLE: ALWAYS | {"break.start", "checkin.start", "breathing.start"},
    State.BREAK: ALWAYS
    | {"break.start", "break.status", "break.extend", "break.resume", "breathing.start", "stop"},
    State.BREAK_RETURN: ALWAYS
    | {"break.start", "break.status", "break.extend", "break.resume", "breathing.start", "stop"},
    State.CHECKIN: ALWAYS
    | {"break.start", "checkin.next", "checkin.repeat", "checkin.skip", "checkin.previous", "breathing.start", "stop"}
    | {"checkin.done", "checkin.pause", "checkin.enough"},
    # "Is now a good time for both of you? Say yes to begin."
    State.CHECKIN_OPENING: ALWAYS | {"checkin.yes", "checkin.enough", "break.start", "stop", "break.resume"},
    State.CHECKIN_PAUSED: ALWAYS
    | {"checkin.continue", "checkin.start", "checkin.enough", "break.start", "breathing.start", "stop"}
    | {"break.resume"},
}

# Words of another intent that mean something else in a state: "we're ready" or "let's
# continue" (break.resume) answer the check-in's opening, or pick up a paused check-in.
SAME_WORDS: Mapping[State, Mapping[str, str]] = {
    State.CHECKIN_OPENING: {"break.resume": "checkin.yes"},
    State.CHECKIN_PAUSED: {"break.resume": "checkin.continue"},
}

WHILE_BREATHING: frozenset[str] = frozenset({"stop"})


def listening_context(state: State, breathing: bool) -> frozenset[str]:
    """The intents acted on in ``state`` (with breathing running or not)."""
    intents = CONTEXTS[state]
    return intents | WHILE_BREATHING if breathing else intents


def same_words(state: State) -> Mapping[str, str]:
    """Intents heard in ``state`` that stand for another intent there."""
    return SAME_WORDS.get(state, {})


def every_intent() -> frozenset[str]:
    """Every intent some context listens for (what the intent files must provide)."""
    found: frozenset[str] = WHILE_BREATHING
    for intents in CONTEXTS.values():
        found |= intents
    return found
