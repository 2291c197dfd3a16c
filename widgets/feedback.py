"""What a page says about what just happened: saved, or why not, in the person's language."""

from __future__ import annotations

from datetime import datetime

import ipywidgets as w
from ipywidgets.widgets.widget_string import HTMLStyle

from motives import validate
from motives.errors import (
    ArchiveError,
    CatalogueError,
    FileError,
    InvalidInput,
    MotivesError,
    StoreError,
    UnknownSession,
    UnknownTeam,
)
from motives.i18n import DEFAULT_LANGUAGE, message, time_of_day
from motives.markup import esc
from motives.widgets.look import fixed_look


def explain(error: Exception, language: str) -> str:
    """One sentence for a person, in their language, for anything that went wrong."""
    if isinstance(error, InvalidInput):
        return message(language, error.key, **error.params)
    if isinstance(error, UnknownSession):
        return message(language, "unknown_session", code=error.code)
    if isinstance(error, UnknownTeam):
        return message(language, "unknown_team", name=error.name)
    # A catalogue or an archive that cannot be used is no store failure: say what it is.
    if isinstance(error, CatalogueError):
        return message(
            language, "catalogue_error", motives=validate.MAX_CATALOGUE_MOTIVES, length=validate.MAX_MOTIVE_TEXT
        )
    if isinstance(error, ArchiveError):
        return message(language, "archive_error")
    if isinstance(error, StoreError | MotivesError):
        return message(language, "store_error")
    raise error


def clock(language: str = DEFAULT_LANGUAGE, moment: datetime | None = None) -> str:
    """The time of day as the page's language writes it, with seconds (a save is seen to happen)."""
    return time_of_day(language, moment)


class Status(w.HTML):
    """A line that says what just happened: saved, or what went wrong."""

    def __init__(self, language: str, **kwargs) -> None:
        super().__init__(**{**fixed_look(HTMLStyle), **kwargs})
        self.language = language
        self.add_class("motives-status")

    def ok(self, text: str) -> None:
        self.value = f'<p class="motives-ok" role="status">{esc(text)}</p>'

    def error(self, text: str) -> None:
        self.value = f'<p class="motives-error" role="alert">{esc(text)}</p>'

    def clear(self) -> None:
        self.value = ""


class Refusal:
    """Do what a person asked; when the store refuses, say why in ``status`` and go on.

    The one way a page saves and shows a refusal::

        with Refusal(status) as refused:
            store.set_locked(session, True)
        if refused:
            return

    With a language instead of a status line, nothing is drawn: ``refused.text`` is what to say,
    for a form that is drawn again with it, and ``refused.error`` what the store raised.
    """

    def __init__(self, status: Status | str, also: str | None = None, *, whole: bool = False) -> None:
        self.status = status if isinstance(status, Status) else None
        # A file the person made here (the catalogue editor's): say which entry and why, in full.
        self.whole = whole
        self.language = status.language if isinstance(status, Status) else status
        self.also = also  # a message key said after the reason, such as what became of the typed text
        self.text = ""
        self.error: MotivesError | None = None

    def __enter__(self) -> Refusal:
        return self

    def __exit__(self, _kind: object, error: BaseException | None, _trace: object) -> bool:
        if not isinstance(error, MotivesError):
            return False  # a bug is not a refusal: let it show
        self.error = error
        self.text = (
            error.say(self.language) if self.whole and isinstance(error, FileError) else explain(error, self.language)
        )
        if self.also:
            self.text = f"{self.text} {message(self.language, self.also)}"
        if self.status is not None:
            self.status.error(self.text)
        return True

    def __bool__(self) -> bool:
        return bool(self.text)
