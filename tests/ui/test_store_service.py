"""Under a real ``motives serve`` a team page's kernel reaches the store through its server (issue 24):
it is told the server's store service, is connected to it once it saved, and holds no connection
to the database itself; the service's port is the server's own, on 127.0.0.1, and its secret is in
no log. Seen from outside, in the processes, as an administrator would look."""

from __future__ import annotations

import os

import psutil
from databases import own_cluster
from joining import PREVENTION, open_team_page
from playwright.sync_api import expect
from servers import new_session, start_server, stop_server

from motives.store import Store


def kernel_of(server: psutil.Process, query: str) -> psutil.Process:
    """The kernel behind the page whose query string holds ``query`` (Voilà hands it to the kernel)."""
    for child in server.children(recursive=True):
        try:
            if "ipykernel_launcher" in " ".join(child.cmdline()) and query in child.environ().get("QUERY_STRING", ""):
                return child
        except psutil.Error:
            continue
    raise AssertionError(f"no kernel for {query}")


def test_a_team_page_saves_through_its_server_and_holds_no_database_connection(launch, new_page, tmp_path):
    with own_cluster(max_connections=20) as (url, folder):
        database_port = int((folder / "port").read_text())
        process, server = launch(url, tmp_path / "serve.log")
        session = server.new_session("Via de server")
        page = open_team_page(new_page(), f"{server.base}{session['team_path']}&team=Noord")
        page.get_by_role("checkbox", name=PREVENTION, exact=True).check()
        expect(page.get_by_text("Bewaard om")).to_be_visible()

        serve = psutil.Process(process.pid)
        kernel = kernel_of(serve, "team=Noord")
        environ = kernel.environ()
        host, _, port = environ["MOTIVES_STORE_SERVICE"].rpartition(":")
        listening = {c.laddr for c in serve.net_connections("tcp") if c.status == psutil.CONN_LISTEN}
        assert (host, int(port)) in {(a.ip, a.port) for a in listening}  # the server's own port, on loopback
        assert host == "127.0.0.1" and int(port) != int(server.base.rsplit(":", 1)[1])  # not the public one
        peers = {(c.raddr.ip, c.raddr.port) for c in kernel.net_connections("tcp") if c.raddr}
        assert ("127.0.0.1", int(port)) in peers  # it saved through the service (and keeps the connection)
        assert all(peer_port != database_port for _ip, peer_port in peers)  # and never opened the database
        assert environ["MOTIVES_STORE_TOKEN"] not in (tmp_path / "serve.log").read_text()

        store = Store(url)
        try:
            ticked = [a["motive_id"] for a in store.records(store.session(session["code"])).answers]
        finally:
            store.close()
        assert ticked == ["for-prevention"]


def test_a_team_pages_kernel_is_not_told_where_the_database_is_and_the_dashboards_is(new_page, tmp_path):
    # PGAPPNAME stands for the PG… variables an administrator may set for libpq (PGPASSWORD and the like).
    # A voila.json that turns preheating on would hand out kernels started with the server's whole
    # environment: motives serve keeps it off whatever the configuration says.
    config = tmp_path / "jupyter-config"
    config.mkdir()
    (config / "voila.json").write_text('{"VoilaConfiguration": {"preheat_kernel": true}}', encoding="utf-8")
    db = tmp_path / "store.db"
    env = {**os.environ, "PGAPPNAME": "motives-test", "JUPYTER_CONFIG_DIR": str(config)}
    process, base = start_server(db, tmp_path / "serve.log", env=env)
    try:
        session = new_session(db, "Zonder adres")
        page = open_team_page(new_page(), f"{base}{session['team_path']}&team=Noord")
        page.get_by_role("checkbox", name=PREVENTION, exact=True).check()
        expect(page.get_by_text("Bewaard om")).to_be_visible()  # it saves all the same, through its server
        board = new_page()
        board.goto(f"{base}{session['dashboard_path']}")
        expect(board.get_by_role("tab", name="Vergelijking")).to_be_visible(timeout=60_000)

        serve = psutil.Process(process.pid)
        team = kernel_of(serve, "team=Noord").environ()
        dashboard = kernel_of(serve, session["dashboard_path"].split("?", 1)[1]).environ()
        assert ("MOTIVES_DB" in team, "PGAPPNAME" in team, "MOTIVES_STORE_SERVICE" in team) == (False, False, True)
        assert (dashboard["MOTIVES_DB"], dashboard["PGAPPNAME"]) == (f"sqlite:///{db}", "motives-test")
    finally:
        stop_server(process)
