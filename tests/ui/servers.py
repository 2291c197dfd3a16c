"""Starting and stopping a real ``motives serve`` (or another server) from a test: shared by the
browser tests' fixtures (conftest.py) and the tests that start servers of their own."""

from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import time
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
