"""The optional name (``listen.require_name``): one rule for typed text and both recognisers.

Only "NAME, <command>" is a command: the name leads (a whole word or words, any
case, an optional comma after it), something follows it, and what follows is
matched without it. Asking for help (``NAMELESS``) needs no name: a frightened
person is not asked to say it first.
"""

from __future__ import annotations

import re

# Heard without the name even when ``listen.require_name`` is on: asking for help.
NAMELESS = frozenset({"safety", "safety.call"})


def without_name(intents: frozenset[str] | None) -> frozenset[str]:
    """What may be taken from words said without the name, in a context of ``intents``
    (None: every intent)."""
    return NAMELESS if intents is None else NAMELESS & intents


class Name:
    def __init__(self, name: str) -> None:
        self.words = tuple(name.lower().split())
        pattern = r"\s+".join(re.escape(w) for w in self.words)
        self._leading = re.compile(rf"^\s*{pattern}(?![\w'])\s*,?", re.IGNORECASE)

    def __bool__(self) -> bool:
        return bool(self.words)

    def after(self, text: str) -> str | None:
        """``text`` after the leading name; None when the name does not lead it or nothing
        follows it. With no name, ``text`` itself."""
        if not self.words:
            return text
        found = self._leading.match(text)
        if found is None:
            return None
        rest = text[found.end():]
        return rest if rest.strip(" .,!?;:") else None
