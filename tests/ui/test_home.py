"""The trainer's home through a real server: on the laptop it is the trainer's workplace; any other
device (a phone under --lan, one that a proxy on this machine forwards) never gets it, neither as
HTML nor over a kernel's websocket."""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import expect
from servers import KernelSocket, get, in_thread, kernel_id_of, send_request
from tornado.httpclient import HTTPClientError

from motives.i18n import message
from motives.store import Store

PHONE = {"X_Forwarded_For": "192.0.2.7"}  # what a proxy on this machine writes for a device on the network


def test_the_home_makes_a_session_and_opens_its_overview_in_a_new_tab(server, new_page, axe, screenshot):
    page = new_page()
    page.goto(server.base + "/")  # what `motives` opens in the trainer's browser
    expect(page.get_by_role("heading", name="Mijn workshops")).to_be_visible(timeout=60_000)
    assert page.url == server.base + "/voila/render/home.ipynb"
    page.get_by_role("textbox", name="Naam", exact=True).fill("Atelier Namur")
    page.get_by_role("combobox", name="Taal").select_option(label="Français")
    page.get_by_role("button", name="Aanmaken").click()
    expect(page.get_by_text(re.compile(r"Sessie Atelier Namur is aangemaakt, met code [A-Z0-9]{6}\."))).to_be_visible()
    store = Store(server.db)
    try:
        made = next(s for s in store.sessions() if s.name == "Atelier Namur")
    finally:
        store.close()
    assert made.language == "fr"
    row = page.locator(".motives-session-table tr", has_text="Atelier Namur")
    expect(row).to_contain_text(made.code)
    assert axe(page) == []
    screenshot(page, "home-nl-1280")
    with page.expect_popup() as opened:
        row.get_by_role("link", name="Overzicht openen").click()
    overview = opened.value
    # Opened without the trainer typing or seeing the key: the page is the session's overview.
    expect(overview.get_by_role("heading", name="Vue d'ensemble du formateur : Atelier Namur")).to_be_visible(
        timeout=60_000
    )


@pytest.mark.parametrize(("language", "title"), [("fr", "Mes ateliers"), ("en", "My workshops")])
def test_the_home_in_french_and_english_at_a_tablets_width(server, new_page, axe, screenshot, language, title):
    page = new_page(768, 1024)
    page.goto(f"{server.base}/?lang={language}")
    expect(page.get_by_role("heading", name=title)).to_be_visible(timeout=60_000)
    assert page.evaluate("document.documentElement.lang") == language
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")  # nothing cut off sideways
    assert axe(page) == []
    screenshot(page, f"home-{language}-768")
    # The editor at a tablet's width: a motive moves to the other column, a credit line is added, the preview shows.
    editor = page.locator(".motives-editor")
    against, for_ = editor.locator(".motives-side-against"), editor.locator(".motives-side-for")
    moved = for_.locator(".motives-editor-row textarea").first.input_value()
    for_.locator(".motives-editor-row").first.get_by_role("button", name=message(language, "editor_other_side")).click()
    expect(against.locator(".motives-editor-row textarea").last).to_have_value(moved)
    editor.get_by_role("textbox", name=message(language, "editor_adaptation")).fill("Équipe formation, 2027")
    editor.get_by_role("button", name=message(language, "editor_preview")).click()
    preview = editor.locator(".motives-columns").last
    expect(preview.locator(".motives-side-against .motives-tick").last).to_contain_text(moved)
    expect(editor.locator(".motives-source")).to_contain_text("Philippe Bocklandt")  # the seed's credit stays
    expect(editor.locator(".motives-source")).to_contain_text("Équipe formation, 2027")  # and gains a line
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    # Two columns side by side, each wide enough to read a motive: no column squeezed under 300 px.
    widths = preview.locator(".motives-column").evaluate_all(
        "columns => columns.map(c => c.getBoundingClientRect().width)"
    )
    assert len(widths) == 2 and min(widths) >= 300, widths
    assert axe(page) == []
    screenshot(page, f"home-editor-{language}-768")


def test_another_device_gets_the_team_pages_code_form_never_the_home(server):
    session = server.new_session("Geheime sessie")
    for path in ("/", "/voila/render/home.ipynb", "/?lang=fr"):
        status, headers, body = get(server, path, **PHONE)
        assert status == 302, path
        assert headers["Location"].startswith("/voila/render/team.ipynb"), path
        for secret in (session["code"], session["trainer_key"], "Geheime sessie"):
            assert secret not in body and secret not in headers["Location"]
    assert get(server, "/?lang=fr", **PHONE)[1]["Location"] == "/voila/render/team.ipynb?lang=fr"
    # On the laptop itself, the same address is the home.
    assert get(server, "/")[1]["Location"] == "/voila/render/home.ipynb"


def test_the_home_remembers_the_language_the_trainer_chose(server):
    # A click on "Français" on the home asks for ?lang=fr: the home keeps that choice for a year.
    status, headers, _html = get(server, "/voila/render/home.ipynb?lang=fr")
    assert status == 200
    (remembered,) = [line for line in headers["Set-Cookie"].split("\n") if line.startswith("motives-lang=")]
    assert remembered.startswith("motives-lang=fr;") and "SameSite=Lax" in remembered and "Path=/" in remembered
    # The next visit, to the app's address or to the home itself, speaks French.
    assert get(server, "/", Cookie="motives-lang=fr")[1]["Location"] == "/voila/render/home.ipynb?lang=fr"
    assert get(server, "/voila/render/home.ipynb", Cookie="motives-lang=fr")[1]["Location"] == (
        "/voila/render/home.ipynb?lang=fr"
    )
    # A language asked for wins over the one remembered; a cookie that names no language is ignored.
    status, headers, _html = get(server, "/voila/render/home.ipynb?lang=nl", Cookie="motives-lang=fr")
    assert status == 200 and "motives-lang=nl;" in headers["Set-Cookie"]
    assert get(server, "/", Cookie="motives-lang=<script>")[1]["Location"] == "/voila/render/home.ipynb"
    # Also at the app's address: Dutch asked for, with French remembered, is Dutch.
    assert get(server, "/?lang=nl", Cookie="motives-lang=fr")[1]["Location"] == "/voila/render/home.ipynb?lang=nl"


def test_a_home_kernels_websocket_is_refused_to_another_device(server):
    session = server.new_session("Sessie met sleutel")
    status, _headers, html = get(server, "/voila/render/home.ipynb")
    assert status == 200
    kernel = kernel_id_of(html)

    def from_a_phone() -> int:
        try:
            KernelSocket(server, kernel, **PHONE).close()
        except HTTPClientError as refused:
            return refused.code
        return 101

    def from_the_laptop() -> dict:
        socket = KernelSocket(server, kernel)
        try:
            return socket.states()
        finally:
            socket.close()

    # A kernel id from this laptop's page, tried from a phone: no websocket, so no widget state.
    assert in_thread(from_a_phone) == 403
    # The laptop's own browser gets the home's widgets, keys and all: the refusal above is the guard.
    states = in_thread(from_the_laptop)
    assert any(session["trainer_key"] in str(state.get("value", "")) for state in states.values())


def test_a_page_on_another_site_gets_nothing_from_the_homes_kernel(server):
    """A page on another origin, open in the trainer's own browser, sends the laptop's address but
    its own Origin: Jupyter Server's origin checks refuse its websocket and its POST."""
    _status, _headers, html = get(server, "/voila/render/home.ipynb")
    kernel = kernel_id_of(html)

    def from_another_site() -> int:
        try:
            KernelSocket(server, kernel, Origin="http://evil.example").close()
        except HTTPClientError as refused:
            return refused.code
        return 101

    assert in_thread(from_another_site) == 403
    # Jupyter Server answers an API request from another origin as if there were no such route.
    assert send_request(server, "POST", f"/voila/api/shutdown/{kernel}", Origin="http://evil.example") == 404
    assert get(server, f"/api/kernels/{kernel}")[0] == 200  # the home's kernel lives on


def test_an_archive_uploads_back_through_the_browser(server, new_page, tmp_path, screenshot):
    session = server.new_session("Terug van de andere laptop")
    saved = tmp_path / "sessie.json"
    server.motives("export", session["code"], "--format", "json", "-o", str(saved))
    server.motives("session", "delete", session["code"], "--yes")
    page = new_page()
    page.goto(server.base + "/")
    expect(page.get_by_role("heading", name="Sessie terugzetten uit een back-up")).to_be_visible(timeout=60_000)
    with page.expect_file_chooser() as chooser:
        page.get_by_role("button", name="Back-up kiezen").click()
    chooser.value.set_files(str(saved))
    said = f"Sessie Terug van de andere laptop is geïmporteerd, met code {session['code']} en 0 teams."
    expect(page.get_by_text(said)).to_be_visible()
    expect(page.locator(".motives-session-table")).to_contain_text("Terug van de andere laptop")
    screenshot(page, "home-imported-nl-1280")


def test_a_large_upload_is_refused_with_a_message_and_the_page_goes_on(server, new_page, tmp_path):
    """Tornado closes a websocket on a message over 10 MiB: the home's kernel takes more (an archive may be
    20 MB), and the page itself refuses a file larger than it may send. Either way: one message, nothing
    written, and the page still answers."""
    from motives.widgets.home import MAX_UPLOAD_BYTES

    session = server.new_session("Groot archief")
    saved = tmp_path / "sessie.json"
    server.motives("export", session["code"], "--format", "json", "-o", str(saved))
    archive = json.loads(saved.read_text())
    server.motives("session", "delete", session["code"], "--yes")
    just_too_large, far_too_large = tmp_path / "groot.json", tmp_path / "te-groot.json"
    # Valid JSON that is just past the archive's limit, then a file past what the page may send.
    just_too_large.write_text(json.dumps(archive | {"padding": "x" * 20_500_000}))
    far_too_large.write_bytes(b" " * (MAX_UPLOAD_BYTES + 1))
    page = new_page()
    page.goto(server.base + "/")
    expect(page.get_by_role("heading", name="Sessie terugzetten uit een back-up")).to_be_visible(timeout=60_000)
    importing = page.locator(".motives-home-import")
    for file, said in (
        (just_too_large, "groot.json: te groot voor een sessiearchief (meer dan 20.000.000 bytes)"),
        (far_too_large, "Dit bestand is te groot: een sessiearchief of werkblad is hoogstens 20.000.000 bytes."),
    ):
        with page.expect_file_chooser() as chooser:
            importing.get_by_role("button", name="Back-up kiezen").click()
        chooser.value.set_files(str(file))
        expect(importing.get_by_role("alert")).to_contain_text(said, timeout=60_000)
        assert not [s for s in Store(server.db).sessions() if s.name == "Groot archief"]
    # The page's connection held: the archive itself still uploads.
    with page.expect_file_chooser() as chooser:
        importing.get_by_role("button", name="Back-up kiezen").click()
    chooser.value.set_files(str(saved))
    expect(
        page.get_by_text(f"Sessie Groot archief is geïmporteerd, met code {session['code']} en 0 teams.")
    ).to_be_visible()


def test_tab_reaches_every_control_of_the_home(server, new_page):
    server.new_session("Met het toetsenbord")
    page = new_page()
    page.goto(server.base + "/")
    expect(page.get_by_role("heading", name="Mijn workshops")).to_be_visible(timeout=60_000)
    expect(page.locator(".motives-home-actions").get_by_role("button", name="Verwijderen")).to_be_visible()
    reached: list[str] = []
    # Tab through the whole page, however many sessions and motives it lists, until focus comes round.
    for _ in range(600):
        page.keyboard.press("Tab")
        focused = page.evaluate(
            """() => { const e = document.activeElement;
                       return (e.labels && e.labels[0] ? e.labels[0].innerText + ': ' : '')
                              + (e.innerText || e.value || e.tagName).trim(); }"""
        )
        if reached and focused == reached[0]:
            break
        reached.append(focused)
    for control in (
        "Naam: ",
        "Taal: ",
        "Aanmaken",
        "Zoeken op naam of datum: ",
        "Sessies in: ",
        "Overzicht openen",
        "Sessie: ",
        "Verslag om af te drukken of te mailen",
        "Kopie voor een volgende workshop",
        "Verwijderen",
        "Werkblad uit een bestand openen",
        "Naam van het werkblad: ",
        "Aangepast door: ",
        "Hoger",
        "Andere kolom",
        "Verwijderen",
        "Toevoegen",
        "Sessies: ",
        "Eigen motieven tonen",
        "Voorbeeld zoals de teams het zien",
        "Werkblad bewaren",
        "Back-up kiezen",
    ):
        assert any(text.startswith(control) for text in reached), (control, reached)


def test_a_whole_workshop_from_the_home_without_the_cli(server, new_page, tmp_path, axe, screenshot):
    """Issue 23's path: an edited French worksheet, a session on it, a team, the overview, the files, a
    copy, the deletion, and the archive back."""

    def fr(key: str, **params) -> str:
        return message("fr", key, **params)

    home = new_page()
    home.goto(server.base + "/?lang=fr")
    expect(home.get_by_role("heading", name="Mes ateliers")).to_be_visible(timeout=60_000)
    editor = home.locator(".motives-editor")
    against, for_ = editor.locator(".motives-side-against"), editor.locator(".motives-side-for")
    editor.get_by_role("textbox", name=fr("editor_name")).fill("Atelier Namur")
    reworded = "Prévenir vaut mieux que guérir, ici aussi."
    first_for = for_.locator(".motives-editor-row textarea").first
    removed = against.locator(".motives-editor-row textarea").first.input_value()
    moved = for_.locator(".motives-editor-row textarea").nth(1).input_value()
    first_for.fill(reworded)
    first_for.press("Tab")  # the box is saved when the trainer leaves it
    against.get_by_role("textbox", name=fr("new_motive")).fill("Personne n'a le temps.")
    against.get_by_role("button", name=fr("add")).click()
    # Each change redraws the columns: the next click waits until the page shows the last one.
    expect(against.locator(".motives-editor-row textarea").last).to_have_value("Personne n'a le temps.")
    against.locator(".motives-editor-row").first.get_by_role("button", name=fr("remove")).click()
    expect(against.locator(".motives-editor-row textarea").first).not_to_have_value(removed)
    for_.locator(".motives-editor-row").nth(1).get_by_role("button", name=fr("editor_other_side")).click()
    expect(against.locator(".motives-editor-row textarea").last).to_have_value(moved)
    editor.get_by_role("button", name=fr("editor_preview")).click()
    expect(editor.get_by_text(fr("editor_preview_heading"))).to_be_visible()
    assert axe(home) == []
    screenshot(home, "home-editor-fr-1280")
    editor.get_by_role("button", name=fr("editor_save")).click()
    expect(editor.get_by_text(fr("editor_saved", name="Atelier Namur"))).to_be_visible()

    # 1. A French session on the edited worksheet.
    form = home.locator(".motives-new-session")
    form.get_by_role("textbox", name="Nom", exact=True).fill("Namur, décembre")
    form.get_by_role("combobox", name="Langue").select_option(label="Français")
    expect(form.get_by_role("combobox", name=fr("home_catalogue"))).to_have_value("Atelier Namur")
    form.get_by_role("button", name=fr("home_create")).click()
    created = form.get_by_text(re.compile(r"La session Namur, décembre est créée, avec le code [A-Z0-9]{6}\."))
    expect(created).to_be_visible()
    code = re.search(r"code ([A-Z0-9]{6})", created.inner_text()).group(1)

    # 2. The team page shows exactly those motives; 3. a team joins and ticks.
    team = new_page()
    team.goto(f"{server.base}/voila/render/team.ipynb?session={code}&lang=fr")
    team.get_by_role("textbox", name=fr("team_name")).fill("Sud")
    team.get_by_role("button", name=fr("go")).click()
    expect(team.locator(".motives-tick").first).to_be_visible(timeout=60_000)
    columns = {
        side: team.locator(f".motives-side-{side} .motives-tick").all_inner_texts() for side in ("against", "for")
    }
    assert reworded in columns["for"] and removed not in columns["against"] + columns["for"]
    assert columns["against"][-2:] == ["Personne n'a le temps.", moved]
    team.locator(".motives-side-for .motives-tick input").first.check()
    expect(team.locator(".motives-save-status")).to_contain_text("Enregistré")

    # 4. The overview, opened from the home, shows the team.
    row = home.locator(".motives-session-table tr", has_text="Namur, décembre")
    with home.expect_popup() as opened:
        row.get_by_role("link", name=fr("home_open_dashboard")).click()
    expect(opened.value.locator(".motives-team-list")).to_contain_text("Sud", timeout=60_000)

    # 5. The report and the archive download from the home, one click each, named in the session's language.
    actions = home.locator(".motives-home-actions")
    picked = f"Namur, décembre · {code}"  # a dropdown's option carries its label in the page
    expect(actions.get_by_role("combobox", name=fr("home_pick"))).to_have_value(picked)
    archive = tmp_path / "namur.json"
    for label, path, name in (
        (fr("dl_report_html"), tmp_path / "rapport.html", f"motifs-{code}-rapport.html"),
        (fr("dl_archive"), archive, f"motifs-{code}-archive.json"),
    ):
        with home.expect_download() as download:
            actions.get_by_role("link", name=label).click()
        assert download.value.suggested_filename == name
        download.value.save_as(path)
    assert "Sud" in (tmp_path / "rapport.html").read_text(encoding="utf-8")
    assert json.loads(archive.read_text(encoding="utf-8"))["session"]["code"] == code

    # 6. A copy, then the deletion of the session; 7. its code is unknown afterwards.
    actions.get_by_role("button", name=fr("home_duplicate")).click()
    expect(actions.get_by_text(re.compile(r"La copie Namur, décembre \(copie\) est créée"))).to_be_visible()
    actions.get_by_role("combobox", name=fr("home_pick")).select_option(label=picked)
    actions.get_by_role("button", name=fr("home_delete")).click()
    expect(actions.get_by_text(fr("home_delete_confirm", name="Namur, décembre", teams=1))).to_be_visible()
    home.wait_for_timeout(1200)  # the trainer reads the question (a double click is no confirmation)
    actions.get_by_role("button", name=fr("home_delete")).click()
    expect(actions.get_by_text(fr("home_deleted", name="Namur, décembre"))).to_be_visible()
    gone = new_page()
    gone.goto(f"{server.base}/voila/render/team.ipynb?session={code}&lang=fr")
    expect(gone.get_by_text(fr("unknown_session", code=code))).to_be_visible(timeout=60_000)

    # 8. The archive uploads back, under its own code.
    with home.expect_file_chooser() as chooser:
        home.get_by_role("button", name=fr("home_import_file")).click()
    chooser.value.set_files(str(archive))
    expect(home.get_by_text(fr("home_imported", name="Namur, décembre", code=code, teams=1))).to_be_visible()
