"""Fuzzed intent files, config files and state files: never a traceback, never a hang.

Each example must end in a result or in the error a user is shown (DataFileError with
FILE:LINE problems, ConfigError), within the per-example deadline. Accepted settings
and restored states must then run a whole break on the simulated clock. CI runs a
fixed set of examples; ``scripts/fuzz.py`` runs many more, freshly random.
"""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path
from typing import Any

import yaml
from engine_kit import T0, Timeline, at, shipped_decks
from fuzz_kit import EDITS, FUZZ, HOSTILE_YAML, INTENT_DOCS, JSON_ANY, state_data, toml_text, mutate
from hypothesis import given
from hypothesis import strategies as st

from skill.app.parts import load_parts
from skill.config import ConfigError, Settings, settings_from_dict
from skill.errors import UserError
from skill.datafile import DataFileError
from skill.engine.persist import engine_from_dict, engine_to_dict
from skill.nlu.check import check_intent_files, load_checked_intents
from skill.paths import intent_files
from skill.store import FileStateStore

SHIPPED = {path.name: path.read_text(encoding="utf-8") for path in intent_files()}


def check_file(path: Path, text: str | bytes) -> None:
    """The checker and the start-up loader agree, and fail only with FILE:LINE problems."""
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    report = check_intent_files([path], [])
    for problem in report.problems:
        assert problem.line >= 1 and problem.file in (str(path), str(path.parent / "sentences"))
    try:
        intent_set = load_checked_intents([path])
    except DataFileError as exc:
        assert exc.problems
        return
    assert report.ok or all("no test cases" in p.message for p in report.problems)
    assert intent_set.expand_all() is not None


@FUZZ
@given(doc=INTENT_DOCS)
def test_fuzzed_intent_documents(tmp_path: Path, doc: dict[str, Any]) -> None:
    check_file(tmp_path / "fuzz.yaml", yaml.safe_dump(doc, allow_unicode=True))


@FUZZ
@given(name=st.sampled_from(sorted(SHIPPED)), edits=EDITS)
def test_mutated_shipped_intent_files(tmp_path: Path, name: str, edits: list[tuple[int, str]]) -> None:
    check_file(tmp_path / name, mutate(SHIPPED[name], edits))


@FUZZ
@given(text=HOSTILE_YAML, edits=EDITS)
def test_hostile_yaml(tmp_path: Path, text: str, edits: list[tuple[int, str]]) -> None:
    check_file(tmp_path / "hostile.yaml", mutate(text, edits))


@FUZZ
@given(raw=st.binary(max_size=300))
def test_random_bytes_as_an_intent_file(tmp_path: Path, raw: bytes) -> None:
    check_file(tmp_path / "bytes.yaml", raw)


def run_a_break(settings: Settings) -> None:
    """Accepted settings must carry a whole break: start, extend, status, breathing, return."""
    run = Timeline(settings=settings)
    run.hear(0, "break.start", minutes=10**9)
    run.hear(30, "break.extend", minutes=10**9)
    run.hear(60, "break.extend")
    run.hear(90, "break.status")
    run.hear(120, "breathing.start")
    run.run_out()
    assert run.engine.brk is None or run.engine.brk.ends_at - run.engine.brk.started_at <= timedelta(
        minutes=settings.break_.cap_minutes)


@FUZZ
@given(text=toml_text())
def test_fuzzed_config_files(tmp_path: Path, text: str) -> None:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8", errors="surrogateescape")
    try:
        parts = load_parts(path)  # what run and simulate load: config, then decks and lines
    except UserError as exc:
        assert "\n" not in str(exc) and ("deck" in str(exc) or str(exc).startswith(str(path)))
        return
    run_a_break(parts.settings)


@FUZZ
@given(data=st.dictionaries(st.sampled_from(["break", "speech", "listen", "checkin", "breathing", "x"]),
                            st.dictionaries(st.text(max_size=30), JSON_ANY, max_size=4), max_size=4))
def test_fuzzed_config_mappings(data: dict[str, Any]) -> None:
    try:
        settings = load_parts(settings=settings_from_dict(data)).settings
    except (ConfigError, UserError):
        return
    run_a_break(settings)


def _snapshot() -> dict[str, Any]:
    run = Timeline()
    run.hear(0, "break.start")
    run.run_until(60)
    data: dict[str, Any] = json.loads(json.dumps(engine_to_dict(run.engine)))
    return data


SNAPSHOT = _snapshot()


@FUZZ
@given(data=state_data(SNAPSHOT), minutes_later=st.integers(0, 3 * 24 * 60))
def test_fuzzed_state_files(tmp_path: Path, data: Any, minutes_later: int) -> None:
    path = tmp_path / "state.json"
    for old in tmp_path.glob("state.json*"):
        old.unlink()
    path.write_text(json.dumps(data), encoding="utf-8")
    loaded = FileStateStore(path).load()
    now = T0 + timedelta(minutes=minutes_later)
    engine, lines = engine_from_dict(loaded, now, Settings(), shipped_decks())
    brk = engine.brk
    if brk is not None:
        assert brk.ends_at - brk.started_at <= timedelta(minutes=Settings().break_.cap_minutes)
        assert brk.started_at <= now
    run = Timeline(engine=engine, start=(now - at(0)).total_seconds())
    run.hear(run.t + 1, "break.status")
    run.hear(run.t + 2, "break.extend")
    run.run_out()


@FUZZ
@given(raw=st.binary(max_size=400))
def test_random_bytes_as_a_state_file(tmp_path: Path, raw: bytes) -> None:
    path = tmp_path / "state.json"
    for old in tmp_path.glob("state.json*"):
        old.unlink()
    path.write_bytes(raw)
    loaded = FileStateStore(path).load()
    engine_from_dict(loaded, T0, Settings(), shipped_decks())


MATCHER_WORDS = st.sampled_from(["we", "need", "a", "break", "minute", "minutes", "for", "more",
                                 "time", "²", "٣٠", "१५", "½", "Ⅻ", "9" * 50, "-", ",", ".", "'",
                                 "\u200b", "\x00", "ǅ", "ß", "İ", "twenty", "hundred", "and"])


@FUZZ
@given(text=st.one_of(st.text(max_size=200), st.lists(MATCHER_WORDS, max_size=60).map(" ".join)))
def test_any_typed_line_matches_without_a_traceback(text: str) -> None:
    from skill.app.parts import load_matcher

    found = load_matcher().match(text)
    assert found is None or found.intent


STATE_EDITS = st.lists(st.tuples(st.integers(0, 10**6),
                                 st.sampled_from(["1" * 5000, "[" * 3000, "-", "e999", '"', "\\u0000",
                                                  "NaN", "Infinity", "{}", "null", "\xff", "9999"])),
                       min_size=1, max_size=3)


@FUZZ
@given(edits=STATE_EDITS, minutes_later=st.integers(0, 3 * 24 * 60))
def test_mutated_state_text(tmp_path: Path, edits: list[tuple[int, str]], minutes_later: int) -> None:
    path = tmp_path / "state.json"
    for old in tmp_path.glob("state.json*"):
        old.unlink()
    path.write_text(mutate(json.dumps(SNAPSHOT, indent=1), edits), encoding="utf-8",
                    errors="surrogateescape")
    loaded = FileStateStore(path).load()
    engine, _lines = engine_from_dict(loaded, T0 + timedelta(minutes=minutes_later), Settings(),
                                      shipped_decks())
    Timeline(engine=engine, start=minutes_later * 60).run_out()
