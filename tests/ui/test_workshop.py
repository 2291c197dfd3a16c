"""Two teams fill in the worksheet in Chromium; the trainer's dashboard then compares them."""

from __future__ import annotations

import re
from urllib.parse import quote

from joining import BLUR, PREVENTION, open_team_page
from playwright.sync_api import Page, expect
from servers import answers_of, eventually

PRIORITY = "Beeldvorming van en communicatie over de organisatie vergt geen prioritaire beleidsaandacht."


def choice(page: Page, text: str):
    return page.locator(".motives-choice").filter(has=page.get_by_role("checkbox", name=text, exact=True))


def tick(page: Page, text: str, importance: int) -> None:
    page.get_by_role("checkbox", name=text, exact=True).check()
    choice(page, text).get_by_role("button", name=str(importance), exact=True).click()


def add_own(page: Page, side: str, text: str):
    column = page.locator(f".motives-side-{side}")
    column.get_by_role("textbox", name="Nieuw motief").fill(text)
    column.get_by_role("button", name="Toevoegen").click()
    return column


def assert_nothing_cut_off(page: Page) -> None:
    """Every motive's label wraps inside its column, and the page never scrolls sideways."""
    overflow = page.evaluate(
        """() => [...document.querySelectorAll('.motives-tick label')].filter(label => {
               const column = label.closest('.motives-column').getBoundingClientRect();
               const box = label.getBoundingClientRect();
               return label.scrollWidth > label.clientWidth + 1 || box.right > column.right + 1;
           }).map(label => label.textContent)"""
    )
    assert overflow == []
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")


def test_two_teams_fill_in_the_worksheet_and_the_dashboard_compares_them(any_server, new_page, screenshot):
    server = any_server
    session = server.new_session("Workshop Gent")
    code = session["code"]

    # Team 1 arrives with the full link.
    north = new_page()
    open_team_page(north, f"{server.base}/voila/render/team.ipynb?session={code}&team={quote('Team Noord')}")
    expect(north.get_by_role("heading", name="Team Noord")).to_be_visible(timeout=60_000)
    expect(
        north.get_by_role("heading", name="Motieven om geen sociale mediabeleid in de organisatie te formuleren")
    ).to_be_visible()
    expect(
        north.get_by_role("heading", name="Motieven om wel een sociale mediabeleid voor de organisatie te formuleren")
    ).to_be_visible()
    tick(north, PREVENTION, 5)
    tick(north, BLUR, 4)
    column = add_own(north, "for", "Ouders vragen ernaar")
    expect(column.locator(".motives-own textarea")).to_have_value("Ouders vragen ernaar")
    column.locator(".motives-own").get_by_role("button", name="4", exact=True).click()
    north.get_by_role("radio", name="Ja").check()
    north.get_by_role("textbox", name="Korte toelichting").fill("De grens werk-privé weegt het zwaarst.")
    eventually(
        lambda: (
            (a := answers_of(server.db, code, "Team Noord"))
            and a.answers["for-prevention"].importance == 5
            and a.answers["for-work-private-blur"].importance == 4
            and [(o.text, o.importance) for o in a.own] == [("Ouders vragen ernaar", 4)]
            and (a.conclusion, a.explanation) == ("yes", "De grens werk-privé weegt het zwaarst.")
        )
    )
    expect(north.get_by_text("Bewaard om")).to_be_visible()
    assert_nothing_cut_off(north)
    screenshot(north, "team-page-1280")
    north.set_viewport_size({"width": 768, "height": 1000})
    north.wait_for_timeout(300)
    assert_nothing_cut_off(north)
    screenshot(north, "team-page-768")

    # Team 2 only has the session code and types its name.
    south = new_page(width=768)
    south.goto(f"{server.base}/voila/render/team.ipynb?session={code}")
    south.get_by_role("textbox", name="Naam van je team").fill("Team Zuid")
    south.get_by_role("button", name="Verder").click()
    expect(south.get_by_role("heading", name="Team Zuid")).to_be_visible()
    tick(south, PREVENTION, 2)
    tick(south, PRIORITY, 3)
    column = add_own(south, "against", "   ")  # refused, with a message
    expect(column.get_by_role("alert")).to_have_text("Een motief kan niet leeg zijn. Schrijf eerst het motief.")
    expect(column.locator(".motives-own")).to_have_count(0)
    south.get_by_role("radio", name="Nog niet").check()
    eventually(
        lambda: (
            (a := answers_of(server.db, code, "Team Zuid"))
            and a.answers["for-prevention"].importance == 2
            and a.answers["against-no-priority"].importance == 3
            and a.own == []
            and a.conclusion == "not_yet"
        )
    )

    # Team 1's own link, as its address bar keeps it (with the team's key), opens its answers on another device.
    expect(north).to_have_url(re.compile(r"&teamkey=[\w-]{16}"))
    again = new_page()
    again.goto(north.url)
    expect(again.get_by_role("checkbox", name=PREVENTION, exact=True)).to_be_checked(timeout=60_000)
    expect(choice(again, PREVENTION).get_by_role("button", name="5", exact=True)).to_have_class(
        re.compile(r"\bmod-active\b")
    )
    expect(again.locator(".motives-side-for .motives-own textarea")).to_have_value("Ouders vragen ernaar")

    # The trainer's dashboard shows both teams with the right counts.
    board = new_page()
    board.goto(f"{server.base}{session['dashboard_path']}")
    expect(board.get_by_text("Meegedaan: 2 · Geantwoord: 2")).to_be_visible(timeout=60_000)
    talk = board.locator(".motives-category-shared")
    expect(talk.get_by_role("listitem")).to_have_text(
        "Beter voorkomen dan genezen. Wel beleid · 2 van 2 teams · belang 2–5 · Team Noord, Team Zuid"
    )
    screenshot(board, "dashboard-talk-1280")
    board.get_by_role("tab", name="Vergelijking").click()
    table = board.locator(".motives-heatmap")
    prevention_row = table.locator("tr").filter(has_text=PREVENTION)
    expect(prevention_row.locator("td")).to_have_text(["✓ 5", "✓ 2", "2", "3,5"])
    priority_row = table.locator("tr").filter(has_text=PRIORITY)
    expect(priority_row.locator("td")).to_have_text(["—", "✓ 3", "1", "3,0"])
    own_row = table.locator("tr").filter(has_text="Ouders vragen ernaar")
    expect(own_row.locator("td")).to_have_text(["✓ 4", "—", "1", "4,0"])
    expect(own_row.locator("th").last).to_have_text("eigen")
    screenshot(board, "dashboard-comparison-1280")
    board.get_by_role("tab", name="Balans").click()
    balance = board.locator(".motives-balance table")
    expect(balance.locator("tr").filter(has_text="Team Noord").locator("td")).to_have_text(
        ["Team Noord", "3", "13", "0", "0", "Ja", "De grens werk-privé weegt het zwaarst."]
    )
    expect(balance.locator("tr").filter(has_text="Team Zuid").locator("td")).to_have_text(
        ["Team Zuid", "1", "2", "1", "3", "Nog niet", ""]
    )
    expect(board.get_by_role("img", name=re.compile("Staafdiagram"))).to_be_visible()
    screenshot(board, "dashboard-balance-1280")


def test_the_dashboard_without_the_key_shows_no_team_data(server, new_page, screenshot):
    session = server.new_session("Geheim")
    team = new_page()
    open_team_page(team, f"{server.base}/voila/render/team.ipynb?session={session['code']}&team=Geheim%20team")
    expect(team.get_by_role("heading", name="Geheim team")).to_be_visible(timeout=60_000)
    tick(team, PREVENTION, 4)  # a team that answered, with an own motive of its own words
    add_own(team, "for", "Onze cliënten vinden ons op Facebook")
    eventually(lambda: (a := answers_of(server.db, session["code"], "Geheim team")) and a.own)
    board = new_page()
    board.goto(f"{server.base}/voila/render/dashboard.ipynb?session={session['code']}&key=wrong")
    wrong = "Er is geen sessie met deze code en deze trainerssleutel. Kijk beide na."
    expect(board.get_by_text(wrong)).to_be_visible(timeout=60_000)
    shown = board.locator("body").inner_text()
    for secret in ("Geheim team", "Onze cliënten vinden ons op Facebook", "Geheim", session["trainer_key"]):
        assert secret not in shown


def test_a_wrong_code_gets_a_clear_message(server, new_page, screenshot):
    page = new_page()
    page.goto(f"{server.base}/voila/render/team.ipynb?session=QQQQQQ&team=X")
    expect(page.get_by_text("Er is geen sessie met code QQQQQQ.")).to_be_visible(timeout=60_000)
    screenshot(page, "team-page-wrong-code")
    session = server.new_session("Juiste code")
    page.get_by_role("textbox", name="Sessiecode").fill(session["code"].lower())
    page.get_by_role("button", name="Verder").click()
    page.get_by_role("textbox", name="Naam van je team").fill("Laatkomers")
    page.get_by_role("textbox", name="Naam van je team").press("Enter")
    expect(page.get_by_role("heading", name="Laatkomers")).to_be_visible()


def test_an_english_session_speaks_english(server, new_page, screenshot):
    session = server.new_session("Workshop", lang="en")
    page = new_page()
    open_team_page(page, f"{server.base}/voila/render/team.ipynb?session={session['code']}&team=North")
    expect(page.get_by_role("checkbox", name="Prevention is better than cure.", exact=True)).to_be_visible(
        timeout=60_000
    )
    expect(
        page.get_by_role("heading", name="Motives to formulate a social media policy for the organisation")
    ).to_be_visible()
