"""Loading what the apps need (settings, decks, lines), with user-facing errors."""

from __future__ import annotations

import dataclasses
import functools
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping, Protocol

from skill.config import CheckinSettings, ConfigError, ListenSettings, Settings, load_settings
from skill.decks import Deck, load_decks_to_start
from skill.errors import UserError
from skill.lines import LineBook
from skill.messages import IntentMatch, Transcript
from skill.datafile import DataFileError
from skill.paths import data_dir

log = logging.getLogger(__name__)


class Matcher(Protocol):
    """Text to intent: ``skill.nlu.matcher.IntentMatcher`` or a fake."""

    def match(self, text: str, intents: frozenset[str] | None = None) -> IntentMatch | None: ...


def match_heard(matcher: Matcher, heard: Transcript,
                intents: frozenset[str] | None = None) -> tuple[str, IntentMatch | None]:
    """The first of the transcript's readings that says a command, and its match
    (the transcript's text and None when none does)."""
    if heard.nameless:
        from skill.nlu.name import without_name

        intents = without_name(intents)
    for text in heard.readings:
        found = matcher.match(text, intents)
        if found is not None:
            return text, found
    return heard.text, None


@dataclass(frozen=True)
class Parts:
    settings: Settings
    decks: Mapping[str, Deck]
    book: LineBook


def load_parts(config: Path | None = None, settings: Settings | None = None) -> Parts:
    """Settings (from ``config`` unless given), decks and lines; any fault is a UserError."""
    try:
        if settings is None:
            settings, _overrides = load_settings(config)
        decks, problems = load_decks_to_start()
        book = LineBook.from_files()
    except ConfigError as exc:
        raise UserError(str(exc)) from None
    except DataFileError as exc:
        raise UserError(f"a data file is broken; fix it and try again:\n{exc}") from None
    broken = {Path(problem.file).stem for problem in problems}
    for problem in problems:
        log.warning("a deck of your own is broken and left out until it is fixed "
                    "(haven decks check): %s", problem)
    if settings.checkin.deck not in decks and settings.checkin.deck in broken:
        default = CheckinSettings().deck
        log.warning("checkin.deck %r is broken: check-ins use %r until it is fixed",
                    settings.checkin.deck, default)
        settings = dataclasses.replace(settings, checkin=dataclasses.replace(settings.checkin, deck=default))
    if settings.checkin.deck not in decks:
        raise UserError(
            f"checkin.deck is {settings.checkin.deck!r} but there is no such deck; "
            f"choose one of {', '.join(sorted(decks))} in the config file"
        )
    from skill.nlu.codephrase import set_up_code_phrase

    set_up_code_phrase(settings.break_.code_phrase)  # before any matcher or grammar is built
    return Parts(settings=settings, decks=decks, book=book)


def load_matcher(name: str = "") -> Matcher:
    """The shipped intent matcher (built once per process and data directory: it is slow).

    ``name``: only text that starts with it is a command (``typed_name``); for typed
    and scripted text. A recogniser demands the name itself and cuts it off, so what
    it heard is matched without one.
    """
    from skill.nlu.codephrase import code_phrase

    inner = _matcher_for(data_dir(), code_phrase())
    return NamedMatcher(inner, name) if name.strip() else inner


def typed_name(listen: ListenSettings) -> str:
    """The name typed or scripted text must start with: ``listen.name`` when
    ``listen.require_name``, else none (as skill.asr.factory gives the recognisers)."""
    return listen.name if listen.require_name else ""


@functools.lru_cache(maxsize=2)
def _matcher_for(directory: Path, phrase: str) -> Matcher:
    from skill.nlu.check import load_checked_intents
    from skill.nlu.matcher import IntentMatcher

    try:
        intent_set = load_checked_intents()
    except DataFileError as exc:
        raise UserError(
            f"the intent files have {len(exc.problems)} problem(s); fix them and try again "
            f"(haven intents check lists them):\n{exc}"
        ) from None
    return ClippedMatcher(IntentMatcher(intent_set))


class ClippedMatcher:
    """Matches only the start of a long line (``clip_command``), so no input can hold up
    the loop; every command (run, match, simulate, recognize) gets its matcher from here."""

    def __init__(self, inner: Matcher) -> None:
        self.inner = inner

    def match(self, text: str, intents: frozenset[str] | None = None) -> IntentMatch | None:
        from skill.nlu.normalize import clip_command

        return self.inner.match(clip_command(text), intents)


class NamedMatcher:
    """``listen.require_name`` for text: only "NAME, <command>" is a command, matched without
    the name (leading, any case, an optional comma after it). As the recognisers do
    (``skill.nlu.name``, one rule for both), every intent needs the name but asking for help."""

    def __init__(self, inner: Matcher, name: str) -> None:
        from skill.nlu.name import Name

        self.inner = inner
        self.name = Name(name)

    def match(self, text: str, intents: frozenset[str] | None = None) -> IntentMatch | None:
        from skill.nlu.name import without_name

        rest = self.name.after(text)
        if rest is not None:
            return self.inner.match(rest, intents)
        # Asking for help needs no name (as in the recogniser's grammar).
        nameless = without_name(intents)
        return self.inner.match(text, nameless) if nameless else None
