"""The few hundred words of pocketsphinx's English dictionary that Haven can hear.

The bundled dictionary (cmudict, about 134,000 words) costs 22 MB resident
once a decoder has read it; the command grammar and the filler loop use a few
hundred. So the decoder starts with no dictionary and is given only those
words, read here from the same file in one streaming pass (about 0.04 s, after
a 0.03 s first pass over the templates that lists their words).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from skill.errors import UserError

_ALTERNATE = re.compile(r"\(\d+\)$")  # "a(2)": the dictionary's second pronunciation


def base_word(entry: str) -> str:
    """The word of a dictionary entry or a recogniser's output: "a(2)" -> "a"."""
    return _ALTERNATE.sub("", entry)


def dictionary_path() -> Path:
    """The US English dictionary that ships in the pocketsphinx wheel."""
    from pocketsphinx import get_model_path

    return Path(get_model_path()) / "en-us" / "cmudict-en-us.dict"


def with_halves(words: Iterable[str]) -> set[str]:
    """``words`` and every way of cutting each in two (for compounds like "checkin")."""
    out: set[str] = set()
    for word in words:
        out.add(word)
        out.update(part for cut in range(2, len(word) - 1) for part in (word[:cut], word[cut:]))
    return out


def read_entries(words: Iterable[str], path: Path | None = None) -> list[tuple[str, str]]:
    """(entry, phones) for every pronunciation of ``words``, in the dictionary's order.

    Entries keep their alternate marks ("a(2)"), so a decoder given them in
    this order links each alternate to its base word, as when it reads the file.
    """
    wanted = set(words)
    path = path or dictionary_path()
    entries: list[tuple[str, str]] = []
    try:
        with path.open(encoding="utf-8") as lines:
            for line in lines:
                entry, _, phones = line.strip().partition(" ")
                # only an entry ending in ")" can be an alternate: 134,000 regex calls skipped
                word = base_word(entry) if entry.endswith(")") else entry
                if phones and word in wanted:
                    entries.append((entry, phones.strip()))
    except OSError as exc:
        raise UserError(f"cannot read pocketsphinx's dictionary {path} ({exc.strerror}); "
                        "reinstall it with: pip install --force-reinstall 'pocketsphinx>=5,<6'") from None
    return entries


def sounds_like(entries: Iterable[tuple[str, str]], words: Iterable[str]) -> dict[str, str]:
    """Each word of ``entries`` outside ``words`` that one of ``words``, and only one, shares a
    pronunciation with: "brake" -> "break", "were" -> "we're" (its third), "lets" -> "let's"."""
    chosen = set(words)
    by_phones: dict[str, set[str]] = {}
    for entry, phones in entries:
        by_phones.setdefault(phones, set()).add(base_word(entry))
    candidates: dict[str, set[str]] = {}
    for same in by_phones.values():
        for word in same - chosen:
            candidates.setdefault(word, set()).update(same & chosen)
    return {word: next(iter(ours)) for word, ours in candidates.items() if len(ours) == 1}


def unknown_words(words: Iterable[str], path: Path | None = None) -> list[str]:
    """The words (of a phrase a couple sets, say) that pocketsphinx cannot say, in order.

    A word the dictionary lacks but that joins two words it has ("checkin")
    counts as known, as the command grammar treats it (``skill.asr.grammar``).
    Words are taken lower case, split on spaces and hyphens, and without
    punctuation other than apostrophes.
    """
    from skill.asr.grammar import words_of

    said = words_of(" ".join(words))
    known = {base_word(entry) for entry, _ in read_entries(with_halves(said), path)}

    def sayable(word: str) -> bool:
        return word in known or any(word[:cut] in known and word[cut:] in known
                                    for cut in range(2, len(word) - 1))

    return list(dict.fromkeys(w for w in said if not sayable(w)))
