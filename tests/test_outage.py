"""The database goes away during a workshop and comes back (issue 24, point 3): a real PostgreSQL
cluster of its own (tests/pgcluster.py), restarted and stopped under an open team page and the
trainer's overview, as ``pg_ctl`` does it on a server.

A save while the database is away is refused in the team's language, and the tick goes back to what
the store held; nothing is half-written. Once the database is back, the same page saves and the
overview follows again, without a reload; the overview says the store is away while it is, and
stops saying so afterwards."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from pathlib import Path

import pgcluster
import pytest
from databases import own_cluster
from pages import board_for, joined_page, shown_text, team_params
from services import remote, store_service

from motives.catalogue import default_catalogue
from motives.settings import Settings
from motives.store import Store
from motives.widgets.team import TeamPage

# Slow: each test starts, stops or fills a real database and waits for it (make test runs them; make check does not).
pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
AWAY = "De antwoorden kunnen nu niet bewaard worden. Probeer het zo opnieuw of verwittig je trainer."


@pytest.fixture
def cluster() -> Iterator[tuple[str, Path]]:
    with own_cluster() as made:
        yield made


@pytest.fixture(params=["in its kernel", "through its server"])
def reach(request) -> Iterator[Callable[[str], object]]:
    """How the team page reaches the store: its own (a kernel without motives serve), or the pool of
    its server's store service (motives serve), which must survive the outage as well."""
    with ExitStack() as stack:

        def store_for(url: str):
            if request.param == "in its kernel":
                return Store(url)
            return remote(stack.enter_context(store_service(Settings(db=url))))

        yield store_for


def workshop(url: str, reach: Callable[[str], object]):
    store = Store(url)
    session = store.create_session("Storing", default_catalogue())
    store.join(session, "Noord")
    page = TeamPage(team_params(store, session, "Noord"), store=reach(url))
    board = board_for(Store(url), session)
    return store, session, page.worksheet, board


def test_a_save_while_the_database_is_stopped_is_refused_and_the_page_goes_on_when_it_is_back(cluster, reach):
    url, folder = cluster
    store, session, sheet, board = workshop(url, reach)
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


def test_the_first_save_after_a_restart_goes_through(cluster, reach):
    url, folder = cluster
    store, session, sheet, board = workshop(url, reach)
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


# --- SQLite: the laptop's store file -------------------------------------------------------------

REFUSED = AWAY


def read_only(paths: list[Path], on: bool) -> None:
    """Make the store's files read-only, as a file copied from a CD, a locked USB stick or a lost
    permission would be. Root writes through file modes, so as root the files are made immutable."""
    for path in paths:
        if not path.exists():
            continue
        if os.geteuid() == 0:
            subprocess.run(["chattr", "+i" if on else "-i", str(path)], check=True)
        else:
            path.chmod(0o444 if on else 0o644)


def test_a_store_file_that_became_read_only_refuses_a_save_clearly_and_loses_nothing(tmp_path):
    """A page that opens on a store file that became read-only (copied from a locked stick, a lost
    permission) reads it and refuses a save in the team's language. (A connection opened before keeps
    its right to write, as any open file does: the page that was already open saves on.)"""
    db = tmp_path / "motives.db"
    store = Store(db)
    session = store.create_session("Alleen lezen", default_catalogue())
    joined_page(store, session, "Noord").worksheet.choices["for-prevention"].applies.value = True
    files = store.files()
    store.close()  # the laptop restarted, say: no connection from before
    read_only(files, True)
    try:
        reopened = Store(db)
        sheet = joined_page(reopened, reopened.session(session.code), "Noord").worksheet
        assert sheet.choices["for-prevention"].value == (True, 3)  # what was saved is there
        choice = sheet.choices["for-support-staff"]
        choice.applies.value = True
        assert REFUSED in choice.status.value
        assert choice.value == (False, None)
        reopened.close()
    finally:
        read_only(files, False)
    choice.applies.value = True  # writable again: the same page saves
    assert choice.status.value == ""
    ticked = {a["motive_id"] for a in Store(db).records(session).answers if a["applies"]}
    assert ticked == {"for-prevention", "for-support-staff"}


FULL_DISK = """
import json, resource, sys
sys.path[:0] = ["tests", "tests/ui"]
from pages import joined_page
from motives.catalogue import default_catalogue
from motives.settings import Settings
from motives.store import Store
from motives.widgets.team import TeamPage

store = Store(sys.argv[1])
session = store.create_session("Volle schijf", default_catalogue())
sheet = joined_page(store, session, "Noord").worksheet
sheet.choices["for-prevention"].applies.value = True
soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
resource.setrlimit(resource.RLIMIT_FSIZE, (0, hard))  # no file may grow: a full disk (Python ignores SIGXFSZ)
choice = sheet.choices["for-support-staff"]
choice.applies.value = True
full = {"status": choice.status.value, "value": list(choice.value)}
resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
choice.applies.value = True
print(json.dumps({"full": full, "after": choice.status.value, "code": session.code}))
"""


def test_a_full_disk_refuses_a_save_clearly_and_loses_nothing(tmp_path):
    db = tmp_path / "motives.db"
    done = subprocess.run(
        [sys.executable, "-c", FULL_DISK, str(db)], capture_output=True, text=True, cwd=ROOT, timeout=120
    )
    assert done.returncode == 0, done.stderr
    said = json.loads(done.stdout)
    assert REFUSED in said["full"]["status"] and said["full"]["value"] == [False, None]
    assert said["after"] == ""
    session = Store(db).session(said["code"])
    ticked = {a["motive_id"] for a in Store(db).records(session).answers if a["applies"]}
    assert ticked == {"for-prevention", "for-support-staff"}
