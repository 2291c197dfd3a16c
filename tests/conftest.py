"""Fixtures shared by all tests: a real store in a temporary place.

SQLite by default. A test module that sets ``BACKENDS = ("sqlite", "postgresql")``
runs each of its store tests on both, against a real PostgreSQL server: the one
in ``MOTIVES_TEST_POSTGRESQL`` (a URL; ``.ci/run`` starts one), else a throwaway
cluster started here when PostgreSQL is installed. Without either, those tests
are skipped and the summary says so; with ``MOTIVES_REQUIRE_POSTGRESQL=1`` (CI)
they fail instead.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

# pytest puts this folder on sys.path: pgcluster is a script beside the tests (.ci/run uses it too).
import pgcluster
import pytest
import sqlalchemy as sa
from databases import create_database, drop_database

from motives.catalogue import default_catalogue
from motives.models import Catalogue, Session, Team
from motives.store import Store

DATA = Path(__file__).parent / "data"
_POSTGRES: dict[str, str] = {}  # what the summary reports: "url" or "missing"


def pytest_configure(config: pytest.Config) -> None:
    # Every kernel that nbval or a test server starts inherits this: no test
    # ever touches the trainer's real store.
    folder = tempfile.mkdtemp(prefix="motives-tests-")
    os.environ["MOTIVES_DB"] = str(Path(folder) / "pytest.db")
    os.environ.pop("QUERY_STRING", None)
    # The command line speaks the trainer's language (motives.cli.cli_language); the tests read English,
    # also on a laptop set to Dutch or French. tests/test_cli.py sets another language where it tests one.
    os.environ["MOTIVES_LANG"] = "en"


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "database_url" in metafunc.fixturenames:
        metafunc.parametrize("database_url", getattr(metafunc.module, "BACKENDS", ("sqlite",)), indirect=True)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """The URL of a PostgreSQL server the tests may create databases on."""
    url = os.environ.get("MOTIVES_TEST_POSTGRESQL")
    if url:
        _POSTGRES["url"] = url
        yield url
        return
    folder = Path(tempfile.mkdtemp(prefix="motives-pg-"))
    try:
        url = pgcluster.start(folder)
    except RuntimeError as exc:
        pgcluster.stop(folder)
        _POSTGRES["missing"] = str(exc)
        message = f"PostgreSQL tests not run: {exc} (or set MOTIVES_TEST_POSTGRESQL to a server's URL)"
        if os.environ.get("MOTIVES_REQUIRE_POSTGRESQL"):
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    _POSTGRES["url"] = url
    yield url
    pgcluster.stop(folder)


@pytest.fixture
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty store's URL: a new SQLite file, or a new database on the PostgreSQL server."""
    if getattr(request, "param", "sqlite") == "sqlite":
        yield str(tmp_path / "motives.db")
        return
    url = create_database(request.getfixturevalue("postgres_server"))
    yield url
    drop_database(url)


def pytest_terminal_summary(terminalreporter) -> None:
    if "url" in _POSTGRES:
        shown = sa.engine.make_url(_POSTGRES["url"]).render_as_string(hide_password=True)
        terminalreporter.write_line(f"PostgreSQL tests ran against {shown}")
    elif "missing" in _POSTGRES:
        terminalreporter.write_line(f"PostgreSQL tests did NOT run: {_POSTGRES['missing']}", yellow=True, bold=True)


@pytest.fixture(autouse=True)
def close_every_store(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Close every store a test opened, also those a page or a command opened for it.

    An open store holds its database's connections (and on Windows its file) past the test.
    The store itself is the real one; this only remembers each one made.
    """
    opened: list[Store] = []
    make = Store.__init__

    def remembered(self: Store, *args: object, **kwargs: object) -> None:
        make(self, *args, **kwargs)
        opened.append(self)

    monkeypatch.setattr(Store, "__init__", remembered)
    yield
    for store in opened:
        store.close()


@pytest.fixture
def store(database_url: str) -> Iterator[Store]:
    store = Store(database_url)
    yield store
    store.close()


@pytest.fixture
def catalogue() -> Catalogue:
    return default_catalogue()


@pytest.fixture
def session(store: Store, catalogue: Catalogue) -> Session:
    return store.create_session("Workshop Gent", catalogue, "nl")


@pytest.fixture
def team(store: Store, session: Session) -> Team:
    return store.join(session, "Jeugdwerk")
