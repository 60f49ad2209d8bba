"""Nothing leaves the device and nothing is left in HOME: ``haven run --text`` and
``haven speak`` with each voice, under strace (any AF_INET / AF_INET6 socket fails the
test) and with HOME a fresh directory (any file outside Haven's own config and state
directories fails it).

Before the fix, onnxruntime (under the piper voice) looked up a Microsoft telemetry host
(UDP :53) during ``haven run`` and wrote ``~/.cache/Microsoft/DeveloperTools/.onnxruntime``.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from room import room  # noqa: F401  (room is a fixture)

from skill.speech.factory import pyttsx3_available
from skill.speech.piper_speaker import piper_available

pytestmark = [pytest.mark.room, pytest.mark.slow]
ROOT = Path(__file__).resolve().parents[1]
HAVENS_OWN = (Path(".config/haven"), Path(".local/state/haven"))
VOICES = [
    pytest.param("auto", marks=pytest.mark.skipif(not piper_available(), reason="no piper voice")),
    pytest.param("pyttsx3", marks=pytest.mark.skipif(not pyttsx3_available(), reason="no pyttsx3")),
]


def traced(env: dict[str, str], trace: Path, args: list[str], stdin: str = "") -> None:
    result = subprocess.run(
        ["strace", "-f", "-qq", "-e", "trace=socket,connect", "-o", str(trace),
         sys.executable, "-m", "skill", *args],
        input=stdin, env=env, capture_output=True, text=True, timeout=180, check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("voice", VOICES)
def test_no_network_and_no_files_outside_havens_own(room: dict[str, str], tmp_path: Path,  # noqa: F811
                                                   voice: str) -> None:
    if shutil.which("strace") is None:
        pytest.skip("strace is not installed (bash scripts/setup --test installs it)")
    home = tmp_path / "home"
    home.mkdir()
    env = {k: v for k, v in room.items()
           if not k.startswith(("HAVEN_", "XDG_CONFIG", "XDG_STATE", "XDG_CACHE", "XDG_DATA"))}
    # libpulse (any audio program) keeps its client cookie in HOME; the room keeps it beside
    # its own socket, so what is left in HOME is what Haven and its dependencies wrote.
    env.update(HOME=str(home), PYTHONPATH=str(ROOT),
               PULSE_COOKIE=str(Path(room["XDG_RUNTIME_DIR"]) / "pulse-cookie"))
    traces = [tmp_path / f"run-{voice}.trace", tmp_path / f"speak-{voice}.trace"]
    traced(env, traces[0], ["run", "--text", "--voice", voice], stdin="we need a break\nhow long is left\n")
    traced(env, traces[1], ["speak", "--voice", voice, "Take a slow breath."])

    for trace in traces:
        text = trace.read_text()
        assert "socket(" in text  # strace saw the process (pulse's own unix sockets at least)
        inet = [line for line in text.splitlines() if re.search(r"AF_INET6?\b", line)]
        assert inet == [], f"{trace.name}: network sockets:\n" + "\n".join(inet[:10])
    left = sorted(p.relative_to(home) for p in home.rglob("*") if not p.is_dir())
    outside = [p for p in left if not any(p.is_relative_to(own) for own in HAVENS_OWN)]
    assert outside == [], f"files written under HOME outside Haven's own directories: {outside}"
    assert Path(".local/state/haven/state.json") in left  # the break was saved where it belongs
    scratch = Path(room["XDG_RUNTIME_DIR"]) / "haven"
    assert not scratch.exists() or list(scratch.iterdir()) == []  # no spoken line left behind


@pytest.mark.skipif(not piper_available(), reason="no piper voice")
def test_outside_any_login_session_nothing_is_left_in_home(tmp_path: Path) -> None:
    """No sound server and no XDG_RUNTIME_DIR (a bare container): ``haven speak --output`` and
    ``haven run --text`` with the default voice. libpulse used to leave
    ``~/.config/pulse/<machine-id>-runtime`` here (see skill.offline)."""
    if shutil.which("strace") is None:
        pytest.skip("strace is not installed (bash scripts/setup --test installs it)")
    home = tmp_path / "home"
    home.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HAVEN_", "XDG_", "PULSE_"))}
    env.update(HOME=str(home), PYTHONPATH=str(ROOT))
    traces = [tmp_path / "render.trace", tmp_path / "run.trace"]
    traced(env, traces[0], ["speak", "--output", str(tmp_path / "line.wav"), "Hello."])
    traced(env, traces[1], ["run", "--text"], stdin="we need a break\n")
    assert (tmp_path / "line.wav").stat().st_size > 1000
    for trace in traces:
        assert not re.search(r"AF_INET6?\b", trace.read_text()), trace.name
    left = sorted(p.relative_to(home) for p in home.rglob("*") if not p.is_dir())
    outside = [p for p in left if not any(p.is_relative_to(own) for own in HAVENS_OWN)]
    assert outside == [] and Path(".local/state/haven/state.json") in left
    assert not [p for p in home.rglob("*") if p.is_symlink()]
