"""Starting and stopping a real ``motives serve`` (or another server) from a test: shared by the
browser tests' fixtures (conftest.py) and the tests that start servers of their own."""

from __future__ import annotations

import http.client
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import uuid
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Server:
    base: str
    db: Path | str  # a SQLite file, or a PostgreSQL URL
    log: Path

    def motives(self, *args: str) -> str:
        env = {**os.environ, "MOTIVES_DB": str(self.db)}
        return subprocess.run(
            [sys.executable, "-m", "motives", *args], env=env, capture_output=True, text=True, check=True, timeout=60
        ).stdout

    def new_session(self, name: str, lang: str = "nl") -> dict:
        return json.loads(self.motives("session", "new", name, "--lang", lang, "--json"))


def answering(base: str) -> bool:
    """Whether a server answers at ``base`` at all (any status; a redirect is not followed, so no page
    is rendered and no kernel started by asking)."""
    parts = urlsplit(base)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=2)
    try:
        connection.request("GET", "/")
        connection.getresponse().read()
        return True
    except OSError:
        return False
    finally:
        connection.close()


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
    deadline = time.monotonic() + 60
    while not answering(base):
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            pytest.fail(f"motives serve did not start:\n{log.read_text()}", pytrace=False)
        time.sleep(0.3)
    return process, base


def stop_server(process: subprocess.Popen) -> None:
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)


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
        return response.status, dict(response.getheaders()), response.read().decode("utf-8", "replace")
    finally:
        connection.close()


def kernel_id_of(html: str) -> str:
    return re.search(r'"kernelId":\s*"([0-9a-f-]{36})"', html).group(1)


class KernelSocket:
    """The kernel's websocket spoken directly, as any script in a browser can: comm messages to widgets."""

    def __init__(self, server, kernel_id: str) -> None:
        from tornado.ioloop import IOLoop

        self.loop = IOLoop()
        self.session = uuid.uuid4().hex
        url = server.base.replace("http://", "ws://") + f"/api/kernels/{kernel_id}/channels?session_id={self.session}"
        from tornado.websocket import websocket_connect

        self.socket = self.loop.run_sync(lambda: websocket_connect(url), timeout=60)

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
