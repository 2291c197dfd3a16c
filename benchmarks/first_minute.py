"""make bench: the first minute, a whole room opening its links in the same second.

10, 20 and 40 pages requested at once over HTTP from this machine (no browser sharing the two
cores; a page counts as rendered once its whole HTML has arrived, which is once its notebook has run
in its kernel), on four servers, each fresh for each burst, in the same run:

- plain Voilà (``voila``) with a one-button notebook, cold: every page starts its kernel;
- plain Voilà with its own preheated pool (``--preheat_kernel --pool_size N``), warmed before;
- ``motives serve --warm-pages 0``, each team's own link, cold;
- ``motives serve --warm-pages N``, the same links, from the app's warm pool, warmed before.

For each: the last page's HTML complete, p50 and p95; for the app's pages also until the page shows its
team, read over its websocket as its browser would (a page from the pool arrives at once and fills in
when its kernel has its request); the CPU of the server and all its kernels during the burst, the
memory (RSS) of the warm pool before the burst, and the bytes of one page's HTML.
The same bursts in Chromium, every page a device of its own (a browser context: its own cache and
cookies), each fresh server again: until each page's first control can be clicked (the worksheet's
first tick box, plain Voilà's button), the browser sharing the two cores as a room's phones do not.
Then one page at a time in Chromium, cold and warm, until the worksheet answers a tick.

The trainer's pages: the overview opened with its link at 4 and at 40 teams × 25 own motives, until
it shows every team (HTML and websocket, as above); and what a code form costs its kernel after one
wrong try, the team page's against the overview's: its memory (RSS) and its CPU.

    python benchmarks/first_minute.py [--sizes 10 20 40] [--no-write]
"""

from __future__ import annotations

import argparse
import asyncio
import concurrent.futures
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import datetime
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(1, str(Path(__file__).resolve().parent.parent / "tests"))
sys.path.insert(2, str(Path(__file__).resolve().parent.parent / "tests" / "ui"))

from many_sessions import machine, write_block
from own_motives import build
from run import (
    BARE,
    CHROMIUM_ARGS,
    Server,
    chromium,
    fill_session,
    free_port,
    join_teams,
    median,
    percentile,
    wait_until_up,
)
from server_share import commit, progress, server_cpu
from servers import KernelSocket, kernel_id_of

ROOT = Path(__file__).resolve().parent.parent
UNLIMITED = ("--render-burst", "1000", "--render-rate", "1000", "--pages-per-address", "1000")


class Served:
    """A server of one kind in a process group of its own: ``motives serve`` or plain ``voila``."""

    def __init__(self, folder: Path, kind: str, db: Path, size: int) -> None:
        self.kind = kind
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        folder.mkdir(parents=True, exist_ok=True)
        self.log_path = folder / f"{kind}-{self.port}.log"
        env = {**os.environ, "MOTIVES_DB": str(db), "MOTIVES_MAX_TEAMS": "1000"}
        if kind.startswith("voila"):
            notebook = folder / "button.ipynb"
            notebook.write_text(json.dumps(BARE), encoding="utf-8")
            preheat = ["--preheat_kernel=True", f"--pool_size={size}"] if kind == "voila-preheated" else []
            argv = [sys.executable, "-m", "voila", str(notebook), "--no-browser", f"--port={self.port}", *preheat]
            argv += ["--Voila.ip=127.0.0.1", "--VoilaExecutor.iopub_timeout=120"]
        else:
            warm = str(size) if kind == "app-warm" else "0"
            argv = [sys.executable, "-m", "motives", "serve", "--port", str(self.port), "--warm-pages", warm]
            argv += UNLIMITED
        with self.log_path.open("w") as log:
            self.process = subprocess.Popen(argv, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        wait_until_up(self.process, self.base, 120, f"{kind} did not start; its log: {self.log_path}")

    kernels = Server.kernels  # the live kernels under this server's process

    def warmed(self, size: int, timeout: float = 600) -> float:
        """Wait until ``size`` warm kernels have started and the machine is quiet again (their pages made,
        waiting for their request); the pool's memory (RSS, MB)."""
        deadline = time.monotonic() + timeout
        while not re.search(rf"filled with {size} kernel", self.log_path.read_text()):
            if time.monotonic() > deadline:
                sys.exit(f"{self.kind}: the pool of {size} never filled")
            time.sleep(0.5)
        quiet(deadline)
        return sum(kernel.memory_info().rss for kernel in self.kernels()) / 1e6

    def cpu(self) -> float:
        """CPU seconds of the server, its live kernels and every kernel it already reaped."""
        return server_cpu(self)

    def stop(self) -> None:
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)


def quiet(deadline: float) -> None:
    """Until the two cores are idle (below 15 % over a second), or ``deadline``."""
    while time.monotonic() < deadline and psutil.cpu_percent(interval=1.0) > 15:
        pass


def burst(server: Served, urls: list[str], shown: list[str] | None = None) -> dict[str, float]:
    """Every url requested in the same second: each page's seconds until its HTML was complete, and
    with ``shown`` (what each page shows once it is there: its team's name) until its widgets show it,
    read over the page's websocket as its browser would (a page from the pool fills in after its HTML)."""
    before = server.cpu()
    started = time.perf_counter()

    def fetch(n: int) -> tuple[float, float, int]:
        with urllib.request.urlopen(urls[n], timeout=600) as response:
            html = response.read().decode()
        arrived = time.perf_counter() - started
        if shown is None:
            return arrived, arrived, len(html)
        socket = KernelSocket(server, kernel_id_of(html))
        try:
            while not any(shown[n] in str(state.get("value")) for state in socket.states().values()):
                time.sleep(0.05)
        finally:
            socket.close()
        return arrived, time.perf_counter() - started, len(html)

    with concurrent.futures.ThreadPoolExecutor(len(urls)) as pool:
        results = list(pool.map(fetch, range(len(urls))))
    times = [html for html, _shown, _size in results]
    filled = [seconds for _html, seconds, _size in results]
    return {
        "last": max(times),
        "p50": median(times),
        "p95": percentile(times, 0.95),
        "shown": max(filled),
        "shown_p50": median(filled),
        "cpu": server.cpu() - before,
        "bytes": median([size for _html, _shown, size in results]),
    }


KINDS = ("voila-cold", "voila-preheated", "app-cold", "app-warm")
NAMES = {
    "voila-cold": "plain Voilà, one-button notebook, cold",
    "voila-preheated": "plain Voilà, its preheated pool, warmed before",
    "app-cold": "the app's team page, each team's own link, cold",
    "app-warm": "the app's team page, from the warm pool, warmed before",
}


def one_burst(folder: Path, kind: str, size: int) -> dict[str, float]:
    db = folder / f"{kind}-{size}.db"
    session = fill_session(db, 0)
    links = join_teams(db, session.code, [f"Team {n}" for n in range(size)])
    server = Served(folder / "servers", kind, db, size)
    try:
        pool = server.warmed(size) if kind in ("voila-preheated", "app-warm") else 0.0
        if not pool:
            quiet(time.monotonic() + 60)
        if kind.startswith("voila"):
            result = burst(server, [f"{server.base}/?n={n}" for n in range(size)])
        else:
            result = burst(server, [server.base + link for link in links.values()], list(links))
        result |= {"pool": pool}
    finally:
        server.stop()
    progress(f"{size} pages at once, {kind}: last {result['last']:.2f} s, CPU {result['cpu']:.1f} s")
    return result


async def chromium_burst(folder: Path, kind: str, size: int) -> dict[str, float]:
    """``size`` pages opened at once in Chromium, each in a context of its own (a phone of its own):
    the seconds until each page's first control can be clicked."""
    from playwright.async_api import Error, async_playwright

    db = folder / f"chromium-{kind}-{size}.db"
    session = fill_session(db, 0)
    links = join_teams(db, session.code, [f"Team {n}" for n in range(size)])
    server = Served(folder / "servers", kind, db, size)
    try:
        if kind in ("voila-preheated", "app-warm"):
            server.warmed(size)
        else:
            quiet(time.monotonic() + 60)
        if kind.startswith("voila"):
            urls, selector = [f"{server.base}/?n={n}" for n in range(size)], "button"
        else:
            urls, selector = [server.base + link for link in links.values()], "input[type=checkbox]"
        async with async_playwright() as playwright:
            browser = await playwright.chromium.launch(executable_path=chromium(), args=CHROMIUM_ARGS)
            contexts = [await browser.new_context(viewport={"width": 390, "height": 844}) for _ in urls]
            pages = [await context.new_page() for context in contexts]
            before = server.cpu()
            started = time.perf_counter()

            async def interactive(page, url: str) -> float | None:
                try:
                    await page.goto(url, wait_until="commit", timeout=600_000)
                    control = page.locator(selector).first
                    await control.wait_for(state="visible", timeout=600_000)
                    await control.click(trial=True, timeout=120_000)
                    return time.perf_counter() - started
                except Error:
                    return None

            times = await asyncio.gather(*(interactive(page, url) for page, url in zip(pages, urls, strict=True)))
            cpu = server.cpu() - before
            await browser.close()
    finally:
        server.stop()
    ready = [t for t in times if t is not None]
    result = {"last": max(ready, default=float("nan")), "p50": median(ready), "p95": percentile(ready, 0.95)}
    result |= {"failed": len(times) - len(ready), "cpu": cpu}
    progress(f"{size} pages at once in Chromium, {kind}: last {result['last']:.2f} s, {result['failed']} never ready")
    return result


def overview_opened(folder: Path, teams: int, own: int = 25, runs: int = 3) -> dict[str, float]:
    """The overview opened by its link (session and trainer key), ``runs`` times on one server: seconds
    until it shows every team (its HTML, then its widgets over the websocket) and CPU (server and kernel)."""
    from motives.store import Store

    db = folder / f"overview-{teams}.db"
    code = build(db, own, teams=teams)
    store = Store(str(db))
    key = store.session(code).trainer_key
    store.close()
    server = Served(folder / "servers", "app-cold", db, 0)
    url = f"{server.base}/voila/render/dashboard.ipynb?session={code}&key={key}"
    last = f"Team {teams}<"  # the progress line lists every team, the last one joined last
    seconds, cpu = [], []
    try:
        for _ in range(runs):
            quiet(time.monotonic() + 60)
            before, started = server.cpu(), time.perf_counter()
            with urllib.request.urlopen(url, timeout=600) as response:
                html = response.read().decode()
            socket = KernelSocket(server, kernel_id_of(html))
            try:
                while not any(last in str(state.get("value")) for state in socket.states().values()):
                    time.sleep(0.05)
            finally:
                socket.close()
            seconds.append(time.perf_counter() - started)
            cpu.append(server.cpu() - before)
    finally:
        server.stop()
    progress(f"the overview at {teams} teams × {own}: {median(seconds):.2f} s, CPU {median(cpu):.2f} s")
    return {"seconds": median(seconds), "cpu": median(cpu)}


def _model(states: dict[str, dict], **wanted: object) -> str:
    """The id of the widget whose state has every ``wanted`` value."""
    return next(model for model, state in states.items() if all(state.get(k) == v for k, v in wanted.items()))


def code_forms(folder: Path) -> dict[str, dict[str, float]]:
    """The team page's code form and the overview's, each after one wrong try over its websocket (as its
    browser sends it): the memory (RSS, MB) and the CPU seconds of its kernel, median of three pages."""
    db = folder / "forms.db"
    fill_session(db, 0)
    server = Served(folder / "servers", "app-cold", db, 0)
    forms: dict[str, dict[str, float]] = {}
    try:
        for page in ("team", "dashboard"):
            memory, cpu = [], []
            for _ in range(3):
                with urllib.request.urlopen(f"{server.base}/voila/render/{page}.ipynb", timeout=600) as response:
                    kernel_id = kernel_id_of(response.read().decode())
                socket = KernelSocket(server, kernel_id)
                try:
                    states = socket.states()
                    if page == "team":
                        socket.set_value(_model(states, placeholder="ABC234"), "ZZZZZZ")  # a field sends on enter
                    else:
                        socket.set_value(_model(states, _model_name="TextModel"), "ZZZZZZ")
                        socket.set_value(_model(states, _model_name="PasswordModel"), "not-the-key")
                        button = _model(states, _model_name="ButtonModel", button_style="primary")
                        socket.send(
                            "comm_msg", {"comm_id": button, "data": {"method": "custom", "content": {"event": "click"}}}
                        )
                    deadline = time.monotonic() + 120
                    while not any("motives-error" in str(s.get("value")) for s in socket.states().values()):
                        if time.monotonic() > deadline:
                            sys.exit(f"the {page} form never said the try was wrong")
                        time.sleep(0.2)
                    (kernel,) = [k for k in server.kernels() if any(kernel_id in part for part in k.cmdline())]
                    memory.append(kernel.memory_info().rss / 1e6)
                    times = kernel.cpu_times()
                    cpu.append(times.user + times.system)
                finally:
                    socket.close()
            forms[page] = {"rss": median(memory), "cpu": median(cpu)}
    finally:
        server.stop()
    progress(f"code forms: {forms}")
    return forms


async def in_chromium(folder: Path) -> dict[str, float]:
    """One team page in Chromium, cold and from the warm pool: seconds until a tick is saved."""
    from playwright.async_api import async_playwright

    db = folder / "chromium.db"
    session = fill_session(db, 0)
    links = join_teams(db, session.code, ["Koud", "Warm", "Opwarmen"])
    seconds: dict[str, float] = {}
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=chromium(), args=CHROMIUM_ARGS)
        for kind, team in (("app-cold", "Koud"), ("app-warm", "Warm")):
            server = Served(folder / "servers", kind, db, 2)
            try:
                if kind == "app-warm":
                    server.warmed(2)
                page = await browser.new_page()
                # The browser's cache filled, as on a phone that opened the link before.
                await page.goto(server.base + links["Opwarmen"])
                await page.locator("input[type=checkbox]").first.wait_for(timeout=120_000)
                await page.close()
                quiet(time.monotonic() + 60)
                page = await browser.new_page()
                started = time.perf_counter()
                await page.goto(server.base + links[team])
                await page.locator("input[type=checkbox]").first.check(timeout=120_000)
                await page.get_by_text(re.compile("Bewaard|Saved")).first.wait_for(timeout=120_000)
                seconds[kind] = time.perf_counter() - started
                await page.close()
            finally:
                server.stop()
        await browser.close()
    return seconds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 20, 40])
    parser.add_argument("--no-write", action="store_true", help="print only; leave docs/benchmarks.md alone")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="motives-bench-first-minute-"))
    started = datetime.now().astimezone()
    results = {(kind, size): one_burst(folder, kind, size) for size in args.sizes for kind in KINDS}
    crowd = {(kind, size): asyncio.run(chromium_burst(folder, kind, size)) for size in args.sizes for kind in KINDS}
    browser = asyncio.run(in_chromium(folder))
    overview = {teams: overview_opened(folder, teams) for teams in (4, 40)}
    forms = code_forms(folder)
    lines = [
        f"Measured {started:%Y-%m-%d %H:%M} on {machine()}; {commit()}; `python benchmarks/first_minute.py`.",
        "",
        "| pages at once | server | last page's HTML | p50 | p95 | last page showing its team (p50) "
        "| CPU, all | CPU per page | warm pool | HTML |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for size in args.sizes:
        for kind in KINDS:
            r = results[kind, size]
            pool = f"{r['pool']:.0f} MB" if r["pool"] else ""
            lines.append(
                f"| {size} | {NAMES[kind]} | {r['last']:.2f} s | {r['p50']:.2f} s | {r['p95']:.2f} s "
                f"| {r['shown']:.2f} s ({r['shown_p50']:.2f} s) | {r['cpu']:.1f} s | {r['cpu'] / size:.2f} s "
                f"| {pool} | {r['bytes'] / 1000:.0f} kB |"
            )
    lines += ["", "| at the largest size | ratio | target | met |", "|---|---|---|---|"]
    big = max(args.sizes)
    warm, cold = results["app-warm", big], results["voila-cold", big]
    preheated = results["voila-preheated", big]
    for what, ratio, target in (
        (f"the app's {big}th page from the pool / plain Voilà cold", warm["last"] / cold["last"], 0.5),
        (f"the app's {big}th page from the pool / plain Voilà preheated", warm["last"] / preheated["last"], 1.2),
        ("… showing its team / plain Voilà cold", warm["shown"] / cold["last"], 0.5),
        ("… showing its team / plain Voilà preheated", warm["shown"] / preheated["last"], 1.2),
        ("CPU per page, cold: the app's team page / plain Voilà's", results["app-cold", big]["cpu"] / cold["cpu"], 1.1),
        ("memory of a warm kernel, its page made: the app's / plain Voilà's", warm["pool"] / preheated["pool"], 1.1),
    ):
        lines.append(f"| {what} | {ratio:.2f} | ≤ {target} | {'✓' if ratio <= target else '✗'} |")
    lines += [
        "",
        "| pages at once in Chromium, each a device of its own | server | last page ready to tap | p50 | p95 "
        "| never ready | CPU of the server |",
        "|---|---|---|---|---|---|---|",
    ]
    for size in args.sizes:
        for kind in KINDS:
            r = crowd[kind, size]
            lines.append(
                f"| {size} | {NAMES[kind]} | {r['last']:.2f} s | {r['p50']:.2f} s | {r['p95']:.2f} s "
                f"| {r['failed']} | {r['cpu']:.1f} s |"
            )
    small, large = overview[4], overview[40]
    team_form, overview_form = forms["team"], forms["dashboard"]
    lines += [
        "",
        "| the trainer's pages | measured | against | ratio | target | met |",
        "|---|---|---|---|---|---|",
        f"| the overview opened at 40 teams × 25 own motives, until it shows every team "
        f"| {large['seconds']:.2f} s (CPU {large['cpu']:.2f} s) | 4 teams × 25: {small['seconds']:.2f} s "
        f"(CPU {small['cpu']:.2f} s) | {large['seconds'] / small['seconds']:.2f} | ≤ 1.5 "
        f"| {'✓' if large['seconds'] <= 1.5 * small['seconds'] else '✗'} |",
        f"| the overview's code form after a wrong key: its kernel's memory | {overview_form['rss']:.0f} MB "
        f"| the team page's code form after a wrong code: {team_form['rss']:.0f} MB "
        f"| {overview_form['rss'] / team_form['rss']:.2f} | ≤ 1.02 (one page's noise) "
        f"| {'✓' if overview_form['rss'] <= team_form['rss'] * 1.02 else '✗'} |",
        f"| … its kernel's CPU | {overview_form['cpu']:.2f} s | {team_form['cpu']:.2f} s "
        f"| {overview_form['cpu'] / team_form['cpu']:.2f} | ≤ 1.05 (one page's noise) "
        f"| {'✓' if overview_form['cpu'] <= team_form['cpu'] * 1.05 else '✗'} |",
    ]
    lines += [
        "",
        "| one team page in Chromium, until a tick is saved | seconds |",
        "|---|---|",
        *(f"| {NAMES[kind]} | {seconds:.2f} s |" for kind, seconds in browser.items()),
    ]
    text = "\n".join(lines)
    print(text)
    if not args.no_write:
        write_block(ROOT / "docs" / "benchmarks.md", "first-minute", text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
