"""haven recognize opens no internet socket and leaves nothing in HOME; --json output shape."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DEV = ROOT.parent / "shared" / "corpus" / "dev"
pytestmark = pytest.mark.skipif(not DEV.exists(), reason=f"the dev corpus is not at {DEV}")

NO_SOCKETS = '''
import socket, sys
def _hook(event, args):
    if event == "socket.__new__" and args[1] in (socket.AF_INET, socket.AF_INET6):
        raise RuntimeError("network socket opened")
sys.addaudithook(_hook)
'''


def test_recognize_json_no_socket_nothing_in_home(tmp_path: Path) -> None:
    home, site = tmp_path / "home", tmp_path / "site"
    home.mkdir()
    site.mkdir()
    (site / "sitecustomize.py").write_text(NO_SOCKETS)
    env = dict(os.environ, HOME=str(home), PYTHONPATH=f"{site}{os.pathsep}{ROOT}",
               XDG_CONFIG_HOME=str(home / ".config"), XDG_STATE_HOME=str(home / ".local/state"))
    files = [str(DEV / "000-piper-clean.wav"), str(tmp_path / "missing.wav"),
             str(DEV / "023-piper-clean.wav")]
    done = subprocess.run([sys.executable, "-m", "skill", "recognize", "--json", *files],
                          env=env, capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert "network socket" not in done.stderr
    assert done.returncode == 1  # the missing file, reported at the end
    assert "missing.wav" in done.stderr and "Traceback" not in done.stderr
    rows = [json.loads(line) for line in done.stdout.splitlines()]
    assert [r["file"] for r in rows] == [files[0], files[2]]
    assert set(rows[0]) == {"file", "text", "intent", "slots", "confidence", "start_s"}
    assert rows[0]["intent"] == "break.start"
    assert list(home.iterdir()) == []


def test_audit_hook_does_catch_a_socket(tmp_path: Path) -> None:
    (tmp_path / "sitecustomize.py").write_text(NO_SOCKETS)
    code = "import socket; socket.socket(socket.AF_INET, socket.SOCK_STREAM)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env=dict(os.environ, PYTHONPATH=str(tmp_path)), timeout=30)
    assert done.returncode != 0 and "network socket opened" in done.stderr
