"""Many teams saving at the same moment, on SQLite and on PostgreSQL: every change lands, nobody sees an error."""

from __future__ import annotations

import multiprocessing
import time

import pytest

from motives.catalogue import default_catalogue
from motives.errors import InvalidInput
from motives.store import Store

PROCESSES = 40
CHANGES = 25
BACKENDS = ("sqlite", "postgresql")


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
@pytest.mark.load
def test_forty_teams_saving_at_once_lose_nothing(database_url):
    path = database_url
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
    store.close()
    print(
        f"\n{PROCESSES} processes x {CHANGES} changes: {len(records.answers)} answers, {len(records.own)} own "
        f"motives, 0 errors, in {seconds:.1f} s"
    )


def join_at_once(args: tuple[str, str, int, multiprocessing.Barrier]) -> str:
    path, code, number, barrier = args
    store = Store(path, max_teams=5)
    session = store.session(code)
    barrier.wait()
    try:
        return store.join(session, f"Team {number}").name
    except InvalidInput as exc:
        return exc.key
    finally:
        store.close()


@pytest.mark.slow
@pytest.mark.load
def test_a_session_that_fills_up_while_twelve_teams_join_at_once_takes_exactly_its_limit(database_url):
    store = Store(database_url, max_teams=5)
    session = store.create_session("Klein", default_catalogue())
    context = multiprocessing.get_context("spawn")
    barrier = context.Manager().Barrier(12)
    with context.Pool(12) as pool:
        results = pool.map(join_at_once, [(database_url, session.code, n, barrier) for n in range(12)])
    assert sorted(results).count("session_full") == 7
    assert sorted(r for r in results if r != "session_full") == sorted(t.name for t in store.records(session).teams)
    assert len(store.records(session).teams) == 5
    store.close()
