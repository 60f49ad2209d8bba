"""`haven decks check` / `haven decks list`: a couple's own decks, errors at their line, fresh counts."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from engine_kit import Timeline

from skill.cli import main
from skill.engine.persist import engine_to_dict
from skill.store import FileStateStore

BROKEN = """\
title: our own questions
sections:
  - id: evening
    title: the evening
    ask: 1
    questions:
      - What was the best part of your day?
      - What do you love about me?
"""


def user_decks() -> Path:
    path = Path(os.environ["HAVEN_CONFIG_DIR"]) / "decks"
    path.mkdir(parents=True, exist_ok=True)
    return path


def test_the_shipped_decks_check_clean(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["decks", "check"]) == 0
    assert capsys.readouterr().out.startswith("ok: 4 files, 4 decks")


def test_a_broken_user_deck_is_reported_at_its_line(capsys: pytest.CaptureFixture[str]) -> None:
    path = user_decks() / "ours.yaml"
    path.write_text(BROKEN)
    assert main(["decks", "check"]) == 1
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 1 and out[0].startswith(f"{path}:8: the device reads this aloud, so 'me'")
    assert main(["decks", "check", str(path)]) == 1
    assert main(["decks", "list"]) == 1  # said in one sentence, not a traceback
    assert "haven decks check" in capsys.readouterr().err


def test_list_shows_user_decks_and_fresh_questions(capsys: pytest.CaptureFixture[str]) -> None:
    (user_decks() / "ours.yaml").write_text(BROKEN.replace("What do you love about me?", "What made you laugh?"))
    run = Timeline()
    run.hear(0, "checkin.start")
    run.hear(10, "checkin.next")  # two of the daily questions read
    FileStateStore().save(json.loads(json.dumps(engine_to_dict(run.engine))))
    assert main(["decks", "list"]) == 0
    rows = {line.split()[0].lstrip("*"): line for line in capsys.readouterr().out.splitlines()[1:-1]}
    assert rows["daily"].split()[1:3] == ["88/90", "29"]
    assert rows["ours"].split()[1:3] == ["2/2", "2"] and rows["ours"].endswith("(yours)")
    assert rows["weekly"].split()[1] == "28/28"
