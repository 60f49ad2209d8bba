"""``haven simulate`` end to end: the real CLI, matcher and engine on a simulated clock."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest

from skill.cli import main

HOUR = 3600


def simulate(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], script: str, *extra: str
) -> list[dict[str, Any]]:
    path = tmp_path / "script.txt"
    path.write_text(script)
    assert main(["simulate", "--json", *extra, str(path)]) == 0
    return [json.loads(line) for line in capsys.readouterr().out.splitlines()]


def said(events: list[dict[str, Any]], start: float = 0, end: float = float("inf")) -> list[dict[str, Any]]:
    return [e for e in events if e["event"] == "said" and start <= e["t"] <= end]


def test_a_default_break_from_start_to_return(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    events = simulate(
        tmp_path, capsys, "00:00 we need a break\n05:00 how much time is left\n21:00 we're back\n"
    )
    assert events[0] == {
        "t": 0,
        "event": "heard",
        "text": "we need a break",
        "intent": "break.start",
        "slots": {},
    }
    assert said(events, 0, 5), "a reply within 5 seconds"
    assert "8:20" in said(events, 0, 5)[0]["text"]
    status = said(events, 300, 305)
    assert status and "15 minutes" in status[0]["text"]
    assert [e["line"] for e in said(events, 301, 1199)] == ["break.nudge", "break.heads_up"]
    assert [e["line"] for e in said(events, 1200, 1200)] == ["break.return"]
    resume = said(events, 1260, 1265)
    assert resume and resume[0]["intent"] == "break.resume"
    assert events[-1]["t"] == 1260, "quiet after the resume guide"


def test_an_extended_thirty_minute_break_returns_at_forty(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    events = simulate(tmp_path, capsys, "00:00 thirty minute break\n26:00 we need more time\n")
    assert events[0]["slots"] == {"minutes": 30}
    assert said(events, 1800, 1800) == []
    assert [e["line"] for e in said(events, 2400, 2400)] == ["break.return"]


def test_nobody_returning_gets_a_second_prompt_then_silence(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    events = simulate(tmp_path, capsys, "00:00 we need a break\n")
    lines = [e["line"] for e in said(events, 1200)]
    assert lines[:2] == ["break.return", "break.reprompt"]
    assert lines[-1] == "break.last_call"
    assert events[-1]["t"] < 2 * HOUR


def test_check_in_next_repeat_skip_stop(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    script = "00:00 let's check in\n01:00 next question\n01:30 repeat that\n02:00 skip\n02:30 stop\n"
    events = simulate(tmp_path, capsys, script)
    questions = {e["t"]: e["text"] for e in said(events) if e["line"] == "checkin.question"}
    assert questions[60] != questions[0]
    assert questions[90] == questions[60]
    assert questions[120] not in (questions[0], questions[60])
    assert [e["line"] for e in said(events, 150)] == ["checkin.stopped"]
    assert events[-1]["t"] == 150


def test_unmatched_speech_is_heard_with_a_null_intent_and_no_reply(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    events = simulate(tmp_path, capsys, "00:00 what a lovely evening\n")
    assert events == [
        {"t": 0, "event": "heard", "text": "what a lovely evening", "intent": None, "slots": {}}
    ]


def test_times_with_hours_and_comments(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    events = simulate(tmp_path, capsys, "# a comment\n\n1:00:00 safety\n")
    assert events[0]["t"] == HOUR and said(events)[0]["line"] == "safety.info_text"
    assert said(events)[0]["text"].count("one. eight, zero, zero. seven, nine, nine") == 2


def test_the_same_script_gives_the_same_output(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    script = "00:00 we need a break\n21:00 we're back\n"
    assert simulate(tmp_path, capsys, script) == simulate(tmp_path, capsys, script)


def test_start_time_moves_the_clock(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    events = simulate(tmp_path, capsys, "00:00 we need a break\n", "--start", "07:30")
    assert "7:50" in said(events, 0, 0)[0]["text"]


def test_plain_output_reads_from_stdin(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    script = "00:00 we need a break\n00:30 end the break\n00:40 yes, we're both ready\n"
    monkeypatch.setattr("sys.stdin", io.StringIO(script))
    assert main(["simulate"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "00:00  heard  'we need a break'  ->  break.start"
    assert out[1].startswith("00:00  said   ")
    assert out[-1].startswith("00:40  said   ")


def test_script_mistakes_name_their_lines(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "bad.txt"
    path.write_text("00:00 we need a break\nsoon we're back\n00:75 help\n9000:00:00 stop\n")
    assert main(["simulate", str(path)]) == 1
    err = capsys.readouterr().err
    assert f"{path}:2: expected 'MM:SS text'" in err
    assert f"{path}:3: 00:75 is not a valid time" in err
    assert f"{path}:4:" in err and "one-year limit" in err
    assert "Traceback" not in err


def test_a_missing_script_is_one_clear_sentence(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["simulate", str(tmp_path / "nope.txt")]) == 1
    assert "cannot read the script" in capsys.readouterr().err


def test_a_bad_start_time_is_one_clear_sentence(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "s.txt"
    path.write_text("00:00 help\n")
    assert main(["simulate", "--start", "eight", str(path)]) == 1
    assert "HH:MM" in capsys.readouterr().err


def test_simulate_never_touches_the_saved_state(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    state = tmp_path / "state"
    monkeypatch.setenv("HAVEN_STATE_DIR", str(state))
    simulate(tmp_path, capsys, "00:00 let's check in\n")
    assert not state.exists()
