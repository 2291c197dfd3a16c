"""The trainer's home with many sessions: how long the page takes to draw, and to redraw after a pick.

Fills an SQLite store through the store's bulk path (as benchmarks/many_sessions.py does), then
opens the home in a fresh process for each measurement (a trainer's kernel starts cold), and
times the page's construction and a filter by name. The issue's target: 200 sessions in under 2 s.

    python benchmarks/home.py [--sessions 200] [--teams 10] [--no-write]
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT / "tests"))

from many_sessions import archive_of, code_of, machine, write_block  # noqa: E402

TARGET_SECONDS = 2.0


def fill(db: Path, sessions: int, teams: int) -> None:
    from motives.store import Store

    store = Store(db)
    rng = random.Random(7)
    for number in range(sessions):
        store.restore_session(archive_of(number, teams, rng), code_of(number))
    store.close()


def worker(db: str) -> None:
    """One cold measurement: imports, the store opened, the page drawn; then a filter."""
    started = time.perf_counter()
    from motives.request import Request
    from motives.settings import Settings
    from motives.store import Store
    from motives.widgets.home import TrainerHome

    imported = time.perf_counter()
    page = TrainerHome(Request(client="127.0.0.1"), store=Store(db), settings=Settings())
    drawn = time.perf_counter()
    page.sessions.filter.value = "Workshop 1"
    filtered = time.perf_counter()
    print(json.dumps({"import": imported - started, "draw": drawn - imported, "filter": filtered - drawn}))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=200)
    parser.add_argument("--teams", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--no-write", action="store_true")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args.worker)
        return 0
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "home.db"
        fill(db, args.sessions, args.teams)
        runs = [
            json.loads(
                subprocess.run(
                    [sys.executable, __file__, "--worker", str(db)], capture_output=True, text=True, check=True
                ).stdout
            )
            for _ in range(args.repeat)
        ]
    median = {part: statistics.median(run[part] for run in runs) for part in ("import", "draw", "filter")}
    opened = median["import"] + median["draw"]
    verdict = "meets" if opened < TARGET_SECONDS else "MISSES"
    block = "\n".join(
        [
            f"Measured {datetime.now():%Y-%m-%d %H:%M} on {machine()}; {args.sessions} sessions of {args.teams} teams,"
            f" SQLite, median of {args.repeat} cold processes.",
            "",
            "| step | seconds |",
            "|---|---:|",
            f"| imports (motives.widgets.home with pandas, the store) | {median['import']:.2f} |",
            f"| the page drawn: the sessions read, the table, a QR code, the files | {median['draw']:.2f} |",
            f"| a filter by name | {median['filter']:.3f} |",
            f"| **opened, imports included** | **{opened:.2f}** ({verdict} the {TARGET_SECONDS:.0f} s target) |",
            "",
            "In the page's kernel, once it runs: the start of a Voilà kernel (about a second here,"
            " docs/benchmarks.md above) comes on top.",
        ]
    )
    print(block)
    if not args.no_write:
        write_block(ROOT / "docs" / "benchmarks.md", "home", "## The trainer's home\n\n" + block)
    return 0


if __name__ == "__main__":
    sys.exit(main())
