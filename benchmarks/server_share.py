"""make bench: what one opened page costs the server itself, team page against a bare notebook.

Twenty Chromium pages on the same two cores measure mostly the browsers; here the server's
own share is counted: the CPU time of `motives serve` and of every kernel it started
(also those that ended, through the server's reaped children), per page.

- one page at a time in Chromium (the real path: HTML, websocket, every widget model);
- twenty pages at once over plain HTTP, no browser (the notebook runs, no websocket);

    python benchmarks/server_share.py [--pages 10]
"""

from __future__ import annotations

import argparse
import asyncio
import concurrent.futures
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent))

from run import CHROMIUM_ARGS, Server, chromium, fill_session, join_teams, median, time_to_interactive

# The bench opens many pages from one address on purpose: lift the per-address limits.
UNLIMITED = ("--render-burst", "1000", "--render-rate", "1000")


def server_cpu(server: Server) -> float:
    """CPU seconds of the server, its live kernels and every kernel it already reaped."""
    total = 0.0
    try:
        parent = psutil.Process(server.process.pid)
        times = parent.cpu_times()
        total += times.user + times.system + times.children_user + times.children_system
        for child in parent.children(recursive=True):
            try:
                t = child.cpu_times()
                total += t.user + t.system
            except psutil.Error:
                pass
    except psutil.Error:
        pass
    return total


async def per_page_in_browser(server: Server, urls: dict[str, str], pages: int) -> dict[str, float]:
    """Median server CPU per page opened in Chromium until interactive, and settled for a second."""
    from playwright.async_api import async_playwright

    costs: dict[str, list[float]] = {kind: [] for kind in urls}
    selectors = {"team": "input[type=checkbox]", "bare": ".jupyter-button"}
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=chromium(), args=CHROMIUM_ARGS)
        await time_to_interactive(browser, urls["bare"].format(n=0), selectors["bare"])  # warm up
        await asyncio.sleep(2)
        for n in range(pages):
            for kind, url in urls.items():
                before = server_cpu(server)
                await time_to_interactive(browser, url.format(n=n), selectors[kind])
                await asyncio.sleep(1.5)  # the kernel's last messages, the server's bookkeeping
                costs[kind].append(server_cpu(server) - before)
        await browser.close()
    return {kind: median(values) for kind, values in costs.items()}


def twenty_over_http(server: Server, url: str) -> tuple[float, float]:
    """Twenty GETs at once, as a room joining: seconds until the last page's HTML is complete, server CPU."""
    before = server_cpu(server)
    started = time.perf_counter()

    def fetch(n: int) -> int:
        with urllib.request.urlopen(url.format(n=n), timeout=300) as response:
            return len(response.read())

    with concurrent.futures.ThreadPoolExecutor(20) as pool:
        sizes = list(pool.map(fetch, range(20)))
    seconds = time.perf_counter() - started
    assert all(sizes), "a page came back empty"
    time.sleep(2)
    return seconds, server_cpu(server) - before


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=10)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="motives-bench-share-"))
    db = folder / "share.db"
    session = fill_session(db, 0)
    join_teams(
        db,
        session.code,
        [f"Een{n}" for n in range(args.pages)] + [f"Http{r}-{n}" for r in range(2) for n in range(20)],
    )
    server = Server(folder / "serve", db, *UNLIMITED)
    try:
        team = f"{server.base}/voila/render/team.ipynb?session={session.code}&team=Een{{n}}"
        bare = f"{server.base}/voila/render/bare.ipynb?n={{n}}"
        cpu = asyncio.run(per_page_in_browser(server, {"team": team, "bare": bare}, args.pages))
        time.sleep(5)
        http = {}
        for kind, url in (
            ("team", f"{server.base}/voila/render/team.ipynb?session={session.code}&team=Http0-{{n}}"),
            ("bare", f"{server.base}/voila/render/bare.ipynb?n={{n}}"),
        ):
            http[kind] = twenty_over_http(server, url)
            time.sleep(10)
    finally:
        server.stop()
    rows = [
        (
            "server CPU per page opened in Chromium (s)",
            cpu["team"],
            cpu["bare"],
            cpu["team"] / cpu["bare"],
            "≤ 1.25",
        ),
        ("20 pages at once over HTTP: until the last (s)", http["team"][0], http["bare"][0], None, ""),
        (
            "20 pages at once over HTTP: server CPU (s)",
            http["team"][1],
            http["bare"][1],
            http["team"][1] / http["bare"][1],
            "",
        ),
    ]
    lines = ["| what | team page | bare | ratio | target |", "| --- | --- | --- | --- | --- |"]
    for what, app, bare_value, ratio, target in rows:
        shown = f"{ratio:.2f}" if ratio is not None else ""
        lines.append(f"| {what} | {app:.2f} | {bare_value:.2f} | {shown} | {target} |")
    print(f"\nServer's share, {args.pages} pages each, {time.strftime('%Y-%m-%d %H:%M')}\n")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
