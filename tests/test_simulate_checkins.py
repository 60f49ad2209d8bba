"""``haven simulate`` over weeks: a month of check-ins previews in seconds, rotation carried across."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from skill.cli import main


def run_script(tmp_path: Path, capsys: pytest.CaptureFixture[str], script: str) -> list[dict[str, Any]]:
    path = tmp_path / "script.txt"
    path.write_text(script)
    assert main(["simulate", "--json", str(path)]) == 0
    return [json.loads(line) for line in capsys.readouterr().out.splitlines()]


def stamp(seconds: int) -> str:
    return f"{seconds // 3600}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"


def test_a_month_of_daily_check_ins_without_a_repeat(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    lines = []
    for day in range(28):
        t = day * 24 * 3600
        lines += [f"{stamp(t)} start check in", f"{stamp(t + 120)} next", f"{stamp(t + 240)} next",
                  f"{stamp(t + 360)} next"]
    events = run_script(tmp_path, capsys, "\n".join(lines) + "\n")
    questions = [e["text"] for e in events if e["event"] == "said" and e["line"] == "checkin.question"]
    assert len(questions) == 28 * 3 and len(set(questions)) == 28 * 3
    closings = [e["t"] for e in events if e["event"] == "said" and e["line"] == "checkin.closing"]
    assert closings == [day * 24 * 3600 + 360 for day in range(28)]
    firsts = [e["line"] for e in events if e["event"] == "said" and e["line"].startswith("checkin.turns_")]
    assert firsts == ["checkin.turns_earlier", "checkin.turns_later"] * 14  # who starts alternates


def test_a_weekly_session_a_week_later(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    events = run_script(
        tmp_path, capsys,
        "00:00 state of the union\n00:05 yes\n168:00:00 let's do the state of the union\n168:00:05 yes\n",
    )
    intros = [e["t"] for e in events if e["event"] == "said" and e["line"] == "checkin.intro"]
    assert intros == [5, 168 * 3600 + 5]


def said_lines(events: list[dict[str, Any]]) -> list[tuple[int, str]]:
    return [(e["t"], e["line"]) for e in events if e["event"] == "said"]


RITUALS = {
    # ritual: (script, the section titles in order, the lines that end it)
    "weekly": (
        "00:00 let's do the state of the union\n00:10 yes\n05:00 next\n10:00 next\n"
        "13:00 i'm done\n14:00 your turn\n17:00 i'm done\n18:00 i'm done\n19:00 next\n24:00 next\n30:00 next\n",
        ["appreciations", "what went well", "one issue, with turns", "the week ahead", "plans"],
    ),
    "temperature": (
        "00:00 start the temperature reading\n00:05 yes\n03:00 next\n06:00 next\n09:00 next\n"
        "12:00 next\n20:00 next\n",
        ["appreciations", "new information", "worries and puzzles", "a complaint with a request",
         "wishes, hopes and dreams"],
    ),
    "stress": ("00:00 let's do the stress talk\n02:00 i'm done\n03:00 your turn\n06:00 next\n", []),
    "daily": ("00:00 start check in\n02:00 next\n04:00 next\n06:00 next\n",
              ["one appreciation each", "one stress", "one small request"]),
}


@pytest.mark.parametrize("ritual", sorted(RITUALS))
def test_each_ritual_from_its_start_phrase_to_its_close(
    ritual: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    script, sections = RITUALS[ritual]
    events = run_script(tmp_path, capsys, script)
    heard = [e for e in events if e["event"] == "heard"]
    assert all(e["intent"] is not None for e in heard), heard
    assert heard[0]["slots"] == ({} if ritual == "daily" else {"deck": ritual})
    lines = said_lines(events)
    titles = [e["text"] for e in events if e["event"] == "said" and e["line"] == "checkin.section"]
    assert len(titles) == len(sections)
    assert all(title in text for title, text in zip(sections, titles)), titles
    assert lines[-1][1] == "checkin.closing"
    last = max(e["t"] for e in heard)
    assert lines[-1][0] == last, "closes on the last next, then quiet"


def test_turns_by_voice_with_an_early_im_done(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    events = run_script(tmp_path, capsys, RITUALS["stress"][0])
    turns = [(t, line) for t, line in said_lines(events) if line.startswith("turn.")]
    # The first speaker is done after two minutes, the listener sums up for one, then they swap;
    # "next" before the second turn is over closes the session (one question) with no cue after.
    assert turns == [(0, "turn.first_earlier"), (120, "turn.sum_up"), (180, "turn.swap")]
    assert said_lines(events)[-1] == (360, "checkin.closing")
