"""Under ``motives serve`` a team page reaches the store through its server (motives.service and
motives.remote): the server keeps one store and one pool of connections for all its pages, and a
page's kernel imports no SQLAlchemy. What the page gets is what the store holds, a refusal is the
store's own in the team's language, and only the server's kernels, asking the team page's calls,
are served. Against a real service on loopback, on SQLite and PostgreSQL."""

from __future__ import annotations

import http.client
import inspect
import json
import os
import subprocess
import sys
import threading
from datetime import timedelta

import pytest
from services import remote, store_service

from motives import wire
from motives.catalogue import default_catalogue
from motives.errors import InvalidInput, StoreError, UnknownSession, UnknownTeam
from motives.remote import PATH, TOKEN_HEADER, RemoteStore
from motives.server.kernels import without_the_database
from motives.settings import Settings
from motives.store import Store
from motives.urls import TEAM_KEY

BACKENDS = ("sqlite", "postgresql")


@pytest.fixture
def service(database_url):
    with store_service(Settings(db=database_url, max_teams=3)) as running:
        yield running


def test_the_store_and_the_pages_remote_store_make_the_same_calls_with_the_same_arguments():
    """The contract is two Protocols (motives.wire.TeamPageStore, and FormStore for the keyed pages'
    forms): the type checker holds Store and RemoteStore to them (make check); here, the calls the
    service runs are their calls, each with the store's own arguments, and the revealed picture, which
    only the server works out for its pages."""
    contract = {
        name: call
        for protocol in (wire.TeamPageStore, wire.FormStore)
        for name, call in vars(protocol).items()
        if not name.startswith("_")
    }
    assert {*contract, "group_picture"} == wire.SERVICE_CALLS
    for name, call in contract.items():
        assert arguments(getattr(Store, name)) == arguments(call), name
        assert arguments(getattr(RemoteStore, name)) == arguments(call), name


def arguments(call) -> list[tuple[str, object, object]]:
    """Each argument's name, kind and default (their types are the type checker's to compare)."""
    return [(p.name, p.kind, p.default) for p in inspect.signature(call).parameters.values()]


def test_a_conclusion_or_an_explanation_alone_leaves_the_other_as_it_is(service, database_url):
    store = Store(database_url)
    session = store.create_session("Alleen de uitleg", default_catalogue())
    page = remote(service)
    team = page.new_team(page.session(session.code), "Zuid")
    page.set_conclusion(team, conclusion="no")
    page.set_conclusion(team, explanation="Eerst praten")
    page.set_conclusion(team, conclusion=None)
    held = store.team_answers(store.find_team(session, "Zuid"))
    assert (held.conclusion, held.explanation) == (None, "Eerst praten")


def test_a_team_page_works_through_the_server_and_gets_what_the_store_holds(service, database_url):
    store = Store(database_url)
    session = store.create_session("Via de server", default_catalogue())
    page = remote(service)
    found = page.session(session.code)
    assert (found.id, found.code, found.name, found.catalogue) == (
        session.id,
        session.code,
        session.name,
        session.catalogue,
    )
    team = page.new_team(found, "Noord")
    assert page.find_team(found, "noord") == team and team.key == store.find_team(session, "Noord").key
    answer = page.set_answer(team, "for-prevention", True, 4)
    own = page.add_own_motive(team, "against", "Geen tijd", 2)
    page.update_own_motive(team, own.id, text="Geen tijd voor")
    page.set_conclusion(team, conclusion="yes", explanation="Omdat het moet")
    held = store.team_answers(store.find_team(session, "Noord"))
    assert page.team_answers(team) == held
    assert held.answers == {"for-prevention": answer} and [o.text for o in held.own] == ["Geen tijd voor"]
    assert (held.conclusion, held.explanation) == ("yes", "Omdat het moet")
    page.remove_own_motive(team, own.id)
    assert store.team_answers(store.find_team(session, "Noord")).own == []
    assert page.state(found) == store.state(session)
    assert page.records(found).answers == store.records(session).answers


def test_wrong_codes_are_counted_in_the_store_through_the_server(service, database_url):
    # The limit on wrong join codes counts a device's tries across every page and every server.
    page = remote(service)
    page.record_failed_join("192.0.2.7")
    page.record_failed_join("192.0.2.7")
    within = timedelta(minutes=10)
    assert page.failed_joins("192.0.2.7", within) == Store(database_url).failed_joins("192.0.2.7", within)
    assert len(page.failed_joins("192.0.2.7", within)) == 2 and page.failed_joins("192.0.2.8", within) == []


def test_a_session_reaches_a_team_page_without_its_trainer_key(service, database_url):
    store = Store(database_url)
    session = store.create_session("Geheim", default_catalogue())
    page = remote(service)
    assert session.trainer_key != ""
    assert page.session(session.code).trainer_key == ""
    assert page.new_team(page.session(session.code), "Zuid").session.trainer_key == ""


def test_the_stores_refusals_reach_the_page_as_the_store_raised_them(service, database_url):
    store = Store(database_url)
    session = store.create_session("Weigeren", default_catalogue())
    page = remote(service)
    with pytest.raises(UnknownSession) as unknown:
        page.session("ZZZZZZ")
    said_here = refusal(lambda: store.session("ZZZZZZ"), UnknownSession).say("nl")
    assert (unknown.value.code, unknown.value.say("nl")) == ("ZZZZZZ", said_here)
    assert said_here == "er is geen sessie met code 'ZZZZZZ'"
    team = page.new_team(page.session(session.code), "Noord")
    with pytest.raises(InvalidInput) as taken:
        page.new_team(page.session(session.code), "NOORD")
    assert taken.value.say("fr") == refusal(lambda: store.new_team(session, "NOORD")).say("fr")
    for name in ("Oost", "West"):
        page.new_team(page.session(session.code), name)
    with pytest.raises(InvalidInput) as full:  # the service's store has the server's team cap: 3
        page.new_team(page.session(session.code), "Vijfde")
    assert full.value.key == "session_full" and "3" in full.value.say("en")
    store.set_locked(session, True)
    with pytest.raises(InvalidInput) as locked:
        page.set_answer(team, "for-prevention", True, 3)
    assert locked.value.key == "session_locked"
    store.set_locked(session, False)
    store.remove_team(session, "Noord")
    with pytest.raises(UnknownTeam) as removed:
        page.set_answer(team, "for-prevention", True, 3)
    assert removed.value.name == "Noord"
    with pytest.raises(InvalidInput):
        page.set_answer(page.find_team(page.session(session.code), "Oost"), "for-prevention", True, 9)
    assert store.records(session).answers == []  # nothing refused was written


def refusal(action, kind=InvalidInput):
    """What the store itself raises for ``action``: the page must get the same."""
    with pytest.raises(kind) as refused:
        action()
    return refused.value


def post(service, body: bytes, token: str | None = None) -> int:
    connection = http.client.HTTPConnection("127.0.0.1", service.port, timeout=10)
    headers = {} if token is None else {TOKEN_HEADER: token}
    connection.request("POST", PATH, body=body, headers=headers)
    status = connection.getresponse().status
    connection.close()
    return status


def test_only_the_servers_kernels_asking_a_team_pages_calls_are_served(service, database_url):
    store = Store(database_url)
    session = store.create_session("Alleen de pagina's", default_catalogue())
    delete = wire.call("delete_session", (session,), {})
    state = wire.call("state", (session,), {})
    assert post(service, state) == 403  # no secret: a browser, another user of the machine
    assert post(service, state, "a guess") == 403
    assert post(service, delete, service.token) == 404  # the trainer's calls are not a team page's
    assert post(service, b'{"call": "state"}', service.token) == 400
    assert post(service, json.dumps({"record": "Store", "fields": {}}).encode(), service.token) == 400
    assert post(service, state, service.token) == 200
    assert store.session(session.code) == session  # still there


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"[",
        b'{"dict": [["call", "state"]]}',
        b'{"timedelta": 1e300}',
        b'{"dict": [["call", "state"], ["args", {"tuple": [{"timedelta": Infinity}]}], ["kwargs", {"dict": []}]]}',
        b'{"dict": [["call", "state"], ["args", {"tuple": [{"record": "Catalogue", "fields": {"motives": "x"}}]}],'
        b' ["kwargs", {"dict": []}]]}',
        b'{"error": "StoreError", "key": "store_unusable", "params": {"dict": []}}',
        b'{"record": "Popen", "fields": {}}',
        b"[" * 100_000 + b"]" * 100_000,
    ],
)
def test_a_malformed_call_is_refused_and_never_crashes_the_service(service, body):
    assert post(service, body, service.token) == 400
    assert post(service, wire.call("failed_joins", ("192.0.2.1", timedelta(minutes=1)), {}), service.token) == 200


def test_an_error_of_a_kind_the_wire_does_not_name_arrives_as_its_nearest_kind():
    from motives.errors import CatalogueError, FileError, Phrase

    class DamagedStore(StoreError):
        pass

    arrived = wire.loads(wire.answer(error=DamagedStore("store_unusable", where="x", detail=OSError("disk"))))
    assert type(arrived["error"]) is StoreError and arrived["error"].say("en") == DamagedStore(
        "store_unusable", where="x", detail="disk"
    ).say("en")
    damaged = CatalogueError.at("stored", Phrase("err_place", file="a", where="b"))
    assert isinstance(wire.loads(wire.answer(error=damaged))["error"], FileError)


def test_a_server_that_is_gone_is_a_store_error_on_the_page(database_url):
    with store_service(Settings(db=database_url)) as running:
        page = remote(running)
    with pytest.raises(StoreError) as gone:
        page.session("ABCDEF")
    assert gone.value.key == "store_unusable"


def test_a_team_page_under_the_server_imports_no_sqlalchemy_and_saves(service, database_url):
    # SQLAlchemy costs every team kernel about 11 MB and a third of its start (docs/benchmarks.md).
    store = Store(database_url)
    session = store.create_session("Licht", default_catalogue())
    team = store.join(session, "Noord")
    script = """
import sys
from motives.widgets.team import TeamPage
page = TeamPage.from_request()
page.worksheet.choices["for-prevention"].applies.value = True
page.worksheet.own["for"].new_text.value = "Eigen"
page.worksheet.own["for"].add_button.click()
page.worksheet.poll()
print(sorted(m for m in ("sqlalchemy", "psycopg", "pandas", "numpy") if m in sys.modules))
"""
    query = f"session={session.code}&team=Noord&{TEAM_KEY}={team.key}"
    environ = {
        **os.environ,
        **service.environ(),
        "MOTIVES_DB": "/nonexistent/not-this-one.db",
        "QUERY_STRING": query,
        "HTTP_X_MOTIVES_CLIENT": "127.0.0.1",  # as motives serve hands each kernel its device's address
    }
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60, env=environ)
    assert (result.returncode, result.stdout.strip()) == (0, "[]"), result.stderr
    held = store.team_answers(team)
    assert list(held.answers) == ["for-prevention"] and [o.text for o in held.own] == ["Eigen"]


def test_many_pages_at_once_share_the_servers_connections(database_url):
    with store_service(Settings(db=database_url, max_teams=40, store_connections=2)) as running:
        store = Store(database_url)
        session = store.create_session("Samen", default_catalogue())
        failures: list[BaseException] = []

        def one_page(number: int) -> None:
            page = remote(running)
            try:
                team = page.new_team(page.session(session.code), f"Team {number}")
                for importance in (1, 2, 3):
                    page.set_answer(team, "for-prevention", True, importance)
                    page.state(team.session)
            except BaseException as exc:  # each page's failure is counted below
                failures.append(exc)

        threads = [threading.Thread(target=one_page, args=(n,)) for n in range(30)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        assert failures == []
        answers = store.records(session).answers
        assert len(answers) == 30 and {a["importance"] for a in answers} == {3}
        # How many database connections that took: tests/test_connections.py counts them on a cluster.


def test_a_team_page_under_a_store_service_is_not_told_the_database_and_without_one_keeps_it():
    served = {
        "MOTIVES_DB": "postgresql+psycopg://motives:geheim@db/motives",
        "PGPASSWORD": "geheim",
        "MOTIVES_STORE_SERVICE": "127.0.0.1:4100",
        "MOTIVES_STORE_TOKEN": "t",
        "QUERY_STRING": "session=ABC",
    }
    assert without_the_database(served) == {
        "MOTIVES_STORE_SERVICE": "127.0.0.1:4100",
        "MOTIVES_STORE_TOKEN": "t",
        "QUERY_STRING": "session=ABC",
    }
    # JupyterHub's way 2: no service, so the page opens the store itself and needs its address.
    alone = {"MOTIVES_DB": "postgresql+psycopg://motives:geheim@db/motives", "PGPASSWORD": "geheim"}
    assert without_the_database(alone) == alone
