"""The trainer's reflection notebook (notebooks/reflect.ipynb) on a store of 1,000 sessions.

Fills a store of 1,000 sessions × 20 teams through the store's bulk path: each
team ticks about half of the worksheet and writes up to three own motives of
8–20 Dutch words (some near-copies of another team's, as in own_motives.py).
Then runs every cell of the notebook as JupyterLab's "Run all" would (nbclient,
a fresh kernel) and reports the time in all, kernel start included, and per cell.

    python benchmarks/reflect_notebook.py [--sessions 1000] [--teams 20] [--no-write]
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import random
import shutil
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import nbformat  # noqa: E402
from many_sessions import archive_of, code_of, machine, write_block  # noqa: E402
from nbclient import NotebookClient  # noqa: E402
from own_motives import motive_text, perturb  # noqa: E402

from motives.models import ArchivedOwnMotive  # noqa: E402
from motives.store import Store  # noqa: E402

TARGET = 10.0  # seconds, issue 15: the whole notebook on 1,000 sessions


def fill(url: str, sessions: int, teams: int) -> float:
    store = Store(url)
    rng = random.Random(15)
    started = time.perf_counter()
    for number in range(sessions):
        archive = archive_of(number, teams, rng)
        written: list[tuple[str, str]] = []
        with_own = []
        for t, team in enumerate(archive.teams):
            own = []
            for k in range(rng.randrange(4)):
                side = rng.choice(["for", "against"])
                copy = written and rng.random() < 0.3
                text = perturb(rng.choice(written)[1], rng) if copy else motive_text(rng, side)
                side = rng.choice(written)[0] if copy else side
                written.append((side, text))
                own.append(
                    ArchivedOwnMotive(
                        number * 1000 + t * 4 + k, side, text, rng.randint(1, 5), team.joined_at, team.joined_at
                    )
                )
            with_own.append(dataclasses.replace(team, own=tuple(own)))
        archive = dataclasses.replace(archive, teams=tuple(with_own))
        store.restore_session(archive, code_of(number))
    store.close()
    return time.perf_counter() - started


def run_notebook(db: Path, output: Path) -> tuple[float, list[tuple[float, str]], int]:
    notebook = nbformat.read(ROOT / "notebooks" / "reflect.ipynb", as_version=4)
    os.environ["MOTIVES_DB"] = str(db)
    os.environ["MOTIVES_OUTPUT"] = str(output)
    started = time.perf_counter()
    client = NotebookClient(notebook, timeout=600, kernel_name="python3", resources={"metadata": {"path": "notebooks"}})
    client.execute()
    total = time.perf_counter() - started
    cells = []
    errors = 0
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        errors += sum(o.get("output_type") == "error" for o in cell.get("outputs", []))
        timing = cell.metadata.get("execution", {})
        began, ended = timing.get("iopub.execute_input"), timing.get("shell.execute_reply")
        if began and ended:
            seconds = (datetime.fromisoformat(ended) - datetime.fromisoformat(began)).total_seconds()
            cells.append((seconds, cell.source.splitlines()[0]))
    return total, cells, errors


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=1000)
    parser.add_argument("--teams", type=int, default=20)
    parser.add_argument("--no-write", action="store_true", help="print only; leave docs/benchmarks.md alone")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="motives-reflect-"))
    try:
        db = folder / "reflect.db"
        filled = fill(f"sqlite:///{db}", args.sessions, args.teams)
        print(f"filled {args.sessions} sessions × {args.teams} teams in {filled:.0f} s", flush=True)
        runs = [run_notebook(db, folder) for _ in range(3)]
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    total, cells, errors = sorted(runs)[1]  # the median run
    verdict = "meets" if total < TARGET and errors == 0 else "MISSES"
    lines = [
        f"Measured {datetime.now():%Y-%m-%d} on {machine()}; load average {os.getloadavg()[0]:.1f}.",
        "",
        f"`reflect.ipynb`, every cell, on {args.sessions:,} sessions × {args.teams} teams "
        f"(median of 3 runs, kernel start included): **{total:.1f} s**, {errors} errors; "
        f"target under {TARGET:.0f} s: {verdict}. The three runs: {', '.join(f'{r[0]:.1f}' for r in runs)} s.",
        "",
        "| cell starts with | seconds |",
        "|---|---:|",
        *[f"| `{source[:60]}` | {seconds:.2f} |" for seconds, source in cells],
    ]
    print("\n".join(lines))
    if not args.no_write:
        write_block(ROOT / "docs" / "benchmarks.md", "reflect", "\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
