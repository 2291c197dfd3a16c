"""The team page without a browser: set values and click as a participant would, then read the store."""

from __future__ import annotations

import subprocess
import sys

import pytest

from widgets.team import TeamPage


def open_page(store, session, team="Jeugdwerk") -> TeamPage:
    return TeamPage({"session": session.code, "team": team}, store=store)


def test_without_a_session_code_the_page_asks_for_it(store, session):
    page = TeamPage({}, store=store)
    assert page.worksheet is None
    page.code_field.value = "zzzzzz"
    page.go_button.click()
    assert "Er is geen sessie met code ZZZZZZ" in page.form_status.value
    page.code_field.value = session.code.lower()
    page.go_button.click()
    page.name_field.value = "Thuiszorg"
    page.go_button.click()
    assert page.worksheet is not None
    assert store.find_team(session, "Thuiszorg") is not None


def test_a_wrong_code_in_the_link_gets_a_clear_message(store):
    page = TeamPage({"session": "ABCDEF", "team": "X"}, store=store)
    assert page.worksheet is None
    assert "Er is geen sessie met code ABCDEF" in page.form_status.value


def test_without_a_team_name_the_page_asks_for_it_and_refuses_an_empty_one(store, session):
    page = TeamPage({"session": session.code}, store=store)
    page.name_field.value = "   "
    page.go_button.click()
    assert "Vul de naam van je team in." in page.form_status.value
    assert page.worksheet is None and store.sessions()[0].teams == 0


def test_the_worksheet_shows_both_columns_with_the_motive_texts_as_checkbox_labels(store, session):
    page = open_page(store, session)
    sheet = page.worksheet
    against, for_ = sheet.children[1].children
    assert "Motieven om geen sociale mediabeleid" in against.children[0].value
    assert "Motieven om wel een sociale mediabeleid" in for_.children[0].value
    labels = [choice.applies.description for choice in sheet.choices.values()]
    assert labels == [m.text("nl") for m in session.catalogue.motives if m.side == "against"] + [
        m.text("nl") for m in session.catalogue.motives if m.side == "for"
    ]


def test_a_tick_and_an_importance_are_saved_at_once(store, session):
    page = open_page(store, session)
    choice = page.worksheet.choices["for-prevention"]
    assert choice.importance.layout.display == "none"
    choice.applies.value = True
    assert choice.importance.layout.display is None
    team = store.find_team(session, "Jeugdwerk")
    assert store.team_answers(team).answers["for-prevention"].importance == 3
    choice.importance.value = 5
    assert store.team_answers(team).answers["for-prevention"].importance == 5
    choice.applies.value = False
    answer = store.team_answers(team).answers["for-prevention"]
    assert (answer.applies, answer.importance) == (False, None)
    assert "Bewaard om" in page.worksheet.status.value


def test_own_motives_are_added_edited_and_removed(store, session):
    page = open_page(store, session)
    own = page.worksheet.own["against"]
    own.new_text.value = "  Te weinig tijd  "
    own.add_button.click()
    team = store.find_team(session, "Jeugdwerk")
    assert [(o.side, o.text) for o in store.team_answers(team).own] == [("against", "Te weinig tijd")]
    assert own.new_text.value == ""
    row = own.rows.children[0]
    row.text.value = "Te weinig tijd en geld"
    row.importance.value = 4
    assert [(o.text, o.importance) for o in store.team_answers(team).own] == [("Te weinig tijd en geld", 4)]
    row.remove.click()
    assert store.team_answers(team).own == [] and own.rows.children == ()


def test_an_empty_own_motive_is_refused_with_a_message_and_nothing_is_lost(store, session):
    page = open_page(store, session)
    own = page.worksheet.own["for"]
    own.new_text.value = "   "
    own.add_button.click()
    assert "Een motief kan niet leeg zijn" in own.status.value
    own.new_text.value = "Ouders vragen ernaar"
    own.add_button.click()
    row = own.rows.children[0]
    row.text.value = "  "
    assert "Een motief kan niet leeg zijn" in row.status.value
    assert row.text.value == "Ouders vragen ernaar"
    team = store.find_team(session, "Jeugdwerk")
    assert [o.text for o in store.team_answers(team).own] == ["Ouders vragen ernaar"]


def test_a_too_long_own_motive_keeps_the_typed_text_in_the_box(store, session):
    page = open_page(store, session)
    own = page.worksheet.own["for"]
    own.new_text.value = "x" * 600
    own.add_button.click()
    assert "De tekst is te lang: 600 tekens, ten hoogste 500." in own.status.value
    assert own.new_text.value == "x" * 600


def test_the_conclusion_and_explanation_are_saved(store, session):
    page = open_page(store, session)
    page.worksheet.conclusion.choice.value = "not_yet"
    page.worksheet.conclusion.explanation.value = "Eerst overleggen."
    team = store.find_team(session, "Jeugdwerk")
    stored = store.team_answers(team)
    assert (stored.conclusion, stored.explanation) == ("not_yet", "Eerst overleggen.")


def test_reopening_the_page_restores_the_teams_answers(store, session):
    page = open_page(store, session)
    page.worksheet.choices["against-no-priority"].applies.value = True
    page.worksheet.choices["against-no-priority"].importance.value = 2
    page.worksheet.own["for"].new_text.value = "Eigen reden"
    page.worksheet.own["for"].add_button.click()
    page.worksheet.conclusion.choice.value = "yes"
    again = open_page(store, session, team="jeugdwerk ")
    choice = again.worksheet.choices["against-no-priority"]
    assert (choice.applies.value, choice.importance.value) == (True, 2)
    assert again.worksheet.own["for"].texts == ["Eigen reden"]
    assert again.worksheet.conclusion.choice.value == "yes"
    assert not again.worksheet.choices["for-prevention"].applies.value


def test_a_session_in_english_shows_english_text(store, catalogue):
    session = store.create_session("Workshop", catalogue, "en")
    page = open_page(store, session)
    assert page.worksheet.choices["for-prevention"].applies.description == "Prevention is better than cure."
    assert "Motives to formulate a social media policy" in page.worksheet.children[1].children[1].children[0].value
    assert page.worksheet.conclusion.choice.options[2] == ("Not yet", "not_yet")


def test_a_team_name_with_markup_is_shown_as_text(store, session):
    page = open_page(store, session, team="<img src=x onerror=alert(1)>")
    header = page.worksheet.children[0].value
    assert "<img" not in header and "&lt;img src=x onerror=alert(1)&gt;" in header


def test_a_forged_importance_never_reaches_the_store(store, session):
    from traitlets import TraitError

    page = open_page(store, session)
    choice = page.worksheet.choices["for-prevention"]
    choice.applies.value = True
    with pytest.raises(TraitError):
        choice.importance.set_state({"index": 9})
    team = store.find_team(session, "Jeugdwerk")
    assert store.team_answers(team).answers["for-prevention"].importance == 3


def test_the_team_page_does_not_import_pandas_or_matplotlib():
    code = "import sys, widgets.team; print(sorted(m for m in ('pandas', 'matplotlib') if m in sys.modules))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    assert result.stdout.strip() == "[]"
