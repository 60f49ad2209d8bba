"""Where Haven's data, state and config live.

Shipped data (intents, decks, spoken lines) sits in ``intents/`` beside the
package in the source tree; ``HAVEN_DATA_DIR`` overrides it. Per-user state and
config follow the platform's conventions through platformdirs.
"""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_config_dir, user_state_dir

APP_NAME = "haven"


def project_root() -> Path:
    """The source checkout that holds ``intents/``, ``models/`` and ``scripts/``."""
    return Path(__file__).resolve().parent.parent


def data_dir() -> Path:
    """Directory holding the shipped YAML data (intents, decks, lines)."""
    override = os.environ.get("HAVEN_DATA_DIR")
    return Path(override) if override else project_root() / "intents"


def intent_files() -> list[Path]:
    """The shipped intent files (hassil format), in a stable order."""
    return sorted((data_dir() / "sentences").glob("*.yaml"))


def golden_files() -> list[Path]:
    """Test cases for the shipped intents (positives and near-miss negatives)."""
    return sorted((project_root() / "tests" / "golden").glob("*.yaml"))


def models_dir() -> Path:
    """Where downloaded speech models are looked for."""
    override = os.environ.get("HAVEN_MODELS_DIR")
    return Path(override) if override else project_root() / "models"


def state_dir() -> Path:
    """Per-user state (break end time, deck rotation); never transcripts."""
    override = os.environ.get("HAVEN_STATE_DIR")
    return Path(override) if override else Path(user_state_dir(APP_NAME))


def config_dir() -> Path:
    """Per-user configuration directory."""
    override = os.environ.get("HAVEN_CONFIG_DIR")
    return Path(override) if override else Path(user_config_dir(APP_NAME))
