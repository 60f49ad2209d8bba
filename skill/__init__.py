"""Haven: an offline voice companion for couples."""

from __future__ import annotations

from skill.offline import telemetry_off_on_import

__version__ = "0.1.0"

# Before any module can load onnxruntime: see skill.offline.
telemetry_off_on_import()
