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


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        # 'een' against 'die': words of up to three letters are no content, left to the character score
        ("we hebben een plan", "we hebben die plan", True),
        # a three-letter word against a longer one, either way round: only one side has a content word
        ("het gaat per team", "het gaat over team", True),
        ("het gaat over team", "het gaat per team", True),
        # 'twee' against 'drie': a content word put in place of another, another motive
        ("we hebben twee plannen", "we hebben drie plannen", False),
        # 'willen' against 'moeten': words teams frame a motive with are no content
        ("wij willen beleid", "wij moeten beleid", True),
        # a framing word against a content word, either way round: one side has no content word to differ
        ("wij willen beleid", "wij hebben beleid", True),
        ("wij hebben beleid", "wij willen beleid", True),
        # a negation on one side only makes another motive; on both sides it is the same motive
        ("we willen beleid", "we willen geen beleid", False),
        ("we willen geen beleid", "we willen geen beleid", True),
    ],
)
def test_the_word_rule_at_its_edges(a, b, same):
    assert _same_words(a, b) is same


def test_the_character_threshold_includes_its_edge():
    # 15 edits in 100 characters is exactly 85 % alike: similar; 16 is not.
    assert _close_enough(15, 100) is True
    assert _close_enough(16, 100) is False
    assert _close_enough(3, 20) is True


def test_an_empty_text_is_similar_only_to_an_empty_text():
    assert similar("", "") is True
    assert similar("", "beleid") is False
    assert similar("beleid", "") is False
