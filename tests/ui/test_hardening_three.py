"""What a third attacker in the room tried against a real ``motives serve``, over loopback only (issue
32): a device's other addresses, keys in the log, the home on the server's own address, the trainer
locked out, and paths that answered with a traceback. A device on the network is played by the
``X-Forwarded-For`` a proxy on this machine adds, which the server trusts from loopback only."""

from __future__ import annotations

import concurrent.futures
import contextlib
import json
import re
import time
import uuid
from pathlib import Path

import psutil
from processes import motives
from servers import KernelSocket, get, in_thread, kernel_id_of

from motives.store import JOINS_PER_CLIENT, Store
from motives.tally import PICTURE_ITEMS
from motives.widgets.comms import MAX_CONTROL_MESSAGES

# One IPv6 device (or home network) holds a whole /64: these are four of its addresses, and one of
# another network.
ONE_NETWORK = [f"2001:db8:1:2::{n}" for n in (1, 2, 3, 0xBEEF)]
ANOTHER_NETWORK = "2001:db8:1:3::1"


def test_an_ipv6_device_meets_the_render_limit_whichever_address_of_its_64_it_takes(tmp_path, launch):
    _process, server = launch(tmp_path / "m.db", tmp_path / "serve.log", "--render-burst", "2", "--render-rate", "1")
    code = server.new_session("Zes")["code"]
    statuses = [
        get(server, f"/voila/render/team.ipynb?session={code}", X_Forwarded_For=address)[0]
        for address in ONE_NETWORK[:3]
    ]
    assert statuses == [200, 200, 429]  # on main each address had a burst of its own: 200, 200, 200
    assert get(server, f"/voila/render/team.ipynb?session={code}", X_Forwarded_For=ANOTHER_NETWORK)[0] == 200


def test_an_ipv6_device_meets_the_websocket_cap_whichever_address_of_its_64_it_takes(tmp_path, launch):
    _process, server = launch(tmp_path / "m.db", tmp_path / "serve.log", "--sockets-per-address", "2")
    code = server.new_session("Zes")["code"]
    kernel_id = kernel_id_of(get(server, f"/voila/render/team.ipynb?session={code}")[2])

    def connect_each() -> list[int]:
        from tornado.httpclient import HTTPClientError, HTTPRequest
        from tornado.ioloop import IOLoop
        from tornado.websocket import websocket_connect

        loop, answers, held = IOLoop(), [], []
        url = server.base.replace("http://", "ws://") + f"/api/kernels/{kernel_id}/channels?session_id="
        try:
            for address in [*ONE_NETWORK[:3], ANOTHER_NETWORK]:
                request = HTTPRequest(url + uuid.uuid4().hex, headers={"X-Forwarded-For": address})
                try:
                    held.append(loop.run_sync(lambda request=request: websocket_connect(request), timeout=60))
                    answers.append(101)
                except HTTPClientError as refused:
                    answers.append(refused.code)
            for connection in held:
                connection.close()
            return answers
        finally:
            loop.close()

    # The third socket from one /64 is refused (on main: 101); another network's is not.
    assert in_thread(connect_each) == [101, 101, 429, 101]


def replies(kernel, seconds: float = 5) -> list[dict]:
    """Every message the kernel sends until it has been quiet for ``seconds``."""
    from tornado.util import TimeoutError as NoMessage

    received = []
    while True:
        try:
            raw = kernel.loop.run_sync(kernel.socket.read_message, timeout=seconds)
        except NoMessage:
            return received
        if isinstance(raw, str):
            received.append(json.loads(raw))


def test_state_requests_to_one_widget_are_counted_in_the_pages_limit(tmp_path, launch):
    _process, server = launch(tmp_path / "m.db", tmp_path / "serve.log")
    code = server.new_session("Staat")["code"]
    kernel_id = kernel_id_of(get(server, f"/voila/render/team.ipynb?session={code}")[2])

    def ask() -> int:
        kernel = KernelSocket(server, kernel_id)
        try:
            states = kernel.states()  # the page's own load: one control comm and one request, two of the limit
            largest = max(states, key=lambda model: len(json.dumps(states[model])))
            for _ in range(300):
                kernel.send("comm_msg", {"comm_id": largest, "data": {"method": "request_state"}})
            return sum(
                reply.get("msg_type") == "comm_msg"
                and reply["content"].get("comm_id") == largest
                and reply["content"]["data"].get("method") == "update"
                for reply in replies(kernel)
            )
        finally:
            kernel.close()

    # On main all 300 were answered (4.4 MB for a 14.6 KB widget); now the widget's first (free: a page
    # whose control comm answers late asks each widget once) and what the limit leaves.
    assert in_thread(ask) == 1 + MAX_CONTROL_MESSAGES - 2


MALFORMED = [
    {"data": {}},  # a control message without a method
    {"data": {"method": 5}},
    {"data": {"method": "request_states", "extra": []}, "comm_id": None},  # comm_id is not text
    {"data": "request_states"},
]


def test_a_malformed_widget_message_gets_no_traceback_back(tmp_path, launch):
    _process, server = launch(tmp_path / "m.db", tmp_path / "serve.log")
    code = server.new_session("Vorm")["code"]
    kernel_id = kernel_id_of(get(server, f"/voila/render/team.ipynb?session={code}")[2])

    def send_malformed() -> tuple[list[dict], int]:
        kernel = KernelSocket(server, kernel_id)
        try:
            states = kernel.states()
            field = next(m for m, s in states.items() if s.get("_model_name") == "TextModel")
            for content in MALFORMED:
                kernel.send("comm_msg", {"comm_id": kernel.control, **content})
            for data in ({"method": "update", "state": "x"}, {"method": "nope"}, {"state": {}}):
                kernel.send("comm_msg", {"comm_id": field, "data": data})
            # A message of the right shape with a value of the wrong type: the widget refuses it.
            kernel.set_value(field, ["not", "text"])
            kernel.set_value(field, {"nested": {"dict": 1}})
            received = replies(kernel)
            return received, len(kernel.states())
        finally:
            kernel.close()

    received, widgets = in_thread(send_malformed)
    said = json.dumps(received)
    # On main: the control comm's KeyError and the widget's TraitError came back with their tracebacks.
    assert [r["msg_type"] for r in received if r.get("msg_type") == "error"] == []
    assert "Traceback" not in said and "site-packages" not in said and ".py" not in said
    assert widgets > 10  # the page still answers


FILE_PATHS = [
    "/voila/templates/motives/static/..%2f..%2f..%2f..%2fetc%2fpasswd",
    "/voila/templates/motives/static/..%2fstatic%2fx",
    "/voila/templates/motives/static/a%2f..%2f..%2findex.css",
    "/voila/api/themes/",
    "/voila/api/themes/x/y",
    "/voila/labextensions/",
    "/voila/labextensions/x/y.js",
]


def test_odd_file_paths_are_not_found_with_one_log_line_and_no_traceback(tmp_path, launch):
    _process, server = launch(tmp_path / "m.db", tmp_path / "serve.log")
    for path in FILE_PATHS:
        status, _headers, body = get(server, path)
        # On main: a 500 for the first, tracebacks in the log for the themes and the lab extensions.
        assert status == 404, path
        assert "Niet gevonden" in body and "Traceback" not in body, path
    assert get(server, "/voila/templates/motives/static/index.css")[0] == 200  # the template's own files still load
    time.sleep(1)  # the last lines reach the log
    log = server.log.read_text()
    assert "Traceback" not in log and "Uncaught exception" not in log
    assert sum(line.startswith("404 GET /voila/") for line in log.splitlines()) == len(FILE_PATHS)


def join_over_the_socket(server, code: str, name: str, address: str, again: str = "") -> list[str]:
    """What a script does to join a team: open the team page, set the name, click the button; with
    ``again``, then set another name and click the same button once more. The page's texts after."""
    html = get(server, f"/voila/render/team.ipynb?session={code}", X_Forwarded_For=address)[2]

    def join() -> list[str]:
        kernel = KernelSocket(server, kernel_id_of(html), X_Forwarded_For=address)
        try:
            states = kernel.states()
            (field,) = [m for m, s in states.items() if s.get("description") == "Naam van je team"]
            (button,) = [m for m, s in states.items() if s.get("description") == "Verder"]
            for typed in filter(None, (name, again)):
                kernel.set_value(field, typed)
                kernel.send(
                    "comm_msg", {"comm_id": button, "data": {"method": "custom", "content": {"event": "click"}}}
                )
                time.sleep(1)
            return [str(s.get("value", "")) for s in kernel.states().values() if s.get("_model_name") == "HTMLModel"]
        finally:
            kernel.close()

    return in_thread(join)


def teams_of(server, code: str) -> list[str]:
    store = Store(server.db)
    try:
        return sorted(team.name for team in store.records(store.session(code)).teams)
    finally:
        store.close()


def test_one_device_joins_at_a_rooms_pace_and_a_barred_name_stays_out(tmp_path, launch):
    _process, server = launch(tmp_path / "m.db", tmp_path / "serve.log", "--render-burst", "40")
    code = server.new_session("Bots")["code"]
    bots = [f"Bot {n:02}" for n in range(JOINS_PER_CLIENT)]
    # A page joins once: its form is closed once the team joined, so the same button clicked again with
    # another name over the websocket makes no second team.
    join_over_the_socket(server, code, bots[0], "192.0.2.9", again="Bot 99")
    for bot in bots[1:]:
        join_over_the_socket(server, code, bot, "192.0.2.9")
    assert teams_of(server, code) == bots
    # The next one from that device waits; a device beside it does not (on main: twelve in 95 s, and more).
    shown = join_over_the_socket(server, code, "Bot 10", "192.0.2.9")
    assert any("Er zijn van dit toestel net veel teams bijgekomen." in text for text in shown)
    join_over_the_socket(server, code, "Mens", "192.0.2.10")
    assert teams_of(server, code) == [*bots, "Mens"]

    # Removed and barred, the name (or one that looks like it) does not walk back in; removed alone, it may.
    motives("team", "remove", code, "Bot 00", "--bar", db=server.db)
    motives("team", "remove", code, "Bot 01", db=server.db)
    shown = join_over_the_socket(server, code, "BOT  00", "192.0.2.11")
    assert any("De trainer laat geen team met de naam BOT 00 meer meedoen" in text for text in shown)
    join_over_the_socket(server, code, "Bot 01", "192.0.2.11")
    assert teams_of(server, code) == [*bots[1:], "Mens"]
    # The trainer lets it in again.
    assert (
        motives("team", "unbar", code, "Bot 00", db=server.db).stdout
        == f"The name 'Bot 00' can join session {code} again.\n"
    )
    join_over_the_socket(server, code, "Bot 00", "192.0.2.11")
    assert teams_of(server, code) == [*bots, "Mens"]


def page_kernels(server_pid: int) -> int:
    """The page kernels of the server that are alive (an ended one is a zombie until the server reaps it)."""
    alive = 0
    for child in psutil.Process(server_pid).children(recursive=True):
        with contextlib.suppress(psutil.Error):
            alive += child.status() != psutil.STATUS_ZOMBIE and "ipykernel_launcher" in " ".join(child.cmdline())
    return alive


def test_a_form_left_open_ends_its_kernel_even_while_connected(tmp_path, launch):
    process, server = launch(tmp_path / "m.db", tmp_path / "serve.log", "--form-seconds", "6")
    code = server.new_session("Vormen")["code"]
    form = kernel_id_of(get(server, f"/voila/render/team.ipynb?session={code}")[2])
    overview_form = kernel_id_of(get(server, f"/voila/render/dashboard.ipynb?session={code}&key=fout")[2])
    worksheet = kernel_id_of(get(server, f"/voila/render/team.ipynb?session={code}&team=Blijft")[2])

    def watch(kernel_id: str) -> str:
        """Connected the whole time, as a script keeps a page: what the kernel sends until it is quiet."""
        socket = KernelSocket(server, kernel_id)
        try:
            socket.states()
            return json.dumps(replies(socket, 10))
        finally:
            socket.close()

    def join() -> int:
        socket = KernelSocket(server, worksheet)
        try:
            states = socket.states()
            (button,) = [m for m, s in states.items() if s.get("description") == "Doe mee als dit team"]
            socket.send("comm_msg", {"comm_id": button, "data": {"method": "custom", "content": {"event": "click"}}})
            time.sleep(15)  # past the forms' end, still connected
            return page_kernels(process.pid)
        finally:
            socket.close()

    with concurrent.futures.ThreadPoolExecutor(3) as pool:
        watching = [pool.submit(watch, kernel_id) for kernel_id in (form, overview_form)]
        left = pool.submit(join).result(timeout=120)
        said = [future.result(timeout=120) for future in watching]
    # On main both forms' kernels lived on as long as something kept them connected.
    assert all("Deze pagina stond lang open zonder verder te gaan en is gestopt." in text for text in said)
    assert left == 1  # the worksheet's kernel, past its form, lives on
    assert teams_of(server, code) == ["Blijft"]


def test_one_device_keeps_a_limited_number_of_pages_open(tmp_path, launch):
    extra = ("--pages-per-address", "2", "--allowed-host", "motives.example.org")
    process, server = launch(tmp_path / "m.db", tmp_path / "serve.log", *extra)
    code = server.new_session("Pagina's")["code"]
    path = f"/voila/render/team.ipynb?session={code}"
    statuses = [get(server, path, X_Forwarded_For=address)[0] for address in ("192.0.2.5", "192.0.2.5", "192.0.2.5")]
    assert statuses == [200, 200, 429]  # on main: 200, 200, 200, up to the render limit and beyond
    assert get(server, path, X_Forwarded_For="192.0.2.6")[0] == 200  # another device
    assert get(server, path)[0] == 200  # the laptop's own browser is not counted
    # A forwarder on this machine that names no client (ssh -R, netsh portproxy) is not the laptop.
    assert [get(server, path, host="motives.example.org")[0] for _ in range(3)] == [200, 200, 429]
    assert page_kernels(process.pid) == 6


def loaded_pandas(pid: int) -> bool:
    """Whether a process has loaded pandas' compiled parts (they show among its mapped files)."""
    return "/pandas/_libs/" in Path(f"/proc/{pid}/maps").read_text()


def test_after_the_reveal_the_picture_is_worked_out_once_for_every_page_and_stays_bounded(tmp_path, launch):
    process, server = launch(tmp_path / "m.db", tmp_path / "serve.log")
    code = server.new_session("Onthuld")["code"]
    store = Store(server.db, max_teams=40, max_own=100)
    try:
        session = store.session(code)
        teams = [store.join(session, name) for name in ("Noord", "Zuid", "West")]
        for team in teams:
            store.set_answer(team, "for-prevention", True, 4)
        # An attacker's ten teams write the same hundred long motives, so that they are shared rows.
        for n in range(10):
            bot = store.join(session, f"Bot {n}")
            for k in range(100):
                words = " ".join(f"woord{(k * 7919 + j * 104729) % 100_003}" for j in range(45))  # no two alike
                store.add_own_motive(bot, ("for", "against")[k % 2], words[:500], 5)
        store.set_revealed(session, True)
    finally:
        store.close()
    links = [f"/voila/render/team.ipynb?session={code}&team={t.name}&teamkey={t.key}" for t in teams]
    kernel_ids = [kernel_id_of(get(server, link)[2]) for link in links]

    def pictures() -> list[str]:
        shown = []
        for kernel_id in kernel_ids:
            socket = KernelSocket(server, kernel_id)
            try:
                states = socket.states().values()
                shown += [s["value"] for s in states if '<div class="motives-group-picture"' in str(s.get("value", ""))]
            finally:
                socket.close()
        return shown

    shown = in_thread(pictures)
    assert len(shown) == 3
    for html in shown:
        # Forty motives a side, the most chosen first, and a line for the rest (on main: every shared row).
        assert html.count('class="motives-group-item') == 2 * PICTURE_ITEMS
        left_out = re.findall(r"En nog (\d+) motieven, elk door minder teams gekozen\.", html)
        assert sum(map(int, left_out)) == 10 + 100 - 2 * PICTURE_ITEMS  # the catalogue's and the bots' rows
        assert len(html) < 100_000  # eighty motives of at most 500 characters, and their markup
    # The server worked the picture out; no team page's kernel loaded pandas to do it (on main each did).
    kernels = [c for c in psutil.Process(process.pid).children(recursive=True) if "ipykernel" in " ".join(c.cmdline())]
    assert len(kernels) == 3 and not any(loaded_pandas(kernel.pid) for kernel in kernels)


def test_the_overviews_csv_download_holds_no_formula_behind_a_semicolon(tmp_path, launch):
    # The trainer's download from the overview (a link on its Export tab the server answers), as Excel in
    # Dutch or French reads it: split on ";". On main "Gamma;=2+3;" gave a cell "=2+3".
    _process, server = launch(tmp_path / "m.db", tmp_path / "serve.log")
    session = server.new_session("Puntkomma")
    store = Store(server.db)
    try:
        team = store.join(store.session(session["code"]), "Gamma;=2+3;")
        store.set_answer(team, "for-prevention", True, 4)
        store.add_own_motive(team, "for", "x;=1+1;y", 3)
    finally:
        store.close()
    html = get(server, f"/voila/render/dashboard.ipynb?session={session['code']}&key={session['trainer_key']}")[2]

    def links() -> dict[str, str]:
        """The Export tab's links, by their label, as the overview's kernel drew them."""
        socket = KernelSocket(server, kernel_id_of(html))
        try:
            (files,) = [s["value"] for s in socket.states().values() if "motives-files" in str(s.get("value", ""))]
        finally:
            socket.close()
        return {
            label: href
            for href, label in re.findall(r'<a class="motives-download" href="([^"]+)"[^>]*>([^<]+)</a>', files)
        }

    def download(label: str) -> str:
        href = links()[label].replace("&amp;", "&")
        status, _headers, text = get(server, href)
        assert status == 200, label
        return text.removeprefix("\ufeff")

    for label in ("Antwoorden als CSV", "Vergelijking als CSV"):
        text = in_thread(lambda label=label: download(label))
        cells = [cell.strip(' "') for line in text.splitlines() for cell in line.split(";")]
        assert [cell for cell in cells if cell.startswith(("=", "+", "-", "@"))] == [], label
        assert "Gamma;'=2+3;" in text, label
