"""Commands between pauses: a command said inside an argument, not after a silence of its own.

A couple mid-quarrel does not say a clean command: "Enough. We need a break.
I mean it." The segmenter hands the recogniser the whole breath, and the
filler loop rightly explains the whole better than any command. But a spoken
sentence boundary is a pause: a silence in the first pass's path, or a run of
frames near the utterance's quietest (the loop often stretches a word over a
short breath in a noisy room). So when the whole utterance gives no command,
the recogniser hears again each stretch between two of those pauses (and runs
of neighbouring stretches, up to ``max_s``) with the same search: a stretch
that the grammar wins outright, and every check passes, is a command said
between pauses. The loop's own words point at more stretches: a run of them
that nearly says one of the context's commands ("all my got | skip that") is
cut at those words' edges and heard again on the same terms (``windows``).

Pure: this module finds the cuts and the stretches, and chooses among the
stretches' verdicts; the recogniser decodes them (``skill.asr.sphinx``).
Measured in docs/listening.md (``scripts/make_ledin.py``'s led-in commands,
``../shared/corpus/argument-dev``).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from skill.asr import tuned
from skill.asr.decoder import Decoded
from skill.asr.automaton import EMPTY, Automaton
from skill.asr.lexicon import base_word
from skill.asr.second_look import SILENCE, Segment, per_frame, spoken_words
from skill.asr.silence_check import PAUSE_WORDS, deficit
from skill.asr.verdict import FILLER_MARK, Outcome, Verdict
from skill.nlu.normalize import normalize
from skill.nlu.orders import NEGATION_WORDS, SECOND_PERSON


# Words that turn the command after them into talk (skill.nlu.orders, as normalize writes them).
TURNED = NEGATION_WORDS | SECOND_PERSON
# Words that tie a command to what comes after it, so the run is part of a sentence about
# something else: "I need a break | from your mother" (stop 21). No shipped command ends with one.
BOUND = frozenset({"from"})


@dataclass(frozen=True)
class Pieces:
    """Where to cut, and which stretches are heard again."""

    min_pause_s: float = tuned.PIECE_MIN_PAUSE_S  # a silence inside the path at least this long
    min_quiet_s: float = tuned.PIECE_MIN_QUIET_S  # ...or a quiet run at least this long,
    quiet_db: float = tuned.PIECE_QUIET_DB  # of frames at most this far above the quietest tenth
    min_s: float = tuned.PIECE_MIN_S  # a stretch shorter than this is not heard again
    max_s: float = tuned.PIECE_MAX_S  # ...nor one longer than this (no command is)
    max_pauses: int = tuned.PIECE_MAX_PAUSES  # the longest pauses only: the cost grows as their square
    # The stretch's command path must explain its frames at most this much worse, per frame,
    # than the whole utterance's loop path did over the same frames (``gain``).
    min_gain: float = tuned.PIECE_MIN_GAIN
    # ...and its words may score at most this much per frame below a free phone loop over the
    # same frames (``deficit``): the best the acoustic model can do with them, command or not.
    max_deficit: float = tuned.PIECE_MAX_DEFICIT
    # Stretches the whole's loop words point at: a run of them a few word edits from one of the
    # context's commands ("all my got | skip that"), cut at the words' edges, these few at most.
    max_windows: int = tuned.PIECE_MAX_WINDOWS
    window_words: int = 10  # the longest command sentence is about ten words
    # A one-word command is taken out of talk only if it is one of these and stands alone: a
    # silence of at least ``lone_pause_s`` in the whole's path on each side ("Okay, okay. | Skip.").
    lone_words: frozenset[str] = tuned.PIECE_LONE_WORDS
    lone_pause_s: float = tuned.PIECE_LONE_PAUSE_S
    window_pad_s: float = tuned.PIECE_WINDOW_PAD_S
    # A stretch whose commands-alone decode (cheap: no loop) already explains its frames worse
    # than ``min_gain`` less this is not decoded with the context's search (``between_pauses``).
    bound_margin: float = tuned.PIECE_BOUND_MARGIN
    # These intents' sentences are never taken from a stretch (the recogniser gives their graph).
    whole_only: frozenset[str] = tuned.PIECE_WHOLE_ONLY


@dataclass(frozen=True)
class Span:
    start: int  # first frame
    end: int  # one past the last frame


def pauses(path: Sequence[Segment], levels_db: Sequence[float], frames_per_second: int,
           settings: Pieces) -> list[int]:
    """The middle frame of each pause between two words of ``path``, in time order: a long enough
    silence in the path, or a long enough run of quiet frames (``levels_db``, one per frame of the
    path); the ``max_pauses`` longest."""
    spoken = [n for n, s in enumerate(path) if s.word not in PAUSE_WORDS and not s.word.startswith("[")]
    if len(spoken) < 2:
        return []
    first, last = path[spoken[0]].end, path[spoken[-1]].start
    shortest = settings.min_pause_s * frames_per_second
    found = {(s.start + s.end) // 2: s.frames for s in path[spoken[0] + 1:spoken[-1]]
             if s.word in SILENCE and s.frames >= shortest}
    for start, end in quiet_runs(levels_db, settings.quiet_db, round(settings.min_quiet_s * frames_per_second)):
        middle = (start + end) // 2
        if first < middle < last and not any(abs(middle - m) < end - start for m in found):
            found[middle] = end - start
    longest = sorted(found, key=lambda m: found[m], reverse=True)[:settings.max_pauses]
    return sorted(longest)


def quiet_runs(levels_db: Sequence[float], margin_db: float, shortest: int) -> list[tuple[int, int]]:
    """(start, end) of each run of at least ``shortest`` frames within ``margin_db`` of the
    quietest tenth of the frames."""
    if not len(levels_db):
        return []
    floor = float(np.percentile(np.asarray(levels_db, dtype=np.float64), 10)) + margin_db
    runs, start = [], None
    for n, level in enumerate([*levels_db, float("inf")]):
        if level <= floor and start is None:
            start = n
        elif level > floor and start is not None:
            if n - start >= shortest:
                runs.append((start, n))
            start = None
    return runs


def spans(cuts: Sequence[int], n_frames: int, frames_per_second: int, settings: Pieces) -> list[Span]:
    """Every run of stretches between cuts but the whole, longest first (ties: the later first)."""
    bounds = [0, *cuts, n_frames]
    shortest, longest = settings.min_s * frames_per_second, settings.max_s * frames_per_second
    found = [Span(bounds[i], bounds[j]) for i in range(len(bounds)) for j in range(i + 1, len(bounds))
             if (i, j) != (0, len(bounds) - 1) and shortest <= bounds[j] - bounds[i] <= longest]
    return sorted(found, key=lambda s: (s.end - s.start, s.start), reverse=True)


def windows(path: Sequence[Segment], automaton: Automaton, skip_words: frozenset[str], n_frames: int,
            frames_per_second: int, settings: Pieces, alike: Mapping[str, Collection[str]] = EMPTY) -> list[Span]:
    """Stretches where the loop's words (a path of the loop's words only) nearly say a command:
    a run of them within ``len // 4`` word edits of one of ``automaton``'s sentences (none for
    two or three words, one for four to seven), cut at those words' edges and padded by
    ``window_pad_s``; the nearest first, then the longest, at most ``max_windows``.

    The run starts on a word that is no skip word and holds two words or more besides skip
    words; two only when they end the utterance ("Okay. Skip that."; "I can't go back in
    time" has "go back" inside it); and neither of the two words before it is a negation or
    "you" ("I can't | go back", "I want you to | take a break": ``TURNED``); nor does it end on,
    or come right before, a word that ties it to more ("I need a break | from ...": ``BOUND``).
    A loop word may count as a command word ``alike`` gives it: one it sounds like ("were" ->
    "we're": the loop holds both, and which spelling it writes says nothing), or one the loop
    often writes in its place ("what's" for "let's", ``tuned.HEARD_AS``). A word that is, or
    may count as, a skip word counts as one."""
    said = [s for s in spoken_words(path) if s.word not in PAUSE_WORDS]  # no null arcs either
    if not all(s.word.endswith(FILLER_MARK) for s in said):
        return []  # the loop's words only: a command path a check refused is not heard again
    words = [Segment(base_word(s.word.rstrip(FILLER_MARK)), s.start, s.end, s.score) for s in said]
    spelled = [w.word for w in words]
    skip = [w in skip_words or not skip_words.isdisjoint(alike.get(w, ())) for w in spelled]
    pad = round(settings.window_pad_s * frames_per_second)
    shortest, longest = settings.min_s * frames_per_second, settings.max_s * frames_per_second
    found: dict[Span, tuple[int, int]] = {}
    for i, first in enumerate(words):
        before = set(normalize(" ".join(spelled[max(0, i - 2):i])).split())
        if skip[i] or before & TURNED:
            continue
        run = words[i:i + settings.window_words]
        for k, cost in enumerate(automaton.edits(spelled[i:i + len(run)], most=len(run) // 4, alike=alike)):
            command = [n for n in range(i, i + k + 1) if not skip[n]]
            span = Span(max(0, first.start - pad), min(n_frames, run[k].end + 1 + pad))
            ends = set(spelled[i + k:i + k + 2])  # the run's last word and the next
            if cost is None or cost > (k + 1) // 4 or len(command) < 2 \
                    or (len(command) == 2 and i + k + 1 < len(words)) or ends & BOUND \
                    or not shortest <= span.end - span.start <= longest:
                continue
            if span not in found or found[span] > (cost, -k):
                found[span] = (cost, -k)
    return sorted(found, key=lambda s: found[s])[:settings.max_windows]


def stands_alone(whole: Decoded, span: Span, frames_per_second: int, settings: Pieces) -> bool:
    """Whether ``span`` is bounded on each side by the utterance's own edge or by a silence in the
    whole's path at least ``lone_pause_s`` long (a sentence's end, not a breath inside one)."""
    shortest = settings.lone_pause_s * frames_per_second
    silences = [s for s in whole.path if s.word in SILENCE and s.frames >= shortest]

    def bound(frame: int) -> bool:
        return any(s.start <= frame <= s.end + 1 for s in silences)

    return (span.start == 0 or bound(span.start)) and (span.end >= whole.n_frames or bound(span.end))


def gain(whole: Decoded, span: Span, piece: Decoded) -> float:
    """How much better, per frame, the stretch's own path explains its frames than the whole's
    path (the loop's) did over the same frames: a command the grammar forced onto a bit of talk
    (a short stretch, its own search) explains it far worse than the open loop did."""
    loop = per_frame(whole.path, whole.n_frames)[span.start:span.end]
    return (sum(s.score for s in piece.path) - float(loop.sum())) / max(span.end - span.start, 1)


def between_pauses(first: Decoded, levels_db: Sequence[float], frames_per_second: int, settings: Pieces,
                   hear: Callable[[Span], tuple[Verdict, Decoded]],
                   phones: Callable[[Span], Decoded], skip_words: frozenset[str] = frozenset(),
                   automaton: Automaton | None = None,
                   alike: Mapping[str, Collection[str]] = EMPTY,
                   commands: Callable[[Span], Decoded] | None = None,
                   whole_only: Automaton | None = None) -> Verdict | None:
    """The longest stretch between the first pass's pauses that ``hear`` finds a command outright
    (the grammar won and every check passed), that explains its frames nearly as well as the
    whole's loop did (``gain``) and whose words score near a phone loop's (``deficit``, the
    stretch decoded by ``phones``); None when none is. As for a command in talk, one word besides
    ``skip_words`` is too short to take out of talk ("the next time you do that" gave "uh next"),
    unless it is one of the check-in's steps (``lone_words``) and ``stands_alone``.
    With ``automaton`` (the context's commands), the stretches the loop's words point at
    (``windows``) are heard next, on the same terms.

    With ``commands`` (the stretch decoded with the context's commands alone, no loop: about a
    fifth of ``hear``'s cost, and in a noisy room the second look's own decode, so made once), a
    stretch is heard only if that path's ``gain`` is within ``bound_margin`` of ``min_gain``: the
    best command path the grammar has for the frames bounds the one ``hear`` would take (the two
    decodes differ by pruning and the room's running noise estimate, hence the margin). Most of
    a quarrel's stretches end here.

    A stretch heard as one of ``whole_only``'s sentences (``Pieces.whole_only``'s intents) is
    not taken: those are heard only when the utterance says nothing else."""
    fps = frames_per_second
    candidates = spans(pauses(first.path, levels_db, fps, settings), first.n_frames, fps, settings)
    between = len(candidates)
    if automaton is not None and settings.max_windows:
        candidates += [s for s in windows(first.path, automaton, skip_words, first.n_frames, fps, settings,
                                          alike) if s not in candidates]
    for n, span in enumerate(candidates):
        if commands is not None and gain(first, span, commands(span)) < settings.min_gain - settings.bound_margin:
            continue
        verdict, piece = hear(span)
        said = set(verdict.text.split()) - skip_words
        if verdict.outcome is not Outcome.COMMAND or not said \
                or (len(said) == 1 and not (said <= settings.lone_words and stands_alone(first, span, fps, settings))) \
                or (whole_only is not None and whole_only.accepts(verdict.text.split())):
            continue
        score = gain(first, span, piece)
        if score < settings.min_gain:
            continue
        below = deficit(piece.path, phones(span))
        if below > settings.max_deficit:
            continue
        where = f"{span.start / fps:.2f}-{span.end / fps:.2f} s"
        how = "between pauses" if n < between else "where the loop's words said it"
        return Verdict(Outcome.BETWEEN_PAUSES, verdict.text,
                       f"{verdict.text!r} {how} ({where}), gain {score:.1f}, deficit {below:.1f}",
                       {**verdict.details, "piece_start": span.start / fps, "piece_end": span.end / fps,
                        "piece_gain": score, "piece_deficit": below})
    return None
