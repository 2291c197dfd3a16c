"""The trainer's dashboard without a browser: what it shows, what it steers, and what it never shows without the key."""

from __future__ import annotations

import base64
import io
import os
import re
import socket
import subprocess
import sys

import docx
import pytest
from pages import board_for, inputs, joined_page, on_screen, shown_text
from services import store_service

from motives.errors import StoreError
from motives.i18n import N_
from motives.request import Request
from motives.settings import Settings
from motives.widgets.guessing import CLIENT_WINDOW, Guesses
from motives.widgets.keyed import DashboardPage


def fill(store, session):
    north = store.join(session, "Noord")
    south = store.join(session, "Zuid")
    store.join(session, "West")
    store.set_answer(north, "for-prevention", True, 5)
    store.set_answer(south, "for-prevention", True, 3)
    store.set_answer(south, "against-no-priority", True, 2)
    store.add_own_motive(north, "for", "Ouders vragen ernaar", 4)
    store.set_conclusion(north, "yes", "")
    return north, south


def test_without_the_trainer_key_no_team_data_is_shown(store, session):
    fill(store, session)
    store.add_own_motive(store.find_team(session, "Noord"), "for", "Ouders vragen ernaar", 4)
    tries = (
        {},
        {"session": session.code},
        {"session": session.code, "key": "wrong"},
        {"session": "ZZZ234", "key": "x"},
    )
    for params in tries:
        page = DashboardPage(params, store=store)
        assert page.dashboard is None
        shown = shown_text(page)  # the whole widget tree, the page's title and language included
        for secret in ("Noord", "Zuid", "Ouders vragen ernaar", "Workshop Gent", session.trainer_key):
            assert secret not in shown, (params, secret)
    page = DashboardPage({"session": session.code}, store=store)
    assert "Deze pagina is voor de trainer." in page.form_status.value


WRONG = (
    '<p class="motives-error" role="alert">Er is geen sessie met deze code en deze trainerssleutel. Kijk beide na.</p>'
)


def test_a_wrong_key_and_an_unknown_code_get_the_same_answer(store, catalogue):
    # An English session: a wrong key must not switch the page to the session's language either.
    session = store.create_session("Workshop", catalogue, "en")
    wrong_key = DashboardPage({"session": session.code, "key": "wrong"}, store=store)
    unknown = DashboardPage({"session": "ZZZ234", "key": "wrong"}, store=store)
    assert wrong_key.form_status.value == unknown.form_status.value == WRONG
    assert shown_text(wrong_key).replace(session.code, "ZZZ234") == shown_text(unknown)


def test_the_dashboards_wrong_tries_count_with_the_team_pages_wrong_codes(store, session):
    from motives.widgets.guessing import CLIENT_FAILURES
    from motives.widgets.team import TeamPage

    def device(**params: str) -> Request:  # what motives serve passes each page's kernel
        return Request(params=params, client="192.0.2.7")

    for n in range(CLIENT_FAILURES // 2):
        DashboardPage(device(session=session.code, key=f"guess{n}"), store=store)  # a code's link, a wrong key
        DashboardPage(device(session=f"ZZZ{n:03d}", key="guess"), store=store)
    assert len(store.failed_joins("192.0.2.7", CLIENT_WINDOW)) == CLIENT_FAILURES
    # Now every entry point of this device waits, with the right code and key too.
    page = DashboardPage(device(session=session.code, key=session.trainer_key), store=store)
    assert page.dashboard is None and "Te veel foute codes." in page.form_status.value
    team_page = TeamPage(device(session=session.code), store=store)
    assert team_page.session is None and "Te veel foute codes." in team_page.form_status.value


def test_a_code_in_the_team_link_counts_as_a_try(store, session):
    from motives.widgets.team import TeamPage

    TeamPage(Request(params={"session": "ZZZ234"}, client="192.0.2.9"), store=store)
    TeamPage(Request(params={"session": "ZZZ235", "team": "Noord"}, client="192.0.2.9"), store=store)
    assert len(store.failed_joins("192.0.2.9", CLIENT_WINDOW)) == 2


def test_each_try_closes_the_form_it_replaces(store, session):
    page = DashboardPage({}, store=store)
    first = [page.code_field, page.key_field, page.open_button, page.form_status]
    page.code_field.value, page.key_field.value = "ZZZ234", "wrong"
    page.open_button.click()
    assert [widget.comm for widget in first] == [None] * 4  # no longer reachable over the websocket
    assert page.open_button.comm is not None


def test_the_form_opens_the_dashboard_with_code_and_key(store, session):
    page = DashboardPage({}, store=store)
    page.code_field.value = session.code
    page.key_field.value = session.trainer_key
    page.open_button.click()
    assert page.dashboard is not None and page.dashboard.session.code == session.code
    assert page.body.children == (page.dashboard,)  # the form is gone, the dashboard shows
    assert 'data-motives-title="Overzicht — Workshop Gent"' in page.identity.value


def test_progress_shows_who_joined_and_who_answered(store, session):
    fill(store, session)
    progress = board_for(store, session).progress.value
    assert "Meegedaan: 3 · Geantwoord: 2" in progress
    assert '<progress max="3" value="2"' in progress
    assert progress.index("Noord") < progress.index("Zuid") < progress.index("West")


def test_the_comparison_counts_teams_and_means_per_motive(store, session):
    fill(store, session)
    board = board_for(store, session)
    summary = board.comparison["all"].droplevel(["side", "text", "origin"])
    assert summary.loc["for-prevention"].tolist() == [2, 4.0]
    assert summary.loc["against-no-priority"].tolist() == [1, 2.0]
    assert summary.loc["own-1"].tolist() == [1, 4.0]
    html = on_screen(board, "comparison_tab").view.value
    assert "Ouders vragen ernaar" in html and "✓ 5" in html and "Gemiddeld belang" in html


def test_the_comparison_is_a_heat_map_with_the_number_in_every_coloured_cell(store, session):
    fill(store, session)
    html = on_screen(board_for(store, session), "comparison_tab").view.value
    # the darkest colour carries white text and the number itself, so it reads in black and white too
    assert re.search(r"background-color: #163d6e;\s*color: #ffffff;", html)
    assert "✓ 5" in html and "group" not in re.sub(r"<style.*?</style>", "", html, flags=re.S).lower()


def test_the_heat_map_shows_ticks_and_importance_per_team(store, session):
    # a Dutch table writes its decimals with a comma, as the session's language does (motives.i18n.decimal)
    fill(store, session)
    html = on_screen(board_for(store, session), "comparison_tab").view.value
    head = re.search(r"<thead>(.*?)</thead>", html).group(1)
    columns = re.findall(r'<th class="col_heading[^"]*"[^>]*>([^<]*)</th>', head)
    assert columns == ["Teams", "Alle teams", "Noord", "Zuid", "West", "Gekozen door", "Gemiddeld belang"]
    row = next(row for row in re.findall(r"<tr>.*?</tr>", html) if "Beter voorkomen dan genezen." in row)
    cells = re.findall(r"<t[hd][^>]*>([^<]*)</t[hd]>", row)
    assert cells[-7:] == ["Beter voorkomen dan genezen.", "werkblad", "✓ 5", "✓ 3", "—", "2", "4,0"]


def test_what_to_talk_about_sorts_the_motives(store, session):
    fill(store, session)
    talk = board_for(store, session).talk_tab.view.value
    sections = dict(re.findall(r'motives-category-(\w+)"><h3>[^<]*\((\d+)\)', talk))
    # West has not answered: shared means shared by the two teams that did
    assert sections == {"shared": "1", "split": "0", "single": "2", "none": "8"}
    assert "2 van 2 teams · belang 3–5 · Noord, Zuid" in talk


def test_the_balance_is_a_table_with_the_whole_group_and_a_chart(store, session):
    fill(store, session)
    board = board_for(store, session)
    assert board.balance.loc["Noord", ["for_count", "for_importance", "against_count"]].tolist() == [2, 9, 0]
    table = on_screen(board, "balance_tab").view.value
    assert "Ja" in table and "Nog geen besluit" in table and "Hele groep" in table
    png = re.search(r'src="data:image/png;base64,([^"]+)"', board.balance_tab.chart.value).group(1)
    assert base64.b64decode(png)[:8] == b"\x89PNG\r\n\x1a\n"
    assert 'alt="Staafdiagram' in board.balance_tab.chart.value


def test_a_new_answer_appears_at_the_next_poll_and_not_while_paused(store, session):
    board = board_for(store, session)
    assert "Meegedaan: 0 " in board.progress.value
    fill(store, session)
    board.poll()
    assert "Meegedaan: 3 · Geantwoord: 2" in board.progress.value
    board.live.value = False
    assert board.live.description == "Gepauzeerd"
    store.join(session, "Laatkomers")
    board.poll()
    assert "Meegedaan: 3 " in board.progress.value
    board.live.value = True  # resuming catches up at once
    assert "Meegedaan: 4 " in board.progress.value


def test_polling_without_changes_redraws_nothing(store, session):
    fill(store, session)
    board = board_for(store, session)
    own = board.pages.index(on_screen(board, "own_tab"))
    board.own_tab.merge_b.value = board.own_tab.merge_b.options[3][1]
    before = board.own_tab.view.value
    board.own_tab.view.value = "sentinel"
    board.poll()
    assert board.own_tab.view.value == "sentinel"  # the tab on screen, same revision: left alone
    board.own_tab.view.value = before
    store.join(session, "Nieuw")
    board.poll()
    assert board.tabs.selected_index == own and board.own_tab.merge_b.value == board.own_tab.merge_b.options[3][1]


def test_the_trainer_reveals_the_comparison_and_starts_a_timer(store, session):
    fill(store, session)
    board = board_for(store, session)
    team_page = joined_page(store, session, "Zuid")
    board.reveal.value = True
    assert store.state(session).revealed and board.reveal.description == "Vergelijking zichtbaar voor de teams"
    board.minutes.value = 7
    board.timer_start.click()
    assert re.search(r"Nog (7:00|6:5\d) voor deze fase\.", board.timer.value)
    team_page.worksheet.poll()
    assert team_page.worksheet.revealed.children
    assert re.search(r"Nog 7 min voor deze fase \(tot \d\d:\d\d\)\.", team_page.worksheet.timer.value)
    board.timer_stop.click()
    assert store.state(session).timer_ends_at is None and board.timer.value == ""


def test_a_forged_timer_value_is_refused(store, session):
    board = board_for(store, session)
    board.minutes.set_state({"max": 100_000})
    board.minutes.set_state({"value": 100_000})
    board.timer_start.click()
    assert "Kies een tijd van 1 tot 180 minuten." in board.status.value
    assert store.state(session).timer_ends_at is None


def test_join_panel_shows_code_url_and_a_local_qr_code(store, session, monkeypatch):
    monkeypatch.setenv("MOTIVES_BASE_URL", "http://192.0.2.10:8866/")
    board = board_for(store, session)
    join = board.join.value
    assert f'<p class="motives-join-code">{session.code}</p>' in join
    assert f"http://192.0.2.10:8866/voila/render/team.ipynb?session={session.code}" in join
    assert "<svg" in join and 'role="img"' in join and "http" not in join.split("<svg", 1)[1]


def test_the_trainer_merges_and_splits_own_motives(store, session):
    _north, south = fill(store, session)
    store.add_own_motive(south, "for", "Ouders willen het weten", 2)
    board = board_for(store, session)
    rows = dict((value, label) for label, value in on_screen(board, "own_tab").merge_b.options)
    assert rows["own-1"].endswith("Ouders vragen ernaar") and rows["own-2"].endswith("Ouders willen het weten")
    board.own_tab.merge_a.value, board.own_tab.merge_b.value = "own-2", "own-1"
    board.own_tab.merge_button.click()
    assert "Samengevoegd." in board.own_tab.merge_status.value
    group = board.comparison.xs("Ouders vragen ernaar", level="text")
    assert group[("all", "teams")].tolist() == [2]
    assert [v for _l, v in board.own_tab.split_what.options] == ["g-1"]
    board.own_tab.split_button.click()
    assert "Ouders willen het weten" in board.comparison.index.get_level_values("text")


def test_the_own_motives_tab_says_which_words_grouped_texts_share(store, session):
    north, south = fill(store, session)
    store.add_own_motive(north, "for", "Privacy van cliënten beschermen", 4)
    store.add_own_motive(south, "for", "bescherming privacy clienten", 3)
    store.add_own_motive(south, "for", "Ouders willen het weten", 2)
    board = board_for(store, session)
    board.tabs.selected_index = board.tabs.children.index(board.own_tab)
    group = re.search(r"<strong>Privacy van cliënten beschermen</strong>.*?</div>", board.own_tab.view.value).group()
    assert "bescherming privacy clienten" in group
    assert "Samen omdat ze allemaal zeggen: privacy, cliënten, beschermen" in group
    # The trainer's own merge says so: there is no word to give as the reason.
    board.own_tab.merge_a.value, board.own_tab.merge_b.value = "own-4", "own-1"
    board.own_tab.merge_button.click()
    group = re.search(r"<strong>Ouders vragen ernaar</strong>.*?</div>", board.own_tab.view.value).group()
    assert "Ouders willen het weten" in group and "Door jou samengevoegd" in group


def test_merging_across_sides_is_refused(store, session):
    north, _south = fill(store, session)
    store.add_own_motive(north, "against", "Geen tijd", 2)
    board = board_for(store, session)
    on_screen(board, "own_tab").merge_a.value, board.own_tab.merge_b.value = "own-2", "for-prevention"
    board.own_tab.merge_button.click()
    assert "Alleen motieven aan dezelfde kant" in board.own_tab.merge_status.value


def test_sessions_are_compared_once_their_key_is_given(store, catalogue, session):
    fill(store, session)
    other = store.create_session("Tweede groep", catalogue)
    board = board_for(store, session)
    board.sessions_tab.other_code.value, board.sessions_tab.other_key.value = other.code, "wrong"
    board.sessions_tab.add_session.click()
    assert "Tweede groep" not in board.sessions_tab.view.value
    assert "Deze trainerssleutel hoort niet bij deze sessie." in board.sessions_tab.status.value
    board.sessions_tab.other_key.value = other.trainer_key
    board.sessions_tab.add_session.click()
    assert (
        "Tweede groep" in board.sessions_tab.view.value
        and "Beter voorkomen dan genezen. (2)" in board.sessions_tab.view.value
    )


def test_a_compared_session_deleted_while_the_tab_reads_leaves_this_dashboard_running(
    store, catalogue, session, monkeypatch
):
    fill(store, session)
    other = store.create_session("Tweede groep", catalogue)
    store.add_compared_session(session, other.code, other.trainer_key)
    board = board_for(store, session)
    listed = store.compared_sessions(session)  # read a moment before the other session was deleted
    store.delete_session(other)
    monkeypatch.setattr(store, "compared_sessions", lambda _session: listed)
    board.tabs.selected_index = board.pages.index(board.sessions_tab)
    board.refresh()
    assert not board.ended
    assert "Workshop Gent" in board.sessions_tab.view.value and "Tweede groep" not in board.sessions_tab.view.value


def test_a_session_in_another_language_is_compared_in_this_dashboards_language(store, catalogue, session):
    french = store.create_session("Atelier Namur", catalogue, "fr")
    store.set_answer(store.join(french, "Nord"), "for-prevention", True, 4)
    board = board_for(store, session)
    board.sessions_tab.other_code.value, board.sessions_tab.other_key.value = french.code, french.trainer_key
    board.sessions_tab.add_session.click()
    assert (
        "Atelier Namur" in board.sessions_tab.view.value
        and "Beter voorkomen dan genezen. (1)" in board.sessions_tab.view.value
    )
    assert "Mieux vaut" not in board.sessions_tab.view.value
    # ...and the French dashboard shows the Dutch session's motives in French.
    store.set_answer(store.join(session, "Noord"), "for-prevention", True, 5)
    french_board = board_for(store, french)
    french_tab = french_board.sessions_tab
    french_tab.other_code.value, french_tab.other_key.value = session.code, session.trainer_key
    french_board.sessions_tab.add_session.click()
    assert "Mieux vaut prévenir que guérir. (1)" in french_board.sessions_tab.view.value
    assert "Beter voorkomen" not in french_board.sessions_tab.view.value


def test_user_text_is_escaped_in_every_view(store, session):
    evil = "<img src=x onerror=alert(1)>"
    team = store.join(session, evil)
    store.add_own_motive(team, "for", evil)
    store.set_conclusion(team, "no", evil)
    store.set_answer(store.join(session, "Noord"), "for-prevention", True, 5)  # a second team: a pair to compare
    board = board_for(store, session)
    assert "&lt;img src=x onerror=alert(1)&gt;" in board.progress.value and "<img src=x" not in board.progress.value
    for tab in ("talk_tab", "comparison_tab", "balance_tab", "alike_tab", "own_tab"):
        view = on_screen(board, tab).view
        assert "<img src=x" not in view.value, tab
        assert "&lt;img src=x onerror=alert(1)&gt;" in view.value, tab
    # a dropdown renders its labels as text, so there the motive is shown exactly as typed
    assert f"[Wel beleid] {evil}" in [label for label, _value in board.own_tab.merge_b.options]


def test_a_team_name_with_dollars_does_not_break_the_chart(store, session):
    team = store.join(session, "Team $x^2$ and $$")
    store.set_answer(team, "for-prevention", True, 2)
    assert "data:image/png;base64," in on_screen(board_for(store, session), "balance_tab").chart.value


def test_the_dashboard_speaks_the_sessions_language(store, catalogue):
    session = store.create_session("Workshop", catalogue, "en")
    fill(store, session)
    board = board_for(store, session)
    assert "Joined: 3 · Answered: 2" in board.progress.value
    assert "Prevention is better than cure." in on_screen(board, "comparison_tab").view.value
    assert board.tabs.titles == (
        "To talk about",
        "Comparison",
        "Balance",
        "Own motives",
        "Who thinks alike",
        "Sessions",
        "Export",
    )


def test_teams_that_joined_but_did_not_answer_yet(store, session):
    store.join(session, "Stil team")
    board = board_for(store, session)
    assert "Meegedaan: 1 · Geantwoord: 0" in board.progress.value
    assert "Door geen enkel team gekozen (10)" in board.talk_tab.view.value


def _downloaded(link_html: str) -> tuple[str, bytes]:
    name = re.search(r'download="([^"]+)"', link_html).group(1)
    data = re.search(r'href="data:[^;]+;base64,([^"]+)"', link_html).group(1)
    return name, base64.b64decode(data)


def test_every_export_is_offered_as_a_download_from_the_page(store, session):
    import json

    import openpyxl

    fill(store, session)
    board = board_for(store, session)
    board.export_tab.buttons["dl_xlsx"].click()
    name, data = _downloaded(board.export_tab.downloads.value)
    assert name == f"motieven-{session.code}-tabellen.xlsx"
    assert openpyxl.load_workbook(io.BytesIO(data)).sheetnames[0] == "Antwoorden"
    board.export_tab.buttons["dl_archive"].click()
    name, data = _downloaded(board.export_tab.downloads.value)
    assert name == f"motieven-{session.code}-archief.json" and json.loads(data)["format"] == "motives-archive"
    board.export_tab.buttons["dl_policy_docx"].click()
    name, data = _downloaded(board.export_tab.downloads.value)
    assert name == f"motieven-{session.code}-beleidsaanzet.docx"
    assert docx.Document(io.BytesIO(data)).paragraphs[0].text == "Een eerste stap naar beleid"
    for label in (
        "dl_report_html",
        "dl_handouts",
        "dl_worksheet",
        "dl_report_md",
        "dl_csv_answers",
        "dl_csv_comparison",
    ):
        board.export_tab.buttons[label].click()
        name, data = _downloaded(board.export_tab.downloads.value)
        assert data and session.code in name
    assert "<img" not in board.export_tab.downloads.value.split("href")[0]


def test_the_trainer_picks_own_motives_for_the_next_catalogue(store, session):
    import tomllib

    from motives.catalogue import catalogue_from_dict

    fill(store, session)
    board = board_for(store, session)
    on_screen(board, "own_tab").make_catalogue.click()
    assert "Kies eerst een of meer motieven." in board.own_tab.catalogue_status.value
    assert [value for _label, value in board.own_tab.pick.options] == ["own-1"]
    board.own_tab.pick.value = ("own-1",)
    board.own_tab.make_catalogue.click()
    name, data = _downloaded(board.own_tab.catalogue_link.value)
    grown = catalogue_from_dict(tomllib.loads(data.decode("utf-8")))
    assert name == f"motieven-{session.code}-werkblad-uitgebreid.toml"
    assert [m.text("nl") for m in grown.motives][-1] == "Ouders vragen ernaar"


def test_the_trainer_locks_the_session_and_the_team_page_says_so(store, session):
    fill(store, session)
    board = board_for(store, session)
    page = joined_page(store, session, "Zuid")
    board.lock.value = True
    assert store.state(session).locked and board.lock.description == "Sessie vergrendeld"
    sheet = page.worksheet
    sheet.poll()
    assert "De sessie is vergrendeld." in sheet.locked.value
    # Every input that changes the answers (the switch to the group's picture changes nothing in the store).
    assert all(control.disabled for control in inputs(sheet) if control is not sheet.view_switch)
    # the browser can still send a value to a disabled widget: the store refuses it
    choice = sheet.choices["for-support-staff"]
    choice.applies.value = True
    assert "De trainer heeft de sessie vergrendeld" in choice.status.value
    assert choice.applies.value is False
    assert "for-support-staff" not in store.team_answers(store.find_team(session, "Zuid")).answers
    board.lock.value = False
    sheet.poll()
    assert sheet.locked.value == "" and not any(control.disabled for control in inputs(sheet))


def test_a_full_session_tells_the_next_team(tmp_path, catalogue):
    from motives.store import Store

    store = Store(tmp_path / "full.db", max_teams=1)
    session = store.create_session("Vol", catalogue)
    store.join(session, "Eerste")
    page = joined_page(store, session, "Tweede")
    assert page.worksheet is None
    assert "Deze sessie is vol: er kunnen niet meer dan 1 teams meedoen." in page.form_status.value


def test_a_change_redraws_the_tab_on_screen_and_a_hidden_tab_once_it_is_opened(store, session):
    north, _south = fill(store, session)
    board = board_for(store, session)
    board.balance_tab.chart.value = "drawn before the tick"
    store.set_answer(north, "against-no-priority", True, 4)
    board.poll()
    # To talk about is on screen: redrawn at once
    assert "2 van 2 teams · belang 2–4 · Noord, Zuid" in board.talk_tab.view.value
    assert board.balance_tab.chart.value == "drawn before the tick"  # hidden: left for later
    board.tabs.selected_index = 2  # the trainer opens Balance
    assert "data:image/png;base64," in board.balance_tab.chart.value


def test_a_tick_leaves_a_tab_alone_when_what_it_shows_did_not_change(store, session):
    north, _south = fill(store, session)
    board = board_for(store, session)
    board.tabs.selected_index = 3  # Own motives: the groups and who wrote them, not the ticks
    board.own_tab.view.value = "drawn before the tick"
    store.set_answer(north, "against-no-priority", True, 4)
    board.poll()
    assert board.own_tab.view.value == "drawn before the tick"
    store.add_own_motive(north, "for", "Ouders willen het weten", 2)
    board.poll()
    assert "Ouders willen het weten" in board.own_tab.view.value


def test_the_tables_have_no_empty_header_rows(store, session):
    fill(store, session)
    board = board_for(store, session)
    for html in (on_screen(board, "balance_tab").view.value, on_screen(board, "comparison_tab").view.value):
        head = re.search(r"<thead>(.*?)</thead>", html, re.S).group(1)
        for row in re.findall(r"<tr>(.*?)</tr>", head, re.S):
            said = re.sub(r"<[^>]+>|&nbsp;", "", row).strip()
            assert said, row  # every header row names something
    balance_head = re.search(r"<thead>(.*?)</thead>", board.balance_tab.view.value, re.S).group(1)
    assert balance_head.count("<tr>") == 1 and ">Team</th>" in balance_head
    comparison_head = re.search(r"<thead>(.*?)</thead>", board.comparison_tab.view.value, re.S).group(1)
    assert comparison_head.count("<tr>") == 2 and ">Kant</th>" in comparison_head and ">Noord</th>" in comparison_head


@pytest.mark.slow
def test_the_overview_and_the_projector_import_pandas_only_once_their_key_fits(tmp_path):
    # A form page held open by a browser (or a script) kept some 145 MB a kernel on main; without
    # pandas, matplotlib and numpy until the key fits it keeps what a team page keeps.
    script = f"""
import sys
from motives.catalogue import default_catalogue
from motives.store import Store
from motives.widgets.keyed import DashboardPage, ProjectorPage
heavy = lambda: sorted(m for m in ("pandas", "matplotlib", "numpy") if m in sys.modules)
store = Store({str(tmp_path / "m.db")!r})
session = store.create_session("S", default_catalogue())
form = DashboardPage({{}}, store=store)
form.code_field.value, form.key_field.value = session.code, "wrong"
form.open_button.click()
ProjectorPage({{"session": session.code, "screen": "wrong"}}, store=store)
print(heavy(), form.dashboard is None)
DashboardPage({{"session": session.code, "key": session.trainer_key}}, store=store)
print(heavy())
"""
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=True)
    assert result.stdout.splitlines() == ["[] True", "['matplotlib', 'numpy', 'pandas']"]


def test_a_form_whose_store_service_is_away_says_so_and_stays():
    """The key check goes to the server's store service: when it cannot be reached the trainer gets one
    sentence on the form, which stays, and no traceback."""
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        away = f"127.0.0.1:{closed.getsockname()[1]}"
    form = DashboardPage({}, settings=Settings(store_service=away, store_token="secret"))
    form.code_field.value, form.key_field.value = "ABC234", "sleutel"
    form.open_button.click()
    assert form.dashboard is None and form.body.children[0].children[-1] is form.form_status
    assert form.form_status.value == (
        '<p class="motives-error" role="alert">De antwoorden kunnen nu niet bewaard worden. '
        "Probeer het zo opnieuw of verwittig je trainer.</p>"
    )


def test_a_key_check_the_store_cannot_answer_is_said_not_raised(store, session):
    # Under motives serve the session comes from the store service, then the key check goes there too:
    # the service can fail between the two calls.
    def away(_session, _key):
        raise StoreError(N_("store_unusable"), where="motives serve", detail="ConnectionRefusedError")

    said = Guesses(lambda: store, "").session("nl", session.code, "sleutel", away, N_("wrong_code_or_key"))
    assert said == "De antwoorden kunnen nu niet bewaard worden. Probeer het zo opnieuw of verwittig je trainer."


@pytest.mark.slow
def test_under_motives_serve_a_wrong_key_costs_the_form_no_sqlalchemy(tmp_path, store, session):
    # A form's kernel that tried a wrong key kept 13 MB more than a team page's code form (SQLAlchemy, to
    # read the session and its key): the server's store service says whether a key fits, as it answers a
    # team page. The key that fits opens the store itself, for the whole session.
    script = f"""
import sys
from motives.widgets.keyed import DashboardPage, ProjectorPage
form = DashboardPage({{}})
form.code_field.value, form.key_field.value = {session.code!r}, "wrong"
form.open_button.click()
screen = ProjectorPage({{"session": {session.code!r}, "screen": "wrong"}})
print("sqlalchemy" in sys.modules, form.dashboard is None, screen.screen is None)
print(form.form_status.value)
form.key_field.value = {session.trainer_key!r}
form.open_button.click()
print("sqlalchemy" in sys.modules, form.dashboard.session.trainer_key == {session.trainer_key!r})
"""
    with store_service(Settings(db=store.url)) as service:
        env = {**os.environ, "MOTIVES_DB": store.url, **service.environ()}
        result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120, env=env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "False True True",
        '<p class="motives-error" role="alert">Er is geen sessie met deze code en deze trainerssleutel. '
        "Kijk beide na.</p>",
        "True True",
    ]
