"""The errors the domain raises.

Each carries a message key and its parameters, so that every front end (the
CLI, the team page, the dashboard) can say it in its own language
(:meth:`MotivesError.say`); ``str()`` gives the English sentence, for logs.

A parameter may itself be a sentence still to be said (a :class:`Phrase`, another
error) or a tuple of them: a file's problem is said as "FILE: WHERE: PROBLEM",
the frame, the entry and the problem each in the reader's language. A
:class:`Count` is a number written as the language writes it ("1.000.000").
"""

from __future__ import annotations

from typing import Self

from motives.i18n import N_


class Count(int):
    """A number to show with the language's digit grouping: 1,000,000 in English, 1.000.000 in Dutch."""


class Phrase:
    """A sentence not yet said: a message key and its parameters, said in a language when shown."""

    __slots__ = ("key", "params")

    def __init__(self, key: str, /, **params: object) -> None:
        self.key = key
        self.params = params

    def say(self, language: str) -> str:
        return said(self.key, self.params, language)

    def __str__(self) -> str:
        return self.say("en")

    def __repr__(self) -> str:
        return f"Phrase({self.key!r}, **{self.params!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Phrase) and (self.key, self.params) == (other.key, other.params)

    __hash__ = None  # type: ignore[assignment]


def _part(value: object, language: str) -> object:
    """One parameter as ``language`` says it."""
    if isinstance(value, Phrase | MotivesError):
        return value.say(language)
    if isinstance(value, tuple):  # an entry inside an entry: "team 2 ('Zuid'), answer 1"
        return ", ".join(str(_part(part, language)) for part in value)
    if isinstance(value, Count):
        from motives.i18n import decimal

        return decimal(language, int(value), digits=0)
    return value


def said(key: str, params: dict[str, object], language: str) -> str:
    """The message ``key`` in ``language``, its parameters said in that language too."""
    from motives.i18n import message

    return message(language, key, **{name: _part(value, language) for name, value in params.items()})


class MotivesError(Exception):
    """Base class: anything the app can explain to a person in one sentence.

    ``key`` names a message in :mod:`motives.i18n`; ``params`` fill it in. A text that
    is no key is said as it is, in every language.
    """

    def __init__(self, key: str, /, **params: object) -> None:
        self.key = key
        self.params = params
        super().__init__(self.say("en"))

    def say(self, language: str) -> str:
        """The sentence in ``language`` (the CLI's, a page's)."""
        return said(self.key, self.params, language)


class FileError(MotivesError):
    """A file that cannot be used: "FILE: PROBLEM", or "FILE: WHERE: PROBLEM" for one of its entries."""

    @classmethod
    def at(cls, file: object, problem: Phrase, where: object = None) -> Self:
        """The error naming ``file``, the entry ``where`` (such as ``motive 3 ('a')``) and the ``problem``."""
        if where is not None:
            file = Phrase("err_place", file=file, where=where)
        return cls(N_("err_file"), file=file, problem=problem)


class CatalogueError(FileError):
    """A catalogue file that cannot be used, naming the file, the entry and the problem."""


class ArchiveError(FileError):
    """A session archive that cannot be imported, naming the file, the entry and the problem."""


class OutputRefused(MotivesError):
    """A file the CLI will not write: one that exists (without --force) or the store itself."""


class StoreError(MotivesError):
    """The store cannot be opened or written."""


class SettingsError(MotivesError):
    """A setting in the environment (``MOTIVES_…``) that cannot be used."""


class UnknownSession(MotivesError):
    def __init__(self, code: str) -> None:
        super().__init__(N_("err_unknown_session"), code=repr(code))
        self.code = code


class UnknownTeam(MotivesError):
    """A team that is not (or no longer) in its session: the trainer removed it."""

    def __init__(self, name: str) -> None:
        super().__init__(N_("err_unknown_team"), name=repr(name))
        self.name = name


class InvalidInput(MotivesError):
    """A value from a person (or a forged widget message) that the store refuses."""
