"""Choosing a recogniser: ``auto`` is vosk when a model is present, else pocketsphinx."""

from __future__ import annotations

import logging
from pathlib import Path

from skill.asr.base import Recognizer
from skill.config import ListenSettings
from skill.errors import UserError
from skill.paths import models_dir

log = logging.getLogger(__name__)

CHOICES = ("auto", "vosk", "pocketsphinx")


def find_vosk_model(settings: ListenSettings) -> Path | None:
    """The configured model directory, else the first ``models/vosk-model-*`` one."""
    if settings.vosk_model:
        return Path(settings.vosk_model).expanduser()
    found = sorted(p for p in models_dir().glob("vosk-model-*") if p.is_dir())
    return found[0] if found else None


def make_recognizer(settings: ListenSettings, choice: str | None = None) -> Recognizer:
    """Build the chosen recogniser and log which one in a single line."""
    from skill.datafile import DataFileError
    from skill.nlu.check import load_checked_intents

    choice = choice or settings.recognizer
    if choice not in CHOICES:
        raise UserError(f"unknown recogniser {choice!r}; choose one of {', '.join(CHOICES)}")
    try:
        intent_set = load_checked_intents()  # the same checks as `haven intents check`
    except DataFileError as exc:
        raise UserError(
            f"the intent files have {len(exc.problems)} problem(s); fix them and try again "
            f"(haven intents check lists them):\n{exc}"
        ) from None
    model = find_vosk_model(settings)
    if choice == "vosk" or (choice == "auto" and model is not None):
        from skill.asr.grammar import grammar_from_intents
        from skill.asr.vosk_adapter import FETCH, VoskRecognizer

        if model is None:
            raise UserError(f"no Vosk model under {models_dir()}; install one with: {FETCH}")
        grammar = grammar_from_intents(intent_set.intents, skip_words=intent_set.intents.skip_words)
        recognizer: Recognizer = VoskRecognizer(model, grammar.words)
        log.info("recogniser: vosk, model %s", model)
        return recognizer
    from skill.asr.sphinx import SphinxRecognizer
    from skill.audio.denoise import load_denoiser
    from skill.audio.dereverb import loud_room

    recognizer = SphinxRecognizer(intent_set.intents, denoise=loud_room(load_denoiser()))
    why = "chosen" if choice == "pocketsphinx" else "no Vosk model found"
    log.info("recogniser: pocketsphinx with the bundled US English model (%s)", why)
    return recognizer
