"""Opening a team page as a team does: the link, then the click that joins (a URL alone makes no team);
the trainer's dashboard; what a page shows; a clock a test moves by hand."""

from __future__ import annotations

import ipywidgets as w

from motives.urls import TEAM_KEY
from motives.widgets.keyed import DashboardPage
from motives.widgets.team import TeamPage

# The message keys of the trainer's controls on the overview: none may appear on the projector.
TRAINER_CONTROLS = (
    "live",
    "reveal",
    "revealed",
    "lock",
    "locked",
    "timer_start",
    "timer_stop",
    "minutes",
    "projector_open",
)


def team_params(store, session, team: str) -> dict[str, str]:
    """The query of a team's link: its own (with its key) once the team exists, else the name alone."""
    existing = store.find_team(session, team)
    return {"session": session.code, "team": team} | ({TEAM_KEY: existing.key} if existing else {})


def joined_page(store, session, team: str) -> TeamPage:
    """The page of ``team`` as its members see it: through the team's own link, or after clicking
    "Doe mee als dit team" if the team is new."""
    page = TeamPage(team_params(store, session, team), store=store)
    if page.worksheet is None:
        page.go_button.click()
    return page


def inputs(widget) -> list:
    """Every input in the widget tree a participant could change or click, as the browser has them."""
    found = [widget] if isinstance(widget, w.ValueWidget | w.Button) and hasattr(widget, "disabled") else []
    for child in getattr(widget, "children", ()):
        found += inputs(child)
    return found


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


def board_for(store, session):
    """The trainer's dashboard of ``session``, opened with its code and key."""
    return DashboardPage({"session": session.code, "key": session.trainer_key}, store=store).dashboard


def on_screen(board, tab: str):
    """The dashboard's tab named ``tab`` (``"balance_tab"``), once the trainer chose it: a tab is drawn
    when it comes on screen, not before."""
    page = getattr(board, tab)
    board.tabs.selected_index = board.pages.index(page)
    return page


class Clock:
    """A clock the test moves by hand (``clock.now += 5``), so a pause a page waits out is checked without
    sleeping."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def picked_file(content: bytes, name: str, kind: str) -> tuple[dict, ...]:
    """What the browser sends a FileUpload when the trainer picks one file."""
    from datetime import UTC, datetime

    moment = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
    return (
        {"name": name, "type": kind, "size": len(content), "content": memoryview(content), "last_modified": moment},
    )
