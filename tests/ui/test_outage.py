"""The database restarts and stops during a workshop, under a team page and the overview in Chromium,
through a real ``motives serve`` on a PostgreSQL cluster of the test's own (tests/pgcluster.py)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pgcluster
import pytest
from databases import own_cluster
from joining import BLUR, PREVENTION, open_team_page
from playwright.sync_api import expect

from motives.store import Store

AWAY = "De antwoorden kunnen nu niet bewaard worden. Probeer het zo opnieuw of verwittig je trainer."


@pytest.fixture
def cluster() -> Iterator[tuple[str, Path]]:
    with own_cluster() as made:
        yield made


def test_pages_survive_a_stopped_and_a_restarted_database_without_a_reload(cluster, launch, new_page, tmp_path):
    url, folder = cluster
    _process, server = launch(url, tmp_path / "serve.log")
    session = server.new_session("Storing")
    team = open_team_page(new_page(), f"{server.base}{session['team_path']}&team=Noord")
    team.evaluate("window.motivesSamePage = true")  # gone if the page reloads
    board = new_page()
    board.goto(f"{server.base}{session['dashboard_path']}")
    expect(board.get_by_text("Meegedaan: 1")).to_be_visible(timeout=60_000)
    team.get_by_role("checkbox", name=PREVENTION, exact=True).check()
    expect(team.get_by_text("Bewaard om")).to_be_visible()

    pgcluster.pg_ctl(folder, "stop", "-m", "fast")
    try:
        blur = team.get_by_role("checkbox", name=BLUR, exact=True)
        blur.click()  # not check(): the page takes the tick back, which is the point
        # Refused in the team's language, and the tick goes back: the screen shows what the store holds.
        expect(team.locator(".motives-choice", has_text=BLUR).get_by_text(AWAY)).to_be_visible()
        expect(blur).not_to_be_checked()
        expect(board.get_by_text(re.compile(r"De opslag is nu niet bereikbaar \(sinds"))).to_be_visible(timeout=30_000)
    finally:
        pgcluster.pg_ctl(folder, "start")
    # Back: the overview stops saying so by itself, and the same page saves at its first try.
    expect(board.get_by_text("De opslag is nu niet bereikbaar", exact=False)).to_have_count(0, timeout=30_000)
    blur.check()
    expect(blur).to_be_checked()
    expect(team.locator(".motives-choice", has_text=BLUR).get_by_text(AWAY)).to_have_count(0)

    pgcluster.pg_ctl(folder, "restart", "-m", "fast")
    # The first save after a restart goes through: no connection from before it is used.
    team.get_by_role("checkbox", name=PREVENTION, exact=True).uncheck()
    expect(team.get_by_text(AWAY)).to_have_count(0)
    expect(board.get_by_text("Geantwoord: 1")).to_be_visible(timeout=30_000)

    assert team.evaluate("window.motivesSamePage === true")  # never reloaded: its kernel lived throughout
    store = Store(url)
    try:
        (summary,) = store.sessions()
        ticked = {a["motive_id"] for a in store.records(store.session(summary.code)).answers if a["applies"]}
    finally:
        store.close()
    assert ticked == {"for-work-private-blur"}
