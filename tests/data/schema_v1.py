"""The first released schema (version 1), as that release defined it, to test upgrades on any backend.

``store-v1.sql`` beside this file is a SQLite store written by that release;
``make_first_store`` puts the same rows into a SQLite file (the dump itself)
or a PostgreSQL database (these tables, filled from the dump).
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa

DUMP = Path(__file__).parent / "store-v1.sql"

metadata = sa.MetaData()
sa.Table("schema_info", metadata, sa.Column("version", sa.Integer, nullable=False))
sa.Table(
    "sessions",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("code", sa.String(6), nullable=False, unique=True),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("language", sa.String(2), nullable=False),
    sa.Column("trainer_key", sa.String(64), nullable=False),
    sa.Column("catalogue", sa.Text, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
)
sa.Table(
    "teams",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("session_id", sa.ForeignKey("sessions.id", ondelete="CASCADE"), nullable=False),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("name_key", sa.Text, nullable=False),
    sa.Column("joined_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("conclusion", sa.String(8)),
    sa.Column("explanation", sa.Text, nullable=False, server_default=""),
    sa.Column("conclusion_updated_at", sa.DateTime(timezone=True)),
    sa.UniqueConstraint("session_id", "name_key"),
)
sa.Table(
    "answers",
    metadata,
    sa.Column("team_id", sa.ForeignKey("teams.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("motive_id", sa.String(64), primary_key=True),
    sa.Column("applies", sa.Boolean, nullable=False),
    sa.Column("importance", sa.Integer),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
)
sa.Table(
    "own_motives",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("team_id", sa.ForeignKey("teams.id", ondelete="CASCADE"), nullable=False, index=True),
    sa.Column("side", sa.String(8), nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("importance", sa.Integer, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
)


def _value(column: sa.Column, value: object) -> object:
    if value is None:
        return None
    if isinstance(column.type, sa.Boolean):
        return bool(value)
    if isinstance(column.type, sa.DateTime):
        return datetime.fromisoformat(str(value)).replace(tzinfo=UTC)
    return value


def make_first_store(url: str) -> None:
    """A store at ``url`` (a SQLite path or a PostgreSQL URL) as the first release left it."""
    dump = DUMP.read_text(encoding="utf-8")
    if "://" not in url:
        with sqlite3.connect(url) as db:
            db.executescript(dump)
        return
    source = sqlite3.connect(":memory:")
    source.executescript(dump)
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        metadata.create_all(conn)
        for table in metadata.sorted_tables:
            cursor = source.execute(f"select * from {table.name}")
            names = [d[0] for d in cursor.description]
            rows = [{n: _value(table.c[n], v) for n, v in zip(names, row, strict=True)} for row in cursor]
            if rows:
                conn.execute(table.insert(), rows)
        # Rows were copied with their ids: move PostgreSQL's id counters past them, as the app had.
        for table in ("sessions", "teams", "own_motives"):
            conn.exec_driver_sql(
                f"select setval(pg_get_serial_sequence('{table}', 'id'), coalesce((select max(id) from {table}), 1))"
            )
    engine.dispose()
    source.close()
