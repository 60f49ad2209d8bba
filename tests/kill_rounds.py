"""kill -9 rounds against ``haven run --text`` with the piper voice: is every announced break saved?

Each round starts ``haven run --text --voice piper`` (the real ``skill.cli.main``),
says "we need a break", waits for the acknowledgement to be printed, waits a
random moment (the voice is speaking it then), and kills the process with
SIGKILL. Then ``haven run`` starts again on the same state directory and must
announce the break it finds (``break.continues``); a round where it does not is
a lost break.

A fresh interpreter per round costs about 2.5 s before the acknowledgement
(imports, intent expansion, loading the voice), so rounds are forked from a
server that did that work once: each round is a child process running
``skill.cli.main`` from the top, with its own stdin, stdout and state
directory; the voice it loads comes from the server's cache
(``piper_speaker._load_voice``). ``--fresh`` runs separate interpreters instead.
Rounds run four at a time (each in its own state directory): most of a round
is waiting for the moment to kill.

    python tests/kill_rounds.py --rounds 100 --seed 1 --work DIR   # prints a JSON summary
"""

from __future__ import annotations

import argparse
import json
import os
import random
import select
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ACK_TIMEOUT_S = 30.0


def warm_up() -> None:
    """Everything a round would load anyway, loaded once before forking (no threads yet)."""
    import skill.cli
    import skill.cli.run  # noqa: F401
    from skill.app.parts import load_matcher, load_parts
    from skill.speech.piper_speaker import PiperSpeaker

    skill.cli.build_parser()
    load_matcher()
    load_parts()
    PiperSpeaker.load()
    assert threading.active_count() == 1, "a thread before fork would be lost in the child"


def fork_haven(args: list[str], stdin: int, stdout: int, stderr: int, state: Path) -> int:
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid:
        return pid
    code = 99
    try:
        os.dup2(stdin, 0)
        os.dup2(stdout, 1)
        os.dup2(stderr, 2)
        os.environ["HAVEN_STATE_DIR"] = str(state)
        from skill.cli import main

        code = main(args)
    finally:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        finally:
            os._exit(code)


def spawn_haven(args: list[str], stdin: int, stdout: int, stderr: int, state: Path) -> int:
    env = {**os.environ, "HAVEN_STATE_DIR": str(state), "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-m", "skill", *args], stdin=stdin, stdout=stdout,
                            stderr=stderr, env=env)
    return proc.pid


def read_until(fd: int, marker: bytes, timeout: float) -> bytes:
    got = b""
    deadline = time.monotonic() + timeout
    while marker not in got:
        left = deadline - time.monotonic()
        if left <= 0 or not select.select([fd], [], [], left)[0]:
            raise TimeoutError(f"no {marker!r} within {timeout} s: {got[-300:]!r}")
        chunk = os.read(fd, 4096)
        if not chunk:
            raise EOFError(f"haven ended before {marker!r}: {got[-300:]!r}")
        got += chunk
    return got


def batch(launch: object, states: list[Path], delays: list[float]) -> list[dict[str, object]]:
    """Rounds side by side: start each, say the command, kill each its delay after its ack."""
    running = []
    for state in states:
        state.mkdir(parents=True)
        in_r, in_w = os.pipe()
        out_r, out_w = os.pipe()
        with open(state.parent / f"{state.name}.err", "wb") as err:
            pid = launch(["run", "--text", "--voice", "piper"], in_r, out_w, err.fileno(), state)  # type: ignore[operator]
        os.close(in_r)
        os.close(out_w)
        os.write(in_w, b"we need a break\n")
        running.append((pid, in_w, out_r))
    acks: list[float | None] = []
    for pid, _in_w, out_r in running:
        try:
            read_until(out_r, b"haven: ", ACK_TIMEOUT_S)
            acks.append(time.monotonic())
        except (TimeoutError, EOFError):
            acks.append(None)
    rows: list[dict[str, object]] = []
    order = sorted(range(len(running)), key=lambda i: (acks[i] or 0.0) + delays[i])
    alive: dict[int, bool] = {}
    for i in order:
        pid, in_w, out_r = running[i]
        time.sleep(max(0.0, (acks[i] or time.monotonic()) + delays[i] - time.monotonic()))
        alive[i] = _alive(pid)
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        os.close(in_w)
        os.close(out_r)
    for i, state in enumerate(states):
        if acks[i] is None:
            rows.append({"acked": False})
        else:
            rows.append({"acked": True, "killed_alive": alive[i], "delay": round(delays[i], 3),
                         **restart(launch, state)})
    return rows


def restart(launch: object, state: Path) -> dict[str, object]:
    """``haven run`` again, with no input: what does it say it found?"""
    out_r, out_w = os.pipe()
    with open(os.devnull, "rb") as nothing:
        pid = launch(["--log-level", "info", "run", "--text", "--voice", "none"],  # type: ignore[operator]
                     nothing.fileno(), out_w, out_w, state)
    os.close(out_w)
    chunks = []
    while True:
        chunk = os.read(out_r, 65536)
        if not chunk:
            break
        chunks.append(chunk)
    os.close(out_r)
    os.waitpid(pid, 0)
    text = b"".join(chunks).decode("utf-8", "replace")
    return {"restored": "saying line break.continues" in text}


def _alive(pid: int) -> bool:
    done, _status = os.waitpid(pid, os.WNOHANG)
    return done == 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=100)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--max-delay", type=float, default=1.5, help="seconds after the acknowledgement")
    parser.add_argument("--work", type=Path, required=True, help="a fresh directory for the state dirs")
    parser.add_argument("--fresh", action="store_true", help="a new interpreter per round (slow)")
    parser.add_argument("--side-by-side", type=int, default=4, help="rounds running at once")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    if not args.fresh:
        warm_up()
    launch = spawn_haven if args.fresh else fork_haven
    started = time.monotonic()
    rows: list[dict[str, object]] = []
    while len(rows) < args.rounds:
        ids = range(len(rows), min(args.rounds, len(rows) + args.side_by_side))
        rows += batch(launch, [args.work / f"round-{i:03d}" for i in ids],
                      [rng.uniform(0, args.max_delay) for _ in ids])
    summary = {
        "rounds": len(rows),
        "acked": sum(1 for r in rows if r["acked"]),
        "killed_while_running": sum(1 for r in rows if r.get("killed_alive")),
        "restored": sum(1 for r in rows if r.get("restored")),
        "lost": [i for i, r in enumerate(rows) if r["acked"] and not r.get("restored")],
        "seconds": round(time.monotonic() - started, 1),
    }
    print(json.dumps(summary))
    return 0 if summary["acked"] == summary["restored"] == len(rows) else 1


if __name__ == "__main__":
    sys.exit(main())
