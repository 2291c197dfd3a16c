"""The store's tables, and how a store written by an earlier version is brought up to date.

:mod:`motives.store` runs every statement; this module says what the tables
are and what each schema version changed.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from motives import validate
from motives.models import CODE_LENGTH

SCHEMA_VERSION = 11
# Any constant: PostgreSQL's advisory lock that lets one process create or upgrade the schema at a time.
SCHEMA_LOCK = 7_404_231

metadata = sa.MetaData()

schema_info = sa.Table("schema_info", metadata, sa.Column("version", sa.Integer, nullable=False))

sessions = sa.Table(
    "sessions",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("code", sa.String(CODE_LENGTH), nullable=False, unique=True),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("language", sa.String(2), nullable=False),
    sa.Column("trainer_key", sa.String(64), nullable=False),
    sa.Column("catalogue", sa.Text, nullable=False),  # frozen JSON copy
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    # Bumped by every write to the session, so a dashboard can poll one number.
    sa.Column("revision", sa.Integer, nullable=False, server_default="0"),
    sa.Column("revealed", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("timer_started_at", sa.DateTime(timezone=True)),
    sa.Column("timer_ends_at", sa.DateTime(timezone=True)),
    sa.Column("locked", sa.Boolean, nullable=False, server_default=sa.false()),
    # What the projector shows now (a slide's key, motives.projector); "" its first, the join screen.
    # Not a write to the session's answers: setting it leaves the revision alone.
    sa.Column("screen", sa.String(validate.SCREEN_LENGTH), nullable=False, server_default=""),
)

teams = sa.Table(
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
    # In the team's own link (models.Team.key); "" only for a row of a store older than schema 8, given one then.
    sa.Column("team_key", sa.String(32), nullable=False, server_default=""),
    sa.UniqueConstraint("session_id", "name_key"),
)

answers = sa.Table(
    "answers",
    metadata,
    sa.Column("team_id", sa.ForeignKey("teams.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("motive_id", sa.String(64), primary_key=True),
    sa.Column("applies", sa.Boolean, nullable=False),
    sa.Column("importance", sa.Integer),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
)

own_motives = sa.Table(
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

# The trainer's merges and splits of own motives (see motives.grouping).
motive_links = sa.Table(
    "motive_links",
    metadata,
    sa.Column("own_id", sa.ForeignKey("own_motives.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("session_id", sa.ForeignKey("sessions.id", ondelete="CASCADE"), nullable=False, index=True),
    sa.Column("target", sa.String(64), nullable=False),
)

# Sessions a trainer has added to a session's dashboard to compare with, each proven by its key.
compared_sessions = sa.Table(
    "compared_sessions",
    metadata,
    sa.Column("session_id", sa.ForeignKey("sessions.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("other_id", sa.ForeignKey("sessions.id", ondelete="CASCADE"), primary_key=True),
    # Deleting a session looks for the comparisons that point at it.
    sa.Index("ix_compared_sessions_other_id", "other_id"),
)


def _moments_per_client(name: str) -> sa.Table:
    """A log of moments per client (a device's address), read by client and time and cleared with age."""
    return sa.Table(
        name,
        metadata,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("client", sa.String(64), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Index(f"ix_{name}_client_at", "client", "at"),
    )


# Wrong join codes remembered per client address, across every page's kernel (see failed_joins).
join_failures = _moments_per_client("join_failures")
# New teams remembered per device for a while, across every page's kernel (see Store.new_team): a
# script that opens page after page meets one limit of joins per device.
team_joins = _moments_per_client("team_joins")

# Names the trainer removed a team by and barred: no team joins by that name (or one that looks like it) again.
barred_teams = sa.Table(
    "barred_teams",
    metadata,
    sa.Column("session_id", sa.ForeignKey("sessions.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("name_key", sa.Text, primary_key=True),
    sa.Column("name", sa.Text, nullable=False),
)


# The trainer's own catalogues, saved by name from the home's editor: the same JSON a session freezes.
catalogues = sa.Table(
    "catalogues",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.String(120), nullable=False, unique=True),
    sa.Column("catalogue", sa.Text, nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
)


def upgrade(conn: Connection) -> None:
    """Bring a store written by an earlier version up to this schema, in place; never wipe it."""
    version = conn.execute(sa.select(schema_info.c.version)).scalar_one()
    for target, steps in MIGRATIONS:
        if version < target:
            for step in steps:
                if callable(step):
                    step(conn)
                elif isinstance(step, AddColumn):
                    # A column already there (an upgrade that stopped half-way) is not added twice.
                    if step.column not in {c["name"] for c in sa.inspect(conn).get_columns(step.table)}:
                        conn.execute(sa.text(step.sql(conn.dialect)))
                else:
                    conn.execute(sa.text(step))
            conn.execute(schema_info.update().values(version=target))
            version = target


@dataclass(frozen=True)
class AddColumn:
    """``ALTER TABLE … ADD COLUMN`` with the column type spelled in the store's own dialect."""

    table: str
    column: str
    type: sa.types.TypeEngine
    default: str | None = None  # SQL literal; a NOT NULL column needs one for the rows already there

    def sql(self, dialect: sa.engine.Dialect) -> str:
        """The statement in the SQL of ``dialect``."""
        spelled = self.type.compile(dialect=dialect)
        rest = "" if self.default is None else f" NOT NULL DEFAULT {self.default}"
        return f"ALTER TABLE {self.table} ADD COLUMN {self.column} {spelled}{rest}"


def _refold_team_names(conn: Connection) -> None:
    """Schema 5: team names are matched after NFKC folding; schema 7: by their confusable skeleton
    as well (validate.team_name_key).

    Where two teams of one session would now share a key, the later one keeps its old
    key, so no team and no answer is lost; it can still be reached by its bookmark.
    """
    rows = conn.execute(
        sa.select(teams.c.id, teams.c.session_id, teams.c.name, teams.c.name_key).order_by(teams.c.id)
    ).all()
    taken = {(r.session_id, r.name_key) for r in rows}
    for row in rows:
        key = validate.team_name_key(row.name)
        if key != row.name_key and (row.session_id, key) not in taken:
            conn.execute(teams.update().where(teams.c.id == row.id).values(name_key=key))
            taken.discard((row.session_id, row.name_key))
            taken.add((row.session_id, key))


def new_team_key() -> str:
    """A team's key: 16 characters from a URL-safe alphabet (96 bits), never guessed."""
    return secrets.token_urlsafe(12)


def _give_teams_keys(conn: Connection) -> None:
    """Schema 8: every team has a key of its own; a team of an older store gets one now (its old
    bookmark, without the key, then asks for the team's link)."""
    for team_id in conn.execute(sa.select(teams.c.id).where(teams.c.team_key == "")).scalars().all():
        conn.execute(teams.update().where(teams.c.id == team_id).values(team_key=new_team_key()))


# (version, steps): what each schema version changed in the one before, as
# AddColumn, plain SQL that both SQLite and PostgreSQL understand, or a function
# of the connection for what SQL alone cannot say.
# New tables need no entry: create_all makes them (but not new indexes on old tables).
MIGRATIONS: list[tuple[int, list[AddColumn | str | Callable[[Connection], None]]]] = [
    (
        2,
        [
            AddColumn("sessions", "revision", sa.Integer(), "0"),
            AddColumn("sessions", "revealed", sa.Boolean(), "FALSE"),
            AddColumn("sessions", "timer_started_at", sa.DateTime(timezone=True)),
            AddColumn("sessions", "timer_ends_at", sa.DateTime(timezone=True)),
        ],
    ),
    (3, [AddColumn("sessions", "locked", sa.Boolean(), "FALSE")]),
    (4, ["CREATE INDEX IF NOT EXISTS ix_compared_sessions_other_id ON compared_sessions (other_id)"]),
    (5, [_refold_team_names]),
    (6, []),  # join_failures: a new table, which create_all makes
    (7, [_refold_team_names]),  # team names are also matched by their confusable skeleton
    (8, [AddColumn("teams", "team_key", sa.String(32), "''"), _give_teams_keys]),
    (9, []),  # catalogues: a new table, which create_all makes
    (10, [AddColumn("sessions", "screen", sa.String(validate.SCREEN_LENGTH), "''")]),
    (11, []),  # team_joins and barred_teams: new tables, which create_all makes
]
