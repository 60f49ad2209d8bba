"""Errors a user can cause; each carries one clear sentence and a way out."""

from __future__ import annotations


class UserError(Exception):
    """A mistake the user can fix (bad file, missing device, missing model)."""
