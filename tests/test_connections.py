"""PostgreSQL connections of an organisation's server: an open page holds none between its reads and
writes, a full server is waited for a moment and then refused in a clear sentence, and the store
works behind PgBouncer in transaction mode. Each against a real cluster of its own (tests/pgcluster.py),
small enough to be filled."""

from __future__ import annotations

import os
import shutil
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pgcluster
import psycopg
import pytest
from databases import own_cluster
from services import remote, store_service

from motives import archive
from motives.catalogue import default_catalogue
from motives.errors import StoreError
from motives.settings import Settings
from motives.store import CONNECT_WAIT_SECONDS, Store

# Slow: real PostgreSQL servers, pgbouncer and full pools, waited on (make test runs them; make check does not).
pytestmark = pytest.mark.slow

# Few enough to fill by hand; superusers (the tests connect as postgres) may use every one of them.
MAX_CONNECTIONS = 6


@pytest.fixture(scope="module")
def cluster() -> Iterator[tuple[str, Path]]:
    with own_cluster(max_connections=MAX_CONNECTIONS) as made:
        yield made


def raw(folder: Path, port: int | None = None) -> psycopg.Connection:
    port = port or int((folder / "port").read_text())
    return psycopg.connect(f"host=127.0.0.1 port={port} user=postgres dbname={pgcluster.DATABASE}", autocommit=True)


def clients(watcher: psycopg.Connection, settle: float = 2.0) -> int:
    """The cluster's client connections, less the watcher's own. A closed connection's backend leaves
    pg_stat_activity a few milliseconds after the client has gone (it exits on its own time), so the
    count is read again for up to `settle` seconds; a connection that is really held stays counted."""
    query = "SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend'"
    deadline = time.monotonic() + settle
    while True:
        count = watcher.execute(query).fetchone()[0] - 1
        if count == 0 or time.monotonic() > deadline:
            return count
        time.sleep(0.05)


@contextmanager
def full(folder: Path) -> Iterator[list[psycopg.Connection]]:
    """Every connection the cluster has left, held until the block ends (as a room's other pages would)."""
    held = []
    while True:
        try:
            held.append(raw(folder))
        except psycopg.OperationalError:
            break
    try:
        yield held
    finally:
        for connection in held:
            connection.close()


def test_an_open_page_holds_no_connection_between_its_reads_and_writes(cluster):
    url, folder = cluster
    watcher = raw(folder)
    try:
        pages = [Store(url) for _ in range(MAX_CONNECTIONS * 2)]  # more open pages than the server has connections
        session = pages[0].create_session("Twaalf pagina's", default_catalogue())
        for number, store in enumerate(pages):
            team = store.join(store.session(session.code), f"Team {number}")
            store.set_answer(team, "for-prevention", True, 3)
            store.state(session)
        assert clients(watcher) == 0
        assert len(pages[0].records(session).answers) == len(pages)
    finally:
        watcher.close()


def test_under_motives_serve_all_pages_share_the_servers_few_connections(cluster):
    """The budget of issue 24: N open pages use at most the server's configured connections, whatever
    N is. Twice as many pages as the cluster takes connections save at once, through the server's store
    service, while the cluster's connections are counted."""
    url, folder = cluster
    watcher = raw(folder)
    counts: list[int] = []
    try:
        with store_service(Settings(db=url, store_connections=2)) as service:
            session = Store(url).create_session("Via de server", default_catalogue())
            teams = [remote(service).new_team(remote(service).session(session.code), f"Team {n}") for n in range(12)]
            done = threading.Event()

            def count() -> None:
                while not done.is_set():
                    counts.append(clients(watcher, settle=0))
                    time.sleep(0.01)

            counter = threading.Thread(target=count)
            counter.start()

            def one_page(team) -> None:
                page = remote(service)
                for importance in (1, 2, 3, 4, 5):
                    page.set_answer(team, "for-prevention", True, importance)
                    page.state(team.session)

            pages = [threading.Thread(target=one_page, args=(team,)) for team in teams]
            for page in pages:
                page.start()
            for page in pages:
                page.join(60)
            done.set()
            counter.join()
            answers = Store(url).records(session).answers
        assert len(answers) == 12 and {a["importance"] for a in answers} == {5}
        # The pool's two, and at times the one a Store() of the test itself opens for a moment.
        assert max(counts) <= 3 and len(counts) > 10, counts
    finally:
        watcher.close()


def test_a_full_server_is_waited_for_and_then_the_save_goes_through(cluster):
    url, folder = cluster
    store = Store(url)
    session = store.create_session("Vol", default_catalogue())
    team = store.join(session, "Noord")
    with full(folder) as held:
        assert len(held) >= MAX_CONNECTIONS - 1  # what other tests' cleanup still holds is gone in a moment
        # The room's other pages finish their saves: a connection comes free half a second later.
        threading.Timer(0.5, held.pop().close).start()
        started = time.monotonic()
        store.set_answer(team, "for-prevention", True, 4)
        waited = time.monotonic() - started
    assert 0.4 < waited < CONNECT_WAIT_SECONDS
    (answer,) = store.records(session).answers
    assert (answer["motive_id"], answer["applies"], answer["importance"]) == ("for-prevention", True, 4)


def test_a_server_that_stays_full_is_a_clear_refusal_and_nothing_is_half_written(cluster):
    url, folder = cluster
    store = Store(url)
    session = store.create_session("Blijft vol", default_catalogue())
    team = store.join(session, "Zuid")
    with full(folder), pytest.raises(StoreError) as refused:
        store.set_answer(team, "for-prevention", True, 4)
    said = refused.value.say("en")
    assert said.startswith("cannot use the store at postgresql+psycopg://postgres@127.0.0.1:")
    assert "too many clients" in said
    assert store.records(session).answers == []  # and the store works again at once


@pytest.mark.skipif(
    pgcluster.pgbouncer_binary() is None and not os.environ.get("MOTIVES_REQUIRE_POSTGRESQL"),
    reason="PgBouncer is not installed (apt-get install -y pgbouncer); CI installs it",
)
def test_the_store_works_behind_pgbouncer_in_transaction_mode(cluster, tmp_path):
    """Transaction pooling gives each transaction whichever server connection is free: nothing may stay
    on a server connection after a transaction. psycopg prepares a statement it runs five times on one
    connection, and the prepared statement stays: one import of a whole session does that, and the next
    transaction on that server connection, another page's, would meet it ("already exists")."""
    url, folder = cluster
    bouncer_dir = Path(tempfile.mkdtemp(prefix="motives-pgbouncer-"))
    process, port = pgcluster.start_pgbouncer(bouncer_dir, int((folder / "port").read_text()), pool_size=2)
    try:
        behind = url.replace(f":{(folder / 'port').read_text().strip()}/", f":{port}/")
        pages = [Store(behind) for _ in range(4)]
        session = pages[0].create_session("Achter PgBouncer", default_catalogue())
        teams = [store.join(store.session(session.code), f"Team {n}") for n, store in enumerate(pages)]
        big = pages[0].create_session("Twintig teams", default_catalogue())
        for number in range(20):
            pages[0].set_answer(pages[0].join(big, f"Groep {number}"), "for-prevention", True, 3)
        twenty = archive.parse(archive.dumps(archive.to_archive(pages[0], big)), "archive")[1]
        for round_ in range(8):  # the same statements, many times, over two server connections
            for store, team in zip(pages, teams, strict=True):
                store.set_answer(team, sorted(session.catalogue.ids)[round_], True, 1 + round_ % 5)
                store.state(session)
                # A session of twenty teams imported in one transaction: the same inserts, many times over.
                store.restore_session(twenty, store.unused_code())
        assert len(pages[0].records(session).answers) == 4 * 8
        assert [s.name for s in pages[0].sessions()].count("Twintig teams") == 1 + 8 * 4  # each import whole
    finally:
        process.terminate()
        process.wait(timeout=10)
        shutil.rmtree(bouncer_dir, ignore_errors=True)
