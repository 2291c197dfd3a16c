"""Starting and stopping a real ``motives serve`` (or another server) from a test: shared by the
browser tests' fixtures (conftest.py) and the tests that start servers of their own."""

from __future__ import annotations

import concurrent.futures
import http.client
import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass
from pathlib import Path

import psutil
from processes import free_port, motives, wait_until_answering

from motives.store import Store

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class Server:
    base: str
    db: Path | str  # a SQLite file, or a PostgreSQL URL
    log: Path

    def motives(self, *args: str) -> str:
        return motives(*args, db=self.db).stdout

    def new_session(self, name: str, lang: str = "nl") -> dict:
        return new_session(self.db, name, lang)


def new_session(db: Path | str, name: str, lang: str = "nl") -> dict:
    """A session made as the trainer makes one (``motives session new --json``): its code, key and paths."""
    return json.loads(motives("session", "new", name, "--lang", lang, "--json", db=db).stdout)


def start_server(
    db: Path | str,
    log: Path,
    *extra: str,
    port: int | None = None,
    command: list[str] | None = None,
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
    preexec_fn=None,
) -> tuple[subprocess.Popen, str]:
    """``motives serve`` on a free port, in its own process group (so a test can kill it whole).
    ``command``: another ``motives`` than the checkout's (an installed wheel's), run in ``cwd`` with ``env``."""
    port = port or free_port()
    env = {**(os.environ if env is None else env), "MOTIVES_DB": str(db)}
    if "--render-burst" not in extra:
        # Every test's pages come from 127.0.0.1, one address: the per-address limit (a phone's,
        # a trainer's) would make later tests wait. tests/ui/test_hostile.py tests the limit itself.
        extra = ("--render-burst", "1000", "--render-rate", "1000", *extra)
    if "--warm-pages" not in extra:
        # Kernels kept warm for a room would be counted by the tests that count a page's kernels, and take
        # the cores from the pages a test opens; tests/ui/test_warm_pool.py tests the pool itself.
        extra = ("--warm-pages", "0", *extra)
    with log.open("a") as out:
        process = subprocess.Popen(
            [*(command or [sys.executable, "-m", "motives"]), "serve", "--port", str(port), *extra],
            env=env,
            cwd=cwd,
            preexec_fn=preexec_fn,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    base = f"http://127.0.0.1:{port}"
    wait_until_answering(process, base, log=log)
    return process, base


def stop_server(process: subprocess.Popen) -> None:
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)


def headers_of(response: http.client.HTTPResponse) -> dict[str, str]:
    """A response's headers; its cookies (``Set-Cookie`` once per cookie) a line each."""
    return dict(response.getheaders()) | {"Set-Cookie": "\n".join(response.msg.get_all("Set-Cookie") or [])}


def get(server, path: str, host: str | None = None, **headers: str) -> tuple[int, dict, str]:
    """One plain GET, as a script would send it (no browser, no websocket), read to the end."""
    parts = urllib.parse.urlsplit(server.base)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=120)
    try:
        connection.putrequest("GET", path, skip_host=host is not None)
        if host is not None:
            connection.putheader("Host", host)
        for name, value in headers.items():
            connection.putheader(name.replace("_", "-"), value)
        connection.endheaders()
        response = connection.getresponse()
        return response.status, headers_of(response), response.read().decode("utf-8", "replace")
    finally:
        connection.close()


def send_request(server, method: str, path: str, body: str = "", **headers: str) -> int:
    """One request of any method with a JSON body, as a script sends it; its status."""
    parts = urllib.parse.urlsplit(server.base)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    sent = {"Content-Type": "application/json"} | {name.replace("_", "-"): value for name, value in headers.items()}
    try:
        connection.request(method, path, body=body or None, headers=sent)
        return connection.getresponse().status
    finally:
        connection.close()


def post_form(server, path: str, fields: dict[str, str], **headers: str) -> tuple[int, dict, str]:
    """A form's POST, as a browser sends it (``Cookie=…`` among the headers), not followed; read to the end."""
    parts = urllib.parse.urlsplit(server.base)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    sent = {"Content-Type": "application/x-www-form-urlencoded"}
    sent |= {name.replace("_", "-"): value for name, value in headers.items()}
    try:
        connection.request("POST", path, body=urllib.parse.urlencode(fields), headers=sent)
        response = connection.getresponse()
        return response.status, headers_of(response), response.read().decode("utf-8", "replace")
    finally:
        connection.close()


def fetch(url: str, timeout: float = 60) -> tuple[int, str]:
    """A GET as a browser's address bar sends it: redirects followed, any status, the body as text."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8", "replace")


def answers_of(db: Path | str, code: str, team: str):
    """What the store ``db`` holds for ``team`` of the session ``code`` (``None`` before it joined)."""
    store = Store(db)
    try:
        found = store.find_team(store.session(code), team)
        return None if found is None else store.team_answers(found)
    finally:
        store.close()


def eventually(check, timeout: float = 20.0):
    """Poll until ``check`` returns something true (an assertion in it counts as not yet), and return that:
    a page's saves travel over a websocket to its kernel before they reach the store."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            result = check()
            if result:
                return result
        except AssertionError:
            if time.monotonic() > deadline:
                raise
        if time.monotonic() > deadline:
            raise AssertionError("the store never reached the expected state")
        time.sleep(0.2)


def kernels(server_pid: int) -> int:
    """Live kernel processes under the server (a shut-down kernel may linger a moment as a zombie)."""
    count = 0
    for child in psutil.Process(server_pid).children(recursive=True):
        try:
            if child.status() != psutil.STATUS_ZOMBIE and "ipykernel_launcher" in " ".join(child.cmdline()):
                count += 1
        except (psutil.NoSuchProcess, psutil.ZombieProcess):
            pass
    return count


def kernel_id_of(html: str) -> str:
    return re.search(r'"kernelId":\s*"([0-9a-f-]{36})"', html).group(1)


def in_thread(work):
    """Run ``work`` in a thread of its own: a websocket client's event loop must not meet Playwright's."""
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(work).result(timeout=300)


class KernelSocket:
    """The kernel's websocket spoken directly, as any script in a browser can: comm messages to widgets."""

    def __init__(self, server, kernel_id: str, **headers: str) -> None:
        """``headers`` (``X_Forwarded_For="…"``) as a proxy on this machine would add them."""
        from tornado.httpclient import HTTPRequest
        from tornado.ioloop import IOLoop
        from tornado.websocket import websocket_connect

        self.loop = IOLoop()
        self.session = uuid.uuid4().hex
        url = server.base.replace("http://", "ws://") + f"/api/kernels/{kernel_id}/channels?session_id={self.session}"
        request = HTTPRequest(url, headers={name.replace("_", "-"): value for name, value in headers.items()})
        try:
            self.socket = self.loop.run_sync(lambda: websocket_connect(request), timeout=60)
        except BaseException:
            self.loop.close()
            raise

    def send(self, msg_type: str, content: dict, metadata: dict | None = None) -> None:
        header = {"msg_id": uuid.uuid4().hex, "msg_type": msg_type, "username": "", "session": self.session}
        header |= {"date": "", "version": "5.3"}
        message = {"header": header, "parent_header": {}, "metadata": metadata or {}, "content": content}
        message["channel"] = "shell"
        self.loop.run_sync(lambda: self.socket.write_message(json.dumps(message)))

    control: str | None = None

    def states(self) -> dict[str, dict]:
        """Every widget's state, as the page asks for them when it loads (one control comm, opened once)."""
        if self.control is None:
            self.control = uuid.uuid4().hex
            opening = {"comm_id": self.control, "target_name": "jupyter.widget.control", "data": {}}
            self.send("comm_open", opening, {"version": "1.0.0"})
        self.send("comm_msg", {"comm_id": self.control, "data": {"method": "request_states"}})
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            raw = self.loop.run_sync(self.socket.read_message, timeout=60)
            reply = json.loads(raw) if isinstance(raw, str) else {}
            data = reply.get("content", {}).get("data", {})
            if reply.get("msg_type") == "comm_msg" and data.get("method") == "update_states":
                return {model: body["state"] for model, body in data["states"].items()}
        raise AssertionError("the kernel never sent its widgets' states")

    def set_value(self, model_id: str, value: object) -> None:
        """What the browser sends when someone types in a field: any value, as fast as it likes."""
        state = {"method": "update", "state": {"value": value}, "buffer_paths": []}
        self.send("comm_msg", {"comm_id": model_id, "data": state})

    def close(self) -> None:
        self.socket.close()
        self.loop.close()
