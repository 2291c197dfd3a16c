"""The app's settings, read from the environment in one place.

``motives serve`` checks its options, puts them in :class:`Settings`, and hands
them to every page's kernel through the environment (:meth:`Settings.to_env`).
An entry point (the CLI, a page's notebook, :func:`motives.notebook.open_store`)
reads them once with :meth:`Settings.from_env` and passes them on; nothing deeper
reads the environment. A deployment without ``motives serve`` (Voilà's Jupyter
Server extension, a hub) sets the same variables itself.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field

from motives.errors import SettingsError
from motives.i18n import LANGUAGES
from motives.password import checked_hash

DEFAULT_MAX_TEAMS = 40
# One team that pastes hundreds of motives must not slow the dashboard for the whole room.
DEFAULT_MAX_OWN = 100
DEFAULT_BASE_URL = "http://127.0.0.1:8866"
# A page still on its form (a join code, a team name, a trainer key) this long after it opened ends
# its kernel and asks for a reload: a form kept open by a script held a kernel for good.
DEFAULT_FORM_SECONDS = 600
# The database connections one motives serve keeps for all its team pages (docs/deploy.md, "Connections").
DEFAULT_STORE_CONNECTIONS = 4
# The command line's language: MOTIVES_LANG, else the system's locale as gettext reads it.
LANGUAGE_VARIABLES = ("MOTIVES_LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")
CLI_FALLBACK_LANGUAGE = "en"


def _whole(environ: Mapping[str, str], variable: str, default: int, least: int) -> int:
    """A whole number of at least ``least``; anything else is a clear error, never a quiet other value."""
    value = environ.get(variable, "").strip()
    if not value:
        return default
    try:
        number = int(value)
    except ValueError:
        number = least - 1
    if number < least:
        raise SettingsError("settings_not_whole", variable=variable, least=least, value=repr(value))
    return number


def _password_hash(environ: Mapping[str, str]) -> str:
    value = environ.get("MOTIVES_TRAINER_PASSWORD_HASH", "").strip()
    return checked_hash(value) if value else ""


def system_language(environ: Mapping[str, str] | None = None) -> str:
    """The command line's language: the first of :data:`LANGUAGE_VARIABLES` that is set, as one of the
    app's languages, else English (as before there were catalogues). A page speaks its session's."""
    environ = os.environ if environ is None else environ
    for variable in LANGUAGE_VARIABLES:
        value = environ.get(variable, "")
        if value:
            language = value.split(":")[0].split("_")[0].split(".")[0].lower()
            return language if language in LANGUAGES else CLI_FALLBACK_LANGUAGE
    return CLI_FALLBACK_LANGUAGE


@dataclass(frozen=True)
class Settings:
    """Everything the pages and the CLI need to know that is not in the store."""

    db: str = ""  # MOTIVES_DB: a path or an SQLAlchemy URL; empty for the default location
    base_url: str = DEFAULT_BASE_URL  # MOTIVES_BASE_URL: where teams reach the server (scheme, host, port)
    team_url: str = ""  # MOTIVES_TEAM_URL: the team page's URL when teams open it on another server
    max_teams: int = DEFAULT_MAX_TEAMS  # MOTIVES_MAX_TEAMS: teams one session accepts (at least 1)
    max_own: int = DEFAULT_MAX_OWN  # MOTIVES_MAX_OWN: own motives one team may write (at least 1)
    expire_days: int = 0  # MOTIVES_EXPIRE_DAYS: sessions older than this are unknown; 0 never
    form_seconds: int = DEFAULT_FORM_SECONDS  # MOTIVES_FORM_SECONDS: a form ends after this (motives.widgets.page)
    output: str = ""  # MOTIVES_OUTPUT: where a reflection notebook writes its files; empty for its folder
    # MOTIVES_TRAINER_PASSWORD_HASH (motives password-hash): opens the trainer's home to other devices
    # that give the password. For motives serve only: never handed to a page's kernel (to_env).
    trainer_password_hash: str = field(default="", repr=False)
    # MOTIVES_STORE_CONNECTIONS: on PostgreSQL, the connections motives serve keeps for every team page
    # it serves together (its store service); a team page itself opens none.
    store_connections: int = DEFAULT_STORE_CONNECTIONS
    # Set by motives serve for its kernels, never by hand: where its store service listens (host:port
    # on loopback), and the secret a kernel shows it (MOTIVES_STORE_SERVICE, MOTIVES_STORE_TOKEN).
    store_service: str = ""
    store_token: str = field(default="", repr=False)
    # MOTIVES_ROOM: motives serves the room (its default, or --lan): the devices on the laptop's network
    # join at its network address, which the pages read when they show a link (motives.widgets.join), since the
    # laptop may join the venue's Wi-Fi after the app started.
    room: bool = False

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """The settings the environment gives; a malformed number is one clear error."""
        environ = os.environ if environ is None else environ
        return cls(
            db=environ.get("MOTIVES_DB", "").strip(),
            base_url=(environ.get("MOTIVES_BASE_URL", "").strip() or DEFAULT_BASE_URL).rstrip("/"),
            team_url=environ.get("MOTIVES_TEAM_URL", "").strip(),
            max_teams=_whole(environ, "MOTIVES_MAX_TEAMS", DEFAULT_MAX_TEAMS, least=1),
            max_own=_whole(environ, "MOTIVES_MAX_OWN", DEFAULT_MAX_OWN, least=1),
            expire_days=_whole(environ, "MOTIVES_EXPIRE_DAYS", 0, least=0),
            form_seconds=_whole(environ, "MOTIVES_FORM_SECONDS", DEFAULT_FORM_SECONDS, least=1),
            output=environ.get("MOTIVES_OUTPUT", "").strip(),
            trainer_password_hash=_password_hash(environ),
            store_connections=_whole(environ, "MOTIVES_STORE_CONNECTIONS", DEFAULT_STORE_CONNECTIONS, least=1),
            store_service=environ.get("MOTIVES_STORE_SERVICE", "").strip(),
            store_token=environ.get("MOTIVES_STORE_TOKEN", "").strip(),
            room=environ.get("MOTIVES_ROOM", "").strip() == "1",
        )

    def to_env(self) -> dict[str, str]:
        """The variables that give these settings to another process (a page's kernel)."""
        variables = {
            "MOTIVES_DB": self.db,
            "MOTIVES_BASE_URL": self.base_url,
            "MOTIVES_TEAM_URL": self.team_url,
            "MOTIVES_MAX_TEAMS": str(self.max_teams),
            "MOTIVES_MAX_OWN": str(self.max_own),
            "MOTIVES_EXPIRE_DAYS": str(self.expire_days) if self.expire_days else "",
            "MOTIVES_FORM_SECONDS": str(self.form_seconds),
            "MOTIVES_OUTPUT": self.output,
            "MOTIVES_STORE_CONNECTIONS": str(self.store_connections),
            "MOTIVES_ROOM": "1" if self.room else "",
        }
        return {name: value for name, value in variables.items() if value}
