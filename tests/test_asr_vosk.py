"""The vosk adapter through a test double of vosk's Model / KaldiRecognizer API."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from skill.asr.vosk_adapter import VoskRecognizer
from skill.errors import UserError
from skill.messages import AudioChunk
from tests.fakes import FakeVosk

SPEECH = AudioChunk(16000, 2, 1, bytes(32000))


def _model(tmp_path: Path) -> Path:
    for name in ("am/final.mdl", "conf/model.conf"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(b"x")
    return tmp_path


def test_grammar_is_the_vocabulary_plus_unk(tmp_path: Path) -> None:
    fake = FakeVosk(heard="we need a break")
    rec = VoskRecognizer(_model(tmp_path), ["break", "we", "need", "a"], vosk=fake)
    transcript = rec.recognize(SPEECH)
    assert transcript is not None and transcript.text == "we need a break"
    assert json.loads(fake.grammars[0]) == ["a", "break", "need", "we", "[unk]"]
    assert fake.fed_bytes == len(SPEECH.samples)
    assert fake.endpointer is not None and fake.endpointer[1] == pytest.approx(0.6)


def test_unknown_words_are_rejected(tmp_path: Path) -> None:
    fake = FakeVosk(heard="we need [unk] [unk]")
    assert VoskRecognizer(_model(tmp_path), ["we"], vosk=fake).recognize(SPEECH) is None
    fake.heard = ""
    assert VoskRecognizer(_model(tmp_path), ["we"], vosk=fake).recognize(SPEECH) is None


def test_each_context_listens_with_its_own_words(tmp_path: Path) -> None:
    words = {"break.start": {"we", "need", "a", "break"}, "checkin.next": {"next", "question"}}
    fake = FakeVosk(heard="next question")
    rec = VoskRecognizer(_model(tmp_path), ["a", "break", "need", "next", "question", "we"], vosk=fake,
                         vocabulary_for=lambda names: set().union(*(words[n] for n in names)))
    rec.listen_for(frozenset({"break.start"}))
    rec.recognize(SPEECH)
    assert json.loads(fake.grammars[-1]) == ["a", "break", "need", "we", "[unk]"]
    rec.listen_for(frozenset({"checkin.next"}))
    assert rec.recognize(SPEECH) is not None
    assert json.loads(fake.grammars[-1]) == ["next", "question", "[unk]"]
    rec.listen_for(frozenset())  # a context with nothing this recogniser hears
    assert rec.recognize(SPEECH) is None


def test_missing_or_broken_model_names_the_fix(tmp_path: Path) -> None:
    with pytest.raises(UserError, match="scripts/fetch-model"):
        VoskRecognizer(tmp_path / "nothing", ["we"], vosk=FakeVosk())
    (tmp_path / "half").mkdir()
    with pytest.raises(UserError, match="incomplete.*scripts/fetch-model"):
        VoskRecognizer(tmp_path / "half", ["we"], vosk=FakeVosk())
    with pytest.raises(UserError, match="cannot be loaded.*scripts/fetch-model"):
        VoskRecognizer(_model(tmp_path), ["we"], vosk=FakeVosk(fail_model=True))


def test_auto_picks_vosk_only_when_a_model_is_present(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from skill.asr.factory import find_vosk_model
    from skill.config import ListenSettings

    monkeypatch.setenv("HAVEN_MODELS_DIR", str(tmp_path))
    assert find_vosk_model(ListenSettings()) is None
    (tmp_path / "vosk-model-small-en-us-0.15").mkdir()
    assert find_vosk_model(ListenSettings()) == tmp_path / "vosk-model-small-en-us-0.15"


REAL = sorted((Path(__file__).resolve().parents[1] / "models").glob("vosk-model-*"))


@pytest.mark.skipif(not REAL, reason="no Vosk model under models/ (scripts/fetch-model installs one)")
def test_real_vosk_model_hears_a_command() -> None:
    from skill.asr.factory import make_recognizer
    from skill.audio.wav import read_wav
    from skill.config import ListenSettings

    dev = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "dev"
    rec = make_recognizer(ListenSettings(), "vosk")
    transcript = rec.recognize(read_wav(dev / "000-piper-clean.wav"))
    assert transcript is not None and "break" in transcript.text


def test_with_a_name_required_only_what_follows_it_is_heard(tmp_path: Path) -> None:
    fake = FakeVosk(heard="haven we need a break")
    rec = VoskRecognizer(_model(tmp_path), ["break", "we", "need", "a"], vosk=fake, require_name="Haven")
    transcript = rec.recognize(SPEECH)
    assert transcript is not None and transcript.text == "we need a break"
    assert "haven" in json.loads(fake.grammars[0])
    from skill.app.parts import load_matcher, match_heard

    matcher = load_matcher()
    fake.heard = "we need a break"
    without = rec.recognize(SPEECH)
    assert without is not None and without.nameless
    assert match_heard(matcher, without)[1] is None  # not a command without the name
    fake.heard = "i don't feel safe"
    help_ = rec.recognize(SPEECH)
    found = match_heard(matcher, help_)[1] if help_ is not None else None
    assert found is not None and found.intent == "safety"  # asking for help needs no name
    fake.heard = "haven"
    alone = rec.recognize(SPEECH)
    assert alone is None or match_heard(matcher, alone)[1] is None
