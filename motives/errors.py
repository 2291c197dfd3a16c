"""The errors the domain raises.

Each carries a message key and its parameters, so that every front end (the
CLI, the team page, the dashboard) can say it in its own language; ``str()``
gives an English sentence for logs and the CLI.
"""

from __future__ import annotations


class MotivesError(Exception):
    """Base class: anything the app can explain to a person in one sentence."""


class CatalogueError(MotivesError):
    """A catalogue file that cannot be used, naming the file, the entry and the problem."""


class ArchiveError(MotivesError):
    """A session archive that cannot be imported, naming the file, the entry and the problem."""


class OutputRefused(MotivesError):
    """A file the CLI will not write: one that exists (without --force) or the store itself."""


class StoreError(MotivesError):
    """The store cannot be opened or written."""


class UnknownSession(MotivesError):
    def __init__(self, code: str) -> None:
        super().__init__(f"no session with code {code!r}")
        self.code = code


class UnknownTeam(MotivesError):
    """A team that is not (or no longer) in its session: the trainer removed it."""

    def __init__(self, name: str) -> None:
        super().__init__(f"no team {name!r} in this session")
        self.name = name


class InvalidInput(MotivesError):
    """A value from a person (or a forged widget message) that the store refuses.

    ``key`` names a message in :mod:`motives.i18n`; ``params`` fill it in.
    """

    def __init__(self, key: str, **params: object) -> None:
        self.key = key
        self.params = params
        from motives.i18n import message

        super().__init__(message("en", key, **params))
