"""Vosk (Kaldi), restricted to the commands' vocabulary plus "[unk]".

Used when a model directory is configured or found under ``models/``
(``scripts/fetch-model`` installs vosk-model-small-en-us-0.15). The grammar is
every word the templates use as a one-word phrase plus ``"[unk]"``: Vosk's
small models compile such a list into a word loop, so speech outside the
vocabulary comes out as ``[unk]``, and a result containing it is rejected.
Which word sequences are commands is left to the intent matcher.
"""

from __future__ import annotations

import dataclasses
import json
import logging
from pathlib import Path
from typing import Any, Callable, Iterable

from skill.errors import UserError
from skill.messages import AudioChunk, Transcript
from skill.nlu.name import Name

log = logging.getLogger(__name__)

UNKNOWN = "[unk]"
REQUIRED = ("am/final.mdl", "conf/model.conf")
FETCH = "scripts/fetch-model"
BLOCK_BYTES = 8000  # 0.25 s per AcceptWaveform call


def vosk_module() -> Any:
    try:
        import vosk
    except ImportError:
        raise UserError("the vosk recogniser is missing; install it with: pip install vosk") from None
    vosk.SetLogLevel(-1)
    return vosk


def check_model_dir(path: Path) -> None:
    """A UserError naming the fix when ``path`` is no usable Vosk model."""
    if not path.is_dir():
        raise UserError(f"no Vosk model at {path}; install one with: {FETCH}")
    missing = [name for name in REQUIRED if not (path / name).is_file()]
    if missing:
        raise UserError(f"the Vosk model at {path} is incomplete (no {missing[0]}); "
                        f"delete it and run: {FETCH}")


class VoskRecognizer:
    """One utterance at a time through a KaldiRecognizer limited to ``vocabulary``."""

    name = "vosk"

    def __init__(self, model_dir: Path, vocabulary: Iterable[str], vosk: Any = None,
                 vocabulary_for: Callable[[frozenset[str]], Iterable[str]] | None = None,
                 require_name: str = "") -> None:
        """``require_name``: only a result starting with these words is a command (they are cut off)."""
        check_model_dir(model_dir)
        self._vosk = vosk if vosk is not None else vosk_module()
        try:
            self._model = self._vosk.Model(str(model_dir))
        except Exception as exc:  # vosk raises a bare Exception for a broken model
            raise UserError(f"the Vosk model at {model_dir} cannot be loaded ({exc}); "
                            f"delete it and run: {FETCH}") from None
        self._vocabulary_for = vocabulary_for
        self._name = Name(require_name)
        self._grammar = self._all = json.dumps(sorted(set(vocabulary) | set(self._name.words)) + [UNKNOWN])
        self._grammars: dict[frozenset[str], str] = {}

    def listen_for(self, intents: frozenset[str]) -> None:
        """Only the words of these intents' sentences (and "[unk]") from the next utterance.

        Kaldi compiles the word list into the grammar each recogniser is made
        with, so a context is a list of its own: another context's command
        ("next" while idle) comes out as "[unk]" and is rejected.
        """
        if self._vocabulary_for is None:
            return
        if intents not in self._grammars:
            words = sorted(set(self._vocabulary_for(intents)) | set(self._name.words))
            self._grammars[intents] = json.dumps(words + [UNKNOWN]) if words else ""
        self._grammar = self._grammars[intents]

    def _recognizer(self) -> Any:
        rec = self._vosk.KaldiRecognizer(self._model, 16000, self._grammar)
        rec.SetWords(True)
        if hasattr(rec, "SetEndpointerDelays"):
            # start: 5 s of leading silence at most; end: 0.6 s of trailing silence; 10 s max.
            rec.SetEndpointerDelays(5.0, 0.6, 10.0)
        return rec

    def recognize(self, utterance: AudioChunk) -> Transcript | None:
        if utterance.rate != 16000 or utterance.width != 2 or utterance.channels != 1:
            raise ValueError("the recogniser takes 16 kHz mono 16-bit audio")
        if not self._grammar:
            return None  # nothing is listened for
        rec = self._recognizer()
        texts: list[dict[str, Any]] = []
        audio = utterance.samples
        for start in range(0, len(audio), BLOCK_BYTES):
            if rec.AcceptWaveform(audio[start:start + BLOCK_BYTES]):
                texts.append(json.loads(rec.Result()))
        texts.append(json.loads(rec.FinalResult()))
        heard = _transcript(texts)
        if heard is None or not self._name:
            return heard
        rest = self._name.after(heard.text)
        if rest is None:  # asking for help needs no name (skill.nlu.name); the matcher sees to that
            return dataclasses.replace(heard, nameless=True)
        return Transcript(rest.strip(), heard.confidence)


def _transcript(results: list[dict[str, Any]]) -> Transcript | None:
    words: list[str] = []
    confidences: list[float] = []
    for result in results:
        text = str(result.get("text", "")).strip()
        words.extend(text.split())
        confidences.extend(float(w.get("conf", 1.0)) for w in result.get("result", []))
    if not words or UNKNOWN in words:
        return None
    confidence = min(confidences) if confidences else 1.0
    return Transcript(" ".join(words), confidence=confidence)
