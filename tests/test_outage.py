"""The database goes away during a workshop and comes back (issue 24, point 3): a real PostgreSQL
cluster of its own (tests/pgcluster.py), restarted and stopped under an open team page and the
trainer's overview, as ``pg_ctl`` does it on a server.

A save while the database is away is refused in the team's language, and the tick goes back to what
the store held; nothing is half-written. Once the database is back, the same page saves and the
overview follows again, without a reload; the overview says the store is away while it is, and
stops saying so afterwards."""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pgcluster
import pytest
from pages import board_for, joined_page, shown_text

from motives.catalogue import default_catalogue
from motives.store import Store

AWAY = "De antwoorden kunnen nu niet bewaard worden. Probeer het zo opnieuw of verwittig je trainer."


@pytest.fixture
def cluster() -> Iterator[tuple[str, Path]]:
    folder = Path(tempfile.mkdtemp(prefix="motives-outage-pg-"))
    try:
        url = pgcluster.start(folder)
    except RuntimeError as exc:
        pgcluster.stop(folder)
        if os.environ.get("MOTIVES_REQUIRE_POSTGRESQL"):
            pytest.fail(f"PostgreSQL tests not run: {exc}", pytrace=False)
        pytest.skip(f"PostgreSQL tests not run: {exc}")
    yield url, folder
    pgcluster.stop(folder)


def workshop(url: str):
    store = Store(url)
    session = store.create_session("Storing", default_catalogue())
    page = joined_page(store, session, "Noord")
    board = board_for(Store(url), session)
    return store, session, page.worksheet, board


def test_a_save_while_the_database_is_stopped_is_refused_and_the_page_goes_on_when_it_is_back(cluster):
    url, folder = cluster
    store, session, sheet, board = workshop(url)
    prevention = sheet.choices["for-prevention"]
    prevention.applies.value = True  # saved while the database is there
    board.poll()  # and the overview has it
    pgcluster.pg_ctl(folder, "stop", "-m", "fast")
    try:
        support = sheet.choices["for-support-staff"]
        support.applies.value = True
        assert AWAY in support.status.value
        assert support.value == (False, None)  # back to what the store held: the tick was not saved
        assert prevention.value == (True, 3)
        board.poll()
        assert "De opslag is nu niet bereikbaar (sinds " in board.status.value
        time.sleep(30)  # the database stays away half a minute: the page and the overview keep saying so
        sheet.poll()  # the page's own clock finds the store away, and says so before the team saves in vain
        assert AWAY in sheet.status.value and prevention.value == (True, 3)
        board.poll()
        assert "De opslag is nu niet bereikbaar" in board.status.value
    finally:
        pgcluster.pg_ctl(folder, "start")
    # Back: the overview stops saying the store is away (nothing new was saved: its own next read does it),
    # and the same page saves at its first try.
    board.poll()
    assert "niet bereikbaar" not in board.status.value
    sheet.poll()
    assert sheet.status.value == ""  # the message goes with the first poll that works
    support.applies.value = True
    assert support.status.value == "" and support.value == (True, 3)
    board.poll()
    assert "niet bereikbaar" not in board.status.value
    assert "Noord" in shown_text(board)
    answers = {a["motive_id"]: a["importance"] for a in store.records(session).answers if a["applies"]}
    assert answers == {"for-prevention": 3, "for-support-staff": 3}  # nothing half-written, nothing lost


def test_the_first_save_after_a_restart_goes_through(cluster):
    url, folder = cluster
    store, session, sheet, board = workshop(url)
    sheet.choices["for-prevention"].applies.value = True
    board.poll()
    pgcluster.pg_ctl(folder, "restart", "-m", "fast")
    # No connection from before the restart is reused: the very next save and read work.
    choice = sheet.choices["for-support-staff"]
    choice.applies.value = True
    assert choice.status.value == "" and choice.value == (True, 3)
    board.poll()
    assert "niet bereikbaar" not in board.status.value and "motives-error" not in board.status.value
    assert len([a for a in store.records(session).answers if a["applies"]]) == 2
