"""How many PostgreSQL connections N open team pages use, and whether every one of them saves.

Each page is a process that does what a team page's kernel does with the store: open it, join as a
team (all pages at once, as a room joins), save a tick now and then, poll the session every second
(as the page follows the trainer's lock, reveal and timer), and stay open until the end. A sampler
counts the cluster's client connections (``pg_stat_activity``) every 20 ms.

    python benchmarks/connections.py [--pages 80] [--max-connections 50] [--code PATH] [--pgbouncer]
                                     [--service N]

``--service N`` has the pages reach the store as a team page does under ``motives serve``: through the
server's store service (motives.service), which keeps N connections for all of them.
``--code PATH`` runs another checkout's ``motives`` (``git worktree add /tmp/before COMMIT``: the
figures before a change). ``--pgbouncer`` puts Debian's PgBouncer (transaction pooling, 20 server
connections) between the pages and the cluster.
"""

from __future__ import annotations

import argparse
import contextlib
import multiprocessing
import shutil
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

import pgcluster  # noqa: E402

TICKS = 5
HOLD_SECONDS = 4.0  # the page stays open this long after its last tick (polling)


def page(args: tuple[str, str, str, int, object, tuple[str, str] | None]) -> tuple[int, list[str], list[float]]:
    """One team page's work with the store: (saves that succeeded, errors, save latencies in s)."""
    code_path, url, code, number, barrier, service = args
    sys.path.insert(0, code_path)

    errors: list[str] = []
    latencies: list[float] = []
    saved = 0
    barrier.wait()
    try:
        if service:  # as a team page's kernel under motives serve: through the server's store service
            from motives.remote import RemoteStore

            store = RemoteStore(*service)
        else:
            from motives.store import Store

            store = Store(url)
        session = store.session(code)
        team = store.new_team(session, f"Team {number:03d}")  # as the team page joins
        motive_ids = sorted(session.catalogue.ids)
        for tick in range(TICKS):
            started = time.perf_counter()
            try:
                store.set_answer(team, motive_ids[(number + tick) % len(motive_ids)], True, 1 + tick % 5)
                saved += 1
                latencies.append(time.perf_counter() - started)
            except Exception as exc:  # counted, as a page shows it
                errors.append(f"{type(exc).__name__}: {exc}"[:160])
            store.state(session)
            time.sleep(0.5)
        until = time.monotonic() + HOLD_SECONDS
        while time.monotonic() < until:
            store.state(session)
            time.sleep(1.0)
    except Exception as exc:
        errors.append(f"{type(exc).__name__}: {exc}"[:160])
    return saved, errors, latencies


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, default=80)
    parser.add_argument("--max-connections", type=int, default=50)
    parser.add_argument("--code", default=str(ROOT), help="the checkout whose motives to run")
    parser.add_argument("--pgbouncer", action="store_true")
    parser.add_argument(
        "--service", type=int, metavar="N", help="the pages reach the store through motives serve's, with N connections"
    )
    args = parser.parse_args()
    sys.path.insert(0, args.code)
    import sqlalchemy as sa

    from motives.catalogue import default_catalogue
    from motives.store import Store

    folder = Path(tempfile.mkdtemp(prefix="motives-connections-"))  # the cluster's; pgcluster gives it to postgres
    bouncer_dir = Path(tempfile.mkdtemp(prefix="motives-pgbouncer-"))
    bouncer = None
    try:
        url = pgcluster.start(folder, max_connections=args.max_connections)
        cluster_port = int((folder / "port").read_text())
        store = Store(url)
        # Workshops of 40 teams (a session's cap), as many as the pages need.
        codes = [
            store.create_session(f"Workshop {n + 1}", default_catalogue()).code for n in range(-(-args.pages // 40))
        ]
        store.close()
        pages_url = url
        if args.pgbouncer:
            if not shutil.which("pgbouncer"):
                sys.exit("connections: pgbouncer is not installed (apt-get install -y pgbouncer)")
            bouncer, port = pgcluster.start_pgbouncer(bouncer_dir, cluster_port, pool_size=20)
            pages_url = url.replace(f":{cluster_port}/", f":{port}/")

        service, running = None, contextlib.ExitStack()
        if args.service:
            from services import store_service

            from motives.settings import Settings

            started_service = running.enter_context(
                store_service(Settings(db=pages_url, max_teams=40, store_connections=args.service))
            )
            environ = started_service.environ()
            service = (environ["MOTIVES_STORE_SERVICE"], environ["MOTIVES_STORE_TOKEN"])
        sampler = sa.create_engine(url, poolclass=sa.pool.StaticPool)
        most, stop = [0], threading.Event()

        def sample() -> None:
            # Autocommit: inside one transaction pg_stat_activity would show the same snapshot every time.
            with sampler.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                while not stop.is_set():
                    query = "SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend'"
                    most[0] = max(most[0], conn.execute(sa.text(query)).scalar() - 1)  # less the sampler's own
                    time.sleep(0.02)

        watcher = threading.Thread(target=sample, daemon=True)
        watcher.start()
        context = multiprocessing.get_context("spawn")
        barrier = context.Manager().Barrier(args.pages)
        started = time.monotonic()
        with context.Pool(args.pages) as pool:
            work = [(args.code, pages_url, codes[n // 40], n, barrier, service) for n in range(args.pages)]
            results = pool.map(page, work)
        seconds = time.monotonic() - started
        stop.set()
        watcher.join()
        sampler.dispose()
        running.close()
    finally:
        if bouncer is not None:
            bouncer.terminate()
        pgcluster.stop(folder)
        shutil.rmtree(bouncer_dir, ignore_errors=True)

    failed = [r for r in results if r[1]]
    latencies = sorted(x for r in results for x in r[2])
    errors = sorted({e.split(":")[0] + ": " + e.split(":", 2)[-1].strip()[:90] for r in results for e in r[1]})
    print(f"code: {args.code}  pgbouncer: {args.pgbouncer}  store service: {args.service or 'no'}")
    print(
        f"{args.pages} pages, max_connections={args.max_connections}: {len(results) - len(failed)} pages saved "
        f"every tick, {len(failed)} failed; {sum(r[0] for r in results)} of {args.pages * TICKS} saves; "
        f"most connections at once: {most[0]}; {seconds:.1f} s"
    )
    if latencies:
        p95 = latencies[int(0.95 * (len(latencies) - 1))]
        print(f"save latency p50 {statistics.median(latencies) * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms")
    for error in errors[:5]:
        print(f"  {error}")


if __name__ == "__main__":
    main()
