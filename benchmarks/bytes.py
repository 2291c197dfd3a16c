"""What a participant's device downloads to open the team page: first visit and reload.

A venue's Wi-Fi is shared by forty devices that open the same page in the same minute, so the bytes
each one pulls matter as much as the server's CPU. This starts a real ``motives serve`` (the
checkout's), makes a session with one team, and opens that team's own link in the system's
Chromium, twice: in a fresh browser profile (a first visit), then a reload in the same profile
(what a phone does when it wakes up or the team reloads). Chromium's own network log (the DevTools
protocol) counts the bytes that crossed the network, headers included, and which responses came
from the browser's cache; the page's websocket (the widgets' state) is counted apart.

    python benchmarks/bytes.py [--base http://127.0.0.1:PORT]   # another running server, e.g. an older checkout
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "tests" / "ui"))

from servers import start_server, stop_server  # noqa: E402

from motives.store import Store  # noqa: E402
from motives.urls import team_path  # noqa: E402


def chromium() -> str:
    found = subprocess.run(["sh", "-c", "command -v chromium"], capture_output=True, text=True).stdout.strip()
    return found or "/usr/bin/chromium"


def team_link(db: Path | str) -> str:
    """A session with one team that joined, as the trainer and a team make them; the team's own link."""
    from motives.catalogue import default_catalogue

    store = Store(db)
    try:
        session = store.create_session("Bytes", default_catalogue(), "nl")
        team = store.join(session, "Noord")
        return team_path(session.code, team.name, key=team.key)
    finally:
        store.close()


class NetworkLog:
    """Chromium's own account of one page's traffic (DevTools' Network domain)."""

    def __init__(self, context, page) -> None:
        self.responses: dict[str, dict] = {}
        self.bytes: dict[str, int] = {}
        self.socket_bytes = 0
        client = context.new_cdp_session(page)
        client.send("Network.enable")
        client.on("Network.responseReceived", self._response)
        client.on("Network.loadingFinished", self._finished)
        client.on("Network.webSocketFrameReceived", self._frame)
        client.on("Network.webSocketFrameSent", self._frame)

    def _response(self, event: dict) -> None:
        self.responses[event["requestId"]] = event["response"]

    def _finished(self, event: dict) -> None:
        self.bytes[event["requestId"]] = int(event["encodedDataLength"])

    def _frame(self, event: dict) -> None:
        self.socket_bytes += len(event["response"]["payloadData"])

    def summary(self) -> dict:
        rows = []
        for request_id, response in self.responses.items():
            headers = {name.lower(): value for name, value in response.get("headers", {}).items()}
            cached = response.get("fromDiskCache") or response.get("fromMemoryCache") or response.get("status") == 304
            rows.append(
                {
                    "url": response["url"],
                    "bytes": self.bytes.get(request_id, 0),
                    "cached": bool(cached),
                    "encoding": headers.get("content-encoding", ""),
                    "type": headers.get("content-type", ""),
                }
            )
        largest = max(rows, key=lambda row: row["bytes"])
        return {
            "responses": len(rows),
            "from_network": sum(1 for row in rows if row["bytes"] and not row["cached"]),
            "from_cache": sum(1 for row in rows if row["cached"]),
            "http_bytes": sum(row["bytes"] for row in rows),
            "socket_bytes": self.socket_bytes,
            "largest": largest,
            "uncompressed_scripts": [
                row["url"]
                for row in rows
                if row["bytes"] > 1000 and not row["encoding"] and ("javascript" in row["type"] or "css" in row["type"])
            ],
        }


def measure(base: str, link: str) -> tuple[dict, dict]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium(), args=["--no-sandbox", "--disable-gpu"])
        context = browser.new_context(viewport={"width": 390, "height": 844})
        page = context.new_page()
        first = NetworkLog(context, page)
        page.goto(base + link)
        page.wait_for_selector(".motives-worksheet", timeout=120_000)
        page.wait_for_timeout(1500)  # the last widget views and their styles
        page.close()
        page = context.new_page()
        again = NetworkLog(context, page)
        page.goto(base + link)  # the same link in the same profile: a reload, a phone that woke up
        page.wait_for_selector(".motives-worksheet", timeout=120_000)
        page.wait_for_timeout(1500)
        browser.close()
    return first.summary(), again.summary()


def kb(value: int) -> str:
    return f"{value / 1000:,.0f} kB"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", help="a running server to measure (its store: --db); default: start the checkout's")
    parser.add_argument("--db", help="with --base: that server's store, to make the session in")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        if args.base:
            base, db, process = args.base.rstrip("/"), args.db, None
        else:
            db = Path(folder) / "bytes.db"
            process, base = start_server(db, Path(folder) / "serve.log")
        try:
            first, again = measure(base, team_link(db))
        finally:
            if process is not None:
                stop_server(process)
    commit = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True)
    print(f"# Bytes a device downloads to open the team page (commit {commit.stdout.strip()})")
    print("| visit | responses | from the network | from the cache | HTTP bytes | websocket bytes | largest |")
    print("|---|---|---|---|---|---|---|")
    for name, run in (("first visit", first), ("reload", again)):
        largest = run["largest"]
        print(
            f"| {name} | {run['responses']} | {run['from_network']} | {run['from_cache']} | {kb(run['http_bytes'])} "
            f"| {kb(run['socket_bytes'])} | {kb(largest['bytes'])} ({largest['encoding'] or 'not compressed'}) |"
        )
    for name, run in (("first visit", first), ("reload", again)):
        if run["uncompressed_scripts"]:
            print(f"uncompressed scripts and styles over 1 kB ({name}): {len(run['uncompressed_scripts'])}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
