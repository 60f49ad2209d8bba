"""Shared test fixtures: paths to the project and to ../shared."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
DEV_CORPUS = SHARED / "corpus" / "dev"


def dev_manifest() -> list[dict[str, Any]]:
    """The dev corpus manifest, or [] when ../shared is not beside the clone."""
    manifest = DEV_CORPUS / "manifest.jsonl"
    if not manifest.exists():
        return []
    return [json.loads(line) for line in manifest.read_text().splitlines() if line.strip()]


@pytest.fixture(autouse=True)
def _private_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep every test away from the user's real state and config."""
    monkeypatch.setenv("HAVEN_STATE_DIR", str(tmp_path / "state"))
    monkeypatch.setenv("HAVEN_CONFIG_DIR", str(tmp_path / "config"))
