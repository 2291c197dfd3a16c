"""make bench: an organisation's server at its size. Three workshops of 40 teams on one PostgreSQL,
served by two ``motives serve`` behind which a proxy would sit (issue 24, point 5): 120 team pages
in Chromium, each session's teams spread over both servers, and the first session's dashboard open.

What is measured, as a trainer and the teams see it:
- the time until all 120 pages are interactive (the first checkbox can be clicked, after the team's
  join click), opened 20 at once, wave after wave (see WAVE), and the slowest wave's;
- the save latency: from a click on a checkbox until the page says "Bewaard om", with one team
  ticking at a time and with all 120 ticking at once (p50 and p95);
- the dashboard's refresh while the 40 teams of its session tick, one after another a quarter of a
  second apart: from a team's tick until the overview counts it;
- the most client connections the cluster had at once (``pg_stat_activity``, every 20 ms).

Each page has a renderer process of its own, as it has a device of its own in a room. Opened all
120 at once (with ``--renderer-process-limit=16`` and without), pages ran their first script more
than a minute after the server had sent them, the server shut their kernels down as never claimed,
and the pages reloaded: hence the waves.

    python benchmarks/organisation.py [--sessions 3] [--teams 40] [--no-write]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from datetime import datetime
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(1, str(Path(__file__).resolve().parent.parent / "tests"))

import pgcluster
import psycopg
from many_sessions import machine, write_block
from run import CHROMIUM_ARGS, Server, chromium, median, percentile

ROOT = Path(__file__).resolve().parent.parent
UNLIMITED = ("--render-burst", "1000", "--render-rate", "1000")  # one address opens every page
PREVENTION = "Beter voorkomen dan genezen."
BLUR = (
    "De grenzen tussen werk en privé vervagen op sociale netwerksites. Dus is het in het belang van de "
    "organisatie om daarover afspraken te maken."
)
PRIORITY = "Beeldvorming van en communicatie over de organisatie vergt geen prioritaire beleidsaandacht."
LOAD = 300_000  # ms: a page that takes longer is counted as never interactive
PATIENCE = 120_000  # ms: a page with nothing to click for this long is reloaded once
ONE_WRITER = 20  # ticks, one team at a time
# Pages are opened in waves of this many, each once the one before is interactive: Chromium shares the two
# cores with 120 kernels, and 120 pages opened in one go keep it so busy that pages connect to their
# kernels after the server has given up on them (a minute), where a room's own devices would not.
WAVE = 20
CLIENTS = "SELECT count(*) - 1 FROM pg_stat_activity WHERE backend_type = 'client backend'"  # less its own


def new_session(url: str, name: str) -> dict:
    """A session as the trainer makes one: its code, key and paths."""
    done = subprocess.run(
        [sys.executable, "-m", "motives", "session", "new", name, "--json"],
        env={**os.environ, "MOTIVES_DB": url},
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    return json.loads(done.stdout)


class Connections:
    """The most client connections the cluster holds at once, sampled every 20 ms in a thread."""

    def __init__(self, port: int) -> None:
        self.most = 0
        self._stop = threading.Event()
        self._db = psycopg.connect(
            f"host=127.0.0.1 port={port} user=postgres dbname={pgcluster.DATABASE}", autocommit=True
        )
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def _sample(self) -> None:
        while not self._stop.is_set():
            self.most = max(self.most, self._db.execute(CLIENTS).fetchone()[0])
            time.sleep(0.02)

    def stop(self) -> int:
        self._stop.set()
        self._thread.join()
        self._db.close()
        return self.most


async def open_team(browser, url: str, started: float, reloads: list[str]) -> tuple[object, float | None]:
    """A team opens its link, clicks to join, and waits until its first checkbox can be clicked. A page
    that shows nothing to click for two minutes is reloaded once, as a person would (``reloads``)."""
    from playwright.async_api import Error

    page = await browser.new_page(viewport={"width": 800, "height": 600})
    join = page.get_by_role("button", name="Doe mee als dit team")
    try:
        await page.goto(url, wait_until="commit", timeout=LOAD)
        try:
            await join.wait_for(state="visible", timeout=PATIENCE)
        except Error:
            # Kernels starting at once on two cores sometimes lose a race for a port (jupyter_client picks
            # free ports before the kernel binds them) and that kernel dies: its page never fills.
            reloads.append(url)
            await page.reload(wait_until="commit", timeout=LOAD)
            await join.wait_for(state="visible", timeout=LOAD)
        await join.click(timeout=LOAD)
        box = page.get_by_role("checkbox", name=PREVENTION, exact=True)
        await box.wait_for(state="visible", timeout=LOAD)
        await box.click(trial=True, timeout=LOAD)
        return page, time.perf_counter() - started
    except Error as error:
        print(f"  a page never became interactive: {str(error).splitlines()[0][:120]}", file=sys.stderr)
        return page, None


async def tick(page, label: str) -> float | None:
    """Tick a checkbox; seconds until the page says the save was kept (its status line changes to it)."""
    from playwright.async_api import Error

    status = page.locator(".motives-save-status")
    before = await status.inner_text()
    started = time.perf_counter()
    try:
        await page.get_by_role("checkbox", name=label, exact=True).check(timeout=LOAD)
        await page.wait_for_function(
            "([el, before]) => el.innerText !== before && el.innerText.includes('Bewaard om')",
            arg=[await status.element_handle(), before],
            polling=20,
            timeout=LOAD,
        )
        return time.perf_counter() - started
    except Error as error:
        print(f"  a save was never shown: {str(error).splitlines()[0][:120]}", file=sys.stderr)
        return None


async def answered(board) -> int:
    found = await board.evaluate("() => (document.body.innerText.match(/Geantwoord: (\\d+)/) || [0, -1])[1]")
    return int(found)


async def dashboard_refresh(board, pages: list, label: str) -> list[float]:
    """The session's teams tick one after another, a quarter of a second apart; for each tick, the
    seconds until the overview counts it (the k-th tick is shown when the count reaches k)."""
    clicked: list[float] = []
    seen: dict[int, float] = {}

    async def watch() -> None:
        while len(seen) < len(pages):
            count = await answered(board)
            now = time.perf_counter()
            for k in range(1, count + 1):
                seen.setdefault(k, now)
            await asyncio.sleep(0.05)

    watcher = asyncio.create_task(watch())
    for page in pages:
        clicked.append(time.perf_counter())
        await page.get_by_role("checkbox", name=label, exact=True).check(timeout=LOAD)
        await asyncio.sleep(0.25)
    await asyncio.wait_for(watcher, timeout=LOAD / 1000)
    return [seen[k + 1] - at for k, at in enumerate(clicked)]


async def measure(servers: list[Server], sessions: list[dict], teams: int) -> dict:
    from playwright.async_api import async_playwright

    figures: dict = {}
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=chromium(), args=CHROMIUM_ARGS)
        urls = [
            f"{servers[n % len(servers)].base}{session['team_path']}&team=Team%20{n:03d}"
            for n in range(teams)
            for session in sessions
        ]  # team n of each session; even teams on the first server, odd on the second
        started = time.perf_counter()
        pages, times, waves, reloads = [], [], [], []
        for first in range(0, len(urls), WAVE):
            wave_started = time.perf_counter()
            wave = urls[first : first + WAVE]
            opened = await asyncio.gather(*(open_team(browser, url, wave_started, reloads) for url in wave))
            pages += [page for page, _ in opened]
            times += [t for _, t in opened if t is not None]
            waves.append(time.perf_counter() - wave_started)
            print(f"  wave {len(waves)}: {waves[-1]:.0f} s", file=sys.stderr)
        everything = time.perf_counter() - started if len(times) == len(urls) else None
        figures["interactive"] = (everything, median(times), max(waves), len(urls) - len(times))
        figures["reloads"] = len(reloads)

        board = await browser.new_page(viewport={"width": 1280, "height": 900})
        await board.goto(f"{servers[0].base}{sessions[0]['dashboard_path']}", timeout=LOAD)
        await board.get_by_text(f"Meegedaan: {teams} · Geantwoord: 0").wait_for(timeout=LOAD)
        first_session = pages[0 :: len(sessions)]
        figures["refresh"] = await dashboard_refresh(board, first_session, PREVENTION)
        print(f"  dashboard refresh: median {median(figures['refresh']):.2f} s", file=sys.stderr)

        one = []
        for page in pages[:ONE_WRITER]:  # one team at a time
            one.append(await tick(page, PRIORITY))  # a motive no phase before ticked: each tick is a save
        figures["one"] = [t for t in one if t is not None]
        await asyncio.sleep(1.5)  # the status line shows seconds: a second save must show another time
        together = await asyncio.gather(*(tick(page, BLUR) for page in pages))
        figures["all"] = [t for t in together if t is not None]
        figures["all_lost"] = len(pages) - len(figures["all"])
        await browser.close()
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=3)
    parser.add_argument("--teams", type=int, default=40, help="per session")
    parser.add_argument("--servers", type=int, default=2)
    parser.add_argument("--max-connections", type=int, default=100, help="PostgreSQL's own default")
    parser.add_argument("--no-write", action="store_true", help="print only; leave docs/benchmarks.md alone")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="motives-organisation-"))
    url = pgcluster.start(folder, max_connections=args.max_connections)
    servers: list[Server] = []
    memory = {"most": 0.0}
    try:
        sessions = [new_session(url, f"Workshop {n + 1}") for n in range(args.sessions)]
        servers = [Server(folder / f"server-{n}", url, *UNLIMITED) for n in range(args.servers)]
        connections = Connections(int((folder / "port").read_text()))
        stop = threading.Event()

        def watch_memory() -> None:
            while not stop.is_set():
                memory["most"] = max(memory["most"], psutil.virtual_memory().used / 2**30)
                time.sleep(1.0)

        threading.Thread(target=watch_memory, daemon=True).start()
        started = time.monotonic()
        figures = asyncio.run(measure(servers, sessions, args.teams))
        seconds = time.monotonic() - started
        stop.set()
        most = connections.stop()
    finally:
        for server in servers:
            server.stop()
        pgcluster.stop(folder)

    pages = args.sessions * args.teams
    everything, middle, slowest, lost = figures["interactive"]
    refresh = figures["refresh"]
    one, together = figures["one"], figures["all"]
    all_in = f"never ({lost} pages were not)" if everything is None else f"{everything:.0f} s"
    rows = [
        "| measure | figure |",
        "|---|---|",
        f"| {pages} team pages, {WAVE} at a time, until all are interactive (pages reloaded once after two "
        f"minutes without a page: {figures['reloads']}) | {all_in} |",
        f"| … one wave of {WAVE} opened at once, until all {WAVE} are interactive (the slowest wave; the median "
        f"page of all) | {slowest:.0f} s ({middle:.0f} s) |",
        f"| Save latency, one team ticking at a time ({len(one)} ticks; p50 / p95) "
        f"| {median(one):.2f} / {percentile(one, 0.95):.2f} s |",
        f"| Save latency, all {pages} teams ticking at once (p50 / p95; never shown: {figures['all_lost']}) "
        f"| {median(together):.2f} / {percentile(together, 0.95):.2f} s |",
        f"| The dashboard counts a tick, while its {args.teams} teams tick 0.25 s apart (median / max) "
        f"| {median(refresh):.2f} / {max(refresh):.2f} s |",
        f"| Most PostgreSQL client connections at once (max_connections={args.max_connections}) | {most} |",
        f"| Most memory in use on the machine (pages, kernels, servers, cluster) | {memory['most']:.1f} GiB |",
    ]
    header = (
        f"Measured {datetime.now():%Y-%m-%d %H:%M} on {machine()}.\n"
        f"{args.sessions} sessions × {args.teams} teams on one PostgreSQL cluster, through {args.servers} "
        f"`motives serve`; {seconds / 60:.0f} min in all; `python benchmarks/organisation.py`.\n"
    )
    text = header + "\n" + "\n".join(rows)
    print(text)
    if not args.no_write:
        write_block(ROOT / "docs" / "benchmarks.md", "organisation", text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
