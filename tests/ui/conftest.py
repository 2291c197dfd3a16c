"""A real ``motives serve`` on a free port with a temporary store, and the system's Chromium.

Never ``playwright install``: the browser is Debian's chromium (``make test``
installs it when it can). Without one these tests fail and say how to get it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from databases import create_database, drop_database
from joining import answer_five_teams
from pictures import take_screenshot
from servers import Server, start_server, stop_server

from motives.store import Store

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if Path(str(item.fspath)).is_relative_to(Path(__file__).parent):
            item.add_marker(pytest.mark.ui)


def chromium_path() -> str:
    for candidate in (os.environ.get("MOTIVES_CHROMIUM"), shutil.which("chromium"), "/usr/bin/chromium"):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    pytest.fail(
        "The browser tests need Chromium: run `make test` (it installs Debian's chromium as root), "
        "`sudo apt-get install -y chromium`, or set MOTIVES_CHROMIUM=/path/to/chromium.",
        pytrace=False,
    )


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    folder = tmp_path_factory.mktemp("server")
    db, log = folder / "motives.db", folder / "serve.log"
    process, base = start_server(db, log)
    yield Server(base, db, log)
    stop_server(process)


@pytest.fixture(scope="session")
def pg_server(tmp_path_factory: pytest.TempPathFactory, postgres_server: str) -> Iterator[Server]:
    """The same server with its store in a PostgreSQL database."""
    url = create_database(postgres_server)
    log = tmp_path_factory.mktemp("pg-server") / "serve.log"
    process, base = start_server(url, log)
    yield Server(base, url, log)
    stop_server(process)
    drop_database(url)


@pytest.fixture(params=["sqlite", "postgresql"])
def any_server(request: pytest.FixtureRequest) -> Server:
    """A test that takes this runs against the SQLite server and the PostgreSQL one."""
    return request.getfixturevalue("server" if request.param == "sqlite" else "pg_server")


@pytest.fixture(scope="session")
def playwright() -> Iterator:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def browser(playwright) -> Iterator:
    browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture
def browser_in(playwright, tmp_path: Path) -> Iterator:
    """A Chromium of its own in a network namespace (tests/ui/room.py): a device in a room of the test's own."""
    launched = []

    def launch(namespace: str):
        wrapper = tmp_path / f"chromium-{namespace}"
        wrapper.write_text(f'#!/bin/sh\nexec ip netns exec {namespace} {chromium_path()} "$@"\n')
        wrapper.chmod(0o755)
        launched.append(playwright.chromium.launch(executable_path=str(wrapper), args=CHROMIUM_ARGS))
        return launched[-1]

    yield launch
    for browser in launched:
        browser.close()


@pytest.fixture
def new_page(browser):
    contexts = []

    def make(width: int = 1280, height: int = 900):
        context = browser.new_context(viewport={"width": width, "height": height}, locale="nl-BE")
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(30_000)
        return page

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def screenshot():
    return take_screenshot


AXE = Path(__file__).parent / "node_modules" / "axe-core" / "axe.min.js"


@pytest.fixture
def axe():
    """Run axe-core in the page and return its serious and critical violations (none is the goal)."""
    if not AXE.is_file():
        pytest.fail("axe-core is missing: run `make test` (it runs scripts/ensure-axe) or `npm ci` in tests/ui.")

    def scan(page) -> list[dict]:
        page.add_script_tag(path=str(AXE))
        violations = page.evaluate(
            """async () => (await axe.run(document)).violations.map(v => ({
                   id: v.id, impact: v.impact, nodes: v.nodes.map(n => n.html.slice(0, 200))}))"""
        )
        return [v for v in violations if v["impact"] in ("serious", "critical")]

    return scan


@pytest.fixture
def workshop(server):
    """A session with five teams that have answered, as in a real plenary."""
    session = server.new_session("Plenaire sessie")
    store = Store(server.db)
    try:
        s = store.session(session["code"])
        answer_five_teams(store, s)
        store.add_own_motive(store.find_team(s, "Jeugdwerk"), "for", "Jongeren sturen ons 's avonds berichten", 5)
        store.add_own_motive(store.find_team(s, "Buurtwerk"), "for", "jongeren sturen ons s avonds berichten!", 4)
    finally:
        store.close()
    return session


@pytest.fixture
def launch():
    """Start a server of one's own (to stop or kill it); returns (process, Server)."""
    processes = []

    def start(db: Path, log: Path, *extra: str) -> tuple[subprocess.Popen, Server]:
        process, base = start_server(db, log, *extra)
        processes.append(process)
        return process, Server(base, db, log)

    yield start
    for process in processes:
        if process.poll() is None:
            stop_server(process)
