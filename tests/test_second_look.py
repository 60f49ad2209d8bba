"""The second look: its evidence from paths written out by hand, then the real recogniser in a hard room."""

from __future__ import annotations

import shutil
from dataclasses import dataclass, replace
from pathlib import Path

import pytest
from acoustics import floats, pcm, reverberate, with_pink_noise
from conftest import DEV_CORPUS as DEV, dev_manifest

from skill.app.parts import load_matcher, match_heard
from skill.asr.second_look import Evidence, SecondLook, Segment, evidence, segments
from skill.audio.denoise import load_denoiser
from skill.audio.dereverb import loud_room
from skill.audio.wav import read_wav
from skill.messages import AudioChunk
from skill.nlu.templates import load_intents

needs_dev = pytest.mark.skipif(not dev_manifest(), reason=f"the dev corpus is not at {DEV}")
needs_sox = pytest.mark.skipif(shutil.which("sox") is None, reason="sox is not installed (scripts/setup installs it)")

SKIP = frozenset({"please", "now", "haven"})


def path(*words: tuple[str, int, int, float]) -> list[Segment]:
    return [Segment(w, start, end, score) for w, start, end, score in words]


LOOP = path(("<sil>", 0, 9, -100.0), ("what's~", 10, 29, -600.0), ("they~", 30, 39, -400.0),
            ("brake~", 40, 59, -500.0), ("<sil>", 60, 69, -100.0))


def test_gain_is_the_command_paths_advantage_per_frame() -> None:
    forced = path(("<sil>", 0, 9, -100.0), ("let's", 10, 29, -560.0), ("take", 30, 39, -380.0),
                  ("a", 40, 44, -200.0), ("break", 45, 59, -300.0), ("<sil>", 60, 69, -100.0))
    e = evidence(LOOP, forced, 70, "what's they brake", "let's take a break", SKIP)
    # loop total -1700, command path -1640, over 70 frames
    assert e.gain == pytest.approx(60 / 70)
    # "a" over frames 40-44 against the loop's -25 a frame there: 25 - 40 = -15 a frame worse
    assert e.worst == pytest.approx(15.0)
    assert e.padding == 0.0
    assert 0 < e.likeness < 100


def test_padding_is_the_share_of_speech_in_skip_words() -> None:
    forced = path(("<sil>", 0, 9, -100.0), ("five", 10, 19, -200.0), ("more", 20, 29, -200.0),
                  ("minutes", 30, 39, -200.0), ("now", 40, 59, -900.0), ("<sil>", 60, 69, -100.0))
    e = evidence(LOOP, forced, 70, "what's they brake", "five more minutes now", SKIP)
    assert e.padding == pytest.approx(20 / 50)
    assert not SecondLook().accepts(Evidence(gain=10.0, worst=0.0, likeness=100.0, padding=e.padding))


def test_a_word_stretched_over_other_speech_is_the_worst_deficit() -> None:
    forced = path(("<sil>", 0, 9, -100.0), ("stop", 10, 59, -3000.0), ("<sil>", 60, 69, -100.0))
    e = evidence(LOOP, forced, 70, "what's they brake", "stop", SKIP)
    assert e.worst == pytest.approx((-1500.0 + 3000.0) / 50)
    assert e.gain < 0


def test_the_rule_takes_close_fitting_commands_and_leaves_poor_ones() -> None:
    look = SecondLook()
    # Figures of the kind measured on the tune slice: a garbled "let's do our weekly check-in"
    # in noise, and an argument the commands-only path could only fit badly.
    assert look.accepts(Evidence(gain=5.9, worst=8.1, likeness=58.0, padding=0.0))
    assert not look.accepts(Evidence(gain=-3.7, worst=34.0, likeness=46.0, padding=0.0))
    assert look.score(Evidence(6.0, 8.0, 60.0, 0.0)) > look.score(Evidence(2.0, 8.0, 60.0, 0.0))
    assert look.score(Evidence(6.0, 8.0, 60.0, 0.0)) > look.score(Evidence(6.0, 40.0, 60.0, 0.0))


def test_readier_intents_are_taken_from_a_lower_score() -> None:
    look = SecondLook()
    close_call = Evidence(gain=2.0, worst=10.0, likeness=60.0, padding=0.0)
    assert -look.readier_margin < look.score(close_call) < 0
    assert look.accepts(close_call, readier=True)
    assert not look.accepts(close_call)
    assert not look.accepts(replace(close_call, padding=0.2), readier=True)
    assert not look.accepts(replace(close_call, gain=-1.0), readier=True)


def test_the_readier_sentences_are_those_of_the_named_intents() -> None:
    from skill.asr.sphinx import sentences_of

    intents = load_intents()
    safety = sentences_of(intents, ("safety", "no.such.intent"), lambda word: True, ["okay"], ["please"])
    assert safety is not None
    assert safety.accepts("i don't feel safe".split())
    assert safety.accepts("okay who can i call for help please".split())
    assert not safety.accepts("we need a break".split())
    assert sentences_of(intents, ("no.such.intent",), lambda word: True, [], []) is None


@dataclass
class _RawSeg:  # the shape of pocketsphinx's Segment
    word: str
    start_frame: int
    end_frame: int
    ascore: float


def test_segments_reads_pocketsphinx_probabilities_as_log_scores() -> None:
    raw = [_RawSeg("a(2)", 3, 7, 1.0001 ** -250), _RawSeg("<sil>", 8, 9, 0.0)]
    segs = segments(raw)
    assert segs[0].word == "a" and segs[0].frames == 5
    assert segs[0].score == pytest.approx(-250.0, abs=1e-6)
    assert segs[1].score < -1e5  # an underflowed probability is very unlikely, not an error


def _hard_room(text: str, tmp: Path, voice: str = "piper-clean") -> AudioChunk:
    """A clean dev command in an echoing room with pink noise 12 dB below it."""
    row = next(r for r in dev_manifest() if r["condition"] == voice and r["text"] == text)
    clean = read_wav(DEV / str(row["file"]))
    hard = with_pink_noise(reverberate(floats(clean.samples), tmp), 12.0, seed=3)
    return replace(clean, samples=pcm(hard))


@needs_dev
@needs_sox
def test_a_garbled_command_in_a_hard_room_is_recovered(tmp_path: Path) -> None:
    from skill.asr.sphinx import SphinxRecognizer, SphinxSettings

    heard = _hard_room("we need a twenty minute break", tmp_path)
    matcher = load_matcher()
    with_look = SphinxRecognizer(load_intents(), denoise=loud_room(load_denoiser())).recognize(heard)
    assert with_look is not None
    match = matcher.match(with_look.text)
    assert match is not None and (match.intent, match.slots) == ("break.start", {"minutes": 20})
    # The first decode alone leaves the loop's garble ("we need it one he than it break").
    settings = SphinxSettings(second_look=None)
    without = SphinxRecognizer(load_intents(), settings, denoise=loud_room(load_denoiser())).recognize(heard)
    assert without is not None and matcher.match(without.text) is None


@needs_dev
@needs_sox
def test_arguments_in_the_same_room_stay_unheard(tmp_path: Path) -> None:
    from skill.asr.sphinx import SphinxRecognizer

    recognizer = SphinxRecognizer(load_intents(), denoise=loud_room(load_denoiser()))
    matcher = load_matcher()
    others = [r for r in dev_manifest() if r["condition"] == "piper-clean" and not r["intent"]]
    assert len(others) >= 8
    for n, row in enumerate(others):
        clean = read_wav(DEV / str(row["file"]))
        hard = with_pink_noise(reverberate(floats(clean.samples), tmp_path), 12.0, seed=n)
        heard = recognizer.recognize(replace(clean, samples=pcm(hard)))
        assert heard is None or match_heard(matcher, heard)[1] is None, (row["text"], heard)


@needs_dev
@needs_sox
def test_a_readier_intent_is_recovered_where_another_would_not_be(tmp_path: Path) -> None:
    from skill.asr.sphinx import SphinxRecognizer, SphinxSettings

    # The recogniser has heard the room once before (pocketsphinx follows the room across utterances).
    before = _hard_room("start check in", tmp_path, voice="espeak-clean")
    heard = _hard_room("what can you do", tmp_path, voice="espeak-clean")
    matcher = load_matcher()
    readier = SphinxRecognizer(load_intents(), denoise=loud_room(load_denoiser()))
    readier.recognize(before)
    taken = readier.recognize(heard)
    assert taken is not None
    match = matcher.match(taken.text)
    assert match is not None and match.intent == "help"
    # The same evidence for a command outside ``readier_for`` is left ("what's an do who").
    settings = SphinxSettings(second_look=SecondLook(readier_for=()))
    plain = SphinxRecognizer(load_intents(), settings, denoise=loud_room(load_denoiser()))
    plain.recognize(before)
    left = plain.recognize(heard)
    assert left is None or matcher.match(left.text) is None


@needs_dev
def test_a_quiet_room_looks_again_for_the_readier_intents_only() -> None:
    from skill.asr.sphinx import SphinxRecognizer, SphinxSettings

    row = next(r for r in dev_manifest() if r["condition"] == "piper-fan20" and r["text"] == "let's check in")
    heard = read_wav(DEV / str(row["file"]))
    matcher = load_matcher()
    quiet, loud = SphinxSettings().bands
    assert quiet.second_look == "readier"
    taken = SphinxRecognizer(load_intents(), denoise=loud_room(load_denoiser())).recognize(heard)
    assert taken is not None
    match = matcher.match(taken.text)
    assert match is not None and match.intent == "checkin.start"
    # Without it the loop's "what's check again" is all there is.
    settings = SphinxSettings(bands=(replace(quiet, second_look="off"), loud))
    left = SphinxRecognizer(load_intents(), settings, denoise=loud_room(load_denoiser())).recognize(heard)
    assert left is not None and matcher.match(left.text) is None
    # Nor when the loop heard more words than a readier command has.
    short = SphinxSettings(second_look=SecondLook(readier_words=2))
    long = SphinxRecognizer(load_intents(), short, denoise=loud_room(load_denoiser())).recognize(heard)
    assert long is not None and matcher.match(long.text) is None


def test_a_quiet_room_looks_for_the_calls_for_help_that_say_call_only() -> None:
    from skill.asr.automaton import compile_grammar
    from skill.asr.grammar import Alt, Seq
    from skill.asr.sphinx import quiet_look

    def sentences(*texts: str):  # type: ignore[no-untyped-def]
        return compile_grammar(Alt(tuple(Seq(tuple(t.split())) for t in texts)))

    by_intent = {"safety": sentences("i don't feel safe"),
                 "safety.call": sentences("call nine one one", "phone the police", "we need the police",
                                          "help me")}

    def graph(names: frozenset[str]):  # type: ignore[no-untyped-def]
        chosen = [by_intent[name] for name in sorted(names)]
        return chosen[0] if len(chosen) == 1 else None

    look = SecondLook()
    names = frozenset({"safety", "safety.call", "stop"})
    seen = quiet_look(names, by_intent["safety"], look, graph)
    assert seen is not None
    for said in ["i don't feel safe", "call nine one one", "phone the police"]:
        assert seen.accepts(said.split()), said
    for said in ["we need the police", "help me"]:
        assert not seen.accepts(said.split()), said
    # A context that does not listen for the calls looks for its readier intents only.
    assert quiet_look(frozenset({"safety"}), by_intent["safety"], look, graph) == by_intent["safety"]
    assert quiet_look(names, None, replace(look, quiet_looks_for=()), graph) is None
