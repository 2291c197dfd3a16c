"""Own motives written differently by different teams end up as one row; the trainer can merge and split."""

from __future__ import annotations

import hashlib
import random

import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

from motives import tally
from motives.catalogue import catalogue_from_dict, default_catalogue
from motives.errors import InvalidInput
from motives.grouping import Grouper, OwnText, group_keys, merge_plan, split_plan
from motives.models import group_id, is_group_id, own_motive_id, own_number
from motives.text import first_similar, normalise, similar


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("Te weinig tijd", "te  weinig TIJD!", True),
        ("Privé en werk vervagen", "prive en werk vervagen", True),
        ("prive\u0301", "privé", True),
        ("Beter voorkomen dan genezen.", "Beter voorkomen dan te genezen", True),
        ("Geen tijd", "Geen geld", False),
        ("Ouders vragen ernaar", "Cliënten klagen erover", False),
        ("", "iets", False),
    ],
)
def test_similar_texts_match_after_normalising(a, b, same):
    assert similar(normalise(a), normalise(b)) is same


# The pairs the threshold and the word rule were chosen on (see SIMILARITY_PERCENT in
# motives/text.py). Each says what teams really write; a change of threshold must keep
# every pair on its side of the line.
SAME_MOTIVE = [
    # capitals, spacing, punctuation, accents
    ("Te weinig tijd", "te  weinig TIJD!"),
    ("Privé en werk vervagen", "prive en werk vervagen"),
    ("Not enough time", "not enough time!!"),
    ("We need clear rules for WhatsApp groups", "We need clear rules for Whatsapp-groups."),
    # typos
    ("Ouders vragen ernaar", "Ouders vargen ernaar"),
    (
        "We willen duidelijke afspraken over foto's van cliënten",
        "we willen duidelijke afpsraken over fotos van clienten",
    ),
    ("Young people expect us to be online", "Young poeple expect us to be online"),
    ("Werk en privé lopen door elkaar", "Werk en prive lopen door mekaar"),
    # a small word added or dropped
    ("Beter voorkomen dan genezen.", "Beter voorkomen dan te genezen"),
    ("Het kost te veel tijd om een beleid te schrijven", "Het kost veel tijd om een beleid te schrijven"),
    ("Collega's weten niet wat mag", "Collega's weten niet goed wat mag"),
    ("Klachten van ouders komen via Facebook binnen", "Klachten van ouders komen nu via Facebook binnen"),
    (
        "We willen duidelijke afspraken over de foto's van de cliënten",
        "We willen duidelijke afspraken over foto's van cliënten",
    ),
    ("Snel reageren bij een crisis online", "Snel kunnen reageren bij een crisis online"),
    ("Protect the privacy of our clients", "Protect the privacy of clients"),
    # another way in: the words a team frames its motive with
    (
        "Ons team wil een draaiboek voor klachten die via sociale media binnenkomen",
        "Volgens ons moeten we een draaiboek voor klachten die via sociale media binnenkomen",
    ),
    ("We need clear rules for our volunteers", "We want clear rules for our volunteers"),
    # plural, tense
    ("De jongere verwacht dat we online bereikbaar zijn", "De jongeren verwachten dat we online bereikbaar zijn"),
    ("Ouders vragen ernaar", "Ouders vroegen ernaar"),
    ("Colleagues post photos of clients", "Colleagues post photo's of clients"),
    ("Parents complain on Facebook", "Parents complained on Facebook"),
]
OTHER_MOTIVE = [
    # one text says much more: only the characters keep these apart (no word of the short one is missing)
    ("Geen tijd", "Geen tijd om elke week alle berichten van jongeren en ouders op Facebook na te lezen"),
    # many shared words, another motive
    ("We willen geen beleid omdat het te veel tijd kost", "We willen beleid omdat het tijd bespaart"),
    ("We willen geen beleid over foto's van cliënten", "We willen beleid over foto's van cliënten"),
    ("Ouders willen weten wat we posten", "Ouders willen niet weten wat we posten"),
    ("We do not have time for a policy", "We do have time for a policy"),
    ("Het kost te veel tijd", "Het kost te veel geld"),
    (
        "We willen duidelijke afspraken over foto's van cliënten",
        "We willen duidelijke afspraken over foto's van collega's",
    ),
    ("Privacy van bewoners beschermen", "Privacy van bezoekers beschermen"),
    ("Onze jongeren zitten op TikTok", "Onze vrijwilligers zitten op TikTok"),
    ("Het beleid moet kort zijn", "Het beleid moet lang zijn"),
    ("Clients trust us more", "Clients trust us less"),
    ("Protect our volunteers from hate", "Protect our clients from hate"),
    # little in common
    ("Geen tijd", "Geen geld"),
    ("Ouders vragen ernaar", "Cliënten klagen erover"),
    ("Ouders vragen ernaar", "Ouders willen duidelijkheid"),
]


@pytest.mark.parametrize(("a", "b"), SAME_MOTIVE)
def test_texts_that_say_the_same_motive_are_grouped(a, b):
    assert similar(normalise(a), normalise(b))
    assert similar(normalise(b), normalise(a))
    keys = group_keys(default_catalogue(), [OwnText(1, "for", a), OwnText(2, "for", b)], {})
    assert keys[2] == keys[1]


@pytest.mark.parametrize(("a", "b"), OTHER_MOTIVE)
def test_other_motives_that_share_words_stay_apart(a, b):
    assert not similar(normalise(a), normalise(b))
    assert not similar(normalise(b), normalise(a))
    assert group_keys(default_catalogue(), [OwnText(1, "for", a), OwnText(2, "for", b)], {}) == {
        1: "own-1",
        2: "own-2",
    }


def test_normalise_drops_case_accents_punctuation_and_spacing():
    assert normalise("  Privé, WERK  en   ‘thuis’! ") == "prive werk en thuis"


def test_own_motives_group_with_each_other_and_with_the_catalogue():
    catalogue = default_catalogue()
    own = [
        OwnText(1, "for", "Te weinig tijd"),
        OwnText(2, "for", "te weinig tijd!"),
        OwnText(3, "against", "Te weinig tijd"),  # other side: never grouped with 'for'
        OwnText(4, "for", "beter voorkomen dan genezen"),  # the worksheet's own words
        OwnText(5, "for", "Something else entirely"),
    ]
    assert group_keys(catalogue, own, {}) == {
        1: "own-1",
        2: "own-1",
        3: "own-3",
        4: "for-prevention",
        5: "own-5",
    }


def test_the_trainers_links_win_over_automatic_matching():
    catalogue = default_catalogue()
    own = [OwnText(1, "for", "Te weinig tijd"), OwnText(2, "for", "te weinig tijd"), OwnText(3, "for", "Geen geld")]
    links = {2: "", 3: "g-money"}
    assert group_keys(catalogue, own, links) == {1: "own-1", 2: "own-2", 3: "g-money"}
    # a link to a catalogue motive of the other side does not fit and is ignored
    assert group_keys(catalogue, own, {3: "against-no-priority"})[3] == "own-3"
    # one of its own side fits, however different the texts
    assert group_keys(catalogue, own, {3: "for-prevention"})[3] == "for-prevention"


def test_a_catalogue_with_no_motives_on_one_side_leaves_that_sides_own_motives_to_each_other():
    catalogue = catalogue_from_dict(
        {
            "id": "one-sided",
            "title": {"nl": "Alleen voor"},
            "heading": {"against": {"nl": "Tegen"}, "for": {"nl": "Voor"}},
            "motive": [{"id": "for-time", "side": "for", "nl": "Te weinig tijd"}],
        }
    )
    own = [
        OwnText(1, "against", "Te weinig tijd"),
        OwnText(2, "against", "te weinig TIJD"),
        OwnText(3, "for", "te weinig tijd"),
    ]
    assert group_keys(catalogue, own, {}) == {1: "own-1", 2: "own-1", 3: "for-time"}


def test_past_sixty_four_heads_a_new_motive_still_finds_its_twin():
    # Up to 64 heads a new motive is compared one pair at a time; past that in one batch, which
    # needs every head's length, kept by the grouper beside the heads. Long and short heads take
    # turns, and the twin differs from its head in 8 of 60 letters: close enough against the true
    # length, too far against a neighbour's, so a length out of step loses the match.
    texts = [(hashlib.sha256(str(n).encode()).hexdigest() * 2)[: 60 if n % 2 else 24] for n in range(70)]
    own = [OwnText(n, "for", text) for n, text in enumerate(texts, start=1)]
    grouper = Grouper(default_catalogue())
    assert grouper.keys(own, {}) == {n: f"own-{n}" for n in range(1, 71)}
    letters = list(texts[67])
    for position in range(0, 56, 7):
        letters[position] = "z"
    twin = OwnText(71, "for", "".join(letters).upper())
    assert grouper.keys([*own, twin], {})[71] == "own-68"


@pytest.fixture
def three_teams(store, session):
    teams = [store.join(session, name) for name in ("Noord", "Zuid", "West")]
    store.add_own_motive(teams[0], "for", "Ouders vragen ernaar", 4)
    store.add_own_motive(teams[1], "for", "ouders  vragen ernaar!", 2)
    store.add_own_motive(teams[2], "for", "Ouders willen duidelijkheid", 5)
    store.set_answer(teams[2], "for-prevention", True, 3)
    store.add_own_motive(teams[2], "for", "Beter voorkomen dan genezen", 5)
    return teams


def own_rows(store, session):
    comparison = tally.comparison(tally.answers_frame(store.records(session)))
    return comparison[comparison.index.get_level_values("origin") == "own"]


def test_grouped_own_motives_are_one_row_counted_once_per_team(store, session, three_teams):
    comparison = tally.comparison(tally.answers_frame(store.records(session)))
    ouders = comparison.xs("Ouders vragen ernaar", level="text")
    assert ouders["team"].iloc[0].tolist() == [4, 2, pd.NA]
    assert ouders[("all", "teams")].iloc[0] == 2
    prevention = comparison.xs("for-prevention", level="group")
    # West ticked it (3) and wrote it again (5): one team, the higher importance
    assert prevention["team"].iloc[0].tolist() == [pd.NA, pd.NA, 5]
    assert prevention[("all", "teams")].iloc[0] == 1


def current_keys(store, session) -> dict[int, str]:
    answers = tally.answers_frame(store.records(session))
    own = answers[answers["origin"] == "own"]
    return {int(m[4:]): g for m, g in zip(own["motive_id"], own["group"], strict=True)}


def test_merge_and_split_plans():
    catalogue = default_catalogue()
    keys = {1: "own-1", 2: "own-1", 3: "own-3", 4: "for-prevention", 5: "g-7"}
    assert merge_plan(keys, "own-1", "own-3", catalogue) == ([1, 2, 3], "g-1")
    assert merge_plan(keys, "own-3", "for-prevention", catalogue) == ([3, 4], "for-prevention")
    assert merge_plan(keys, "own-1", "g-7", catalogue) == ([1, 2, 5], "g-7")
    assert merge_plan(keys, "own-1", "own-1", catalogue) == ([], "own-1")
    # the row merged into keeps its key when it is the catalogue's or the trainer's
    assert merge_plan(keys, "for-prevention", "own-3", catalogue) == ([3, 4], "for-prevention")
    assert merge_plan(keys, "g-7", "own-3", catalogue) == ([3, 5], "g-7")
    with pytest.raises(InvalidInput) as two_catalogue_motives:
        merge_plan(keys, "for-prevention", "for-support-staff", catalogue)
    assert two_catalogue_motives.value.key == "merge_catalogue"
    with pytest.raises(InvalidInput) as gone:  # both rows emptied by another tab meanwhile
        merge_plan(keys, "own-8", "own-9", catalogue)
    assert gone.value.key == "unknown_motive"
    assert split_plan(keys, "own-1") == [1, 2]


def test_the_trainer_merges_two_rows_and_splits_them_again(store, session, three_teams):
    ids, target = merge_plan(current_keys(store, session), "own-1", "own-3", session.catalogue)
    store.link_own_motives(session, ids, target)
    with pytest.raises(InvalidInput):  # only catalogue ids and the trainer's g- groups are targets
        store.link_own_motives(session, [1], "own-1; drop table")
    rows = own_rows(store, session)
    assert rows.index.get_level_values("text").tolist() == ["Ouders vragen ernaar"]
    assert rows[("all", "teams")].tolist() == [3]
    store.link_own_motives(session, split_plan(current_keys(store, session), "g-1"), "")
    rows = own_rows(store, session)
    assert rows.index.get_level_values("text").tolist() == [
        "Ouders vragen ernaar",
        "ouders vragen ernaar!",
        "Ouders willen duidelijkheid",
    ]


def test_links_are_refused_for_another_sessions_motives(store, catalogue, session, three_teams):
    other = store.create_session("Ander", catalogue)
    with pytest.raises(InvalidInput) as not_its_own:
        store.link_own_motives(other, [1], "g-x")
    with pytest.raises(InvalidInput) as no_such_target:
        store.link_own_motives(session, [1], "no-such-motive")
    assert (not_its_own.value.key, no_such_target.value.key) == ("unknown_motive", "unknown_motive")
    assert store.records(session).links == {} and store.records(other).links == {}


def test_the_group_travels_into_the_tidy_export(store, session, three_teams):
    answers = tally.answers_frame(store.records(session))
    own = answers[answers["origin"] == "own"][["team", "motive_id", "group"]].reset_index(drop=True)
    expected = pd.DataFrame(
        {
            "team": ["Noord", "Zuid", "West", "West"],
            "motive_id": ["own-1", "own-2", "own-3", "own-4"],
            "group": ["own-1", "own-1", "own-3", "for-prevention"],
        }
    )
    assert_frame_equal(own.sort_values("motive_id").reset_index(drop=True), expected)


# Texts that group with each other and with the catalogue, so that random edits move motives
# between groups (a pool of unrelated texts would leave every motive alone and test nothing).
POOL = [
    "Ouders vragen ernaar",
    "ouders vargen ernaar!",
    "Ouders vroegen ernaar",
    "Ouders willen duidelijkheid",
    "Beter voorkomen dan genezen",
    "beter voorkomen dan te genezen",
    "Te weinig tijd",
    "te weinig TIJD",
    "Geen tijd",
    "Geen geld",
    "We willen geen beleid over foto's van cliënten",
    "We willen beleid over foto's van cliënten",
    # the same in other words (motives/meaning.py), and near-misses, so that the walk joins groups by meaning too
    "Privacy van cliënten beschermen",
    "bescherming privacy clienten",
    "De privacy van onze bewoners moet beschermd worden",
    "Privacy van medewerkers beschermen",
    "We hebben geen tijd om een beleid uit te werken",
    "Imagoschade voorkomen",
    "Schade aan het imago van de organisatie voorkomen",
    "we willen beleid over fotos van clienten",
    "!!!",
]


def test_the_grouper_gives_what_a_full_grouping_gives_after_every_edit():
    catalogue = default_catalogue()
    rng = random.Random(12)
    grouper = Grouper(catalogue)
    own: dict[int, OwnText] = {}
    links: dict[int, str] = {}
    next_id = 1
    joined = 0
    for _step in range(600):
        action = rng.choice(["add", "add", "add", "edit", "remove", "link", "unlink", "tick"])
        if action == "add" or not own:
            # mostly a new id at the end, as the store gives; sometimes one before the end
            own_id = next_id if rng.random() < 0.8 or not own else rng.randint(1, next_id)
            next_id = max(next_id, own_id) + 1
            own[own_id] = OwnText(own_id, rng.choice(["for", "against"]), rng.choice(POOL))
        elif action == "edit":
            old = own[rng.choice(sorted(own))]
            own[old.id] = OwnText(old.id, old.side, rng.choice(POOL))
        elif action == "remove":
            own.pop(rng.choice(sorted(own)))
        elif action == "link":
            target = rng.choice(["", "g-1", "g-7", "for-prevention", "against-no-priority", "no-such-motive"])
            links[rng.choice(sorted(own))] = target
        elif action == "unlink" and links:
            links.pop(rng.choice(sorted(links)))
        expected = group_keys(catalogue, own.values(), links)
        assert grouper.keys(list(own.values()), links) == expected
        joined += sum(key != f"own-{own_id}" for own_id, key in expected.items())
    assert joined > 1000  # the walk really grouped motives together and with the catalogue


def test_the_grouper_compares_only_what_is_new():
    grouper = Grouper(default_catalogue())
    own = [OwnText(i, "for", text) for i, text in enumerate(POOL, start=1)]
    first = grouper.keys(own, {})
    assert grouper.compared == len(own)
    assert grouper.keys(own, {}) == first  # a tick elsewhere: nothing compared again
    assert grouper.compared == len(own)
    own.append(OwnText(99, "for", "Ouders vragen er naar"))
    assert grouper.keys(own, {})[99] == "own-1"
    assert grouper.compared == len(own)
    # an edit compares that motive and the ones after it, not the ones before
    own[-2] = OwnText(own[-2].id, "for", "Te weinig tijd")
    grouper.keys(own, {})
    assert grouper.compared == len(own) + 2


@pytest.mark.parametrize("size", [0, 1, 5, 64, 65, 300])
def test_the_first_similar_text_is_the_first_that_similar_accepts_in_short_and_long_lists(size):
    # Short lists are compared one pair at a time, long ones in one batch: both must give the first match.
    rng = random.Random(size)
    texts = [normalise(text) for text in POOL if normalise(text)]
    candidates = [normalise(f"{rng.choice(POOL)} {rng.choice(['', 'nu', 'ook'])}") for _ in range(size)]
    for text in texts:
        expected = next((i for i, candidate in enumerate(candidates) if similar(text, candidate)), None)
        assert first_similar(text, candidates) == expected


def test_an_own_motives_id_and_a_trainers_group_key_are_spelled_in_one_place():
    """models.py builds and reads 'own-N' and 'g-N'; grouping, the tally, the dashboard and the notebook call it."""
    assert [own_motive_id(n) for n in (1, 12)] == ["own-1", "own-12"]
    assert [own_number(own_motive_id(n)) for n in (1, 12, 340)] == [1, 12, 340]
    for other in ("for-prevention", "g-12", "12", "xown-1", "own-", "own-x"):
        with pytest.raises(ValueError):
            own_number(other)
    assert group_id(7) == "g-7"
    assert is_group_id("g-7") and is_group_id("g-money") and is_group_id(group_id(12345))
    for other in ("own-7", "for-prevention", "g-", "g-A", "xg-1", "g-1 ", "g-1\n", "g-" + "a" * 33):
        assert not is_group_id(other), other
    # The grouping's keys are these: a motive standing alone, and the trainer's merge of two own rows.
    catalogue = default_catalogue()
    keys = group_keys(catalogue, [OwnText(4, "for", "Iets heel eigens"), OwnText(9, "for", "Iets anders")], {})
    assert keys == {4: own_motive_id(4), 9: own_motive_id(9)}
    assert merge_plan(keys, own_motive_id(9), own_motive_id(4), catalogue) == ([4, 9], group_id(4))
