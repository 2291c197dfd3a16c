"""An archive keeps a session whole: whatever state the trainer left it in, exporting it, deleting it,
importing the file and exporting again gives the same file, and the session behaves as it did."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from motives import archive
from motives.catalogue import default_catalogue
from motives.errors import InvalidInput
from motives.grouping import merge_plan
from motives.models import SIDES
from motives.store import Store

CATALOGUE = default_catalogue()
MOTIVES = [motive.id for motive in CATALOGUE.motives]

states = st.fixed_dictionaries(
    {
        "locked": st.booleans(),
        "revealed": st.booleans(),
        "timer": st.none() | st.integers(min_value=1, max_value=60),
        "timer_stopped": st.booleans(),
        "screen": st.sampled_from(["", "join", "talk-for-1", "heat-against-2", "balance-1"]),
        "teams": st.lists(
            st.fixed_dictionaries(
                {
                    "ticks": st.lists(
                        st.tuples(st.sampled_from(MOTIVES), st.booleans(), st.none() | st.integers(1, 5)),
                        max_size=4,
                    ),
                    "own": st.lists(
                        st.tuples(st.sampled_from(SIDES), st.sampled_from(["Privacy", "Tijd", "Imago"])), max_size=3
                    ),
                    "conclusion": st.sampled_from([None, "yes", "no", "not_yet"]),
                }
            ),
            max_size=3,
        ),
        "merge": st.booleans(),
    }
)


def build(store: Store, state: dict) -> object:
    """A session in ``state``, made through the store's own writes as the pages make it."""
    session = store.create_session("Werkplaats", CATALOGUE)
    for number, shape in enumerate(state["teams"], start=1):
        team = store.join(session, f"Team {number}")
        for motive_id, applies, importance in shape["ticks"]:
            store.set_answer(team, motive_id, applies, importance if applies else None)
        for side, text in shape["own"]:
            store.add_own_motive(team, side, text, 3)
        if shape["conclusion"]:
            store.set_conclusion(team, shape["conclusion"], "Omdat het moet.")
    own = store.records(session).own
    if state["merge"] and len(own) >= 2:
        keys = {o["own_id"]: f"own-{o['own_id']}" for o in own}
        ids, target = merge_plan(keys, f"own-{own[0]['own_id']}", f"own-{own[1]['own_id']}", session.catalogue)
        store.link_own_motives(session, ids, target)
    store.set_revealed(session, state["revealed"])
    if state["timer"]:
        store.start_timer(session, state["timer"])
        if state["timer_stopped"]:
            store.stop_timer(session)
    if state["screen"]:
        store.set_screen(session, state["screen"])
    store.set_locked(session, state["locked"])
    return session


@settings(max_examples=40, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(state=states)
def test_export_delete_import_export_gives_the_same_archive_in_every_state(state):
    with tempfile.TemporaryDirectory() as folder:
        store = Store(Path(folder) / "motives.db")
        try:
            session = build(store, state)
            before = store.state(session)
            first = archive.dumps(archive.to_archive(store, session))
            store.delete_session(session)
            restored = archive.restore(store, first)
            assert archive.dumps(archive.to_archive(store, restored)) == first
            after = store.state(restored)
            assert (after.locked, after.revealed, after.timer_started_at, after.timer_ends_at, after.screen) == (
                before.locked,
                before.revealed,
                before.timer_started_at,
                before.timer_ends_at,
                before.screen,
            )
        finally:
            store.close()


def test_a_locked_session_stays_locked_through_its_archive(store, tmp_path):
    """The trainer locked the session, exported it, deleted it and imported the file: no new team joins."""
    session = store.create_session("Werkplaats", CATALOGUE)
    store.join(session, "Noord")
    store.set_locked(session, True)
    text = archive.dumps(archive.to_archive(store, session))
    assert json.loads(text)["session"]["locked"] is True
    store.delete_session(session)
    restored = archive.restore(store, text)
    assert store.state(restored).locked is True
    with pytest.raises(InvalidInput) as refused:
        store.new_team(restored, "Zuid")
    assert refused.value.key == "session_locked"
    assert [team.name for team in store.records(restored).teams] == ["Noord"]


def test_an_archive_written_before_the_lock_was_kept_reads_as_open(store):
    session = store.create_session("Werkplaats", CATALOGUE)
    data = json.loads(archive.dumps(archive.to_archive(store, session)))
    for field in ("locked", "timer_started_at", "timer_ends_at", "screen"):
        del data["session"][field]
    store.delete_session(session)
    state = store.state(archive.restore(store, json.dumps(data)))
    assert (state.locked, state.timer_started_at, state.timer_ends_at, state.screen) == (False, None, None, "")


@pytest.mark.parametrize(
    ("field", "value", "problem"),
    [
        ("locked", "yes", "session.locked: expected true or false, not 'yes'"),
        (
            "timer_ends_at",
            None,
            "session.timer_ends_at: the timer has a start and an end, and runs at most 180 minutes",
        ),
        (
            "timer_ends_at",
            "2030-01-01T00:00:00+00:00",
            "session.timer_ends_at: the timer has a start and an end, and runs",
        ),
        ("screen", "<script>", "session.screen: not a slide of the projector: '<script>'"),
    ],
)
def test_a_damaged_state_is_refused_with_its_place(store, field, value, problem):
    session = store.create_session("Werkplaats", CATALOGUE)
    store.start_timer(session, 5)
    data = json.loads(archive.dumps(archive.to_archive(store, session)))
    data["session"][field] = value
    with pytest.raises(archive.ArchiveError) as refused:
        archive.restore(store, json.dumps(data), code="ABCDEF")
    assert problem in str(refused.value)
    assert [s.code for s in store.sessions()] == [session.code]
