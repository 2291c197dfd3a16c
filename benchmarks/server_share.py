"""make bench: what one opened page costs the server itself, team page against a bare notebook.

Twenty Chromium pages on the same two cores measure mostly the browsers; here the server's
own share is counted: the CPU time of `motives serve` and of every kernel it started
(also those that ended, through the server's reaped children), per page.

- one page at a time in Chromium (the real path: HTML, websocket, every widget model), team
  and bare alternating: the server's CPU per page and the resident memory of the page's kernel;
- twenty pages at once over plain HTTP, no browser (the notebook runs, no websocket).

Many kernels starting at once on two cores sometimes lose a race for a port (jupyter_client
picks free ports before the kernel binds them) and that page fails with a 500. Such a page is
asked for again, at most twice, and the table says how many were; a phase starts only once the
kernels of the phase before are gone, so that their shutdown is not counted against the next.

On SQLite and on a PostgreSQL cluster of the bench's own (tests/pgcluster.py), one after the other.

    python benchmarks/server_share.py [--pages 10] [--only sqlite|postgresql] [--no-write]
"""

from __future__ import annotations

import argparse
import asyncio
import concurrent.futures
import os
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(1, str(Path(__file__).resolve().parent.parent / "tests"))

import pgcluster
from many_sessions import machine, write_block
from run import CHROMIUM_ARGS, Server, chromium, fill_session, join_teams, median, time_to_interactive

ROOT = Path(__file__).resolve().parent.parent
# The bench opens many pages from one address on purpose: lift the per-address limits.
UNLIMITED = ("--render-burst", "1000", "--render-rate", "1000")
TRIES = 3  # a page that fails is asked for again, at most twice
AT_ONCE = 20


def cpu_split(server: Server) -> tuple[float, float]:
    """CPU seconds of the server process itself, and of its live kernels and every kernel it
    already reaped."""
    own = kernels = 0.0
    try:
        parent = psutil.Process(server.process.pid)
        times = parent.cpu_times()
        own = times.user + times.system
        kernels = times.children_user + times.children_system
        for child in parent.children(recursive=True):
            try:
                t = child.cpu_times()
                kernels += t.user + t.system
            except psutil.Error:
                pass
    except psutil.Error:
        pass
    return own, kernels


def server_cpu(server: Server) -> float:
    """CPU seconds of the server, its live kernels and every kernel it already reaped."""
    return sum(cpu_split(server))


def commit() -> str:
    """The checkout's commit, so that a figure says what it measured."""
    try:
        found = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    except OSError:
        return "an unknown commit"
    return found.stdout.strip() or "an unknown commit"


def progress(text: str) -> None:
    """A line on stderr, so that a long run shows where it is."""
    print(f"{datetime.now():%H:%M:%S} {text}", file=sys.stderr, flush=True)


def settle(server: Server, at_most: int = 0, timeout: float = 150) -> int:
    """Wait until the server runs at most ``at_most`` kernels (a page without a browser holds its
    kernel a minute); returns how many are left."""
    started = time.monotonic()
    deadline = started + timeout
    while len(server.kernels()) > at_most and time.monotonic() < deadline:
        time.sleep(1)
    time.sleep(2)  # the server's own bookkeeping after the last shutdown
    left = len(server.kernels())
    if time.monotonic() - started > 10:
        progress(f"waited {time.monotonic() - started:.0f} s for kernels to go, {left} left")
    return left


async def per_page_in_browser(
    servers: dict[str, Server], urls: dict[str, Callable[[object], str]], pages: int
) -> dict[str, dict[str, float]]:
    """Per kind: median server CPU per page opened in Chromium until interactive and settled for a
    second and a half, median RSS (MB) of that page's kernel, and how many pages needed a retry."""
    from playwright.async_api import Error, async_playwright

    costs: dict[str, list[float]] = {kind: [] for kind in urls}
    own: dict[str, list[float]] = {kind: [] for kind in urls}  # the server process alone, kernels apart
    memory: dict[str, list[float]] = {kind: [] for kind in urls}
    retried = dict.fromkeys(urls, 0)
    selectors = {"team": "input[type=checkbox]", "bare": ".jupyter-button"}
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=chromium(), args=CHROMIUM_ARGS)
        for kind, url in urls.items():  # warm each server and the disk cache
            await time_to_interactive(browser, url("warm"), selectors[kind])
        await asyncio.sleep(2)
        for n in range(pages):
            for kind, url in urls.items():
                server = servers[kind]
                for _try in range(TRIES):
                    await asyncio.to_thread(settle, server)
                    before, kernels = cpu_split(server), {p.pid for p in server.kernels()}
                    context = await browser.new_context(viewport={"width": 1280, "height": 900})
                    page = await context.new_page()
                    try:
                        await page.goto(url(n), wait_until="commit", timeout=180_000)
                        await page.locator(selectors[kind]).first.wait_for(state="visible", timeout=180_000)
                    except Error:  # a failed page is tried again; the table counts it
                        await context.close()
                        retried[kind] += 1
                        continue
                    await asyncio.sleep(1.5)  # the kernel's last messages, the server's bookkeeping
                    new = [p for p in server.kernels() if p.pid not in kernels]
                    memory[kind] += [max(p.memory_info().rss for p in new) / 1e6] if new else []
                    await context.close()  # the page's beacon frees its kernel: part of what a page costs
                    await asyncio.to_thread(settle, server)
                    after = cpu_split(server)
                    costs[kind].append(sum(after) - sum(before))
                    own[kind].append(after[0] - before[0])
                    progress(
                        f"{kind} page {n + 1} of {pages}: {costs[kind][-1]:.2f} s CPU, "
                        f"of which the server process {own[kind][-1]:.2f} s"
                    )
                    break
        await browser.close()
    return {
        kind: {
            "cpu": median(costs[kind]),
            "own": median(own[kind]),
            "rss": median(memory[kind]),
            "retried": retried[kind],
            "n": len(costs[kind]),
        }
        for kind in urls
    }


def twenty_over_http(server: Server, url: Callable[[int], str]) -> dict[str, float]:
    """Twenty GETs at once, as a room joining: seconds until the last page's HTML is complete, the
    server's CPU for all twenty, and how many had to be asked for again (or never came)."""
    settle(server)
    before = server_cpu(server)
    started = time.perf_counter()
    retried = failed = 0

    def fetch(n: int) -> int:
        nonlocal retried, failed
        for attempt in range(TRIES):
            try:
                with urllib.request.urlopen(url(n), timeout=300) as response:
                    size = len(response.read())
                if size:
                    return size
            except (urllib.error.URLError, OSError):
                pass
            if attempt < TRIES - 1:
                retried += 1
                time.sleep(1 + attempt)
        failed += 1
        return 0

    with concurrent.futures.ThreadPoolExecutor(AT_ONCE) as pool:
        list(pool.map(fetch, range(AT_ONCE)))
    seconds = time.perf_counter() - started
    settle(server)  # until the twenty kernels are freed again (a minute without a browser)
    return {"seconds": seconds, "cpu": server_cpu(server) - before, "retried": retried, "failed": failed}


def measure(db: Path | str, pages: int) -> tuple[dict, dict]:
    """Per page in Chromium and twenty over HTTP, team page and bare notebook, on the store ``db``."""
    folder = Path(tempfile.mkdtemp(prefix="motives-bench-share-"))
    session = fill_session(db, 0)
    links = join_teams(
        db, session.code, ["Eenwarm"] + [f"Een{n}" for n in range(pages)] + [f"Http{n}" for n in range(AT_ONCE)]
    )
    # Two servers with the same settings: the bare notebook is the second one's team page (the
    # server renders only the app's pages). Each page's cost is counted on its own server.
    servers = {
        "team": Server(folder / "serve", db, *UNLIMITED),
        "bare": Server(folder / "bare", db, *UNLIMITED, bare=True),
    }
    try:

        def team(n: object) -> str:
            return servers["team"].base + links[f"Een{n}"]

        def bare(n: object) -> str:
            return f"{servers['bare'].base}/voila/render/team.ipynb?n={n}"

        page = asyncio.run(per_page_in_browser(servers, {"team": team, "bare": bare}, pages))
        http = {
            "team": twenty_over_http(servers["team"], lambda n: servers["team"].base + links[f"Http{n}"]),
            "bare": twenty_over_http(servers["bare"], bare),
        }
    finally:
        for server in servers.values():
            server.stop()
    return page, http


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=10)
    parser.add_argument("--only", choices=("sqlite", "postgresql"), help="one store only (default: both)")
    parser.add_argument("--no-write", action="store_true", help="print only; leave docs/benchmarks.md alone")
    args = parser.parse_args()
    load_before, started = os.getloadavg(), datetime.now().astimezone()

    def row(what: str, team: float, bare: float, target: float | None, unit: str = "s") -> str:
        met = "" if target is None else ("✓" if team / bare <= target else "✗")
        goal = "" if target is None else f"≤ {target}"
        return f"| {what} | {team:.2f} {unit} | {bare:.2f} {unit} | {team / bare:.2f} | {goal} | {met} |"

    lines = [
        "| measure | team page | bare | ratio | target | met |",
        "|---|---|---|---|---|---|",
    ]
    retries = []
    for backend in ("sqlite", "postgresql"):
        if args.only and backend != args.only:
            continue
        cluster = Path(tempfile.mkdtemp(prefix="motives-bench-share-pg-"))
        try:
            if backend == "sqlite":
                db: Path | str = Path(tempfile.mkdtemp(prefix="motives-bench-share-")) / "share.db"
            else:
                db = pgcluster.start(cluster)
            page, http = measure(db, args.pages)
        finally:
            if backend == "postgresql":
                pgcluster.stop(cluster)
        name = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}[backend]
        retries.append(
            f"{name}: pages asked for again: in Chromium team {page['team']['retried']}, bare "
            f"{page['bare']['retried']}; over HTTP team {http['team']['retried']}, bare {http['bare']['retried']}; "
            f"never served: team {http['team']['failed']}, bare {http['bare']['failed']}"
        )
        lines += [
            row(
                f"{name}: server CPU per page opened in Chromium (median of {args.pages})",
                page["team"]["cpu"],
                page["bare"]["cpu"],
                1.25,
            ),
            row(
                f"{name}: … of which the server process itself, kernels apart",
                page["team"]["own"],
                page["bare"]["own"],
                None,
            ),
            row(f"{name}: kernel memory (RSS) of that page", page["team"]["rss"], page["bare"]["rss"], 1.2, "MB"),
            row(
                f"{name}: {AT_ONCE} pages at once over HTTP, until the last",
                http["team"]["seconds"],
                http["bare"]["seconds"],
                None,
            ),
            row(
                f"{name}: {AT_ONCE} pages at once over HTTP, server CPU", http["team"]["cpu"], http["bare"]["cpu"], None
            ),
        ]
    load_after = os.getloadavg()
    header = (
        f"Measured {started:%Y-%m-%d %H:%M}–{datetime.now().astimezone():%H:%M} at {commit()} on {machine()}; "
        "load average "
        f"{load_before[0]:.1f} before, {load_after[0]:.1f} after; {'; '.join(retries)} "
        "(`benchmarks/server_share.py`).\n"
    )
    table = "\n".join(lines)
    print(header)
    print(table)
    if not args.no_write:
        write_block(ROOT / "docs" / "benchmarks.md", "share", f"{header}\n{table}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
