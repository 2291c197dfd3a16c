"""The store: every SQL statement of the app lives in this module.

SQLite by default, PostgreSQL (``postgresql+psycopg://…``) when ``MOTIVES_DB``
says so. Writes are short transactions that are serialised per session: on
SQLite they start with ``BEGIN IMMEDIATE`` so that the busy timeout applies
instead of a "database is locked" surprise halfway; on PostgreSQL they first
lock the session's row, so that two teams saving at once cannot both insert
the same answer or squeeze past the team limit.
"""

from __future__ import annotations

import hmac
import json
import os
import re
import secrets
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine

from motives import validate
from motives.catalogue import Catalogue, catalogue_from_dict
from motives.errors import InvalidInput, StoreError, UnknownSession, UnknownTeam
from motives.i18n import LANGUAGES

SCHEMA_VERSION = 6
# Any constant: PostgreSQL's advisory lock that lets one process create or upgrade the schema at a time.
_SCHEMA_LOCK = 7_404_231
# No look-alikes: 0/O, 1/I/L are left out, so a code read off a projector is typed right.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 6
_GROUP = re.compile(r"^g-[a-z0-9]{1,32}$")
_UNSET: Any = object()
SESSION_LANGUAGES = LANGUAGES  # one list for the whole app: motives.i18n

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


# Wrong join codes remembered per client address, across every page's kernel (see failed_joins).
join_failures = sa.Table(
    "join_failures",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("client", sa.String(64), nullable=False),
    sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    sa.Index("ix_join_failures_client_at", "client", "at"),
)


DEFAULT_MAX_TEAMS = 40
# One team that pastes hundreds of motives must not slow the dashboard for the whole room.
DEFAULT_MAX_OWN = 100


def _limit_setting(variable: str, default: int) -> int:
    value = os.environ.get(variable, "")
    try:
        return max(1, int(value)) if value else default
    except ValueError:
        raise StoreError(f"{variable} must be a whole number, not {value!r}") from None


def _max_teams_setting() -> int:
    return _limit_setting("MOTIVES_MAX_TEAMS", DEFAULT_MAX_TEAMS)


def default_location() -> Path:
    """Where the store lives when ``MOTIVES_DB`` is not set (XDG data directory)."""
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(base) / "motives" / "motives.db"


def resolve_url(value: str | os.PathLike[str] | None = None) -> str:
    """An SQLAlchemy URL from a path, a URL, ``MOTIVES_DB`` or the default location."""
    if value is None or str(value) == "":
        value = os.environ.get("MOTIVES_DB") or ""
    if not value:
        path = default_location()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"cannot create the store's folder {path.parent}: {exc.strerror}") from None
        return f"sqlite:///{path}"
    value = str(value)
    if "://" in value:
        return value
    return f"sqlite:///{Path(value).expanduser().resolve()}"


def _now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def _utc(value: datetime | None) -> datetime | None:
    # SQLite hands back naive datetimes (everything we wrote was UTC);
    # PostgreSQL hands back its own time zone object: both become datetime.UTC.
    if value is None:
        return None
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def normalise_code(code: str) -> str:
    return "".join(str(code).split()).upper()


@dataclass(frozen=True)
class Session:
    id: int
    code: str
    name: str
    language: str
    catalogue: Catalogue
    created_at: datetime
    trainer_key: str = field(repr=False)

    def key_matches(self, key: object) -> bool:
        """Constant-time comparison, so the key cannot be guessed by timing."""
        if not isinstance(key, str) or not key:
            return False
        return hmac.compare_digest(key.encode(), self.trainer_key.encode())


@dataclass(frozen=True)
class SessionSummary:
    code: str
    name: str
    language: str
    created_at: datetime
    teams: int


@dataclass(frozen=True)
class Team:
    id: int
    name: str
    session: Session


@dataclass(frozen=True)
class Answer:
    motive_id: str
    applies: bool
    importance: int | None
    updated_at: datetime


@dataclass(frozen=True)
class OwnMotive:
    id: int
    side: str
    text: str
    importance: int
    updated_at: datetime


@dataclass(frozen=True)
class TeamAnswers:
    """Everything one team has said, as the team page restores it."""

    answers: dict[str, Answer]
    own: list[OwnMotive]
    conclusion: str | None
    explanation: str


@dataclass(frozen=True)
class TeamRecord:
    id: int
    name: str
    joined_at: datetime
    conclusion: str | None
    explanation: str
    conclusion_updated_at: datetime | None


@dataclass(frozen=True)
class SessionArchive:
    """A whole session as plain data, read from an archive file (see motives.archive)."""

    name: str
    language: str
    trainer_key: str
    created_at: datetime
    revealed: bool
    catalogue: Catalogue
    teams: list[dict]
    links: dict[int, str]


@dataclass(frozen=True)
class SessionState:
    """What pages poll: a number that changes with every write, the reveal flag and the phase timer."""

    revision: int
    revealed: bool
    timer_started_at: datetime | None
    timer_ends_at: datetime | None
    locked: bool = False


@dataclass(frozen=True)
class SessionRecords:
    """All answers of a session as plain rows: the input of :mod:`motives.tally`."""

    session: Session
    teams: list[TeamRecord]
    answers: list[dict]
    own: list[dict]
    links: dict[int, str] = field(default_factory=dict)
    revision: int = 0


class Store:
    def __init__(
        self,
        url: str | os.PathLike[str] | None = None,
        *,
        busy_timeout: float = 15.0,
        max_teams: int | None = None,
        max_own: int | None = None,
        expire_days: int | None = None,
    ) -> None:
        """Open (and create or upgrade) the store.

        ``busy_timeout`` is how long a write waits for another; ``max_teams`` (default
        ``MOTIVES_MAX_TEAMS``, else 40) is how many teams one session accepts, ``max_own``
        (default ``MOTIVES_MAX_OWN``, else 100) how many own motives one team may write.
        ``expire_days`` (default ``MOTIVES_EXPIRE_DAYS``, else 0: never) makes older sessions
        unknown to ``session()``, so their codes stop working on a shared server; 0 turns it off.
        """
        self.url = resolve_url(url)
        self.busy_timeout = busy_timeout
        self.max_teams = max_teams if max_teams is not None else _max_teams_setting()
        self.max_own = max_own if max_own is not None else _limit_setting("MOTIVES_MAX_OWN", DEFAULT_MAX_OWN)
        if expire_days is None:
            expire_days = _limit_setting("MOTIVES_EXPIRE_DAYS", 0) if os.environ.get("MOTIVES_EXPIRE_DAYS") else 0
        self.expire_days = expire_days
        shown = _hide_password(self.url)
        try:
            self.engine = sa.create_engine(self.url)
        except (sa.exc.ArgumentError, sa.exc.NoSuchModuleError, ValueError) as exc:
            raise StoreError(f"cannot use the store {shown!r}: {exc}") from None
        except ImportError as exc:
            raise StoreError(f"cannot use the store {shown!r}: its driver is not installed ({exc.name})") from None
        if self.engine.dialect.name == "sqlite":
            _tune_sqlite(self.engine, int(busy_timeout * 1000))
        if self._schema_version() != SCHEMA_VERSION:
            # Only a new or older store is written to on opening, so a read-only copy can still be read.
            with self._write() as conn:
                if conn.dialect.name == "postgresql":
                    # Twenty kernels may open a new store at once: one creates it, the others wait and see it.
                    conn.execute(sa.select(sa.func.pg_advisory_xact_lock(_SCHEMA_LOCK)))
                fresh = not sa.inspect(conn).has_table("schema_info")
                metadata.create_all(conn)
                if fresh:
                    conn.execute(schema_info.insert().values(version=SCHEMA_VERSION))
                else:
                    _upgrade(conn)

    def _schema_version(self) -> int | None:
        with self._read() as conn:
            if not sa.inspect(conn).has_table("schema_info"):
                return None
            return conn.execute(sa.select(schema_info.c.version)).scalar()

    def __repr__(self) -> str:
        return f"Store({self.display_url!r})"

    @property
    def display_url(self) -> str:
        """The store's URL without its password, for messages and logs."""
        return self.engine.url.render_as_string(hide_password=True)

    def close(self) -> None:
        self.engine.dispose()

    def refresh_statistics(self) -> None:
        """Let the database's planner count the rows again, after a bulk import.

        PostgreSQL's autovacuum does this on its own a little later; until then a freshly
        filled store may read a session's answers by scanning every session's.
        """
        with self._errors(), self.engine.connect() as conn:
            conn.exec_driver_sql("ANALYZE")
            conn.commit()

    @contextmanager
    def _write(self, session: Session | None = None) -> Iterator[Connection]:
        """A write transaction; with ``session``, one at a time per session (see the module's docstring)."""
        with self._errors(), self.engine.connect() as conn:
            conn.execution_options(motives_write=True)
            with conn.begin():
                if session is not None:
                    # FOR NO KEY UPDATE on PostgreSQL (so inserts that merely refer to the
                    # session do not wait); SQLite has no row locks and needs none.
                    lock = sa.select(sessions.c.id).where(sessions.c.id == session.id).with_for_update(key_share=True)
                    if conn.execute(lock).first() is None:
                        raise UnknownSession(session.code)  # deleted while a page still showed it
                yield conn

    @contextmanager
    def _team_write(self, team: Team) -> Iterator[Connection]:
        """A write for one team, refused once the trainer removed that team (its page may still be open)."""
        with self._write(team.session) as conn:
            if conn.execute(sa.select(teams.c.id).where(teams.c.id == team.id)).first() is None:
                raise UnknownTeam(team.name)
            yield conn

    @contextmanager
    def _read(self) -> Iterator[Connection]:
        with self._errors(), self.engine.connect() as conn:
            if conn.dialect.name == "postgresql":
                # One snapshot for the whole read, as SQLite gives: records() must not mix two moments.
                conn.execution_options(isolation_level="REPEATABLE READ")
            with conn.begin():
                yield conn

    @contextmanager
    def _errors(self) -> Iterator[None]:
        try:
            yield
        except sa.exc.IntegrityError as exc:
            # Only a race the locks above do not cover gets here (two imports under one new code).
            raise StoreError(f"the store at {self._where} refused a conflicting change: {exc.orig}") from None
        except sa.exc.OperationalError as exc:
            raise StoreError(f"cannot use the store at {self._where}: {exc.orig}") from None
        except sa.exc.DatabaseError as exc:
            raise StoreError(f"the store at {self._where} is damaged: {exc.orig}") from None

    @property
    def _where(self) -> str:
        return self.engine.url.database if self.engine.dialect.name == "sqlite" else self.display_url

    @staticmethod
    def _bump(conn: Connection, session_id: int, *, team_write: bool = True) -> None:
        """Count a write; a team's write to a locked session is refused and rolled back with it."""
        where = sessions.c.id == session_id
        if team_write:
            where = sa.and_(where, sa.not_(sessions.c.locked))
        if conn.execute(sessions.update().where(where).values(revision=sessions.c.revision + 1)).rowcount == 0:
            raise InvalidInput("session_locked")

    # --- sessions -------------------------------------------------------

    def create_session(self, name: str, catalogue: Catalogue, language: str = "nl") -> Session:
        name = validate.session_name(name)
        if language not in SESSION_LANGUAGES:
            raise InvalidInput("bad_language")
        frozen = json.dumps(catalogue.to_dict(), ensure_ascii=False, sort_keys=True)
        key = secrets.token_urlsafe(18)
        with self._write() as conn:
            taken = sa.select(sessions.c.id).where(sessions.c.code == sa.bindparam("code"))
            while conn.execute(taken, {"code": (code := _new_code())}).first() is not None:
                pass
            conn.execute(
                sessions.insert().values(
                    code=code, name=name, language=language, trainer_key=key, catalogue=frozen, created_at=_now()
                )
            )
        return self.session(code)

    def session(self, code: str) -> Session:
        code = normalise_code(code)
        if not (0 < len(code) <= 12 and code.isalnum() and code.isascii()):
            raise UnknownSession(code[:12])
        with self._read() as conn:
            row = conn.execute(sa.select(sessions).where(sessions.c.code == code)).first()
        if row is None:
            raise UnknownSession(code)
        if self.expire_days and _utc(row.created_at) < _now() - timedelta(days=self.expire_days):
            raise UnknownSession(code)  # said as for any wrong code: an old code tells a guesser nothing
        return Session(
            id=row.id,
            code=row.code,
            name=row.name,
            language=row.language,
            catalogue=catalogue_from_dict(json.loads(row.catalogue), origin=f"session {row.code}"),
            created_at=_utc(row.created_at),
            trainer_key=row.trainer_key,
        )

    def sessions(self) -> list[SessionSummary]:
        """All sessions, newest first, with their number of teams."""
        team_count = sa.select(sa.func.count(teams.c.id)).where(teams.c.session_id == sessions.c.id).scalar_subquery()
        query = sa.select(
            sessions.c.code, sessions.c.name, sessions.c.language, sessions.c.created_at, team_count.label("teams")
        ).order_by(sessions.c.created_at.desc(), sessions.c.id.desc())
        with self._read() as conn:
            return [
                SessionSummary(r.code, r.name, r.language, _utc(r.created_at), r.teams) for r in conn.execute(query)
            ]

    # --- join codes tried from one address ------------------------------------

    def record_failed_join(self, client: str) -> None:
        """Remember a wrong join code from ``client`` (an address the server vouches for)."""
        now = _now()
        with self._write() as conn:
            conn.execute(join_failures.delete().where(join_failures.c.at < now - timedelta(days=1)))
            conn.execute(join_failures.insert().values(client=str(client)[:64], at=now))

    def failed_joins(self, client: str, within: timedelta) -> list[datetime]:
        """When ``client`` gave a wrong join code in the last ``within``, oldest first."""
        query = (
            sa.select(join_failures.c.at)
            .where(join_failures.c.client == str(client)[:64], join_failures.c.at >= _now() - within)
            .order_by(join_failures.c.at)
        )
        with self._read() as conn:
            return [_utc(at) for at in conn.execute(query).scalars()]

    # --- teams ----------------------------------------------------------

    def join(self, session: Session, name: str) -> Team:
        """The team of that name, created on first use.

        Names that differ only in capitals or spacing are one team, so a team
        that types its name again on another device finds its answers back.
        """
        name = validate.team_name(name)
        key = validate.team_name_key(name)
        where = sa.and_(teams.c.session_id == session.id, teams.c.name_key == key)
        with self._write(session) as conn:
            row = conn.execute(sa.select(teams.c.id, teams.c.name).where(where)).first()
            if row is None:
                joined = conn.execute(
                    sa.select(sa.func.count(teams.c.id)).where(teams.c.session_id == session.id)
                ).scalar_one()
                if joined >= self.max_teams:
                    raise InvalidInput("session_full", limit=self.max_teams)
                team_id = conn.execute(
                    teams.insert().values(session_id=session.id, name=name, name_key=key, joined_at=_now())
                ).inserted_primary_key[0]
                self._bump(conn, session.id)
                return Team(team_id, name, session)
        return Team(row.id, row.name, session)

    def find_team(self, session: Session, name: str) -> Team | None:
        try:
            key = validate.team_name_key(validate.team_name(name))
        except InvalidInput:
            return None
        where = sa.and_(teams.c.session_id == session.id, teams.c.name_key == key)
        with self._read() as conn:
            row = conn.execute(sa.select(teams.c.id, teams.c.name).where(where)).first()
        return None if row is None else Team(row.id, row.name, session)

    def remove_team(self, session: Session, name: str) -> None:
        """Remove a team and everything it wrote (the trainer's choice): its place under the cap is free again.

        The team's page, if still open, sees that its team is gone and says so.
        """
        team = self.find_team(session, name)
        if team is None:
            raise UnknownTeam(str(name))
        with self._write(session) as conn:
            # answers, own motives and their merge links go with the team (ON DELETE CASCADE)
            if conn.execute(teams.delete().where(teams.c.id == team.id)).rowcount == 0:
                raise UnknownTeam(team.name)
            self._bump(conn, session.id, team_write=False)  # the trainer may tidy up a locked session

    # --- answers --------------------------------------------------------

    def set_answer(self, team: Team, motive_id: str, applies: bool, importance: int | None = None) -> Answer:
        """Tick or untick a catalogue motive; a ticked motive always has an importance."""
        if not isinstance(motive_id, str) or motive_id not in team.session.catalogue.ids:
            raise InvalidInput("unknown_motive")
        if not isinstance(applies, bool):
            raise InvalidInput("bad_applies")
        if applies:
            importance = validate.DEFAULT_IMPORTANCE if importance is None else validate.importance(importance)
        else:
            importance = None
        now = _now()
        values = dict(applies=applies, importance=importance, updated_at=now)
        where = sa.and_(answers.c.team_id == team.id, answers.c.motive_id == motive_id)
        with self._team_write(team) as conn:
            if conn.execute(answers.update().where(where).values(**values)).rowcount == 0:
                conn.execute(answers.insert().values(team_id=team.id, motive_id=motive_id, **values))
            self._bump(conn, team.session.id)
        return Answer(motive_id, applies, importance, now)

    def add_own_motive(self, team: Team, side: str, text: str, importance: int | None = None) -> OwnMotive:
        side = validate.side(side)
        text = validate.motive_text(text)
        importance = validate.DEFAULT_IMPORTANCE if importance is None else validate.importance(importance)
        now = _now()
        with self._team_write(team) as conn:
            written = conn.execute(
                sa.select(sa.func.count(own_motives.c.id)).where(own_motives.c.team_id == team.id)
            ).scalar_one()
            if written >= self.max_own:
                raise InvalidInput("too_many_own", limit=self.max_own)
            own_id = conn.execute(
                own_motives.insert().values(
                    team_id=team.id, side=side, text=text, importance=importance, created_at=now, updated_at=now
                )
            ).inserted_primary_key[0]
            self._bump(conn, team.session.id)
        return OwnMotive(own_id, side, text, importance, now)

    def update_own_motive(
        self, team: Team, own_id: int, *, text: str | None = None, importance: int | None = None
    ) -> OwnMotive:
        values: dict = {"updated_at": _now()}
        if text is not None:
            values["text"] = validate.motive_text(text)
        if importance is not None:
            values["importance"] = validate.importance(importance)
        where = sa.and_(own_motives.c.id == own_id, own_motives.c.team_id == team.id)
        with self._team_write(team) as conn:
            if conn.execute(own_motives.update().where(where).values(**values)).rowcount == 0:
                raise InvalidInput("unknown_motive")
            row = conn.execute(sa.select(own_motives).where(where)).one()
            self._bump(conn, team.session.id)
        return OwnMotive(row.id, row.side, row.text, row.importance, _utc(row.updated_at))

    def remove_own_motive(self, team: Team, own_id: int) -> None:
        where = sa.and_(own_motives.c.id == own_id, own_motives.c.team_id == team.id)
        with self._team_write(team) as conn:
            if conn.execute(own_motives.delete().where(where)).rowcount == 0:
                raise InvalidInput("unknown_motive")
            self._bump(conn, team.session.id)

    def set_conclusion(self, team: Team, conclusion: str | None = _UNSET, explanation: str = _UNSET) -> None:
        """Save the conclusion, the explanation, or both: a field not given is left as it is.

        Two devices of one team may each change one of them; neither overwrites the other.
        """
        values: dict = {"conclusion_updated_at": _now()}
        if conclusion is not _UNSET:
            values["conclusion"] = validate.conclusion(conclusion)
        if explanation is not _UNSET:
            values["explanation"] = validate.explanation(explanation)
        with self._team_write(team) as conn:
            conn.execute(teams.update().where(teams.c.id == team.id).values(**values))
            self._bump(conn, team.session.id)

    def team_answers(self, team: Team) -> TeamAnswers:
        with self._read() as conn:
            rows = conn.execute(sa.select(answers).where(answers.c.team_id == team.id)).all()
            own = conn.execute(
                sa.select(own_motives).where(own_motives.c.team_id == team.id).order_by(own_motives.c.id)
            ).all()
            t = conn.execute(sa.select(teams.c.conclusion, teams.c.explanation).where(teams.c.id == team.id)).first()
        if t is None:
            raise UnknownTeam(team.name)
        return TeamAnswers(
            answers={r.motive_id: Answer(r.motive_id, r.applies, r.importance, _utc(r.updated_at)) for r in rows},
            own=[OwnMotive(r.id, r.side, r.text, r.importance, _utc(r.updated_at)) for r in own],
            conclusion=t.conclusion,
            explanation=t.explanation,
        )

    def records(self, session: Session) -> SessionRecords:
        """Every team and answer of a session, read in one transaction."""
        team_ids = sa.select(teams.c.id).where(teams.c.session_id == session.id)
        with self._read() as conn:
            team_rows = conn.execute(
                sa.select(teams).where(teams.c.session_id == session.id).order_by(teams.c.joined_at, teams.c.id)
            ).all()
            answer_rows = conn.execute(
                sa.select(answers).where(answers.c.team_id.in_(team_ids)).order_by(answers.c.team_id)
            ).all()
            own_rows = conn.execute(
                sa.select(own_motives).where(own_motives.c.team_id.in_(team_ids)).order_by(own_motives.c.id)
            ).all()
            links = dict(
                conn.execute(
                    sa.select(motive_links.c.own_id, motive_links.c.target).where(
                        motive_links.c.session_id == session.id
                    )
                ).all()
            )
            revision = conn.execute(
                sa.select(sessions.c.revision).where(sessions.c.id == session.id)
            ).scalar_one_or_none()
        if revision is None:
            raise UnknownSession(session.code)  # deleted while a page still showed it
        return SessionRecords(
            session=session,
            teams=[
                TeamRecord(r.id, r.name, _utc(r.joined_at), r.conclusion, r.explanation, _utc(r.conclusion_updated_at))
                for r in team_rows
            ],
            answers=[
                {
                    "team_id": r.team_id,
                    "motive_id": r.motive_id,
                    "applies": r.applies,
                    "importance": r.importance,
                    "updated_at": _utc(r.updated_at),
                }
                for r in answer_rows
            ],
            own=[
                {
                    "team_id": r.team_id,
                    "own_id": r.id,
                    "side": r.side,
                    "text": r.text,
                    "importance": r.importance,
                    "created_at": _utc(r.created_at),
                    "updated_at": _utc(r.updated_at),
                }
                for r in own_rows
            ],
            links=links,
            revision=revision,
        )

    # --- what the trainer steers ------------------------------------------

    def state(self, session: Session) -> SessionState:
        query = sa.select(
            sessions.c.revision,
            sessions.c.revealed,
            sessions.c.timer_started_at,
            sessions.c.timer_ends_at,
            sessions.c.locked,
        ).where(sessions.c.id == session.id)
        with self._read() as conn:
            row = conn.execute(query).one_or_none()
        if row is None:
            raise UnknownSession(session.code)
        return SessionState(row.revision, row.revealed, _utc(row.timer_started_at), _utc(row.timer_ends_at), row.locked)

    def set_revealed(self, session: Session, revealed: bool) -> None:
        """Show the comparison to the teams (or hide it again)."""
        if not isinstance(revealed, bool):
            raise InvalidInput("bad_revealed")
        self._update_session(session, revealed=revealed)

    def start_timer(self, session: Session, minutes: int) -> SessionState:
        minutes = validate.timer_minutes(minutes)
        now = _now()
        self._update_session(session, timer_started_at=now, timer_ends_at=now + timedelta(minutes=minutes))
        return self.state(session)

    def stop_timer(self, session: Session) -> None:
        self._update_session(session, timer_started_at=None, timer_ends_at=None)

    def set_locked(self, session: Session, locked: bool) -> None:
        """Lock the session (no new teams, no changes) or open it again."""
        if not isinstance(locked, bool):
            raise InvalidInput("bad_locked")
        self._update_session(session, locked=locked)

    def delete_session(self, session: Session) -> None:
        """Remove a session and everything in it: teams, answers, own motives, merges, comparisons."""
        team_ids = sa.select(teams.c.id).where(teams.c.session_id == session.id)
        own_ids = sa.select(own_motives.c.id).where(own_motives.c.team_id.in_(team_ids))
        with self._write(session) as conn:
            conn.execute(motive_links.delete().where(motive_links.c.own_id.in_(own_ids)))
            conn.execute(motive_links.delete().where(motive_links.c.session_id == session.id))
            conn.execute(own_motives.delete().where(own_motives.c.team_id.in_(team_ids)))
            conn.execute(answers.delete().where(answers.c.team_id.in_(team_ids)))
            conn.execute(teams.delete().where(teams.c.session_id == session.id))
            conn.execute(
                compared_sessions.delete().where(
                    sa.or_(compared_sessions.c.session_id == session.id, compared_sessions.c.other_id == session.id)
                )
            )
            conn.execute(sessions.delete().where(sessions.c.id == session.id))

    def _update_session(self, session: Session, **values: object) -> None:
        with self._write(session) as conn:
            conn.execute(
                sessions.update().where(sessions.c.id == session.id).values(revision=sessions.c.revision + 1, **values)
            )

    def link_own_motives(self, session: Session, own_ids: Iterable[int], target: str) -> None:
        """Put own motives in the group ``target`` (a catalogue id, ``g-…``), or split them off with ``""``."""
        own_ids = sorted(set(own_ids))
        if not isinstance(target, str) or not (target == "" or target in session.catalogue.ids or _GROUP.match(target)):
            raise InvalidInput("unknown_motive")
        team_ids = sa.select(teams.c.id).where(teams.c.session_id == session.id)
        with self._write(session) as conn:
            found = conn.execute(
                sa.select(own_motives.c.id).where(own_motives.c.id.in_(own_ids), own_motives.c.team_id.in_(team_ids))
            ).scalars()
            if sorted(found) != own_ids:
                raise InvalidInput("unknown_motive")
            conn.execute(motive_links.delete().where(motive_links.c.own_id.in_(own_ids)))
            if own_ids:
                conn.execute(
                    motive_links.insert(), [{"own_id": i, "session_id": session.id, "target": target} for i in own_ids]
                )
            self._bump(conn, session.id, team_write=False)  # the trainer may tidy up a locked session

    # --- archives -----------------------------------------------------------

    def restore_session(self, archive: SessionArchive, code: str) -> Session:
        """Write a whole session from an archive under ``code``, in one transaction: all of it or nothing.

        Every value is checked as if a person had typed it; timestamps are kept
        as they were, so that exporting the restored session gives the same file.
        """
        code = normalise_code(code)
        if not (len(code) == CODE_LENGTH and set(code) <= set(CODE_ALPHABET)):
            raise InvalidInput("bad_code", length=CODE_LENGTH)
        catalogue = archive.catalogue
        with self._write() as conn:
            if conn.execute(sa.select(sessions.c.id).where(sessions.c.code == code)).first():
                raise InvalidInput("code_exists", code=code)
            session_id = conn.execute(
                sessions.insert().values(
                    code=code,
                    name=validate.session_name(archive.name),
                    language=archive.language if archive.language in SESSION_LANGUAGES else "nl",
                    trainer_key=archive.trainer_key,
                    catalogue=json.dumps(catalogue.to_dict(), ensure_ascii=False, sort_keys=True),
                    created_at=archive.created_at,
                    revealed=bool(archive.revealed),
                )
            ).inserted_primary_key[0]
            own_ids: dict[int, int] = {}
            seen_names: set[str] = set()
            for team in archive.teams:
                name = validate.team_name(team["name"])
                key = validate.team_name_key(name)
                if key in seen_names:
                    raise InvalidInput("duplicate_team", name=name)
                seen_names.add(key)
                team_id = conn.execute(
                    teams.insert().values(
                        session_id=session_id,
                        name=name,
                        name_key=key,
                        joined_at=team["joined_at"],
                        conclusion=validate.conclusion(team["conclusion"]),
                        explanation=validate.explanation(team["explanation"]),
                        conclusion_updated_at=team["conclusion_updated_at"],
                    )
                ).inserted_primary_key[0]
                for answer in team["answers"]:
                    if answer["motive_id"] not in catalogue.ids or not isinstance(answer["applies"], bool):
                        raise InvalidInput("archive_unknown_motive")
                    importance = answer["importance"]
                    conn.execute(
                        answers.insert().values(
                            team_id=team_id,
                            motive_id=answer["motive_id"],
                            applies=answer["applies"],
                            importance=None if importance is None else validate.importance(importance),
                            updated_at=answer["updated_at"],
                        )
                    )
                for own in team["own"]:
                    own_ids[own["id"]] = conn.execute(
                        own_motives.insert().values(
                            team_id=team_id,
                            side=validate.side(own["side"]),
                            text=validate.motive_text(own["text"]),
                            importance=validate.importance(own["importance"]),
                            created_at=own["created_at"],
                            updated_at=own["updated_at"],
                        )
                    ).inserted_primary_key[0]
            for own_id, target in archive.links.items():
                if own_id not in own_ids or not (target == "" or target in catalogue.ids or _GROUP.match(target)):
                    raise InvalidInput("archive_unknown_motive")
                conn.execute(motive_links.insert().values(own_id=own_ids[own_id], session_id=session_id, target=target))
        return self.session(code)

    def code_exists(self, code: str) -> bool:
        with self._read() as conn:
            return (
                conn.execute(sa.select(sessions.c.id).where(sessions.c.code == normalise_code(code))).first()
                is not None
            )

    # --- comparing sessions -----------------------------------------------

    def add_compared_session(self, session: Session, code: str, key: str) -> Session:
        """Add another session to this one's comparison; its own trainer key proves the right to see it."""
        other = self.session(code)
        if not other.key_matches(key):
            raise InvalidInput("wrong_key")
        if other.id != session.id:
            with self._write(session) as conn:
                exists = conn.execute(
                    sa.select(compared_sessions).where(
                        compared_sessions.c.session_id == session.id, compared_sessions.c.other_id == other.id
                    )
                ).first()
                if exists is None:
                    conn.execute(compared_sessions.insert().values(session_id=session.id, other_id=other.id))
        return other

    def compared_sessions(self, session: Session) -> list[Session]:
        """This session and the ones added to its comparison, oldest first."""
        with self._read() as conn:
            codes = conn.execute(
                sa.select(sessions.c.code)
                .where(
                    sa.or_(
                        sessions.c.id == session.id,
                        sessions.c.id.in_(
                            sa.select(compared_sessions.c.other_id).where(compared_sessions.c.session_id == session.id)
                        ),
                    )
                )
                .order_by(sessions.c.created_at, sessions.c.id)
            ).scalars()
            codes = list(codes)
        return [self.session(code) for code in codes]


def _new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def _hide_password(url: str) -> str:
    try:
        return sa.engine.make_url(url).render_as_string(hide_password=True)
    except sa.exc.ArgumentError:
        return url.split("@")[-1]


def _upgrade(conn: Connection) -> None:
    """Bring a store written by an earlier version up to this schema, in place; never wipe it."""
    version = conn.execute(sa.select(schema_info.c.version)).scalar_one()
    for target, steps in MIGRATIONS:
        if version < target:
            for step in steps:
                if callable(step):
                    step(conn)
                else:
                    conn.execute(sa.text(step.sql(conn.dialect) if isinstance(step, AddColumn) else step))
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
        spelled = self.type.compile(dialect=dialect)
        rest = "" if self.default is None else f" NOT NULL DEFAULT {self.default}"
        return f"ALTER TABLE {self.table} ADD COLUMN {self.column} {spelled}{rest}"


def _refold_team_names(conn: Connection) -> None:
    """Schema 5: team names are matched after NFKC folding (validate.team_name_key).

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
]


def _tune_sqlite(engine: Engine, busy_timeout_ms: int) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record) -> None:
        # Let SQLAlchemy's "begin" event issue BEGIN itself (pysqlite's own
        # deferred BEGIN would make the busy timeout useless for writers).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {busy_timeout_ms:d}")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get("motives_write") else "BEGIN")
