"""The recogniser's decisions on hand-written paths (a fake decoder), and rooms with no speech in them."""

from __future__ import annotations

import wave
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pytest
from conftest import DEV_CORPUS as DEV, dev_manifest

from skill.asr.automaton import compile_grammar
from skill.asr.decoder import Decoded
from skill.asr.grammar import Alt, Seq
from skill.asr.room import BANDS, Band, level, no_speech
from skill.asr.second_look import SecondLook, Segment
from skill.asr.verdict import Context, Outcome, SilenceCheck, decide

QUIET, NOISY = BANDS
COMMANDS = compile_grammar(Alt((Seq(("we", "need", "a", "break")), "stop", "break", Seq(("what", "can", "you", "do")))))
READIER = compile_grammar(Seq(("what", "can", "you", "do")))
CONTEXT = Context(COMMANDS, READIER, ("first-quiet", "first-noisy"), {"readier": "look-readier",
                                                                       "all": "look-all"})


def path(*segs: tuple[str, int, int, float]) -> tuple[Segment, ...]:
    return tuple(Segment(w, a, b, s) for w, a, b, s in segs)


def decoded(*segs: tuple[str, int, int, float]) -> Decoded:
    p = path(*segs)
    words = tuple(s.word for s in p if s.word not in ("<s>", "</s>", "<sil>"))
    return Decoded(words, p, max((s.end for s in p), default=0) + 1)


@dataclass
class FakeDecoder:
    """Canned paths per search; records which searches were decoded."""

    paths: dict[str, Decoded]
    asked: list[str] = field(default_factory=list)

    def again(self, search: str) -> Decoded:
        self.asked.append(search)
        return self.paths[search]


def verdict(first: Decoded, band: Band = QUIET, others: dict[str, Decoded] | None = None,
            look: SecondLook | None = SecondLook()) -> tuple[object, FakeDecoder]:
    fake = FakeDecoder(others or {})
    checks = [SilenceCheck("phones", max_deficit=17.0, checked_silence_s=0.9)]
    return decide(first, CONTEXT, band, fake.again, checks, look, frozenset({"please"}), 100), fake


def test_a_whole_command_with_little_silence_is_taken_without_another_decode() -> None:
    first = decoded(("<s>", 0, 29, -300.0), ("stop", 30, 60, -900.0), ("</s>", 61, 90, -300.0))
    result, fake = verdict(first)
    assert result.outcome is Outcome.COMMAND and result.text == "stop"
    assert fake.asked == []


def test_a_command_padded_with_silence_over_speech_is_rejected_and_says_why() -> None:
    # 1.5 s "silence" scoring far below what a phone loop finds there: speech the command could not explain.
    first = decoded(("<s>", 0, 29, -300.0), ("stop", 30, 60, -900.0), ("<sil>", 61, 180, -60000.0),
                    ("</s>", 181, 210, -300.0))
    phones = decoded(("SIL", 0, 29, -300.0), ("S", 30, 60, -800.0), ("AH", 61, 180, -2000.0),
                     ("SIL", 181, 210, -300.0))
    result, fake = verdict(first, others={"phones": phones})
    assert result.outcome is Outcome.REJECTED and result.text == ""
    assert "silence check" in result.why
    assert fake.asked == ["phones"]


def test_real_silence_in_a_command_path_passes_the_check() -> None:
    first = decoded(("<s>", 0, 29, -300.0), ("stop", 30, 60, -900.0), ("<sil>", 61, 180, -1200.0),
                    ("</s>", 181, 210, -300.0))
    phones = decoded(("SIL", 0, 29, -300.0), ("S", 30, 60, -800.0), ("SIL", 61, 180, -1100.0),
                     ("SIL", 181, 210, -300.0))
    result, _ = verdict(first, others={"phones": phones})
    assert result.outcome is Outcome.COMMAND


def test_a_path_cut_short_is_nothing() -> None:
    result, _ = verdict(decoded(("we", 0, 20, -100.0), ("need", 21, 40, -100.0)))
    assert result.outcome is Outcome.NOTHING
    assert verdict(decoded())[0].outcome is Outcome.NOTHING


def test_when_the_loop_wins_its_words_go_to_the_matcher() -> None:
    first = decoded(("that's~", 0, 30, -500.0), ("a~", 31, 40, -200.0), ("low~", 41, 60, -400.0),
                    ("blow~", 61, 90, -500.0))
    # a quiet room looks again for the readier intents only: nothing of them in this path
    result, _ = verdict(first, others={"look-readier": decoded()})
    assert result.outcome is Outcome.LOOP_WORDS and result.text == "that's a low blow"


def test_a_garbled_command_is_taken_when_the_commands_alone_explain_it_well() -> None:
    loop = decoded(("what's~", 0, 40, -3000.0), ("they~", 41, 60, -2000.0), ("brake~", 61, 100, -3000.0))
    forced = decoded(("we", 0, 15, -1000.0), ("need", 16, 40, -1500.0), ("a", 41, 60, -1200.0),
                     ("break", 61, 100, -2000.0))
    result, fake = verdict(loop, band=NOISY, others={"look-all": forced})
    assert result.outcome is Outcome.SECOND_LOOK and result.text == "we need a break"
    assert fake.asked == ["look-all"]
    # ...and left to the matcher when the commands explain it worse than the loop did
    worse = decoded(("we", 0, 15, -3000.0), ("need", 16, 40, -4000.0), ("a", 41, 60, -3000.0),
                    ("break", 61, 100, -5000.0))
    result, _ = verdict(loop, band=NOISY, others={"look-all": worse})
    assert result.outcome is Outcome.LOOP_WORDS and result.text == "what's they brake"


def test_a_command_led_in_by_a_few_words_of_talk_is_taken_without_them() -> None:
    first = decoded(("enough~", 0, 30, -500.0), ("we", 31, 40, -200.0), ("need", 41, 60, -300.0),
                    ("a", 61, 65, -100.0), ("break", 66, 99, -400.0), ("seriously~", 100, 140, -500.0))
    result, _ = verdict(first)
    assert result.outcome is Outcome.COMMAND_IN_TALK and result.text == "we need a break"
    assert "enough" in result.why and "seriously" in result.why


def test_a_one_word_command_inside_talk_is_not_taken() -> None:
    # "you never give me a break": a lone command word at the end of a sentence
    first = decoded(("you~", 0, 20, -300.0), ("never~", 21, 50, -400.0), ("give~", 51, 70, -300.0),
                    ("me~", 71, 80, -200.0), ("break", 81, 110, -400.0))
    result, _ = verdict(first)
    assert result.outcome is Outcome.NOTHING and "too short" in result.why


def test_the_second_look_may_find_a_command_inside_a_few_words_of_talk() -> None:
    loop = decoded(("both~", 0, 30, -3000.0), ("we~", 31, 45, -1500.0), ("need~", 46, 60, -1500.0),
                   ("of~", 61, 70, -1500.0), ("brake~", 71, 100, -3000.0))
    forced = decoded(("both~", 0, 30, -3000.0), ("we", 31, 45, -800.0), ("need", 46, 60, -900.0),
                     ("a", 61, 70, -700.0), ("break", 71, 100, -1500.0))
    result, _ = verdict(loop, band=NOISY, others={"look-all": forced})
    assert result.outcome is Outcome.SECOND_LOOK and result.text == "we need a break"


def test_the_readier_look_is_skipped_for_long_talk() -> None:
    long_talk = decoded(*((f"word{n}~", 10 * n, 10 * n + 9, -300.0) for n in range(9)))
    result, fake = verdict(long_talk)
    assert result.outcome is Outcome.LOOP_WORDS and fake.asked == []


def test_the_verdict_can_be_logged_as_plain_data() -> None:
    result, _ = verdict(decoded(("stop", 0, 30, -100.0)))
    plain = result.as_dict()
    assert (plain["outcome"], plain["text"], plain["why"]) == ("command", "stop", "the grammar won over the loop")
    assert plain["details"]["words"] == 1 and plain["details"]["word_frames"] == 31


# --- the room: what holds no speech is never decoded ------------------------------------------

def _samples(x: np.ndarray) -> bytes:
    return np.clip(x, -32768, 32767).astype("<i2").tobytes()


def test_silence_and_steady_noise_hold_no_speech() -> None:
    rng = np.random.default_rng(5)
    assert no_speech(level(bytes(32000))) is not None  # digital silence
    assert no_speech(level(_samples(rng.standard_normal(16000) * 3))) is not None  # a quiet hiss
    assert no_speech(level(_samples(rng.standard_normal(160000) * 3000))) is not None  # loud white noise
    hum = 4000 * np.sin(2 * np.pi * 100 * np.arange(48000) / 16000)
    assert no_speech(level(_samples(hum + rng.standard_normal(48000) * 200))) is not None


@pytest.mark.skipif(not dev_manifest(), reason=f"the dev corpus is not at {DEV}")
def test_commands_in_a_noisy_room_are_still_speech() -> None:
    from acoustics import floats, pcm, with_pink_noise

    from skill.audio.vad import speech_span
    from skill.audio.wav import read_wav

    rows = [r for r in dev_manifest() if r["condition"] == "piper-clean" and r["intent"]]
    for n, row in enumerate(rows[:10]):
        clean = read_wav(DEV / str(row["file"]))
        for snr in (10.0, 15.0):
            noisy = pcm(with_pink_noise(floats(speech_span(clean).samples), snr, seed=n))
            assert no_speech(level(noisy)) is None, (row["text"], snr)


def _write(path: Path, samples: bytes) -> Path:
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(16000)
        w.writeframes(samples)
    return path


@pytest.mark.parametrize("context", ["all", "idle", "break", "checkin"])
def test_haven_recognize_hears_no_intent_in_silence_or_noise(tmp_path: Path, context: str,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    from skill.cli import main

    rng = np.random.default_rng(7)
    brown = np.cumsum(rng.standard_normal(16000 * 40))
    brown = (brown - np.convolve(brown, np.ones(800) / 800, mode="same")) * 300  # floored below ~20 Hz
    files = [_write(tmp_path / "silence.wav", bytes(32000)),
             _write(tmp_path / "white.wav", _samples(rng.standard_normal(16000 * 40) * 2500)),
             _write(tmp_path / "pink-ish.wav", _samples(brown))]
    assert main(["recognize", "--json", "--context", context, *map(str, files)]) == 0
    rows = [line for line in capsys.readouterr().out.splitlines() if line]
    assert rows and all('"intent": null' in row for row in rows), rows


def test_in_a_noisy_room_a_command_whose_words_score_far_below_a_phone_loop_is_refused() -> None:
    from skill.asr.verdict import WordsCheck

    # "You assembled tacos. From a kit." forced into a break call: the words score 40 a frame
    # below what a free phone loop makes of the same frames.
    first = decoded(("<s>", 0, 9, -90.0), ("we", 10, 29, -1000.0), ("need", 30, 49, -1000.0),
                    ("a", 50, 59, -500.0), ("break", 60, 89, -1500.0), ("</s>", 90, 99, -90.0))
    phones = decoded(("ah", 0, 99, -1000.0))  # 10 a frame
    checks = [WordsCheck("phones", max_deficit=28.0)]
    fake = FakeDecoder({"phones": phones})
    refused = decide(first, CONTEXT, NOISY, fake.again, checks, None, frozenset(), 100)
    assert refused.outcome is Outcome.REJECTED and "phone-loop check" in refused.why
    close = decoded(("ah", 0, 99, -3000.0))  # 30 a frame: the words are 20 below it
    taken = decide(first, CONTEXT, NOISY, FakeDecoder({"phones": close}).again, checks, None, frozenset(), 100)
    assert taken.outcome is Outcome.COMMAND
    # In a quiet room the silence check is the one that runs.
    assert not checks[0].applies(QUIET, first, 100)


def test_a_short_command_in_a_noisy_room_may_score_further_below_the_phone_loop() -> None:
    from skill.asr.verdict import WordsCheck

    checks = [WordsCheck("phones", max_deficit=28.0, short_frames=50, short_max_deficit=35.0)]
    phones = decoded(("ah", 0, 99, -1000.0))  # 10 a frame
    # "what can you do" said in a noisy room: 40 frames of words, 32 a frame below the phone loop.
    short = decoded(("<s>", 0, 29, -300.0), ("what", 30, 39, -420.0), ("can", 40, 49, -420.0),
                    ("you", 50, 59, -420.0), ("do", 60, 69, -420.0), ("</s>", 70, 99, -300.0))
    taken = decide(short, CONTEXT, NOISY, FakeDecoder({"phones": phones}).again, checks, None, frozenset(), 100)
    assert taken.outcome is Outcome.COMMAND
    # The same deficit over 80 frames of words is talk forced into a command.
    long = decoded(("<s>", 0, 9, -100.0), ("we", 10, 29, -840.0), ("need", 30, 49, -840.0),
                   ("a", 50, 69, -840.0), ("break", 70, 89, -840.0), ("</s>", 90, 99, -100.0))
    refused = decide(long, CONTEXT, NOISY, FakeDecoder({"phones": phones}).again, checks, None, frozenset(), 100)
    assert refused.outcome is Outcome.REJECTED and "(> 28)" in refused.why
    # Beyond the short limit even a short path is refused.
    shorter = decoded(("<s>", 0, 29, -300.0), ("what", 30, 39, -500.0), ("can", 40, 49, -500.0),
                      ("you", 50, 59, -500.0), ("do", 60, 69, -500.0), ("</s>", 70, 99, -300.0))
    assert decide(shorter, CONTEXT, NOISY, FakeDecoder({"phones": phones}).again, checks, None,
                  frozenset(), 100).outcome is Outcome.REJECTED


def test_a_skip_word_the_sentence_itself_spells_out_is_not_padding() -> None:
    # Sentences "stop" and "please call help", each with an optional "please" either side.
    sentences = Alt(("stop", Seq(("please", "call", "help"))))
    skip = Alt(("please",), optional=True)
    context = Context(compile_grammar(Seq((skip, sentences, skip))), None, ("first-quiet", "first-noisy"),
                      {"all": "look-all"}, written=compile_grammar(sentences))
    loop = decoded(("these~", 0, 30, -3000.0), ("all~", 31, 60, -3000.0), ("hell~", 61, 100, -4000.0))

    def look(*segs: tuple[str, int, int, float]) -> Outcome:
        fake = FakeDecoder({"look-all": decoded(*segs)})
        return decide(loop, context, NOISY, fake.again, [], SecondLook(), frozenset({"please"}), 100).outcome

    # "please" is a third of the speech either way; the scores are the same.
    assert look(("please", 0, 30, -1000.0), ("call", 31, 60, -1000.0), ("help", 61, 100, -1500.0)) \
        is Outcome.SECOND_LOOK
    assert look(("stop", 0, 60, -2000.0), ("please", 61, 100, -1500.0)) is Outcome.LOOP_WORDS
