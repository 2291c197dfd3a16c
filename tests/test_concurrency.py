"""Many teams saving at the same moment on one SQLite file: every change lands, nobody sees 'database is locked'."""

from __future__ import annotations

import multiprocessing
import time

import pytest

from motives.catalogue import default_catalogue
from motives.store import Store

PROCESSES = 40
CHANGES = 25


def one_team(args: tuple[str, str, int, multiprocessing.Barrier]) -> tuple[int, list[str]]:
    """A team on its own device: 25 changes as fast as it can, all starting together."""
    path, code, number, barrier = args
    store = Store(path)
    session = store.session(code)
    motive_ids = sorted(session.catalogue.ids)
    errors = []
    barrier.wait()
    team = store.join(session, f"Team {number}")
    done = 0
    for change in range(CHANGES):
        try:
            if change % 5 == 4:
                store.add_own_motive(team, "for", f"Eigen motief {number}-{change}", 1 + change % 5)
            else:
                store.set_answer(team, motive_ids[change % len(motive_ids)], True, 1 + (number + change) % 5)
            done += 1
        except Exception as exc:
            errors.append(f"{type(exc).__name__}: {exc}")
    store.close()
    return done, errors


@pytest.mark.slow
def test_forty_teams_saving_at_once_lose_nothing(tmp_path):
    path = str(tmp_path / "busy.db")
    store = Store(path)
    session = store.create_session("Druk", default_catalogue())
    context = multiprocessing.get_context("spawn")
    barrier = context.Manager().Barrier(PROCESSES)
    started = time.monotonic()
    with context.Pool(PROCESSES) as pool:
        results = pool.map(one_team, [(path, session.code, n, barrier) for n in range(PROCESSES)])
    seconds = time.monotonic() - started
    errors = [error for _done, errs in results for error in errs]
    assert errors == []
    assert sum(done for done, _errs in results) == PROCESSES * CHANGES
    records = store.records(session)
    motive_ids = sorted(session.catalogue.ids)
    own_per_team = sum(1 for change in range(CHANGES) if change % 5 == 4)
    answers_per_team = len({motive_ids[c % len(motive_ids)] for c in range(CHANGES) if c % 5 != 4})
    assert len(records.teams) == PROCESSES
    assert len(records.own) == PROCESSES * own_per_team
    assert len(records.answers) == PROCESSES * answers_per_team
    assert store.state(session).revision == PROCESSES * (1 + CHANGES)  # every write counted once
    print(
        f"\n{PROCESSES} processes x {CHANGES} changes: {len(records.answers)} answers, {len(records.own)} own "
        f"motives, 0 errors, in {seconds:.1f} s"
    )
