"""Choosing a recogniser: ``auto`` is vosk when a model is present, else pocketsphinx."""

from __future__ import annotations

import dataclasses
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
        intents = intent_set.intents
        grammar = grammar_from_intents(intents, skip_words=intents.skip_words)

        def vocabulary_for(names: frozenset[str]) -> frozenset[str]:
            chosen = {n: i for n, i in intents.intents.items() if n in names}
            if not chosen:
                return frozenset()
            subset = dataclasses.replace(intents, intents=chosen)
            return grammar_from_intents(subset, skip_words=intents.skip_words).words

        name = settings.name.lower() if settings.require_name else ""
        recognizer: Recognizer = VoskRecognizer(model, grammar.words | set(name.split()),
                                                vocabulary_for=vocabulary_for, require_name=name)
        log.info("recogniser: vosk, model %s", model)
        return recognizer
    from skill.asr.sphinx import SphinxRecognizer
    from skill.audio.denoise import load_denoiser
    from skill.audio.dereverb import loud_room

    from skill.asr.lexicon import unknown_words
    from skill.asr.sphinx import SphinxSettings

    name = settings.name.lower() if settings.require_name else ""
    missing = unknown_words([name])
    if missing:
        raise UserError(f"listen.name {settings.name!r}: the recogniser cannot say "
                        f"{', '.join(missing)}; choose a name of common English words")
    denoiser = load_denoiser()
    recognizer = SphinxRecognizer(intent_set.intents, SphinxSettings(require_name=name),
                                  denoise=loud_room(denoiser), quick_denoise=denoiser)
    why = "chosen" if choice == "pocketsphinx" else "no Vosk model found"
    log.info("recogniser: pocketsphinx with the bundled US English model (%s)", why)
    return recognizer
