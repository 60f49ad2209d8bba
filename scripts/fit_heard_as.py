#!/usr/bin/env python3
"""Which command words the filler loop writes as another word: ``tuned.HEARD_AS``.

Reads ``scripts/listen_eval.py`` rows of tune slices (never the test slices),
takes each utterance the loop explained ("loop words": its path is in the
verdict), lines its words up with what was said (rapidfuzz edit operations on
word lists), and counts each word said that the commands use, and the loop
wrote as another word. Pairs seen at least ``--min-count`` times are printed
as the table for ``skill/asr/tuned.py``, left out:

- a word that turns a command into talk, said or written ("can" written
  "can't": ``skill.asr.pieces.TURNED``, ``BOUND``), so no negation or "you"
  ever counts as a command word;
- a pair that already sounds the same (``skill.asr.lexicon.sounds_like``);
- a word said that is one of the loop's everyday words ("the", "a", "to", "me":
  ``tuned.FILLER_COUNT``): the loop writes those for one another everywhere, so
  counting them would bring nearly every run of talk near a command.

    python scripts/fit_heard_as.py /tmp/ledin-tune.jsonl /tmp/gen-tune.jsonl

Only where the loop's words point at a command does the table count
(``skill.asr.pieces.windows``): the stretch found is heard again with the
context's search and taken on the usual terms, so a pair here can add a
decode, never a command by itself.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

from rapidfuzz.distance import Levenshtein

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def confusions(rows: list[dict], command_words: set[str], same: dict[str, str],
               everyday: set[str]) -> Counter[tuple[str, str]]:
    """(said, written) for each command word the loop wrote as another word, over ``rows``; a
    word said is spelled as the command word it sounds like (``same``: the corpora write "lets
    take a brake" for the voices)."""
    from skill.asr.grammar import words_of
    from skill.asr.pieces import BOUND, TURNED
    from skill.nlu.normalize import normalize

    found: Counter[tuple[str, str]] = Counter()
    for row in rows:
        verdict = row.get("verdict") or {}
        if verdict.get("outcome") != "loop words" or row.get("slice") != "tune":
            continue
        said, written = [same.get(w, w) for w in words_of(row["text"])], verdict["text"].split()
        for op, i, j in Levenshtein.editops(said, written):
            if op == "replace" and said[i] in command_words - everyday and same.get(written[j]) != said[i] \
                    and not set(normalize(f"{said[i]} {written[j]}").split()) & (TURNED | BOUND):
                found[said[i], written[j]] += 1
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("rows", nargs="+", type=Path, help="listen_eval.py output of tune slices")
    parser.add_argument("--min-count", type=int, default=3)
    args = parser.parse_args()

    from skill.asr import tuned
    from skill.asr.grammar import grammar_from_intents, words_of
    from skill.asr.lexicon import read_entries, sounds_like, with_halves
    from skill.asr.sphinx import filler_words
    from skill.nlu.check import load_checked_intents

    intents = load_checked_intents().intents
    command_words = set(grammar_from_intents(intents, skip_words=list(intents.skip_words)).words)
    rows = [json.loads(line) for path in args.rows for line in path.open(encoding="utf-8")]
    seen = {w for row in rows for w in words_of(row["text"])}
    seen |= {w for row in rows for w in ((row.get("verdict") or {}).get("text") or "").split()}
    same = sounds_like(read_entries(with_halves(command_words) | seen), command_words)
    everyday = set(filler_words(tuned.FILLER_COUNT))
    table: dict[str, list[str]] = {}
    for (said, written), count in confusions(rows, command_words, same, everyday).most_common():
        if count >= args.min_count:
            table.setdefault(written, []).append(said)
            print(f"# {written!r} for {said!r}: {count}")
    print("HEARD_AS = {" + ", ".join(f"{w!r}: {tuple(s)!r}" for w, s in sorted(table.items())) + "}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
