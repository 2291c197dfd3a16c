"""The app's settings, read from the environment in one place.

``motives serve`` checks its options, puts them in :class:`Settings`, and hands
them to every page's kernel through the environment (:meth:`Settings.to_env`);
a kernel, the CLI or a notebook reads them back with :meth:`Settings.from_env`.
A deployment without ``motives serve`` (Voilà's Jupyter Server extension, a hub)
sets the same variables itself.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

from motives.errors import StoreError

DEFAULT_MAX_TEAMS = 40
# One team that pastes hundreds of motives must not slow the dashboard for the whole room.
DEFAULT_MAX_OWN = 100
DEFAULT_BASE_URL = "http://127.0.0.1:8866"


def _whole(environ: Mapping[str, str], variable: str, default: int) -> int:
    value = environ.get(variable, "").strip()
    try:
        return max(1, int(value)) if value else default
    except ValueError:
        raise StoreError("store_not_whole", variable=variable, value=repr(value)) from None


@dataclass(frozen=True)
class Settings:
    """Everything the pages need to know that is not in the store."""

    db: str = ""  # MOTIVES_DB: a path or an SQLAlchemy URL; empty for the default location
    base_url: str = DEFAULT_BASE_URL  # MOTIVES_BASE_URL: where teams reach the server (scheme, host, port)
    team_url: str = ""  # MOTIVES_TEAM_URL: the team page's URL when teams open it on another server
    max_teams: int = DEFAULT_MAX_TEAMS  # MOTIVES_MAX_TEAMS: teams one session accepts
    max_own: int = DEFAULT_MAX_OWN  # MOTIVES_MAX_OWN: own motives one team may write
    expire_days: int = 0  # MOTIVES_EXPIRE_DAYS: sessions older than this are unknown; 0 never

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """The settings the environment gives; a malformed number is one clear error."""
        environ = os.environ if environ is None else environ
        return cls(
            db=environ.get("MOTIVES_DB", "").strip(),
            base_url=(environ.get("MOTIVES_BASE_URL", "").strip() or DEFAULT_BASE_URL).rstrip("/"),
            team_url=environ.get("MOTIVES_TEAM_URL", "").strip(),
            max_teams=_whole(environ, "MOTIVES_MAX_TEAMS", DEFAULT_MAX_TEAMS),
            max_own=_whole(environ, "MOTIVES_MAX_OWN", DEFAULT_MAX_OWN),
            expire_days=_whole(environ, "MOTIVES_EXPIRE_DAYS", 0) if environ.get("MOTIVES_EXPIRE_DAYS") else 0,
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
        }
        return {name: value for name, value in variables.items() if value}
