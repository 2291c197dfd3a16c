"""Which teams think alike: sessions whose answer is known, as the overview shows them in each language."""

from __future__ import annotations

import re

import pytest
from pages import board_for

from motives import tally
from motives.likeness import team_likeness

# Two ways of seeing it: one group weighs prevention and support, the other the lack of priority.
PREVENTION = {"for-prevention": 5, "for-support-staff": 4, "for-organisation-responsible": 3, "against-no-priority": 2}
PRIORITY = {
    "against-no-priority": 5,
    "against-professional-enough": 4,
    "against-staff-are-ambassadors": 3,
    "for-prevention": 1,
}
OTHER = {"for-public-communication": 5, "against-no-rules-for-other-channels": 4, "for-work-private-blur": 2}


def answered(store, session, teams: dict[str, dict[str, int]]):
    """A session where each team chose these motives with these importances, joined in this order."""
    for name, choices in teams.items():
        team = store.join(session, name)
        for motive, importance in choices.items():
            store.set_answer(team, motive, True, importance)
    return board_for(store, session)


def alike_view(board) -> str:
    board.tabs.selected_index = board.tabs.children.index(board.alike_tab)
    return board.alike_tab.view.value


def sentences(view: str) -> list[str]:
    said = re.search(r'<ul class="motives-alike-said">(.*?)</ul>', view).group(1)
    return [re.sub("<[^>]+>", "", item).replace("&#x27;", "'") for item in re.findall(r"<li>(.*?)</li>", said)]


@pytest.mark.parametrize(
    ("language", "said"),
    [
        (
            "nl",
            [
                "Noord en Zuid kozen grotendeels dezelfde motieven en wogen ze gelijk.",
                "Oost en West kozen grotendeels dezelfde motieven en wogen ze gelijk.",
            ],
        ),
        (
            "fr",
            [
                "Noord et Zuid ont choisi en grande partie les mêmes motifs et leur donnent le même poids.",
                "Oost et West ont choisi en grande partie les mêmes motifs et leur donnent le même poids.",
            ],
        ),
        (
            "en",
            [
                "Noord and Zuid chose mostly the same motives and weighed them alike.",
                "Oost and West chose mostly the same motives and weighed them alike.",
            ],
        ),
    ],
)
def test_two_pairs_of_identical_teams_are_two_groups(store, catalogue, language, said):
    session = store.create_session("Twee kampen", catalogue, language)
    board = answered(store, session, {"Noord": PREVENTION, "Oost": PRIORITY, "Zuid": PREVENTION, "West": PRIORITY})
    assert board.frames.likeness.groups == [["Noord", "Zuid"], ["Oost", "West"]]
    view = alike_view(board)
    assert sentences(view) == said
    # The matrix puts those alike next to each other, whatever order they joined in.
    assert re.findall(r'<th scope="row">\d+\. (\w+)</th>', view) == ["Noord", "Zuid", "Oost", "West"]


def test_what_every_group_chose_is_said_beside_the_groups(store, session):
    board = answered(store, session, {"Noord": PREVENTION, "Oost": PRIORITY, "Zuid": PREVENTION, "West": PRIORITY})
    across = re.search(r'<section class="motives-alike-across">.*?</section>', alike_view(board)).group()
    texts = re.findall(r"<li>(.*?) <small>", across)
    # Both groups chose these two, whatever the importance; each group's own motives are not shared by the other.
    assert len(texts) == 2
    prevention, priority = (catalogue_text(board, "for-prevention"), catalogue_text(board, "against-no-priority"))
    assert set(texts) == {prevention, priority}


def catalogue_text(board, motive_id: str) -> str:
    return next(m.text("nl") for m in board.session.catalogue.motives if m.id == motive_id)


def test_one_team_that_chose_otherwise_is_said_to_stand_alone(store, session):
    board = answered(store, session, {"Noord": PREVENTION, "Zuid": PREVENTION, "Oost": OTHER})
    assert sentences(alike_view(board)) == [
        "Noord en Zuid kozen grotendeels dezelfde motieven en wogen ze gelijk.",
        "Oost staat alleen: geen ander team kiest en weegt zo.",
    ]


@pytest.mark.parametrize(
    ("second", "said"),
    [
        (PREVENTION, "Noord en Zuid kozen grotendeels dezelfde motieven en wogen ze gelijk (100% gemeen)."),
        (
            {"for-prevention": 1, "for-support-staff": 1, "for-organisation-responsible": 5, "against-no-priority": 5},
            "Noord en Zuid kozen grotendeels dezelfde motieven, maar wegen ze anders.",
        ),
        (OTHER, "Noord en Zuid kozen vooral andere motieven (0% gemeen)."),
    ],
)
def test_two_teams_get_one_sentence_that_says_how_they_compare(store, session, second, said):
    board = answered(store, session, {"Noord": PREVENTION, "Zuid": second})
    assert sentences(alike_view(board)) == [said]


def test_one_team_or_none_gets_a_line_that_says_what_will_come(store, session):
    answered(store, session, {"Noord": PREVENTION})
    # A team that only gave its conclusion chose nothing to compare: it is not a second team.
    store.set_conclusion(store.join(session, "Zuid"), "yes", "")
    assert sentences(alike_view(board_for(store, session))) == [
        "Zodra twee teams geantwoord hebben, zie je hier welke teams gelijk denken."
    ]


def test_a_team_in_no_group_is_said_to_be_closest_to_the_team_it_is_most_like(store, session):
    # Three of Noord's four motives, weighed alike, and two others: half alike.
    near = {**dict(list(PREVENTION.items())[:3]), "for-public-communication": 5, "against-staff-are-ambassadors": 4}
    board = answered(store, session, {"Noord": PREVENTION, "Zuid": PREVENTION, "Oost": near, "West": OTHER})
    assert sentences(alike_view(board)) == [
        "Noord en Zuid kozen grotendeels dezelfde motieven en wogen ze gelijk.",
        "Oost staat apart, het dichtst bij Noord (51% gemeen).",  # chose 3 of 6, weighed 12 of 23
        "West staat alleen: geen ander team kiest en weegt zo.",
    ]


def test_teams_that_wrote_the_same_own_motive_in_other_words_chose_the_same(store, session):
    noord, zuid = store.join(session, "Noord"), store.join(session, "Zuid")
    store.add_own_motive(noord, "for", "Privacy van cliënten beschermen", 5)
    store.add_own_motive(zuid, "for", "bescherming privacy clienten", 5)
    frames = tally.Frames.of(store.records(session))
    assert frames.likeness.weighed.loc["Noord", "Zuid"] == 1.0


def test_forty_teams_in_eight_camps_are_eight_groups():
    import pandas as pd

    rows = []
    camps = [dict(list(PREVENTION.items())[:2]), PRIORITY, OTHER, PREVENTION]
    for number in range(40):
        # Eight camps: four ways of ticking the worksheet, each with two own motives of its own.
        choices = {**camps[number % 4], f"own-{number % 8}-a": 5, f"own-{number % 8}-b": 5}
        rows += [
            {"team": f"Team {number:02}", "group": g, "applies": True, "importance": i} for g, i in choices.items()
        ]
    likeness = team_likeness(pd.DataFrame(rows).astype({"importance": "Int64"}))
    assert sorted(len(group) for group in likeness.groups) == [5] * 8
    assert all(len({int(team[-2:]) % 8 for team in group}) == 1 for group in likeness.groups)
