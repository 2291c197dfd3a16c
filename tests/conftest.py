"""Fixtures shared by all tests: a real SQLite store in a temporary folder."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

from motives.catalogue import Catalogue, default_catalogue
from motives.store import Session, Store, Team

DATA = Path(__file__).parent / "data"


def pytest_configure(config: pytest.Config) -> None:
    # Every kernel that nbval or a test server starts inherits this: no test
    # ever touches the trainer's real store.
    folder = tempfile.mkdtemp(prefix="motives-tests-")
    os.environ["MOTIVES_DB"] = str(Path(folder) / "pytest.db")
    os.environ.pop("QUERY_STRING", None)


@pytest.fixture
def store(tmp_path: Path) -> Store:
    store = Store(tmp_path / "motives.db")
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
