"""Odd input in own motives, explanations and team names: kept exactly and shown as inert text, or refused clearly.

Each case runs through the team page, the store, the dashboard and the exports.
"""

from __future__ import annotations

import io
import sqlite3

import markupsafe
import pandas as pd
import pytest
from pages import board_for, joined_page, on_screen

from motives import export, report, tally
from motives.markup import esc
from motives.widgets.team import TeamPage

# Slow: every case goes through a team page, the store, the overview and every export, about a second a case
# (make test and make mutate run them; make check does not).
pytestmark = pytest.mark.slow

REFUSED_EMPTY_MOTIVE = "Een motief kan niet leeg zijn."
REFUSED_EMPTY_NAME = "Vul de naam van je team in."
TOO_LONG = "De tekst is te lang: 10000 tekens"
CONTROL = "onzichtbare stuurtekens"

# (case, typed, stored in own motive or refusal, stored in explanation or refusal, stored team name or refusal)
CASES = [
    ("empty", "", REFUSED_EMPTY_MOTIVE, "", REFUSED_EMPTY_NAME),
    ("only spaces", "   \t ", REFUSED_EMPTY_MOTIVE, "", REFUSED_EMPTY_NAME),
    ("10,000 characters", "x" * 10_000, TOO_LONG, TOO_LONG, TOO_LONG),
    ("control character", "bel\x07l", CONTROL, CONTROL, CONTROL),
    ("bidi override", "abc\u202edef", CONTROL, CONTROL, CONTROL),
    ("zero-width space", "Jeugd\u200bwerk", "Jeugd\u200bwerk", "Jeugd\u200bwerk", CONTROL),
    ("decomposed accent", "prive\u0301", "privé", "privé", "privé"),
    ("composed accent", "privé", "privé", "privé", "privé"),
    ("emoji", "Samen 😀 sterk", "Samen 😀 sterk", "Samen 😀 sterk", "Samen 😀 sterk"),
    ("right-to-left", "שלום עולם", "שלום עולם", "שלום עולם", "שלום עולם"),
    (
        "html and script",
        "<img src=x onerror=alert(1)><script>alert(2)</script>",
        "<img src=x onerror=alert(1)><script>alert(2)</script>",
        "<img src=x onerror=alert(1)><script>alert(2)</script>",
        "<img src=x onerror=alert(1)><script>alert(2)</script>",
    ),
    (
        "quotes and sql",
        "Robert'); DROP TABLE teams;--\"",
        "Robert'); DROP TABLE teams;--\"",
        "Robert'); DROP TABLE teams;--\"",
        "Robert'); DROP TABLE teams;--\"",
    ),
    ("formula", "=1+1", "=1+1", "=1+1", "=1+1"),
    ("spaces around", "  Veel   ruimte  ", "Veel ruimte", "Veel   ruimte", "Veel ruimte"),
]
REFUSALS = (REFUSED_EMPTY_MOTIVE, REFUSED_EMPTY_NAME, TOO_LONG, CONTROL)


def as_text(text: str, html: str) -> bool:
    """The text is in the page as escaped text (pandas and the app spell some entities differently)."""
    return esc(text) in html or str(markupsafe.escape(text)) in html


def shown_everywhere(store, session, text: str) -> None:
    """The text is on the dashboard and in the report only as escaped text, and reads back from CSV."""
    board = board_for(store, session)
    tabs = ("talk_tab", "comparison_tab", "balance_tab", "own_tab")
    html = " ".join([board.progress.value, *(on_screen(board, tab).view.value for tab in tabs)])
    assert as_text(text, html)
    if "<" in text:
        assert text not in html
    records = store.records(session)
    page = report.report_html(records) + report.handouts_html(records)
    assert as_text(text, page) and ("<" not in text or text not in page)
    answers = tally.answers_frame(records)
    back = pd.read_csv(io.StringIO(export.to_csv(export.answers_table(answers))), keep_default_na=False)
    expected = export.neutralise_parts(text)  # as CSV writes it: every part
    assert expected in set(back["text"]) | set(back["team"])


@pytest.mark.parametrize(("case", "typed", "motive", "explanation", "name"), CASES, ids=[c[0] for c in CASES])
def test_own_motive(store, session, case, typed, motive, explanation, name):
    page = joined_page(store, session, "Noord")
    own = page.worksheet.own["for"]
    own.new_text.value = typed
    own.add_button.click()
    stored = store.team_answers(store.find_team(session, "Noord")).own
    if motive in REFUSALS:
        assert motive in own.status.value and stored == [] and own.new_text.value == typed
        return
    assert [o.text for o in stored] == [motive]
    assert own.rows.children[0].text.value == motive  # the team sees it as it is kept
    shown_everywhere(store, session, motive)


@pytest.mark.parametrize(("case", "typed", "motive", "explanation", "name"), CASES, ids=[c[0] for c in CASES])
def test_explanation(store, session, case, typed, motive, explanation, name):
    page = joined_page(store, session, "Noord")
    conclusion = page.worksheet.conclusion
    conclusion.choice.value = "yes"
    conclusion.explanation.value = typed
    stored = store.team_answers(store.find_team(session, "Noord")).explanation
    if explanation in REFUSALS:
        assert explanation in conclusion.status.value and stored == "" and conclusion.explanation.value == typed
        return
    assert stored == explanation
    if explanation:
        assert as_text(explanation, on_screen(board_for(store, session), "balance_tab").view.value)
        assert as_text(explanation, report.report_html(store.records(session)))


@pytest.mark.parametrize(("case", "typed", "motive", "explanation", "name"), CASES, ids=[c[0] for c in CASES])
def test_team_name(store, session, case, typed, motive, explanation, name):
    page = TeamPage({"session": session.code}, store=store)
    page.name_field.value = typed
    if page.worksheet is None and not page.form_status.value:
        page.go_button.click()  # an empty field changes nothing: the team clicks "Verder"
    if name in REFUSALS:
        assert name in page.form_status.value and page.worksheet is None and store.sessions()[0].teams == 0
        return
    assert page.worksheet is not None
    (summary,) = store.sessions()
    assert summary.teams == 1 and store.records(session).teams[0].name == name
    assert esc(name) in page.worksheet.header.value
    store.set_answer(store.find_team(session, name), "for-prevention", True, 3)
    shown_everywhere(store, session, name)


def test_a_name_that_differs_only_in_capitals_or_spaces_opens_the_same_team(store, session):
    first = joined_page(store, session, "Team  Noord")
    second = joined_page(store, session, " team noord ")
    assert first.worksheet.team.id == second.worksheet.team.id
    assert [t.name for t in store.records(session).teams] == ["Team Noord"]


def test_sql_in_text_is_only_text(store, session):
    team = store.join(session, "Robert'); DROP TABLE teams;--")
    store.add_own_motive(team, "for", "x'); DELETE FROM answers; --")
    with sqlite3.connect(store.engine.url.database) as db:
        tables = {row[0] for row in db.execute("select name from sqlite_master where type = 'table'")}
    assert {"teams", "answers", "own_motives"} <= tables
    assert store.records(session).teams[0].name == "Robert'); DROP TABLE teams;--"
