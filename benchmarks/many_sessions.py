"""One server for a whole organisation: listing, opening and exporting with 1,000 sessions and 20,000 teams.

Fills a store through the store's own bulk path (``restore_session``, one
transaction per session), then times what a trainer does, against the same
actions on a store that holds only that one session.

    python benchmarks/many_sessions.py [--sessions 1000] [--teams 20] [--postgresql URL] [--no-write]

Without ``--postgresql`` it starts a throwaway PostgreSQL cluster when PostgreSQL
is installed (tests/pgcluster.py), and says so when it is not.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

import pgcluster  # noqa: E402
from databases import create_database, drop_database  # noqa: E402

from motives import export, tally  # noqa: E402
from motives.catalogue import default_catalogue  # noqa: E402
from motives.models import CODE_ALPHABET, ArchivedAnswer, ArchivedOwnMotive, ArchivedTeam, SessionArchive  # noqa: E402
from motives.store import Store  # noqa: E402


def archive_of(number: int, teams: int, rng: random.Random) -> SessionArchive:
    catalogue = default_catalogue()
    start = datetime(2026, 1, 1, tzinfo=UTC) + timedelta(hours=number)
    return SessionArchive(
        name=f"Workshop {number}",
        language="nl",
        trainer_key=f"bench-key-{number:06d}-xxxxxxxx",
        created_at=start,
        revealed=False,
        catalogue=catalogue,
        teams=tuple(
            ArchivedTeam(
                name=f"Team {t}",
                joined_at=start,
                conclusion=rng.choice(["yes", "no", "not_yet", None]),
                explanation="Omdat het moet.",
                conclusion_updated_at=start,
                answers=tuple(
                    ArchivedAnswer(m.id, applies=True, importance=rng.randint(1, 5), updated_at=start)
                    for m in catalogue.motives
                    if rng.random() < 0.5
                ),
                own=(ArchivedOwnMotive(number * 1000 + t, "for", f"Eigen motief {t % 7}", 3, start, start),),
            )
            for t in range(teams)
        ),
        links={},
    )


def code_of(number: int) -> str:
    digits = []
    for _ in range(6):
        number, rest = divmod(number, len(CODE_ALPHABET))
        digits.append(CODE_ALPHABET[rest])
    return "".join(digits)


def fill(url: str, sessions: int, teams: int) -> tuple[float, str]:
    store = Store(url)
    rng = random.Random(1)
    started = time.perf_counter()
    for number in range(sessions):
        store.restore_session(archive_of(number, teams, rng), code_of(number))
    seconds = time.perf_counter() - started
    # As autovacuum would shortly (PostgreSQL): the planner's row counts must know the new rows.
    store.refresh_statistics()
    store.close()
    return seconds, code_of(sessions // 2)


def best(action: Callable[[], object], repeat: int = 5) -> float:
    """Median of ``repeat`` runs, in milliseconds, after one warm-up."""
    action()
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def actions(url: str, code: str) -> dict[str, float]:
    store = Store(url)
    session = store.session(code)
    timed = {
        "list all sessions": best(store.sessions),
        "open a session (find it, read its records)": best(lambda: store.records(store.session(code))),
        "open the dashboard's tally": best(lambda: tally.comparison(tally.answers_frame(store.records(session)))),
        "export CSV (answers)": best(lambda: export.session_file(store, session, "csv")),
        "export XLSX (all tables)": best(lambda: export.session_file(store, session, "xlsx")),
        "export archive (JSON)": best(lambda: export.session_file(store, session, "json")),
        "a team saves a tick": best(
            lambda: store.set_answer(store.find_team(session, "Team 1"), "for-prevention", True, 4), repeat=20
        ),
    }
    store.close()
    return timed


def measure(label: str, make_url: Callable[[str], str], sessions: int, teams: int) -> list[str]:
    small_url, big_url = make_url("small"), make_url("big")
    _, small_code = fill(small_url, 1, teams)
    filled, big_code = fill(big_url, sessions, teams)
    small, big = actions(small_url, small_code), actions(big_url, big_code)
    rows = [f"| {label}: filling {sessions:,} sessions × {teams} teams | {filled:.0f} s | | |"]
    for what in big:
        rows.append(f"| {label}: {what} | {big[what]:.1f} ms | {small[what]:.1f} ms | {big[what] / small[what]:.2f} |")
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=1000)
    parser.add_argument("--teams", type=int, default=20)
    parser.add_argument("--postgresql", help="a server URL the benchmark may create databases on")
    parser.add_argument("--no-write", action="store_true", help="print only; leave docs/benchmarks.md alone")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="motives-many-"))
    rows = measure("SQLite", lambda name: str(folder / f"{name}.db"), args.sessions, args.teams)
    cluster = None
    server = args.postgresql
    if server is None:
        cluster = Path(tempfile.mkdtemp(prefix="motives-many-pg-"))
        try:
            server = pgcluster.start(cluster)
        except RuntimeError as exc:
            print(f"PostgreSQL not measured: {exc}", file=sys.stderr)
            server = None
    if server:
        made: list[str] = []

        def database(_name: str) -> str:
            made.append(create_database(server))
            return made[-1]

        try:
            rows += measure("PostgreSQL", database, args.sessions, args.teams)
        finally:
            for url in made:
                drop_database(url)
    if cluster is not None:
        pgcluster.stop(cluster)
    shutil.rmtree(folder, ignore_errors=True)
    teams = args.sessions * args.teams
    table = "\n".join(
        [
            f"| with {args.sessions:,} sessions, {teams:,} teams | store of them all | store of one session | ratio |",
            "|---|---|---|---|",
            *rows,
        ]
    )
    header = (
        f"Measured {datetime.now().astimezone():%Y-%m-%d %H:%M} on {machine()}; medians of 5 "
        f"(20 for a save) after a warm-up, in one process (`make bench`).\n"
    )
    print(header)
    print(table)
    if not args.no_write:
        write_block(ROOT / "docs" / "benchmarks.md", "many", f"{header}\n{table}")
    return 0


def machine() -> str:
    cpu = platform.machine()
    for line in Path("/proc/cpuinfo").read_text().splitlines() if Path("/proc/cpuinfo").exists() else []:
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    return f"{cpu}, {os.cpu_count()} cores; Python {platform.python_version()}"


def write_block(path: Path, name: str, block: str) -> None:
    """Replace the text between <!-- NAME:start --> and <!-- NAME:end --> (or append it)."""
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    start, end = f"<!-- {name}:start -->", f"<!-- {name}:end -->"
    block = f"{start}\n{block}\n{end}"
    if start in text and end in text:
        text = text.split(start)[0] + block + text.split(end)[1]
    else:
        text = text.rstrip() + "\n\n" + block + "\n"
    path.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
