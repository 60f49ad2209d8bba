"""The status LED (``[indicator]``): on while listening, off when muted, a slow blink while a
break runs, so anyone in the room can see whether Haven is listening.

It shows the saved state: ``IndicatingStore`` wraps the state store, and every
snapshot the loop saves (after each event and tick that changed something) sets
the LED. So the LED, ``haven status`` and a restart all read the same thing,
and the live loop needs no hook of its own.
"""

from __future__ import annotations

import logging
from typing import Any, Mapping, Protocol

from skill.config import IndicatorSettings
from skill.errors import UserError
from skill.store import StateStore

log = logging.getLogger(__name__)

SLOW_BLINK_S = 1.0  # on one second, off one second


class Indicator(Protocol):
    def show(self, mode: str) -> None: ...

    def close(self) -> None: ...


def indicator_mode(snapshot: Mapping[str, Any] | None) -> str:
    """ "muted" (off), "break" (slow blink: a break is running), else "listening" (on)."""
    if snapshot and snapshot.get("muted") is True:
        return "muted"
    if snapshot and snapshot.get("break") is not None:
        return "break"
    return "listening"


class GpioIndicator:
    """An LED on a GPIO pin through gpiozero; ``pin_factory`` lets tests use mock pins."""

    def __init__(self, pin: int, active_high: bool = True, pin_factory: Any = None) -> None:
        from gpiozero import LED

        self._led = LED(pin, active_high=active_high, pin_factory=pin_factory)
        self.mode = ""

    def show(self, mode: str) -> None:
        if mode == self.mode:
            return  # re-arming blink would restart its rhythm
        self.mode = mode
        if mode == "muted":
            self._led.off()
        elif mode == "break":
            self._led.blink(on_time=SLOW_BLINK_S, off_time=SLOW_BLINK_S)
        else:
            self._led.on()

    def close(self) -> None:
        self._led.off()
        self._led.close()


def make_indicator(settings: IndicatorSettings, pin_factory: Any = None) -> Indicator | None:
    """The configured LED, or None when ``indicator.gpio_pin`` is 0."""
    if settings.gpio_pin == 0:
        return None
    try:
        return GpioIndicator(settings.gpio_pin, settings.active_high, pin_factory)
    except ImportError:
        raise UserError("indicator.gpio_pin is set but gpiozero is not installed; install it with: "
                        ".venv/bin/pip install gpiozero") from None
    except Exception as exc:  # gpiozero raises its own errors for a missing or busy pin
        raise UserError(f"indicator.gpio_pin = {settings.gpio_pin}: no LED can be driven there "
                        f"({exc}); set indicator.gpio_pin = 0 in the config file on a machine "
                        "without GPIO") from None


class IndicatingStore:
    """A state store that also shows each saved snapshot on the LED."""

    def __init__(self, store: StateStore, indicator: Indicator) -> None:
        self.store = store
        self.indicator = indicator

    def load(self) -> dict[str, Any] | None:
        data = self.store.load()
        self.indicator.show(indicator_mode(data))
        return data

    def save(self, data: dict[str, Any]) -> None:
        self.indicator.show(indicator_mode(data))  # first: the LED is right even if the disk fails
        self.store.save(data)
