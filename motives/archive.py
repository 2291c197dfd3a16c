"""A whole session as one JSON file: catalogue copy, teams, answers, own motives, merges, conclusions.

``motives export CODE --format json`` writes it and ``motives import FILE``
restores it on another machine. The file is deterministic (sorted keys, fixed
order, timestamps as they were), so export, import and export again give the
same bytes. Own motives get ids local to the file, which merges refer to.
"""

from __future__ import annotations

import json
import re
from datetime import datetime
from typing import Any

from motives.catalogue import catalogue_from_dict
from motives.errors import CatalogueError, MotivesError
from motives.store import Session, SessionArchive, Store

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


class ArchiveError(MotivesError):
    """A file that is not a session archive this version can read."""


def parse(text: str, origin: str = "archive") -> tuple[str, SessionArchive]:
    """Read an archive file's text: its session code and the session as plain data."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ArchiveError(f"{origin}: not valid JSON ({exc.msg}, line {exc.lineno})") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ArchiveError(f"{origin}: not a motives session archive (made by `motives export CODE --format json`)")
    if data.get("version") != VERSION:
        raise ArchiveError(f"{origin}: archive version {data.get('version')!r}; this version reads {VERSION}")
    try:
        session = data["session"]
        catalogue = catalogue_from_dict(data["catalogue"], origin=f"{origin}: catalogue")

        def when(value: str | None) -> datetime | None:
            return None if value is None else datetime.fromisoformat(value)

        teams = [
            {
                "name": team["name"],
                "joined_at": when(team["joined_at"]),
                "conclusion": team["conclusion"],
                "explanation": team["explanation"],
                "conclusion_updated_at": when(team["conclusion_updated_at"]),
                "answers": [{**a, "updated_at": when(a["updated_at"])} for a in team["answers"]],
                "own": [
                    {**o, "created_at": when(o["created_at"]), "updated_at": when(o["updated_at"])} for o in team["own"]
                ],
            }
            for team in data["teams"]
        ]
        key = session["trainer_key"]
        if not (isinstance(key, str) and _TRAINER_KEY.match(key)):
            raise ArchiveError(f"{origin}: the trainer key is damaged (16 to 64 letters, digits, - or _)")
        archive = SessionArchive(
            name=session["name"],
            language=session["language"],
            trainer_key=key,
            created_at=when(session["created_at"]),
            revealed=bool(session.get("revealed", False)),
            catalogue=catalogue,
            teams=teams,
            links={int(link["own"]): str(link["target"]) for link in data["links"]},
        )
        return str(session["code"]), archive
    except CatalogueError:
        raise
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise ArchiveError(f"{origin}: the archive is incomplete or damaged ({type(exc).__name__}: {exc})") from None


def restore(store: Store, text: str, origin: str = "archive", code: str | None = None) -> Session:
    """Restore an archive into the store, under its own code or under ``code``."""
    archived_code, archive = parse(text, origin)
    return store.restore_session(archive, code or archived_code)
