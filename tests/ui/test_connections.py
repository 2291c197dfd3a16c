"""More open team pages than the database has connections (issue 24, point 1), through a real
``motives serve`` on a PostgreSQL cluster of the test's own that takes 30 connections: 45 pages
all render and all save, since the pages reach the store through the server, which keeps a pool of
three connections for all of them."""

from __future__ import annotations

import time

import psycopg
import pytest
from databases import own_cluster
from joining import LOAD, PREVENTION, open_pages
from playwright.sync_api import expect

from motives.store import Store

PAGES = 45
MAX_CONNECTIONS = 30
STORE_CONNECTIONS = 3  # the server's pool for all its team pages


@pytest.mark.slow
def test_forty_five_pages_render_and_save_on_a_server_of_thirty_connections(launch, new_page, tmp_path):
    with own_cluster(max_connections=MAX_CONNECTIONS) as (url, folder):
        _process, server = launch(
            url, tmp_path / "serve.log", "--max-teams", str(PAGES), "--store-connections", str(STORE_CONNECTIONS)
        )
        session = server.new_session("Vijfenveertig")
        pages = open_pages(
            new_page, f"{server.base}{session['team_path']}&team=", [f"Team%20{n}" for n in range(PAGES)]
        )
        for page in pages:
            page.get_by_role("checkbox", name=PREVENTION, exact=True).check()
        for page in pages:
            expect(page.get_by_text("Bewaard om")).to_be_visible(timeout=LOAD)
        port = (folder / "port").read_text().strip()
        query = "SELECT count(*) - 1 FROM pg_stat_activity WHERE backend_type = 'client backend'"  # less its own
        with psycopg.connect(f"host=127.0.0.1 port={port} user=postgres dbname=motives_test", autocommit=True) as db:
            # All open and polling: the pages' kernels hold none, the server its pool at most.
            held = []
            for _ in range(30):  # three seconds: every page polls once or twice
                held.append(db.execute(query).fetchone()[0])
                time.sleep(0.1)
        assert max(held) <= STORE_CONNECTIONS, held
        store = Store(url)
        try:
            records = store.records(store.session(session["code"]))
        finally:
            store.close()
        assert len(records.teams) == PAGES
        assert sorted(a["motive_id"] for a in records.answers if a["applies"]) == ["for-prevention"] * PAGES
