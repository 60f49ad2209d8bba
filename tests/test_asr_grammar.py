"""The grammar is generated from hassil templates and compiled to a minimal automaton."""

from __future__ import annotations

from hassil import Intents

from skill.asr.automaton import compile_grammar
from skill.asr.grammar import grammar_from_intents, to_jsgf

YAML_LIKE = {
    "language": "en",
    "intents": {
        "break.start": {"data": [{"sentences": [
            "(we|i) need a [{minutes} minute[s]] <break>",
            "time out",
        ]}]},
        "stop": {"data": [{"sentences": ["stop [it|that]", "zorblax now"]}]},
    },
    "lists": {"minutes": {"range": {"from": 1, "to": 30}}},
    "expansion_rules": {"break": "(break|pause)"},
}


def _automaton(known: set[str] | None = None) -> tuple[object, object]:
    intents = Intents.from_dict(YAML_LIKE)
    grammar = grammar_from_intents(intents, (lambda w: w in known) if known else (lambda w: True),
                                   skip_words=["please"])
    return grammar, compile_grammar(grammar.root)


def test_accepts_exactly_the_template_sentences() -> None:
    _, a = _automaton()
    for said in ["we need a break", "i need a twenty five minute pause", "we need a one minute break",
                 "please stop that", "time out please", "stop"]:
        assert a.accepts(said.split()), said  # type: ignore[attr-defined]
    for said in ["we need a", "need a break", "stop stop", "we need a thirty one minute break"]:
        assert not a.accepts(said.split()), said  # type: ignore[attr-defined]


def test_glued_optional_makes_one_word() -> None:
    _, a = _automaton()
    assert a.accepts("we need a five minutes break".split())  # type: ignore[attr-defined]
    assert not a.accepts("we need a five minute s break".split())  # type: ignore[attr-defined]


def test_unknown_words_drop_their_branch_and_compounds_are_joined() -> None:
    known = {"we", "i", "need", "a", "break", "pause", "time", "out", "stop", "it", "that", "now",
             "minute", "minutes", "please", "one", "two", "three", "four", "five", "six", "seven",
             "eight", "nine", "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen",
             "seventeen", "eighteen", "nineteen", "twenty", "thirty"}
    grammar, a = _automaton(known - {"time"} | {"time", "out"})
    assert "zorblax" in grammar.unknown  # type: ignore[attr-defined]
    assert not a.accepts(["zorblax", "now"])  # type: ignore[attr-defined]
    assert a.accepts(["stop"])  # type: ignore[attr-defined]
    assert "public <command>" in to_jsgf(grammar)  # type: ignore[arg-type]


def test_shipped_templates_compile_small() -> None:
    from skill.nlu.templates import load_intent_set

    intent_set = load_intent_set()
    grammar = grammar_from_intents(intent_set.intents, skip_words=intent_set.intents.skip_words)
    a = compile_grammar(grammar.root)
    assert a.n_states < 5000
    assert a.accepts("we need a twenty minute break".split())
    assert a.accepts("okay stop".split())


def _sentences(*texts: str):  # type: ignore[no-untyped-def]
    from skill.asr.grammar import Alt, Seq

    return compile_grammar(Alt(tuple(Seq(tuple(t.split())) for t in texts)))


def test_containing_keeps_only_the_sentences_with_one_of_the_words() -> None:
    calls = _sentences("call nine one one", "please call the police", "we need the police", "help me",
                       "phone the police").containing({"call", "phone"})
    for said in ["call nine one one", "please call the police", "phone the police"]:
        assert calls.accepts(said.split()), said
    for said in ["we need the police", "help me", "call", "the police"]:
        assert not calls.accepts(said.split()), said
    # No state is kept that leads to no sentence: "we need the police" leaves nothing behind.
    assert all(word not in {"we", "need", "help", "me"} for _, _, word in calls.arcs)
    assert not _sentences("help me").containing({"call"}).finals


def test_union_accepts_the_sentences_of_either_and_stays_minimal() -> None:
    one = _sentences("how long is left", "time left")
    other = _sentences("call the police", "time out")
    both = one.union(other)
    for said in ["how long is left", "time left", "call the police", "time out"]:
        assert both.accepts(said.split()), said
    for said in ["time", "how long is out", "call the left"]:
        assert not both.accepts(said.split()), said
    assert both == _sentences("how long is left", "time left", "call the police", "time out")


def test_after_the_escape_words_talk_may_leave_the_commands_but_cannot_say_the_rest_of_one() -> None:
    from skill.asr.sphinx import _transitions, escape_states

    commands = _sentences("we need a break", "we need to pause", "um we need to pause", "time out")
    states = escape_states(commands, ["we need to"], ["um", "hey haven"])
    assert len(states) == 1  # "we need to" and "um we need to" lead to the same state
    (escape,) = states
    assert commands.next_words(escape) == {"pause"}
    fillers = ["talk~", "pause~", "break~", "the~"]
    start, final, arcs = _transitions(commands, fillers, 1e-20, 0.1, escapes=states)
    left = {(a[1], a[3]) for a in arcs if a[0] == escape and len(a) == 4 and a[3].endswith("~")}
    escaped = {dst for dst, _ in left}
    assert len(escaped) == 1 and {word for _, word in left} == {"talk~", "break~", "the~"}
    (loop,) = escaped
    # Its loop holds no command word, and ends where the commands do.
    assert {a[3] for a in arcs if a[0] == loop and a[1] == loop} == {"talk~", "the~"}
    assert (loop, final, 1.0) in arcs
    # Without escapes, nothing leaves the commands part way.
    _, _, plain = _transitions(commands, fillers, 1e-20, 0.1)
    assert not [a for a in plain if a[0] == escape and len(a) == 4 and a[3].endswith("~")]
