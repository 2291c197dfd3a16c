"""A team opening its link in the browser: a new team clicks "Doe mee als dit team" first.

Rendering a URL never makes a team (so a GET cannot fill a session); the worksheet
of a team that already exists opens at once. Also the Dutch worksheet's motives the tests tick.
"""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

PREVENTION = "Beter voorkomen dan genezen."
BLUR = "De grenzen tussen werk en privé vervagen op sociale netwerksites. Dus is het in het belang van de organisatie om daarover afspraken te maken."
JOIN_BUTTON = re.compile(r"^(Doe mee als dit team|Join as this team|Rejoindre en tant que cette équipe)$")


def open_team_page(page: Page, url: str, timeout: float = 60_000) -> Page:
    """Go to a team link and join if the team is new; returns once the worksheet is on screen."""
    page.goto(url)
    return join_if_new(page, timeout)


def join_if_new(page: Page, timeout: float = 60_000) -> Page:
    """On a loaded team link: click the join button if the team is new; returns once the worksheet shows."""
    worksheet, join = page.locator(".motives-worksheet"), page.get_by_role("button", name=JOIN_BUTTON)
    expect(worksheet.or_(join)).to_be_visible(timeout=timeout)
    if not worksheet.is_visible():
        join.click()
    expect(worksheet).to_be_visible(timeout=timeout)
    return page


def choose_tab(board: Page, name: str) -> None:
    """Click the overview's tab ``name`` and wait until it is drawn: a tab is drawn when it is first on
    screen, a kernel's round trip after the click (Export and Sessions, drawn from what they hold, too)."""
    board.get_by_role("tab", name=name).click()
    expect(board.locator(".motives-drawn:visible").first).to_be_visible(timeout=60_000)


def own_link(server, code: str, name: str) -> str:
    """A team's own link (with its key, as the store holds it): what its members open on another device."""
    from motives.store import Store
    from motives.urls import team_path

    store = Store(server.db)
    try:
        session = store.session(code)
        team = store.find_team(session, name)
        return server.base + team_path(code, team.name, language=session.language, key=team.key)
    finally:
        store.close()


# The plenary's five teams (the `workshop` fixture): what each ticked, with what importance, and its conclusion.
FIVE_TEAMS = {
    "Jeugdwerk": ({"for-work-private-blur": 5, "for-prevention": 4, "against-professional-enough": 2}, "yes"),
    "Thuiszorg": (
        {"for-organisation-responsible": 4, "against-staff-are-ambassadors": 4, "for-prevention": 2},
        "not_yet",
    ),
    "Buurtwerk": ({"for-work-private-blur": 4, "for-prevent-proliferation": 5, "for-prevention": 5}, "yes"),
    "Schuldhulp": ({"against-no-priority": 3, "against-no-rules-for-other-channels": 4, "for-prevention": 3}, "no"),
    "Straathoekwerk": ({"for-work-private-blur": 3, "for-support-staff": 5, "for-prevention": 4}, "yes"),
}


def answer_five_teams(store, session) -> None:
    """The five teams join ``session`` and answer as :data:`FIVE_TEAMS` says, each with a conclusion."""
    for name, (ticks, conclusion) in FIVE_TEAMS.items():
        team = store.join(session, name)
        for motive_id, importance in ticks.items():
            store.set_answer(team, motive_id, True, importance)
        store.set_conclusion(team, conclusion, f"Besluit van {name}.")


LOAD = 180_000  # ms: ten, twenty or more pages at once on two shared cores


def open_pages(new_page, url: str, names: list[str]) -> list:
    """Pages opened together (the browser loads them at the same time), each until its worksheet shows."""
    pages = []
    for name in names:
        page = new_page(width=800, height=600)
        page.goto(url + name, wait_until="commit", timeout=LOAD)
        pages.append(page)
    for page in pages:
        join_if_new(page, LOAD)  # a new team joins with a click (a URL alone makes no team)
    return pages
