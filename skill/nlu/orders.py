"""Utterances that are not commands, whatever they sound like.

The break is called by each partner for themselves. "You need to calm down",
"go take a time out", "you take a break" tell the *other* partner what they
need: the device must not side with that, so such an utterance starts,
extends or ends nothing. (A polite request to Haven, "can you give us more
time", is not an order to a partner: the frame is peeled off first.)

And a negation never ends a break: "I'm not ready to talk" sounds like "we're
ready to talk".
"""

from __future__ import annotations

import re

from skill.nlu.normalize import normalize

# Intents about the break and calming down: only first-person or joint requests count.
SELF_ONLY: frozenset[str] = frozenset(
    {"break.start", "break.resume", "break.end", "break.confirm", "break.extend", "breathing.start"}
)
# Intents that end a break: never when negated.
ENDING: frozenset[str] = frozenset({"break.resume", "break.end", "break.confirm"})

SECOND_PERSON = frozenset({"you", "youre", "your", "yourself", "youve", "youll", "ya", "u"})
NEGATIONS = frozenset({"not", "dont", "never", "no", "cant", "isnt", "arent", "wont", "nope", "nt"})
_TO_HAVEN = re.compile(
    r"^(?:(?:um|uh|er|hmm|okay|ok|so|well|oh|and|but|hey|haven|please) )*"
    r"(?:(?:can|could|would|will) you (?:please )?)?"
)
_THANKS = re.compile(r"(?: thank you| thanks)$")
_ORDER_OPENERS = ("go ", "get ", "just go ", "why dont ")


def is_refused(intent: str, text: str) -> bool:
    """True when ``text``, heard as ``intent``, is an order to a partner or a negated ending."""
    if intent not in SELF_ONLY:
        return False
    words = _addressed_text(text)
    if SECOND_PERSON.intersection(words.split()) or words.startswith(_ORDER_OPENERS):
        return True
    return intent in ENDING and bool(NEGATIONS.intersection(words.split()))


def _addressed_text(text: str) -> str:
    """The normalised text without a polite frame addressed to Haven itself."""
    words = normalize(text)
    words = _TO_HAVEN.sub("", words)
    return _THANKS.sub("", words).strip()
