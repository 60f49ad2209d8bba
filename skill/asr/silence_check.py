"""Was a command path's silence really silence? A check against a free phone loop.

The filler loop (``skill.asr.sphinx``) rejects most speech that is not a
command, but a sentence can still come out as a command when the command path
covers what it cannot explain with silence: "breathe some fresh air for once"
heard as "resume please", "we have to check in at the hotel by four" as "we
have to take a break please". Silence scored over speech sounds much worse
than the speech does, and a phone loop with nothing to hold it back (any phone
after any other: pocketsphinx's allphone search) shows by how much, as the best
the acoustic model can do with the same frames.

So when the grammar wins in a quiet room, the utterance is decoded again with
the phone loop, and the command is kept only if, over the frames its path
calls silence, it scores at most ``max_deficit`` per frame below the phone
loop. Measured on the generated corpus's ``tune`` slice (``scripts/make_corpus.py``):

- natural voice, clean, noisy and reverberant rooms: every right command (424)
  at most 10.5; four of the seven false accepts in the clean room 17.5 to 25;
- the robotic espeak voice, which the model fits worse everywhere: right
  commands up to 17.6, and 13 of its 21 false accepts above 17.

The threshold, 17, was set there: in the clean room, false accepts 7 -> 3 of
342 with the commands right unchanged (160 of 168); espeak 21 -> 12, commands
51 -> 50. On the untouched ``test`` slice: espeak false accepts 4 -> 0 of 148
(commands 25 of 93 before and after); the natural voice unchanged (90 of 93,
3 false accepts, all three phrasings near a command).

The check runs only where it found anything. In the noisy band it would have
rejected none of the 289 command paths it saw there, right or wrong, so it is off
there. A command path cut by the segmenter holds about 0.7 s of silence (lead-in
and trailing silence), and every path the check rejected held more than 1.0 s,
so a path with at most ``checked_silence_s`` (0.9 s) is not checked: the phone
loop costs about 0.015 of real time, and checking every command heard took the
dev corpus's whole-process real-time factor from 0.043 to 0.051 (0.045 with
both limits).
"""

from __future__ import annotations

from collections.abc import Sequence

from skill.asr.decoder import Decoded
from skill.asr.second_look import SILENCE, Segment, per_frame

PAUSE_WORDS = frozenset(SILENCE | {"(NULL)"})


def silent_frames(path: Sequence[Segment]) -> int:
    """How many frames the path calls silence."""
    return sum(s.frames for s in path if s.word in SILENCE)


def silence_deficit(command: Sequence[Segment], phones: Sequence[Segment], n_frames: int) -> float:
    """How much worse, per frame, the command path's silences score than the phone loop there.

    0.0 when the command path has no silence in it.
    """
    return _below(phones, n_frames, [s for s in command if s.word in SILENCE])


def deficit(command: Sequence[Segment], phones: Decoded) -> float:
    """How much worse, per frame, the command path's words score than a free phone loop
    (``phones``, pocketsphinx's allphone search) over the same frames: a command forced onto
    talk needs other sounds than were said, and scores far below what the model can do."""
    words = [s for s in command if s.word not in PAUSE_WORDS and not s.word.startswith("[")]
    return _below(phones.path, phones.n_frames, words)


def _below(phones: Sequence[Segment], n_frames: int, segments: Sequence[Segment]) -> float:
    """How much worse, per frame, ``segments`` score than the phone loop over their frames
    (0.0 for none)."""
    frames = sum(s.frames for s in segments)
    if not frames:
        return 0.0
    reference = per_frame(phones, n_frames)
    return sum(float(reference[s.start:s.end + 1].sum()) - s.score for s in segments) / frames
