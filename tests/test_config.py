"""Settings from config.toml: overrides, where each value came from, clear errors."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from skill.config import (
    ConfigError,
    effective_settings,
    load_settings,
    settings_from_dict,
)


def test_defaults_follow_the_research() -> None:
    settings, overrides = load_settings()  # no config.toml in the test's config directory
    assert overrides == {}
    assert settings.break_.default_minutes == 20
    assert settings.break_.cap_minutes == 120
    assert settings.breathing.pattern == "paced"


def test_file_overrides_and_sources(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text("[break]\ndefault_minutes = 25\ncap_minutes = 90\n")
    settings, overrides = load_settings(path)
    assert settings.break_.default_minutes == 25
    rows = {key: source for key, _, source in effective_settings(settings, overrides)}
    assert rows["break.default_minutes"] == "config file"
    assert rows["break.extend_minutes"] == "default"


def test_cap_never_over_a_day() -> None:
    with pytest.raises(ConfigError, match="24 hours"):
        settings_from_dict({"break": {"cap_minutes": 2000}})


def test_every_mistake_reported() -> None:
    with pytest.raises(ConfigError) as err:
        settings_from_dict({"brake": {}, "break": {"default_minutes": "twenty", "colour": 1}})
    message = str(err.value)
    assert "unknown section [brake]" in message
    assert "expected int" in message
    assert "unknown key 'colour'" in message


def test_cli_bad_toml_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text("[break\n")
    result = subprocess.run([sys.executable, "-m", "skill", "config", "--config", str(path)],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert "not valid TOML" in result.stderr and "Traceback" not in result.stderr


def test_cli_prints_every_setting(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text("[safety]\ncountry = \"UK\"\n")
    result = subprocess.run([sys.executable, "-m", "skill", "config", "--config", str(path)],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0
    assert 'safety.country = "UK"  # config file' in result.stdout
    assert "break.default_minutes = 20  # default" in result.stdout
