"""The couple's code phrase (``break.code_phrase``): their own word that starts a break.

It is added to ``break.start`` where the shipped intent set is built, so the
matcher and the recogniser's grammar both get it. The phrase is set once at
start-up (``use_code_phrase``) from the config, and checked there: a word the
recogniser cannot hear, or a phrase that already means something else, is one
clear sentence and exit 1, never a break that silently never starts.
"""

from __future__ import annotations

from collections.abc import Iterable

from skill.datafile import Document
from skill.errors import UserError
from skill.nlu.normalize import normalize

_phrase = ""


def use_code_phrase(phrase: str) -> None:
    """Make ``phrase`` (empty: none) a break.start sentence for intent sets built from now on."""
    global _phrase
    _phrase = normalize(phrase)


def code_phrase() -> str:
    return _phrase


def code_phrase_documents() -> list[Document]:
    """An intent document adding the phrase to break.start (none when no phrase is set)."""
    if not _phrase:
        return []
    data = {"language": "en", "intents": {"break.start": {"data": [{"sentences": [_phrase]}]}}}
    return [Document("config: break.code_phrase", data)]


def check_code_phrase(phrase: str, known_words: Iterable[str], other_intent: str | None) -> None:
    """Raise UserError when the phrase cannot be heard or already means another command.

    ``known_words``: the words the recogniser's dictionary has; ``other_intent``: what the
    phrase matches without it (None: nothing).
    """
    words = normalize(phrase).split()
    if not words:
        if phrase.strip():
            raise UserError(f"break.code_phrase {phrase!r} has no words; write a word or two, "
                            "like \"pineapple\", in the config file")
        return
    known = set(known_words)
    missing = [w for w in words if w not in known]
    if missing:
        raise UserError(
            f"break.code_phrase {phrase!r} cannot be recognised: "
            f"{', '.join(repr(w) for w in missing)} is not in the speech recogniser's English "
            "dictionary; choose ordinary English words in the config file"
        )
    if other_intent is not None and other_intent != "break.start":
        raise UserError(
            f"break.code_phrase {phrase!r} already means {other_intent!r}; "
            "choose a word that is not one of Haven's commands in the config file"
        )


def set_up_code_phrase(phrase: str) -> None:
    """Check the configured phrase (UserError if it cannot work), then use it."""
    use_code_phrase("")
    if not phrase.strip():
        return
    from skill.asr.lexicon import base_word, read_entries
    from skill.nlu.matcher import IntentMatcher

    words = normalize(phrase).split()
    known = {base_word(entry) for entry, _ in read_entries(words)}
    found = IntentMatcher.from_files().match(phrase)
    check_code_phrase(phrase, known, found.intent if found is not None else None)
    use_code_phrase(phrase)
