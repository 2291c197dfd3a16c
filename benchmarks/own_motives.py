"""Own motives at scale: the tally, the CSV export and the dashboard with many texts teams wrote themselves.

Builds real SQLite sessions through the store (teams join, tick about half of
the worksheet, add their own motives) with 40 teams × 0, 1, 10 and 25 own
motives of 8–20 Dutch words, some of them near-copies of another team's motive
(a typo, capitals, a word dropped), and one session where a single team added
400 long motives. Everything is generated from a fixed seed.

Each in-process figure is taken in a fresh worker process (``--worker``), so
that no cache warmed by an earlier measurement flatters it: a trainer's kernel
opens the dashboard cold, and ``motives export`` always starts cold. Every figure
comes as wall time and CPU time: on a shared machine the CPU time is the one to
compare between runs.

    python benchmarks/own_motives.py [--sizes 0,1,10,25] [--no-long] [--no-write]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
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

from many_sessions import machine, write_block  # noqa: E402

from motives.catalogue import default_catalogue  # noqa: E402
from motives.store import Store  # noqa: E402

TEAMS = 40
TABS = ["To talk about", "Comparison", "Balance", "Own motives", "Who thinks alike"]  # the first five tabs, in order
SLOW = 10.0  # seconds: a measurement this slow is taken once, not three times

OPENINGS = [
    "We willen",
    "Wij vinden dat we",
    "Ons team wil",
    "Het lijkt ons nodig om",
    "Volgens ons moeten we",
    "Als organisatie moeten we",
    "De collega's vragen om",
    "Eigenlijk zouden we",
]
CORES = {
    "for": [
        "duidelijke afspraken maken over wat we over cliënten posten",
        "jongeren bereiken op de plekken waar ze al online zijn",
        "onze vrijwilligers beter beschermen tegen haatberichten",
        "één lijn trekken als een ouder ons op Facebook aanspreekt",
        "de privacy van bewoners bewaken bij foto's van activiteiten",
        "het werk van de buurtwerkers zichtbaar maken voor de gemeente",
        "snel kunnen reageren als er een crisis online ontstaat",
        "nieuwe medewerkers uitleggen hoe ze met WhatsApp-groepen omgaan",
        "weten wie er namens de organisatie mag spreken",
        "voorkomen dat persoonlijke en professionele accounts door elkaar lopen",
        "een draaiboek hebben voor klachten die via sociale media binnenkomen",
        "ouders informeren over onze werking zonder hun kinderen in beeld te brengen",
    ],
    "against": [
        "geen tijd steken in een beleid dat niemand leest",
        "de spontaniteit van onze jongerenwerkers niet afremmen",
        "eerst de bestaande deontologische code laten werken",
        "niet nog een document maken naast het privacyreglement",
        "de begeleiders vertrouwen in plaats van alles vast te leggen",
        "geen regels opleggen die over een jaar alweer verouderd zijn",
        "onze kleine vzw niet belasten met extra administratie",
        "de discussie laten bij de teams en niet bij de directie",
    ],
}
REASONS = [
    "omdat het nu bij elk team anders loopt",
    "zodat iedereen weet waar hij aan toe is",
    "want vorig jaar ging het mis met een filmpje",
    "omdat de subsidiegever ernaar vraagt",
    "zodat cliënten ons blijven vertrouwen",
    "want daar hebben we de mensen niet voor",
    "omdat het te veel tijd kost",
    "",
]


def perturb(text: str, rng: random.Random) -> str:
    """Another team's way of writing the same motive: a typo, capitals, a word dropped or punctuation."""
    words = text.split()
    kind = rng.randrange(4)
    if kind == 0:
        i = rng.randrange(len(words))
        w = words[i]
        if len(w) > 3:
            j = rng.randrange(1, len(w) - 1)
            words[i] = w[:j] + w[j + 1] + w[j] + w[j + 2 :]
    elif kind == 1:
        words = [w.upper() if rng.random() < 0.2 else w.lower() for w in words]
    elif kind == 2 and len(words) > 8:
        del words[rng.randrange(1, len(words))]
    else:
        return text.rstrip(".!") + rng.choice(["!", ".", " !!", "…"])
    return " ".join(words)


def motive_text(rng: random.Random, side: str) -> str:
    words = f"{rng.choice(OPENINGS)} {rng.choice(CORES[side])} {rng.choice(REASONS)}".split()
    return " ".join(words[:20]) + rng.choice(["", ".", "!"])


def long_text(rng: random.Random, number: int) -> str:
    parts = [f"Punt {number}:"]
    while len(" ".join(parts)) < 360:
        side = rng.choice(["for", "against"])
        parts.append(f"{rng.choice(OPENINGS).lower()} {rng.choice(CORES[side])} {rng.choice(REASONS)};")
    return " ".join(parts)[:480]


def build(path: Path, own_per_team: int, *, long: int = 0, teams: int = TEAMS) -> str:
    """A session of ``teams`` teams with ``own_per_team`` own motives each (or one team with ``long`` long ones)."""
    rng = random.Random(own_per_team * 1000 + long)
    # One team with 400 long motives is past a page's limit (100, MOTIVES_MAX_OWN) on purpose: it measures
    # what the tally does with them, as an imported archive or a raised limit could bring.
    store = Store(str(path), max_own=max(long, own_per_team) + 1)
    catalogue = default_catalogue()
    session = store.create_session(f"Eigen motieven {own_per_team}", catalogue, "nl")
    written: list[tuple[str, str]] = []
    for t in range(teams):
        team = store.join(session, f"Team {t + 1}")
        for motive in catalogue.motives:
            if rng.random() < 0.5:
                store.set_answer(team, motive.id, True, rng.randint(1, 5))
        for _ in range(own_per_team):
            if written and rng.random() < 0.3:
                side, text = rng.choice(written)
                text = perturb(text, rng)
            else:
                side = rng.choice(["for", "against"])
                text = motive_text(rng, side)
            written.append((side, text))
            store.add_own_motive(team, side, text, rng.randint(1, 5))
        if long and t == 0:
            for n in range(long):
                store.add_own_motive(team, rng.choice(["for", "against"]), long_text(rng, n + 1), 3)
    code = session.code
    store.close()
    return code


# --- the workers: one measurement each, in a fresh process -----------------------


def work(kind: str, db: str, code: str) -> dict[str, float]:
    from motives import tally

    store = Store(db)
    session = store.session(code)
    if kind == "tally":
        records = store.records(session)
        started, cpu = time.perf_counter(), time.process_time()
        answers = tally.answers_frame(records)
        tally.comparison(answers)
        return {"seconds": time.perf_counter() - started, "cpu": time.process_time() - cpu}
    from motives.widgets.dashboard import Dashboard

    started, cpu = time.perf_counter(), time.process_time()
    dashboard = Dashboard(store, session)
    opened, opened_cpu = time.perf_counter() - started, time.process_time() - cpu
    if kind == "open":
        return {"seconds": opened, "cpu": opened_cpu}
    # "ticks@N": with tab N on screen (a change redraws the tab on screen; the others wait until opened)
    dashboard.tabs.selected_index = int(kind.partition("@")[2] or 0)
    rng = random.Random(7)
    teams = [store.find_team(session, team.name) for team in store.records(session).teams]
    ticks, own = [], []
    for n in range(5):
        team = teams[n]
        # A tick that changes what the dashboard shows, whatever an earlier worker left on this team.
        before = store.team_answers(team).answers.get("for-prevention")
        started, cpu = time.perf_counter(), time.process_time()
        store.set_answer(team, "for-prevention", not (before and before.applies), 4)
        dashboard.poll()
        ticks.append((time.perf_counter() - started, time.process_time() - cpu))
        started, cpu = time.perf_counter(), time.process_time()
        store.add_own_motive(team, "for", motive_text(rng, "for"), 3)
        dashboard.poll()
        own.append((time.perf_counter() - started, time.process_time() - cpu))
    return {
        "tick": statistics.median(t for t, _ in ticks),
        "tick_cpu": statistics.median(c for _, c in ticks),
        "own": statistics.median(t for t, _ in own),
        "own_cpu": statistics.median(c for _, c in own),
    }


def worker(kind: str, db: str, code: str) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, __file__, "--worker", kind, db, code], capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def repeated(measure, slow: float = SLOW) -> str:
    """Wall and CPU seconds, median of three runs, or of one when the first is slower than ``slow`` seconds."""
    runs = [measure()]
    if runs[0]["seconds"] < slow:
        runs += [measure(), measure()]
    wall = statistics.median(r["seconds"] for r in runs)
    cpu = statistics.median(r["cpu"] for r in runs)
    return f"{wall:.2f} s | {cpu:.2f} s | {len(runs)}"


def export_seconds(db: str, code: str) -> dict[str, float]:
    env = {**os.environ, "MOTIVES_DB": db}
    motives = str(Path(sys.executable).parent / "motives")
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run([motives, "export", code, "--format", "csv"], env=env, check=True, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    return {"seconds": wall, "cpu": cpu}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="0,1,10,25", help="own motives per team, comma-separated")
    parser.add_argument("--no-long", action="store_true", help="leave out the one team with 400 long motives")
    parser.add_argument("--label", default="", help="what was measured (say, the branch)")
    parser.add_argument("--no-write", action="store_true", help="print only; leave docs/benchmarks.md alone")
    parser.add_argument("--worker", nargs=3, metavar=("KIND", "DB", "CODE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(work(*args.worker)))
        return 0
    folder = Path(tempfile.mkdtemp(prefix="motives-own-"))
    cases = [(f"{TEAMS} teams × {n} own motives", n, 0) for n in map(int, args.sizes.split(","))]
    if not args.no_long:
        cases.append((f"{TEAMS} teams, one of them with 400 long motives", 0, 400))
    rows = []
    for label, n, long in cases:
        db = str(folder / f"own-{n}-{long}.db")
        code = build(Path(db), n, long=long)
        export = repeated(lambda db=db, code=code: export_seconds(db, code))
        rows.append(f"| {label}: `motives export --format csv` (with start-up) | {export} |")
        print(rows[-1], flush=True)
        if long:
            continue
        tally = repeated(lambda db=db, code=code: worker("tally", db, code))
        rows.append(f"| {label}: tally (`answers_frame` + `comparison`), cold | {tally} |")
        print(rows[-1], flush=True)
        if n in (0, 10):
            opened = repeated(lambda db=db, code=code: worker("open", db, code))
            rows.append(f"| {label}: open the dashboard (construct `Dashboard`) | {opened} |")
            print(rows[-1], flush=True)
        if n == 0:
            continue
        # The tab on screen is the one redrawn: the first (To talk about) at every size, all four at the largest.
        tabs = TABS if n == max(map(int, args.sizes.split(","))) else TABS[:1]
        for number, tab in enumerate(tabs):
            figures = worker(f"ticks@{number}", db, code)
            for key, what in (("tick", "a tick"), ("own", "a new own motive")):
                rows.append(
                    f"| {label}: {what} until the dashboard is redrawn, {tab} on screen | {figures[key]:.2f} s | "
                    f"{figures[key + '_cpu']:.2f} s | 5 |"
                )
            print("\n".join(rows[-2:]), flush=True)
    shutil.rmtree(folder, ignore_errors=True)
    label = f" ({args.label})" if args.label else ""
    header = (
        f"Measured {datetime.now().astimezone():%Y-%m-%d %H:%M}{label} on {machine()}; each in-process figure "
        "in a fresh worker process; median of 3 runs, one run when it took over 10 s, 5 for the dashboard's "
        "redraws (`make bench`).\n"
    )
    table = "\n".join(["| measure | wall | CPU | runs |", "|---|---|---|---|", *rows])
    print(header)
    print(table)
    if not args.no_write:
        write_block(ROOT / "docs" / "benchmarks.md", "own", f"{header}\n{table}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
