"""The trainer's home: sessions made, listed, copied and deleted in the browser, not the terminal.

The page as motives serve gives it to this laptop (client 127.0.0.1). Who else may open it, through
a real server, is in tests/ui/test_home.py.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from pages import Clock, board_for, on_screen, picked_file, shown_text

from motives import validate
from motives.errors import UnknownSession
from motives.i18n import day
from motives.request import Request
from motives.widgets.home import SHOWN_SESSIONS, TrainerHome, for_the_trainer

LAPTOP = "127.0.0.1"
NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def home(store, language: str = "nl") -> TrainerHome:
    return TrainerHome(Request(params={"lang": language}, client=LAPTOP), store=store)


def confirm(page: TrainerHome, clock: Clock) -> None:
    """The trainer reads the question, then clicks Delete again."""
    clock.now += 2
    page.actions.delete.click()


def test_a_new_session_is_made_with_a_name_and_a_language(store):
    page = home(store)
    form = page.new_session
    form.name.value, form.session_language.value = "Atelier Namur", "fr"
    form.create.click()
    (made,) = store.sessions()
    assert (made.name, made.language) == ("Atelier Namur", "fr")
    assert form.status.value == (
        f'<p class="motives-ok" role="status">Sessie Atelier Namur is aangemaakt, met code {made.code}.</p>'
    )
    assert form.name.value == ""
    assert page.actions.picked.value == made.code  # what to do next is about the new session
    assert "Atelier Namur" in page.sessions.table.value


def test_a_double_click_on_create_makes_one_session(store):
    form = home(store).new_session
    form.name.value = "Workshop Gent"
    form.create.click()
    form.create.click()
    assert [s.name for s in store.sessions()] == ["Workshop Gent"]
    assert "motives-error" not in form.status.value  # the second click says nothing


@pytest.mark.parametrize(("name", "said"), [("   ", "een naam"), ("x" * 500, "tekens")])
def test_a_refused_name_says_why_keeps_what_was_typed_and_makes_nothing(store, name, said):
    form = home(store).new_session
    form.name.value = name
    form.create.click()
    assert store.sessions() == []
    assert form.name.value == name
    assert "motives-error" in form.status.value and said in form.status.value


def test_the_list_shows_the_newest_sessions_first_with_their_overviews_link(store, catalogue):
    older = store.create_session("Eerste", catalogue, "nl")
    newer = store.create_session("Tweede", catalogue, "en")
    table = home(store).sessions.table.value
    assert table.index("Tweede") < table.index("Eerste")
    assert f"/voila/render/dashboard.ipynb?session={newer.code}&amp;key={newer.trainer_key}&amp;lang=en" in table
    assert f"/voila/render/dashboard.ipynb?session={older.code}&amp;key={older.trainer_key}" in table
    assert 'target="_blank" rel="noopener"' in table


def test_a_long_list_shows_the_newest_and_the_filter_finds_the_others(store, catalogue):
    for n in range(SHOWN_SESSIONS + 5):
        store.create_session(f"Sessie {n:02d}", catalogue)
    page = home(store)
    assert page.sessions.table.value.count("<tr>") == SHOWN_SESSIONS + 1  # with the heading row
    assert f"De {SHOWN_SESSIONS} nieuwste van {SHOWN_SESSIONS + 5} sessies." in page.sessions.table.value
    assert "Sessie 00" not in page.sessions.table.value
    page.sessions.filter.value = "sessie 00"
    assert page.sessions.table.value.count("<tr>") == 2 and "Sessie 00" in page.sessions.table.value


def test_the_list_finds_sessions_by_date_and_by_language(store, catalogue):
    gent = store.create_session("Gent", catalogue, "nl")
    store.create_session("Namur", catalogue, "fr")
    store.create_session("Leeds", catalogue, "en")
    page = home(store)
    sessions = page.sessions

    def listed() -> list[str]:
        return re.findall(r"<tr><td>([^<]*)</td>", sessions.table.value)

    assert listed() == ["Leeds", "Namur", "Gent"]
    sessions.session_language.value = "fr"
    assert listed() == ["Namur"]
    sessions.session_language.value = ""
    sessions.filter.value = gent.created_at.date().isoformat()  # 2026-12-01, as a trainer might type it
    assert listed() == ["Leeds", "Namur", "Gent"]
    sessions.filter.value = day("nl", gent.created_at).split()[1]  # the month, as the list writes it
    assert listed() == ["Leeds", "Namur", "Gent"]
    sessions.filter.value = "1999"
    assert listed() == [] and "Geen sessie gevonden." in sessions.table.value
    assert sessions.session_language.options[0] == ("Alle talen", "")  # in the trainer's language


def test_session_names_are_text_never_markup(store, catalogue):
    store.create_session("<img src=x onerror=alert(1)>", catalogue)
    page = home(store)
    assert "<img" not in page.sessions.table.value
    assert "&lt;img src=x onerror=alert(1)&gt;" in page.sessions.table.value


def test_a_picked_session_shows_its_team_link_qr_code_and_files(store, session):
    page = home(store)
    actions = page.actions
    assert actions.picked.value == session.code
    assert f"/voila/render/team.ipynb?session={session.code}" in actions.team_link.value
    assert "<svg" in actions.team_link.value
    (files,) = actions.files.children
    files.buttons["dl_archive"].click()
    assert f'download="motieven-{session.code}-archief.json"' in files.downloads.value


def test_a_copy_has_the_same_catalogue_and_language_a_new_code_and_key_and_no_teams(store, catalogue):
    original = store.create_session("Atelier", catalogue, "fr")
    store.join(original, "Nord")
    page = home(store)
    page.actions.duplicate.click()
    copy = store.session(page.actions.picked.value)
    # Its name says it is a copy, in the session's language: two sessions of one name were told apart by code alone.
    assert (copy.name, copy.language, copy.catalogue) == ("Atelier (copie)", "fr", original.catalogue)
    assert copy.code != original.code and copy.trainer_key != original.trainer_key
    assert store.records(copy).teams == []
    longest = store.create_session("x" * validate.MAX_TEAM_NAME, catalogue, "nl")
    page = home(store)
    page.actions.pick(longest.code)
    page.actions.duplicate.click()
    assert store.session(page.actions.picked.value).name == "x" * (validate.MAX_TEAM_NAME - 8) + " (kopie)"


def test_deleting_asks_first_naming_the_session_and_its_teams_then_the_code_is_unknown(store, session):
    store.join(session, "Noord")
    store.join(session, "Zuid")
    page = home(store)
    page.confirm_pace.clock = clock = Clock()
    page.actions.delete.click()
    assert page.actions.status.value == (
        '<p class="motives-error" role="alert">Sessie Workshop Gent met 2 teams voorgoed verwijderen?'
        " Klik nog eens op Verwijderen om te bevestigen.</p>"
    )
    assert store.session(session.code) == session  # nothing yet
    confirm(page, clock)
    with pytest.raises(UnknownSession):
        store.session(session.code)
    assert page.actions.status.value == (
        '<p class="motives-ok" role="status">Sessie Workshop Gent is verwijderd. Haar code werkt niet meer.</p>'
    )
    assert "Workshop Gent" not in page.sessions.table.value


def test_picking_another_session_between_the_two_clicks_deletes_nothing(store, catalogue, session):
    other = store.create_session("Andere", catalogue)
    page = home(store)
    page.confirm_pace.clock = clock = Clock()
    page.actions.picked.value = session.code
    page.actions.delete.click()
    page.actions.picked.value = other.code
    confirm(page, clock)  # a first click for the other session: it asks again
    assert {s.code for s in store.sessions()} == {session.code, other.code}


def test_a_session_deleted_in_another_tab_is_said_gone_not_a_crash(store, session):
    page = home(store)
    store.delete_session(session)  # the CLI, or the home in another tab
    page.actions.delete.click()
    assert page.actions.picked.value is None and "Workshop Gent" not in page.sessions.table.value


@pytest.mark.parametrize("language", ["nl", "en", "fr"])
def test_the_home_speaks_the_language_asked_for(store, language):
    title = {"nl": "Mijn workshops", "en": "My workshops", "fr": "Mes ateliers"}[language]
    assert f"<h2>{title}</h2>" in shown_text(home(store, language))


def test_the_home_shows_no_session_to_another_device(store, session):
    for request in (
        Request(client="192.0.2.7"),  # a phone on the network
        Request(client="", served=True),  # a server that says nothing of its client
    ):
        page = TrainerHome(request, store=store)
        text = shown_text(page)
        assert session.code not in text and session.trainer_key not in text and session.name not in text
        assert "alleen op de laptop van de trainer" in text


def test_who_is_this_machine():
    assert for_the_trainer(Request(client="127.0.0.1")) and for_the_trainer(Request(client="::1"))
    assert for_the_trainer(Request())  # JupyterLab, a script: no request at all
    assert not for_the_trainer(Request(client="192.0.2.7"))
    assert not for_the_trainer(Request(client="", served=True))
    assert not for_the_trainer(Request(client="not an address"))
    # The trainer password opened it (motives serve says so for the requests it signed in).
    assert for_the_trainer(Request(client="192.0.2.7", served=True, trainer=True))
    assert not for_the_trainer(Request(served=True, trainer=True))  # no motives serve behind it


def test_the_home_says_who_it_opens_for(store):
    laptop = TrainerHome(Request(client=LAPTOP), store=store)
    assert "Deze pagina opent alleen op deze laptop." in shown_text(laptop)
    server = TrainerHome(Request(client="192.0.2.7", served=True, trainer=True), store=store)
    assert "Deze pagina opent alleen voor wie het trainerswachtwoord van deze server kent." in shown_text(server)


def test_an_empty_store_says_so_and_offers_nothing_to_pick(store):
    page = home(store)
    assert page.sessions.table.value == ('<p class="motives-help">Nog geen sessies. Maak er hierboven een aan.</p>')
    assert "motives-hidden" in page.actions._dom_classes
    page.new_session.name.value = "Eerste"
    page.new_session.create.click()
    assert "motives-hidden" not in page.actions._dom_classes


def test_the_server_renders_the_home_for_the_laptops_own_address_and_name_only():
    from tornado.httputil import HTTPHeaders, HTTPServerRequest, RequestStartLine

    from motives.server.hosts import from_the_laptop

    def asked(remote_ip: str, host: str, forwarded_for: str | None = None) -> bool:
        headers = HTTPHeaders({"Host": host} | ({"X-Forwarded-For": forwarded_for} if forwarded_for else {}))
        request = HTTPServerRequest(headers=headers, start_line=RequestStartLine("GET", "/", "HTTP/1.1"))
        request.remote_ip = remote_ip
        return from_the_laptop(request)

    assert asked("127.0.0.1", "127.0.0.1:8866") and asked("::1", "[::1]:8866") and asked("127.0.0.1", "localhost")
    assert not asked("192.168.1.20", "192.168.1.10:8866")  # a phone under --lan
    assert not asked("127.0.0.1", "127.0.0.1:8866", "192.168.1.20")  # a phone a local proxy forwards
    assert not asked("127.0.0.1", "motives.example.org")  # a tunnel that forwards without saying so
    assert not asked("192.168.1.20", "127.0.0.1:8866")  # a LAN device that names the laptop's loopback


def test_a_double_click_on_delete_asks_and_deletes_nothing(store, session):
    page = home(store)
    page.confirm_pace.clock = clock = Clock()
    page.actions.delete.click()
    clock.now += 0.2  # the second click of a double click
    page.actions.delete.click()
    assert store.session(session.code) == session
    assert "Klik nog eens op Verwijderen" in page.actions.status.value
    confirm(page, clock)
    assert store.sessions() == []


def test_a_double_click_on_copy_makes_one_copy(store, session):
    page = home(store)
    page.actions.duplicate.click()
    page.actions.duplicate.click()
    assert [s.name for s in store.sessions()] == ["Workshop Gent (kopie)", "Workshop Gent"]


def test_sessions_past_their_expiry_are_listed_as_ended_without_links(tmp_path, catalogue):
    from datetime import UTC, datetime, timedelta

    import sqlalchemy as sa

    from motives.settings import Settings
    from motives.store import Store

    store = Store(tmp_path / "m.db", settings=Settings(expire_days=30))
    old = store.create_session("Vorig jaar", catalogue)
    store.create_session("Deze maand", catalogue)
    with sa.create_engine(store.url).begin() as conn:  # a session made 40 days ago
        conn.execute(
            sa.text("UPDATE sessions SET created_at = :when WHERE code = :code"),
            {"when": datetime.now(UTC) - timedelta(days=40), "code": old.code},
        )
    page = TrainerHome(Request(client=LAPTOP), store=store)
    table = page.sessions.table.value
    assert "Deze maand" in table and old.trainer_key not in table
    assert (
        f"<tr><td>Vorig jaar</td><td>{day('nl', store.sessions()[1].created_at)}</td><td>Nederlands</td>"
        f"<td>0 (0 antwoordden)</td><td>beëindigd (de code werkt niet meer)</td><td><code>{old.code}</code></td>"
        "<td>—</td></tr>"
    ) in table
    # Nothing to do with it here: its code, and so its files and its copy, no longer open.
    assert [label for label, _code in page.actions.picked.options] == [f"Deze maand · {store.sessions()[0].code}"]
    store.close()


def upload(page: TrainerHome, content: bytes, name: str = "sessie.json") -> None:
    page.importing.file.value = picked_file(content, name, "application/json")


def archive_of(store, session) -> bytes:
    from motives import archive

    return archive.dumps(archive.to_archive(store, session)).encode("utf-8")


def test_an_uploaded_archive_comes_back_with_its_code_key_and_teams(store, session):
    store.join(session, "Noord")
    saved = archive_of(store, session)
    store.delete_session(session)
    page = home(store)
    upload(page, saved)
    restored = store.session(session.code)
    assert (restored.name, restored.trainer_key) == (session.name, session.trainer_key)
    assert [t.name for t in store.records(restored).teams] == ["Noord"]
    assert page.importing.status.value == (
        f'<p class="motives-ok" role="status">Sessie Workshop Gent is geïmporteerd, met code {session.code} en 1 teams.</p>'
    )
    assert page.actions.picked.value == session.code and "Workshop Gent" in page.sessions.table.value


def test_an_archive_whose_code_is_taken_is_offered_as_a_copy_with_a_new_code_and_key(store, session):
    store.join(session, "Noord")
    page = home(store)
    upload(page, archive_of(store, session))
    assert [s.code for s in store.sessions()] == [session.code]  # nothing written yet
    assert (
        f"Code {session.code} is al in gebruik in deze opslag: er werd niets geïmporteerd."
        in page.importing.status.value
    )
    assert "motives-hidden" not in page.importing.copy._dom_classes
    page.importing.copy.click()
    (copy,) = [store.session(s.code) for s in store.sessions() if s.code != session.code]
    assert copy.trainer_key != session.trainer_key and copy.name == session.name
    assert [t.name for t in store.records(copy).teams] == ["Noord"]
    assert "motives-hidden" in page.importing.copy._dom_classes
    page.importing.copy.click()  # once imported, the button does nothing more
    assert len(store.sessions()) == 2
    # The same file picked once more is read again (the upload was emptied once read): a copy offered again.
    assert page.importing.file.value == ()
    upload(page, archive_of(store, session))
    assert "motives-hidden" not in page.importing.copy._dom_classes


@pytest.mark.parametrize(
    ("content", "said"),
    [
        (b"{not json", "geen geldige JSON (Expecting property name enclosed in double quotes, regel 1)"),
        (b'{"format": "motives-archive", "version": 1}', "hoofdniveau: het veld &#x27;session&#x27; ontbreekt"),
        ("\u00e9".encode("latin-1"), "geen UTF-8-tekst (byte 0), dus geen sessiearchief"),
        (b"[]" + b" " * 100, "geen sessiearchief van motives (gemaakt met `motives export CODE --format json`)"),
        (b"[" * 100_000 + b"]" * 100_000, "te diep genest voor een sessiearchief"),
    ],
    ids=["damaged", "incomplete", "not utf-8", "wrong kind", "deeply nested"],
)
def test_a_damaged_archive_is_one_message_naming_the_problem_and_writes_nothing(store, content, said):
    page = home(store)
    upload(page, content)
    assert page.importing.status.value == (
        f'<p class="motives-error" role="alert">sessie.json: {said} Er werd niets geïmporteerd.</p>'
    )
    assert store.sessions() == []


def test_an_upload_value_the_browser_forged_is_no_file(store):
    page = home(store)

    def entry(content: object) -> dict:
        return {"name": "a.json", "type": "application/json", "size": 1, "content": content, "last_modified": 0}

    # What a script can put in a comm message: any JSON where the file's bytes should be.
    for forged in ([entry("text, not bytes")], [entry(None)], [entry(b"{}"), entry(b"{}")], [entry(b"")]):
        page.importing.file.set_state({"value": forged})
        assert (
            page.importing.status.value
            == '<p class="motives-error" role="alert">Kies één archiefbestand. Er werd niets geïmporteerd.</p>'
        )
        assert store.sessions() == []


def test_each_session_says_how_many_teams_joined_and_answered_and_whether_it_is_locked(store, catalogue, session):
    quiet, ticking, writing, concluding = (store.join(session, name) for name in ("Stil", "Tik", "Schrijf", "Besluit"))
    store.set_answer(ticking, "for-prevention", True, 3)
    store.set_answer(quiet, "for-prevention", False)  # an unticked answer is no answer yet
    store.add_own_motive(writing, "for", "Eigen", 2)
    store.set_conclusion(concluding, conclusion="yes")
    other = store.create_session("Tweede", catalogue)
    store.set_locked(other, True)
    table = home(store).sessions.table.value
    assert "<td>4 (3 antwoordden)</td><td>open</td>" in table
    assert "<td>0 (0 antwoordden)</td><td>vergrendeld</td>" in table


def test_the_largest_upload_fits_the_home_kernels_websocket_and_an_archive_fits_it():
    from motives.server.handlers import HOME_MESSAGE_BYTES
    from motives.validate import MAX_ARCHIVE_BYTES
    from motives.widgets.home import MAX_UPLOAD_BYTES

    # An archive just too large is read and refused with its own message; a larger file never leaves the
    # browser; what the page sends (a little framing around the file) never closes the home's websocket.
    assert MAX_ARCHIVE_BYTES < MAX_UPLOAD_BYTES < HOME_MESSAGE_BYTES - 1_000_000


def test_the_home_puts_other_sessions_beside_one_without_typing_a_key(store, catalogue):
    """The overview's Sessions tab asked for a trainer key the home never shows: the home, which holds every
    session's key, puts sessions beside the picked one."""
    gent = store.create_session("Gent", catalogue)
    namur = store.create_session("Namur", catalogue, "fr")
    store.join(namur, "Nord")
    page = home(store)
    actions = page.actions
    actions.pick(gent.code)
    assert [value for _label, value in actions.others.options] == [namur.code]  # every other session
    actions.compare_button.click()
    assert actions.compare_status.value == '<p class="motives-error" role="alert">Kies eerst een of meer sessies.</p>'
    actions.others.value = (namur.code,)
    actions.compare_button.click()
    assert actions.compare_status.value == (
        '<p class="motives-ok" role="status">1 sessie(s) staan nu naast Gent: zie het tabblad Sessies in het overzicht.</p>'
    )
    assert [s.code for s in store.compared_sessions(gent)] == [gent.code, namur.code]
    board = board_for(store, gent)
    assert "Namur" in on_screen(board, "sessions_tab").view.value
    # The browser may send any value: a code of no session is refused, and nothing is added.
    actions.others.options = [("Namur", namur.code), ("Niets", "ZZZZZZ")]
    actions.others.value = ("ZZZZZZ",)
    actions.compare_button.click()
    assert "ZZZZZZ" in actions.compare_status.value and "motives-error" in actions.compare_status.value
    assert [s.code for s in store.compared_sessions(gent)] == [gent.code, namur.code]
