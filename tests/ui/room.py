"""A room of our own: a laptop and a phone on a network that exists only for the test.

Two network namespaces joined by a veth pair (a cable between two devices): the laptop's has that
network and its own loopback, and nothing else, so ``motives`` started in it finds exactly one
network address, as a laptop on a venue's Wi-Fi does; the phone's reaches the laptop over that
network only. No packet touches this machine's own network. A browser is put in either namespace
by a wrapper around the system's Chromium (``ip netns exec``; the ``browser_in`` fixture), which
Playwright drives over pipes.

Needs root and ``ip`` (iproute2). :func:`namespaces_or_skip` says why it cannot, and fails instead
of skipping where the run requires the room (``MOTIVES_REQUIRE_NAMESPACES=1``, as CI sets).
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

LAPTOP_ADDRESS = "10.213.0.1"
PHONE_ADDRESS = "10.213.0.2"


def namespaces_or_skip() -> None:
    """Skip (or fail, where required) when this machine cannot make network namespaces."""
    reason = ""
    if shutil.which("ip") is None:
        reason = "the room test needs `ip` (iproute2: apt-get install -y iproute2)"
    elif os.geteuid() != 0:
        reason = "the room test makes network namespaces, which needs root"
    else:
        probe = f"mo-probe-{os.getpid()}"
        made = subprocess.run(["ip", "netns", "add", probe], capture_output=True, text=True)
        subprocess.run(["ip", "netns", "delete", probe], capture_output=True)
        if made.returncode:
            reason = f"this machine cannot make a network namespace: {made.stderr.strip()}"
    if reason:
        if os.environ.get("MOTIVES_REQUIRE_NAMESPACES") == "1":
            pytest.fail(reason, pytrace=False)
        pytest.skip(reason)


def _ip(*args: str) -> None:
    subprocess.run(["ip", *args], check=True, capture_output=True, text=True)


@dataclass
class Room:
    """The namespaces' names; ``networked``: whether the laptop has the phone's network at all."""

    laptop: str
    phone: str
    networked: bool = True

    def make(self) -> Room:
        for name in (self.laptop, self.phone):
            _ip("netns", "add", name)
            _ip("-n", name, "link", "set", "lo", "up")
        if self.networked:
            self.connect()
        return self

    def connect(self) -> None:
        """The cable between the laptop and the phone, with an address at either end: as a laptop that
        joins the venue's Wi-Fi (also while motives runs)."""
        cable = f"v{os.getpid() % 100000}"
        _ip("link", "add", cable + "l", "type", "veth", "peer", "name", cable + "p")
        for end, name, address in (
            (cable + "l", self.laptop, LAPTOP_ADDRESS),
            (cable + "p", self.phone, PHONE_ADDRESS),
        ):
            _ip("link", "set", end, "netns", name)
            _ip("-n", name, "addr", "add", f"{address}/24", "dev", end)
            _ip("-n", name, "link", "set", end, "up")

    def add_decoys(self) -> None:
        """What a trainer's laptop has besides the Wi-Fi: Docker's bridge and macOS Internet Sharing's
        (a private address that sorts before the Wi-Fi's), and a default route out through the Wi-Fi.
        No device in the room reaches the laptop at a decoy's address."""
        for name, address in (("docker0", "172.17.0.1/16"), ("bridge100", "192.168.2.1/24")):
            _ip("-n", self.laptop, "link", "add", name, "type", "bridge")  # as Docker's and macOS's are
            _ip("-n", self.laptop, "addr", "add", address, "dev", name)
            _ip("-n", self.laptop, "link", "set", name, "up")
        _ip("-n", self.laptop, "route", "add", "default", "via", PHONE_ADDRESS)

    def status_for_host(self, port: int, host: str) -> int:
        """The status the laptop's motives answers a request with this ``Host`` (sent over its loopback)."""
        probe = (
            f"import http.client; c = http.client.HTTPConnection('127.0.0.1', {port}, timeout=30); "
            f"c.request('GET', '/', headers={{'Host': {host!r}}}); print(c.getresponse().status)"
        )
        done = subprocess.run(self.command(self.laptop, sys.executable, "-c", probe), capture_output=True, text=True)
        return int(done.stdout.strip())

    def remove(self) -> None:
        for name in (self.laptop, self.phone):
            subprocess.run(["ip", "netns", "delete", name], capture_output=True)  # takes its end of the cable along

    def command(self, namespace: str, *argv: str) -> list[str]:
        return ["ip", "netns", "exec", namespace, *argv]

    def start_motives(self, db: Path, log: Path, port: int, *extra: str) -> subprocess.Popen:
        """``motives`` as the trainer types it (no browser to open), on the laptop; returns once it answers."""
        env = {**os.environ, "MOTIVES_DB": str(db)}
        argv = self.command(self.laptop, sys.executable, "-m", "motives", "--no-browser", "--port", str(port), *extra)
        with log.open("a") as out:
            process = subprocess.Popen(argv, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
        probe = f"import socket; socket.create_connection(('127.0.0.1', {port}), 1).close()"
        deadline = time.monotonic() + 90
        while subprocess.run(self.command(self.laptop, sys.executable, "-c", probe), capture_output=True).returncode:
            if process.poll() is not None or time.monotonic() > deadline:
                stop(process)
                raise AssertionError(f"motives did not start in the room:\n{log.read_text()}")
            time.sleep(0.5)
        return process


def stop(process: subprocess.Popen) -> None:
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
    except ProcessLookupError:
        pass
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
