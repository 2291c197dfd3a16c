"""Own motives written differently by different teams end up as one row; the trainer can merge and split."""

from __future__ import annotations

import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

from motives import tally
from motives.catalogue import default_catalogue
from motives.errors import InvalidInput
from motives.grouping import OwnText, group_keys, merge_plan, normalise, similar, split_plan


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
    with pytest.raises(InvalidInput):
        merge_plan(keys, "for-prevention", "for-support-staff", catalogue)
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
    with pytest.raises(InvalidInput):
        store.link_own_motives(other, [1], "g-x")
    with pytest.raises(InvalidInput):
        store.link_own_motives(session, [1], "no-such-motive")


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
