"""The store on a real SQLite file and a real PostgreSQL database: sessions, teams, answers, and what it refuses."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta

import pytest
from data.schema_v1 import make_first_store
from sqlalchemy import event

from motives import archive
from motives.catalogue import catalogue_from_dict
from motives.errors import InvalidInput, StoreError, UnknownSession
from motives.models import CODE_ALPHABET
from motives.schema import SCHEMA_VERSION, join_failures
from motives.settings import Settings
from motives.store import Store, resolve_url

# Every test that uses a store runs on both (see conftest.py).
BACKENDS = ("sqlite", "postgresql")


@pytest.fixture
def sqlite_store(tmp_path):
    store = Store(tmp_path / "motives.db")
    yield store
    store.close()


def count_rows(store: Store, table: str) -> int:
    with store.engine.connect() as conn:
        return conn.exec_driver_sql(f"select count(*) from {table}").scalar()


def statements_of(store: Store) -> list[str]:
    """Every SQL statement the store sends from now on."""
    seen: list[str] = []
    event.listen(store.engine, "before_cursor_execute", lambda *args: seen.append(args[2]))
    return seen


def test_a_new_session_has_a_join_code_without_look_alikes_and_a_separate_trainer_key(store, catalogue):
    session = store.create_session("Workshop Gent", catalogue)
    assert len(session.code) == 6
    assert set(session.code) <= set(CODE_ALPHABET)
    assert not set("0O1IL") & set(CODE_ALPHABET)
    assert session.language == "nl"
    assert len(session.trainer_key) == 24 and session.code not in session.trainer_key  # 18 random bytes
    assert session.key_matches(session.trainer_key)
    last = session.trainer_key[-1]
    # A key one character off is refused; the substitute must differ from the real last character.
    assert not session.key_matches(session.trainer_key[:-1] + ("y" if last == "x" else "x"))
    assert not session.key_matches("")


def test_a_new_session_never_takes_a_code_in_use(store, catalogue, session, monkeypatch):
    # Six characters from 31 collide once in a while: the store draws again.
    drawn = iter([session.code, "ABCDEF"])
    monkeypatch.setattr("motives.store._new_code", lambda: next(drawn))
    assert store.create_session("Tweede groep", catalogue).code == "ABCDEF"


def test_a_session_in_a_language_the_app_does_not_speak_is_refused(store, catalogue):
    with pytest.raises(InvalidInput) as refused:
        store.create_session("Workshop", catalogue, "de")
    assert refused.value.key == "bad_language" and store.sessions() == []


def test_a_session_is_found_by_its_code_typed_loosely(store, session):
    assert store.session(f" {session.code.lower()} ").id == session.id
    assert store.session(f"{session.code[:3]} {session.code[3:].lower()}").id == session.id  # as read aloud


@pytest.mark.parametrize("key", [None, "", 12345, b"not text", ["a list"]])
def test_only_the_trainer_key_itself_opens_a_session(session, key):
    # A forged widget message may carry any value: each is refused, none raises.
    assert session.key_matches(key) is False
    assert session.key_matches(session.trainer_key) is True


@pytest.mark.parametrize(
    ("name", "key", "said"),
    [
        ("   ", "empty_session_name", "Give the session a name."),
        ("x" * 61, "too_long", "The text is too long: 61 characters, at most 60."),
    ],
)
def test_a_session_name_is_refused_with_its_reason(store, catalogue, name, key, said):
    with pytest.raises(InvalidInput) as refused:
        store.create_session(name, catalogue)
    assert (refused.value.key, str(refused.value)) == (key, said)


def test_an_unknown_code_raises_unknown_session(store):
    with pytest.raises(UnknownSession, match="no session with code 'ZZZZZZ'"):
        store.session("zzzzzz")


def test_a_session_keeps_a_frozen_copy_of_its_catalogue(tmp_path, store):
    path = tmp_path / "c.toml"
    path.write_text(
        'id = "c"\ntitle = "C"\n[heading.against]\nnl = "Tegen"\n[heading.for]\nnl = "Voor"\n'
        '[[motive]]\nid = "for-a"\nside = "for"\nnl = "Eerste tekst"\n',
        encoding="utf-8",
    )
    from motives.catalogue import load_catalogue

    session = store.create_session("S", load_catalogue(path))
    path.write_text(path.read_text(encoding="utf-8").replace("Eerste tekst", "Gewijzigd"), encoding="utf-8")
    assert store.session(session.code).catalogue.motive("for-a").text("nl") == "Eerste tekst"
    with store.engine.connect() as conn:
        frozen = conn.exec_driver_sql("select catalogue from sessions").scalar()
    assert "Eerste tekst" in frozen


def test_sessions_are_listed_newest_first_with_their_team_count(store, catalogue):
    first = store.create_session("Eerste", catalogue)
    second = store.create_session("Tweede", catalogue, "en")
    store.join(first, "A")
    store.join(first, "B")
    listed = store.sessions()
    assert [(s.code, s.name, s.language, s.teams) for s in listed] == [
        (second.code, "Tweede", "en", 0),
        (first.code, "Eerste", "nl", 2),
    ]


def test_a_team_name_that_differs_only_in_capitals_or_spaces_is_the_same_team(store, session):
    team = store.join(session, "Team Jeugdwerk")
    again = store.join(session, "  team   JEUGDWERK ")
    assert again == team and again.name == "Team Jeugdwerk"
    assert store.find_team(session, "team jeugdwerk").id == team.id
    assert store.find_team(session, "Thuiszorg") is None


def test_answers_are_saved_and_read_back(store, team):
    store.set_answer(team, "for-prevention", True, 5)
    store.set_answer(team, "against-no-priority", True)  # a tick without importance gets the default
    store.set_answer(team, "for-support-staff", True, 2)
    store.set_answer(team, "for-support-staff", False, 2)  # unticked: no importance kept
    own = store.add_own_motive(team, "for", "  Onze  cliënten vragen erom ", 4)
    store.set_conclusion(team, "not_yet", "Eerst\r\nmet de directie praten. ")
    stored = store.team_answers(team)
    # what a write returns is what the store now holds: the page shows it without reading again
    assert stored.own == [own]
    assert store.set_answer(team, "for-prevention", True, 4) == store.team_answers(team).answers["for-prevention"]
    assert {k: (a.applies, a.importance) for k, a in stored.answers.items()} == {
        "for-prevention": (True, 5),
        "against-no-priority": (True, 3),
        "for-support-staff": (False, None),
    }
    assert [(o.id, o.side, o.text, o.importance) for o in stored.own] == [
        (own.id, "for", "Onze cliënten vragen erom", 4)
    ]
    assert (stored.conclusion, stored.explanation) == ("not_yet", "Eerst\nmet de directie praten.")


def test_own_motives_are_edited_and_removed(store, team):
    own = store.add_own_motive(team, "against", "Eerste versie")
    store.update_own_motive(team, own.id, text="Tweede versie", importance=1)
    assert [(o.text, o.importance) for o in store.team_answers(team).own] == [("Tweede versie", 1)]
    store.remove_own_motive(team, own.id)
    assert store.team_answers(team).own == []


def test_an_edit_changes_that_own_motive_only_and_returns_it_as_stored(store, team):
    first = store.add_own_motive(team, "against", "Eerste", 2)
    second = store.add_own_motive(team, "for", "Tweede", 3)
    edited = store.update_own_motive(team, first.id, text="Eerste, herzien", importance=5)
    assert (edited.id, edited.side, edited.text, edited.importance) == (first.id, "against", "Eerste, herzien", 5)
    assert edited.updated_at >= first.updated_at and edited.updated_at.utcoffset() == timedelta(0)
    assert store.team_answers(team).own == [edited, second]


def test_a_team_cannot_touch_another_teams_own_motive(store, session, team):
    other = store.join(session, "Thuiszorg")
    own = store.add_own_motive(other, "for", "Van een ander team")
    with pytest.raises(InvalidInput) as edit:
        store.update_own_motive(team, own.id, text="Overschreven")
    with pytest.raises(InvalidInput) as removal:
        store.remove_own_motive(team, own.id)
    assert (edit.value.key, removal.value.key) == ("unknown_motive", "unknown_motive")
    assert [o.text for o in store.team_answers(other).own] == ["Van een ander team"]


@pytest.mark.parametrize(
    ("call", "key"),
    [
        (lambda s, t: s.set_answer(t, "no-such-motive", True, 3), "unknown_motive"),
        (lambda s, t: s.set_answer(t, "for-prevention", True, 6), "bad_importance"),
        (lambda s, t: s.set_answer(t, "for-prevention", True, 0), "bad_importance"),
        (lambda s, t: s.set_answer(t, "for-prevention", True, True), "bad_importance"),
        (lambda s, t: s.set_answer(t, "for-prevention", "yes", 3), "bad_applies"),
        (lambda s, t: s.add_own_motive(t, "for", "   "), "empty_motive"),
        (lambda s, t: s.add_own_motive(t, "for", ""), "empty_motive"),
        (lambda s, t: s.add_own_motive(t, "sideways", "Tekst"), "bad_side"),
        (lambda s, t: s.add_own_motive(t, "for", "x" * 501), "too_long"),
        (lambda s, t: s.add_own_motive(t, "for", "bel\x07l"), "control_characters"),
        (lambda s, t: s.set_conclusion(t, "maybe", ""), "bad_conclusion"),
        (lambda s, t: s.set_conclusion(t, "yes", 42), "not_text"),
    ],
)
def test_bad_values_are_refused_and_the_store_is_unchanged(store, team, call, key):
    before = store.team_answers(team)
    with pytest.raises(InvalidInput) as caught:
        call(store, team)
    assert caught.value.key == key
    assert store.team_answers(team) == before


def test_text_is_stored_in_nfc_so_accents_typed_two_ways_are_one_text(store, team):
    decomposed = "prive\u0301"
    own = store.add_own_motive(team, "for", decomposed)
    assert own.text == "priv\u00e9"
    # Read back from the store, not only what the write returned: composed, one character for the é.
    assert [o.text for o in store.team_answers(team).own] == ["priv\u00e9"]


def test_html_is_stored_as_typed(store, team):
    own = store.add_own_motive(team, "for", "<img src=x onerror=alert(1)> & 'quotes'; DROP TABLE teams;--")
    assert (
        store.team_answers(team).own[0].text
        == own.text
        == "<img src=x onerror=alert(1)> & 'quotes'; DROP TABLE teams;--"
    )


def test_the_store_location_comes_from_a_path_a_url_or_the_settings(tmp_path, monkeypatch):
    assert resolve_url(tmp_path / "a.db") == f"sqlite:///{tmp_path / 'a.db'}"
    assert resolve_url("postgresql+psycopg://u@h/db") == "postgresql+psycopg://u@h/db"
    monkeypatch.setenv("MOTIVES_DB", str(tmp_path / "env.db"))
    assert resolve_url(settings=Settings.from_env()) == f"sqlite:///{tmp_path / 'env.db'}"
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))  # without settings: the default file

    assert resolve_url() == f"sqlite:///{tmp_path / 'xdg' / 'motives' / 'motives.db'}"


def test_sqlite_runs_in_wal_mode_with_a_busy_timeout(sqlite_store):
    with sqlite_store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 15000


def test_an_unreachable_store_is_one_clear_error(tmp_path):
    with pytest.raises(StoreError, match="cannot use the store"):
        Store(tmp_path / "missing-folder" / "x.db")


@pytest.mark.parametrize(
    "url", ["nosuchdialect://x", "postgresql+nosuchdriver://u@localhost/db", "mysql+pymysql://u@h/d"]
)
def test_a_store_url_that_cannot_be_used_is_one_clear_error(url):
    with pytest.raises(StoreError, match="cannot use the store"):
        Store(url)


def test_a_file_that_is_not_a_database_is_reported_as_damaged(tmp_path):
    path = tmp_path / "junk.db"
    path.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreError, match=r"damaged|cannot use"):
        Store(path)


def test_the_catalogue_copy_survives_json_with_unicode(store, session):
    assert catalogue_from_dict(session.catalogue.to_dict()) == store.session(session.code).catalogue


def test_every_write_bumps_the_sessions_revision(store, session, team):
    seen = [store.state(session).revision]
    for write in (
        lambda: store.set_answer(team, "for-prevention", True, 4),
        lambda: store.add_own_motive(team, "for", "Eigen"),
        lambda: store.set_conclusion(team, "yes", ""),
        lambda: store.join(session, "Nieuw team"),
        lambda: store.set_revealed(session, True),
        lambda: store.start_timer(session, 10),
    ):
        write()
        seen.append(store.state(session).revision)
    assert seen == sorted(set(seen)) and len(seen) == 7


def test_reveal_and_the_phase_timer_are_part_of_the_sessions_state(store, session):
    assert store.state(session).revealed is False
    store.set_revealed(session, True)
    state = store.start_timer(session, 10)
    assert state.revealed is True
    assert (state.timer_ends_at - state.timer_started_at).total_seconds() == 600
    store.stop_timer(session)
    assert (store.state(session).timer_started_at, store.state(session).timer_ends_at) == (None, None)
    for minutes in (0, 181, "10", True):
        with pytest.raises(InvalidInput):
            store.start_timer(session, minutes)
    with pytest.raises(InvalidInput) as reveal:
        store.set_revealed(session, "yes")
    with pytest.raises(InvalidInput) as lock:
        store.set_locked(session, 1)
    assert (reveal.value.key, lock.value.key) == ("bad_revealed", "bad_locked")
    assert store.state(session).locked is False


def test_steering_or_joining_a_deleted_session_is_told_its_code_is_gone(store, catalogue, session):
    # The dashboard may still be open when the session is deleted from the command line.
    other = store.create_session("Tweede groep", catalogue)
    store.delete_session(session)
    for steer in (
        lambda: store.delete_session(session),
        lambda: store.join(session, "Laatkomer"),
        lambda: store.set_revealed(session, True),
        lambda: store.set_locked(session, True),
        lambda: store.start_timer(session, 5),
        lambda: store.stop_timer(session),
        lambda: store.link_own_motives(session, [], ""),
        lambda: store.add_compared_session(session, other.code, other.trainer_key),
    ):
        with pytest.raises(UnknownSession):
            steer()


def test_each_session_keeps_its_own_list_of_compared_sessions(store, catalogue, session):
    a, b, c = (store.create_session(name, catalogue) for name in ("A", "B", "C"))
    store.add_compared_session(a, c.code, c.trainer_key)
    store.add_compared_session(session, a.code, a.trainer_key)
    store.add_compared_session(session, c.code, c.trainer_key)  # a compares c already; that is a's list
    store.add_compared_session(b, c.code, c.trainer_key)
    assert [s.code for s in store.compared_sessions(session)] == [session.code, a.code, c.code]
    assert [s.code for s in store.compared_sessions(a)] == [a.code, c.code]
    assert [s.code for s in store.compared_sessions(b)] == [b.code, c.code]


def test_wrong_join_codes_are_remembered_for_a_day_per_client(store):
    client = "2001:db8::" + "f" * 90  # a long name is cut to 64 characters, the same way on both sides
    now = datetime.now(UTC)
    with store.engine.begin() as conn:
        conn.execute(
            join_failures.insert(),
            [{"client": client[:64], "at": now - timedelta(hours=h)} for h in (36, 2)],
        )
    store.record_failed_join(client)
    store.record_failed_join(client)
    store.record_failed_join("192.0.2.1")
    seen = store.failed_joins(client, within=timedelta(days=7))
    assert len(seen) == 3  # the one of 36 hours ago is gone; the other client's is not counted
    assert now - timedelta(hours=2, seconds=5) < seen[0] < now - timedelta(hours=1)
    assert store.failed_joins(client, within=timedelta(hours=1)) == seen[1:]


def test_a_session_is_compared_with_another_only_with_that_sessions_key(store, catalogue, session):
    other = store.create_session("Tweede groep", catalogue)
    with pytest.raises(InvalidInput):
        store.add_compared_session(session, other.code, "wrong")
    assert [s.code for s in store.compared_sessions(session)] == [session.code]
    store.add_compared_session(session, other.code.lower(), other.trainer_key)
    store.add_compared_session(session, other.code, other.trainer_key)  # twice is once
    assert [s.code for s in store.compared_sessions(session)] == [session.code, other.code]
    assert [s.code for s in store.compared_sessions(other)] == [other.code]


def test_a_store_made_by_the_first_schema_is_upgraded_in_place(database_url):
    path = database_url
    make_first_store(path)
    store = Store(path)
    (summary,) = store.sessions()
    session = store.session(summary.code)
    assert summary.teams == 3 and summary.name.startswith("DEMO")
    assert store.state(session).revision == 0 and store.state(session).revealed is False
    team = store.find_team(session, "Jeugdwerk (demo)")
    assert store.team_answers(team).answers["for-work-private-blur"].importance == 5
    store.set_answer(team, "for-prevention", True, 1)
    assert store.state(session).revision == 1
    assert store.join(session, "Nieuw team").id == 4  # new rows get new ids after the old ones
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("select version from schema_info").scalar() == SCHEMA_VERSION == 11
    assert store.catalogue_names() == []  # schema 9's table, made for an old store too
    assert store.state(session).screen == ""  # schema 10's column: the projector starts at its first slide
    assert store.barred_teams(session) == []  # schema 11's tables, made for an old store too
    store.new_team(session, "Van een toestel", client="192.0.2.1")
    store.close()
    again = Store(path)  # opening again changes nothing
    assert [s.teams for s in again.sessions()] == [5]
    again.close()


def test_the_database_password_never_appears_in_a_message():
    with pytest.raises(StoreError) as caught:
        Store("postgresql+nosuchdriver://trainer:S3cretPW@db.invalid/motives")
    assert "S3cretPW" not in str(caught.value) and "***" in str(caught.value)


def test_writes_start_with_begin_immediate_on_sqlite(sqlite_store, catalogue):
    team = sqlite_store.join(sqlite_store.create_session("S", catalogue), "A")
    statements = statements_of(sqlite_store)
    sqlite_store.set_answer(team, "for-prevention", True, 4)
    sqlite_store.team_answers(team)
    assert [s for s in statements if s.startswith("BEGIN")] == ["BEGIN IMMEDIATE", "BEGIN"]


def test_a_write_locks_its_sessions_row_first(store, team):
    statements = statements_of(store)
    store.set_answer(team, "for-prevention", True, 4)
    first = next(s for s in statements if not s.startswith("BEGIN"))
    assert first.startswith("SELECT sessions.id") and "WHERE sessions.id =" in first
    # On PostgreSQL the row lock serialises a session's writes, as BEGIN IMMEDIATE does on SQLite.
    assert first.endswith("FOR NO KEY UPDATE") == (store.engine.dialect.name == "postgresql")


def test_an_unreachable_database_server_is_one_clear_error():
    with pytest.raises(
        StoreError, match=r"^cannot use the store at postgresql\+psycopg://trainer:\*\*\*@127\.0\.0\.1:1/"
    ):
        Store("postgresql+psycopg://trainer:S3cretPW@127.0.0.1:1/motives")


def test_a_locked_session_refuses_every_team_write_and_keeps_what_it_had(store, session, team):
    store.set_answer(team, "for-prevention", True, 4)
    own = store.add_own_motive(team, "for", "Eigen")
    store.set_locked(session, True)
    before = store.records(session)
    writes = [
        lambda: store.set_answer(team, "for-prevention", False),
        lambda: store.add_own_motive(team, "for", "Nog een"),
        lambda: store.update_own_motive(team, own.id, text="Anders"),
        lambda: store.remove_own_motive(team, own.id),
        lambda: store.set_conclusion(team, "yes"),
        lambda: store.join(session, "Laatkomer"),
    ]
    for write in writes:
        with pytest.raises(InvalidInput) as caught:
            write()
        assert caught.value.key == "session_locked"
    assert store.records(session) == before
    assert store.join(session, "jeugdwerk").id == team.id  # an existing team can still open its page
    assert store.state(session).locked
    store.set_locked(session, False)
    store.set_answer(team, "for-prevention", False)


def test_a_full_session_refuses_one_more_team(database_url, catalogue):
    store = Store(database_url, max_teams=2)
    session = store.create_session("Klein", catalogue)
    store.join(session, "A")
    store.join(session, "B")
    with pytest.raises(InvalidInput) as caught:
        store.join(session, "C")
    assert caught.value.key == "session_full" and "no more than 2 teams" in str(caught.value)
    assert store.join(session, "a").name == "A"  # rejoining is not joining


def test_the_team_limit_comes_from_the_settings(tmp_path):
    assert Store(tmp_path / "m.db", settings=Settings(max_teams=7)).max_teams == 7
    assert Store(tmp_path / "m.db", settings=Settings(max_teams=7), max_teams=3).max_teams == 3
    assert Store(tmp_path / "m.db").max_teams == 40  # without settings: the laptop's default


def test_deleting_a_session_removes_everything_in_it_and_nothing_else(store, catalogue, session, team):
    other = store.create_session("Blijft", catalogue)
    keep = store.join(other, "Blijver")
    store.set_answer(keep, "for-prevention", True, 2)
    own = store.add_own_motive(team, "for", "Weg")
    store.set_answer(team, "for-prevention", True, 4)
    store.link_own_motives(session, [own.id], "g-1")
    store.add_compared_session(other, session.code, session.trainer_key)
    store.delete_session(session)
    with pytest.raises(UnknownSession):
        store.session(session.code)
    counts = {
        t: count_rows(store, t)
        for t in ("sessions", "teams", "answers", "own_motives", "motive_links", "compared_sessions")
    }
    assert counts == {
        "sessions": 1,
        "teams": 1,
        "answers": 1,
        "own_motives": 0,
        "motive_links": 0,
        "compared_sessions": 0,
    }


def test_the_trainer_can_still_remove_a_team_from_a_locked_session(store, session, team):
    store.set_locked(session, True)
    store.remove_team(session, team.name)
    assert store.find_team(session, team.name) is None


def test_the_trainer_can_still_merge_in_a_locked_session(store, session, team):
    own = store.add_own_motive(team, "for", "Eigen")
    store.set_locked(session, True)
    store.link_own_motives(session, [own.id], "g-1")
    assert store.records(session).links == {own.id: "g-1"}


def test_a_read_only_store_can_be_read_and_refuses_writes_with_a_clear_error(tmp_path, catalogue):
    path = tmp_path / "ro.db"
    writable = Store(path)
    session = writable.create_session("Alleen lezen", catalogue)
    writable.set_answer(writable.join(session, "A"), "for-prevention", True, 4)
    writable.close()
    read_only = Store(f"sqlite:///file:{path}?mode=ro&uri=true")
    assert [s.name for s in read_only.sessions()] == ["Alleen lezen"]
    team = read_only.find_team(read_only.session(session.code), "A")
    with pytest.raises(StoreError, match="readonly"):
        read_only.set_answer(team, "for-prevention", False)
    assert Store(path).team_answers(team).answers["for-prevention"].applies is True


def test_what_a_workshop_does_reads_through_indexes_not_whole_tables(sqlite_store, catalogue):
    """With 1,000 sessions in one store, a session's page must not read the others' rows (docs/benchmarks.md)."""
    store = sqlite_store
    session = store.create_session("Groot", catalogue)
    other = store.create_session("Ander", catalogue)
    statements = statements_of(store)
    team = store.join(session, "A")
    store.set_answer(team, "for-prevention", True, 4)
    own = store.add_own_motive(team, "for", "Eigen")
    store.update_own_motive(team, own.id, text="Eigen motief")
    store.set_conclusion(team, "yes", "Omdat")
    store.link_own_motives(session, [own.id], "for-prevention")
    store.add_compared_session(session, other.code, other.trainer_key)
    store.team_answers(team)
    store.records(session)
    store.state(session)
    store.compared_sessions(session)
    store.find_team(session, "a")
    store.delete_session(other)
    scans = []
    with store.engine.connect() as conn:
        for statement in dict.fromkeys(statements):
            if statement.split()[0] not in ("SELECT", "UPDATE", "DELETE", "INSERT"):
                continue
            plan = conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", _dummy(statement)).all()
            scans += [(row[-1], statement) for row in plan if row[-1].startswith("SCAN ")]
    assert scans == []


def _dummy(statement: str) -> tuple:
    # The plan depends on which columns are compared, not on the values.
    return tuple(1 for _ in range(statement.count("?")))


def test_statistics_can_be_refreshed_after_a_bulk_import(store, team):
    store.set_answer(team, "for-prevention", True, 4)
    store.refresh_statistics()
    # The planner now knows the answers table's rows (what it keeps them in differs per database).
    if store.engine.dialect.name == "sqlite":
        counted = "select stat from sqlite_stat1 where tbl = 'answers'"
    else:
        counted = "select reltuples::int from pg_class where relname = 'answers'"
    with store.engine.connect() as conn:
        assert str(conn.exec_driver_sql(counted).scalar()).split()[0] == "1"
    assert store.team_answers(team).answers["for-prevention"].importance == 4


def test_a_team_that_writes_to_a_deleted_session_is_told_its_code_is_gone(store, session, team):
    store.delete_session(session)
    with pytest.raises(UnknownSession) as caught:
        store.set_answer(team, "for-prevention", True, 4)
    assert caught.value.code == session.code


def test_many_sessions_are_read_at_once_as_each_would_be_alone(store, catalogue, session, team):
    other = store.create_session("Tweede workshop", catalogue, "en")
    store.set_answer(team, "for-prevention", True, 4)
    first = store.add_own_motive(team, "for", "Onze cliënten vragen erom", 2)
    second = store.add_own_motive(store.join(other, "Noord"), "against", "No time for it", 5)
    store.link_own_motives(session, [first.id], "for-prevention")
    store.join(other, "Zuid")

    both = store.records_of([other.code, session.code.lower()])  # in the order asked, codes typed loosely

    assert both == [store.records(other), store.records(session)]
    assert [[o["own_id"] for o in r.own] for r in both] == [[second.id], [first.id]]
    assert both[1].links == {first.id: "for-prevention"}
    assert store.records_of([]) == []


def test_reading_many_sessions_refuses_an_unknown_code(store, session):
    with pytest.raises(UnknownSession):
        store.records_of([session.code, "ZZZZZZ"])


@pytest.fixture
def archived(store, session, team):
    """The session as read back from its archive: one ticked and one unticked answer, an own motive, revealed."""
    store.set_answer(team, "for-prevention", True, 4)
    store.set_answer(team, "against-no-priority", False)
    store.add_own_motive(team, "for", "Eigen", 3)
    store.set_revealed(session, True)
    _code, parsed = archive.parse(archive.dumps(archive.to_archive(store, session)))
    return parsed


def test_a_restored_session_keeps_its_language_reveal_and_answers(store, archived):
    restored = store.restore_session(dataclasses.replace(archived, language="en"), "abcdef")
    assert (restored.code, restored.language, store.state(restored).revealed) == ("ABCDEF", "en", True)
    answers = store.team_answers(store.find_team(restored, "Jeugdwerk"))
    assert [(a.applies, a.importance) for _id, a in sorted(answers.answers.items())] == [(False, None), (True, 4)]
    with pytest.raises(InvalidInput) as taken:
        store.restore_session(archived, "ABCDEF")
    assert (taken.value.key, taken.value.params) == ("code_exists", {"code": "ABCDEF"})


@pytest.mark.parametrize("code", ["O0O0O0", "ABCDE", "ABCDEFG", ""])
def test_a_restored_session_needs_a_code_that_is_a_code(store, archived, code):
    # archive.parse checked every value of the file (tests/test_hostile.py); the code is the caller's.
    with pytest.raises(InvalidInput) as refused:
        store.restore_session(archived, code)
    assert (refused.value.key, refused.value.params) == ("bad_code", {"length": 6})
    assert [s.name for s in store.sessions()] == ["Workshop Gent"]


def test_a_restored_session_is_the_archive_as_parse_read_it(store, archived):
    restored = store.restore_session(archived, "ABCDEF")
    records = store.records(restored)
    (team,) = archived.teams
    assert [(t.name, t.joined_at, t.conclusion, t.explanation) for t in records.teams] == [
        (team.name, team.joined_at, team.conclusion, team.explanation)
    ]
    assert sorted((a["motive_id"], a["applies"], a["importance"], a["updated_at"]) for a in records.answers) == [
        (a.motive_id, a.applies, a.importance, a.updated_at) for a in team.answers
    ]
    assert [(o["side"], o["text"], o["importance"], o["created_at"]) for o in records.own] == [
        (o.side, o.text, o.importance, o.created_at) for o in team.own
    ]


def test_a_restored_team_gets_a_key_of_its_own_which_no_archive_carries(store, session, team, archived):
    restored = store.find_team(store.restore_session(archived, "ABCDEF"), team.name)
    assert len(restored.key) == len(team.key) and restored.key != team.key
    assert restored.key_matches(restored.key) and not restored.key_matches(team.key)
