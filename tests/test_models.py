"""The records the store hands out: a catalogue's texts in each language, and the ids of own motives."""

from __future__ import annotations

import pytest

from motives.catalogue import default_catalogue
from motives.models import Catalogue, own_motive_id, own_number

SEED = default_catalogue()


def test_a_catalogue_speaks_each_language_it_has():
    assert [SEED.title_in(language) for language in ("nl", "en", "fr")] == [
        "Motieven om wel of geen sociale mediabeleid uit te werken",
        SEED.title["en"],
        SEED.title["fr"],
    ]
    assert SEED.title["en"] != SEED.title["nl"] != SEED.title["fr"]
    assert SEED.instruction_in("fr") == SEED.instruction["fr"] != SEED.instruction["nl"]
    assert SEED.heading("for", "en") == SEED.headings["for"]["en"] != SEED.headings["for"]["nl"]
    assert SEED.source_in("en")["credits"] == SEED.source["credits"]["en"] != SEED.source["credits"]["nl"]


def test_a_text_missing_in_a_language_falls_back_to_another_and_else_is_empty():
    only_dutch = Catalogue(
        id="klein", title={"nl": "Klein"}, instruction={}, headings={"for": {"en": "For"}}, source={}, motives=()
    )
    assert only_dutch.title_in("fr") == "Klein"
    assert only_dutch.heading("for", "nl") == "For"
    assert (only_dutch.instruction_in("en"), only_dutch.heading("against", "nl")) == ("", "")


def test_an_unknown_motive_is_named_in_the_error():
    with pytest.raises(KeyError) as missing:
        SEED.motive("for-nothing")
    assert missing.value.args == ("for-nothing",)


def test_an_own_motives_id_reads_back_and_nothing_else_does():
    assert own_number(own_motive_id(12)) == 12
    with pytest.raises(ValueError, match=r"^not the id of an own motive: 'for-prevention'$"):
        own_number("for-prevention")
