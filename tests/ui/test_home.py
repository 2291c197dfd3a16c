"""The trainer's home through a real server: on the laptop it is the trainer's workplace; any other
device (a phone under --lan, one that a proxy on this machine forwards) never gets it, neither as
HTML nor over a kernel's websocket."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from servers import KernelSocket, get, in_thread, kernel_id_of, send_request
from tornado.httpclient import HTTPClientError

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
    expect(page.get_by_role("heading", name="Sessie importeren")).to_be_visible(timeout=60_000)
    with page.expect_file_chooser() as chooser:
        page.get_by_role("button", name="Archief kiezen").click()
    chooser.value.set_files(str(saved))
    said = f"Sessie Terug van de andere laptop is geïmporteerd, met code {session['code']} en 0 teams."
    expect(page.get_by_text(said)).to_be_visible()
    expect(page.locator(".motives-session-table")).to_contain_text("Terug van de andere laptop")
    screenshot(page, "home-imported-nl-1280")


def test_tab_reaches_every_control_of_the_home(server, new_page):
    server.new_session("Met het toetsenbord")
    page = new_page()
    page.goto(server.base + "/")
    expect(page.get_by_role("heading", name="Mijn workshops")).to_be_visible(timeout=60_000)
    expect(page.get_by_role("button", name="Verwijderen")).to_be_visible()
    reached = []
    for _ in range(60):
        page.keyboard.press("Tab")
        reached.append(
            page.evaluate(
                """() => { const e = document.activeElement;
                           return (e.labels && e.labels[0] ? e.labels[0].innerText + ': ' : '')
                                  + (e.innerText || e.value || e.tagName).trim(); }"""
            )
        )
    for control in (
        "Naam: ",
        "Taal: ",
        "Aanmaken",
        "Zoeken op naam: ",
        "Overzicht openen",
        "Sessie: ",
        "Verslag (HTML, afdrukbaar)",
        "Kopie voor een volgende workshop",
        "Verwijderen",
        "Archief kiezen",
    ):
        assert any(text.startswith(control) for text in reached), (control, reached)
