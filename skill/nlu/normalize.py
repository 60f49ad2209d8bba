"""Text normalisation shared by templates and what the recogniser heard.

Both sides go through the same steps so that an exact comparison means
something: lower case, hyphens to spaces, punctuation other than apostrophes
dropped, skip words (fillers) removed, whitespace collapsed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from unicode_rbnf import RbnfEngine

NUMBER_TOKEN = "#"
# What is matched of one utterance: a spoken command is a few words (8 s of speech at most),
# but a typed line can be anything. A 1,000-word line took 158 s to match and held up the
# loop (a break's return announced 54 s late); 100 words take 0.35 s, 40 words a few ms.
MAX_COMMAND_WORDS = 40
MAX_COMMAND_CHARS = 300
_MAX_DIGITS = 6  # a longer digit string is no duration (and int() refuses over 4,300 digits)
_PUNCT = re.compile(r"[^\w\s#]")
_SPACES = re.compile(r"\s+")
_MAX_NUMBER = 999
_MAX_NUMBER_WORDS = 5  # "one hundred and twenty five"


# Spoken contractions that recognisers and typists write as one word.
_COLLOQUIAL = {"wanna": "want to", "gonna": "going to", "gotta": "got to", "lemme": "let me",
               "gimme": "give me", "cant": "can not", "cannot": "can not", "till": "until"}

CLAUSE_BREAK = re.compile(r"[,.;:!?]+")


def normalize(text: str, skip_words: Iterable[str] = ()) -> str:
    """Lower-case, strip punctuation and fillers, collapse whitespace."""
    # Apostrophes go entirely: recognisers and typists drop them ("dont", "were back").
    text = text.lower().replace("-", " ").replace("'", "").replace("’", "")
    text = _PUNCT.sub(" ", text)
    words = [_COLLOQUIAL.get(w, w) for w in text.split()]
    return _drop_skip_words(" ".join(words), tuple(skip_words))


def clip_command(text: str) -> str:
    """The start of ``text`` that is matched: at most MAX_COMMAND_CHARS and MAX_COMMAND_WORDS."""
    return " ".join(text[:MAX_COMMAND_CHARS].split()[:MAX_COMMAND_WORDS])


def is_written_number(word: str) -> bool:
    """Decimal digits of any script ("42", "٣"), not "²" (a digit to isdigit, not to int)."""
    return word.isdecimal() and len(word) <= _MAX_DIGITS


def strip_frames(text: str, prefixes: Iterable[str], suffixes: Iterable[str]) -> list[str]:
    """``text`` with polite frames peeled off its ends, one more frame each step."""
    out: list[str] = []
    current = text
    changed = True
    while changed:
        changed = False
        for frame in prefixes:
            if current.startswith(frame + " "):
                current = current[len(frame) + 1:]
                changed = True
        for frame in suffixes:
            if current.endswith(" " + frame):
                current = current[: -len(frame) - 1]
                changed = True
        if changed and current:
            out.append(current)
    return out


def _drop_skip_words(text: str, skip_words: tuple[str, ...]) -> str:
    if not skip_words:
        return text
    words = set(text.split())
    padded = f" {text} "
    # Dropping a skip word never adds a word, so a skip with a word the text lacks cannot
    # match: checking that first keeps start-up's 25,000 template sentences quick.
    for skip, needs in _longest_first(skip_words):
        if needs <= words:
            padded = padded.replace(f" {skip} ", " ")
            padded = padded.replace(f" {skip} ", " ")  # overlapping repeats ("um um")
    return _SPACES.sub(" ", padded).strip()


@lru_cache(maxsize=8)
def _longest_first(skip_words: tuple[str, ...]) -> tuple[tuple[str, frozenset[str]], ...]:
    """Each skip word (or phrase) with its words, longest first: "you know" before "know"."""
    return tuple((skip, frozenset(skip.split())) for skip in sorted(skip_words, key=len, reverse=True))


@lru_cache(maxsize=1)
def _number_words() -> dict[str, int]:
    """Spoken English numbers 0..999 -> value, from CLDR rules (unicode-rbnf)."""
    engine = RbnfEngine.for_language("en")
    table: dict[str, int] = {}
    for value in range(_MAX_NUMBER + 1):
        for words in engine.format_number(value).text_by_ruleset.values():
            spoken = words.replace("-", " ")
            table[spoken] = value
            if " hundred " in spoken:
                table[spoken.replace(" hundred ", " hundred and ")] = value
    table["a hundred"] = 100
    return table


def replace_numbers(text: str) -> tuple[str, tuple[int, ...]]:
    """Replace each spoken or written number with NUMBER_TOKEN; return the values in order."""
    table = _number_words()
    words = text.split()
    out: list[str] = []
    values: list[int] = []
    i = 0
    while i < len(words):
        if is_written_number(words[i]):
            out.append(NUMBER_TOKEN)
            values.append(int(words[i]))
            i += 1
            continue
        for span in range(min(_MAX_NUMBER_WORDS, len(words) - i), 0, -1):
            phrase = " ".join(words[i : i + span])
            if phrase in table:
                out.append(NUMBER_TOKEN)
                values.append(table[phrase])
                i += span
                break
        else:
            out.append(words[i])
            i += 1
    return " ".join(out), tuple(values)


def is_number_word(word: str) -> bool:
    """True for a digit string or a word that can be part of a spoken number."""
    return is_written_number(word) or word in _number_vocabulary()


@lru_cache(maxsize=1)
def _number_vocabulary() -> frozenset[str]:
    return frozenset(w for phrase in _number_words() for w in phrase.split())
