"""A participant who is not friendly, at the level of the page's Python objects.

Everything a browser can do arrives as a widget value or a click; these tests set
them as a forged comm message would. tests/ui/test_hostile.py does the same
through a real server.
"""

from __future__ import annotations

import ipywidgets as w
from pages import joined_page

from motives import validate
from motives.store import Store
from widgets.dashboard import DashboardPage
from widgets.team import TeamPage


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def alive() -> int:
    """Widgets the kernel keeps (each reachable over the websocket until closed)."""
    return len(w.widgets.widget._instances)


# --- teams are made by people, not by GETs ------------------------------------


def test_rendering_a_team_url_makes_no_team(store, session):
    for n in range(50):
        page = TeamPage({"session": session.code, "team": f"Squatter {n}"}, store=store)
        assert page.worksheet is None
    assert store.records(session).teams == []
    assert page.go_button.description == "Doe mee als dit team"
    assert page.name_field.value == "Squatter 49"


def test_the_join_click_makes_the_team_and_opens_its_worksheet(store, session):
    page = TeamPage({"session": session.code, "team": "Noord"}, store=store)
    page.go_button.click()
    assert page.worksheet is not None and page.worksheet.team.name == "Noord"
    assert [t.name for t in store.records(session).teams] == ["Noord"]
    again = TeamPage({"session": session.code, "team": "noord"}, store=store)  # its bookmark, another device
    assert again.worksheet is not None and again.worksheet.team.id == page.worksheet.team.id


def test_a_replaced_form_is_closed_so_a_forged_click_on_it_does_nothing(store, session):
    page = TeamPage({"session": session.code, "team": "Noord"}, store=store)
    old_button, old_field = page.go_button, page.name_field
    old_button.click()
    assert old_button.comm is None and old_field.comm is None  # closed: no longer reachable
    old_field.value = "Tweede team"  # as a late message would; the page shows the worksheet
    old_button.click()
    assert [t.name for t in store.records(session).teams] == ["Noord"]


# --- look-alike names ---------------------------------------------------------


def test_look_alike_team_names_are_one_team(store, session):
    first = store.join(session, "Ｎoord")  # a full-width N
    for look_alike in ("Noord", "noord", "NOORD", " Noord ", "Ｎｏｏｒｄ"):
        assert store.join(session, look_alike).id == first.id
    assert [t.name for t in store.records(session).teams] == ["Ｎoord"]  # shown as first typed
    assert validate.team_name_key("ﬁlm") == validate.team_name_key("Film")  # a ligature is two letters


# --- guessing join codes is slowed ----------------------------------------------


def test_after_five_wrong_codes_each_try_waits_longer(store, session):
    page = TeamPage({}, store=store)
    page.code_tries.clock = clock = Clock()
    for n in range(4):
        page.code_field.value = f"WRONG{n}"  # the field submits when the participant leaves it…
        page.go_button.click()  # …and the button submits the same code again: one try
        assert "Er is geen sessie met code" in page.form_status.value
        assert "Wacht" not in page.form_status.value
    waits = []
    for n in range(8):
        clock.now += waits[-1] if waits else 0
        page.code_field.value = f"WRONGX{n}"
        waits.append(page.code_tries.wait())
    assert waits == [2, 4, 8, 16, 32, 60, 60, 60]
    assert "Er is geen sessie met code WRONGX7. Kijk de code na bij je trainer." in page.form_status.value
    assert "Te veel foute codes. Wacht 60 seconden en probeer dan opnieuw." in page.form_status.value
    page.code_field.value = session.code  # even the right code waits its turn
    assert "Te veel foute codes. Wacht 60 seconden en probeer dan opnieuw." in page.form_status.value
    assert page.session is None
    clock.now += 60
    page.go_button.click()
    assert page.session is not None and page.session.code == session.code


def test_guessing_fast_with_forged_messages_gets_nine_tries_in_a_minute(store, session):
    page = TeamPage({}, store=store)
    page.code_tries.clock = clock = Clock()
    tried = 0
    for n in range(3000):  # 50 forged messages a second for a minute
        clock.now += 1 / 50
        page.code_field.value = f"GUESS{n:04d}"  # Enter: one submit a code
        if "Er is geen sessie" in page.form_status.value:
            tried += 1
    assert tried == 9  # five free, then after waits of 2, 4, 8 and 16 seconds
    assert page.code_tries.wait() > 0


# --- deleted means gone for open pages too ----------------------------------------


def test_a_page_of_a_deleted_session_says_so_and_stops(store, session, caplog):
    sheet = joined_page(store, session, "Noord").worksheet
    board = DashboardPage({"session": session.code, "key": session.trainer_key}, store=store).dashboard
    store.delete_session(session)
    sheet.poll()
    board.poll()
    assert sheet.ended and board.ended
    assert "Deze sessie is verwijderd." in sheet.locked.value
    assert "Deze sessie is verwijderd." in board.status.value
    assert "Bewaard" not in sheet.status.value and "elke wijziging" not in sheet.status.value
    assert all(control.disabled for control in sheet.controls())
    before = (sheet.locked.value, board.status.value)
    sheet.poll()
    board.poll()
    assert (sheet.locked.value, board.status.value) == before
    assert caplog.records == []  # nothing logged, no traceback


# --- no widget leaks --------------------------------------------------------------


def test_twenty_revisions_leave_no_widgets_behind(store, session):
    north = store.join(session, "Noord")
    sheet = joined_page(store, session, "Zuid").worksheet
    sheet.poll()
    start = alive()
    for n in range(20):
        store.set_answer(north, "for-prevention", n % 2 == 0, 3)
        sheet.poll()
    assert alive() == start


def test_twenty_revisions_with_the_comparison_revealed_keep_one_comparison(store, session):
    north = store.join(session, "Noord")
    sheet = joined_page(store, session, "Zuid").worksheet
    store.set_revealed(session, True)
    sheet.poll()
    start = alive()
    for n in range(20):
        store.set_answer(north, "for-prevention", n % 2 == 0, 3)
        sheet.poll()
    assert alive() == start
    assert len(sheet.revealed.children) == 1
    store.set_revealed(session, False)
    sheet.poll()
    assert alive() == start - 3 and sheet.revealed.children == ()  # the comparison, its layout and its style


def test_another_devices_removed_own_motives_are_closed(store, session):
    north = store.join(session, "Noord")
    sheet = joined_page(store, session, "Noord").worksheet
    for n in range(11):
        if n == 1:
            start = alive()  # after one row came and went: shared models made once are not leaks
        own = store.add_own_motive(north, "for", f"Motief {n}")
        sheet.poll()
        store.remove_own_motive(north, own.id)
        sheet.poll()
    assert alive() == start


def test_a_store_of_schema_4_gets_look_alike_names_folded(tmp_path, catalogue):
    path = tmp_path / "v4.db"
    store = Store(path)
    session = store.create_session("S", catalogue)
    team = store.join(session, "Ｎoord")
    with store.engine.begin() as conn:  # as schema 4 stored it: NFC and case folding only
        conn.exec_driver_sql("UPDATE teams SET name_key = 'ｎoord'")
        conn.exec_driver_sql("UPDATE schema_info SET version = 4")
    store.close()
    again = Store(path)
    assert again.find_team(session, "Noord").id == team.id
    again.close()


# --- sessions on a shared server can expire -----------------------------------------


def test_an_expired_sessions_code_stops_working_on_the_pages_but_not_for_the_trainer(tmp_path, catalogue, capsys):
    from motives.cli import main

    db = tmp_path / "old.db"
    Store(db).create_session("Vorig jaar", catalogue)
    with Store(db).engine.begin() as conn:
        conn.exec_driver_sql("UPDATE sessions SET created_at = '2025-01-01 09:00:00.000000'")
    code = Store(db).sessions()[0].code
    page = TeamPage({"session": code}, store=Store(db, expire_days=30))
    assert page.session is None
    assert f"Er is geen sessie met code {code}." in page.form_status.value
    assert Store(db, expire_days=0).session(code).name == "Vorig jaar"
    assert main(["export", code, "--format", "csv", "--db", str(db)]) == 0  # the owner still has it
    assert capsys.readouterr().out.startswith("session,")


def test_the_expiry_comes_from_motives_expire_days(tmp_path, monkeypatch):
    assert Store(tmp_path / "a.db").expire_days == 0  # a laptop: never
    monkeypatch.setenv("MOTIVES_EXPIRE_DAYS", "30")  # what motives serve --expire-days 30 gives its pages
    assert Store(tmp_path / "b.db").expire_days == 30


def test_wrong_codes_from_one_address_are_counted_across_pages(store, session, monkeypatch):
    """A script that opens page after page (each its own kernel) still meets one limit per address."""
    from widgets.team import CLIENT_FAILURES, CLIENT_VARIABLE

    monkeypatch.setenv(CLIENT_VARIABLE, "192.0.2.7")  # what motives serve passes each kernel
    tried = 0
    for page_number in range(CLIENT_FAILURES // 4 + 2):
        page = TeamPage({}, store=store)  # a fresh page: its own per-page tries are all free
        for n in range(4):
            page.code_field.value = f"P{page_number:02d}X{n}"
            tried += "Er is geen sessie" in page.form_status.value
    assert tried == CLIENT_FAILURES
    assert "Te veel foute codes." in page.form_status.value
    page = TeamPage({}, store=store)
    page.code_field.value = session.code  # the right code waits too: a guesser cannot tell it apart
    assert page.session is None and "Te veel foute codes." in page.form_status.value
    monkeypatch.setenv(CLIENT_VARIABLE, "192.0.2.8")  # another device in the room is not held up
    page = TeamPage({}, store=store)
    page.code_field.value = session.code
    assert page.session is not None
