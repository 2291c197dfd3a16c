"""What the two file readers share: a file's problem said where it is, and a value short enough to quote.

:mod:`motives.catalogue` reads a catalogue file and :mod:`motives.archive` a session archive.
Both check every entry before anything is used, and refuse a file with one error that names
the file, the entry and the problem ("FILE: WHERE: PROBLEM").
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from motives import validate
from motives.errors import FileError, InvalidInput, Phrase

T = TypeVar("T")


def shown(value: Any) -> str | Phrase:
    """A value from a file, short enough to quote in a message (a file may hold 20 MB in one string)."""
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > 10**60:
        return Phrase("shown_large_number")
    if isinstance(value, str | int | float | bool) or value is None:
        text = repr(value)
        return text if len(text) <= 60 else text[:57] + "…"
    return Phrase("shown_type", type=type(value).__name__)


@dataclass(frozen=True)
class Reader:
    """One file being read: each problem found in it is an ``error`` naming ``origin`` and the entry."""

    error: type[FileError]
    origin: object

    def fail(self, where: object, problem: Phrase) -> FileError:
        """The error for ``problem`` at the entry ``where`` (such as ``motive 3 ('a')``), to raise."""
        return self.error.at(self.origin, problem, where)

    def table(self, value: Any, where: object, problem: Phrase) -> dict[str, Any]:
        """``value`` if it is a table (a JSON object); else ``problem`` at ``where`` is raised."""
        if not isinstance(value, dict):
            raise self.fail(where, problem)
        return value

    def checked(self, check: Callable[[Any], T], value: Any, where: object) -> T:
        """``check(value)``: a value a person could not have typed either is the file's problem at ``where``."""
        try:
            return check(value)
        except InvalidInput as exc:
            raise self.fail(where, validate.in_file(exc)) from None
