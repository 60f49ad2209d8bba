"""`haven match --json`: exactly one JSON object per input, one per line."""

from __future__ import annotations

import json
import subprocess
import sys


def test_match_json_from_stdin() -> None:
    texts = ["we need a twenty minute break", "help me understand what you mean", "", "skip"]
    result = subprocess.run([sys.executable, "-m", "skill", "match", "--json"],
                            input="\n".join(texts) + "\n", capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0, result.stderr
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["text"] for r in records] == texts
    assert records[0] == {"text": texts[0], "intent": "break.start", "slots": {"minutes": 20},
                          "confidence": 1.0}
    assert records[1]["intent"] is None and records[1]["slots"] == {}
    assert records[2]["intent"] is None
    assert records[3]["intent"] == "checkin.skip"


def test_match_args_human() -> None:
    result = subprocess.run([sys.executable, "-m", "skill", "match", "start", "check", "in"],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0
    assert "checkin.start" in result.stdout
