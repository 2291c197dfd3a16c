"""The default catalogue is the worksheet; a trainer's own catalogue file is checked entry by entry."""

from __future__ import annotations

from pathlib import Path

import pytest

from motives.catalogue import (
    DEFAULT_CATALOGUE,
    CatalogueReader,
    default_catalogue,
    load_catalogue,
    motive_place,
    read_headings,
    read_motive,
    read_motives,
    read_source,
    read_texts,
)
from motives.errors import CatalogueError
from motives.models import Motive

DATA = Path(__file__).parent / "data"


def seed_motives() -> tuple[list[str], list[str]]:
    """The two columns of the worksheet as printed in the seed, blanks ('...') left out."""
    against, for_ = [], []
    for line in (DATA / "worksheet-seed.txt").read_text(encoding="utf-8").splitlines():
        if "\t" not in line or line.startswith("Motieven om geen"):
            continue
        left, right = line.split("\t")
        if left != "...":
            against.append(left)
        if right != "...":
            for_.append(right)
    return against, for_


def test_default_catalogue_holds_the_seeds_motives_once_each():
    against, for_ = seed_motives()
    assert len(for_) == 7  # the seed prints one 'for' motive twice
    catalogue = default_catalogue()
    assert [m.texts["nl"] for m in catalogue.side("against")] == against
    assert [m.texts["nl"] for m in catalogue.side("for")] == list(dict.fromkeys(for_))
    assert (len(catalogue.side("against")), len(catalogue.side("for"))) == (4, 6)


def test_every_motive_has_a_stable_id_and_an_english_translation():
    catalogue = default_catalogue()
    assert len(catalogue.ids) == 10
    for motive in catalogue.motives:
        assert motive.id.startswith(motive.side)
        assert motive.texts["en"] and motive.texts["en"] != motive.texts["nl"]


def test_headings_and_source_travel_with_the_catalogue():
    catalogue = default_catalogue()
    assert catalogue.heading("against", "nl") == "Motieven om geen sociale mediabeleid in de organisatie te formuleren"
    assert catalogue.heading("for", "nl") == "Motieven om wel een sociale mediabeleid voor de organisatie te formuleren"
    source = catalogue.source_in("nl")
    assert source["author"] == "Philippe Bocklandt"
    assert source["date"] == "Oktober 2015"
    assert "Sociaal werk netwerkt online" in source["publication"]
    assert "Cera" in source["credits"] and "Arteveldehogeschool" in source["credits"]
    assert source["reference"].startswith("Mee geïnspireerd door: Gulden, M. en Van der Wurff, J. (2015)")
    assert "Cera" in catalogue.source_in("en")["credits"]


def test_a_frozen_copy_reads_back_as_the_same_catalogue():
    from motives.catalogue import catalogue_from_dict

    catalogue = default_catalogue()
    assert catalogue_from_dict(catalogue.to_dict()) == catalogue


def test_a_trainers_own_catalogue_file_is_read(tmp_path):
    path = tmp_path / "eigen.toml"
    text = DEFAULT_CATALOGUE.read_text(encoding="utf-8")
    path.write_text(
        text + '\n[[motive]]\nid = "for-own-1"\nside = "for"\nnl = "Onze cliënten vragen erom."\n', encoding="utf-8"
    )
    catalogue = load_catalogue(path)
    assert catalogue.motive("for-own-1").text("en") == "Onze cliënten vragen erom."  # falls back to Dutch
    assert len(catalogue.side("for")) == 7


# The smallest catalogue head: an id, a title and the two headings; tests add the motives.
MINIMAL = (DATA / "minimal-catalogue.toml").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("entries", "expected"),
    [
        (
            '[[motive]]\nid = "a"\nside = "maybe"\nnl = "x"\n',
            "motive 1 ('a'): side must be 'against' or 'for', not 'maybe'",
        ),
        ('[[motive]]\nside = "for"\nnl = "x"\n', "motive 1: needs an id"),
        (
            '[[motive]]\nid = "a"\nside = "for"\nnl = "x"\n[[motive]]\nid = "a"\nside = "for"\nnl = "y"\n',
            "motive 2 ('a'): this id is used twice",
        ),
        ('[[motive]]\nid = "a"\nside = "for"\nnl = "   "\n', "motive 1 ('a'): needs a text in nl, en or fr"),
        ('[[motive]]\nid = "a"\nside = "for"\nnl = "x"\nde = "y"\n', "motive 1 ('a'): unknown field 'de'"),
        (
            '[[motive]]\nid = "a"\nside = "for"\nnl = "Zelfde"\n[[motive]]\nid = "b"\nside = "against"\nnl = "zelfde"\n',
            "motive 2 ('b'): repeats the nl text of motive 'a'",
        ),
        ("", "motive: the worksheet lists no motives"),
    ],
)
def test_a_malformed_catalogue_is_refused_naming_file_entry_and_problem(tmp_path, entries, expected):
    path = tmp_path / "broken.toml"
    path.write_text(MINIMAL + entries, encoding="utf-8")
    with pytest.raises(CatalogueError) as caught:
        load_catalogue(path)
    assert str(caught.value).startswith(f"{path}: {expected}")


def test_a_file_that_is_not_toml_or_not_there_is_refused(tmp_path):
    path = tmp_path / "nope.toml"
    with pytest.raises(CatalogueError, match="no such worksheet file"):
        load_catalogue(path)
    path.write_text("id = [unclosed", encoding="utf-8")
    with pytest.raises(CatalogueError, match=r"nope.toml: not valid TOML"):
        load_catalogue(path)


# --- the reader's parts, one by one ------------------------------------------------------


def refusal(read, *args, **kwargs) -> str:
    """The sentence a part of the reader refuses its value with."""
    with pytest.raises(CatalogueError) as caught:
        read(*args, **kwargs)
    return str(caught.value)


def test_texts_are_per_language_a_bare_string_is_dutch_and_an_empty_one_is_left_out():
    file = CatalogueReader(origin="mini.toml", limits=True)
    assert read_texts(file, "Tegen  de\nstroom", "title") == {"nl": "Tegen de stroom"}
    assert read_texts(file, {"nl": "Voor", "en": "  ", "fr": "Pour"}, "title") == {"nl": "Voor", "fr": "Pour"}
    assert read_texts(file, None, "instruction") == {}
    assert refusal(read_texts, file, {"nl": " "}, "title", required=True) == (
        "mini.toml: title: needs a text in nl, en or fr"
    )
    assert refusal(read_texts, file, {"nl": "x", "de": "y"}, "title") == (
        "mini.toml: title: unknown language 'de' (use nl, en or fr)"
    )
    assert refusal(read_texts, file, {"en": 7}, "title") == "mini.toml: title: the en text must be a string"


def test_only_a_file_people_bring_is_held_to_the_limits():
    brought, frozen = CatalogueReader(origin="mini.toml", limits=True), CatalogueReader(origin="session ABC234")
    assert refusal(read_texts, brought, "x" * 201, "title") == (
        "mini.toml: title: the nl text is too long: 201 characters, at most 200"
    )
    assert read_texts(frozen, "x" * 201, "title") == {"nl": "x" * 201}


def test_a_motive_is_named_by_its_number_and_its_id_once_it_has_one():
    assert str(motive_place(3, {"id": "for-a", "side": "for"})) == "motive 3 ('for-a')"
    assert str(motive_place(3, {"side": "for"})) == "motive 3"
    assert str(motive_place(3, "not a table")) == "motive 3"


def test_a_motive_entry_is_an_id_not_taken_a_side_and_its_texts():
    file = CatalogueReader(origin="mini.toml")
    entry = {"id": "for-a", "side": "for", "nl": " Onze cliënten vragen erom. ", "en": ""}
    assert read_motive(file, entry, "motive 1") == Motive("for-a", "for", {"nl": "Onze cliënten vragen erom."})
    assert (
        refusal(read_motive, file, entry, "motive 2", taken={"for-a"}) == "mini.toml: motive 2: this id is used twice"
    )
    assert refusal(read_motive, file, {**entry, "side": "up"}, "motive 1") == (
        "mini.toml: motive 1: side must be 'against' or 'for', not 'up'"
    )
    assert refusal(read_motive, file, ["for-a"], "motive 1") == "mini.toml: motive 1: expected a [[motive]] table"


def test_two_motives_may_not_share_a_text_in_one_language_whatever_its_case():
    file = CatalogueReader(origin="mini.toml")
    first = {"id": "for-a", "side": "for", "nl": "Zelfde", "en": "Same"}
    assert read_motives(file, [first, {"id": "against-b", "side": "against", "nl": "Ander", "en": "Zelfde"}]) == (
        Motive("for-a", "for", {"nl": "Zelfde", "en": "Same"}),
        Motive("against-b", "against", {"nl": "Ander", "en": "Zelfde"}),
    )
    assert refusal(read_motives, file, [first, {"id": "against-b", "side": "against", "nl": "ZELFDE"}]) == (
        "mini.toml: motive 2 ('against-b'): repeats the nl text of motive 'for-a'"
    )


def test_headings_and_source_read_each_field_in_its_place():
    file = CatalogueReader(origin="mini.toml")
    assert read_headings(file, {"against": "Tegen", "for": {"en": "For"}}) == {
        "against": {"nl": "Tegen"},
        "for": {"en": "For"},
    }
    assert refusal(read_headings, file, {"against": "Tegen"}) == (
        'mini.toml: heading.for: expected texts per language, such as nl = "…" and en = "…"'
    )
    assert read_source(file, {"author": " Ik ", "credits": {"nl": "Cera"}}) == {
        "author": "Ik",
        "credits": {"nl": "Cera"},
    }
    assert refusal(read_source, file, {"author": 3}) == "mini.toml: source.author: must be text"
    assert refusal(read_source, file, {"isbn": "1"}) == (
        "mini.toml: source.isbn: unknown field (known: author, date, publication, credits, reference, website, adaptation)"
    )
