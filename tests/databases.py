"""Throwaway databases on a PostgreSQL server, one per test (or per test server), and throwaway
clusters of a test's own (to fill, stop or restart)."""

from __future__ import annotations

import os
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pgcluster
import pytest
import sqlalchemy as sa


@contextmanager
def own_cluster(max_connections: int = 200) -> Iterator[tuple[str, Path]]:
    """A PostgreSQL cluster of the test's own: its URL and folder (for pgcluster.pg_ctl). Without
    PostgreSQL the test is skipped, or fails where CI requires PostgreSQL."""
    folder = Path(tempfile.mkdtemp(prefix="motives-own-pg-"))
    try:
        url = pgcluster.start(folder, max_connections=max_connections)
    except RuntimeError as exc:
        pgcluster.stop(folder)
        if os.environ.get("MOTIVES_REQUIRE_POSTGRESQL"):
            pytest.fail(f"PostgreSQL tests not run: {exc}", pytrace=False)
        pytest.skip(f"PostgreSQL tests not run: {exc}")
    try:
        yield url, folder
    finally:
        pgcluster.stop(folder)


def _admin(url: str) -> sa.Engine:
    return sa.create_engine(url, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)


def create_database(server_url: str) -> str:
    """A new, empty database on the server at ``server_url``; returns its URL."""
    name = f"motives_{uuid.uuid4().hex[:12]}"
    admin = _admin(server_url)
    with admin.connect() as conn:
        conn.exec_driver_sql(f"CREATE DATABASE {name}")
    admin.dispose()
    return sa.engine.make_url(server_url).set(database=name).render_as_string(hide_password=False)


def drop_database(url: str) -> None:
    """Drop it again, even while a server still holds connections to it."""
    parsed = sa.engine.make_url(url)
    admin = _admin(parsed.set(database="postgres").render_as_string(hide_password=False))
    with admin.connect() as conn:
        conn.exec_driver_sql(f"DROP DATABASE {parsed.database} WITH (FORCE)")
    admin.dispose()
