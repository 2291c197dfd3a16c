"""The dashboard in front of the group: live, reveal, join from a phone, accessibility (the projector's own
window: test_projector.py)."""

from __future__ import annotations

import re
import time

import pytest
from joining import PREVENTION, choose_tab, open_team_page, own_link
from playwright.sync_api import Page, expect

from motives.store import Store


def open_dashboard(server, session, new_page, **size) -> Page:
    page = new_page(**size)
    page.goto(f"{server.base}{session['dashboard_path']}")
    expect(page.get_by_role("heading", name=re.compile("Overzicht voor de trainer"))).to_be_visible(timeout=60_000)
    return page


def open_team(server, session, new_page, team: str, **size) -> Page:
    page = new_page(**size)
    known = Store(server.db)
    try:
        exists = known.find_team(known.session(session["code"]), team) is not None
    finally:
        known.close()
    url = f"{server.base}/voila/render/team.ipynb?session={session['code']}&team={team}"
    open_team_page(page, own_link(server, session["code"], team) if exists else url)
    expect(page.get_by_role("heading", name=team, exact=True)).to_be_visible(timeout=60_000)
    return page


def test_a_tick_reaches_the_open_dashboard_within_five_seconds_without_a_click(server, new_page):
    session = server.new_session("Live")
    board = open_dashboard(server, session, new_page)
    board.get_by_role("tab", name="Vergelijking").click()
    team = open_team(server, session, new_page, "Noord")
    expect(board.get_by_text("Meegedaan: 1 · Geantwoord: 0")).to_be_visible(timeout=5_000)
    team.get_by_role("checkbox", name=PREVENTION, exact=True).check()
    row = board.locator(".motives-heatmap tr").filter(has_text=PREVENTION)
    # The wait is the bound: the row must show the tick within five seconds (the figures: make bench).
    expect(row.locator("td")).to_have_text(["✓ 3", "1", "3,0"], timeout=5_000)
    expect(board.get_by_role("tab", name="Vergelijking")).to_have_attribute("aria-selected", "true")


def test_the_trainer_reveals_the_comparison_and_starts_the_timer(server, workshop, new_page, screenshot):
    team = open_team(server, workshop, new_page, "Thuiszorg")
    expect(team.get_by_text("Wat alle teams kozen")).to_have_count(0)
    board = open_dashboard(server, workshop, new_page)
    board.get_by_role("button", name="Toon vergelijking aan de teams").click()
    expect(board.get_by_role("button", name="Vergelijking zichtbaar voor de teams")).to_be_visible()
    board.get_by_role("spinbutton", name="Minuten").fill("8")
    board.get_by_role("button", name="Start timer").click()
    expect(board.get_by_role("timer")).to_have_text(re.compile(r"Nog [78]:\d\d voor deze fase\."))
    expect(team.get_by_role("heading", name="Wat alle teams kozen")).to_be_visible(timeout=6_000)
    expect(team.locator(".motives-revealed-view")).to_contain_text("Straathoekwerk")
    expect(team.get_by_role("timer")).to_have_text(
        re.compile(r"Nog 8 min voor deze fase \(tot \d\d:\d\d\)\."), timeout=6_000
    )
    screenshot(team, "team-page-revealed-1280")
    board.get_by_role("button", name="Vergelijking zichtbaar voor de teams").click()
    expect(team.get_by_text("Wat alle teams kozen")).to_have_count(0, timeout=6_000)


def test_the_lock_stops_the_timer_and_the_invitation_to_tick_on_a_team_page(server, new_page, screenshot):
    session = server.new_session("Slot")
    team = open_team(server, session, new_page, "Noord", width=390, height=844)
    board = open_dashboard(server, session, new_page)
    board.get_by_role("button", name="Start timer").click()
    expect(team.get_by_role("timer")).to_contain_text("voor deze fase", timeout=6_000)
    invitation = team.get_by_text("Vink aan welke motieven in jullie organisatie spelen")
    expect(invitation).to_be_visible()
    board.get_by_role("button", name="Vergrendel sessie").click()
    expect(team.get_by_text("De sessie is vergrendeld")).to_be_visible(timeout=6_000)
    expect(team.get_by_role("timer")).to_have_count(0)
    expect(invitation).to_be_hidden()
    expect(team.locator(".motives-tick input").first).to_be_disabled()
    screenshot(team, "team-page-locked-390")


def test_the_reveal_on_a_phone_shows_the_group_first_and_nothing_scrolls_sideways(
    server, workshop, new_page, screenshot
):
    team = open_team(server, workshop, new_page, "Thuiszorg", width=390, height=844)
    board = open_dashboard(server, workshop, new_page)
    board.get_by_role("button", name="Toon vergelijking aan de teams").click()
    picture = team.locator(".motives-group-picture")
    expect(picture).to_be_visible(timeout=6_000)
    # At the top: the switch and the group's picture start within the first screen, the worksheet steps aside.
    assert picture.bounding_box()["y"] < 844
    expect(team.locator(".motives-columns")).to_be_hidden()
    # Per motive: how many teams chose it, its weight, and where this team stands.
    prevention = picture.locator(".motives-group-item", has_text="Beter voorkomen dan genezen.")
    expect(prevention).to_contain_text("5 van 5 teams · gemiddeld belang 3,6")
    expect(prevention).to_contain_text("Jullie: gekozen, belang 2")
    ambassadors = picture.locator(".motives-group-item", has_text="Medewerkers zijn ambassadeurs")
    expect(ambassadors).to_contain_text("1 van 5 teams")
    expect(picture.locator(".motives-group-item", has_text="Het gaat om publieke communicatie")).to_contain_text(
        "Jullie: niet gekozen"
    )
    expect(picture.locator(".motives-group-us")).to_have_text("Thuiszorg: Nog niet")
    wide = team.evaluate(
        """() => [...document.querySelectorAll('.motives-app *')]
                 .filter(e => e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).overflowX !== 'visible')
                 .map(e => e.className)"""
    )
    assert wide == [], wide  # no box that scrolls sideways
    assert team.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    screenshot(team, "team-page-revealed-390")
    # One tap back to the team's own answers, and one tap to the group again.
    team.get_by_role("button", name="Onze antwoorden").click()
    expect(team.locator(".motives-columns")).to_be_visible()
    expect(picture).to_be_hidden()
    team.get_by_role("button", name="De groep").click()
    expect(picture).to_be_visible()


def test_join_panel_has_code_url_and_a_qr_code_made_locally(server, workshop, new_page):
    board = open_dashboard(server, workshop, new_page)
    panel = board.locator(".motives-join-panel")
    expect(panel.locator(".motives-join-code")).to_have_text(workshop["code"])
    expect(panel).to_contain_text(f"{server.base}/voila/render/team.ipynb?session={workshop['code']}")
    qr = board.get_by_role("img", name="QR-code met de link naar de teampagina van deze sessie")
    expect(qr.locator("svg")).to_be_visible()
    assert qr.locator("svg").bounding_box()["width"] >= 120


def test_the_team_page_fits_a_phone_without_sideways_scrolling(server, workshop, new_page, screenshot):
    phone = open_team(server, workshop, new_page, "Telefoonteam", width=390, height=844)
    phone.get_by_role("checkbox", name=PREVENTION, exact=True).check()
    phone.locator(".motives-choice").filter(has_text=PREVENTION).get_by_role("button", name="4", exact=True).click()
    phone.wait_for_timeout(300)
    widths = phone.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth,"
        " Math.max(...[...document.querySelectorAll('.motives-app *')].map(e => e.getBoundingClientRect().right))]"
    )
    assert widths[0] <= 390 and widths[1] <= 390 and widths[2] <= 390, widths
    screenshot(phone, "team-page-390")


def test_no_serious_accessibility_violations(server, workshop, new_page, axe):
    pages = {
        "code form": f"{server.base}/voila/render/team.ipynb",
        "name form": f"{server.base}/voila/render/team.ipynb?session={workshop['code']}",
        "dashboard form": f"{server.base}/voila/render/dashboard.ipynb",
    }
    found = {}
    for name, url in pages.items():
        page = new_page()
        page.goto(url)
        expect(page.locator(".motives-form")).to_be_visible(timeout=60_000)
        found[name] = axe(page)
    team = open_team(server, workshop, new_page, "Jeugdwerk")
    found["team page"] = axe(team)
    board = open_dashboard(server, workshop, new_page)
    for tab in ("Gespreksstof", "Vergelijking", "Balans", "Eigen motieven", "Sessies"):
        choose_tab(board, tab)
        found[f"dashboard {tab}"] = axe(board)
    board.get_by_role("button", name="Toon vergelijking aan de teams").click()
    expect(team.get_by_role("heading", name="Wat alle teams kozen")).to_be_visible(timeout=6_000)
    found["revealed team page"] = axe(team)
    assert {name: v for name, v in found.items() if v} == {}


def tab_to(page: Page, target, limit: int = 80) -> None:
    """Press Tab until ``target`` has the focus, as a keyboard user would."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if target.evaluate("e => e === document.activeElement"):
            return
    pytest.fail("Tab never reached the control")


def test_the_worksheet_works_with_the_keyboard_alone(server, new_page):
    session = server.new_session("Toetsenbord")
    page = open_team(server, session, new_page, "Toetsen")
    target = page.get_by_role("checkbox", name=PREVENTION, exact=True)
    tab_to(page, target)
    page.keyboard.press("Space")
    expect(target).to_be_checked()
    four = page.locator(".motives-choice").filter(has=target).get_by_role("button", name="4", exact=True)
    expect(four).to_be_visible()
    tab_to(page, four)
    page.keyboard.press("Enter")
    deadline = time.monotonic() + 10
    store = Store(server.db)
    try:
        while True:
            answers = store.team_answers(store.find_team(store.session(session["code"]), "Toetsen")).answers
            if "for-prevention" in answers and answers["for-prevention"].importance == 4:
                break
            assert time.monotonic() < deadline, answers
            time.sleep(0.2)
    finally:
        store.close()
