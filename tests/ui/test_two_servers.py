"""Two ``motives serve`` on one PostgreSQL store, as an organisation runs them behind one proxy (issue 24,
point 2): teams on either server, one overview that follows them all, and what the trainer steers, the
team cap and the wrong-code limit hold across both, since each lives in the store, not in a server."""

from __future__ import annotations

from datetime import timedelta

from databases import create_database, drop_database
from joining import PREVENTION, open_team_page
from playwright.sync_api import expect

from motives.store import Store

FULL = "Deze sessie is vol: er kunnen niet meer dan 2 teams meedoen. Vraag je trainer om hulp."


def test_two_servers_share_one_store_and_one_overview_follows_both(postgres_server, launch, new_page, tmp_path):
    url = create_database(postgres_server)
    try:
        _first, one = launch(url, tmp_path / "one.log", "--max-teams", "2")
        _second, two = launch(url, tmp_path / "two.log", "--max-teams", "2")
        session = one.new_session("Twee servers")
        north = open_team_page(new_page(), f"{one.base}{session['team_path']}&team=Noord")
        south = open_team_page(new_page(), f"{two.base}{session['team_path']}&team=Zuid")
        south.get_by_role("checkbox", name=PREVENTION, exact=True).check()
        expect(south.get_by_text("Bewaard om")).to_be_visible()

        # The overview on the first server follows the team on the second, live.
        board = new_page()
        board.goto(f"{one.base}{session['dashboard_path']}")
        expect(board.get_by_text("Meegedaan: 2 · Geantwoord: 1")).to_be_visible(timeout=60_000)
        north.get_by_role("checkbox", name=PREVENTION, exact=True).check()
        expect(board.get_by_text("Meegedaan: 2 · Geantwoord: 2")).to_be_visible(timeout=30_000)

        # The cap counts the teams of both servers: a third team is refused on either.
        third = new_page()
        third.goto(f"{two.base}{session['team_path']}&team=Oost")
        third.get_by_role("button", name="Doe mee als dit team").click()
        expect(third.get_by_text(FULL)).to_be_visible(timeout=60_000)

        # What the trainer steers on the first server reaches the page on the second.
        board.get_by_role("button", name="Vergrendel sessie").click()
        expect(south.get_by_text("De sessie is vergrendeld.", exact=False)).to_be_visible(timeout=30_000)
        expect(south.get_by_role("checkbox", name=PREVENTION, exact=True)).to_be_disabled()

        # A wrong code counts once, wherever it was typed: the store keeps one list per address.
        store = Store(url)
        try:
            for server, code in ((one, "ZZZZZZ"), (two, "YYYYYY")):
                page = new_page()
                page.goto(f"{server.base}/voila/render/team.ipynb")
                page.get_by_role("textbox", name="Sessiecode").fill(code)
                page.get_by_role("button", name="Verder").click()
                expect(page.get_by_text(f"Er is geen sessie met code {code}.")).to_be_visible(timeout=60_000)
            assert len(store.failed_joins("127.0.0.1", timedelta(minutes=10))) == 2
        finally:
            store.close()
    finally:
        drop_database(url)
