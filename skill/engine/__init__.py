"""The pure engine: ``Engine.handle(event, now) -> [Say]``; no clock, no I/O, no speech."""

from __future__ import annotations

from skill.engine.common import EngineStateError, State
from skill.engine.engine import Engine

__all__ = ["Engine", "EngineStateError", "State"]
