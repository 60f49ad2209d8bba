"""Generators for the fuzz tests (tests/test_fuzz.py) and scripts/fuzz.py.

Three kinds of input a careless or hostile user controls: intent files, the config
file and the state file. Each generator mixes well-formed pieces (so the checks
deep inside are reached) with the shapes that once crashed or hung Haven: deep
nesting, aliases, explicit tags, numbers where text belongs, huge numbers, odd
times, non-UTF-8 bytes.
"""

from __future__ import annotations

import json
import math
import os
from datetime import datetime, timedelta, timezone
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from skill.engine.common import State  # noqa: F401  (re-exported for the tests)

# CI runs a bounded number of examples; scripts/fuzz.py sets HAVEN_FUZZ_EXAMPLES higher.
EXAMPLES = int(os.environ.get("HAVEN_FUZZ_EXAMPLES", "60"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=5000,  # ms per example: a hang or a blow-up fails instead of stalling CI
    database=None,  # nothing written into the checkout
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                           HealthCheck.function_scoped_fixture],
    derandomize=os.environ.get("HAVEN_FUZZ_RANDOM") is None,  # CI: the same examples each run
)

T0 = datetime(2025, 1, 6, 20, 0, tzinfo=timezone.utc)

# ---- template text ---------------------------------------------------------------------

WORDS = st.sampled_from(["we", "need", "a", "break", "stop", "next", "time", "out", "please",
                         "minutes", "check", "in", "²", "٣", "42", "", " "])
RULES = st.sampled_from(["<break>", "<we_need>", "<brake_rule>", "<r>", "<checkin>"])
LISTS = st.sampled_from(["{minutes}", "{hours:minutes}", "{nope}", "{duration:minutes}"])


def _template(depth: int) -> st.SearchStrategy[str]:
    leaf = st.one_of(WORDS, RULES, LISTS)
    if depth <= 0:
        return leaf
    inner = st.lists(_template(depth - 1), min_size=1, max_size=3)
    return st.one_of(
        leaf,
        inner.map(lambda xs: "(" + "|".join(xs) + ")"),
        inner.map(lambda xs: "[" + " ".join(xs) + "]"),
        inner.map(lambda xs: " ".join(xs)),
        inner.map(lambda xs: "(" + ";".join(xs) + ")"),  # a permutation
    )


TEMPLATES = st.one_of(
    _template(3),
    st.text(alphabet="()[]{}<>|;: abc#'\"\\-", max_size=40),
    st.integers(min_value=-10**30, max_value=10**30),  # a sentence that is a number
    st.none(),
    st.just("(" * 200 + "a" + ")" * 200),
    st.just("x" * 5000),
)

INTENT_NAMES = st.sampled_from(["break.start", "stop", "help", "safety", "checkin.next",
                                "break.extend", "not.an.intent", ""])

JSON_SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False),
                         st.text(max_size=20))


def _intent_data() -> st.SearchStrategy[Any]:
    block = st.fixed_dictionaries(
        {"sentences": st.one_of(st.lists(TEMPLATES, max_size=4), TEMPLATES)},
        optional={"slots": st.one_of(st.dictionaries(st.text(max_size=5), JSON_SCALARS, max_size=2),
                                     JSON_SCALARS),
                  "bogus": JSON_SCALARS},
    )
    return st.one_of(st.fixed_dictionaries({"data": st.lists(block, max_size=3)}), JSON_SCALARS)


def _lists() -> st.SearchStrategy[Any]:
    value_list = st.fixed_dictionaries({"values": st.lists(
        st.one_of(TEMPLATES, st.fixed_dictionaries({"in": TEMPLATES, "out": JSON_SCALARS})),
        max_size=4)})
    range_list = st.fixed_dictionaries({"range": st.fixed_dictionaries(
        {"from": st.one_of(st.integers(-5, 10**12), JSON_SCALARS),
         "to": st.one_of(st.integers(-5, 10**12), JSON_SCALARS)})})
    return st.dictionaries(st.sampled_from(["minutes", "hours", "duration", "x"]),
                           st.one_of(value_list, range_list, st.just({"wildcard": True}), JSON_SCALARS),
                           max_size=3)


INTENT_DOCS = st.fixed_dictionaries(
    {},
    optional={
        "language": st.one_of(st.just("en"), JSON_SCALARS),
        "intents": st.one_of(st.dictionaries(INTENT_NAMES, _intent_data(), max_size=4), JSON_SCALARS),
        "lists": st.one_of(_lists(), JSON_SCALARS),
        "expansion_rules": st.one_of(
            st.dictionaries(st.sampled_from(["break", "we_need", "r", "checkin"]), TEMPLATES, max_size=4),
            JSON_SCALARS),
        "skip_words": st.one_of(st.lists(st.one_of(st.text(max_size=8), JSON_SCALARS), max_size=4),
                                JSON_SCALARS),
        "frames": st.one_of(st.dictionaries(st.sampled_from(["prefixes", "suffixes", "other"]),
                                            st.lists(JSON_SCALARS, max_size=3), max_size=2), JSON_SCALARS),
    },
)

HOSTILE_YAML = st.sampled_from([
    "a: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n",
    "a: &a [*a]\n",
    "[" * 600 + "]" * 600,
    "language: en\n",
    'language: !!float "x"\n',
    "language: en\nintents:\n  stop:\n    data:\n      - sentences: [42]\n",
    "language: en\nintents:\n  stop:\n    data:\n      - sentences: !!binary aGk=\n",
    "? [a, b]\n: c\n",
    "- - - - -\n",
    "\ufeff\x00\x01",
    "language: en\nexpansion_rules:\n  r: \"<r>\"\nintents:\n  stop:\n    data:\n      - sentences: [\"<r>\"]\n",
])


def mutate(text: str, edits: list[tuple[int, str]]) -> str:
    """``text`` with each (position, snippet) edit applied: snippets replace a few characters."""
    for position, snippet in edits:
        at = position % (len(text) + 1)
        text = text[:at] + snippet + text[at + len(snippet) // 2:]
    return text


EDITS = st.lists(st.tuples(st.integers(0, 10**6),
                           st.sampled_from(["&a ", "*a", "!!int ", "[", "]", "{", "}", ":", "- ",
                                            "\n  ", "\t", "<", ">", "(", "|", "'", '"', "#", "~",
                                            "\n- x\n", "¹²", "\x85"])),
                 max_size=6)

# ---- config ----------------------------------------------------------------------------

CONFIG_KEYS = {
    "break": ["default_minutes", "min_minutes", "max_minutes", "extend_minutes", "cap_minutes",
              "heads_up_minutes", "heads_up_min_break_minutes", "mid_break_nudge",
              "offer_breathing", "reprompt_every_minutes", "reprompt_times", "nope"],
    "breathing": ["minutes", "pattern"],
    "checkin": ["deck", "turn_prompts", "switch_after_seconds"],
    "speech": ["voice", "rate_wpm", "timeout_seconds"],
    "listen": ["recognizer", "trailing_silence_seconds", "max_utterance_seconds",
               "echo_tail_seconds", "input_device"],
    "brake": ["x"],
}

TOML_VALUES = st.one_of(
    st.integers(-10, 200).map(str),
    st.integers(min_value=-(2**63), max_value=2**63 - 1).map(str),
    st.sampled_from(["1" * 5000, "1e14", "nan", "inf", "-inf", "0", "0.0", "-0.0", "1_000", "0x10", "true",
                     '"twenty"', '"paced"', '"box"', '"daily"', '"nope"', "[]", "[1, [2]]",
                     "{a = 1}", "1979-05-27T07:32:00Z", '"\\u00e9"', "''"]),
    st.floats(allow_nan=True, allow_infinity=True).map(lambda f: repr(f) if math.isfinite(f) else "nan"),
)


@st.composite
def toml_text(draw: st.DrawFn) -> str:
    lines = []
    for section in draw(st.lists(st.sampled_from(sorted(CONFIG_KEYS)), max_size=4, unique=True)):
        lines.append(f"[{section}]")
        for key in draw(st.lists(st.sampled_from(CONFIG_KEYS[section]), max_size=5, unique=True)):
            lines.append(f"{key} = {draw(TOML_VALUES)}")
    text = "\n".join(lines) + "\n"
    return mutate(text, draw(st.lists(st.tuples(st.integers(0, 10**6),
                                                st.sampled_from(["[", "=", "\n", '"', "[[a]]", "\xff"])),
                                      max_size=2)))


# ---- state -----------------------------------------------------------------------------

def _times() -> st.SearchStrategy[Any]:
    offsets = st.integers(min_value=-(10**6), max_value=10**6).map(lambda m: T0 + timedelta(minutes=m))
    return st.one_of(
        offsets.map(lambda t: t.isoformat()),
        st.sampled_from(["9999-12-31T23:59:59+00:00", "0001-01-01T00:00:00+14:00",
                         "2025-01-06T20:00:00", "soon", "", "2025-13-45T99:00:00+00:00",
                         "2025-01-06T20:00:00+23:59"]),
        JSON_SCALARS,
    )


JSON_ANY = st.recursive(JSON_SCALARS, lambda inner: st.one_of(
    st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=8), inner, max_size=3)), max_leaves=8)

BREAK_FIELDS = ["started_at", "ends_at", "nudge_at", "heads_up_at", "next_prompt_at",
                "returning", "reprompts_given"]
STATE_FIELDS = ["version", "state", "break", "checkin", "rotation", "last_break_over",
                "breaks_resumed", "checkins_started", "later_speaks_first", "later_answers_first",
                "muted", "break_times"]


@st.composite
def state_data(draw: st.DrawFn, snapshot: dict[str, Any]) -> Any:
    """A real snapshot with some fields replaced by odd values (or something else entirely)."""
    data = json.loads(json.dumps(snapshot))
    if isinstance(data.get("break"), dict):
        for key in draw(st.lists(st.sampled_from(BREAK_FIELDS), max_size=4, unique=True)):
            data["break"][key] = draw(st.one_of(_times(), JSON_ANY))
    for key in draw(st.lists(st.sampled_from(STATE_FIELDS), max_size=2, unique=True)):
        data[key] = draw(st.one_of(_times(), JSON_ANY))
    return draw(st.one_of(st.just(data), st.just(data), JSON_ANY))
