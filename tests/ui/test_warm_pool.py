"""Team pages from a warm pool (motives.server.pool): a room that opens its links in the same second
gets pages whose kernels had started before anyone asked. Each such page is the page it was asked
for, its kernel knows no more than a team page's, and every guard counts it as it counts any page.
All through a real ``motives serve``; a device in the room is played by the ``X-Forwarded-For`` a
proxy on this machine adds."""

from __future__ import annotations

import concurrent.futures
import os
import re
import subprocess
import sys
import time
import urllib.parse
from datetime import timedelta
from pathlib import Path

import psutil
import pytest
from pages import team_params
from servers import KernelSocket, eventually, get, in_thread, kernel_id_of, kernels, start_server, stop_server

from motives.password import password_hash
from motives.store import Store

TEAM_PAGE = "/voila/render/team.ipynb"


def warm(server, pid: int, count: int) -> None:
    """Wait until ``count`` warm kernels have started and run the team page up to its request."""
    eventually(lambda: kernels(pid) == count and f"filled with {count} kernel(s)" in server.log.read_text(), 120)


def warm_ids(pid: int) -> set[str]:
    """The ids of the server's kernels now, from their connection files (``-f …/kernel-<id>.json``)."""
    ids = set()
    for child in psutil.Process(pid).children(recursive=True):
        found = re.search(r"kernel-([0-9a-f-]{36})\.json", " ".join(child.cmdline()))
        if found:
            ids.add(found.group(1))
    return ids


def from_the_pool(server) -> int:
    """How many pages took a warm kernel, as Voilà logs it (the server's log names no kernel by its id)."""
    return server.log.read_text().count("Using pre-heated kernel")


def shown(server, html: str, expected: str) -> str:
    """Everything the page's widgets show once they show ``expected``, as the page's own browser receives
    it: a page from the pool arrives at once and fills in when its kernel has read its request."""

    def read() -> str:
        socket = KernelSocket(server, kernel_id_of(html))
        try:
            deadline = time.monotonic() + 60
            while True:
                states = socket.states()
                text = "\n".join(str(s.get("value")) for s in states.values() if isinstance(s.get("value"), str))
                if expected in text or time.monotonic() > deadline:
                    return text
                time.sleep(0.2)
        finally:
            socket.close()

    return in_thread(read)


def test_a_page_from_the_pool_is_the_session_and_team_it_was_asked_for_never_another(tmp_path, launch):
    extra = ("--warm-pages", "4", "--pages-per-address", "1")
    process, server = launch(tmp_path / "m.db", tmp_path / "serve.log", *extra)
    noord, zuid = server.new_session("Sessie Noord"), server.new_session("Sessie Zuid")
    store = Store(server.db)
    try:
        for code, team in ((noord["code"], "Bevers"), (zuid["code"], "Otters")):
            store.join(store.session(code), team)
        links = {
            team: urllib.parse.urlencode(team_params(store, store.session(code), team))
            for code, team in ((noord["code"], "Bevers"), (zuid["code"], "Otters"))
        }
    finally:
        store.close()
    warm(server, process.pid, 4)
    waiting = warm_ids(process.pid)
    devices = {"Bevers": "192.0.2.1", "Otters": "192.0.2.2"}
    # Both in the same moment, from two devices.
    with concurrent.futures.ThreadPoolExecutor(2) as pool:
        asked = {
            team: pool.submit(get, server, f"{TEAM_PAGE}?{links[team]}", X_Forwarded_For=devices[team])
            for team in links
        }
        pages = {team: answer.result() for team, answer in asked.items()}
    assert [status for status, _headers, _html in pages.values()] == [200, 200]
    assert {kernel_id_of(html) for _status, _headers, html in pages.values()} <= waiting  # from the pool
    bevers, otters = (shown(server, pages[team][2], team) for team in ("Bevers", "Otters"))
    assert "Sessie Noord" in bevers and "Bevers" in bevers
    assert "Sessie Zuid" not in bevers and "Otters" not in bevers
    assert "Sessie Zuid" in otters and "Otters" in otters
    assert "Sessie Noord" not in otters and "Bevers" not in otters
    # Each page is counted against the device that asked for it (one page each, --pages-per-address 1).
    assert [
        get(server, f"{TEAM_PAGE}?{links['Bevers']}", X_Forwarded_For=device)[0] for device in devices.values()
    ] == [
        429,
        429,
    ]
    assert get(server, f"{TEAM_PAGE}?{links['Bevers']}", X_Forwarded_For="192.0.2.3")[0] == 200


def test_the_pool_refills_only_once_the_room_has_stopped_opening_pages(tmp_path, launch):
    process, server = launch(tmp_path / "m.db", tmp_path / "serve.log", "--warm-pages", "2")
    code = server.new_session("Rust")["code"]
    warm(server, process.pid, 2)
    for device in ("192.0.2.1", "192.0.2.2"):
        assert get(server, f"{TEAM_PAGE}?session={code}", X_Forwarded_For=device)[0] == 200
    assert from_the_pool(server) == 2
    time.sleep(5)  # within the quiet time (10 s) after the last page: no kernel started
    assert kernels(process.pid) == 2  # the two pages' own kernels
    # Then two more, ready for latecomers: Voilà says the pool has filled (with its two) a second time.
    eventually(lambda: kernels(process.pid) == 4 and server.log.read_text().count("filled with 2 kernel(s)") == 2, 120)


def test_a_warm_kernel_has_a_team_pages_environment_no_database_no_password_no_token(tmp_path):
    env = os.environ | {
        "MOTIVES_TRAINER_PASSWORD_HASH": password_hash("the trainer's password"),
        "PGPASSWORD": "the-databases-password",  # libpq would read it: a team page must not have it
    }
    log = tmp_path / "serve.log"
    process, _base = start_server(tmp_path / "m.db", log, "--warm-pages", "2", env=env)
    try:
        eventually(lambda: kernels(process.pid) == 2, 120)
        warm_kernels = [
            child
            for child in psutil.Process(process.pid).children(recursive=True)
            if "ipykernel_launcher" in " ".join(child.cmdline())
        ]
        for kernel in warm_kernels:
            names = {entry.split("=", 1)[0] for entry in Path(f"/proc/{kernel.pid}/environ").read_text().split("\0")}
            assert "VOILA_PREHEAT" in names  # a warm kernel indeed
            assert "MOTIVES_STORE_SERVICE" in names  # the store, through the server only
            assert {"MOTIVES_DB", "PGPASSWORD", "MOTIVES_TRAINER_PASSWORD_HASH", "HTTP_X_MOTIVES_RENDER"}.isdisjoint(
                names
            )
    finally:
        stop_server(process)


def test_wrong_codes_on_pages_from_the_pool_count_against_the_device_that_asked(tmp_path, launch):
    db = tmp_path / "m.db"
    process, server = launch(db, tmp_path / "serve.log", "--warm-pages", "3")
    warm(server, process.pid, 3)
    for n in range(3):
        status, _headers, _html = get(server, f"{TEAM_PAGE}?session=ZZZ{n:03d}", X_Forwarded_For="192.0.2.5")
        assert status == 200
    assert from_the_pool(server) == 3
    store = Store(db)
    try:
        eventually(lambda: len(store.failed_joins("192.0.2.5", timedelta(minutes=10))) == 3, 60)
        assert store.failed_joins("127.0.0.1", timedelta(minutes=10)) == []
    finally:
        store.close()


def test_the_render_limit_counts_pages_from_the_pool(tmp_path, launch):
    extra = ("--warm-pages", "3", "--render-burst", "2", "--render-rate", "0.01")
    process, server = launch(tmp_path / "m.db", tmp_path / "serve.log", *extra)
    code = server.new_session("Tempo")["code"]
    warm(server, process.pid, 3)
    path = f"{TEAM_PAGE}?session={code}"
    # A device's burst of two pages, both from the pool, then "wait", though the pool has one more.
    assert [get(server, path, X_Forwarded_For="192.0.2.7")[0] for _ in range(3)] == [200, 200, 429]
    assert from_the_pool(server) == 2
    assert get(server, path, X_Forwarded_For="192.0.2.8")[0] == 200  # another device: the third
    assert from_the_pool(server) == 3


def test_the_pages_a_device_may_hold_count_pages_from_the_pool(tmp_path, launch):
    process, server = launch(tmp_path / "m.db", tmp_path / "serve.log", "--warm-pages", "3", "--pages-per-address", "2")
    code = server.new_session("Pagina's")["code"]
    warm(server, process.pid, 3)
    path = f"{TEAM_PAGE}?session={code}"
    assert [get(server, path, X_Forwarded_For="192.0.2.5")[0] for _ in range(3)] == [200, 200, 429]
    assert from_the_pool(server) == 2
    assert get(server, path, X_Forwarded_For="192.0.2.6")[0] == 200  # another device
    assert from_the_pool(server) == 3


@pytest.mark.slow
def test_a_page_from_the_pool_that_never_connects_is_freed_and_an_unclaimed_pool_gives_its_memory_back(
    tmp_path, launch
):
    # --warm-minutes 1.5: no page for 90 s and the pool is given back; the reaper frees a page whose
    # HTML was sent and that never connected after 60 s (motives.server.reaper.UNCLAIMED_SECONDS).
    process, server = launch(tmp_path / "m.db", tmp_path / "serve.log", "--warm-pages", "2", "--warm-minutes", "1.5")
    code = server.new_session("Terug")["code"]
    warm(server, process.pid, 2)
    started = time.monotonic()
    status, _headers, _html = get(server, f"{TEAM_PAGE}?session={code}", X_Forwarded_For="192.0.2.3")
    assert status == 200 and from_the_pool(server) == 1
    eventually(lambda: "its page never connected" in server.log.read_text(), 90)
    assert time.monotonic() - started >= 55  # freed by the reaper's timer, not at once
    eventually(lambda: kernels(process.pid) == 0, 120)  # and the pool's other kernel given back
    assert "warm team pages given back" in server.log.read_text()
    # A trainer's page (the home, on the laptop) makes the pool ready again.
    assert get(server, "/voila/render/home.ipynb")[0] == 200
    eventually(lambda: kernels(process.pid) == 3, 120)  # the home's kernel and two warm ones


def test_the_request_socket_of_warm_kernels_is_for_this_machine_only(tmp_path, launch):
    process, server = launch(tmp_path / "m.db", tmp_path / "serve.log", "--warm-pages", "1")
    warm(server, process.pid, 1)
    script = (
        "import sys, tornado.httpclient as h, tornado.ioloop as i, tornado.websocket as w\n"
        "request = h.HTTPRequest(sys.argv[1], headers={'X-Forwarded-For': '192.0.2.4'})\n"
        "try:\n"
        "    i.IOLoop.current().run_sync(lambda: w.websocket_connect(request))\n"
        "    print('open')\n"
        "except h.HTTPClientError as error:\n"
        "    print(error.code)\n"
    )
    url = server.base.replace("http://", "ws://") + "/voila/query/00000000-0000-0000-0000-000000000000"
    done = subprocess.run([sys.executable, "-c", script, url], capture_output=True, text=True, timeout=60)
    assert done.stdout.strip() == "403"


def test_pages_from_the_pool_under_a_proxys_prefix(tmp_path, launch):
    # As a JupyterHub service: the server under /services/motives/, the warm kernels asking for their
    # request there too.
    extra = ("--warm-pages", "1", "--base-url", "/services/motives/")
    process, server = launch(tmp_path / "m.db", tmp_path / "serve.log", *extra)
    code = server.new_session("Onder de hub")["code"]
    warm(server, process.pid, 1)
    under = type("Under", (), {"base": server.base + "/services/motives"})
    status, _headers, html = get(server, f"/services/motives{TEAM_PAGE}?session={code}", X_Forwarded_For="192.0.2.4")
    assert status == 200 and from_the_pool(server) == 1
    assert "Onder de hub" in shown(under, html, "Onder de hub")
