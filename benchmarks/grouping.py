"""The grouping of own motives by meaning: how right it is on labelled sets, and what it costs.

Quality: pair precision and recall (motives/labelled.py) on every labelled set in
tests/data (own-motives-*.csv), per language, for the grouping as it is and for
the grouping before it (a typo, capitals, accents or a small word only: the
same code with the comparison by meaning switched off), in the same run.

Cost: the group keys of 40 teams × 25 own Dutch motives (benchmarks/own_motives.py's
texts: 8–20 words, some near-copies of another team's), once from nothing (the
overview opening), for one motive added after them (a tick on a team page while
the overview is open), and for the first motive edited (or merged by the trainer:
every later motive is grouped again), both ways. Medians of 5, wall and CPU time.

    python benchmarks/grouping.py [--labelled FILE ...] [--no-write]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from many_sessions import machine, write_block  # noqa: E402
from own_motives import TEAMS, motive_text, perturb  # noqa: E402

from motives import grouping  # noqa: E402
from motives.catalogue import default_catalogue  # noqa: E402
from motives.grouping import Grouper, OwnText  # noqa: E402
from motives.labelled import pair_scores, read_labelled  # noqa: E402

LANGUAGES = ("nl", "fr", "en")
OWN_PER_TEAM = 25


@contextmanager
def before() -> Iterator[None]:
    """The grouping as it was before the comparison by meaning: only the texts' spelling."""
    first = grouping._Meanings.first
    grouping._Meanings.first = lambda self, reading, same=None: None  # type: ignore[method-assign]
    try:
        yield
    finally:
        grouping._Meanings.first = first  # type: ignore[method-assign]


def quality(paths: list[Path]) -> list[str]:
    rows = ["| labelled set | language | pairs together | before: precision / recall | now: precision / recall |"]
    rows.append("|---|---|---|---|---|")
    for path in paths:
        labelled = read_labelled(path)
        for language in LANGUAGES:
            if not any(row.language == language for row in labelled):
                continue
            with before():
                old = pair_scores(labelled, language)
            new = pair_scores(labelled, language)
            should = new.together + new.wrongly_apart
            rows.append(
                f"| {path.name} | {language} | {should} | {old.precision:.2f} / {old.recall:.2f} "
                f"| {new.precision:.2f} / {new.recall:.2f} |"
            )
    return rows


def own_texts() -> list[OwnText]:
    rng = random.Random(25)
    written: list[OwnText] = []
    for _ in range(TEAMS * OWN_PER_TEAM):
        if written and rng.random() < 0.3:
            other = rng.choice(written)
            written.append(OwnText(len(written) + 1, other.side, perturb(other.text, rng)))
        else:
            side = rng.choice(["for", "against"])
            written.append(OwnText(len(written) + 1, side, motive_text(rng, side)))
    return written


def timed(work: Callable[[], object], times: int = 5) -> tuple[float, float]:
    walls, cpus = [], []
    for _ in range(times):
        started, cpu = time.perf_counter(), time.process_time()
        work()
        walls.append(time.perf_counter() - started)
        cpus.append(time.process_time() - cpu)
    return statistics.median(walls), statistics.median(cpus)


def cost() -> list[str]:
    texts = own_texts()
    catalogue = default_catalogue()
    rows = ["| 40 teams × 25 own motives | before: wall / CPU | now: wall / CPU | groups before / now |"]
    rows.append("|---|---|---|---|")
    figures: dict[str, list[str]] = {"open": [], "add": [], "edit": []}
    groups = []
    for mode in ("before", "now"):
        context = before() if mode == "before" else _nothing()
        with context:
            opened = timed(lambda: Grouper(catalogue, "nl").keys(texts, {}))
            grouper = Grouper(catalogue, "nl")
            keys = grouper.keys(texts[:-1], {})

            def add_one(grouper: Grouper = grouper) -> None:
                grouper.keys(texts, {})
                grouper.keys(texts[:-1], {})  # back to where it was, so that each run adds the same motive

            added = timed(add_one)
            edited_texts = [OwnText(1, texts[0].side, texts[0].text + " (bewerkt)"), *texts[1:]]

            def edit_first(grouper: Grouper = grouper, edited_texts: list[OwnText] = edited_texts) -> None:
                grouper.keys(edited_texts, {})  # every motive after the first is grouped again
                grouper.keys(texts, {})

            grouper.keys(texts, {})
            edited = timed(edit_first)
            keys = grouper.keys(texts, {})
            groups.append(str(len(set(keys.values()))))
        figures["open"].append(f"{opened[0] * 1000:.0f} / {opened[1] * 1000:.0f} ms")
        figures["add"].append(f"{added[0] * 1000:.1f} / {added[1] * 1000:.1f} ms")
        figures["edit"].append(f"{edited[0] * 1000:.0f} / {edited[1] * 1000:.0f} ms")
    rows.append(
        f"| all 1,000 grouped from nothing (the overview opens) | {' | '.join(figures['open'])} "
        f"| {' / '.join(groups)} |"
    )
    rows.append(f"| one added, then taken away again (a tick on a team page) | {' | '.join(figures['add'])} | |")
    rows.append(
        f"| the first edited and edited back (all later ones grouped again, twice) | {' | '.join(figures['edit'])} | |"
    )
    return rows


@contextmanager
def _nothing() -> Iterator[None]:
    yield


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--labelled", type=Path, nargs="*", help="labelled sets (CSV: language,side,group,text)")
    parser.add_argument("--no-write", action="store_true", help="print only; leave docs/benchmarks.md alone")
    args = parser.parse_args()
    paths = args.labelled or sorted((ROOT / "tests" / "data").glob("own-motives-*.csv"))
    header = f"Measured {datetime.now():%Y-%m-%d %H:%M} on {machine()}; `python benchmarks/grouping.py`."
    table = "\n".join([*quality(paths), "", *cost()])
    print(header, table, sep="\n")
    if not args.no_write and not args.labelled:
        write_block(ROOT / "docs" / "benchmarks.md", "grouping", f"{header}\n\n{table}")


if __name__ == "__main__":
    main()
