"""The store: every SQL statement of the app lives in this module.

SQLite by default, PostgreSQL (``postgresql+psycopg://…``) when ``MOTIVES_DB``
says so. Writes are short transactions that are serialised per session: on
SQLite they start with ``BEGIN IMMEDIATE`` so that the busy timeout applies
instead of a "database is locked" surprise halfway; on PostgreSQL they first
lock the session's row, so that two teams saving at once cannot both insert
the same answer or squeeze past the team limit.
"""

from __future__ import annotations

import json
import math
import os
import random
import secrets
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, overload

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine

from motives import validate
from motives.catalogue import catalogue_from_dict
from motives.errors import InvalidInput, Phrase, StoreError, UnknownSession, UnknownTeam
from motives.i18n import DEFAULT_LANGUAGE, LANGUAGES
from motives.models import (
    CODE_ALPHABET,
    CODE_LENGTH,
    UNSET,
    Answer,
    ArchivedTeam,
    Catalogue,
    OwnMotive,
    Session,
    SessionArchive,
    SessionRecords,
    SessionState,
    SessionSummary,
    Team,
    TeamAnswers,
    TeamRecord,
    Unset,
    is_code,
    normalise_code,
)
from motives.schema import (
    SCHEMA_LOCK,
    SCHEMA_VERSION,
    answers,
    barred_teams,
    catalogues,
    compared_sessions,
    join_failures,
    metadata,
    motive_links,
    new_team_key,
    own_motives,
    schema_info,
    sessions,
    team_joins,
    teams,
    upgrade,
)
from motives.settings import Settings
from motives.system import data_folder

SESSION_LANGUAGES = LANGUAGES  # one list for the whole app: motives.i18n
# New teams from one device (an address, an IPv6 /64, as the server saw it): a room behind one NAT
# joins ten teams at once and ten more every two minutes; a script that joined twelve in 95 s on
# main fills a 40-team session in six minutes instead of three, and the trainer bars its names.
JOINS_PER_CLIENT = 10
JOINS_WINDOW = timedelta(minutes=2)


DEFAULTS = Settings()  # a store opened without settings: the laptop's defaults, not the environment's


def default_location() -> Path:
    """Where the store lives when ``MOTIVES_DB`` is not set: the system's folder for the app's data."""
    return data_folder() / "motives.db"


def resolve_url(value: str | os.PathLike[str] | None = None, settings: Settings = DEFAULTS) -> str:
    """An SQLAlchemy URL from a path, a URL, the settings' store (``MOTIVES_DB``) or the default location."""
    if value is None or str(value) == "":
        value = settings.db
    if not value:
        path = default_location()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError("store_no_folder", folder=path.parent, reason=exc.strerror) from None
        return f"sqlite:///{path}"
    value = str(value)
    if "://" in value:
        return value
    return f"sqlite:///{Path(value).expanduser().resolve()}"


def _insert(conn: Connection, table: sa.Table, **values: Any) -> int:
    """Insert one row of ``values`` into ``table``: the id the database gave it (every table here has one)."""
    key = conn.execute(table.insert().values(**values)).inserted_primary_key
    assert key is not None, "an insert into a table without a primary key"
    return int(key[0])


# What a restored session and its own motives take from their archive as it is.
ARCHIVED_SESSION_COLUMNS = (
    "name",
    "language",
    "trainer_key",
    "created_at",
    "revealed",
    "locked",
    "timer_started_at",
    "timer_ends_at",
    "screen",
)
ARCHIVED_OWN_COLUMNS = ("side", "text", "importance", "created_at", "updated_at")


def _now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


@overload
def _utc(value: datetime) -> datetime: ...
@overload
def _utc(value: None) -> None: ...
def _utc(value: datetime | None) -> datetime | None:
    # SQLite hands back naive datetimes (everything we wrote was UTC);
    # PostgreSQL hands back its own time zone object: both become datetime.UTC.
    if value is None:
        return None
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


# Sessions per query in a bulk read: well under SQLite's limit of bound values in one statement.
_CHUNK = 500

# On PostgreSQL every read and write opens its own connection and closes it at once (no pool): an
# open page that is not saving holds none, so a server's connections follow what the pages do, not
# how many are open (docs/deploy.md, "Connections"). A server that is full (too many clients) or
# still starting is asked again, for at most this long, before the page says the store is unusable.
CONNECT_WAIT_SECONDS = 5.0
# What a PostgreSQL server that is full or starting says as it refuses a connection. libpq hands the
# refusal over as text only (no SQLSTATE): these are its English words (lc_messages 'C' or 'en'; under
# another lc_messages a full server's refusal is said to the page at once, as before).
_BUSY_REFUSALS = ("too many clients", "remaining connection slots are reserved", "the database system is starting up")


def _engine(url: str, connections: int | None = None) -> Engine:
    """The engine for ``url``: SQLite as it always was; PostgreSQL without prepared statements, so that
    a transaction-pooling PgBouncer can stand between the pages and the server, and without a pool,
    unless ``connections`` asks for one of that many (the server's, which serves every team page)."""
    parsed = sa.engine.make_url(url)
    if parsed.get_backend_name() != "postgresql":
        return sa.create_engine(url)
    # A database that does not answer at all (a network gone, not a refusal) is given up on after 10 s.
    connect_args = {"prepare_threshold": None, "connect_timeout": 10} if parsed.get_driver_name() == "psycopg" else {}
    if connections is None:
        return sa.create_engine(url, poolclass=sa.pool.NullPool, connect_args=connect_args)
    # Pinged before use: after a restart of the database the first save must not meet a dead connection.
    return sa.create_engine(
        url, pool_size=connections, max_overflow=0, pool_pre_ping=True, pool_timeout=60, connect_args=connect_args
    )


def _chunks(items: list[str], size: int) -> Iterator[list[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


class Store:
    def __init__(
        self,
        url: str | os.PathLike[str] | None = None,
        *,
        settings: Settings = DEFAULTS,
        busy_timeout: float = 15.0,
        max_teams: int | None = None,
        max_own: int | None = None,
        expire_days: int | None = None,
        connections: int | None = None,
    ) -> None:
        """Open (and create or upgrade) the store.

        ``settings`` are the deployment's (:class:`motives.settings.Settings`, read by the entry
        point); without them, the laptop's defaults. ``url`` (default the settings' ``db``, else the
        default file) says where the store is. ``busy_timeout`` is how long a write waits for
        another; ``max_teams`` (default the settings', 40) is how many teams one session accepts,
        ``max_own`` (default 100) how many own motives one team may write. ``expire_days`` (default
        0: never) makes older sessions unknown to ``session()``, so their codes stop working on a
        shared server. ``connections``: on PostgreSQL, keep a pool of that many connections (for a
        process that serves many pages at once); by default each read and write opens its own.
        """
        self.url = resolve_url(url, settings)
        self.busy_timeout = busy_timeout
        self.max_teams = max_teams if max_teams is not None else settings.max_teams
        self.max_own = max_own if max_own is not None else settings.max_own
        self.expire_days = expire_days if expire_days is not None else settings.expire_days
        shown = _hide_password(self.url)
        try:
            self.engine = _engine(self.url, connections)
        except (sa.exc.ArgumentError, sa.exc.NoSuchModuleError, ValueError) as exc:
            raise StoreError("store_bad_url", store=repr(shown), detail=exc) from None
        except ImportError as exc:
            raise StoreError("store_no_driver", store=repr(shown), driver=exc.name) from None
        if self.engine.dialect.name == "sqlite":
            _tune_sqlite(self.engine, int(busy_timeout * 1000))
        if self._schema_version() != SCHEMA_VERSION:
            # Only a new or older store is written to on opening, so a read-only copy can still be read.
            with self._write() as conn:
                if conn.dialect.name == "postgresql":
                    # Twenty kernels may open a new store at once: one creates it, the others wait and see it.
                    conn.execute(sa.select(sa.func.pg_advisory_xact_lock(SCHEMA_LOCK)))
                fresh = not sa.inspect(conn).has_table("schema_info")
                metadata.create_all(conn)
                if fresh:
                    conn.execute(schema_info.insert().values(version=SCHEMA_VERSION))
                else:
                    upgrade(conn)

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

    def files(self) -> list[Path]:
        """The files an SQLite store lives in (the database and its journals); none for a server."""
        url = sa.engine.make_url(self.url)
        if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
            return []
        database = Path(url.database).expanduser().resolve()
        return [database] + [database.with_name(database.name + suffix) for suffix in ("-wal", "-shm", "-journal")]

    def close(self) -> None:
        """Let go of the store's connections."""
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
        with self._errors(), self._connect() as conn:
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
        with self._errors(), self._connect() as conn:
            if conn.dialect.name == "postgresql":
                # One snapshot for the whole read, as SQLite gives: records() must not mix two moments.
                conn.execution_options(isolation_level="REPEATABLE READ")
            with conn.begin():
                yield conn

    def _connect(self) -> Connection:
        """A connection; a PostgreSQL server that is full or starting is asked again, with a growing
        pause, for up to :data:`CONNECT_WAIT_SECONDS` (a room that joins at once waits its turn)."""
        deadline = time.monotonic() + CONNECT_WAIT_SECONDS
        pause = 0.02
        while True:
            try:
                return self.engine.connect()
            except sa.exc.OperationalError as exc:
                busy = any(words in str(exc.orig) for words in _BUSY_REFUSALS)
                if not busy or time.monotonic() + pause > deadline:
                    raise
            time.sleep(pause * (0.5 + random.random()))  # spreads the retries of a room apart
            pause = min(pause * 2, 0.5)

    @contextmanager
    def _errors(self) -> Iterator[None]:
        try:
            yield
        except sa.exc.IntegrityError as exc:
            # Only a race the locks above do not cover gets here (two imports under one new code).
            raise StoreError("store_conflict", where=self._where, detail=exc.orig) from None
        except sa.exc.OperationalError as exc:
            raise StoreError("store_unusable", where=self._where, detail=exc.orig) from None
        except sa.exc.DatabaseError as exc:
            raise StoreError("store_damaged", where=self._where, detail=exc.orig) from None

    @property
    def _where(self) -> str:
        return (self.engine.url.database or "") if self.engine.dialect.name == "sqlite" else self.display_url

    @staticmethod
    def _bump(conn: Connection, session_id: int, *, team_write: bool = True) -> None:
        """Count a write; a team's write to a locked session is refused and rolled back with it."""
        where = sessions.c.id == session_id
        if team_write:
            where = sa.and_(where, sa.not_(sessions.c.locked))
        if conn.execute(sessions.update().where(where).values(revision=sessions.c.revision + 1)).rowcount == 0:
            raise InvalidInput("session_locked")

    # --- sessions -------------------------------------------------------

    def create_session(self, name: str, catalogue: Catalogue, language: str = DEFAULT_LANGUAGE) -> Session:
        """A new session on a frozen copy of ``catalogue``, with a fresh join code and trainer key."""
        name = validate.session_name(name)
        if language not in SESSION_LANGUAGES:
            raise InvalidInput("bad_language")
        frozen = _frozen(catalogue)
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
        """The session with this join code; :class:`UnknownSession` for a wrong or expired one."""
        code = normalise_code(code)
        if not (0 < len(code) <= 12 and code.isalnum() and code.isascii()):
            raise UnknownSession(code[:12])
        with self._read() as conn:
            row = conn.execute(sa.select(sessions).where(sessions.c.code == code)).first()
        if row is None:
            raise UnknownSession(code)
        return self._session_of(row, {})

    def key_fits(self, code: str, key: str, which: str = "trainer") -> bool:
        """Whether ``key`` is session ``code``'s trainer key (``which="screen"``: its screen key), without
        the key leaving the store: the overview's and the projector's forms ask this of the server's store
        service (motives.remote) before their key fits. :class:`UnknownSession` for a wrong code."""
        if which not in ("trainer", "screen"):
            raise ValueError(f"no such key: {which!r}")
        session = self.session(code)
        return session.key_matches(key) if which == "trainer" else session.screen_key_matches(key)

    def expired(self, created_at: datetime) -> bool:
        """Whether a session made at ``created_at`` is past ``expire_days`` (its code no longer works)."""
        return bool(self.expire_days) and _utc(created_at) < _now() - timedelta(days=self.expire_days)

    def _session_of(self, row: Any, parsed: dict[str, Catalogue]) -> Session:
        """A session from its row; ``parsed`` keeps the catalogues already read, as most sessions share one."""
        if self.expired(row.created_at):
            raise UnknownSession(row.code)  # said as for any wrong code: an old code tells a guesser nothing
        if row.catalogue not in parsed:
            parsed[row.catalogue] = catalogue_from_dict(
                json.loads(row.catalogue), origin=Phrase("err_stored_session", code=row.code)
            )
        return Session(
            id=row.id,
            code=row.code,
            name=row.name,
            language=row.language,
            catalogue=parsed[row.catalogue],
            created_at=_utc(row.created_at),
            trainer_key=row.trainer_key,
        )

    def sessions(self) -> list[SessionSummary]:
        """All sessions, newest first, with their number of teams, of those that answered, and the lock."""
        of_session = teams.c.session_id == sessions.c.id
        team_count = sa.select(sa.func.count(teams.c.id)).where(of_session).scalar_subquery()
        # As tally.teams_frame says a team answered: a tick, an own motive, a conclusion or an explanation.
        ticked = sa.exists().where(answers.c.team_id == teams.c.id, answers.c.applies)
        wrote = sa.exists().where(own_motives.c.team_id == teams.c.id)
        concluded = sa.or_(teams.c.conclusion.is_not(None), teams.c.explanation != "", ticked, wrote)
        answered = sa.select(sa.func.count(teams.c.id)).where(of_session, concluded).scalar_subquery()
        query = sa.select(
            sessions.c.code,
            sessions.c.name,
            sessions.c.language,
            sessions.c.created_at,
            team_count.label("teams"),
            sessions.c.trainer_key,
            answered.label("answered"),
            sessions.c.locked,
        ).order_by(sessions.c.created_at.desc(), sessions.c.id.desc())
        with self._read() as conn:
            return [
                SessionSummary(
                    r.code, r.name, r.language, _utc(r.created_at), r.teams, r.trainer_key, r.answered, r.locked
                )
                for r in conn.execute(query)
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
        """The team of that name, created on first use (for the trainer's own tools: the demo, scripts).

        Names that differ only in capitals, spacing or look-alike letters are one team. A team
        page never finds a team by its name alone: it makes a new one (:meth:`new_team`) or
        opens one with its key.
        """
        return self._join(session, name, existing=True)

    def new_team(self, session: Session, name: str, client: str = "") -> Team:
        """A new team of that name; refused (``team_taken``) if the session already has a team by that
        name, (``team_barred``) if the trainer barred it, and (``joins_wait``) if ``client``, the device
        a server vouches for, made :data:`JOINS_PER_CLIENT` teams in the last :data:`JOINS_WINDOW`."""
        return self._join(session, name, existing=False, client=client)

    def _join(self, session: Session, name: str, *, existing: bool, client: str = "") -> Team:
        name = validate.team_name(name)
        key = validate.team_name_key(name)
        where = sa.and_(teams.c.session_id == session.id, teams.c.name_key == key)
        with self._write(session) as conn:
            row = conn.execute(sa.select(teams.c.id, teams.c.name, teams.c.team_key).where(where)).first()
            if row is None:
                barred = sa.and_(barred_teams.c.session_id == session.id, barred_teams.c.name_key == key)
                if not existing and _count(conn, barred_teams.c.name_key, barred):
                    raise InvalidInput("team_barred", name=name)
                if _count(conn, teams.c.id, teams.c.session_id == session.id) >= self.max_teams:
                    raise InvalidInput("session_full", limit=self.max_teams)
                if client:
                    self._count_join(conn, str(client)[:64])
                team_key = new_team_key()
                values = {"session_id": session.id, "name": name, "name_key": key, "team_key": team_key}
                team_id = _insert(conn, teams, **values, joined_at=_now())
                self._bump(conn, session.id)
                return Team(team_id, name, session, team_key)
        if not existing:
            raise InvalidInput("team_taken", name=row.name)
        return Team(row.id, row.name, session, row.team_key)

    def find_team(self, session: Session, name: str) -> Team | None:
        """The team of this session with this name (capitals, spaces and look-alike letters aside), or None."""
        try:
            key = validate.team_name_key(validate.team_name(name))
        except InvalidInput:
            return None
        where = sa.and_(teams.c.session_id == session.id, teams.c.name_key == key)
        with self._read() as conn:
            row = conn.execute(sa.select(teams.c.id, teams.c.name, teams.c.team_key).where(where)).first()
        return None if row is None else Team(row.id, row.name, session, row.team_key)

    @staticmethod
    def _count_join(conn: Connection, client: str) -> None:
        """Count a new team from ``client``, or refuse it when the device made too many of late."""
        now = _now()
        conn.execute(team_joins.delete().where(team_joins.c.at < now - timedelta(days=1)))
        recent = (
            conn.execute(
                sa.select(team_joins.c.at)
                .where(team_joins.c.client == client, team_joins.c.at >= now - JOINS_WINDOW)
                .order_by(team_joins.c.at)
            )
            .scalars()
            .all()
        )
        if len(recent) >= JOINS_PER_CLIENT:
            wait = _utc(recent[-JOINS_PER_CLIENT]) + JOINS_WINDOW - now
            raise InvalidInput("joins_wait", seconds=max(1, math.ceil(wait.total_seconds())))
        conn.execute(team_joins.insert().values(client=client, at=now))

    def remove_team(self, session: Session, name: str, *, bar: bool = False) -> None:
        """Remove a team and everything it wrote (the trainer's choice): its place under the cap is free again.
        With ``bar``, no new team may take that name (or one that looks like it) again in this session.

        The team's page, if still open, sees that its team is gone and says so.
        """
        team = self.find_team(session, name)
        if team is None:
            raise UnknownTeam(str(name))
        with self._write(session) as conn:
            # answers, own motives and their merge links go with the team (ON DELETE CASCADE)
            if conn.execute(teams.delete().where(teams.c.id == team.id)).rowcount == 0:
                raise UnknownTeam(team.name)
            if bar:
                key = validate.team_name_key(team.name)
                where = sa.and_(barred_teams.c.session_id == session.id, barred_teams.c.name_key == key)
                if not _count(conn, barred_teams.c.name_key, where):
                    conn.execute(barred_teams.insert().values(session_id=session.id, name_key=key, name=team.name))
            self._bump(conn, session.id, team_write=False)  # the trainer may tidy up a locked session

    def barred_teams(self, session: Session) -> list[str]:
        """The names the trainer barred in this session, by name."""
        query = sa.select(barred_teams.c.name).where(barred_teams.c.session_id == session.id)
        with self._read() as conn:
            return list(conn.execute(query.order_by(barred_teams.c.name)).scalars())

    def unbar_team(self, session: Session, name: str) -> bool:
        """Let a barred name (or one that looks like it) join again; False if it was not barred."""
        key = validate.team_name_key(validate.team_name(name))
        where = sa.and_(barred_teams.c.session_id == session.id, barred_teams.c.name_key == key)
        with self._write(session) as conn:
            return conn.execute(barred_teams.delete().where(where)).rowcount > 0

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
        """Add a motive the team wrote itself; refused past the store's ``max_own``."""
        side = validate.side(side)
        text = validate.motive_text(text)
        importance = validate.DEFAULT_IMPORTANCE if importance is None else validate.importance(importance)
        now = _now()
        with self._team_write(team) as conn:
            if _count(conn, own_motives.c.id, own_motives.c.team_id == team.id) >= self.max_own:
                raise InvalidInput("too_many_own", limit=self.max_own)
            own_id = _insert(
                conn,
                own_motives,
                team_id=team.id,
                side=side,
                text=text,
                importance=importance,
                created_at=now,
                updated_at=now,
            )
            self._bump(conn, team.session.id)
        return OwnMotive(own_id, side, text, importance, now)

    def update_own_motive(
        self, team: Team, own_id: int, *, text: str | None = None, importance: int | None = None
    ) -> OwnMotive:
        """Change the text or the importance of one of the team's own motives."""
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
        """Remove one of the team's own motives (and the trainer's link for it)."""
        where = sa.and_(own_motives.c.id == own_id, own_motives.c.team_id == team.id)
        with self._team_write(team) as conn:
            if conn.execute(own_motives.delete().where(where)).rowcount == 0:
                raise InvalidInput("unknown_motive")
            self._bump(conn, team.session.id)

    def set_conclusion(
        self, team: Team, conclusion: str | Unset | None = UNSET, explanation: str | Unset = UNSET
    ) -> None:
        """Save the conclusion, the explanation, or both: a field not given is left as it is.

        Two devices of one team may each change one of them; neither overwrites the other.
        """
        values: dict = {"conclusion_updated_at": _now()}
        if conclusion is not UNSET:
            values["conclusion"] = validate.conclusion(conclusion)
        if explanation is not UNSET:
            values["explanation"] = validate.explanation(explanation)
        with self._team_write(team) as conn:
            conn.execute(teams.update().where(teams.c.id == team.id).values(**values))
            self._bump(conn, team.session.id)

    def team_answers(self, team: Team) -> TeamAnswers:
        """Everything the team has said so far, as its page restores it."""
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
        with self._read() as conn:
            return self._records_in(conn, {session.id: session})[session.id]

    def records_of(self, codes: Iterable[str]) -> list[SessionRecords]:
        """Every team and answer of many sessions (by join code, in that order), read in one transaction.

        A few queries for the lot rather than a few per session: a trainer's notebook reads 1,000.
        """
        wanted = [normalise_code(code) for code in codes]
        found: dict[str, SessionRecords] = {}
        parsed: dict[str, Catalogue] = {}
        with self._read() as conn:
            for chunk in _chunks(sorted(set(wanted)), _CHUNK):
                rows = conn.execute(sa.select(sessions).where(sessions.c.code.in_(chunk))).all()
                chosen = {row.id: self._session_of(row, parsed) for row in rows}
                found.update((r.session.code, r) for r in self._records_in(conn, chosen).values())
        missing = next((code for code in wanted if code not in found), None)
        if missing is not None:
            raise UnknownSession(missing[:12])
        return [found[code] for code in wanted]

    @staticmethod
    def _records_in(conn: Connection, chosen: dict[int, Session]) -> dict[int, SessionRecords]:
        ids = list(chosen)
        team_ids = sa.select(teams.c.id).where(teams.c.session_id.in_(ids))
        team_rows = conn.execute(
            sa.select(teams).where(teams.c.session_id.in_(ids)).order_by(teams.c.joined_at, teams.c.id)
        ).all()
        # Named columns and plain tuples: a notebook reads 200,000 answers, and Row attributes cost.
        answer_rows = conn.execute(
            sa.select(
                answers.c.team_id, answers.c.motive_id, answers.c.applies, answers.c.importance, answers.c.updated_at
            )
            .where(answers.c.team_id.in_(team_ids))
            .order_by(answers.c.team_id)
        ).all()
        own_rows = conn.execute(
            sa.select(
                own_motives.c.team_id,
                own_motives.c.id,
                own_motives.c.side,
                own_motives.c.text,
                own_motives.c.importance,
                own_motives.c.created_at,
                own_motives.c.updated_at,
            )
            .where(own_motives.c.team_id.in_(team_ids))
            .order_by(own_motives.c.id)
        ).all()
        link_rows = conn.execute(
            sa.select(motive_links.c.session_id, motive_links.c.own_id, motive_links.c.target).where(
                motive_links.c.session_id.in_(ids)
            )
        ).all()
        revisions = dict(
            conn.execute(sa.select(sessions.c.id, sessions.c.revision).where(sessions.c.id.in_(ids))).all()
        )
        gone = next((s for i, s in chosen.items() if i not in revisions), None)
        if gone is not None:
            raise UnknownSession(gone.code)  # deleted while a page still showed it
        found = {
            i: SessionRecords(session=s, teams=[], answers=[], own=[], revision=revisions[i]) for i, s in chosen.items()
        }
        _sort_rows(found, team_rows, answer_rows, own_rows)
        for r in link_rows:
            found[r.session_id].links[r.own_id] = r.target
        return found

    # --- what the trainer steers ------------------------------------------

    def state(self, session: Session) -> SessionState:
        """What pages poll: the revision, the reveal flag, the phase timer and the lock."""
        query = sa.select(
            sessions.c.revision,
            sessions.c.revealed,
            sessions.c.timer_started_at,
            sessions.c.timer_ends_at,
            sessions.c.locked,
            sessions.c.screen,
        ).where(sessions.c.id == session.id)
        with self._read() as conn:
            row = conn.execute(query).one_or_none()
        if row is None:
            raise UnknownSession(session.code)
        return SessionState(
            row.revision, row.revealed, _utc(row.timer_started_at), _utc(row.timer_ends_at), row.locked, row.screen
        )

    def set_screen(self, session: Session, screen: str) -> None:
        """Put slide ``screen`` on the projector (motives.projector). The answers did not change, so the
        revision stays: no dashboard or team page redraws for it; the projector follows ``state``."""
        screen = validate.screen(screen)
        with self._write(session) as conn:
            conn.execute(sessions.update().where(sessions.c.id == session.id).values(screen=screen))

    def set_revealed(self, session: Session, revealed: bool) -> None:
        """Show the comparison to the teams (or hide it again)."""
        if not isinstance(revealed, bool):
            raise InvalidInput("bad_revealed")
        self._update_session(session, revealed=revealed)

    def start_timer(self, session: Session, minutes: int) -> SessionState:
        """Start the phase timer for ``minutes`` from now."""
        minutes = validate.timer_minutes(minutes)
        now = _now()
        self._update_session(session, timer_started_at=now, timer_ends_at=now + timedelta(minutes=minutes))
        return self.state(session)

    def stop_timer(self, session: Session) -> None:
        """Stop the phase timer."""
        self._update_session(session, timer_started_at=None, timer_ends_at=None)

    def set_locked(self, session: Session, locked: bool) -> None:
        """Lock the session (no new teams, no changes) or open it again."""
        if not isinstance(locked, bool):
            raise InvalidInput("bad_locked")
        self._update_session(session, locked=locked)

    def delete_session(self, session: Session) -> None:
        """Remove a session and everything in it: teams, answers, own motives, merges, comparisons."""
        with self._write(session) as conn:
            # Every table that points at a session or a team says ON DELETE CASCADE (foreign keys are on in SQLite).
            conn.execute(sessions.delete().where(sessions.c.id == session.id))

    def _update_session(self, session: Session, **values: object) -> None:
        with self._write(session) as conn:
            conn.execute(
                sessions.update().where(sessions.c.id == session.id).values(revision=sessions.c.revision + 1, **values)
            )

    def link_own_motives(self, session: Session, own_ids: Iterable[int], target: str) -> None:
        """Put own motives in the group ``target`` (a catalogue id, ``g-…``), or split them off with ``""``."""
        own_ids = sorted(set(own_ids))
        if not session.catalogue.link_fits(target):
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

        :func:`motives.archive.parse` has checked every value as if a person had typed it;
        timestamps are kept as they were, so that exporting the restored session gives the same file.
        """
        code = normalise_code(code)
        if not is_code(code):
            raise InvalidInput("bad_code", length=CODE_LENGTH)
        with self._write() as conn:
            if conn.execute(sa.select(sessions.c.id).where(sessions.c.code == code)).first():
                raise InvalidInput("code_exists", code=code)
            # The archive's own values, as it holds them: name, language, key, times, reveal, lock, timer, slide.
            kept = {column: getattr(archive, column) for column in ARCHIVED_SESSION_COLUMNS}
            session_id = _insert(conn, sessions, code=code, catalogue=_frozen(archive.catalogue), **kept)
            own_ids: dict[int, int] = {}  # an own motive's id in the archive: its id here
            for team in archive.teams:
                own_ids.update(self._restore_team(conn, session_id, team))
            if archive.links:
                conn.execute(
                    motive_links.insert(),
                    [{"own_id": own_ids[i], "session_id": session_id, "target": t} for i, t in archive.links.items()],
                )
        return self.session(code)

    @staticmethod
    def _restore_team(conn: Connection, session_id: int, team: ArchivedTeam) -> dict[int, int]:
        """Write one archived team with its answers and own motives; their ids in the archive → here."""
        team_id = _insert(
            conn,
            teams,
            session_id=session_id,
            name=team.name,
            name_key=validate.team_name_key(team.name),
            team_key=new_team_key(),  # an archive carries no team's key: links start anew
            joined_at=team.joined_at,
            conclusion=team.conclusion,
            explanation=team.explanation,
            conclusion_updated_at=team.conclusion_updated_at,
        )
        if team.answers:
            conn.execute(
                answers.insert(),
                [
                    {
                        "team_id": team_id,
                        "motive_id": answer.motive_id,
                        "applies": answer.applies,
                        "importance": answer.importance,
                        "updated_at": answer.updated_at,
                    }
                    for answer in team.answers
                ],
            )
        own_ids = {}
        for own in team.own:
            kept = {column: getattr(own, column) for column in ARCHIVED_OWN_COLUMNS}
            own_ids[own.id] = _insert(conn, own_motives, team_id=team_id, **kept)
        return own_ids

    # --- the trainer's catalogues ---------------------------------------------

    def save_catalogue(self, name: str, catalogue: Catalogue) -> str:
        """Keep ``catalogue`` under ``name`` (trimmed), replacing one of that name; the name as kept."""
        name = validate.catalogue_name(name)
        frozen = _frozen(catalogue)
        with self._write() as conn:
            done = conn.execute(
                catalogues.update().where(catalogues.c.name == name).values(catalogue=frozen, updated_at=_now())
            )
            if not done.rowcount:
                conn.execute(catalogues.insert().values(name=name, catalogue=frozen, updated_at=_now()))
        return name

    def catalogue_names(self) -> list[str]:
        """The saved catalogues' names, the last saved first."""
        query = sa.select(catalogues.c.name).order_by(catalogues.c.updated_at.desc(), catalogues.c.id.desc())
        with self._read() as conn:
            return list(conn.execute(query).scalars())

    def saved_catalogue(self, name: str) -> Catalogue:
        with self._read() as conn:
            row = conn.execute(sa.select(catalogues.c.catalogue).where(catalogues.c.name == name)).first()
        if row is None:
            raise InvalidInput("unknown_catalogue", name=name)
        return catalogue_from_dict(json.loads(row.catalogue), name)

    def unused_code(self) -> str:
        """A join code no session (expired or not) holds yet, for a copy made under a new code."""
        while self.code_exists(code := _new_code()):
            pass
        return code

    def code_exists(self, code: str) -> bool:
        """Whether a session (expired or not) holds this join code."""
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
        others = sa.select(compared_sessions.c.other_id).where(compared_sessions.c.session_id == session.id)
        query = (
            sa.select(sessions)
            .where(sa.or_(sessions.c.id == session.id, sessions.c.id.in_(others)))
            .order_by(sessions.c.created_at, sessions.c.id)
        )
        with self._read() as conn:
            rows = conn.execute(query).all()
        parsed: dict[str, Catalogue] = {}
        found = []
        for row in rows:
            try:
                found.append(self._session_of(row, parsed))
            except UnknownSession:
                if row.id == session.id:
                    raise
        return found


def _count(conn: Connection, column: sa.Column, where: sa.ColumnElement[bool]) -> int:
    """How many rows hold ``column`` where ``where`` holds: what a cap is checked against."""
    return conn.execute(sa.select(sa.func.count(column)).where(where)).scalar_one()


def _sort_rows(
    found: dict[int, SessionRecords], team_rows: Sequence[Any], answer_rows: Sequence[Any], own_rows: Sequence[Any]
) -> None:
    """Put each team, answer and own motive read in the records of its session (by session id in ``found``)."""
    owner: dict[int, SessionRecords] = {}
    for r in team_rows:
        owner[r.id] = found[r.session_id]
        owner[r.id].teams.append(
            TeamRecord(r.id, r.name, _utc(r.joined_at), r.conclusion, r.explanation, _utc(r.conclusion_updated_at))
        )
    for team_id, motive_id, applies, importance, updated_at in answer_rows:
        owner[team_id].answers.append(
            {
                "team_id": team_id,
                "motive_id": motive_id,
                "applies": applies,
                "importance": importance,
                "updated_at": _utc(updated_at),
            }
        )
    for team_id, own_id, side, text, importance, created_at, updated_at in own_rows:
        owner[team_id].own.append(
            {
                "team_id": team_id,
                "own_id": own_id,
                "side": side,
                "text": text,
                "importance": importance,
                "created_at": _utc(created_at),
                "updated_at": _utc(updated_at),
            }
        )


def _frozen(catalogue: Catalogue) -> str:
    """The copy of its catalogue that a session keeps, whatever the file becomes later."""
    return json.dumps(catalogue.to_dict(), ensure_ascii=False, sort_keys=True)


def _new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def _hide_password(url: str) -> str:
    try:
        return sa.engine.make_url(url).render_as_string(hide_password=True)
    except sa.exc.ArgumentError:
        return url.split("@")[-1]


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
