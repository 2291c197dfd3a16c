"""What a second attacker in the room tried against a real ``motives serve``, over loopback only: other
spellings of a page's path, Voilà's own templates, the dashboard's form as a code oracle, websockets
by the hundred, half-sent requests, widgets made by the browser, and what the server leaks."""

from __future__ import annotations

import json
import os
import resource
import signal
import socket
import time
import urllib.parse
import uuid
from datetime import timedelta
from pathlib import Path

import psutil
from servers import KernelSocket, get, in_thread, kernel_id_of, kernels, send_request, start_server, stop_server

from motives.server.limits import REQUEST_SECONDS, SOCKETS_PER_KERNEL
from motives.store import Store
from motives.widgets.comms import MAX_CONTROL_MESSAGES

# Tornado turns %2f into "/" before the handler sees the path; every one of these rendered the team
# page on main, without the render limit and without the device's address for the join-code limit.
SPELLINGS = [
    "team.ipynb/",
    "team.ipynb%2f",
    "team.ipynb/.",
    "team.ipynb//",
    "team.ipynb%2F.",
    "./team.ipynb",
    ".//team.ipynb",
    "TEAM.ipynb",
    "team.IPYNB",
    "dashboard.ipynb/",
]


def test_only_the_exact_page_paths_render_and_they_all_pass_the_render_limit(tmp_path, launch):
    process, server = launch(tmp_path / "m.db", tmp_path / "serve.log", "--render-burst", "2", "--render-rate", "1")
    code = server.new_session("Spelling")["code"]
    for spelling in SPELLINGS * 2:
        status, _headers, body = get(server, f"/voila/render/{spelling}?session={code}&team=Bot")
        assert (status, "jupyter-config-data" in body) == (404, False), spelling
    assert kernels(process.pid) == 0
    answers = [get(server, f"/voila/render/{page}?session={code}")[0] for page in ("team.ipynb", "dashboard.ipynb")]
    assert [*answers, get(server, f"/voila/render/team.ipynb?session={code}")[0]] == [200, 200, 429]


def test_the_url_cannot_choose_another_template_or_theme(tmp_path, launch):
    process, server = launch(tmp_path / "m.db", tmp_path / "serve.log")
    code = server.new_session("Sjabloon")["code"]
    for query in ("template=nope", "template=lab", "template=classic", "template=reveal", "theme=dark", "theme=nope"):
        # Within a minute: with the template chosen by the URL, ?template=nope never finished its answer.
        status, html = get_within(server, f"/voila/render/team.ipynb?session={code}&{query}", 60)
        assert status == 200, query
        # The app's template: its scripts set the tab's title and language, and take keys out of the address bar.
        assert "data-motives-lang" in html and "motivesLoadingText" in html, query
        assert "cdn.jsdelivr.net" not in html and "fontawesome" not in html.lower(), query
        assert "theme-dark" not in html and "JupyterLab Dark" not in html, query
    # Each render's kernel is the page's and goes as any page's does; none is left behind by an error.
    deadline = time.monotonic() + 100
    while kernels(process.pid) and time.monotonic() < deadline:
        time.sleep(1)
    assert kernels(process.pid) == 0


def get_within(server, path: str, seconds: float) -> tuple[int, str]:
    """A plain GET that must be answered in full within ``seconds`` (Voilà keeps a render's
    connection alive with blank lines, so a socket timeout alone would never fire)."""
    import http.client

    parts = urllib.parse.urlsplit(server.base)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=seconds)
    deadline = time.monotonic() + seconds
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        chunks = []
        while chunk := response.read1(65536):
            chunks.append(chunk)
            assert time.monotonic() < deadline, f"{path}: not answered within {seconds} s"
        return response.status, b"".join(chunks).decode("utf-8", "replace")
    finally:
        connection.close()


def test_the_dashboards_form_tells_no_code_from_a_wrong_key_and_counts_every_try(tmp_path, launch):
    db = tmp_path / "oracle.db"
    _process, server = launch(db, tmp_path / "serve.log")
    session = server.new_session("Orakel")
    status, _headers, html = get(server, "/voila/render/dashboard.ipynb")
    assert status == 200

    def guess() -> tuple[dict[str, str], int, int]:
        kernel = KernelSocket(server, kernel_id_of(html))
        try:
            said = {}
            before = len(kernel.states())
            for attempt, code in (("real code", session["code"]), ("no such code", "ZZZ234")):
                states = kernel.states()
                (code_field,) = [m for m, s in states.items() if s.get("description") == "Sessiecode"]
                (key_field,) = [m for m, s in states.items() if s.get("description") == "Trainerssleutel"]
                kernel.set_value(key_field, "not-the-key")
                kernel.set_value(code_field, code)
                (button,) = [m for m, s in states.items() if s.get("_model_name") == "ButtonModel"]
                kernel.send(
                    "comm_msg", {"comm_id": button, "data": {"method": "custom", "content": {"event": "click"}}}
                )
                time.sleep(1.5)
                said[attempt] = [
                    s["value"]
                    for s in kernel.states().values()
                    if s.get("value", "").startswith('<p class="motives-error"')
                ]
            for n in range(30):  # and a burst of guesses: each replaced form is closed, nothing piles up
                states = kernel.states()
                (code_field,) = [m for m, s in states.items() if s.get("description") == "Sessiecode"]
                (key_field,) = [m for m, s in states.items() if s.get("description") == "Trainerssleutel"]
                kernel.set_value(key_field, f"guess{n}")
                (button,) = [m for m, s in states.items() if s.get("_model_name") == "ButtonModel"]
                kernel.send(
                    "comm_msg", {"comm_id": button, "data": {"method": "custom", "content": {"event": "click"}}}
                )
            time.sleep(2)
            return said, before, len(kernel.states())
        finally:
            kernel.close()

    said, before, after = in_thread(guess)
    wrong = '<p class="motives-error" role="alert">Er is geen sessie met deze code en deze trainerssleutel. Kijk beide na.</p>'
    assert said == {"real code": [wrong], "no such code": [wrong]}
    assert after <= before + 2  # a form replaced 32 times: its old widgets are closed, not kept alive
    store = Store(db)
    try:
        # Every wrong try reached the device's count (5 free, then the waits hold the burst back).
        assert 5 <= len(store.failed_joins("127.0.0.1", timedelta(minutes=10))) <= 8
    finally:
        store.close()


def test_a_team_links_unknown_code_counts_as_a_wrong_code(tmp_path, launch):
    db = tmp_path / "link.db"
    _process, server = launch(db, tmp_path / "serve.log")
    for n in range(3):
        assert get(server, f"/voila/render/team.ipynb?session=ZZZ{n:03d}")[0] == 200
    store = Store(db)
    try:
        assert len(store.failed_joins("127.0.0.1", timedelta(minutes=10))) == 3
    finally:
        store.close()


SOCKETS_PER_ADDRESS = 8  # the default (100, a room behind one address) at a size a test can open


def test_websockets_are_capped_per_kernel_and_per_device(tmp_path, launch):
    process, server = launch(
        tmp_path / "sockets.db", tmp_path / "serve.log", "--sockets-per-address", str(SOCKETS_PER_ADDRESS)
    )
    code = server.new_session("Sockets")["code"]
    pages = SOCKETS_PER_ADDRESS // SOCKETS_PER_KERNEL + 1
    ids = [kernel_id_of(get(server, f"/voila/render/team.ipynb?session={code}")[2]) for _ in range(pages)]

    def flood() -> tuple[list[int], int, int]:
        from tornado.httpclient import HTTPClientError
        from tornado.ioloop import IOLoop
        from tornado.websocket import websocket_connect

        loop, opened, answers = IOLoop(), [], []
        base = server.base.replace("http://", "ws://")
        try:
            for kernel_id in ids:
                for _ in range(SOCKETS_PER_KERNEL + 2):
                    url = f"{base}/api/kernels/{kernel_id}/channels?session_id={uuid.uuid4().hex}"
                    try:
                        opened.append(loop.run_sync(lambda url=url: websocket_connect(url), timeout=60))
                        answers.append(101)
                    except HTTPClientError as refused:
                        answers.append(refused.code)
            held = len(opened)
            for connection in opened:
                connection.close()
            time.sleep(1)
            url = f"{base}/api/kernels/{ids[0]}/channels?session_id={uuid.uuid4().hex}"
            again = loop.run_sync(lambda: websocket_connect(url), timeout=60)  # freed places are free again
            again.close()
            return answers, held, len(opened)
        finally:
            loop.close()

    answers, held, _ = in_thread(flood)
    per_kernel = [answers[i : i + SOCKETS_PER_KERNEL + 2] for i in range(0, len(answers), SOCKETS_PER_KERNEL + 2)]
    assert all(chunk[SOCKETS_PER_KERNEL:] == [429, 429] for chunk in per_kernel)  # never more than 3 to a kernel
    assert held == SOCKETS_PER_ADDRESS  # and never more than --sockets-per-address from one device
    # Another device's page still renders and connects.
    other = get(server, f"/voila/render/team.ipynb?session={code}", X_Forwarded_For="10.9.8.7")
    assert other[0] == 200
    assert kernels(process.pid) == pages + 1


def test_half_sent_requests_are_dropped(tmp_path, launch):
    _process, server = launch(tmp_path / "slow.db", tmp_path / "serve.log")
    port = urllib.parse.urlsplit(server.base).port
    held = []
    for _ in range(20):
        connection = socket.create_connection(("127.0.0.1", port))
        connection.sendall(b"GET /voila/render/team.ipynb HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")  # never ends
        held.append(connection)
    for connection in held:
        connection.settimeout(REQUEST_SECONDS + 30)  # the bound: recv raises if the server holds on longer
        assert connection.recv(1024) == b""  # the server closed it
        connection.close()


def test_the_server_raises_its_open_files_limit_from_macos_default(tmp_path):
    log = tmp_path / "serve.log"
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    process, _base = start_server(
        tmp_path / "m.db", log, preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_NOFILE, (256, hard))
    )
    try:
        raised_soft, raised_hard = psutil.Process(process.pid).rlimit(psutil.RLIMIT_NOFILE)
    finally:
        stop_server(process)
    assert raised_hard == hard
    assert raised_soft == (8192 if hard == resource.RLIM_INFINITY else min(8192, hard))
    assert soft  # the test's own limit is untouched


def test_the_browser_cannot_make_widgets_or_ask_for_every_state_without_end(tmp_path, launch):
    process, server = launch(tmp_path / "widgets.db", tmp_path / "serve.log")
    code = server.new_session("Widgets")["code"]
    html = get(server, f"/voila/render/team.ipynb?session={code}")[2]
    (kernel_process,) = [
        child
        for child in psutil.Process(process.pid).children(recursive=True)
        if "ipykernel_launcher" in " ".join(child.cmdline())
    ]
    html_widget = {
        "_model_name": "HTMLModel",
        "_model_module": "@jupyter-widgets/controls",
        "_model_module_version": "2.0.0",
        "_view_name": "HTMLView",
        "_view_module": "@jupyter-widgets/controls",
        "_view_module_version": "2.0.0",
        "value": "x" * 50_000,
    }

    def attack() -> tuple[int, int, int, int]:
        from tornado.util import TimeoutError as NoMessage

        kernel = KernelSocket(server, kernel_id_of(html))
        try:
            before = len(kernel.states())  # what the page's own load asks: one control comm, one request

            def widgets_made_by_the_browser() -> int:
                for _ in range(300):  # 15 MB of widgets the page never made
                    opening = {"comm_id": uuid.uuid4().hex, "target_name": "jupyter.widget"}
                    opening["data"] = {"state": html_widget, "buffer_paths": []}
                    kernel.send("comm_open", opening, {"version": "2.1.0"})
                kernel.states()  # answered once the kernel has handled every message before it
                return kernel_process.memory_info().rss

            # Reading 15 MB of messages grows the kernel's heap now and then (the allocator's arenas: 7.5 and
            # 9.6 MB were seen once each, in different rounds); kept widgets would grow it by 15 MB every round,
            # 45 MB from the second round to the fifth.
            rounds = [widgets_made_by_the_browser() for _ in range(5)]
            grown = rounds[-1] - rounds[1]
            after = len(kernel.states())
            control = uuid.uuid4().hex
            kernel.send(
                "comm_open",
                {"comm_id": control, "target_name": "jupyter.widget.control", "data": {}},
                {"version": "1.0.0"},
            )
            for _ in range(100):
                kernel.send("comm_msg", {"comm_id": control, "data": {"method": "request_states"}})
            answered = 0
            while True:
                try:
                    raw = kernel.loop.run_sync(kernel.socket.read_message, timeout=10)
                except NoMessage:
                    break
                reply = json.loads(raw) if isinstance(raw, str) else {}
                if reply.get("content", {}).get("data", {}).get("method") == "update_states":
                    answered += 1
            return before, after, grown, answered
        finally:
            kernel.close()

    before, after, grown, answered = in_thread(attack)
    assert after == before  # not one widget made by the browser
    assert grown < 20_000_000  # the last three rounds' 45 MB were not kept either
    # The control comm and the seven state requests above, and this second control comm, took nine of the
    # kernel's answers; the 100 requests got what was left, and no more.
    assert answered == MAX_CONTROL_MESSAGES - 9


def test_nothing_leaks_and_nothing_is_left_behind(tmp_path, launch):
    before = set(Path("/tmp").glob("voila_*"))  # the server makes its folder for kernels' files as it starts
    process, server = launch(tmp_path / "leak.db", tmp_path / "serve.log")
    code = server.new_session("Lek")["code"]
    # No contents API to list notebooks or write one; no version; no 500 from Voilà's other routes.
    for method in ("GET", "PUT", "POST", "PATCH", "DELETE"):
        status = send_request(server, method, "/voila/api/contents/new.ipynb", json.dumps({"type": "notebook"}))
        assert status == 404, method
    assert not list(Path(server.db).parent.glob("new.ipynb"))
    status, _headers, body = get(server, "/")
    assert status == 302 and "version" not in body.lower()
    for path in (
        "/voila/templates/x",
        "/voila/templates/lab/x",
        "/voila/templates/lab/nostatic/x",
        "/logout",
        "/login",
    ):
        status, _headers, body = get(server, path)
        assert status == 404, path
        assert "Traceback" not in body
    # The kernels' connection files carry their signing keys: gone once the server has stopped.
    assert get(server, f"/voila/render/team.ipynb?session={code}")[0] == 200
    folders = set(Path("/tmp").glob("voila_*")) - before
    assert len(folders) == 1 and any(next(iter(folders)).glob("kernel-*.json"))  # this server's, with a kernel's file
    os.kill(process.pid, signal.SIGTERM)  # the server only: it must stop its kernels and clean up itself
    process.wait(timeout=30)
    assert [folder for folder in folders if folder.exists()] == []


def states_of(server, path: str) -> list[dict]:
    """Every widget state of the page at ``path``, as its kernel sends them over its websocket."""
    html = get(server, path)[2]

    def read() -> list[dict]:
        kernel = KernelSocket(server, kernel_id_of(html))
        try:
            return list(kernel.states().values())
        finally:
            kernel.close()

    return in_thread(read)


def server_with_a_team(tmp_path, launch, name: str, conclusion: tuple[str, str] | None = None):
    """A real server, a session and one team in it (made as a team's click would): (server, code, team)."""
    _process, server = launch(tmp_path / "m.db", tmp_path / "serve.log")
    code = server.new_session("Teams")["code"]
    store = Store(server.db)
    try:
        team = store.join(store.session(code), name)
        if conclusion:
            store.set_conclusion(team, *conclusion)
    finally:
        store.close()
    return server, code, team


def test_a_look_alike_name_is_the_team_it_looks_like_and_no_second_one(tmp_path, launch):
    server, code, _team = server_with_a_team(tmp_path, launch, "Noord")
    db = server.db
    cyrillic = urllib.parse.quote("N\u043e\u043erd")  # both o's Cyrillic: looks exactly like "Noord"
    states = states_of(server, f"/voila/render/team.ipynb?session={code}&team={cyrillic}")
    errors = [s["value"] for s in states if str(s.get("value", "")).startswith('<p class="motives-error"')]
    assert len(errors) == 1 and "Er is al een team met de naam Noord." in errors[0]  # the team it looks like
    assert not [s for s in states if s.get("description") == "Doe mee als dit team"]  # no second "Noord" to join
    store = Store(db)
    try:
        assert [t.name for t in store.records(store.session(code)).teams] == ["Noord"]
    finally:
        store.close()


def test_a_teams_name_opens_nothing_and_its_own_link_opens_its_worksheet(tmp_path, launch):
    said = ("not_yet", "Eerst ons communicatiebeleid lezen.")
    server, code, team = server_with_a_team(tmp_path, launch, "Thuiszorg (demo)", said)
    db = server.db
    by_name = f"/voila/render/team.ipynb?session={code}&team=thuiszorg%20(demo)"
    for path in (by_name, by_name + "&teamkey=guess"):
        states = states_of(server, path)
        assert not [s for s in states if s.get("_model_name") == "RadioButtonsModel"]  # no conclusion to change
        assert "Eerst ons communicatiebeleid" not in json.dumps(states)
        assert any("Er is al een team met de naam Thuiszorg (demo)." in str(s.get("value", "")) for s in states)
    states = states_of(server, f"{by_name}&teamkey={team.key}")
    assert len([s for s in states if s.get("_model_name") == "RadioButtonsModel"]) == 1  # the worksheet
    assert "Eerst ons communicatiebeleid lezen." in json.dumps(states)
    store = Store(db)
    try:
        assert store.team_answers(team).conclusion == "not_yet"
    finally:
        store.close()
