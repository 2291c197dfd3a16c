"""A whole session as one JSON file: catalogue copy, teams, answers, own motives, merges, conclusions.

``motives export CODE --format json`` writes it and ``motives import FILE``
restores it on another machine. The file is deterministic (sorted keys, fixed
order, timestamps as they were), so export, import and export again give the
same bytes. Own motives get ids local to the file, which merges refer to.
"""

from __future__ import annotations

import dataclasses
import json
import re
import secrets
from collections.abc import Collection
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, overload

from motives import validate
from motives.catalogue import catalogue_from_dict
from motives.errors import ArchiveError, Count, InvalidInput, Phrase
from motives.models import (
    CODE_ALPHABET,
    CODE_LENGTH,
    ArchivedAnswer,
    ArchivedOwnMotive,
    ArchivedTeam,
    Catalogue,
    Session,
    SessionArchive,
    is_code,
    normalise_code,
)
from motives.reading import Reader, shown
from motives.store import SESSION_LANGUAGES, Store

__all__ = ["ArchiveError", "dumps", "parse", "read", "restore", "restore_parsed", "to_archive"]

FORMAT = "motives-archive"
VERSION = 1
_TRAINER_KEY = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


def _time(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def to_archive(store: Store, session: Session) -> dict[str, Any]:
    records = store.records(session)
    state = store.state(session)
    local = {own["own_id"]: number for number, own in enumerate(records.own, start=1)}
    answers_by_team: dict[int, list] = {}
    for answer in sorted(records.answers, key=lambda a: (a["team_id"], a["motive_id"])):
        answers_by_team.setdefault(answer["team_id"], []).append(
            {
                "motive_id": answer["motive_id"],
                "applies": answer["applies"],
                "importance": answer["importance"],
                "updated_at": _time(answer["updated_at"]),
            }
        )
    own_by_team: dict[int, list] = {}
    for own in records.own:
        own_by_team.setdefault(own["team_id"], []).append(
            {
                "id": local[own["own_id"]],
                "side": own["side"],
                "text": own["text"],
                "importance": own["importance"],
                "created_at": _time(own["created_at"]),
                "updated_at": _time(own["updated_at"]),
            }
        )
    return {
        "format": FORMAT,
        "version": VERSION,
        "session": {
            "code": session.code,
            "name": session.name,
            "language": session.language,
            "trainer_key": session.trainer_key,
            "created_at": _time(session.created_at),
            "revealed": state.revealed,
            "locked": state.locked,
            "timer_started_at": _time(state.timer_started_at),
            "timer_ends_at": _time(state.timer_ends_at),
            "screen": state.screen,
        },
        "catalogue": session.catalogue.to_dict(),
        "teams": [
            {
                "name": team.name,
                "joined_at": _time(team.joined_at),
                "conclusion": team.conclusion,
                "explanation": team.explanation,
                "conclusion_updated_at": _time(team.conclusion_updated_at),
                "answers": answers_by_team.get(team.id, []),
                "own": own_by_team.get(team.id, []),
            }
            for team in records.teams
        ],
        "links": [
            {"own": local[own_id], "target": target}
            for own_id, target in sorted(records.links.items(), key=lambda item: local[item[0]])
        ],
    }


def dumps(archive: dict[str, Any]) -> str:
    return json.dumps(archive, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def read(path: str | Path) -> str:
    """An archive file's text; one too large to be an archive is refused before it is read."""
    path = Path(path)
    limit = validate.MAX_ARCHIVE_BYTES
    try:
        with path.open("rb") as fh:
            raw = fh.read(limit + 1)  # never more: the path may name a device that never ends
    except OSError as exc:
        raise ArchiveError("arc_unreadable", path=path, reason=exc.strerror or exc) from None
    return decoded(raw, path)


def decoded(raw: bytes, origin: object) -> str:
    """The text of an archive's bytes (a file's, an upload's); too large or not UTF-8 is refused."""
    limit = validate.MAX_ARCHIVE_BYTES
    if len(raw) > limit:
        raise ArchiveError.at(origin, Phrase("arc_too_large", limit=Count(limit)))
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ArchiveError.at(origin, Phrase("arc_not_utf8", byte=exc.start)) from None


def _load_json(text: str, origin: str) -> Any:
    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, value in items:  # one pass: looking back for the twin made 100,000 keys take hours
            if key in out:
                raise ArchiveError.at(origin, Phrase("arc_key_twice", key=shown(key)))
            out[key] = value
        return out

    def constant(name: str) -> Any:
        raise ArchiveError.at(origin, Phrase("arc_constant", name=name))

    try:
        return json.loads(text, object_pairs_hook=pairs, parse_constant=constant)
    except json.JSONDecodeError as exc:
        raise ArchiveError.at(origin, Phrase("arc_not_json_line", detail=exc.msg, line=exc.lineno)) from None
    except RecursionError:
        # The JSON parser descends one level of the stack per bracket: 100,000 of them exhaust it.
        raise ArchiveError.at(origin, Phrase("arc_too_deep")) from None
    except ValueError as exc:  # e.g. an integer of more digits than Python converts
        raise ArchiveError.at(origin, Phrase("arc_not_json", detail=exc)) from None


def parse(text: str, origin: str = "archive") -> tuple[str, SessionArchive]:
    """Read an archive file's text: its session code and the session as plain data.

    Every entry is checked here, before anything is written, and a problem raises
    :class:`ArchiveError` (or :class:`CatalogueError` for the catalogue copy) naming
    the file, the entry and what is wrong with it.
    """
    if len(text) > validate.MAX_ARCHIVE_BYTES:
        raise ArchiveError.at(origin, Phrase("arc_too_large", limit=Count(validate.MAX_ARCHIVE_BYTES)))
    data = _load_json(text, origin)
    check_format(data, origin)
    file = Reader(ArchiveError, origin)
    top = read_object(file, data, Phrase("entry_top_level"), ("session", "catalogue", "teams", "links"))
    session = read_object(file, top["session"], "session", ("code", "name", "language", "trainer_key", "created_at"))
    # In this order: a file with many problems is refused for the first of them.
    code = read_code(file, session["code"])
    name = file.checked(validate.session_name, session["name"], "session.name")
    language = read_language(file, session["language"])
    key = read_trainer_key(file, session["trainer_key"])
    created_at = read_time(file, session["created_at"], "session.created_at")
    revealed = read_flag(file, session.get("revealed", False), "session.revealed")
    locked = read_flag(file, session.get("locked", False), "session.locked")
    timer = read_timer(file, session.get("timer_started_at"), session.get("timer_ends_at"))
    screen = read_screen(file, session.get("screen", ""))
    catalogue = catalogue_from_dict(
        top["catalogue"], origin=Phrase("err_place", file=origin, where="catalogue"), limits=True
    )
    teams = read_teams(file, top["teams"], catalogue)
    own_ids = {own.id for team in teams for own in team.own}
    archive = SessionArchive(
        name=name,
        language=language,
        trainer_key=key,
        created_at=created_at,
        revealed=revealed,
        catalogue=catalogue,
        teams=teams,
        links=read_links(file, top["links"], catalogue, own_ids),
        locked=locked,
        timer_started_at=timer[0],
        timer_ends_at=timer[1],
        screen=screen,
    )
    return code, archive


def check_format(data: Any, origin: str) -> None:
    """Whether ``data`` is an archive at all, in the version this one reads."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ArchiveError.at(origin, Phrase("arc_not_archive"))
    version = data.get("version")
    if isinstance(version, bool) or version != VERSION:
        raise ArchiveError.at(origin, Phrase("arc_version", version=shown(version), supported=VERSION))


def read_object(file: Reader, value: Any, where: object, required: tuple[str, ...]) -> dict[str, Any]:
    """A JSON object holding at least the fields ``required``."""
    file.table(value, where, Phrase("arc_not_object", value=shown(value)))
    missing = [key for key in required if key not in value]
    if missing:
        raise file.fail(where, Phrase("arc_field_missing", field=repr(missing[0])))
    return value


def read_list(file: Reader, value: Any, where: object, limit: int) -> list[Any]:
    """A JSON list of at most ``limit`` entries."""
    if not isinstance(value, list):
        raise file.fail(where, Phrase("arc_not_list", value=shown(value)))
    if len(value) > limit:
        raise file.fail(where, Phrase("arc_too_many", count=Count(len(value)), limit=Count(limit)))
    return value


@overload
def read_time(file: Reader, value: Any, where: object) -> datetime: ...
@overload
def read_time(file: Reader, value: Any, where: object, *, required: bool) -> datetime | None: ...
def read_time(file: Reader, value: Any, where: object, *, required: bool = True) -> datetime | None:
    """An ISO 8601 date and time, in UTC as the store keeps them (a time without offset is UTC)."""
    if value is None and not required:
        return None
    problem = Phrase("arc_bad_time", value=shown(value))
    if not isinstance(value, str) or len(value) > 40:
        raise file.fail(where, problem)
    try:
        moment = datetime.fromisoformat(value)
        # As the store keeps them: in UTC (SQLite would drop another offset and shift the time).
        return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
    except (ValueError, OverflowError):
        raise file.fail(where, problem) from None


def read_flag(file: Reader, value: Any, where: object) -> bool:
    if not isinstance(value, bool):
        raise file.fail(where, Phrase("arc_not_bool", value=shown(value)))
    return value


def read_timer(file: Reader, started: Any, ends: Any) -> tuple[datetime | None, datetime | None]:
    """The phase timer: both times or neither, ending after it started by no more than the longest timer the
    overview sets (as the store sets them: an edited file gets no countdown of years)."""
    start = read_time(file, started, "session.timer_started_at", required=False)
    end = read_time(file, ends, "session.timer_ends_at", required=False)
    longest = timedelta(minutes=validate.TIMER_MINUTES.stop - 1)
    if (start is None) != (end is None) or (
        start is not None and end is not None and not start <= end <= start + longest
    ):
        raise file.fail("session.timer_ends_at", Phrase("arc_bad_timer", minutes=validate.TIMER_MINUTES.stop - 1))
    return start, end


def read_screen(file: Reader, value: Any) -> str:
    """The projector's slide: "" (the join screen) or a key the projector's window could have set."""
    if value == "":
        return ""
    try:
        return validate.screen(value)
    except InvalidInput:
        raise file.fail("session.screen", Phrase("arc_bad_screen", value=shown(value))) from None


def read_code(file: Reader, value: Any) -> str:
    if not is_code(value):
        problem = Phrase("arc_bad_code", value=shown(value), length=CODE_LENGTH, alphabet=CODE_ALPHABET)
        raise file.fail("session.code", problem)
    return value


def read_language(file: Reader, value: Any) -> str:
    if value not in SESSION_LANGUAGES:
        problem = Phrase("arc_bad_language", value=shown(value), known=", ".join(SESSION_LANGUAGES))
        raise file.fail("session.language", problem)
    return value


def read_trainer_key(file: Reader, value: Any) -> str:
    if not (isinstance(value, str) and _TRAINER_KEY.fullmatch(value)):
        raise file.fail("session.trainer_key", Phrase("arc_damaged_key"))
    return value


def read_teams(file: Reader, value: Any, catalogue: Catalogue) -> tuple[ArchivedTeam, ...]:
    """The teams, their names unique (as the store compares them) and their own motives' ids too."""
    names: set[str] = set()
    own_ids: set[int] = set()
    return tuple(
        read_team(file, entry, number, catalogue, names, own_ids)
        for number, entry in enumerate(read_list(file, value, "teams", validate.MAX_ARCHIVE_TEAMS), start=1)
    )


def read_team(
    file: Reader, value: Any, number: int, catalogue: Catalogue, names: set[str], own_ids: set[int]
) -> ArchivedTeam:
    """Team ``number``: a name not in ``names``, own motives' ids not in ``own_ids`` (both sets grow)."""
    where: object = Phrase("entry_team", number=number)
    team = read_object(file, value, where, ("name", "joined_at", "answers", "own"))
    name = file.checked(validate.team_name, team["name"], (where, "name"))
    where = Phrase("entry_team_name", number=number, name=repr(name))
    if validate.team_name_key(name) in names:
        raise file.fail(where, Phrase("arc_team_twice"))
    names.add(validate.team_name_key(name))
    answers = read_answers(file, team["answers"], where, catalogue)
    own = read_own_motives(file, team["own"], where, own_ids)
    return ArchivedTeam(
        name=name,
        joined_at=read_time(file, team["joined_at"], (where, "joined_at")),
        conclusion=file.checked(validate.conclusion, team.get("conclusion"), where),
        explanation=file.checked(validate.explanation, team.get("explanation", ""), (where, "explanation")),
        conclusion_updated_at=read_time(
            file, team.get("conclusion_updated_at"), (where, "conclusion_updated_at"), required=False
        ),
        answers=answers,
        own=own,
    )


def read_answers(file: Reader, value: Any, where: object, catalogue: Catalogue) -> tuple[ArchivedAnswer, ...]:
    """A team's answers: at most one to each motive of the catalogue."""
    answered: set[str] = set()
    entries = read_list(file, value, (where, "answers"), len(catalogue.motives))
    return tuple(
        read_answer(file, entry, (where, Phrase("entry_answer", number=count)), catalogue, answered)
        for count, entry in enumerate(entries, start=1)
    )


def read_answer(file: Reader, value: Any, at: tuple, catalogue: Catalogue, answered: set[str]) -> ArchivedAnswer:
    """One answer, to a motive of the catalogue not in ``answered`` (which it joins)."""
    answer = read_object(file, value, at, ("motive_id", "applies", "updated_at"))
    motive_id = answer["motive_id"]
    if not isinstance(motive_id, str) or motive_id not in catalogue.ids:
        raise file.fail(at, Phrase("arc_unknown_motive", value=shown(motive_id)))
    if motive_id in answered:
        raise file.fail(at, Phrase("arc_second_answer", motive=repr(motive_id)))
    answered.add(motive_id)
    if not isinstance(answer["applies"], bool):
        raise file.fail(at, Phrase("arc_bad_applies", value=shown(answer["applies"])))
    importance = answer.get("importance")
    return ArchivedAnswer(
        motive_id=motive_id,
        applies=answer["applies"],
        importance=None if importance is None else file.checked(validate.importance, importance, at),
        updated_at=read_time(file, answer["updated_at"], (*at, "updated_at")),
    )


def read_own_motives(file: Reader, value: Any, where: object, own_ids: set[int]) -> tuple[ArchivedOwnMotive, ...]:
    """A team's own motives, their ids not in ``own_ids`` (the other teams' ones), which they join."""
    entries = read_list(file, value, (where, "own"), validate.MAX_OWN_MOTIVES)
    return tuple(
        read_own_motive(file, entry, (where, Phrase("entry_own", number=count)), own_ids)
        for count, entry in enumerate(entries, start=1)
    )


def read_own_motive(file: Reader, value: Any, at: tuple, own_ids: set[int]) -> ArchivedOwnMotive:
    """One own motive: an id local to the file and not in ``own_ids`` (which it joins), as a team could type it."""
    entry = read_object(file, value, at, ("id", "side", "text", "importance", "created_at", "updated_at"))
    own_id = entry["id"]
    if isinstance(own_id, bool) or not isinstance(own_id, int):
        raise file.fail(at, Phrase("arc_bad_own_id", value=shown(own_id)))
    if own_id in own_ids:
        raise file.fail(at, Phrase("arc_own_id_twice", value=shown(own_id)))
    own_ids.add(own_id)
    return ArchivedOwnMotive(
        id=own_id,
        side=file.checked(validate.side, entry["side"], at),
        text=file.checked(validate.motive_text, entry["text"], at),
        importance=file.checked(validate.importance, entry["importance"], at),
        created_at=read_time(file, entry["created_at"], (*at, "created_at")),
        updated_at=read_time(file, entry["updated_at"], (*at, "updated_at")),
    )


def read_links(file: Reader, value: Any, catalogue: Catalogue, own_ids: Collection[int]) -> dict[int, str]:
    """The trainer's merges: own motive (by its id in the file) → a catalogue motive or a group, one each."""
    links: dict[int, str] = {}
    for number, entry in enumerate(read_list(file, value, "links", len(own_ids)), start=1):
        at = Phrase("entry_link", number=number)
        link = read_object(file, entry, at, ("own", "target"))
        own_id, target = link["own"], link["target"]
        # A list or an object is no id (and cannot even be looked up among them).
        if not isinstance(own_id, int) or isinstance(own_id, bool) or own_id not in own_ids:
            raise file.fail(at, Phrase("arc_bad_link_own", value=shown(own_id)))
        if own_id in links:
            raise file.fail(at, Phrase("arc_second_link", id=own_id))
        if not catalogue.link_fits(target):
            raise file.fail(at, Phrase("arc_bad_target", value=shown(target)))
        links[own_id] = target
    return links


def restore_parsed(store: Store, archived_code: str, archive: SessionArchive, code: str | None = None) -> Session:
    """Write a parsed archive into the store, under its own code or under ``code``.

    Under its own code the session keeps its trainer key (it is the same session,
    moved); a copy under another code gets a new key, so that whoever holds the
    archive cannot open the copy's dashboard.
    """
    target = normalise_code(code) if code else archived_code
    if target != archived_code:
        archive = dataclasses.replace(archive, trainer_key=secrets.token_urlsafe(18))
    return store.restore_session(archive, target)


def restore(store: Store, text: str, origin: str = "archive", code: str | None = None) -> Session:
    """Restore an archive into the store, under its own code or under ``code`` (with a new key)."""
    archived_code, archive = parse(text, origin)
    return restore_parsed(store, archived_code, archive, code)
