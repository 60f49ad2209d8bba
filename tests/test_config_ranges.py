"""Every numeric setting has a stated range, checked on load and printed by ``haven config``."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import fields
from pathlib import Path

import pytest

from skill.config import ConfigError, Settings, load_settings, setting_ranges, settings_from_dict


def test_every_numeric_setting_has_a_range() -> None:
    ranges = setting_ranges()
    for f in fields(Settings):
        for sf in fields(f.default_factory()):  # type: ignore[misc]
            default = getattr(f.default_factory(), sf.name)  # type: ignore[misc]
            if isinstance(default, (int, float)) and not isinstance(default, bool):
                key = f"{f.name.rstrip('_')}.{sf.name}"
                assert key in ranges, f"{key} has no range: declare it with skill.config.ranged"


def test_defaults_lie_within_their_ranges() -> None:
    settings_from_dict({})  # the defaults pass their own checks
    assert setting_ranges()["break.extend_minutes"] == "1..120"
    assert setting_ranges()["speech.rate_wpm"] == "80..400"


@pytest.mark.parametrize("section, key, value", [
    ("break", "extend_minutes", 10**14),  # once an OverflowError when a break was extended
    ("speech", "rate_wpm", 0),  # once a ZeroDivisionError
    ("speech", "timeout_seconds", float("nan")),
    ("speech", "timeout_seconds", float("inf")),
    ("listen", "echo_tail_seconds", -1.0),
    ("break", "reprompt_times", -3),
])
def test_a_value_out_of_range_is_one_sentence_naming_the_range(section: str, key: str, value: object) -> None:
    with pytest.raises(ConfigError) as err:
        settings_from_dict({section: {key: value}})
    assert f"[{section}] {key} = " in str(err.value) and "expected" in str(err.value)
    assert f"{setting_ranges()[f'{section}.{key}']}" in str(err.value)


def haven(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "skill", *args], capture_output=True, text=True,
                          timeout=60)


def test_haven_config_prints_each_range() -> None:
    result = haven("config")
    assert result.returncode == 0
    assert "break.extend_minutes = 10  # default, range 1..120" in result.stdout
    assert "speech.rate_wpm = 160  # default, range 80..400" in result.stdout


@pytest.mark.parametrize("content, says", [
    (b"[break]\ndefault_minutes = 25 # caf\xe9\n", "not UTF-8"),
    (b"a = " + b"[" * 3000 + b"]" * 3000 + b"\n", "nested too deep"),
    (b"[break]\nextend_minutes = 100000000000000\n", "expected 1..120"),
    (b"[break]\nextend_minutes = " + b"1" * 5000 + b"\n", "a number is far too long"),
])
def test_a_bad_config_file_is_one_sentence_in_every_command(tmp_path: Path, content: bytes, says: str) -> None:
    path = tmp_path / "config.toml"
    path.write_bytes(content)
    with pytest.raises(ConfigError, match=says):
        load_settings(path)
    for command in (["config", "--config", str(path)], ["run", "--text", "--config", str(path)]):
        result = haven(*command)
        assert result.returncode == 1 and says in result.stderr
        assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_a_missing_config_named_on_the_command_line_is_an_error(tmp_path: Path) -> None:
    for command in ("config", "run"):
        result = haven(command, "--config", str(tmp_path / "nope.toml"))
        assert result.returncode == 1 and "no such file" in result.stderr


def test_a_fifo_as_config_does_not_hang(tmp_path: Path) -> None:
    import os

    path = tmp_path / "config.toml"
    os.mkfifo(path)
    with pytest.raises(ConfigError, match="not a regular file"):
        load_settings(path)
