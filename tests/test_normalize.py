"""Skip words (fillers) leave what is matched, whole words only, longest first."""

from skill.nlu.normalize import normalize

SKIPS = ("um", "you know", "know", "like")


def test_repeated_fillers_go() -> None:
    assert normalize("Um, um um we need a break", SKIPS) == "we need a break"


def test_a_phrase_goes_before_its_own_words() -> None:
    assert normalize("you know we need you know a break", SKIPS) == "we need a break"


def test_only_whole_words_and_whole_phrases_go() -> None:
    assert normalize("I know you likely mean it", SKIPS) == "i you likely mean it"
    assert normalize("umbrella unlike", SKIPS) == "umbrella unlike"


def test_text_without_a_skip_word_is_left_as_it_is() -> None:
    assert normalize("We need a break.", SKIPS) == "we need a break"
    assert normalize("we need a break", ()) == "we need a break"
