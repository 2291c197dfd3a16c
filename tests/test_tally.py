"""From stored answers to the tidy frame, the comparison and the balance."""

from __future__ import annotations

import hashlib

import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

from motives import tally
from motives.catalogue import catalogue_from_dict, default_catalogue
from motives.grouping import Grouper

SMALL = catalogue_from_dict(
    {
        "id": "small",
        "title": {"nl": "Klein"},
        "heading": {"against": {"nl": "Geen"}, "for": {"nl": "Wel"}},
        "motive": [
            {"id": "for-a", "side": "for", "nl": "Wel A", "en": "For A"},
            {"id": "against-b", "side": "against", "nl": "Geen B", "en": "Against B"},
            {"id": "for-c", "side": "for", "nl": "Wel C", "en": "For C"},
        ],
    }
)


@pytest.fixture
def records(store):
    session = store.create_session("Klein", SMALL)
    north = store.join(session, "Noord")
    south = store.join(session, "Zuid")
    store.join(session, "West")  # joined, no answers yet
    store.set_answer(north, "for-a", True, 5)
    store.set_answer(north, "against-b", True, 2)
    store.set_answer(south, "for-a", True, 4)
    store.set_answer(south, "for-c", True, 1)
    store.set_answer(south, "for-c", False)
    store.add_own_motive(south, "against", "Te veel werk", 3)
    store.set_conclusion(north, "yes", "Duidelijk")
    return store.records(session)


def test_the_tidy_frame_has_one_row_per_team_and_motive_in_worksheet_order(records):
    answers = tally.answers_frame(records)
    assert list(answers.columns) == tally.ANSWER_COLUMNS
    got = answers[["team", "side", "motive_id", "text", "origin", "applies", "importance"]]
    expected = pd.DataFrame(
        [
            ("Noord", "against", "against-b", "Geen B", "catalogue", True, 2),
            ("Zuid", "against", "against-b", "Geen B", "catalogue", False, None),
            ("West", "against", "against-b", "Geen B", "catalogue", False, None),
            ("Zuid", "against", "own-1", "Te veel werk", "own", True, 3),
            ("Noord", "for", "for-a", "Wel A", "catalogue", True, 5),
            ("Zuid", "for", "for-a", "Wel A", "catalogue", True, 4),
            ("West", "for", "for-a", "Wel A", "catalogue", False, None),
            ("Noord", "for", "for-c", "Wel C", "catalogue", False, None),
            ("Zuid", "for", "for-c", "Wel C", "catalogue", False, None),
            ("West", "for", "for-c", "Wel C", "catalogue", False, None),
        ],
        columns=["team", "side", "motive_id", "text", "origin", "applies", "importance"],
    ).astype({"importance": "Int64"})
    assert_frame_equal(got, expected)
    assert answers["session"].eq(records.session.code).all()
    assert answers["updated_at"].isna().tolist() == [False, True, True, False, False, False, True, True, False, True]


def test_the_comparison_has_a_column_per_team_and_the_count_and_mean_per_motive(records):
    comparison = tally.comparison(tally.answers_frame(records))
    index = pd.MultiIndex.from_tuples(
        [
            ("against", "against-b", "Geen B", "catalogue"),
            ("against", "own-1", "Te veel werk", "own"),
            ("for", "for-a", "Wel A", "catalogue"),
            ("for", "for-c", "Wel C", "catalogue"),
        ],
        names=["side", "group", "text", "origin"],  # a row: one group of motives that say the same thing
    )
    teams = pd.DataFrame(
        {"Noord": [2, None, 5, None], "Zuid": [None, 3, 4, None], "West": [None, None, None, None]},
        index=index,
        dtype="Int64",
    )
    summary = pd.DataFrame({"teams": [1, 1, 2, 0], "mean_importance": [2.0, 3.0, 4.5, float("nan")]}, index=index)
    assert_frame_equal(comparison["team"], teams)
    assert_frame_equal(comparison["all"], summary)


def test_a_team_named_like_a_summary_column_does_not_clash(store):
    session = store.create_session("S", SMALL)
    team = store.join(session, "teams")
    store.set_answer(team, "for-a", True, 4)
    comparison = tally.comparison(tally.answers_frame(store.records(session)))
    assert comparison[("team", "teams")].tolist()[1] == 4
    assert comparison[("all", "teams")].tolist() == [0, 1, 0]


def test_the_balance_counts_and_weighs_each_side_per_team(records):
    answers = tally.answers_frame(records)
    balance = tally.balance(answers, tally.teams_frame(records))
    expected = pd.DataFrame(
        {
            "for_count": [1, 1, 0],
            "for_importance": [5, 4, 0],
            "against_count": [1, 1, 0],
            "against_importance": [2, 3, 0],
            "conclusion": ["yes", None, None],
            "explanation": ["Duidelijk", "", ""],
        },
        index=pd.Index(["Noord", "Zuid", "West"], name="team"),
    ).astype({"conclusion": "str", "explanation": "str"})
    assert_frame_equal(balance, expected)


def test_teams_frame_says_who_answered(records):
    teams = tally.teams_frame(records)
    expected = pd.DataFrame(
        {"team": ["Noord", "Zuid", "West"], "answered": [True, True, False], "conclusion": ["yes", None, None]}
    ).astype({"conclusion": "str"})
    assert_frame_equal(teams[["team", "answered", "conclusion"]], expected)


def test_a_team_that_only_concluded_or_only_explained_has_answered(store):
    session = store.create_session("Kort", SMALL)
    store.set_conclusion(store.join(session, "Besluit"), "no")
    store.set_conclusion(store.join(session, "Uitleg"), explanation="We twijfelen nog")
    store.join(session, "Stil")
    teams = tally.teams_frame(store.records(session))
    assert teams["answered"].tolist() == [True, True, False]


def test_times_are_utc_timestamps_even_before_anyone_answered(store, records):
    # The exports write them as ISO 8601 with their offset; a naive time would lose it. A column
    # with no time in it yet (no team, no answer) must still be one of UTC timestamps.
    quiet = store.create_session("Stil", SMALL)
    nobody = store.records(quiet)
    store.join(quiet, "Zwijgers")
    for times in (
        tally.teams_frame(records)["joined_at"],
        tally.answers_frame(records)["updated_at"],
        tally.teams_frame(nobody)["joined_at"],
        tally.answers_frame(store.records(quiet))["updated_at"],
    ):
        assert isinstance(times.dtype, pd.DatetimeTZDtype) and str(times.dtype.tz) == "UTC"


def test_the_balance_keeps_each_teams_conclusion_with_its_own_counts(records):
    answers = tally.answers_frame(records)
    teams = tally.teams_frame(records).iloc[::-1]  # another order than the answers have
    balance = tally.balance(answers, teams)
    assert balance.index.tolist() == ["West", "Zuid", "Noord"]
    assert balance.loc["Noord", ["for_importance", "conclusion"]].tolist() == [5, "yes"]


def test_a_session_without_teams_gives_empty_frames(store):
    records = store.records(store.create_session("Leeg", SMALL))
    answers = tally.answers_frame(records)
    assert answers.empty and list(answers.columns) == tally.ANSWER_COLUMNS
    assert tally.balance(answers, tally.teams_frame(records)).empty


def test_the_text_follows_the_sessions_language(store):
    session = store.create_session("English", SMALL, "en")
    store.join(session, "North")
    assert tally.answers_frame(store.records(session))["text"].tolist() == ["Against B", "For A", "For C"]


def test_consensus_sorts_motives_into_shared_split_single_and_none(store):
    session = store.create_session("Vier", SMALL)
    teams = [store.join(session, name) for name in ("A", "B", "C")]
    for team, importance in zip(teams, (5, 2, 4), strict=True):
        store.set_answer(team, "for-a", True, importance)  # every team
    store.set_answer(teams[0], "for-c", True, 1)
    store.set_answer(teams[2], "for-c", True, 5)  # two of three
    store.add_own_motive(teams[1], "against", "Alleen wij", 3)  # one team
    records = store.records(session)
    consensus = tally.consensus(tally.team_matrix(tally.answers_frame(records)))
    got = consensus.droplevel(["side", "text", "origin"])
    expected = pd.DataFrame(
        {
            "teams": [0, 1, 3, 2],
            "of": [3, 3, 3, 3],
            "lowest": pd.array([None, 3, 2, 1], dtype="Int64"),
            "highest": pd.array([None, 3, 5, 5], dtype="Int64"),
            "category": pd.Categorical(["none", "single", "shared", "split"], categories=tally.CATEGORIES),
            "chosen_by": [[], ["B"], ["A", "B", "C"], ["A", "C"]],
        },
        index=pd.Index(["against-b", "own-1", "for-a", "for-c"], name="group"),
    )
    assert_frame_equal(got, expected)


def test_consensus_counts_only_the_teams_that_answered(store):
    session = store.create_session("Laat", SMALL)
    early, _late = store.join(session, "Vroeg"), store.join(session, "Laat")
    store.set_answer(early, "for-a", True, 4)
    matrix = tally.team_matrix(tally.answers_frame(store.records(session)))
    assert tally.consensus(matrix, ["Vroeg"]).xs("for-a", level="group")["category"].tolist() == ["shared"]
    assert tally.consensus(matrix).xs("for-a", level="group")["category"].tolist() == ["single"]


def test_the_whole_groups_balance_adds_up_the_teams(records):
    answers = tally.answers_frame(records)
    total = tally.group_total(tally.balance(answers, tally.teams_frame(records)))
    assert total.to_dict() == {"for_count": 2, "for_importance": 9, "against_count": 2, "against_importance": 5}
    assert total.dtype == "int64"  # whole numbers: the whole group's row shows 9, not 9.0


def test_sessions_side_by_side(store, records):
    other = store.create_session("Leeg", SMALL)
    rows = [
        (s.code, s.name, tally.answers_frame(r), tally.teams_frame(r))
        for s, r in ((records.session, records), (other, store.records(other)))
    ]
    overview = tally.sessions_overview(rows)
    assert overview.loc[records.session.code, ["teams", "for_importance", "against_importance"]].tolist() == [3, 9, 5]
    assert overview.loc[records.session.code, "most_chosen"] == [("Wel A", 2), ("Geen B", 1), ("Te veel werk", 1)]
    assert overview.loc[records.session.code, ["conclusion_yes", "conclusion_no", "conclusion_not_yet"]].tolist() == [
        1,
        0,
        0,
    ]
    assert overview.loc[other.code, ["teams", "for_importance", "most_chosen"]].tolist() == [0, 0, []]


def test_the_overview_names_at_most_three_motives_and_only_chosen_ones(store, records):
    def overview(records, **top):
        row = (records.session.code, records.session.name, tally.answers_frame(records), tally.teams_frame(records))
        return tally.sessions_overview([row], **top).loc[records.session.code, "most_chosen"]

    # 'Wel C' was chosen by no team: never among the most chosen, however many are asked for
    assert overview(records, top=10) == [("Wel A", 2), ("Geen B", 1), ("Te veel werk", 1)]
    assert overview(records, top=2) == [("Wel A", 2), ("Geen B", 1)]
    store.set_answer(store.find_team(records.session, "West"), "for-c", True, 3)
    # four chosen now; by default the three chosen most, ties in worksheet order
    assert overview(store.records(records.session)) == [("Wel A", 2), ("Geen B", 1), ("Te veel werk", 1)]
    assert tally.sessions_overview([]).empty


def test_motives_chosen_equally_often_keep_their_worksheet_order_in_the_overview(store):
    # Past 16 values a sort that is not stable shuffles ties; a session has that many motives soon.
    session = store.create_session("Veel", SMALL)
    north, south = store.join(session, "Noord"), store.join(session, "Zuid")
    store.set_answer(north, "for-a", True, 3)
    store.set_answer(south, "for-a", True, 3)
    store.set_answer(south, "for-c", True, 3)
    texts = [f"Reden {hashlib.sha256(str(n).encode()).hexdigest()[:12]}" for n in range(17)]
    for text in texts:
        store.add_own_motive(north, "for", text, 2)
    for text in texts[::3]:
        store.add_own_motive(south, "for", text, 2)  # the same motive from a second team
    records = store.records(session)
    row = (session.code, session.name, tally.answers_frame(records), tally.teams_frame(records))
    most = tally.sessions_overview([row], top=20).loc[session.code, "most_chosen"]
    twice = [text for number, text in enumerate(texts) if number % 3 == 0]
    once = [text for number, text in enumerate(texts) if number % 3 != 0]
    assert most == [("Wel A", 2), *[(t, 2) for t in twice], ("Wel C", 1), *[(t, 1) for t in once]]


def test_the_fingerprint_tells_frames_apart_by_values_labels_and_index():
    frame = pd.DataFrame({"team": ["Noord", "Zuid"], "answered": [True, False]})
    digest = tally.fingerprint(frame)
    assert len(digest) == 32 and digest == tally.fingerprint(frame.copy())
    assert digest != tally.fingerprint(frame.assign(answered=[True, True]))
    assert digest != tally.fingerprint(frame.rename(columns={"answered": "done"}))
    assert digest != tally.fingerprint(frame.set_axis([1, 0]))


def test_the_frames_use_the_grouper_they_are_given(records):
    # The dashboard keeps one grouper for its whole life, so that a tick compares no motive again.
    grouper = Grouper(SMALL)
    tally.Frames.of(records, grouper)
    assert grouper.compared == 1
    tally.Frames.of(records, grouper)
    assert grouper.compared == 1


def test_consensus_when_teams_joined_but_none_answered(store):
    session = store.create_session("Stil", SMALL)
    store.join(session, "Stil team")
    matrix = tally.team_matrix(tally.answers_frame(store.records(session)))
    consensus = tally.consensus(matrix, [])
    assert consensus["teams"].tolist() == [0, 0, 0]
    assert consensus["category"].tolist() == ["none", "none", "none"]
    assert consensus["chosen_by"].tolist() == [[], [], []]


def test_a_kept_grouper_tallies_what_a_fresh_one_does_as_the_session_changes(store):
    # The dashboard keeps one grouper for its whole life; every refresh must equal a fresh tally.
    session = store.create_session("Klein", SMALL)
    north, south = store.join(session, "Noord"), store.join(session, "Zuid")
    grouper = Grouper(SMALL)

    def same() -> pd.DataFrame:
        records = store.records(session)
        kept = tally.answers_frame(records, grouper)
        assert_frame_equal(kept, tally.answers_frame(records))
        return kept[kept["origin"] == "own"].set_index("motive_id")["group"]

    first = store.add_own_motive(north, "for", "Ouders vragen ernaar", 4)
    second = store.add_own_motive(south, "for", "ouders vargen ernaar!", 2)
    assert same()[f"own-{second.id}"] == f"own-{first.id}"
    store.add_own_motive(south, "for", "Wel A", 3)
    assert same().tolist() == [f"own-{first.id}", f"own-{first.id}", "for-a"]
    store.update_own_motive(north, first.id, text="Te veel werk")
    assert same()[f"own-{second.id}"] == f"own-{second.id}"
    store.link_own_motives(session, [first.id, second.id], "g-1")
    assert same()[f"own-{second.id}"] == "g-1"
    store.link_own_motives(session, [first.id, second.id], "")
    store.remove_own_motive(north, first.id)
    assert same()[f"own-{second.id}"] == f"own-{second.id}"


def test_sessions_tallied_together_are_each_tallied_as_alone(store):
    # A notebook tallies 1,000 sessions in one call, sharing what it learnt of their catalogue.
    read = []
    for name, texts in (("Eerste", ["Ouders vragen ernaar", "ouders vargen ernaar!"]), ("Tweede", ["Wel A", "Ouders"])):
        session = store.create_session(name, SMALL)
        north, south = store.join(session, "Noord"), store.join(session, "Zuid")
        store.set_answer(north, "for-a", True, 2)
        store.add_own_motive(north, "for", texts[0], 4)
        store.add_own_motive(south, "for", texts[1], 3)
        read.append(session.code)
    many = store.records_of(read)

    together = tally.answers_frames(many)

    alone = [tally.answers_frame(records) for records in many]
    assert_frame_equal(together, pd.concat(alone, ignore_index=True))
    own = together[together["origin"] == "own"]
    assert own["group"].tolist() == [own["motive_id"].iloc[0]] * 2 + ["for-a", own["motive_id"].iloc[3]]


def test_sessions_on_different_catalogues_are_each_grouped_with_their_own(store):
    small = store.create_session("Klein", SMALL)
    worksheet = store.create_session("Werkblad", default_catalogue())
    for session in (small, worksheet):
        store.add_own_motive(store.join(session, "Noord"), "for", "Beter voorkomen dan genezen", 4)
    own = tally.answers_frames(store.records_of([small.code, worksheet.code])).query("origin == 'own'")
    assert own["group"].tolist() == [own["motive_id"].iloc[0], "for-prevention"]


def test_the_revealed_picture_is_worked_out_once_per_change_whoever_asks(store, session):
    from motives.revealed import Pictures

    teams = [store.join(session, name) for name in ("Noord", "Zuid", "West")]
    store.set_answer(teams[0], "for-prevention", True, 5)
    store.set_answer(teams[1], "for-prevention", True, 3)
    now = [0.0]  # the service's clock, in seconds
    pictures = Pictures(clock=lambda: now[0])
    seen = [pictures.for_team(store, session, team.name) for team in teams * 10]  # thirty page polls
    assert pictures.built == 1
    prevention = [next(i for i in p.items if i.text.startswith("Beter voorkomen")) for p in seen[:3]]
    assert [(i.chosen, i.mean, i.ours) for i in prevention] == [(2, 4.0, 5), (2, 4.0, 3), (2, 4.0, None)]
    assert [p.team for p in seen[:3]] == ["Noord", "Zuid", "West"]
    store.set_conclusion(teams[2], "yes")
    # Within two seconds of the last picture a page gets it again, and sees it is behind the session.
    behind = pictures.for_team(store, session, "West")
    assert behind.conclusions[2] == ("West", None) and behind.revision < store.state(session).revision
    now[0] = 2.0
    assert pictures.for_team(store, session, "West").conclusions[2] == ("West", "yes")
    assert pictures.built == 2  # the change, once
