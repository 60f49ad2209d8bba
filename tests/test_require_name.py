"""``listen.require_name`` for typed and scripted text: ``haven simulate``, ``haven match`` and
``haven run --text`` act only on "Haven, <command>", as the recognisers do."""

from __future__ import annotations

import io
import json
import os
from pathlib import Path
from typing import Any

import pytest

from skill.app.compose import live_session
from skill.app.parts import NamedMatcher, load_matcher, load_parts, typed_name
from skill.app.status import StatusLine
from skill.cli import main
from skill.config import ListenSettings


def _config(text: str) -> None:
    directory = Path(os.environ["HAVEN_CONFIG_DIR"])
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "config.toml").write_text(text)


def _simulate(tmp_path: Path, capsys: pytest.CaptureFixture[str], script: str) -> list[dict[str, Any]]:
    path = tmp_path / "script.txt"
    path.write_text(script)
    assert main(["simulate", "--json", str(path)]) == 0
    return [json.loads(line) for line in capsys.readouterr().out.splitlines()]


def _heard(events: list[dict[str, Any]]) -> list[tuple[str, str | None]]:
    return [(e["text"], e["intent"]) for e in events if e["event"] == "heard"]


def test_simulate_acts_only_on_commands_after_the_name(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _config("[listen]\nrequire_name = true\n")
    events = _simulate(tmp_path, capsys, "00:00 we need a break\n00:10 Haven, we need a break\n")
    assert _heard(events) == [("we need a break", None), ("Haven, we need a break", "break.start")]
    assert [e for e in events if e["event"] == "said"][0]["t"] == 10


def test_simulate_with_another_name_any_case_and_no_comma(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _config('[listen]\nrequire_name = true\nname = "Juniper Tree"\n')
    events = _simulate(tmp_path, capsys,
                       "00:00 Haven, we need a break\n00:05 juniper tree\n"
                       "00:10 JUNIPER TREE we need a break\n")
    assert _heard(events) == [("Haven, we need a break", None), ("juniper tree", None),
                              ("JUNIPER TREE we need a break", "break.start")]


def test_simulate_without_require_name_needs_no_name(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _config('[listen]\nrequire_name = false\n')
    events = _simulate(tmp_path, capsys, "00:00 we need a break\n")
    assert _heard(events) == [("we need a break", "break.start")]


def test_match_needs_the_name(capsys: pytest.CaptureFixture[str]) -> None:
    _config("[listen]\nrequire_name = true\n")
    assert main(["match", "--json", "we need a break"]) == 0
    assert json.loads(capsys.readouterr().out)["intent"] is None
    assert main(["match", "--json", "haven, we need a break"]) == 0
    assert json.loads(capsys.readouterr().out)["intent"] == "break.start"


def test_run_text_needs_the_name() -> None:
    _config("[listen]\nrequire_name = true\n")
    parts = load_parts()
    session, _ = live_session(parts, None, StatusLine(io.StringIO(), live=False))
    assert session.loop.matcher.match("we need a break") is None
    found = session.loop.matcher.match("Haven, we need a break")
    assert found is not None and found.intent == "break.start"


def test_asking_for_help_needs_no_name_as_in_the_recogniser() -> None:
    matcher = load_matcher(typed_name(ListenSettings(require_name=True)))
    for text in ("I don't feel safe", "Haven, I don't feel safe"):
        found = matcher.match(text)
        assert found is not None and found.intent == "safety", text
    call = matcher.match("call the police")
    assert call is not None and call.intent == "safety.call"
    assert matcher.match("we need a break") is None
    assert matcher.match("I don't feel safe", frozenset({"unmute"})) is None  # context still holds


def test_the_name_must_be_a_whole_word_at_the_start() -> None:
    matcher = NamedMatcher(load_matcher(), "Haven")
    assert matcher.match("Havens we need a break") is None
    assert matcher.match("we need a break Haven") is None
    assert matcher.match("Haven") is None
    assert matcher.match("Haven,") is None
    assert typed_name(ListenSettings()) == ""


def test_one_name_rule_for_text_and_recognisers() -> None:
    from skill.nlu.name import Name

    name = Name("Juniper Tree")
    assert name.after("juniper tree we need a break").strip() == "we need a break"  # as recognised
    assert name.after("Juniper  Tree, next").strip() == "next"  # as typed
    assert name.after("juniper trees next") is None
    assert name.after("juniper tree") is None and name.after("juniper tree.") is None
    assert name.after("we need a break juniper tree") is None
    assert Name("").after("we need a break") == "we need a break" and not Name("")
