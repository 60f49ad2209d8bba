"""Utterances that are not commands, whatever they sound like.

The break is called by each partner for themselves. "You need to calm down",
"go take a time out", "you take a break" tell the *other* partner what they
need: the device must not side with that, so such an utterance starts,
extends or ends nothing. (A polite request to Haven, "can you give us more
time", is not an order to a partner: the frame is peeled off first.)

And a negation never ends a break: "I'm not ready to talk" sounds like "we're
ready to talk".

The same holds for every intent (``is_refused_words``, called once in
``IntentMatcher.match`` with the words of the template that matched):

* A negated request is none: "we don't need a break", "no break", "don't
  pause the check-in", "I don't want to check in", "it's not your turn".
* A request about a third person is none: "he needs a break", "they need a
  break", "she needs more time". Haven does not take one partner's word about
  the other. (Names are not guarded: Haven cannot tell them from other words.)
* A duration in a unit no template uses ("for 3 days", "for two weeks") is
  none: the number would otherwise be read as minutes.

A guarded word that is part of the matched template itself still matches
("I don't want to answer that", "not that one", "don't listen to us"): the
guard counts each such word in the utterance against the template. And the
intents where negation is the meaning or help is asked are never guarded:
"I don't feel safe", "I'm not safe", "I didn't get the number", help, stop,
unmute (``UNGUARDED``).
"""

from __future__ import annotations

import re
from collections import Counter

from skill.nlu.normalize import CLAUSE_BREAK, normalize

# Intents about the break and calming down: only first-person or joint requests count.
SELF_ONLY: frozenset[str] = frozenset(
    {"break.start", "break.resume", "break.end", "break.confirm", "break.extend", "breathing.start"}
)
# Intents that end a break: never when negated.
ENDING: frozenset[str] = frozenset({"break.resume", "break.end", "break.confirm"})
# Intents where a negation is the meaning, or help is asked: heard whatever the words around.
UNGUARDED: frozenset[str] = frozenset({"safety", "safety.call", "safety.repeat", "help", "stop", "unmute"})

SECOND_PERSON = frozenset({"you", "youre", "your", "yourself", "youve", "youll", "ya", "u"})
NEGATIONS = frozenset({"not", "dont", "never", "no", "cant", "isnt", "arent", "wont", "nope", "nt"})
# Negations as they come out of normalize() (apostrophes dropped: "doesn't" -> "doesnt").
NEGATION_WORDS: frozenset[str] = NEGATIONS | frozenset({
    "doesnt", "didnt", "aint", "wasnt", "werent", "havent", "hasnt", "hadnt", "shouldnt",
    "wouldnt", "couldnt", "mustnt", "neednt", "shant", "nah", "nobody", "nothing", "none",
    "neither", "nor",
})
THIRD_PERSON: frozenset[str] = frozenset({
    "he", "she", "they", "him", "her", "them", "hes", "shes", "theyre", "theyve", "theyll",
    "theyd", "hed", "himself", "herself", "themselves",
})
# Duration units the break's number slots do not take: "for two weeks" is not two minutes.
OTHER_UNITS: frozenset[str] = frozenset({
    "second", "seconds", "sec", "secs", "day", "days", "night", "nights", "week", "weeks",
    "weekend", "weekends", "fortnight", "fortnights", "month", "months", "year", "years",
    "decade", "decades",
})
GUARDED: frozenset[str] = NEGATION_WORDS | THIRD_PERSON | OTHER_UNITS
_TO_HAVEN = re.compile(
    r"^(?:(?:um|uh|er|hmm|okay|ok|so|well|oh|and|but|hey|haven|please) )*"
    r"(?:(?:can|could|would|will) you (?:please )?)?"
)
_THANKS = re.compile(r"(?: thank you| thanks)$")
_ORDER_OPENERS = ("go ", "get ", "just go ", "why dont ")
# "No, we need a break": a leading "no" set off by a comma answers someone; it negates nothing.
_LEADING_NO = re.compile(r"^\s*(?:no|nope|nah)\s*[,.;:!?]+", re.IGNORECASE)


def is_refused(intent: str, text: str, templates: tuple[str, ...] = ()) -> bool:
    """True when ``text``, heard as ``intent``, is no command.

    An order to a partner, a negated ending, or (when ``templates``, the
    normalised template sentences that matched, are given) a guarded word
    (negation, third person, a duration unit) the templates do not hold.
    """
    if intent in SELF_ONLY:
        words = _addressed_text(text)
        if SECOND_PERSON.intersection(words.split()) or words.startswith(_ORDER_OPENERS):
            return True
        if intent in ENDING and NEGATIONS.intersection(words.split()):
            return True
    return intent not in UNGUARDED and bool(unheld_guarded_words(text, templates))


def unheld_guarded_words(text: str, templates: tuple[str, ...]) -> list[str]:
    """The negations, third-person words and duration units of ``text`` that the matched
    ``templates`` do not hold (each counted: "not ... not" needs two in the templates)."""
    said = Counter(w for w in normalize(_LEADING_NO.sub("", text)).split() if w in GUARDED)
    held = Counter(w for t in templates for w in t.split() if w in GUARDED)
    return sorted((said - held).elements())


def _addressed_text(text: str) -> str:
    """The normalised text without a polite frame addressed to Haven itself."""
    words = normalize(text)
    words = _TO_HAVEN.sub("", words)
    return _THANKS.sub("", words).strip()
