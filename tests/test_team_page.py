"""The team page without a browser: set values and click as a participant would, then read the store."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from contextlib import contextmanager

import pytest
from pages import inputs, shown_text, team_params

from motives.i18n import time_of_day
from motives.store import Store
from motives.widgets.team import TeamPage


def open_page(store, session, team="Jeugdwerk") -> TeamPage:
    """A team's page after it joined: the team clicked its way in before (a URL alone makes no team)."""
    store.join(session, team)
    return TeamPage(team_params(store, session, team), store=store)  # the team's own link, with its key


def stored(store, session, team="Jeugdwerk"):
    return store.team_answers(store.find_team(session, team))


@contextmanager
def store_locked(store):
    """Another writer holds the store, as a crashed or very slow process would."""
    other = sqlite3.connect(store.engine.url.database, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        yield
    finally:
        other.execute("ROLLBACK")
        other.close()


@pytest.fixture
def impatient(tmp_path, session):
    """The same store file, opened by a page that waits only briefly for a busy store."""
    store = Store(tmp_path / "motives.db", busy_timeout=0.05)
    yield store
    store.close()


def test_without_a_session_code_the_page_asks_for_it(store, session):
    page = TeamPage({}, store=store)
    assert page.worksheet is None
    page.code_field.value = "zzzzzz"
    assert "Er is geen sessie met code ZZZZZZ" in page.form_status.value
    page.code_field.value = session.code.lower()
    page.go_button.click()
    page.name_field.value = "Thuiszorg"
    assert page.worksheet is not None
    assert store.find_team(session, "Thuiszorg") is not None


def test_a_click_on_a_form_that_was_already_replaced_does_nothing(store, session):
    page = TeamPage({"session": session.code}, store=store)
    old_button, old_field = page.go_button, page.name_field
    old_field.value = "Thuiszorg"  # Enter or leaving the field submits
    worksheet = page.worksheet
    old_button.click()  # the click that follows the blur
    old_field.value = "Ander team"  # a forged message to the old form
    assert page.worksheet is worksheet
    assert [s.teams for s in store.sessions()] == [1]


def test_a_wrong_or_absurd_code_in_the_link_gets_a_clear_message(store):
    page = TeamPage({"session": "ABCDEF", "team": "X"}, store=store)
    assert page.worksheet is None
    assert "Er is geen sessie met code ABCDEF" in page.form_status.value
    page = TeamPage({"session": "A" * 100_000}, store=store)
    assert "Er is geen sessie met code AAAAAAAAAAAA." in page.form_status.value
    assert len(page.code_field.value) == 12


def test_without_a_team_name_the_page_asks_for_it_and_refuses_an_empty_one(store, session):
    page = TeamPage({"session": session.code}, store=store)
    page.name_field.value = "   "
    page.go_button.click()
    assert "Vul de naam van je team in." in page.form_status.value
    assert page.worksheet is None and store.sessions()[0].teams == 0


def test_a_team_name_with_hidden_characters_is_refused_and_kept_in_the_field(store, session):
    page = TeamPage({"session": session.code}, store=store)
    page.name_field.value = "Jeugd\u200bwerk"
    assert "onzichtbare stuurtekens" in page.form_status.value
    assert page.name_field.value == "Jeugd\u200bwerk"


def test_the_worksheet_shows_both_columns_with_the_motive_texts_as_checkbox_labels(store, session):
    sheet = open_page(store, session).worksheet
    assert "Motieven om geen sociale mediabeleid" in sheet.columns["against"].children[0].value
    assert "Motieven om wel een sociale mediabeleid" in sheet.columns["for"].children[0].value
    labels = [choice.applies.description for choice in sheet.choices.values()]
    catalogue = session.catalogue
    assert labels == [m.text("nl") for m in catalogue.side("against")] + [m.text("nl") for m in catalogue.side("for")]


def test_a_tick_and_an_importance_are_saved_at_once(store, session):
    page = open_page(store, session)
    choice = page.worksheet.choices["for-prevention"]
    assert "motives-chosen" not in choice._dom_classes  # the stylesheet hides the importance then
    choice.applies.value = True
    assert "motives-chosen" in choice._dom_classes
    assert stored(store, session).answers["for-prevention"].importance == 3
    choice.importance.value = 5
    assert stored(store, session).answers["for-prevention"].importance == 5
    choice.applies.value = False
    answer = stored(store, session).answers["for-prevention"]
    assert (answer.applies, answer.importance) == (False, None)
    assert "Bewaard om" in page.worksheet.status.value


def test_a_tick_the_store_refuses_is_undone_on_screen_with_a_message_beside_it(impatient, session):
    page = open_page(impatient, session)
    choice = page.worksheet.choices["for-prevention"]
    with store_locked(impatient):
        choice.applies.value = True
    assert "kunnen nu niet bewaard worden" in choice.status.value
    assert choice.applies.value is False  # the screen shows what the store holds
    assert "for-prevention" not in stored(impatient, session).answers
    choice.applies.value = True  # once the store is free again, the same tick works
    assert choice.status.value == "" and stored(impatient, session).answers["for-prevention"].applies


def test_a_forged_importance_on_a_hidden_picker_stores_no_importance(store, session):
    page = open_page(store, session)
    choice = page.worksheet.choices["for-prevention"]
    choice.importance.value = 5  # the picker of an unticked motive is hidden, but the browser can still set it
    answer = stored(store, session).answers["for-prevention"]
    assert (answer.applies, answer.importance) == (False, None)


def test_own_motives_are_added_edited_and_removed(store, session):
    page = open_page(store, session)
    own = page.worksheet.own["against"]
    own.new_text.value = "  Te weinig tijd  "
    own.add_button.click()
    assert [(o.side, o.text) for o in stored(store, session).own] == [("against", "Te weinig tijd")]
    assert own.new_text.value == ""
    row = own.rows.children[0]
    row.text.value = "Te weinig tijd en geld"
    row.importance.value = 4
    assert [(o.text, o.importance) for o in stored(store, session).own] == [("Te weinig tijd en geld", 4)]
    row.remove.click()
    assert stored(store, session).own == [] and own.rows.children == ()


def test_an_empty_new_motive_is_refused_with_a_message(store, session):
    own = open_page(store, session).worksheet.own["for"]
    own.new_text.value = "   "
    own.add_button.click()
    assert "Een motief kan niet leeg zijn" in own.status.value
    assert stored(store, session).own == []


def test_a_double_click_on_add_adds_once_and_shows_no_error(store, session):
    own = open_page(store, session).worksheet.own["for"]
    own.new_text.value = "Ouders vragen ernaar"
    own.add_button.click()
    own.add_button.click()
    assert [o.text for o in stored(store, session).own] == ["Ouders vragen ernaar"]
    assert "Motief toegevoegd." in own.status.value


def test_a_refused_edit_keeps_the_typed_text_and_says_it_is_not_saved(store, session):
    own = open_page(store, session).worksheet.own["for"]
    own.new_text.value = "Ouders vragen ernaar"
    own.add_button.click()
    row = own.rows.children[0]
    row.text.value = "x" * 600
    assert "De tekst is te lang: 600 tekens, ten hoogste 500." in row.status.value
    assert "Nog niet bewaard." in row.status.value
    assert row.text.value == "x" * 600  # nothing the team typed is lost
    assert [o.text for o in stored(store, session).own] == ["Ouders vragen ernaar"]
    row.text.value = "Ouders vragen er steeds vaker naar"
    assert row.status.value == ""
    assert [o.text for o in stored(store, session).own] == ["Ouders vragen er steeds vaker naar"]


def test_a_too_long_new_motive_keeps_the_typed_text_in_the_box(store, session):
    own = open_page(store, session).worksheet.own["for"]
    own.new_text.value = "x" * 600
    own.add_button.click()
    assert "De tekst is te lang: 600 tekens, ten hoogste 500." in own.status.value
    assert own.new_text.value == "x" * 600


def test_the_conclusion_and_explanation_are_saved(store, session):
    conclusion = open_page(store, session).worksheet.conclusion
    conclusion.choice.value = "not_yet"
    conclusion.explanation.value = "Eerst overleggen."
    answers = stored(store, session)
    assert (answers.conclusion, answers.explanation) == ("not_yet", "Eerst overleggen.")


def test_two_devices_of_one_team_do_not_overwrite_each_others_conclusion(store, session):
    laptop = open_page(store, session).worksheet.conclusion
    phone = open_page(store, session).worksheet.conclusion  # opened before the laptop typed anything
    laptop.explanation.value = "Omdat de grens werk-privé vervaagt."
    phone.choice.value = "yes"
    answers = stored(store, session)
    assert (answers.conclusion, answers.explanation) == ("yes", "Omdat de grens werk-privé vervaagt.")


def test_a_too_long_explanation_is_kept_on_screen_and_the_choice_still_saves(store, session):
    conclusion = open_page(store, session).worksheet.conclusion
    conclusion.explanation.value = "y" * 2500
    assert "ten hoogste 2000" in conclusion.status.value
    assert conclusion.explanation.value == "y" * 2500
    conclusion.choice.value = "no"
    assert stored(store, session).conclusion == "no"


def test_a_refused_explanation_outlives_what_another_team_saves(store, session, catalogue):
    sheet = open_page(store, session).worksheet
    sheet.conclusion.explanation.value = "y" * 2500  # refused: too long
    other = store.new_team(session, "Zuid")
    store.set_answer(other, "for-prevention", True, 3)  # the session's revision changes: the page follows
    sheet.poll()
    assert sheet.conclusion.explanation.value == "y" * 2500
    sheet.conclusion.explanation.value = "Korter."  # saved now: the box follows the store again
    assert stored(store, session).explanation == "Korter." and not sheet.conclusion.unsaved


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
    sheet = open_page(store, session).worksheet
    assert sheet.choices["for-prevention"].applies.description == "Prevention is better than cure."
    assert "Motives to formulate a social media policy" in sheet.columns["for"].children[0].value
    assert sheet.conclusion.choice.options[2] == ("Not yet", "not_yet")


def test_a_team_name_with_markup_is_shown_as_text(store, session):
    header = open_page(store, session, team="<img src=x onerror=alert(1)>").worksheet.header.value
    assert "<img" not in header and "&lt;img src=x onerror=alert(1)&gt;" in header


def test_the_phase_timer_and_the_reveal_reach_the_team_page(store, session):
    page = open_page(store, session)
    other = store.join(session, "Thuiszorg")
    store.set_answer(other, "for-prevention", True, 4)
    sheet = page.worksheet
    assert sheet.timer.value == "" and sheet.revealed.children == ()
    store.start_timer(session, 10)
    sheet.poll()
    ends = store.state(session).timer_ends_at.astimezone().strftime("%H:%M")
    assert f"Nog 10 min voor deze fase (tot {ends})." in sheet.timer.value
    store.set_revealed(session, True)
    sheet.poll()
    (view,) = sheet.revealed.children
    assert "Wat alle teams kozen" in view.value and "Thuiszorg" in view.value
    store.set_revealed(session, False)
    sheet.poll()
    assert sheet.revealed.children == ()


def test_the_comparison_follows_the_teams_changes_and_stays_while_nothing_changes(store, session):
    page = open_page(store, session)
    other = store.join(session, "Thuiszorg")
    store.set_revealed(session, True)
    sheet = page.worksheet
    sheet.poll()
    (view,) = sheet.revealed.children
    sheet.poll()
    sheet.poll()
    assert sheet.revealed.children == (view,)  # unchanged: not redrawn on every poll of every phone
    store.add_own_motive(other, "for", "Ouders vragen ernaar")
    sheet.poll()
    (redrawn,) = sheet.revealed.children
    assert redrawn is not view and "Ouders vragen ernaar" in redrawn.value


def test_a_picture_from_before_the_last_change_is_asked_for_again_at_the_next_poll(store, session):
    # The server gives out a picture up to two seconds old to the pages that ask while a team ticks on
    # (motives.revealed.FRESH_SECONDS): a page that got one from before the change it saw asks again.
    from motives.revealed import Pictures

    page = open_page(store, session)
    other = store.join(session, "Thuiszorg")
    store.set_revealed(session, True)
    sheet = page.worksheet
    now = [0.0]
    sheet._pictures = Pictures(clock=lambda: now[0])  # the server's way, on a clock the test moves
    sheet.poll()
    store.set_conclusion(other, "yes")
    sheet.poll()  # the change is seen, the picture is still the fresh one from before it
    assert "<strong>Thuiszorg</strong>: Nog geen besluit" in sheet.revealed.children[0].value
    now[0] = 2.0
    sheet.poll()  # nothing changed since, but the page knows its picture is behind
    assert "<strong>Thuiszorg</strong>: Ja" in sheet.revealed.children[0].value


def test_a_locked_session_greys_every_control_and_says_so_in_the_sessions_language(store, catalogue):
    session = store.create_session("Workshop", catalogue, "en")
    sheet = open_page(store, session).worksheet
    sheet.own["for"].new_text.value = "Our own reason"
    sheet.own["for"].add_button.click()
    # Every input that changes the answers; not the switch between the group's picture and the team's own.
    controls = [control for control in inputs(sheet) if control is not sheet.view_switch]
    before = [control.disabled for control in controls]
    assert len(controls) > 2 * len(catalogue.motives) and not all(before)
    store.set_locked(session, True)
    sheet.poll()
    assert all(control.disabled for control in controls)
    assert sheet.locked.value == (
        '<p role="status">The session is locked. Your answers are saved and can no longer change.</p>'
    )
    store.set_locked(session, False)
    sheet.poll()
    assert [control.disabled for control in controls] == before and sheet.locked.value == ""


def test_the_lock_stops_the_timer_and_the_invitation_to_tick(store, catalogue):
    session = store.create_session("Workshop", catalogue, "en")
    sheet = open_page(store, session).worksheet
    store.start_timer(session, 10)
    sheet.poll()
    assert "left for this phase" in sheet.timer.value and "motives-is-locked" not in sheet._dom_classes
    assert '<div class="motives-instruction">' in sheet.header.value  # what the lock hides (widgets/app.css)
    store.set_locked(session, True)
    sheet.poll()
    assert sheet.timer.value == "" and "motives-is-locked" in sheet._dom_classes
    store.set_locked(session, False)
    sheet.poll()
    assert "left for this phase" in sheet.timer.value and "motives-is-locked" not in sheet._dom_classes


def test_a_deleted_session_ends_the_page_in_the_sessions_language(store, catalogue):
    session = store.create_session("Workshop", catalogue, "en")
    sheet = open_page(store, session).worksheet
    store.start_timer(session, 10)
    sheet.poll()
    assert sheet.timer.value
    store.delete_session(session)
    sheet.poll()
    assert sheet.locked.value == (
        '<p role="alert">This session was deleted. Nothing is saved any more. Ask your trainer for a new code.</p>'
    )
    assert sheet.timer.value == "" and all(control.disabled for control in inputs(sheet))


def test_the_timer_speaks_the_sessions_language(store, catalogue):
    session = store.create_session("Workshop", catalogue, "en")
    sheet = open_page(store, session).worksheet
    store.start_timer(session, 10)
    sheet.poll()
    until = time_of_day("en", store.state(session).timer_ends_at, seconds=False)
    assert sheet.timer.value == f'<p role="timer">10 min left for this phase (until {until}).</p>'


def test_without_a_reveal_the_team_page_shows_no_other_team(store, session):
    page = open_page(store, session)
    other = store.join(session, "Geheim team")
    store.add_own_motive(other, "for", "Onze geheime reden")
    store.set_answer(other, "for-prevention", True, 5)
    page.worksheet.poll()
    assert "Onze geheime reden" not in shown_text(page)
    assert "Geheim team" not in shown_text(page)
    store.set_revealed(session, True)  # the same page, once the trainer reveals: the guard above was the reveal
    page.worksheet.poll()
    assert "Onze geheime reden" in shown_text(page) and "Geheim team" in shown_text(page)


def test_the_team_page_never_imports_pandas_matplotlib_numpy_or_the_grouping_by_meaning(tmp_path):
    # Each one costs every team kernel tenths of a second and megabytes (docs/benchmarks.md); the
    # grouping by meaning (its stemmers and word lists) is the overview's, never a team's.
    script = f"""
import sys
from motives.catalogue import default_catalogue
from motives.store import Store
from motives.widgets.team import TeamPage
store = Store({str(tmp_path / "m.db")!r})
session = store.create_session("S", default_catalogue())
page = TeamPage({{"session": session.code, "team": "A"}}, store=store)
page.go_button.click()  # joins: the page now shows the worksheet
page.worksheet.choices["for-prevention"].applies.value = True
page.worksheet.own["for"].new_text.value = "Eigen"
page.worksheet.own["for"].add_button.click()
page.worksheet.conclusion.choice.value = "yes"
page.worksheet.poll()
print(sorted(m for m in ("pandas", "matplotlib", "numpy", "snowballstemmer", "motives.meaning") if m in sys.modules))
"""
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=True)
    assert result.stdout.strip() == "[]"


def test_one_team_on_two_devices_sees_the_other_devices_changes(store, session):
    laptop = open_page(store, session).worksheet
    phone = open_page(store, session).worksheet
    laptop.choices["for-prevention"].applies.value = True  # different motives: both win
    phone.choices["for-support-staff"].applies.value = True
    laptop.choices["for-prevention"].importance.value = 5
    phone.choices["for-prevention"].applies.value = True  # the same answer: the later change wins...
    phone.choices["for-prevention"].importance.value = 2
    laptop.own["for"].new_text.value = "Van de laptop"
    laptop.own["for"].add_button.click()
    laptop.conclusion.explanation.value = "Uitleg van de laptop"
    for page in (laptop, phone):
        page.poll()  # ...and every page shows it at its next poll
    answers = stored(store, session).answers
    assert {k: a.importance for k, a in answers.items()} == {"for-prevention": 2, "for-support-staff": 3}
    for page in (laptop, phone):
        assert page.choices["for-prevention"].importance.value == 2
        assert page.choices["for-support-staff"].applies.value is True
        assert page.own["for"].texts == ["Van de laptop"]
        assert page.conclusion.explanation.value == "Uitleg van de laptop"
    phone.own["for"].rows.children[0].remove.click()
    laptop.poll()
    assert laptop.own["for"].texts == []


def test_an_unreachable_store_is_a_friendly_message_on_the_page(tmp_path, monkeypatch):
    monkeypatch.setenv("MOTIVES_DB", str(tmp_path / "no-such-folder" / "motives.db"))
    page = TeamPage({"session": "ABC234", "team": "Noord"})
    assert page.worksheet is None
    assert "De antwoorden kunnen nu niet bewaard worden" in page.form_status.value
    assert "Traceback" not in page.form_status.value and "sqlite" not in page.form_status.value


def test_a_server_whose_store_cannot_be_reached_is_a_friendly_message_too(tmp_path, monkeypatch):
    # Under motives serve the page knows its device and asks the store how often it typed a wrong code
    # before it looks the code up: a store that is away must not end the page before its first word.
    from motives.request import Request

    monkeypatch.setenv("MOTIVES_DB", str(tmp_path / "no-such-folder" / "motives.db"))
    page = TeamPage(Request(params={"session": "ABC234", "team": "Noord"}, client="192.0.2.7"))
    assert page.worksheet is None
    assert "De antwoorden kunnen nu niet bewaard worden" in page.form_status.value


def test_a_read_only_store_refuses_a_tick_and_the_page_says_so(tmp_path, catalogue):
    path = tmp_path / "ro.db"
    writable = Store(path)
    session = writable.create_session("Alleen lezen", catalogue)
    writable.join(session, "Noord")
    page = open_page(Store(f"sqlite:///file:{path}?mode=ro&uri=true"), session, team="Noord")
    choice = page.worksheet.choices["for-prevention"]
    choice.applies.value = True
    assert "De antwoorden kunnen nu niet bewaard worden" in choice.status.value
    assert choice.applies.value is False and writable.team_answers(page.worksheet.team).answers == {}


def test_forged_values_through_the_widget_api_never_reach_the_store(store, session):
    from traitlets import TraitError

    page = open_page(store, session)
    sheet = page.worksheet
    own = sheet.own["for"]
    own.new_text.value = "Eigen"
    own.add_button.click()
    row = own.rows.children[0]
    before = stored(store, session)
    for widget, state in (
        (sheet.conclusion.choice, {"index": 7}),
        (row.importance, {"index": 12}),
        (sheet.choices["for-prevention"].importance, {"index": -1}),
    ):
        with pytest.raises(TraitError):
            widget.set_state(state)
    row.remove.click()
    row.text.set_state({"value": "Na het verwijderen"})  # a removed row's box, still known to the browser
    assert "bestaat niet (meer)" in row.status.value
    assert stored(store, session).own == [] and stored(store, session).answers == before.answers


def test_the_groups_picture_says_per_motive_how_many_teams_and_where_this_team_stands(store, session):
    north = store.join(session, "Noord")
    store.set_answer(north, "for-prevention", True, 5)
    store.add_own_motive(north, "for", "<b>Ouders</b> vragen ernaar", 4)
    page = open_page(store, session)  # Jeugdwerk, which ticks nothing
    store.set_answer(page.worksheet.team, "for-prevention", True, 2)
    store.set_revealed(session, True)
    sheet = page.worksheet
    sheet.poll()
    (view,) = sheet.revealed.children
    html = view.value
    assert "motives-showing-group" in sheet._dom_classes and sheet.view_switch.value == "group"
    assert "motives-hidden" not in sheet.view_switch._dom_classes  # the switch shows with the picture
    # The motives most teams chose come first, with the count, the mean and this team's own choice.
    first = html.index('<li class="motives-group-item motives-group-chosen"><p class="motives-group-motive">Beter')
    assert first < html.index("&lt;b&gt;Ouders&lt;/b&gt; vragen ernaar") and "<b>Ouders" not in html
    assert "2 van 2 teams · gemiddeld belang 3,5" in html and "Jullie: gekozen, belang 2" in html
    assert "1 van 2 teams" in html and "Jullie: niet gekozen" in html
    sheet.view_switch.value = "ours"
    assert "motives-showing-group" not in sheet._dom_classes
    store.set_revealed(session, False)
    sheet.poll()
    assert "motives-hidden" in sheet.view_switch._dom_classes and sheet.revealed.children == ()
