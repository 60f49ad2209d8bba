"""The spoken lines file: complete, well-formed, and rendered calmly."""

from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone

import pytest

from skill.engine.breathing import PATTERNS
from skill.engine.catalog import LINE_PARAMS
from skill.lines import LineBook, Renderer, format_clock, format_duration
from skill.messages import Say
from skill.datafile import DataFileError

BOOK = LineBook.from_files()
WORDS_PER_SECOND = 160 / 60  # the default speech rate

SAMPLE = {
    "time": datetime(2025, 1, 6, 20, 40, tzinfo=timezone.utc),
    "duration": timedelta(minutes=15),
    "added": timedelta(minutes=10),
    "cap": timedelta(hours=2),
    "low": 5,
    "high": 120,
    "count": 3,
    "title": "daily check-in",
    "text": "How are you?",
    "name": "the hotline",
    "phone": "one. eight, zero, zero. seven, nine, nine. seven, two, three, three",
    "emergency": "nine, one, one",
    "limit": timedelta(hours=4),
    "end": datetime(2025, 1, 6, 20, 50, tzinfo=timezone.utc),
    "n": "three",
    "rounds": "four rounds",
}


def test_every_line_the_engine_can_say_is_in_the_file() -> None:
    assert set(BOOK.variants) == set(LINE_PARAMS)


@pytest.mark.parametrize("line_id", sorted(LINE_PARAMS))
def test_every_line_renders_with_its_parameters(line_id: str) -> None:
    renderer = Renderer(BOOK, random.Random(1))
    params = {name: SAMPLE[name] for name in LINE_PARAMS[line_id]}
    for _ in range(4):
        text = renderer.render(Say(line_id, params))
        assert text and "{" not in text


def test_lines_have_a_few_variants_so_the_device_does_not_sound_canned() -> None:
    single = {line_id for line_id, variants in BOOK.variants.items() if len(variants) == 1}
    # Said word for word on purpose: deck text; the help line (a frightened person learns
    # it by ear); the phrase both must answer with; breathing cues timed to the beat.
    assert single == {"checkin.question", "checkin.guidance", "safety.info", "safety.info_text", "safety.repeat",
                      "safety.call", "break.confirm_end", "breathe.in", "breathe.out",
                      "breathe.hold", "breathe.count"}
    assert all(len(v) <= 4 for v in BOOK.variants.values())


def test_every_breathing_cue_fits_its_beat() -> None:
    """A counted phase's opener has one second before "two"; an uncounted cue its phase."""
    for pattern in PATTERNS.values():
        for phase in pattern.phases:
            room = 1 if pattern.counted_rounds else phase.seconds
            for text in BOOK.variants[phase.opener]:
                assert len(text.split()) / WORDS_PER_SECOND <= room, (phase.opener, text)
    for text in BOOK.variants["breathe.count"]:
        assert len(text.format(n="seven").split()) / WORDS_PER_SECOND <= 1


def test_the_same_variant_is_not_picked_twice_in_a_row() -> None:
    renderer = Renderer(BOOK, random.Random(3))
    said = [renderer.render(Say("break.reprompt")) for _ in range(30)]
    assert all(a != b for a, b in zip(said, said[1:]))


def test_a_seeded_renderer_is_reproducible() -> None:
    lines = [Say("break.nudge"), Say("break.return"), Say("break.nudge")]
    first = [Renderer(BOOK, random.Random(7)).render(x) for x in lines]
    assert first == [Renderer(BOOK, random.Random(7)).render(x) for x in lines]


@pytest.mark.parametrize(
    ("hour", "minute", "spoken"), [(20, 40, "8:40"), (0, 5, "12:05"), (12, 0, "12:00"), (9, 9, "9:09")]
)
def test_clock_times_are_spoken_twelve_hour(hour: int, minute: int, spoken: str) -> None:
    assert format_clock(datetime(2025, 1, 6, hour, minute, tzinfo=timezone.utc)) == spoken


@pytest.mark.parametrize(
    ("span", "spoken"),
    [
        (timedelta(minutes=15), "15 minutes"),
        (timedelta(minutes=1), "1 minute"),
        (timedelta(seconds=20), "less than a minute"),
        (timedelta(minutes=14, seconds=31), "15 minutes"),
        (timedelta(minutes=60), "1 hour"),
        (timedelta(minutes=70), "1 hour and 10 minutes"),
        (timedelta(hours=2), "2 hours"),
        (timedelta(hours=24), "24 hours"),
    ],
)
def test_durations_are_spoken_in_plain_words(span: timedelta, spoken: str) -> None:
    assert format_duration(span) == spoken


def problems(text: str) -> list[str]:
    with pytest.raises(DataFileError) as caught:
        LineBook.from_yaml(text, "lines.yaml")
    return [str(p) for p in caught.value.problems]


def complete_except(line_id: str) -> str:
    return "".join(
        f"{name}:\n" + "".join(f"  - {text!r}\n" for text in variants)
        for name, variants in BOOK.variants.items()
        if name != line_id
    )


def test_an_unknown_parameter_is_reported_with_file_and_line() -> None:
    text = complete_except("break.status") + 'break.status:\n  - "You have {minutes} left."\n'
    found = problems(text)
    line = text.splitlines().index('  - "You have {minutes} left."') + 1
    assert found == [
        f"lines.yaml:{line}: break.status: unknown parameter {{minutes}}; expected {{duration}}, {{time}}"
    ]


def test_a_missing_line_is_reported() -> None:
    found = problems(complete_except("break.nudge"))
    assert len(found) == 1 and "missing line 'break.nudge'" in found[0]


def test_an_unknown_line_id_is_reported_with_its_line() -> None:
    text = complete_except("") + "break.nudgee:\n  - hello\n"
    found = problems(text)
    line = text.splitlines().index("break.nudgee:") + 1
    assert found == [f"lines.yaml:{line}: unknown line id 'break.nudgee': the engine never says it (a typo?)"]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ('  - "Back at {time"\n', "bad braces"),
        ("  - hello\n" * 5, "1 to 4 variants"),
        ("  - ''\n", "non-empty text"),
    ],
)
def test_malformed_variants_are_reported(body: str, expected: str) -> None:
    text = complete_except("break.already") + "break.already:\n" + body
    found = problems(text)
    assert len(found) == 1 and expected in found[0]
    assert found[0].startswith("lines.yaml:")


def test_a_yaml_syntax_error_names_its_line() -> None:
    found = problems("help.idle:\n  - [unclosed\n")
    assert found[0].startswith("lines.yaml:") and "YAML syntax error" in found[0]


def test_all_problems_are_reported_at_once() -> None:
    text = complete_except("break.nudge").replace("{duration}", "{durration}")
    assert len(problems(text)) > 3
