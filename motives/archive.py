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
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from motives import validate
from motives.catalogue import catalogue_from_dict, shown
from motives.errors import ArchiveError, Count, InvalidInput, Phrase
from motives.models import CODE_ALPHABET, CODE_LENGTH, Session, SessionArchive, link_fits, normalise_code
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
    if len(raw) > limit:
        raise ArchiveError.at(path, Phrase("arc_too_large", limit=Count(limit)))
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ArchiveError.at(path, Phrase("arc_not_utf8", byte=exc.start)) from None


def _load_json(text: str, origin: str) -> Any:
    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        out = dict(items)
        if len(out) < len(items):
            twin = next(key for number, (key, _) in enumerate(items) if key in dict(items[:number]))
            raise ArchiveError.at(origin, Phrase("arc_key_twice", key=shown(twin)))
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
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ArchiveError.at(origin, Phrase("arc_not_archive"))
    version = data.get("version")
    if isinstance(version, bool) or version != VERSION:
        raise ArchiveError.at(origin, Phrase("arc_version", version=shown(version), supported=VERSION))

    def fail(where: object, problem: Phrase) -> ArchiveError:
        return ArchiveError.at(origin, problem, where)

    def table(value: Any, where: object, required: tuple[str, ...]) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise fail(where, Phrase("arc_not_object", value=shown(value)))
        missing = [key for key in required if key not in value]
        if missing:
            raise fail(where, Phrase("arc_field_missing", field=repr(missing[0])))
        return value

    def array(value: Any, where: object, limit: int) -> list[Any]:
        if not isinstance(value, list):
            raise fail(where, Phrase("arc_not_list", value=shown(value)))
        if len(value) > limit:
            raise fail(where, Phrase("arc_too_many", count=Count(len(value)), limit=Count(limit)))
        return value

    def when(value: Any, where: object, required: bool = True) -> datetime | None:
        if value is None and not required:
            return None
        problem = Phrase("arc_bad_time", value=shown(value))
        if not isinstance(value, str) or len(value) > 40:
            raise fail(where, problem)
        try:
            moment = datetime.fromisoformat(value)
            # As the store keeps them: in UTC (SQLite would drop another offset and shift the time).
            return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
        except (ValueError, OverflowError):
            raise fail(where, problem) from None

    def checked(check: Callable[[Any], Any], value: Any, where: object) -> Any:
        try:
            return check(value)
        except InvalidInput as exc:
            raise fail(where, validate.in_file(exc)) from None

    top = table(data, Phrase("entry_top_level"), ("session", "catalogue", "teams", "links"))
    raw_session = table(top["session"], "session", ("code", "name", "language", "trainer_key", "created_at"))
    code = raw_session["code"]
    if not (isinstance(code, str) and len(code) == CODE_LENGTH and set(code) <= set(CODE_ALPHABET)):
        raise fail(
            "session.code", Phrase("arc_bad_code", value=shown(code), length=CODE_LENGTH, alphabet=CODE_ALPHABET)
        )
    name = checked(validate.session_name, raw_session["name"], "session.name")
    language = raw_session["language"]
    if language not in SESSION_LANGUAGES:
        raise fail(
            "session.language", Phrase("arc_bad_language", value=shown(language), known=", ".join(SESSION_LANGUAGES))
        )
    key = raw_session["trainer_key"]
    if not (isinstance(key, str) and _TRAINER_KEY.fullmatch(key)):
        raise fail("session.trainer_key", Phrase("arc_damaged_key"))
    created_at = when(raw_session["created_at"], "session.created_at")
    revealed = raw_session.get("revealed", False)
    if not isinstance(revealed, bool):
        raise fail("session.revealed", Phrase("arc_not_bool", value=shown(revealed)))
    catalogue = catalogue_from_dict(
        top["catalogue"], origin=Phrase("err_place", file=origin, where="catalogue"), limits=True
    )

    teams: list[dict[str, Any]] = []
    team_keys: set[str] = set()
    own_ids: set[int] = set()
    for number, raw_team in enumerate(array(top["teams"], "teams", validate.MAX_ARCHIVE_TEAMS), start=1):
        where: object = Phrase("entry_team", number=number)
        team = table(raw_team, where, ("name", "joined_at", "answers", "own"))
        team_name = checked(validate.team_name, team["name"], (where, "name"))
        where = Phrase("entry_team_name", number=number, name=repr(team_name))
        if validate.team_name_key(team_name) in team_keys:
            raise fail(where, Phrase("arc_team_twice"))
        team_keys.add(validate.team_name_key(team_name))
        answers: list[dict[str, Any]] = []
        answered: set[str] = set()
        raw_answers = array(team["answers"], (where, "answers"), len(catalogue.motives))
        for count, raw_answer in enumerate(raw_answers, start=1):
            at = (where, Phrase("entry_answer", number=count))
            answer = table(raw_answer, at, ("motive_id", "applies", "updated_at"))
            motive_id = answer["motive_id"]
            if not isinstance(motive_id, str) or motive_id not in catalogue.ids:
                raise fail(at, Phrase("arc_unknown_motive", value=shown(motive_id)))
            if motive_id in answered:
                raise fail(at, Phrase("arc_second_answer", motive=repr(motive_id)))
            answered.add(motive_id)
            if not isinstance(answer["applies"], bool):
                raise fail(at, Phrase("arc_bad_applies", value=shown(answer["applies"])))
            importance = answer.get("importance")
            answers.append(
                {
                    "motive_id": motive_id,
                    "applies": answer["applies"],
                    "importance": None if importance is None else checked(validate.importance, importance, at),
                    "updated_at": when(answer["updated_at"], (*at, "updated_at")),
                }
            )
        own: list[dict[str, Any]] = []
        for count, raw_own in enumerate(array(team["own"], (where, "own"), validate.MAX_OWN_MOTIVES), start=1):
            at = (where, Phrase("entry_own", number=count))
            entry = table(raw_own, at, ("id", "side", "text", "importance", "created_at", "updated_at"))
            own_id = entry["id"]
            if isinstance(own_id, bool) or not isinstance(own_id, int):
                raise fail(at, Phrase("arc_bad_own_id", value=shown(own_id)))
            if own_id in own_ids:
                raise fail(at, Phrase("arc_own_id_twice", value=shown(own_id)))
            own_ids.add(own_id)
            own.append(
                {
                    "id": own_id,
                    "side": checked(validate.side, entry["side"], at),
                    "text": checked(validate.motive_text, entry["text"], at),
                    "importance": checked(validate.importance, entry["importance"], at),
                    "created_at": when(entry["created_at"], (*at, "created_at")),
                    "updated_at": when(entry["updated_at"], (*at, "updated_at")),
                }
            )
        teams.append(
            {
                "name": team_name,
                "joined_at": when(team["joined_at"], (where, "joined_at")),
                "conclusion": checked(validate.conclusion, team.get("conclusion"), where),
                "explanation": checked(validate.explanation, team.get("explanation", ""), (where, "explanation")),
                "conclusion_updated_at": when(
                    team.get("conclusion_updated_at"), (where, "conclusion_updated_at"), required=False
                ),
                "answers": answers,
                "own": own,
            }
        )

    links: dict[int, str] = {}
    for number, raw_link in enumerate(array(top["links"], "links", len(own_ids)), start=1):
        at = Phrase("entry_link", number=number)
        link = table(raw_link, at, ("own", "target"))
        own_id, target = link["own"], link["target"]
        if isinstance(own_id, bool) or own_id not in own_ids:
            raise fail(at, Phrase("arc_bad_link_own", value=shown(own_id)))
        if own_id in links:
            raise fail(at, Phrase("arc_second_link", id=own_id))
        if not link_fits(target, catalogue):
            raise fail(at, Phrase("arc_bad_target", value=shown(target)))
        links[own_id] = target

    archive = SessionArchive(
        name=name,
        language=language,
        trainer_key=key,
        created_at=created_at,
        revealed=revealed,
        catalogue=catalogue,
        teams=teams,
        links=links,
    )
    return code, archive


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
