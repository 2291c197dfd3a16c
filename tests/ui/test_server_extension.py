"""The pages through Voilà's Jupyter Server extension, as in a JupyterHub single-user server.

A real ``jupyter server`` with JupyterHub's kind of prefix (``/user/trainer/``), a token, the
repository as its root (so the pages are ``/voila/render/notebooks/…``) and the app's template
chosen by configuration, not by ``motives serve``: a team joins and ticks a motive, the trainer's
dashboard shows the team and a join link that works, and no request leaves this machine.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import signal
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from joining import PREVENTION
from playwright.sync_api import Page, expect
from processes import free_port, wait_until_answering
from servers import ROOT, answers_of, eventually, new_session

from motives.store import Store

PREFIX = "/user/trainer/"  # what JupyterHub gives a single-user server
PAGES = f"{PREFIX}voila/render/notebooks"
LOAD = 60_000  # ms: two cores, and other tests may be running


def server_team_key(server, code: str, name: str) -> str:
    store = Store(server.db)
    try:
        return store.find_team(store.session(code), name).key
    finally:
        store.close()


@dataclass
class JupyterServer:
    origin: str  # http://127.0.0.1:PORT
    token: str
    db: Path
    log: Path

    @property
    def pages(self) -> str:
        return self.origin + PAGES

    def new_session(self, name: str) -> dict:
        return new_session(self.db, name)


@pytest.fixture(scope="module")
def jupyter_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[JupyterServer]:
    folder = tmp_path_factory.mktemp("jupyter-server")
    db, log, port, token = folder / "motives.db", folder / "server.log", free_port(), secrets.token_hex(16)
    origin = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "MOTIVES_DB": str(db),
        # Where teams reach the server: JupyterHub's public address (here the server itself, no prefix).
        "MOTIVES_BASE_URL": origin,
        # The app's template; an installed wheel puts it in <prefix>/share/jupyter, an editable install does not.
        "JUPYTER_PATH": str(ROOT / "share" / "jupyter"),
        # Nobody's own Jupyter configuration or runtime files.
        "JUPYTER_CONFIG_DIR": str(folder / "config"),
        "JUPYTER_RUNTIME_DIR": str(folder / "runtime"),
    }
    argv = [
        sys.executable,
        "-m",
        "jupyter_server",
        "--no-browser",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",
        f"--ServerApp.base_url={PREFIX}",
        f"--ServerApp.root_dir={ROOT}",
        f"--IdentityProvider.token={token}",
        "--VoilaConfiguration.template=motives",
        "--MappingKernelManager.cull_idle_timeout=60",
        "--MappingKernelManager.cull_interval=15",
        "--MappingKernelManager.cull_connected=False",
        *(["--allow-root"] if os.geteuid() == 0 else []),
    ]
    with log.open("a") as out:
        process = subprocess.Popen(argv, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        wait_until_answering(process, origin, log=log)
        yield JupyterServer(origin, token, db, log)
    finally:  # the server and its kernels: the whole process group
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


def logged_in(new_page, server: JupyterServer, **size) -> tuple[Page, list[str]]:
    """A browser page that logged in with the token (as JupyterHub's login would), and every URL it asks for."""
    page = new_page(**size)
    asked: list[str] = []
    page.on("request", lambda request: asked.append(request.url))
    page.on("websocket", lambda socket: asked.append(socket.url))
    page.goto(f"{server.origin}{PREFIX}login", timeout=LOAD)
    password = page.get_by_role("textbox", name="Password or token:")
    password.fill(server.token)
    password.press("Enter")
    page.wait_for_url(re.compile(re.escape(server.origin) + r"/(?!.*login)"), timeout=LOAD)
    return page, asked


def elsewhere(asked: list[str]) -> list[str]:
    return [
        url for url in asked if urlsplit(url).scheme not in ("data", "blob") and urlsplit(url).hostname != "127.0.0.1"
    ]


def test_a_team_and_the_trainer_work_through_the_server_extension(jupyter_server, new_page, screenshot):
    server = jupyter_server
    session = server.new_session("Workshop op de hub")
    code = session["code"]

    # A team opens the page with the session code only, and types its name.
    team, team_asked = logged_in(new_page, server)
    team.goto(f"{server.pages}/team.ipynb?session={code}", timeout=LOAD)
    expect(team.get_by_role("textbox", name="Naam van je team")).to_be_visible(timeout=LOAD)
    # The app's template, not Voilà's default (which links Font Awesome from a CDN).
    assert team.locator("link[href*='fontawesome']").count() == 0
    team.get_by_role("textbox", name="Naam van je team").fill("Team Hub")
    team.get_by_role("button", name="Verder").click()
    expect(team.get_by_role("heading", name="Team Hub")).to_be_visible(timeout=LOAD)
    team.get_by_role("checkbox", name=PREVENTION, exact=True).check()
    team.locator(".motives-choice").filter(has=team.get_by_role("checkbox", name=PREVENTION, exact=True)).get_by_role(
        "button", name="4", exact=True
    ).click()
    expect(team.get_by_text("Bewaard om")).to_be_visible()
    stored = eventually(
        lambda: (a := answers_of(server.db, code, "Team Hub")) and a.answers["for-prevention"].importance == 4 and a
    )
    assert [motive for motive, answer in stored.answers.items() if answer.applies] == ["for-prevention"]
    screenshot(team, "server-extension-team-page")

    # The bookmark on the page stays under the server's prefix, and brings the answers back.
    bookmark = team.get_by_role("link", name="Link van jullie team")
    key = server_team_key(server, code, "Team Hub")
    expect(bookmark).to_have_attribute("href", f"{PAGES}/team.ipynb?session={code}&team=Team+Hub&teamkey={key}")
    again, again_asked = logged_in(new_page, server)
    again.goto(server.origin + bookmark.get_attribute("href"), timeout=LOAD)
    expect(again.get_by_role("checkbox", name=PREVENTION, exact=True)).to_be_checked(timeout=LOAD)

    # The trainer's dashboard shows the team, and a join link (and QR code) under the prefix.
    board, board_asked = logged_in(new_page, server)
    board.goto(f"{server.pages}/dashboard.ipynb?session={code}&key={session['trainer_key']}", timeout=LOAD)
    expect(board.get_by_text("Meegedaan: 1 · Geantwoord: 1")).to_be_visible(timeout=LOAD)
    join = f"{server.pages}/team.ipynb?session={code}"
    expect(board.locator(".motives-join-url")).to_have_text(join)
    expect(board.locator(".motives-qr svg")).to_be_visible()
    board.get_by_role("tab", name="Vergelijking").click()
    expect(board.locator(".motives-heatmap tr").filter(has_text=PREVENTION).locator("td").first).to_have_text("✓ 4")
    expect(board.locator(".motives-heatmap")).to_contain_text("Team Hub")
    screenshot(board, "server-extension-dashboard")

    # The join link works as it is shown.
    joined, joined_asked = logged_in(new_page, server)
    joined.goto(join, timeout=LOAD)
    expect(joined.get_by_role("textbox", name="Naam van je team")).to_be_visible(timeout=LOAD)

    for page in (team, again, board, joined):
        page.wait_for_load_state("networkidle")
        foreign = page.locator("link[href*='fontawesome'], script[src*='//']")
        assert foreign.count() == 0, [foreign.nth(i).evaluate("e => e.outerHTML") for i in range(foreign.count())]
    assert elsewhere(team_asked + again_asked + board_asked + joined_asked) == []
    assert any(url.startswith(f"{server.origin}{PREFIX}voila/") for url in team_asked)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def test_without_logging_in_the_pages_are_closed(jupyter_server):
    opener = urllib.request.build_opener(NoRedirect)
    with pytest.raises(urllib.error.HTTPError) as refused:
        opener.open(f"{jupyter_server.pages}/team.ipynb?session=ABCDEF", timeout=30)
    assert refused.value.code == 302
    assert refused.value.headers["Location"].startswith(f"{PREFIX}login")
