"""The safety answer: a help line a frightened person can take down, and what Haven cannot do.

The number is spoken digit by digit, slowly, twice, and "repeat" (or "what was
the number") works for ``SAFETY_REPEAT_WINDOW`` after it in every state. Asked
to call someone, Haven says it cannot, and gives the emergency number first.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Mapping

from skill.config import SafetySettings
from skill.engine.common import say
from skill.helplines import HelpLine, country_key, spoken_digits
from skill.messages import Say

SAFETY_REPEAT_WINDOW = timedelta(minutes=2)
NO_EMERGENCY = "your local emergency number"


def chosen_line(s: SafetySettings, helplines: Mapping[str, HelpLine]) -> HelpLine:
    """The configured line: the config's own number if set, else the country's entry."""
    country = helplines.get(country_key(s.country))
    if s.hotline_phone.strip():
        keyword, sep, number = s.hotline_text.partition(" to ")  # "START to 88788"
        keyword, number = (keyword, number) if sep else ("", keyword)
        return HelpLine(
            country=country_key(s.country),
            name=s.hotline_name.strip(),
            phone=s.hotline_phone.strip(),
            emergency=s.emergency_number.strip() or (country.emergency if country else ""),
            source="config file",
            text_keyword=keyword.strip(),
            text_number="".join(c for c in number if c.isdigit()),
        )
    if country is None:  # config validation refuses this; a hand-built Settings may not
        raise ValueError(f"no help line for country {s.country!r}")
    if s.emergency_number.strip():
        return HelpLine(country.country, country.name, country.phone, s.emergency_number.strip(),
                        country.source, country.text_keyword, country.text_number)
    return country


def safety_lines(kind: str, s: SafetySettings, helplines: Mapping[str, HelpLine]) -> list[Say]:
    """``kind``: "info" (asked for safety), "repeat" (the number again), "call" (call for help)."""
    line = chosen_line(s, helplines)
    phone = spoken_digits(line.phone)
    emergency = spoken_digits(line.emergency) if line.emergency else NO_EMERGENCY
    if kind == "repeat":
        return [say("safety.repeat", name=line.name, phone=phone)]
    if kind == "call":
        return [say("safety.call", name=line.name, phone=phone, emergency=emergency)]
    if line.text_number:
        text = spoken_digits(line.text_number)
        text = f"{line.text_keyword} to {text}" if line.text_keyword else text
        return [say("safety.info_text", name=line.name, phone=phone, text=text, emergency=emergency)]
    return [say("safety.info", name=line.name, phone=phone, emergency=emergency)]
