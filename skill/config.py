"""Settings: defaults from the research notes, overridable in a TOML file.

The file is ``config.toml`` in the user's config directory (``haven config``
prints the path, every effective value and where it came from). Every section
below is a table in that file, e.g.::

    [break]
    default_minutes = 25
    cap_minutes = 90
"""

from __future__ import annotations

import dataclasses
import math
import tomllib
from dataclasses import dataclass, field, fields, is_dataclass
from pathlib import Path
from typing import Any, Mapping, TypeVar

from skill.datafile import UnreadableFile, read_bounded_text
from skill.paths import config_dir

MAX_CAP_MINUTES = 24 * 60  # a break longer than a day reads as punishment
MAX_CONFIG_BYTES = 100_000

N = TypeVar("N", int, float)


class ConfigError(Exception):
    """A user mistake in the config file; the message is one clear sentence."""


def ranged(default: N, low: N, high: N, note: str = "") -> N:
    """A numeric setting with its allowed range (checked on load, printed by ``haven config``).

    Every int and float setting must use this (a test checks it): an unbounded
    value once passed the check and failed later (``extend_minutes = 1e14``
    overflowed a date; ``rate_wpm = 0`` divided by zero).
    """
    return field(default=default, metadata={"range": (low, high), "note": note})


def value_range(f: dataclasses.Field[Any]) -> tuple[Any, Any] | None:
    found = f.metadata.get("range")
    return (found[0], found[1]) if found is not None else None


def describe_range(f: dataclasses.Field[Any]) -> str:
    """``1..120`` (plus the field's note), or '' for a setting without a range."""
    bounds = value_range(f)
    if bounds is None:
        return ""
    note = f.metadata.get("note", "")
    return f"{bounds[0]}..{bounds[1]}" + (f" ({note})" if note else "")


@dataclass(frozen=True)
class BreakSettings:
    default_minutes: int = ranged(20, 1, MAX_CAP_MINUTES)
    min_minutes: int = ranged(5, 1, MAX_CAP_MINUTES)
    max_minutes: int = ranged(120, 1, MAX_CAP_MINUTES)
    extend_minutes: int = ranged(10, 1, 120)
    cap_minutes: int = ranged(120, 1, MAX_CAP_MINUTES, "24 hours")
    heads_up_minutes: int = ranged(5, 0, 60)
    heads_up_min_break_minutes: int = ranged(10, 0, MAX_CAP_MINUTES)
    mid_break_nudge: bool = True
    offer_breathing: bool = True
    reprompt_every_minutes: int = ranged(3, 1, 60)
    reprompt_times: int = ranged(3, 0, 10)
    # Ending a break before this asks both partners once (Gottman's ~20 minutes to calm down).
    end_early_after_minutes: int = ranged(20, 0, MAX_CAP_MINUTES)
    # All breaks together in any 24 hours: chaining breaks never adds up past this.
    day_limit_minutes: int = ranged(240, 1, MAX_CAP_MINUTES, "24 hours")
    code_phrase: str = ""  # the couple's own word that also starts a break, e.g. "pineapple"

    def validate(self) -> list[str]:
        errors = []
        if not 1 <= self.day_limit_minutes <= MAX_CAP_MINUTES:
            errors.append(f"break.day_limit_minutes must be between 1 and {MAX_CAP_MINUTES} (24 hours)")
        if len(self.code_phrase) > 60:
            errors.append("break.code_phrase must be a short word or phrase (60 characters at most)")
        if not 1 <= self.min_minutes <= self.max_minutes:
            errors.append("break.min_minutes must be at least 1 and not above break.max_minutes")
        if not self.min_minutes <= self.default_minutes <= self.max_minutes:
            errors.append("break.default_minutes must lie between min_minutes and max_minutes")
        if not 1 <= self.cap_minutes <= MAX_CAP_MINUTES:
            errors.append(f"break.cap_minutes must be between 1 and {MAX_CAP_MINUTES} (24 hours)")
        if self.extend_minutes < 1:
            errors.append("break.extend_minutes must be at least 1")
        if not 0 <= self.reprompt_times <= 10:
            errors.append("break.reprompt_times must be between 0 and 10")
        if self.reprompt_every_minutes < 1:
            errors.append("break.reprompt_every_minutes must be at least 1")
        return errors


@dataclass(frozen=True)
class BreathingSettings:
    minutes: int = ranged(5, 1, 20)
    pattern: str = "paced"  # paced (4 in, 6 out), sigh, box, 478

    def validate(self) -> list[str]:
        errors = []
        if not 1 <= self.minutes <= 20:
            errors.append("breathing.minutes must be between 1 and 20")
        if self.pattern not in {"paced", "sigh", "box", "478"}:
            errors.append("breathing.pattern must be one of paced, sigh, box, 478")
        return errors


@dataclass(frozen=True)
class CheckinSettings:
    deck: str = "daily"  # what "start check in" reads when no ritual is named
    turn_prompts: bool = True
    switch_after_seconds: int = ranged(180, 30, 900, "how long each partner speaks in a turn")
    summary_seconds: int = ranged(60, 15, 300, "how long the listener sums up before the swap")

    def validate(self) -> list[str]:
        if not 30 <= self.switch_after_seconds <= 900:
            return ["checkin.switch_after_seconds must be between 30 and 900"]
        return []


@dataclass(frozen=True)
class SafetySettings:
    """Which help line is given: ``country`` picks one from intents/helplines.yaml.

    ``hotline_name`` and ``hotline_phone`` (both set) replace it with a line of your
    own; ``hotline_text`` then adds a text option ("START to 88788": a keyword and a number).
    """

    country: str = "US"
    hotline_name: str = ""
    hotline_phone: str = ""
    hotline_text: str = ""
    emergency_number: str = ""  # empty: the country's (911, 999, 000, 111, 112)

    def validate(self) -> list[str]:
        from skill.helplines import country_key, default_helplines

        errors = []
        if bool(self.hotline_name.strip()) != bool(self.hotline_phone.strip()):
            errors.append("safety.hotline_name and safety.hotline_phone must be set together")
        known = default_helplines()
        if not self.hotline_phone.strip() and country_key(self.country) not in known:
            errors.append(f"safety.country must be one of {', '.join(sorted(known))} "
                          "(or set safety.hotline_name and safety.hotline_phone)")
        for key in ("hotline_phone", "emergency_number"):
            value = getattr(self, key)
            if value.strip() and not any(c.isdigit() for c in value):
                errors.append(f"safety.{key} must contain digits")
        return errors


@dataclass(frozen=True)
class IndicatorSettings:
    """A status LED on a Raspberry Pi GPIO pin (BCM number); 0: no LED."""

    gpio_pin: int = ranged(0, 0, 27, "BCM number; 0: no LED")
    active_high: bool = True

    def validate(self) -> list[str]:
        if not 0 <= self.gpio_pin <= 27:
            return ["indicator.gpio_pin must be a BCM pin number from 1 to 27, or 0 for no LED"]
        return []


@dataclass(frozen=True)
class SpeechSettings:
    voice: str = "auto"  # auto, piper, pyttsx3, none
    rate_wpm: int = ranged(160, 80, 400)
    timeout_seconds: float = ranged(30.0, 1.0, 300.0)

    def validate(self) -> list[str]:
        if self.voice not in {"auto", "piper", "pyttsx3", "none"}:
            return ["speech.voice must be one of auto, piper, pyttsx3, none"]
        return []


@dataclass(frozen=True)
class ListenSettings:
    recognizer: str = "auto"  # auto, vosk, pocketsphinx
    vosk_model: str = ""
    trailing_silence_seconds: float = ranged(0.5, 0.1, 3.0)  # after the speech has ended (skill.audio.vad); see bench_live
    max_utterance_seconds: float = ranged(8.0, 1.0, 30.0)
    input_device: str = ""
    output_device: str = ""
    keep_transcripts: bool = False
    echo_tail_seconds: float = ranged(0.4, 0.0, 3.0)  # deaf this long after each line: the room's echo, the buffers
    # Only "NAME, <command>" is acted on (for rooms where false accepts still happen).
    require_name: bool = False
    name: str = "Haven"

    def validate(self) -> list[str]:
        errors = []
        if self.recognizer not in {"auto", "vosk", "pocketsphinx"}:
            errors.append("listen.recognizer must be one of auto, vosk, pocketsphinx")
        if not 0.1 <= self.trailing_silence_seconds <= 3.0:
            errors.append("listen.trailing_silence_seconds must be between 0.1 and 3.0")
        if not 1.0 <= self.max_utterance_seconds <= 30.0:
            errors.append("listen.max_utterance_seconds must be between 1 and 30")
        if not 0.0 <= self.echo_tail_seconds <= 3.0:
            errors.append("listen.echo_tail_seconds must be between 0 and 3")
        if not 1 <= len(self.name.split()) <= 3 or not all(w.replace("'", "").isalpha()
                                                            for w in self.name.split()):
            errors.append("listen.name must be one to three words of letters, like \"Haven\"")
        return errors


@dataclass(frozen=True)
class Settings:
    break_: BreakSettings = field(default_factory=BreakSettings)
    breathing: BreathingSettings = field(default_factory=BreathingSettings)
    checkin: CheckinSettings = field(default_factory=CheckinSettings)
    safety: SafetySettings = field(default_factory=SafetySettings)
    speech: SpeechSettings = field(default_factory=SpeechSettings)
    listen: ListenSettings = field(default_factory=ListenSettings)
    indicator: IndicatorSettings = field(default_factory=IndicatorSettings)


def _section_name(f: dataclasses.Field[Any]) -> str:
    return f.name.rstrip("_")


def default_config_path() -> Path:
    return config_dir() / "config.toml"


def _coerce(section: str, key: str, value: Any, f: dataclasses.Field[Any], default: Any) -> Any:
    expected = type(default)
    if expected is float and isinstance(value, int) and not isinstance(value, bool):
        value = float(value)
    if not isinstance(value, expected) or (expected is int and isinstance(value, bool)):
        raise ConfigError(
            f"[{section}] {key} = {_shown(value)}: expected {expected.__name__}, like {default!r}"
        )
    bounds = value_range(f)
    if bounds is not None and (
        (isinstance(value, float) and not math.isfinite(value)) or not bounds[0] <= value <= bounds[1]
    ):
        raise ConfigError(
            f"[{section}] {key} = {_shown(value)}: expected {describe_range(f)}"
        )
    return value


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:30] + "..."


def settings_from_dict(data: Mapping[str, Any], origin: str = "config") -> Settings:
    """Build Settings from a parsed TOML mapping; raise ConfigError listing every problem."""
    problems: list[str] = []
    sections: dict[str, Any] = {}
    known = {_section_name(f): f for f in fields(Settings)}
    for name in data:
        if name not in known:
            problems.append(f"unknown section [{name}]; expected one of {', '.join(sorted(known))}")
    for name, f in known.items():
        default_section = f.default_factory()  # type: ignore[misc,operator]
        raw = data.get(name, {})
        if not isinstance(raw, Mapping):
            problems.append(f"[{name}] must be a table")
            continue
        values = {}
        section_fields = {sf.name: sf for sf in fields(default_section)}
        bad = len(problems)
        for key, value in raw.items():
            if key not in section_fields:
                problems.append(
                    f"[{name}] unknown key {key!r}; expected one of {', '.join(section_fields)}"
                )
                continue
            try:
                values[key] = _coerce(name, key, value, section_fields[key],
                                      getattr(default_section, key))
            except ConfigError as exc:
                problems.append(str(exc))
        section = dataclasses.replace(default_section, **values)
        if len(problems) == bad:  # the cross-field checks assume every value is in range
            problems.extend(section.validate())
        sections[f.name] = section
    if problems:
        raise ConfigError(f"{origin}: " + "; ".join(problems))
    return Settings(**sections)


def load_settings(path: Path | None = None) -> tuple[Settings, dict[str, Any]]:
    """The settings and the raw overrides. ``path`` None: the default file if there is one;
    a ``path`` given (``--config``) must exist."""
    if path is None:
        path = default_config_path()
        if not path.exists():
            return Settings(), {}
    try:
        data = tomllib.loads(read_bounded_text(path, MAX_CONFIG_BYTES))
    except FileNotFoundError:
        raise ConfigError(f"{path}: no such file; check the --config path") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot be read ({exc.strerror})") from None
    except UnreadableFile as exc:
        raise ConfigError(f"{path}: cannot be read: {exc}; fix it or delete the file") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML ({exc}); fix it or delete the file") from None
    except ValueError:  # tomllib lets int() refuse a number of over 4,300 digits
        raise ConfigError(f"{path}: not valid TOML (a number is far too long); fix it") from None
    except RecursionError:
        raise ConfigError(f"{path}: nested too deep to be a config file; fix it") from None
    return settings_from_dict(data, origin=str(path)), data


def effective_settings(settings: Settings, overrides: Mapping[str, Any]) -> list[tuple[str, Any, str]]:
    """Every setting as (dotted key, value, 'default' or 'config file')."""
    rows = []
    for f in fields(Settings):
        section = getattr(settings, f.name)
        name = _section_name(f)
        assert is_dataclass(section)
        for sf in fields(section):
            source = "config file" if sf.name in overrides.get(name, {}) else "default"
            rows.append((f"{name}.{sf.name}", getattr(section, sf.name), source))
    return rows


def setting_ranges() -> dict[str, str]:
    """Dotted key -> its allowed range (``1..120``), for every numeric setting."""
    out = {}
    for f in fields(Settings):
        section = f.default_factory()  # type: ignore[misc,operator]
        for sf in fields(section):
            span = describe_range(sf)
            if span:
                out[f"{_section_name(f)}.{sf.name}"] = span
    return out
