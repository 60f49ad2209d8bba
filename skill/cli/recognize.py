"""``haven recognize``: WAV files in, the intents heard out.

A file of one utterance gives one row. A longer recording (more than
``LONG_S`` seconds: a conversation, a room left running) is cut into
utterances by the live loop's segmenter and streamed, so memory stays
bounded whatever its length; it gives one row per utterance heard, with its
start time.

``--context`` listens as the engine does in one state (idle, break,
check-in): only that state's intents are heard. ``all`` (the default) hears
every intent, so a held-out file of any command can be checked.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Iterator
from typing import Any

from skill.errors import UserError

log = logging.getLogger(__name__)

CONTEXTS = ("all", "idle", "break", "checkin")
LONG_S = 30.0  # longer files are segmented, as the live loop hears a room


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "recognize",
        help="recognise the commands said in WAV or FLAC files",
        description=(
            "A short file is one utterance (any rate or channel count); a recording longer than "
            f"{LONG_S:.0f} s is cut into utterances as the live loop would. Prints the transcript "
            "and the intent heard, or nothing heard. Nothing is written to disk."
        ),
    )
    parser.add_argument("files", nargs="+", metavar="FILE", help="WAV or FLAC files")
    parser.add_argument("--json", action="store_true",
                        help='one JSON object per row: {"file", "text", "intent", "slots", '
                             '"confidence", "start_s"}')
    parser.add_argument("--recognizer", choices=("auto", "vosk", "pocketsphinx"),
                        help="which recogniser (default: listen.recognizer, auto)")
    parser.add_argument("--context", choices=CONTEXTS, default="all",
                        help="listen as in this state: only its intents are heard (default: all)")
    parser.set_defaults(func=run)


def context_intents(name: str) -> frozenset[str] | None:
    """The intents heard in the named context; None for every intent."""
    from skill.engine.common import State
    from skill.engine.contexts import CONTEXTS as BY_STATE

    states = {"idle": State.IDLE, "break": State.BREAK, "checkin": State.CHECKIN}
    return None if name == "all" else BY_STATE[states[name]]


def run(args: argparse.Namespace) -> int:
    from skill.app.parts import load_matcher, load_parts, match_heard
    from skill.asr.factory import make_recognizer

    settings = load_parts().settings  # config, decks and lines checked as for `haven run`
    recognizer = make_recognizer(settings.listen, args.recognizer)
    intents = context_intents(args.context)
    listen_for = getattr(recognizer, "listen_for", None)
    if intents is not None and listen_for is not None:
        listen_for(intents)
    matcher = load_matcher()
    failed = files = heard = 0
    for number, path in enumerate(args.files, 1):
        try:
            for start_s, transcript in _heard(_utterances(path), recognizer, settings.listen):
                text, found = match_heard(matcher, transcript, intents) if transcript else ("", None)
                heard += found is not None
                row = {
                    "file": path,
                    "text": text,
                    "intent": found.intent if found else None,
                    "slots": dict(found.slots) if found else {},
                    "confidence": round(min(transcript.confidence, found.confidence), 3)
                    if transcript and found else 0.0,
                    "start_s": round(start_s, 2),
                }
                print(json.dumps(row) if args.json else _line(row), flush=True)
        except UserError as exc:
            print(f"haven: {exc}", file=sys.stderr)
            failed += 1
            continue
        files += 1
        log.info("file %d done", number)
    print(f"haven: {files} file(s), {heard} intent(s) heard, context {args.context}", file=sys.stderr)
    return 1 if failed else 0


def _utterances(path: str) -> Iterator[tuple[bool, Any]]:
    """(is_whole_file, audio): a short file whole, or a long one's 30 ms chunks to segment.

    A long recording is streamed (``AudioFile.chunks`` reads a second at a
    time), so memory does not grow with its length.
    """
    from skill.audio.wav import AudioFile, read_wav

    with AudioFile(path) as audio:
        long = audio.duration_s > LONG_S
        if long:
            yield from ((False, chunk) for chunk in audio.chunks())  # flushed after the last
    if not long:
        yield True, read_wav(path)


def _heard(utterances: Any, recognizer: Any, listen: Any) -> Iterator[tuple[float, Any]]:
    """(start_s, transcript or None) per utterance: one for a whole file, one per segment else,
    cut with the live loop's timings (``listen``: its trailing silence, its longest utterance)."""
    from skill.asr.hearing import hear_recording, segmenter_settings
    from skill.audio.vad import VadSegmenter

    segmenter = VadSegmenter(segmenter_settings(listen))
    for whole, audio in utterances:
        if whole:
            yield 0.0, hear_recording(audio, recognizer)
            continue
        utterance = segmenter.feed(audio)
        if utterance is not None:
            yield utterance.timestamp_s, recognizer.recognize(utterance)
    last = segmenter.flush()
    if last is not None:
        yield last.timestamp_s, recognizer.recognize(last)


def _line(row: dict[str, Any]) -> str:
    where = f"{row['file']}" + (f" @{row['start_s']:.1f}s" if row["start_s"] else "")
    if row["intent"] is None:
        return f"{where}: nothing heard" + (f" (\"{row['text']}\")" if row["text"] else "")
    slots = " ".join(f"{k}={v}" for k, v in row["slots"].items())
    return f"{where}: {row['intent']} {slots}".rstrip() + f"  (\"{row['text']}\")"
