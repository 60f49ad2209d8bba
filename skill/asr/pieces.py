"""Commands between pauses: a command said inside an argument, not after a silence of its own.

A couple mid-quarrel does not say a clean command: "Enough. We need a break.
I mean it." The segmenter hands the recogniser the whole breath, and the
filler loop rightly explains the whole better than any command. But a spoken
sentence boundary is a pause, and the first pass's path shows it as a
silence. So when the whole utterance gives no command, the recogniser hears
again each stretch between two of those pauses (and runs of neighbouring
stretches, up to ``max_s``) with the same search: a stretch that the grammar
wins outright, and every check passes, is a command said between pauses.

Pure: this module finds the cuts and the stretches, and chooses among the
stretches' verdicts; the recogniser decodes them (``skill.asr.sphinx``).
Measured in docs/listening.md (``scripts/make_ledin.py``'s led-in commands,
``../shared/corpus/argument-dev``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from skill.asr import tuned
from skill.asr.decoder import Decoded
from skill.asr.second_look import SILENCE, Segment, per_frame
from skill.asr.verdict import Outcome, Verdict

PAUSE_WORDS = frozenset(SILENCE | {"(NULL)"})


@dataclass(frozen=True)
class Pieces:
    """Where to cut, and which stretches are heard again."""

    min_pause_s: float = tuned.PIECE_MIN_PAUSE_S  # a silence inside the path at least this long
    min_s: float = tuned.PIECE_MIN_S  # a stretch shorter than this is not heard again
    max_s: float = tuned.PIECE_MAX_S  # ...nor one longer than this (no command is)
    max_pauses: int = tuned.PIECE_MAX_PAUSES  # the longest pauses only: the cost grows as their square
    # The stretch's command path must explain its frames at most this much worse, per frame,
    # than the whole utterance's loop path did over the same frames (``gain``).
    min_gain: float = tuned.PIECE_MIN_GAIN
    # Long talk is no command led in: not heard again when the whole's loop heard more words.
    max_loop_words: int = tuned.PIECE_MAX_LOOP_WORDS


@dataclass(frozen=True)
class Span:
    start: int  # first frame
    end: int  # one past the last frame


def pauses(path: Sequence[Segment], frames_per_second: int, settings: Pieces) -> list[int]:
    """The middle frame of each long enough silence between two words of ``path``, in order."""
    spoken = [n for n, s in enumerate(path) if s.word not in PAUSE_WORDS and not s.word.startswith("[")]
    if len(spoken) < 2:
        return []
    inside = path[spoken[0] + 1:spoken[-1]]
    shortest = settings.min_pause_s * frames_per_second
    found = [s for s in inside if s.word in SILENCE and s.frames >= shortest]
    found = sorted(found, key=lambda s: s.frames, reverse=True)[:settings.max_pauses]
    return sorted((s.start + s.end) // 2 for s in found)


def spans(cuts: Sequence[int], n_frames: int, frames_per_second: int, settings: Pieces) -> list[Span]:
    """Every run of stretches between cuts but the whole, longest first (ties: the later first)."""
    bounds = [0, *cuts, n_frames]
    shortest, longest = settings.min_s * frames_per_second, settings.max_s * frames_per_second
    found = [Span(bounds[i], bounds[j]) for i in range(len(bounds)) for j in range(i + 1, len(bounds))
             if (i, j) != (0, len(bounds) - 1) and shortest <= bounds[j] - bounds[i] <= longest]
    return sorted(found, key=lambda s: (s.end - s.start, s.start), reverse=True)


def gain(whole: Decoded, span: Span, piece: Decoded) -> float:
    """How much better, per frame, the stretch's own path explains its frames than the whole's
    path (the loop's) did over the same frames: a command the grammar forced onto a bit of talk
    (a short stretch, its own search) explains it far worse than the open loop did."""
    loop = per_frame(whole.path, whole.n_frames)[span.start:span.end]
    return (sum(s.score for s in piece.path) - float(loop.sum())) / max(span.end - span.start, 1)


def between_pauses(first: Decoded, frames_per_second: int, settings: Pieces,
                   hear: Callable[[Span], tuple[Verdict, Decoded]]) -> Verdict | None:
    """The longest stretch between the first pass's pauses that ``hear`` finds a command outright
    (the grammar won and every check passed) and that explains its frames nearly as well as the
    whole's loop did (``gain``); None when none is."""
    fps = frames_per_second
    if len(first.words) > settings.max_loop_words:
        return None
    for span in spans(pauses(first.path, fps, settings), first.n_frames, fps, settings):
        verdict, piece = hear(span)
        if verdict.outcome is not Outcome.COMMAND:
            continue
        score = gain(first, span, piece)
        if score < settings.min_gain:
            continue
        where = f"{span.start / fps:.2f}-{span.end / fps:.2f} s"
        return Verdict(Outcome.BETWEEN_PAUSES, verdict.text,
                       f"{verdict.text!r} between pauses ({where}), gain {score:.1f}",
                       {**verdict.details, "piece_start": span.start / fps, "piece_end": span.end / fps,
                        "piece_gain": score})
    return None
