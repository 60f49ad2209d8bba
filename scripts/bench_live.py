#!/usr/bin/env python3
"""``haven run`` in the virtual room: reply latency, idle CPU and peak memory.

    python scripts/bench_live.py                 # 20 utterances, 10 s of idle
    python scripts/bench_live.py --utterances 40 --idle-seconds 30 --json

A PulseAudio null sink is the room (its own server, in a temporary runtime
directory). Haven runs on its default devices; requests rendered with the
piper voice are played into the room one at a time, each once Haven has
finished its previous reply, and the whole session is recorded. Latency is
measured on the recording itself: from the end of the request's speech (its
onset in the room plus its known length) to the first sound of the reply.
Idle CPU is Haven's user+system time over ``--idle-seconds`` of silence, as a
share of one core; peak RSS is the kernel's high-water mark (VmHWM).
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from room import HavenRun, Recorder, kill_pulseaudio, room_env, speech_span, start_pulseaudio  # noqa: E402

REQUESTS = ["start check in", "repeat that", "next", "how much time is left"]
TARGETS = {"p95_s": 1.0, "idle_cpu_pct": 5.0, "peak_rss_mb": 200.0}


def render_requests(folder: Path) -> dict[str, tuple[Path, float]]:
    """Each request as a 16 kHz WAV, with its speech length (s) measured the same way as in the room."""
    from skill.audio.convert import convert_samples
    from skill.speech.audio import chunk_from_int16, int16_from_chunk, write_wav
    from skill.speech.piper_speaker import PiperSpeaker

    voice = PiperSpeaker.load()
    made = {}
    for text in REQUESTS:
        chunk = voice.render(text)
        samples = convert_samples(int16_from_chunk(chunk), chunk.rate, 16000)[:, 0]
        padded = np.concatenate([np.zeros(1600, np.int16), samples, np.zeros(1600, np.int16)])
        path = folder / (text.replace(" ", "-") + ".wav")
        write_wav(path, chunk_from_int16(padded, 16000))
        span = speech_span(padded)
        assert span is not None
        made[text] = (path, span[1] - span[0])
    return made


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def peak_rss_by_process(pid: int) -> dict[str, float]:
    """VmHWM (MB) of the process and of each of its children (the pyttsx3 voice renders in a worker)."""
    hwm = next(int(line.split()[1]) / 1024 for line in Path(f"/proc/{pid}/status").read_text().splitlines()
               if line.startswith("VmHWM:"))
    words = Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace").split("\0")
    named = {f"{pid} {' '.join(w for w in words[1:4] if len(w) < 40)}": hwm}
    for task in Path(f"/proc/{pid}/task").iterdir():
        for child in (task / "children").read_text().split():
            named.update(peak_rss_by_process(int(child)))
    return named


def one_request(env: dict[str, str], haven: HavenRun, recorder: Recorder,
                wav: Path, speech_s: float) -> float | None:
    """Play one request; return end-of-speech -> first reply audio (s), or None if not recognised."""
    played = time.monotonic()
    subprocess.run(["paplay", "--device=room", str(wav)], env=env, check=True, timeout=30)
    try:
        haven.wait_for("heard intent", after=played, timeout=5)
    except AssertionError:
        return None  # the recogniser rejected it (or heard no command)
    try:
        said = haven.wait_for("haven: ", after=played, stream="out", timeout=10)
        haven.wait_for("status: listening", after=said, timeout=60)
    except AssertionError:
        return None
    time.sleep(0.3)
    heard = recorder.samples()
    user = speech_span(heard, start_s=max(0.0, played - recorder.started_at - 0.05))
    if user is None:
        return None
    user_end = user[0] + speech_s
    reply = speech_span(heard, start_s=user_end + 0.05)
    return None if reply is None else reply[0] - user_end


def bench(utterances: int, idle_s: float, voice: str, config: str = "") -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        requests = render_requests(folder)
        (folder / "pulse").mkdir()
        env = room_env(folder / "pulse")
        problem = start_pulseaudio(env)
        if problem:
            raise SystemExit(f"bench_live: {problem}")
        (folder / "state" / "config").mkdir(parents=True)
        (folder / "state" / "config" / "config.toml").write_text(config)
        haven = HavenRun(env, folder / "state", "--voice", voice)
        try:
            haven.wait_for("status: listening", timeout=120)
            time.sleep(1.0)
            pid = haven.proc.pid
            before = cpu_seconds(pid)
            time.sleep(idle_s)
            idle_pct = 100 * (cpu_seconds(pid) - before) / idle_s
            recorder = Recorder(env).start()
            latencies, missed = [], 0
            by_request: dict[str, list[float | None]] = {}
            for i in range(utterances):
                wav, speech_s = requests[REQUESTS[i % len(REQUESTS)]]
                took = one_request(env, haven, recorder, wav, speech_s)
                if took is None:
                    missed += 1
                else:
                    latencies.append(took)
                by_request.setdefault(REQUESTS[i % len(REQUESTS)], []).append(
                    None if took is None else round(took, 3))
            recorder.stop()
            by_process = peak_rss_by_process(pid)
        finally:
            haven.interrupt(signal.SIGINT)
            kill_pulseaudio(env)
    if not latencies:
        raise SystemExit("bench_live: Haven answered none of the requests:\n" + haven.stderr())
    cuts = statistics.quantiles(latencies, n=20, method="inclusive") if len(latencies) > 1 else latencies * 19
    return {"utterances": utterances, "answered": len(latencies), "missed": missed,
            "p50_s": statistics.median(latencies), "p95_s": cuts[18], "max_s": max(latencies),
            "idle_cpu_pct": idle_pct, "peak_rss_mb": sum(by_process.values()),
            "peak_rss_by_process_mb": by_process, "by_request": by_request}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--utterances", type=int, default=20)
    parser.add_argument("--idle-seconds", type=float, default=10.0)
    parser.add_argument("--voice", default="auto", choices=("auto", "piper", "pyttsx3"))
    parser.add_argument("--trailing-silence", type=float, metavar="S",
                        help="listen.trailing_silence_seconds for this run (default: the default)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    config = "" if args.trailing_silence is None else (
        f"[listen]\ntrailing_silence_seconds = {args.trailing_silence}\n")
    figures = bench(args.utterances, args.idle_seconds, args.voice, config)
    if args.json:
        print(json.dumps(figures, indent=1))
        return 0
    print(f"voice {args.voice}: {figures['answered']} of {figures['utterances']} requests recognised and answered "
          f"({', '.join(REQUESTS)}, in turn)\n")
    print("| measure | value | target |\n| --- | --- | --- |")
    print(f"| end of speech -> first reply audio, p50 | {figures['p50_s']:.2f} s | |")
    print(f"| end of speech -> first reply audio, p95 | {figures['p95_s']:.2f} s | <= 1.0 s |")
    print(f"| end of speech -> first reply audio, max | {figures['max_s']:.2f} s | |")
    print(f"| CPU while listening to silence | {figures['idle_cpu_pct']:.1f} % of one core | <= 5 % |")
    print(f"| peak RSS | {figures['peak_rss_mb']:.0f} MB | <= 200 MB |")
    for process, mb in figures["peak_rss_by_process_mb"].items():
        print(f"| - of which pid {process} | {mb:.0f} MB | |")
    ok = all(figures[k] <= v for k, v in TARGETS.items())
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
