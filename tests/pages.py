"""Opening a team page as a team does: the link, then the click that joins (a URL alone makes no team)."""

from __future__ import annotations

from widgets.team import TeamPage


def joined_page(store, session, team: str) -> TeamPage:
    """The page of ``team`` as its members see it after clicking "Doe mee als dit team" (if it was new)."""
    page = TeamPage({"session": session.code, "team": team}, store=store)
    if page.worksheet is None:
        page.go_button.click()
    return page
