#!/usr/bin/env python3
"""Write skill/asr/filler_words.txt: the most frequent English words of pocketsphinx's LM.

The recogniser's grammar has a parallel branch of these words: speech that is
not a command is better explained by them than by any command sentence, so it
is heard as "not a command" instead of being forced into one. Run once; the
list is committed. Words are ranked by unigram probability in the en-us LM
that ships in the pocketsphinx wheel, and kept only if the bundled dictionary
can say them.

    python scripts/make_filler_words.py [--count 600]
"""

from __future__ import annotations

import argparse
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "skill" / "asr" / "filler_words.txt"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=600)
    args = parser.parse_args()
    from pocketsphinx import Config, Decoder, LogMath, NGramModel, get_model_path

    config = Config(logfn="/dev/null")
    lm = NGramModel(config, LogMath(), get_model_path("en-us/en-us.lm.bin"))
    decoder = Decoder(lm=None, logfn="/dev/null")
    words = []
    with open(get_model_path("en-us/cmudict-en-us.dict"), encoding="utf-8") as fh:
        for line in fh:
            word = line.split(" ", 1)[0]
            if "(" not in word and word.isascii() and decoder.lookup_word(word):
                words.append(word)
    ranked = sorted(set(words), key=lambda w: -lm.prob([w]))
    OUT.write_text("\n".join(ranked[: args.count]) + "\n", encoding="utf-8")
    print(f"{OUT}: {args.count} words")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
