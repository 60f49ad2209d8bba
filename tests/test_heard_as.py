"""The words the filler loop writes for command words (tuned.HEARD_AS): how they are fitted
(scripts/fit_heard_as.py) and what the recogniser makes of the table (skill.asr.sphinx.alike)."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

from skill.asr import tuned
from skill.asr.pieces import TURNED
from skill.asr.sphinx import alike
from skill.nlu.normalize import normalize

ROOT = Path(__file__).resolve().parents[1]


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("fit_heard_as", ROOT / "scripts" / "fit_heard_as.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _row(text: str, loop: str, outcome: str = "loop words", part: str = "tune") -> dict:
    return {"text": text, "slice": part, "verdict": {"outcome": outcome, "text": loop}}


def test_the_fit_counts_command_words_the_loop_wrote_as_another_word_on_tune_rows_only() -> None:
    fit = _script()
    commands = {"let's", "take", "a", "break", "can", "we", "end", "the"}
    rows = [
        _row("Oh my god. Let's take a break.", "all my got what's take a brake"),
        _row("Let's take a break.", "what's take a break", part="test"),  # never the test slice
        _row("Let's take a break.", "what's take a break", outcome="command"),  # no loop path
        _row("Can we end the break?", "can't we end of break"),  # a negation never counts
    ]
    found = fit.confusions(rows, commands, {"brake": "break", "lets": "let's"}, everyday={"the"})
    # "brake" sounds like "break" and "the" is an everyday word: neither is counted
    assert found == {("let's", "what's"): 1}


def test_the_fit_reads_the_corpora_spellings_as_the_command_words_they_sound_like() -> None:
    fit = _script()
    found = fit.confusions([_row("lets take a brake", "what's take a break")], {"let's", "take", "a", "break"},
                           {"lets": "let's", "brake": "break"}, everyday=set())
    assert found == {("let's", "what's"): 1}


def test_a_loop_word_counts_as_the_word_it_sounds_like_and_the_ones_it_is_written_for() -> None:
    words = {"we're", "let's", "what's", "again"}
    got = alike({"were": "we're"}, {"what's": ("let's",), "yep": ("again", "gone"), "so": ("so",)}, words)
    # a command word the grammar does not hold ("gone"), or the word itself, is dropped
    assert got == {"were": frozenset({"we're"}), "what's": frozenset({"let's"}), "yep": frozenset({"again"})}


def test_the_shipped_table_never_lets_talk_turned_by_a_negation_or_you_count_as_a_command() -> None:
    for written, said in tuned.HEARD_AS.items():
        assert not set(normalize(" ".join([written, *said])).split()) & TURNED, written
