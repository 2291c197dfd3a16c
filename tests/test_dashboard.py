"""The trainer's dashboard without a browser: what it shows, and what it never shows without the key."""

from __future__ import annotations

import pandas as pd
from pandas.testing import assert_frame_equal

from widgets.dashboard import DashboardPage, comparison_display


def fill(store, session):
    north = store.join(session, "Noord")
    south = store.join(session, "Zuid")
    store.join(session, "West")
    store.set_answer(north, "for-prevention", True, 5)
    store.set_answer(south, "for-prevention", True, 3)
    store.set_answer(south, "against-no-priority", True, 2)
    store.add_own_motive(north, "for", "Ouders vragen ernaar", 4)
    store.set_conclusion(north, "yes", "")


def test_without_the_trainer_key_no_team_data_is_shown(store, session):
    fill(store, session)
    for params in ({}, {"session": session.code}, {"session": session.code, "key": "wrong"}):
        page = DashboardPage(params, store=store)
        assert page.dashboard is None
        shown = str([getattr(c, "value", "") for c in page.body.children[0].children])
        assert "Noord" not in shown and "Ouders" not in shown
    page = DashboardPage({"session": session.code, "key": "wrong"}, store=store)
    assert "Deze trainerssleutel hoort niet bij deze sessie." in page.form_status.value
    page = DashboardPage({"session": session.code}, store=store)
    assert "Deze pagina is voor de trainer." in page.form_status.value


def test_the_form_opens_the_dashboard_with_code_and_key(store, session):
    page = DashboardPage({}, store=store)
    page.code_field.value = session.code
    page.key_field.value = session.trainer_key
    page.open_button.click()
    assert page.dashboard is not None


def test_the_dashboard_lists_the_teams_and_who_answered(store, session):
    fill(store, session)
    page = DashboardPage({"session": session.code, "key": session.trainer_key}, store=store)
    teams = page.dashboard.teams_view.value
    assert "2 van 3 teams hebben geantwoord." in teams
    assert teams.index("Noord") < teams.index("Zuid") < teams.index("West")


def test_the_comparison_counts_teams_and_means_per_motive(store, session):
    fill(store, session)
    board = DashboardPage({"session": session.code, "key": session.trainer_key}, store=store).dashboard
    summary = board.comparison["all"].droplevel(["side", "text", "origin"])
    assert summary.loc["for-prevention"].tolist() == [2, 4.0]
    assert summary.loc["against-no-priority"].tolist() == [1, 2.0]
    assert summary.loc["own-1"].tolist() == [1, 4.0]
    html = board.comparison_view.value
    assert "Ouders vragen ernaar" in html and "✓ 5" in html and "Gemiddeld belang" in html


def test_the_display_table_shows_ticks_and_importance_per_team(store, session):
    fill(store, session)
    board = DashboardPage({"session": session.code, "key": session.trainer_key}, store=store).dashboard
    shown = comparison_display(board.comparison, "nl").xs("Beter voorkomen dan genezen.", level="Motief")
    expected = pd.DataFrame(
        [["✓ 5", "✓ 3", "—", 2, "4.0"]],
        columns=pd.MultiIndex.from_tuples(
            [
                ("Teams", "Noord"),
                ("Teams", "Zuid"),
                ("Teams", "West"),
                ("Alle teams", "Gekozen door"),
                ("Alle teams", "Gemiddeld belang"),
            ]
        ),
        index=pd.MultiIndex.from_tuples([("Wel beleid", "werkblad")], names=["Kant", "Herkomst"]),
    ).astype({("Teams", "Noord"): "object", ("Teams", "Zuid"): "object", ("Teams", "West"): "object"})
    assert_frame_equal(shown, expected)


def test_the_balance_is_a_table_and_a_chart(store, session):
    fill(store, session)
    board = DashboardPage({"session": session.code, "key": session.trainer_key}, store=store).dashboard
    assert board.balance.loc["Noord", ["for_count", "for_importance", "against_count"]].tolist() == [2, 9, 0]
    assert "Ja" in board.balance_view.value and "nog geen besluit" in board.balance_view.value
    assert board.chart.value[:8] == b"\x89PNG\r\n\x1a\n"


def test_refresh_reads_the_store_again(store, session):
    page = DashboardPage({"session": session.code, "key": session.trainer_key}, store=store)
    assert "Nog geen teams" in page.dashboard.teams_view.value
    fill(store, session)
    page.dashboard.refresh_button.click()
    assert "2 van 3 teams hebben geantwoord." in page.dashboard.teams_view.value


def test_user_text_is_escaped_in_every_table_cell_and_header(store, session):
    evil = "<img src=x onerror=alert(1)>"
    team = store.join(session, evil)
    store.add_own_motive(team, "for", evil)
    store.set_conclusion(team, "no", evil)
    board = DashboardPage({"session": session.code, "key": session.trainer_key}, store=store).dashboard
    for view in (board.teams_view, board.comparison_view, board.balance_view):
        assert "<img" not in view.value
        assert "&lt;img src=x onerror=alert(1)&gt;" in view.value


def test_a_team_name_with_dollars_does_not_break_the_chart(store, session):
    team = store.join(session, "Team $x^2$ and $$")
    store.set_answer(team, "for-prevention", True, 2)
    board = DashboardPage({"session": session.code, "key": session.trainer_key}, store=store).dashboard
    assert board.chart.value[:4] == b"\x89PNG"


def test_the_dashboard_speaks_the_sessions_language(store, catalogue):
    session = store.create_session("Workshop", catalogue, "en")
    fill(store, session)
    board = DashboardPage({"session": session.code, "key": session.trainer_key}, store=store).dashboard
    assert "2 of 3 teams have answered." in board.teams_view.value
    assert "Prevention is better than cure." in board.comparison_view.value
