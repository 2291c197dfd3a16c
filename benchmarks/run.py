"""make bench: the app against a bare one-button ipywidgets notebook, served with the same Voilà settings.

Everything is measured in one run, app and bare alternating, several times, and reported as
medians and ratios against the targets of the performance budget. The table is printed and
written to docs/benchmarks.md together with the machine it ran on.

    python benchmarks/run.py [--repeat 5] [--quick] [--no-write]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import os
import platform
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from motives import tally  # noqa: E402
from motives.catalogue import catalogue_from_dict, default_catalogue  # noqa: E402
from motives.models import SessionRecords, TeamRecord  # noqa: E402
from motives.store import Store  # noqa: E402
from motives.urls import team_path  # noqa: E402

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]
BARE = {
    "cells": [
        {
            "cell_type": "code",
            "execution_count": None,
            "id": "bare",
            "metadata": {},
            "outputs": [],
            "source": ["import ipywidgets\n", "\n", 'ipywidgets.Button(description="Klik")'],
        }
    ],
    "metadata": {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}},
    "nbformat": 4,
    "nbformat_minor": 5,
}


def chromium() -> str:
    for candidate in (os.environ.get("MOTIVES_CHROMIUM"), shutil.which("chromium"), "/usr/bin/chromium"):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    sys.exit("make bench needs Chromium: apt-get install -y chromium")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """`motives serve` over a folder with the app's notebooks; with ``bare``, the bare notebook is
    its team page.

    The server renders only the app's pages by name (issue 21), so the bare notebook is served as
    a second server's ``team.ipynb``: the same command, settings and path as the team page's."""

    def __init__(self, folder: Path, db: Path | str, *extra: str, bare: bool = False) -> None:
        notebooks = folder / "notebooks"
        notebooks.mkdir(parents=True, exist_ok=True)
        for name in ("team.ipynb", "dashboard.ipynb", "home.ipynb"):  # "/" opens the home
            shutil.copy(ROOT / "notebooks" / name, notebooks / name)
        if bare:
            (notebooks / "team.ipynb").write_text(json.dumps(BARE), encoding="utf-8")
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = (folder / f"serve-{self.port}.log").open("w")
        env = {**os.environ, "MOTIVES_DB": str(db), "MOTIVES_MAX_TEAMS": "1000"}
        # Every page cold, as these benchmarks measure it; benchmarks/first_minute.py measures the warm pool.
        warm = () if "--warm-pages" in extra else ("--warm-pages", "0")
        argv = [sys.executable, "-m", "motives", "serve", "--port", str(self.port), "--notebooks", str(notebooks)]
        self.process = subprocess.Popen(
            [*argv, *warm, *extra],
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        wait_until_up(self.process, self.base, 60, "motives serve did not start")

    def kernels(self) -> list[psutil.Process]:
        found = []
        for child in psutil.Process(self.process.pid).children(recursive=True):
            try:
                if child.status() != psutil.STATUS_ZOMBIE and "ipykernel_launcher" in " ".join(child.cmdline()):
                    found.append(child)
            except psutil.Error:
                pass
        return found

    def stop(self) -> None:
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
        self.log.close()


def wait_until_up(process: subprocess.Popen, base: str, seconds: float, failed: str) -> None:
    """Return once the server ``process`` answers at ``base``; end the benchmark saying ``failed`` if it
    stops first or takes longer than ``seconds``."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            urllib.request.urlopen(base + "/", timeout=2)
            return
        except OSError:
            if time.monotonic() > deadline or process.poll() is not None:
                sys.exit(failed)
            time.sleep(0.3)


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


async def time_to_interactive(browser, url: str, selector: str) -> float | None:
    """From navigation until the first control matching ``selector`` can be clicked; None if it never could."""
    from playwright.async_api import Error

    context = await browser.new_context(viewport={"width": 1280, "height": 900})
    page = await context.new_page()
    started = time.perf_counter()
    try:
        await page.goto(url, wait_until="commit", timeout=180_000)
        control = page.locator(selector).first
        await control.wait_for(state="visible", timeout=180_000)
        await control.click(trial=True, timeout=60_000)  # actionable: visible, stable, enabled, receives events
        return time.perf_counter() - started
    except Error:
        return None
    finally:
        await context.close()


def done(times: list[float | None]) -> list[float]:
    return [t for t in times if t is not None]


async def kernel_rss(browser, server: Server, url: str, selector: str) -> float:
    """Resident memory (MB) of the kernel behind one freshly opened page, once it settled."""
    before = {p.pid for p in server.kernels()}
    context = await browser.new_context()
    page = await context.new_page()
    await page.goto(url)
    await page.locator(selector).first.wait_for(state="visible", timeout=120_000)
    await asyncio.sleep(1.0)
    new = [p for p in server.kernels() if p.pid not in before]
    rss = max(p.memory_info().rss for p in new) / 1e6 if new else float("nan")
    await context.close()
    return rss


def fill_session(db: Path, teams: int, seed: int = 1):
    store = Store(db, max_teams=max(teams, 1))
    session = store.create_session(f"Bench {teams}", default_catalogue())
    rng = random.Random(seed)
    for number in range(teams):
        team = store.join(session, f"Team {number}")
        for motive in session.catalogue.motives:
            if rng.random() < 0.5:
                store.set_answer(team, motive.id, True, rng.randint(1, 5))
        store.add_own_motive(team, rng.choice(["for", "against"]), f"Eigen motief {number % 7} van de teams", 3)
    store.close()
    return session


def join_teams(db: Path | str, code: str, names: list[str]) -> dict[str, str]:
    """Teams that joined before, and each one's own link (path and query, with its key): it opens
    the worksheet at once. A name alone in a link no longer opens a team that exists (issue 26)."""
    store = Store(db, max_teams=len(names) + 1)
    session = store.session(code)
    links = {name: team_path(code, name, key=store.join(session, name).key) for name in names}
    store.close()
    return links


def writer(args) -> list[float]:
    """One team's device: ``writes`` ticks, back to back or about ``pace`` seconds apart (as people click)."""
    path, code, number, writes, pace, barrier = args
    store = Store(path)
    session = store.session(code)
    team = store.join(session, f"Schrijver {number}")
    ids = sorted(session.catalogue.ids)
    rng = random.Random(number)
    barrier.wait()
    latencies = []
    for write in range(writes):
        if pace:
            time.sleep(rng.uniform(0.5, 1.5) * pace)
        started = time.perf_counter()
        store.set_answer(team, ids[write % len(ids)], True, 1 + write % 5)
        latencies.append(time.perf_counter() - started)
    store.close()
    return latencies


def save_latency(folder: Path, writers: int, writes: int, pace: float = 0.0) -> list[float]:
    path = folder / f"save-{writers}-{pace}.db"
    store = Store(path, max_teams=writers)
    session = store.create_session("Schrijven", default_catalogue())
    store.close()
    context = multiprocessing.get_context("spawn")
    barrier = context.Manager().Barrier(writers)
    with context.Pool(writers) as pool:
        results = pool.map(writer, [(str(path), session.code, n, writes, pace, barrier) for n in range(writers)])
    return [latency for result in results for latency in result]


def synthetic_records(teams: int, motives: int = 50, seed: int = 7) -> SessionRecords:
    """A session of ``teams`` teams on a catalogue of ``motives`` motives, made in memory."""
    catalogue = catalogue_from_dict(
        {
            "id": "bench",
            "title": {"nl": "Bench"},
            "heading": {"against": {"nl": "Geen"}, "for": {"nl": "Wel"}},
            "motive": [
                {"id": f"m-{n}", "side": "for" if n % 2 else "against", "nl": f"Motief nummer {n} met wat tekst"}
                for n in range(motives)
            ],
        }
    )
    from motives.models import Session

    now = datetime.now(UTC)
    session = Session(1, "BENCH1", "Bench", "nl", catalogue, now, "key")
    rng = random.Random(seed)
    team_rows = [TeamRecord(n, f"Team {n}", now, rng.choice(["yes", "no", None]), "", None) for n in range(teams)]
    answers = [
        {"team_id": t, "motive_id": f"m-{m}", "applies": True, "importance": rng.randint(1, 5), "updated_at": now}
        for t in range(teams)
        for m in range(motives)
        if rng.random() < 0.5
    ]
    own = [
        {
            "team_id": t,
            "own_id": t * 2 + k,
            "side": "for",
            "text": f"Eigen {t % 13} {k}",
            "importance": 3,
            "created_at": now,
            "updated_at": now,
        }
        for t in range(teams)
        for k in range(2)
    ]
    return SessionRecords(session, team_rows, answers, own)


def tally_seconds(teams: int, repeat: int) -> float:
    records = synthetic_records(teams)
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        answers = tally.answers_frame(records)
        frame = tally.teams_frame(records)
        matrix = tally.team_matrix(answers)
        tally.comparison(answers)
        tally.consensus(matrix, frame["team"].tolist())
        tally.balance(answers, frame)
        times.append(time.perf_counter() - started)
    return median(times)


async def browser_measurements(folder: Path, repeat: int, quick: bool) -> dict:
    from playwright.async_api import async_playwright

    db = folder / "pages.db"
    # Every page comes from 127.0.0.1: without this the per-address render limit would make the crowd wait.
    extra = ("--render-burst", "1000", "--render-rate", "1000")
    session = fill_session(db, 0)
    names = ["Warm"] + [f"Alleen{n}" for n in range(repeat)] + [f"Geheugen{n}" for n in range(3)]
    links = join_teams(db, session.code, names + [f"Samen{n}-{k}" for n in range(2) for k in range(20)])
    server = Server(folder / "serve", db, *extra)
    bare_server = Server(folder / "serve-bare", db, *extra, bare=True)
    results: dict = {}
    try:
        async with async_playwright() as playwright:
            browser = await playwright.chromium.launch(executable_path=chromium(), args=CHROMIUM_ARGS)
            team_url = {name: server.base + path for name, path in links.items()}
            bare_url = f"{bare_server.base}/voila/render/team.ipynb"
            checkbox, button = "input[type=checkbox]", ".jupyter-button"
            # Warm each server and the disk cache.
            await time_to_interactive(browser, team_url["Warm"], checkbox)
            await time_to_interactive(browser, bare_url, button)
            app, bare = [], []
            for n in range(repeat):
                app.append(await time_to_interactive(browser, team_url[f"Alleen{n}"], checkbox))
                bare.append(await time_to_interactive(browser, bare_url, button))
            results["tti"] = (median(done(app)), median(done(bare)))
            results["tti_failed"] = (app.count(None), bare.count(None))
            crowd_app, crowd_bare, failed = [], [], [0, 0]
            for n in range(1 if quick else 2):
                times = await asyncio.gather(
                    *(time_to_interactive(browser, team_url[f"Samen{n}-{k}"], checkbox) for k in range(20))
                )
                crowd_app.append(median(done(times)))
                failed[0] += times.count(None)
                await asyncio.sleep(10)
                times = await asyncio.gather(*(time_to_interactive(browser, bare_url, button) for _k in range(20)))
                crowd_bare.append(median(done(times)))
                failed[1] += times.count(None)
                await asyncio.sleep(10)
            results["tti20"] = (median(crowd_app), median(crowd_bare))
            results["tti20_failed"] = tuple(failed)
            rss_app = [await kernel_rss(browser, server, team_url[f"Geheugen{n}"], checkbox) for n in range(3)]
            rss_bare = [await kernel_rss(browser, bare_server, bare_url, button) for _n in range(3)]
            results["rss"] = (median(rss_app), median(rss_bare))

            dashboards = {}
            for teams in (4, 40) if quick else (4, 40, 200):
                filled = fill_session(db, teams)
                url = f"{server.base}/voila/render/dashboard.ipynb?session={filled.code}&key={filled.trainer_key}"
                times = []
                for _ in range(2 if quick else 3):
                    context = await browser.new_context(viewport={"width": 1280, "height": 900})
                    page = await context.new_page()
                    started = time.perf_counter()
                    await page.goto(url, wait_until="commit")
                    await page.get_by_role("tab", name="Vergelijking").click(timeout=120_000)
                    await page.locator(".motives-heatmap").wait_for(state="visible", timeout=120_000)
                    times.append(time.perf_counter() - started)
                    await context.close()
                dashboards[teams] = median(times)
            results["dashboard"] = dashboards

            live = fill_session(db, 0)
            live_link = join_teams(db, live.code, ["Live"])["Live"]
            board_context = await browser.new_context(viewport={"width": 1280, "height": 900})
            board = await board_context.new_page()
            await board.goto(f"{server.base}/voila/render/dashboard.ipynb?session={live.code}&key={live.trainer_key}")
            await board.get_by_role("tab", name="Vergelijking").click(timeout=120_000)
            team_context = await browser.new_context()
            team = await team_context.new_page()
            await team.goto(server.base + live_link)
            boxes = team.locator("input[type=checkbox]")
            await boxes.first.wait_for(state="visible", timeout=120_000)
            await board.get_by_text("Meegedaan: 1").wait_for(timeout=30_000)
            ticks = []
            for n in range(5):
                label = await team.locator(".motives-tick").nth(n).inner_text()
                started = time.perf_counter()
                await boxes.nth(n).check()
                row = board.locator(".motives-heatmap tr").filter(has_text=label.strip())
                await row.locator("td").first.filter(has_text="✓").wait_for(timeout=30_000)
                ticks.append(time.perf_counter() - started)
            results["tick"] = ticks
            await browser.close()
    finally:
        server.stop()
        bare_server.stop()
    return results


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    chromium_version = subprocess.run([chromium(), "--version"], capture_output=True, text=True).stdout.strip()
    return (
        f"{cpu}, {psutil.cpu_count()} cores, {psutil.virtual_memory().total / 2**30:.0f} GiB; "
        f"{platform.platform()}; Python {platform.python_version()}; {chromium_version}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--quick", action="store_true", help="fewer repetitions and no 200-team dashboard")
    parser.add_argument("--no-write", action="store_true", help="print only; leave docs/benchmarks.md alone")
    args = parser.parse_args()
    repeat = 2 if args.quick else args.repeat
    folder = Path(tempfile.mkdtemp(prefix="motives-bench-"))
    rows = []

    def row(what: str, app: str, bare: str, ratio: str, target: str, met: bool | None) -> None:
        mark = "" if met is None else ("✓" if met else "✗")
        rows.append(f"| {what} | {app} | {bare} | {ratio} | {target} | {mark} |")

    measured = asyncio.run(browser_measurements(folder, repeat, args.quick))
    app, bare = measured["tti"]
    row(
        "Team page, time to interactive",
        f"{app:.2f} s",
        f"{bare:.2f} s",
        f"{app / bare:.2f}",
        "≤ 1.15",
        app / bare <= 1.15,
    )
    app, bare = measured["tti20"]
    lost = measured["tti20_failed"]
    row(
        f"Team page, 20 opened at once (median; never interactive: app {lost[0]}, bare {lost[1]})",
        f"{app:.2f} s",
        f"{bare:.2f} s",
        f"{app / bare:.2f}",
        "≤ 1.15",
        app / bare <= 1.15 and lost[0] <= lost[1],
    )
    app, bare = measured["rss"]
    row("Kernel memory (RSS)", f"{app:.0f} MB", f"{bare:.0f} MB", f"{app / bare:.2f}", "≤ 1.2", app / bare <= 1.2)
    dashboards = measured["dashboard"]
    for teams, seconds in dashboards.items():
        ratio = seconds / dashboards[4]
        row(
            f"Dashboard until the comparison shows, {teams} teams",
            f"{seconds:.2f} s",
            "",
            f"{ratio:.2f} × 4 teams",
            "≤ 1.5 (40 teams)" if teams == 40 else "",
            ratio <= 1.5 if teams == 40 else None,
        )
    single = save_latency(folder, 1, 200)
    paced = save_latency(folder, 40, 25, pace=1.0)
    crowd = save_latency(folder, 40, 25)
    p95_1, p95_paced, p95_40 = percentile(single, 0.95), percentile(paced, 0.95), percentile(crowd, 0.95)
    row(
        "Save latency, 1 writer (p50 / p95)",
        f"{percentile(single, 0.5) * 1000:.1f} / {p95_1 * 1000:.1f} ms",
        "",
        "",
        "",
        None,
    )
    row(
        "Save latency, 40 writers at workshop pace, a tick every 0.5–1.5 s each (p50 / p95)",
        f"{percentile(paced, 0.5) * 1000:.1f} / {p95_paced * 1000:.1f} ms",
        "",
        f"{p95_paced / p95_1:.2f} × p95 of 1",
        "≤ 3",
        p95_paced / p95_1 <= 3,
    )
    row(
        "Save latency, 40 writers flat out, no pause between ticks (p50 / p95)",
        f"{percentile(crowd, 0.5) * 1000:.1f} / {p95_40 * 1000:.1f} ms",
        "",
        f"{p95_40 / p95_1:.2f} × p95 of 1",
        "≤ 3",
        p95_40 / p95_1 <= 3,
    )
    tallies = {teams: tally_seconds(teams, 3) for teams in (10, 100, 1000)}
    for teams, seconds in tallies.items():
        per_team = seconds / teams * 1000
        linear = teams == 10 or per_team <= 1.25 * tallies[10] / 10 * 1000
        row(
            f"Tally, {teams} teams × 50 motives",
            f"{seconds * 1000:.0f} ms",
            "",
            f"{per_team:.2f} ms per team",
            "at most linear" if teams > 10 else "",
            linear if teams > 10 else None,
        )
    tick = median(measured["tick"])
    row(
        "A tick until the open dashboard shows it (median)",
        f"{tick:.2f} s",
        "",
        f"max {max(measured['tick']):.2f} s",
        "≤ 1 s",
        tick <= 1,
    )

    table = "\n".join(["| measure | app | bare notebook | ratio | target | met |", "|---|---|---|---|---|---|", *rows])
    header = (
        f"Measured {datetime.now().astimezone():%Y-%m-%d %H:%M} on {machine()}.\n"
        f"Medians of {repeat} alternating runs (app, then bare) unless said otherwise; "
        f"`make bench` ({' '.join(sys.argv[1:]) or 'defaults'}).\n"
    )
    print(header)
    print(table)
    if not args.no_write:
        path = ROOT / "docs" / "benchmarks.md"
        text = path.read_text(encoding="utf-8") if path.exists() else ""
        start, end = "<!-- bench:start -->", "<!-- bench:end -->"
        block = f"{start}\n{header}\n{table}\n{end}"
        text = (
            text.split(start)[0] + block + text.split(end)[1] if start in text and end in text else text + block + "\n"
        )
        path.write_text(text, encoding="utf-8")
    shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
