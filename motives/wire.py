"""The team page's calls to the store and their answers as JSON, between a page's kernel and the
server that holds the store (:mod:`motives.remote`, :mod:`motives.service`).

What crosses is the records of :mod:`motives.models`, the errors of :mod:`motives.errors` (so that a
refusal is said on the page in the team's language, as if the store had raised it there) and plain
values. A session crosses without its trainer key: a team page's kernel never needs it, so it never
holds it. Standard library only: a team page's kernel imports this instead of SQLAlchemy.
"""

from __future__ import annotations

import dataclasses
import json
from datetime import datetime, timedelta
from typing import Any, Protocol

from motives import errors, models


class TeamPageStore(Protocol):
    """What a team page asks of the store: the store service's contract (with :class:`FormStore`).

    :class:`motives.store.Store` answers it in the page's own kernel, :class:`motives.remote.RemoteStore`
    through the server that serves the page (``motives serve``), whose service runs these calls
    (:data:`SERVICE_CALLS`) and nothing else. The type checker holds both to it (``make check``).
    """

    def session(self, code: str) -> models.Session: ...
    def find_team(self, session: models.Session, name: str) -> models.Team | None: ...
    def new_team(self, session: models.Session, name: str, client: str = "") -> models.Team: ...
    def team_answers(self, team: models.Team) -> models.TeamAnswers: ...
    def set_answer(
        self, team: models.Team, motive_id: str, applies: bool, importance: int | None = None
    ) -> models.Answer: ...
    def add_own_motive(
        self, team: models.Team, side: str, text: str, importance: int | None = None
    ) -> models.OwnMotive: ...
    def update_own_motive(
        self, team: models.Team, own_id: int, *, text: str | None = None, importance: int | None = None
    ) -> models.OwnMotive: ...
    def remove_own_motive(self, team: models.Team, own_id: int) -> None: ...
    def set_conclusion(
        self,
        team: models.Team,
        conclusion: str | models.Unset | None = models.UNSET,
        explanation: str | models.Unset = models.UNSET,
    ) -> None: ...
    def state(self, session: models.Session) -> models.SessionState: ...
    def records(self, session: models.Session) -> models.SessionRecords: ...
    def record_failed_join(self, client: str) -> None: ...
    def failed_joins(self, client: str, within: timedelta) -> list[datetime]: ...


class FormStore(TeamPageStore, Protocol):
    """What the overview's and the projector's forms ask before their key fits: a team page's calls, and
    whether a key fits a session. A kernel under ``motives serve`` asks it of the store service, and
    imports no SQLAlchemy (13 MB, a third of a second) for a wrong key. Only the typed key crosses: the
    session's keys stay in the store. Every kernel with the service's secret may ask it, as a team page
    may ask for a session: the keys are too long to guess, and a page's kernel runs only the app's code."""

    def key_fits(self, code: str, key: str, which: str = "trainer") -> bool: ...


def _calls(contract: type) -> set[str]:
    return {name for name, value in vars(contract).items() if callable(value) and not name.startswith("_")}


# The calls the store service runs: the contracts', and the revealed picture, which the service works
# out once per change for every page it serves (motives.revealed) where a page without it works it out.
SERVICE_CALLS = frozenset(_calls(TeamPageStore) | _calls(FormStore) | {"group_picture"})

# The records that may cross, by name; nothing else is made from a message.
RECORDS: dict[str, type[Any]] = {
    cls.__name__: cls
    for cls in (
        models.Motive,
        models.Catalogue,
        models.Session,
        models.Team,
        models.Answer,
        models.OwnMotive,
        models.TeamAnswers,
        models.TeamRecord,
        models.SessionState,
        models.SessionRecords,
        models.PictureItem,
        models.GroupPicture,
    )
}
ERRORS: dict[str, type[errors.MotivesError]] = {
    cls.__name__: cls
    for cls in (
        errors.MotivesError,
        errors.FileError,
        errors.CatalogueError,
        errors.SettingsError,
        errors.StoreError,
        errors.UnknownSession,
        errors.UnknownTeam,
        errors.InvalidInput,
    )
}
_ERROR_ATTRIBUTES = ("code", "name")  # UnknownSession.code, UnknownTeam.name


class WireError(ValueError):
    """A message that is not one of the team page's calls or answers."""


def _encode(value: Any) -> Any:
    if value is None or isinstance(value, bool | str | float):
        return value
    if isinstance(value, errors.Count):
        return {"count": int(value)}
    if isinstance(value, int):
        return value
    if isinstance(value, datetime):
        return {"datetime": value.isoformat()}
    if isinstance(value, timedelta):
        return {"timedelta": value.total_seconds()}
    if isinstance(value, tuple):
        return {"tuple": [_encode(v) for v in value]}
    if isinstance(value, list):
        return [_encode(v) for v in value]
    if isinstance(value, dict):
        return {"dict": [[_encode(k), _encode(v)] for k, v in value.items()]}  # keys that are no strings too
    if isinstance(value, errors.Phrase):
        return {"phrase": value.key, "params": _encode(value.params)}
    if isinstance(value, errors.MotivesError):
        # The nearest kind the page knows: a CatalogueError is a FileError, a future StoreError a StoreError.
        kind = next(cls.__name__ for cls in type(value).__mro__ if cls.__name__ in ERRORS)
        attributes = {a: getattr(value, a) for a in _ERROR_ATTRIBUTES if isinstance(getattr(value, a, None), str)}
        params = {name: _said_part(part) for name, part in value.params.items()}
        return {"error": kind, "key": value.key, "params": _encode(params), "attributes": attributes}
    if dataclasses.is_dataclass(value) and type(value).__name__ in RECORDS:
        fields = {f.name: _encode(getattr(value, f.name)) for f in dataclasses.fields(value) if f.init}
        if isinstance(value, models.Session):
            fields["trainer_key"] = ""  # never to a team page's kernel
        return {"record": type(value).__name__, "fields": fields}
    raise WireError(f"cannot send a {type(value).__name__}")


def _said_part(value: Any) -> Any:
    """An error's parameter as it can cross: a driver's exception or a path, as its text."""
    try:
        _encode(value)
    except WireError:
        return str(value)
    return value


def _decode(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, list):
        return [_decode(v) for v in value]
    if not isinstance(value, dict) or len(value) == 0:
        raise WireError("not a value of the wire")
    if "count" in value:
        return errors.Count(_int(value["count"]))
    if "datetime" in value:
        return datetime.fromisoformat(_str(value["datetime"]))
    if "timedelta" in value:
        seconds = value["timedelta"]
        if not isinstance(seconds, int | float) or isinstance(seconds, bool) or not abs(seconds) < 1e9:
            raise WireError("not a duration")
        return timedelta(seconds=seconds)
    if "tuple" in value:
        return tuple(_decode(v) for v in _list(value["tuple"]))
    if "dict" in value:
        return {_decode(k): _decode(v) for k, v in (_pair(p) for p in _list(value["dict"]))}
    if "phrase" in value:
        return errors.Phrase(_str(value["phrase"]), **_params(value.get("params")))
    if "error" in value:
        cls = ERRORS.get(_str(value["error"]))
        if cls is None:
            raise WireError("an unknown error")
        error = cls.__new__(cls)
        errors.MotivesError.__init__(error, _str(value.get("key")), **_params(value.get("params")))
        for name, text in dict(value.get("attributes") or {}).items():
            if name in _ERROR_ATTRIBUTES and isinstance(text, str):
                setattr(error, name, text)
        return error
    if "record" in value:
        cls = RECORDS.get(_str(value["record"]))
        if cls is None:
            raise WireError("an unknown record")
        fields = value.get("fields")
        if not isinstance(fields, dict):
            raise WireError("a record without fields")
        return cls(**{name: _decode(field) for name, field in fields.items()})
    raise WireError("not a value of the wire")


def _pair(value: Any) -> tuple[Any, Any]:
    if not isinstance(value, list) or len(value) != 2:
        raise WireError("not a pair")
    return value[0], value[1]


def _params(value: Any) -> dict[str, object]:
    params = _decode(value) if value is not None else {}
    if not isinstance(params, dict) or not all(isinstance(k, str) for k in params):
        raise WireError("parameters that are no mapping")
    return params


def _int(value: Any) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise WireError("not a number")
    return value


def _str(value: Any) -> str:
    if not isinstance(value, str):
        raise WireError("not a text")
    return value


def _list(value: Any) -> list:
    if not isinstance(value, list):
        raise WireError("not a list")
    return value


def dumps(value: Any) -> bytes:
    return json.dumps(_encode(value), ensure_ascii=False, separators=(",", ":")).encode()


def loads(data: bytes) -> Any:
    try:
        parsed = json.loads(data)
    except (ValueError, RecursionError) as exc:
        raise WireError("not JSON") from exc
    try:
        return _decode(parsed)
    except WireError:
        raise
    except Exception as exc:  # a record's fields that do not fit it, a number out of range: never a crash
        raise WireError(type(exc).__name__) from exc


def call(method: str, args: tuple, kwargs: dict[str, Any]) -> bytes:
    """One call of the team page's: the store method's name and its arguments."""
    return dumps({"call": method, "args": tuple(args), "kwargs": dict(kwargs)})


def read_call(data: bytes) -> tuple[str, tuple, dict[str, Any]]:
    message = loads(data)
    if not isinstance(message, dict) or set(message) != {"call", "args", "kwargs"}:
        raise WireError("not a call")
    method, args, kwargs = message["call"], message["args"], message["kwargs"]
    if not isinstance(method, str) or not isinstance(args, tuple) or not isinstance(kwargs, dict):
        raise WireError("not a call")
    if not all(isinstance(k, str) for k in kwargs):
        raise WireError("not a call")
    return method, args, kwargs


def answer(result: Any = None, error: errors.MotivesError | None = None) -> bytes:
    return dumps({"error": error} if error is not None else {"result": result})


def read_answer(data: bytes) -> Any:
    """The call's result; the store's refusal raised, as the store would have raised it."""
    message = loads(data)
    if isinstance(message, dict) and set(message) == {"result"}:
        return message["result"]
    if isinstance(message, dict) and set(message) == {"error"} and isinstance(message["error"], errors.MotivesError):
        raise message["error"]
    raise WireError("not an answer")
