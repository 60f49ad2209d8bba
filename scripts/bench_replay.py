"""How fast ``haven simulate --audio`` replays a recording, and where the time goes.

    python scripts/bench_replay.py [RECORDING] [--seconds S] [--no-recognizer]

Replays RECORDING (default: ../shared/corpus/argument-dev/talk.flac; only its
first S seconds with --seconds) through the same composition as the CLI, and
prints the real-time factor in wall time and in CPU time (CPU time is what to
compare on a shared machine), the share spent inside the recogniser, the
utterances decoded, the intents heard and the peak memory. --no-recognizer swaps the recogniser
for one that hears nothing, to measure the rest of the path alone.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from skill.app.compose import make_hearing, simulation  # noqa: E402
from skill.app.parts import load_parts  # noqa: E402
from skill.app.simulate import SimEvent  # noqa: E402
from skill.asr.hearing import Hearing  # noqa: E402
from skill.audio.wav import AudioFile  # noqa: E402
from skill.messages import AudioChunk, Transcript  # noqa: E402

TALK = ROOT.parent / "shared" / "corpus" / "argument-dev" / "talk.flac"


class Timed:
    """The recogniser, with the CPU time spent in it counted."""

    name = "timed"

    def __init__(self, recognizer: object | None) -> None:
        self.recognizer = recognizer
        self.cpu_s = 0.0
        self.calls = 0

    def recognize(self, utterance: AudioChunk) -> Transcript | None:
        self.calls += 1
        if self.recognizer is None:
            return None
        started = time.process_time()
        try:
            return self.recognizer.recognize(utterance)  # type: ignore[attr-defined, no-any-return]
        finally:
            self.cpu_s += time.process_time() - started


def cut(path: Path, seconds: float) -> Path:
    import numpy as np
    import soundfile

    with AudioFile(path) as audio:
        rate = audio.rate
    data, rate = soundfile.read(str(path), frames=int(seconds * rate), dtype="int16")
    out = Path(tempfile.mkdtemp()) / "slice.wav"
    soundfile.write(str(out), np.asarray(data), rate, subtype="PCM_16")
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("recording", nargs="?", type=Path, default=TALK)
    parser.add_argument("--seconds", type=float, help="replay only this much of the start")
    parser.add_argument("--no-recognizer", action="store_true")
    args = parser.parse_args()
    path = cut(args.recording, args.seconds) if args.seconds else args.recording
    with AudioFile(path) as audio:
        duration = audio.duration_s
    parts = load_parts()
    built = make_hearing(parts.settings)
    timed = Timed(None if args.no_recognizer else built.recognizer)  # type: ignore[attr-defined]
    hearing = Hearing(built.segmenter, timed)  # type: ignore[attr-defined]  # the composition's own segmenter
    rows: list[SimEvent] = []
    load = os.getloadavg()[0]
    wall, cpu = time.perf_counter(), time.process_time()
    simulation(parts, [], datetime(2025, 1, 6, 20, tzinfo=timezone.utc), rows.append, audio=path,
               hearing=hearing)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    heard = [r for r in rows if r.event == "heard"]
    print(f"{args.recording.name}: {duration:.0f} s of audio, {timed.calls} utterances decoded, "
          f"{len(heard)} transcripts, {sum(1 for r in heard if r.intent)} intents acted on")
    print(f"  RTF {wall / duration:.3f} wall ({wall:.1f} s, load average {load:.1f} on "
          f"{os.cpu_count()} cores), {cpu / duration:.3f} CPU ({cpu:.1f} s)")
    print(f"  in the recogniser: {timed.cpu_s:.1f} s CPU ({timed.cpu_s / max(cpu, 1e-9):.0%}); "
          f"the rest of the path: RTF {(cpu - timed.cpu_s) / duration:.4f} CPU")
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux
    print(f"  peak RSS {peak_mb:.0f} MB (target: 200 MB, whatever the recording's length)")
    for row in heard:
        if row.intent:
            print(f"  {row.t:7.1f} s  heard {row.text!r} -> {row.intent}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
