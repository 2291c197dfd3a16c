"""Throwaway databases on a PostgreSQL server, one per test (or per test server)."""

from __future__ import annotations

import uuid

import sqlalchemy as sa


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
