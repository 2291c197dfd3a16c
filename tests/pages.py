"""Opening a team page as a team does: the link, then the click that joins (a URL alone makes no team)."""

from __future__ import annotations

from widgets.team import TeamPage


def joined_page(store, session, team: str) -> TeamPage:
    """The page of ``team`` as its members see it after clicking "Doe mee als dit team" (if it was new)."""
    page = TeamPage({"session": session.code, "team": team}, store=store)
    if page.worksheet is None:
        page.go_button.click()
    return page


def shown_text(widget) -> str:
    """Every text a widget and everything inside it shows or carries (values, labels, options, tooltips).

    A privacy test reads this, not one level of children: a leak may sit deep in the page.
    """
    texts = []
    for name in ("value", "description", "placeholder", "tooltip", "options", "titles"):
        value = getattr(widget, name, None)
        if isinstance(value, str):
            texts.append(value)
        elif isinstance(value, list | tuple):
            texts.extend(str(item) for item in value)
    for child in getattr(widget, "children", ()):
        texts.append(shown_text(child))
    return "\n".join(texts)
