"""Commands between pauses (skill.asr.pieces): where the first pass's path is cut, which stretches
are heard again, and which verdict is taken, on hand-written paths in milliseconds."""

from __future__ import annotations

from dataclasses import replace

from skill.asr.decoder import Decoded
from skill.asr.pieces import Pieces, Span, between_pauses, pauses, spans, stands_alone
from skill.asr.second_look import Segment
from skill.asr.verdict import Outcome, Verdict

SETTINGS = Pieces(min_pause_s=0.12, min_s=0.3, max_s=4.0, max_pauses=3, min_gain=-4.5, max_deficit=28.0,
                  window_pad_s=0.05)


def decoded(*segs: tuple[str, int, int]) -> Decoded:
    path = tuple(Segment(w, a, b, -10.0 * (b - a + 1)) for w, a, b in segs)
    return Decoded(tuple(s.word for s in path if s.word != "<sil>"), path, path[-1].end + 1)


# "Enough. We need a break. I mean it." as the loop hears it: pauses after "enough" and "break".
LED_IN = decoded(("<sil>", 0, 49), ("enough~", 50, 90), ("<sil>", 91, 120), ("we~", 121, 135),
                 ("need~", 136, 160), ("a~", 161, 170), ("break~", 171, 210), ("<sil>", 211, 240),
                 ("i~", 241, 250), ("mean~", 251, 270), ("it~", 271, 290), ("<sil>", 291, 349))


def test_the_cuts_are_the_middles_of_the_long_silences_between_words() -> None:
    assert pauses(LED_IN.path, [], 100, SETTINGS) == [105, 225]


def test_silence_before_the_first_word_or_after_the_last_is_no_cut() -> None:
    path = decoded(("<sil>", 0, 99), ("stop~", 100, 130), ("<sil>", 131, 300)).path
    assert pauses(path, [], 100, SETTINGS) == []


def test_a_short_gap_between_words_is_no_pause() -> None:
    path = decoded(("we~", 0, 20), ("<sil>", 21, 30), ("need~", 31, 50)).path  # 100 ms
    assert pauses(path, [], 100, SETTINGS) == []


def test_only_the_longest_pauses_are_cut() -> None:
    segs: list[tuple[str, int, int]] = []
    at = 0
    for n, gap in enumerate((20, 40, 15, 30, 25)):
        segs += [(f"w{n}~", at, at + 29), ("<sil>", at + 30, at + 29 + gap)]
        at += 30 + gap
    segs.append(("last~", at, at + 29))
    cuts = pauses(decoded(*segs).path, [], 100, Pieces(min_pause_s=0.12, max_pauses=2))
    assert cuts == [99, 209]  # the middles of the 40- and 30-frame gaps, in time order


def test_stretches_are_every_run_between_cuts_but_the_whole_longest_first() -> None:
    found = spans([105, 225], 350, 100, SETTINGS)
    assert Span(0, 350) not in found
    assert set(found) == {Span(0, 105), Span(105, 225), Span(225, 350), Span(0, 225), Span(105, 350)}
    lengths = [s.end - s.start for s in found]
    assert lengths == sorted(lengths, reverse=True)


def test_stretches_too_short_or_too_long_for_a_command_are_not_heard() -> None:
    found = spans([20, 480], 500, 100, Pieces(min_s=0.3, max_s=4.0))  # 0.2, 4.6, 0.2, 4.8, 4.8 s
    assert found == []


def _phones(per_frame: float = -10.0) -> object:
    """A phone loop scoring ``per_frame`` over any stretch."""
    def phones(span: Span) -> Decoded:
        n = span.end - span.start
        return Decoded(("ah",), (Segment("ah", 0, n - 1, per_frame * n),), n)

    return phones


PHONES = _phones()


def _hearing(commands: dict[Span, str], per_frame: float = -10.0) -> tuple[list[Span], object]:
    """Stretches heard as ``commands`` (a path scoring ``per_frame``; the whole's loop scored
    -10 a frame), the rest as loop words."""
    asked: list[Span] = []

    def hear(span: Span) -> tuple[Verdict, Decoded]:
        asked.append(span)
        n = span.end - span.start
        path = Decoded(("w",), (Segment("w", 0, n - 1, per_frame * n),), n)
        if span in commands:
            return Verdict(Outcome.COMMAND, commands[span], "the grammar won over the loop", {"words": 4.0}), path
        return Verdict(Outcome.LOOP_WORDS, "i mean it", "the loop won"), path

    return asked, hear


def test_a_command_between_two_pauses_is_taken_with_where_it_was() -> None:
    asked, hear = _hearing({Span(105, 225): "we need a break"})
    verdict = between_pauses(LED_IN, [], 100, SETTINGS, hear, PHONES)  # type: ignore[arg-type]
    assert verdict is not None and verdict.outcome is Outcome.BETWEEN_PAUSES
    assert verdict.text == "we need a break"
    assert verdict.details["piece_start"] == 1.05 and verdict.details["piece_end"] == 2.25
    assert "between pauses (1.05-2.25 s)" in verdict.why and verdict.details["piece_gain"] == 0.0


def test_a_command_forced_onto_a_bit_of_talk_is_not_taken() -> None:
    # The stretch's command path explains its frames 6 a frame worse than the whole's loop did.
    asked, hear = _hearing({Span(105, 225): "we need a break"}, per_frame=-16.0)
    assert between_pauses(LED_IN, [], 100, Pieces(min_gain=-4.5), hear, PHONES) is None  # type: ignore[arg-type]
    asked, hear = _hearing({Span(105, 225): "we need a break"}, per_frame=-14.0)
    assert between_pauses(LED_IN, [], 100, Pieces(min_gain=-4.5), hear, PHONES) is not None  # type: ignore[arg-type]


def test_the_longest_stretch_that_is_a_command_wins() -> None:
    # "Enough. We need a break. I mean it." where both "enough" alone and "we need a break,
    # i mean it" were heard as commands: the longer is taken, and it is heard first.
    asked, hear = _hearing({Span(0, 105): "help", Span(105, 350): "we need a break please"})
    verdict = between_pauses(LED_IN, [], 100, SETTINGS, hear, PHONES)  # type: ignore[arg-type]
    assert verdict is not None and verdict.text == "we need a break please"
    assert asked == [Span(105, 350)]


def test_a_command_whose_words_score_far_below_a_phone_loop_is_not_taken() -> None:
    # The stretch's words score 30 a frame below what a free phone loop makes of the same frames:
    # sounds the command needs were not said ("i need some space" from "...need some sleep").
    asked, hear = _hearing({Span(105, 225): "i need some space"}, per_frame=-10.0)
    found = between_pauses(LED_IN, [], 100, SETTINGS, hear, _phones(20.0))  # type: ignore[arg-type]
    assert found is None
    found = between_pauses(LED_IN, [], 100, SETTINGS, hear, _phones(10.0))  # type: ignore[arg-type]
    assert found is not None and found.details["piece_deficit"] == 20.0


def _commands_alone(per_frame: dict[Span, float]) -> object:
    """The stretch decoded with the commands alone: a path scoring ``per_frame`` (default -30)."""
    def commands(span: Span) -> Decoded:
        n = span.end - span.start
        return Decoded(("w",), (Segment("w", 0, n - 1, per_frame.get(span, -30.0) * n),), n)

    return commands


def test_a_stretch_the_commands_alone_explain_far_worse_than_the_loop_is_not_heard_with_the_loop() -> None:
    # The whole's loop scored -10 a frame. The commands alone score -16.5 on "I mean it" (gain -6.5,
    # beyond -4.5 less the margin 1.5): not decoded again; -15.5 on "we need a break": heard.
    asked, hear = _hearing({Span(105, 225): "we need a break"}, per_frame=-12.0)
    alone = _commands_alone({Span(105, 225): -15.5, Span(225, 350): -16.5})
    settings = replace(SETTINGS, bound_margin=1.5)
    verdict = between_pauses(LED_IN, [], 100, settings, hear, PHONES, commands=alone)  # type: ignore[arg-type]
    assert verdict is not None and verdict.text == "we need a break"
    assert asked == [Span(105, 225)]  # the stretches before it in the order were not heard
    asked, hear = _hearing({Span(105, 225): "we need a break"}, per_frame=-12.0)
    assert between_pauses(LED_IN, [], 100, settings, hear, PHONES) is not None  # type: ignore[arg-type]
    assert len(asked) > 1  # without the commands-alone decode every stretch is heard


def test_one_word_is_too_short_to_take_out_of_talk() -> None:
    # "the next time you do that I'm leaving": a stretch heard as "uh next", its cuts breaths
    # shorter than a sentence's end (LED_IN's silences are 0.3 s)
    asked, hear = _hearing({Span(105, 225): "uh next"})
    breaths = replace(SETTINGS, lone_pause_s=0.35)
    assert between_pauses(LED_IN, [], 100, breaths, hear, PHONES, frozenset({"uh"})) is None  # type: ignore[arg-type]
    asked, hear = _hearing({Span(105, 225): "next question"})
    assert between_pauses(LED_IN, [], 100, SETTINGS, hear, PHONES, frozenset({"uh"})) is not None  # type: ignore[arg-type]


def test_a_check_in_step_said_alone_between_two_silences_is_taken_out_of_talk() -> None:
    # "... it's not about that. | Next. | I mean, it's fine." (argument_commands.py, a check-in)
    settings = replace(SETTINGS, lone_words=frozenset({"next"}), lone_pause_s=0.25)
    asked, hear = _hearing({Span(105, 225): "uh next"})
    verdict = between_pauses(LED_IN, [], 100, settings, hear, PHONES, frozenset({"uh"}))  # type: ignore[arg-type]
    assert verdict is not None and verdict.text == "uh next"
    # no other word alone, however clear its silences: "Stop. | Pause. |" is how people quarrel
    asked, hear = _hearing({Span(105, 225): "pause"})
    assert between_pauses(LED_IN, [], 100, settings, hear, PHONES, frozenset({"uh"})) is None  # type: ignore[arg-type]


def test_a_stretch_heard_as_a_sentence_only_whole_utterances_give_is_not_taken() -> None:
    # "You haven't seen it either. | What are you going to explain?" heard as "what are you able
    # to do" (help): asking what Haven can do is never cut out of a quarrel.
    from skill.asr.automaton import compile_grammar
    from skill.asr.grammar import Seq

    help_sentences = compile_grammar(Seq(("what", "are", "you", "able", "to", "do")))
    asked, hear = _hearing({Span(105, 225): "what are you able to do"})
    assert between_pauses(LED_IN, [], 100, SETTINGS, hear, PHONES, whole_only=help_sentences) is None  # type: ignore[arg-type]
    assert between_pauses(LED_IN, [], 100, SETTINGS, hear, PHONES) is not None  # type: ignore[arg-type]
    asked, hear = _hearing({Span(105, 225): "we need a break"})
    assert between_pauses(LED_IN, [], 100, SETTINGS, hear, PHONES, whole_only=help_sentences) is not None  # type: ignore[arg-type]


def test_stands_alone_needs_a_long_silence_or_the_utterance_edge_on_each_side() -> None:
    settings = replace(SETTINGS, lone_pause_s=0.25)
    assert stands_alone(LED_IN, Span(105, 225), 100, settings)  # 0.3 s either side
    assert stands_alone(LED_IN, Span(225, 350), 100, settings)  # the utterance's end
    assert not stands_alone(LED_IN, Span(105, 260), 100, settings)  # ends inside "mean"
    assert not stands_alone(LED_IN, Span(105, 225), 100, replace(settings, lone_pause_s=0.35))


def test_stretches_the_loop_wins_give_nothing() -> None:
    asked, hear = _hearing({})
    assert between_pauses(LED_IN, [], 100, SETTINGS, hear, PHONES) is None  # type: ignore[arg-type]
    assert len(asked) == 5


def test_an_utterance_without_a_pause_is_not_heard_again() -> None:
    asked, hear = _hearing({})
    whole = decoded(("<sil>", 0, 20), ("we~", 21, 40), ("need~", 41, 60), ("<sil>", 61, 90))
    assert between_pauses(whole, [], 100, SETTINGS, hear, PHONES) is None  # type: ignore[arg-type]
    assert asked == []


def test_a_short_breath_the_loop_swallowed_is_found_in_the_levels() -> None:
    # "what should we say | but ..." where the loop stretched "but" over a 0.25 s breath
    # (argument_commands.py's idle stream): the cleaned audio's levels show the breath.
    path = decoded(("what~", 0, 19), ("should~", 20, 38), ("we~", 39, 59), ("say~", 60, 97),
                   ("but~", 98, 173), ("it~", 174, 200)).path
    levels = [65.0] * 100 + [40.0] * 25 + [60.0] * 76
    levels[5] = 38.0  # a quiet frame alone is no pause
    assert pauses(path, levels, 100, Pieces(min_quiet_s=0.08, quiet_db=6.0)) == [112]


def test_quiet_runs_are_measured_from_the_quietest_tenth() -> None:
    from skill.asr.pieces import quiet_runs

    levels = [40.0] * 10 + [70.0] * 50 + [44.0] * 9 + [70.0] * 20 + [60.0] * 20  # tenth: 44
    assert quiet_runs(levels, margin_db=6.0, shortest=8) == [(0, 10), (60, 69)]
    assert quiet_runs(levels, margin_db=6.0, shortest=10) == [(0, 10)]
    assert quiet_runs([], margin_db=6.0, shortest=8) == []


# --- stretches the loop's words point at (``windows``) -------------------------------------------

from skill.asr.automaton import compile_grammar  # noqa: E402
from skill.asr.grammar import Alt, Seq  # noqa: E402
from skill.asr.pieces import windows  # noqa: E402

COMMANDS = compile_grammar(Alt((Seq(("skip", "that")), Seq(("how", "much", "longer", "do", "we", "have")),
                                Seq(("resume", "the", "check", "in")))))


def test_word_edits_to_the_nearest_sentence_for_each_prefix() -> None:
    assert COMMANDS.edits(["skip", "that"], most=1) == [1, 0]
    assert COMMANDS.edits(["resume", "the", "check", "him"], most=1) == [None, None, 1, 1]
    assert COMMANDS.edits(["how", "much", "do", "we", "have"], most=1) == [None, None, None, None, 1]
    assert COMMANDS.edits(["stop", "that"], most=0) == [None, None]


def _loop(*words: str, gap: int = 0) -> Decoded:
    """The loop's words, 20 frames each, with ``gap`` frames of silence before each."""
    segs: list[tuple[str, int, int]] = []
    at = 0
    for word in words:
        if gap:
            segs.append(("<sil>", at, at + gap - 1))
            at += gap
        segs.append((word if word == "(NULL)" else word + "~", at, at + 19))
        at += 20
    return decoded(*segs)


def test_a_run_of_loop_words_that_says_a_command_is_a_stretch_cut_at_its_words() -> None:
    # "Oh my god. Skip that." heard "all my got skip that" with no pause the cut could find.
    whole = _loop("all", "my", "got", "skip", "that", "(NULL)")  # the search's null arc ends it
    found = windows(whole.path, COMMANDS, frozenset(), whole.n_frames, 100, Pieces(window_pad_s=0.05))
    assert found == [Span(55, 105)]  # "skip that", 5 frames either side


def test_near_commands_are_heard_nearest_first_and_only_a_few() -> None:
    whole = _loop("all", "by", "got", "resume", "the", "check", "him", "skip", "that")
    settings = Pieces(window_pad_s=0.0, max_windows=1)
    assert windows(whole.path, COMMANDS, frozenset(), whole.n_frames, 100, settings) == [Span(140, 180)]
    settings = Pieces(window_pad_s=0.0, max_windows=3)
    found = windows(whole.path, COMMANDS, frozenset(), whole.n_frames, 100, settings)
    assert found[0] == Span(140, 180) and Span(60, 140) in found  # "resume the check him": one edit


def test_two_words_must_be_exact_and_skip_words_do_not_count() -> None:
    whole = _loop("um", "skip", "this", "that")
    assert windows(whole.path, COMMANDS, frozenset({"um"}), whole.n_frames, 100, Pieces()) == []


def test_a_command_path_a_check_refused_is_not_heard_again_by_its_words() -> None:
    refused = decoded(("skip", 0, 19), ("that", 20, 39))  # the grammar's words, no loop mark
    assert windows(refused.path, COMMANDS, frozenset(), refused.n_frames, 100, Pieces()) == []


def test_the_loop_words_stretch_is_heard_after_the_pauses_on_the_same_terms() -> None:
    whole = _loop("all", "my", "got", "skip", "that")
    asked, hear = _hearing({Span(55, 100): "skip that"})
    verdict = between_pauses(whole, [], 100, SETTINGS, hear, PHONES, frozenset(), COMMANDS)  # type: ignore[arg-type]
    assert verdict is not None and verdict.text == "skip that"
    assert "where the loop's words said it (0.55-1.00 s)" in verdict.why
    asked, hear = _hearing({Span(55, 100): "skip that"})
    assert between_pauses(whole, [], 100, SETTINGS, hear, _phones(20.0), frozenset(), COMMANDS) is None  # type: ignore[arg-type]


def test_two_words_inside_talk_or_after_a_negation_or_you_are_talk() -> None:
    # "Then what do you want me to do? I can't go back in time." (argument-dev, line 96)
    commands = compile_grammar(Alt((Seq(("go", "back")), Seq(("take", "a", "break")))))
    settings = Pieces(window_pad_s=0.0)
    inside = _loop("i", "think", "go", "back", "in", "time")
    assert windows(inside.path, commands, frozenset(), inside.n_frames, 100, settings) == []
    last = _loop("okay", "okay", "go", "back")
    assert windows(last.path, commands, frozenset(), last.n_frames, 100, settings) == [Span(40, 80)]
    negated = _loop("i", "can't", "go", "back")
    assert windows(negated.path, commands, frozenset(), negated.n_frames, 100, settings) == []
    ordered = _loop("i", "want", "you", "to", "take", "a", "break")
    assert windows(ordered.path, commands, frozenset(), ordered.n_frames, 100, settings) == []
    asked = _loop("okay", "take", "a", "break", "now", "please")
    assert windows(asked.path, commands, frozenset(), asked.n_frames, 100, settings)[0] == Span(20, 80)


def test_a_command_tied_to_what_follows_it_is_talk() -> None:
    # "Honestly, I need a break from your mother." (the generated test slice, clean) was heard
    # "on ask we i need a brake from you're my other" and started a break.
    commands = compile_grammar(Alt((Seq(("i", "need", "a", "break")),
                                    Seq(("we", "need", "to", "step", "away", "from", "this")))))
    settings = Pieces(window_pad_s=0.0)
    tied = _loop("on", "ask", "we", "i", "need", "a", "brake", "from", "you're", "my", "other")
    assert windows(tied.path, commands, frozenset(), tied.n_frames, 100, settings) == []
    trailed = _loop("on", "ask", "we", "i", "need", "a", "brake", "right", "now")
    assert windows(trailed.path, commands, frozenset(), trailed.n_frames, 100, settings)[0] == Span(60, 140)
    # A command's own "from" is no tie: the whole run is still a stretch.
    away = _loop("okay", "we", "need", "to", "step", "away", "from", "this", "okay")
    assert Span(20, 160) in windows(away.path, commands, frozenset(), away.n_frames, 100, settings)


def test_a_loop_word_that_sounds_like_a_command_word_counts_as_it() -> None:
    # "Oh my god. We're ready." (make_ledin's tune slice) was heard "phone my guide were ready":
    # "were" is "we're" said fast, and two words must match exactly.
    commands = compile_grammar(Alt((Seq(("we're", "ready")), Seq(("take", "a", "break")))))
    settings = Pieces(window_pad_s=0.0)
    whole = _loop("phone", "my", "guide", "were", "ready")
    assert windows(whole.path, commands, frozenset(), whole.n_frames, 100, settings) == []
    same = {"were": {"we're"}}
    assert windows(whole.path, commands, frozenset(), whole.n_frames, 100, settings, same) == [Span(60, 100)]
    # what turns a command into talk is read as the loop wrote it: "you're" sounds like "your"
    ordered = _loop("you're", "to", "take", "a", "break")
    assert windows(ordered.path, commands, frozenset(), ordered.n_frames, 100, settings,
                   {"you're": {"your"}}) == []


def test_a_word_the_loop_writes_for_a_command_word_counts_as_it_and_as_itself() -> None:
    # "Alright, alright. Let's breathe." was heard "are right or i've what's breathe": the loop
    # writes "what's" for "let's" (tuned.HEARD_AS). "what's" is a command word itself, so it
    # stays one too.
    commands = compile_grammar(Alt((Seq(("let's", "breathe")), Seq(("what's", "the", "crisis", "line")))))
    settings = Pieces(window_pad_s=0.0)
    alike = {"what's": {"let's"}}
    led_in = _loop("are", "right", "or", "i've", "what's", "breathe")
    assert windows(led_in.path, commands, frozenset(), led_in.n_frames, 100, settings) == []
    assert windows(led_in.path, commands, frozenset(), led_in.n_frames, 100, settings, alike) == [Span(80, 120)]
    asked = _loop("so", "what's", "the", "crisis", "line")
    found = windows(asked.path, commands, frozenset(), asked.n_frames, 100, settings, alike)
    assert found[0] == Span(20, 100)  # nearest first: "so" is one word put in
    # a word that may count as a skip word counts as one: no run starts on it
    assert windows(led_in.path, commands, frozenset({"let's"}), led_in.n_frames, 100, settings, alike) == []


def test_word_edits_read_a_word_as_one_alike_gives_it() -> None:
    assert COMMANDS.edits(["skip", "bat"], most=0) == [None, None]
    assert COMMANDS.edits(["skip", "bat"], most=0, alike={"bat": ["that"]}) == [None, 0]


def test_orders_to_the_partner_get_arcs_beside_the_commands_own_where_a_command_starts() -> None:
    from skill.asr.sphinx import turned_arcs

    commands = compile_grammar(Alt((Seq(("we", "need", "a", "break")), Seq(("uh", "we", "need", "a", "break")),
                                    Seq(("can", "we", "take", "a", "break")))))
    arcs = turned_arcs(commands, {"we": "you"}, ["uh"])
    start, after_uh = commands.start, commands.after(["uh"])
    assert (start, commands.after(["we"]), "you") in arcs  # "you need a break" beside "we need a break"
    assert (after_uh, commands.after(["uh", "we"]), "you") in arcs  # "uh you need a break"
    assert len(arcs) == 2  # none inside a sentence: "can we take a break" keeps its "we" alone
