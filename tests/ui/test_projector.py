"""The projector window in Chromium, as the trainer drags it to a projector: one slide at a time,
full screen at 1920 × 1080 and 1280 × 720, moved with the keyboard there or from the overview, and
nothing on it a room must not see."""

from __future__ import annotations

import re

import pytest
from joining import FIVE_TEAMS, answer_five_teams
from pages import TRAINER_CONTROLS
from pictures import picture_path
from playwright.sync_api import Page, expect
from test_plenary import open_dashboard

from motives.i18n import LANGUAGES, message
from motives.store import Store
from motives.urls import projector_path


def slide_fits(page: Page) -> list[int]:
    """The slide's content and box, down and across: content larger than its box would be cut off."""
    return page.evaluate(
        """() => { const v = document.querySelector('.motives-screen-slide');
                   return [v.scrollHeight, v.clientHeight, v.scrollWidth, v.clientWidth,
                           document.documentElement.scrollWidth, window.innerWidth]; }"""
    )


def on_screen(server, code: str) -> str:
    store = Store(server.db)
    try:
        return store.state(store.session(code)).screen or "join"
    finally:
        store.close()


def keys_of(server, code: str) -> tuple[str, str, list[str]]:
    store = Store(server.db)
    try:
        session = store.session(code)
        team_keys = [store.find_team(session, name).key for name in FIVE_TEAMS]
        return session.trainer_key, session.screen_key, team_keys
    finally:
        store.close()


@pytest.mark.parametrize(("width", "height"), [(1920, 1080), (1280, 720)])
def test_the_projector_window_for_five_teams(server, workshop, new_page, width, height):
    board = open_dashboard(server, workshop, new_page, width=width, height=height)
    with board.expect_popup() as opened:
        board.get_by_role("link", name="Projectorscherm openen").click()
    screen = opened.value
    code = workshop["code"]
    expect(screen.locator(".motives-slide-code")).to_have_text(code, timeout=60_000)
    expect(screen.locator(".motives-slide-progress")).to_have_text("Meegedaan: 5 · Geantwoord: 5")
    assert "screen=" not in screen.url and "key=" not in screen.url  # the key left the address bar
    # The QR code is at least a third of the screen's height.
    assert screen.locator(".motives-slide-qr svg").bounding_box()["height"] >= height / 3
    seen = []
    while True:
        key = on_screen(server, code)
        expect(screen.locator(".motives-slide")).to_have_class(re.compile(f"motives-slide-{key.split('-')[0]}"))
        fits = slide_fits(screen)
        assert fits[0] <= fits[1] and fits[2] <= fits[3] and fits[4] <= fits[5], (key, fits)
        screen.screenshot(path=str(picture_path(f"projector-{key}-{width}x{height}.png")))
        # The overview's remote names the slide that is on (a dropdown's value in the page is its label).
        title = screen.locator(".motives-slide h2").first.inner_text()
        expect(board.get_by_role("combobox", name="Op het scherm")).to_have_value(title)
        seen.append(key)
        if key.startswith("talk-") and height == 1080:
            sizes = screen.locator(".motives-slide-motive").evaluate_all(
                "items => items.map(e => parseFloat(getComputedStyle(e).fontSize))"
            )
            assert all(size >= 28 for size in sizes), sizes  # read from the back of the room
        if key == "heat-for-1":
            heat = screen.locator("table.motives-screen-heat")
            heads = heat.locator("thead th").all_inner_texts()
            assert heads[1:6] == list(FIVE_TEAMS) and heads[0] == "Motief"
            cells = heat.locator("tbody tr", has_text="Beter voorkomen dan genezen.").locator("td").all_inner_texts()
            assert cells == [*(str(ticks["for-prevention"]) for ticks, _c in FIVE_TEAMS.values()), "5/5"]
        screen.keyboard.press("ArrowRight")
        try:
            expect(screen.locator(".motives-screen-where")).not_to_contain_text(f" {len(seen)}/", timeout=5_000)
        except AssertionError:
            break  # the last slide: the arrow moved nothing
    assert seen[:2] == ["join", "talk-shared-1"] and seen[-1] == "own-1"
    assert {"heat-against-1", "heat-for-1", "balance-1"} <= set(seen)
    # Back from the overview; a reload of the projector window comes back to the same slide.
    board.get_by_role("combobox", name="Op het scherm").select_option(label="Balans")
    expect(screen.locator("table.motives-screen-balance")).to_be_visible()
    screen.reload()
    expect(screen.locator("table.motives-screen-balance")).to_be_visible(timeout=60_000)
    assert "screen=" not in screen.url
    rows = screen.locator("table.motives-screen-balance tbody tr").all_inner_texts()
    assert [row.split("\t")[0].strip() for row in rows] == list(FIVE_TEAMS)


def plenary(server, language: str) -> str:
    """A session in ``language`` with the five teams' answers and an own motive; its code."""
    store = Store(server.db)
    try:
        session = store.session(server.new_session(f"Plenair {language}", language)["code"])
        answer_five_teams(store, session)
        store.add_own_motive(store.find_team(session, "Jeugdwerk"), "for", "Jongeren sturen ons berichten", 5)
        return session.code
    finally:
        store.close()


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_projector_carries_no_key_no_team_link_and_no_trainer_control(server, new_page, axe, language):
    code = plenary(server, language)
    trainer_key, screen_key, team_keys = keys_of(server, code)
    page = new_page(1920, 1080)
    page.goto(server.base + projector_path(code, screen_key, language=language))
    expect(page.locator(".motives-slide")).to_be_visible(timeout=60_000)
    count = int(page.locator(".motives-screen-where").inner_text().split("/")[1].split(" ")[0])
    seen = set()
    for _ in range(count):
        seen.add(on_screen(server, code))
        # Every text and every attribute of the page, scripts and Voilà's own configuration included.
        everything = page.evaluate("() => document.documentElement.outerHTML")
        for secret in (trainer_key, screen_key, *team_keys, "teamkey"):
            assert secret not in everything, secret
        shown = page.locator(".motives-screen").inner_text()
        for control in TRAINER_CONTROLS:
            for said in {message(lang, control) for lang in LANGUAGES}:
                assert said not in shown, (control, said)
        assert page.evaluate("document.documentElement.lang") == language
        assert axe(page) == [], on_screen(server, code)  # every slide, in every language
        page.keyboard.press("ArrowRight")
        if len(seen) < count:
            expect(page.locator(".motives-screen-where")).to_contain_text(f" {len(seen) + 1}/{count} ")
    assert len(seen) == count  # every slide was read


def test_forty_teams_with_long_names_and_own_motives_fit_every_view(server, new_page):
    """The largest room the app takes: forty teams, names up to the limit, a hundred own motives; at
    1280 × 720 (a small projector) no view is cut off, and every team is on the balance."""
    store = Store(server.db)
    try:
        session = store.session(server.new_session("Veertig teams")["code"])
        motive_ids = [motive.id for motive in session.catalogue.motives]
        for number in range(40):
            name = f"Team {number:02d} " + "met een lange naam " * (number % 4)
            team = store.join(session, name[:60])
            for offset in range(5):
                store.set_answer(team, motive_ids[(number + offset) % len(motive_ids)], True, 1 + (number + offset) % 5)
            for own in range(25 if number < 4 else 0):
                side = "for" if (number + own) % 2 else "against"
                store.add_own_motive(team, side, f"Eigen motief {number}-{own} " + "met wat uitleg " * (own % 6), 3)
            store.set_conclusion(team, ("yes", "no", "not_yet")[number % 3], "")
        store.set_screen(session, "join")
        code, screen_key = session.code, session.screen_key
    finally:
        store.close()
    page = new_page(1280, 720)
    page.goto(server.base + projector_path(code, screen_key))
    expect(page.locator(".motives-slide")).to_be_visible(timeout=60_000)
    views = int(page.locator(".motives-screen-where").inner_text().split("/")[1].split(" ")[0])
    balance_rows = 0
    for view in range(views):
        expect(page.locator(".motives-screen-where")).to_contain_text(f" {view + 1}/{views} ")
        fits = slide_fits(page)
        assert fits[0] <= fits[1] and fits[2] <= fits[3], (on_screen(server, code), fits)
        balance_rows += page.locator("table.motives-screen-balance tbody tr").count()
        page.keyboard.press("ArrowRight")
    assert balance_rows == 40
