"""How texts are compared, at the edges of each rule: the ids made from a text, and the word rule's limits.

The tables of real motives are in test_grouping.py; here each number in motives/text.py
(SMALL_WORD, WORD_PERCENT, the four-letter prefix, six words to an id) has a pair on
either side of it, so that a change of any of them fails a test (``make mutate``).
"""

from __future__ import annotations

import pytest

from motives.text import _close_enough, _same_words, _twins, similar, slug


def test_an_id_is_the_first_six_words_without_accents_or_punctuation():
    assert slug("Privé-foto's van onze cliënten op Facebook en Instagram") == "prive-foto-s-van-onze-clienten"
    assert slug("Een twee drie vier vijf zes zeven", words=3) == "een-twee-drie"
    assert slug("foto_beleid 2025") == "foto-beleid-2025"  # an underscore is a word character to normalise


def test_a_text_without_letters_or_digits_gets_a_plain_id():
    assert slug("!!! ???") == "motive"
    assert slug("") == "motive"


@pytest.mark.parametrize(
    ("a", "b", "twins"),
    [
        ("foto", "fotootjes", True),  # four letters and the start of the other word: the same word
        ("cat", "catalogus", False),  # three letters are too few to count as a start
        ("bank", "band", True),  # three of four letters in common: 75 %, just on the line
        ("bank", "bond", False),  # 50 %
    ],
)
def test_two_words_are_one_word_written_otherwise_from_four_letters_or_three_quarters_alike(a, b, twins):
    assert _twins(a, b) is twins


def test_words_of_up_to_three_letters_are_no_content():
    # 'een' against 'die': small words, left to the character score.
    assert _same_words("we hebben een plan", "we hebben die plan") is True
    # A three-letter word against a longer one, either way round: only one side has a content word.
    assert _same_words("het gaat per team", "het gaat over team") is True
    assert _same_words("het gaat over team", "het gaat per team") is True
    # 'twee' against 'drie': a content word put in place of another, another motive.
    assert _same_words("we hebben twee plannen", "we hebben drie plannen") is False


def test_words_teams_frame_a_motive_with_are_no_content():
    # 'willen' against 'moeten': both frame the motive.
    assert _same_words("wij willen beleid", "wij moeten beleid") is True
    # A framing word against a content word, either way round: one side has no content word to differ.
    assert _same_words("wij willen beleid", "wij hebben beleid") is True
    assert _same_words("wij hebben beleid", "wij willen beleid") is True


def test_the_character_threshold_includes_its_edge():
    # 15 edits in 100 characters is exactly 85 % alike: similar; 16 is not.
    assert _close_enough(15, 100) is True
    assert _close_enough(16, 100) is False
    assert _close_enough(3, 20) is True


def test_a_negation_on_one_side_only_makes_another_motive():
    assert _same_words("we willen beleid", "we willen geen beleid") is False
    assert _same_words("we willen geen beleid", "we willen geen beleid") is True


def test_an_empty_text_is_similar_only_to_an_empty_text():
    assert similar("", "") is True
    assert similar("", "beleid") is False
    assert similar("beleid", "") is False
