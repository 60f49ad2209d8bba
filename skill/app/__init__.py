"""Wiring: the loops that connect sources, recogniser, matcher, engine and speaker."""
