"""Haven: an offline voice companion for couples."""

from __future__ import annotations

__version__ = "0.1.0"
