"""The archive reader's parts, one by one: each checks one kind of entry and names it when it refuses.

The whole file, real and damaged, is read in tests/test_hostile.py and tests/test_export.py.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from motives import archive
from motives.catalogue import default_catalogue
from motives.errors import ArchiveError, Phrase
from motives.models import ArchivedAnswer, ArchivedOwnMotive, ArchivedTeam
from motives.reading import Reader, shown

FILE = Reader(ArchiveError, "a.json")
CATALOGUE = default_catalogue()
MORNING = datetime(2026, 3, 14, 9, 30, tzinfo=UTC)
TEAM = Phrase("entry_team_name", number=1, name="'Noord'")


def refusal(read, *args, **kwargs) -> str:
    """The sentence a part of the reader refuses its value with."""
    with pytest.raises(ArchiveError) as caught:
        read(*args, **kwargs)
    return str(caught.value)


def test_a_value_is_quoted_short_and_a_table_by_its_kind():
    assert shown("kort") == "'kort'"
    assert shown("x" * 100) == "'" + "x" * 56 + "…"
    assert str(shown(10**61)) == "a very large number"
    assert str(shown({"a": 1})) == "a dict"
    assert shown(None) == "None"


def test_a_time_is_read_as_the_same_moment_in_utc():
    assert archive.read_time(FILE, "2026-03-14T11:30:00+02:00", "x") == MORNING
    assert archive.read_time(FILE, "2026-03-14T09:30:00", "x") == MORNING  # no offset: UTC, as the store keeps it
    assert archive.read_time(FILE, None, "x", required=False) is None
    assert refusal(archive.read_time, FILE, None, "session.created_at") == (
        "a.json: session.created_at: expected a date and time such as '2026-03-14T09:30:00+00:00', not None"
    )


def test_an_object_must_hold_its_fields_and_a_list_keep_to_its_limit():
    assert archive.read_object(FILE, {"own": 1, "target": ""}, "link 1", ("own", "target")) == {"own": 1, "target": ""}
    assert refusal(archive.read_object, FILE, {"own": 1}, "link 1", ("own", "target")) == (
        "a.json: link 1: the field 'target' is missing"
    )
    assert refusal(archive.read_object, FILE, [1], "link 1", ()) == "a.json: link 1: expected an object {…}, not a list"
    assert archive.read_list(FILE, [1, 2], "teams", 2) == [1, 2]
    assert refusal(archive.read_list, FILE, [1, 2, 3], "teams", 2) == "a.json: teams: 3 entries; at most 2"


def test_the_session_fields_are_checked_each_on_its_own():
    assert archive.read_code(FILE, "ABC234") == "ABC234"
    assert refusal(archive.read_code, FILE, "abc234") == (
        "a.json: session.code: 'abc234' is not a session code (6 of ABCDEFGHJKMNPQRSTUVWXYZ23456789)"
    )
    assert archive.read_language(FILE, "fr") == "fr"
    assert refusal(archive.read_language, FILE, "de") == "a.json: session.language: 'de'; the language is nl, en, fr"
    assert refusal(archive.read_trainer_key, FILE, "short") == (
        "a.json: session.trainer_key: the trainer key is damaged (16 to 64 letters, digits, - or _)"
    )
    assert refusal(archive.read_flag, FILE, "yes", "session.revealed") == (
        "a.json: session.revealed: expected true or false, not 'yes'"
    )


def test_an_answer_is_to_a_motive_of_the_catalogue_once():
    answered: set[str] = set()
    entry = {"motive_id": "for-prevention", "applies": True, "importance": 4, "updated_at": "2026-03-14T09:30:00Z"}
    at = (TEAM, Phrase("entry_answer", number=1))
    assert archive.read_answer(FILE, entry, at, CATALOGUE, answered) == ArchivedAnswer(
        "for-prevention", True, 4, MORNING
    )
    assert answered == {"for-prevention"}
    assert refusal(archive.read_answer, FILE, entry, at, CATALOGUE, answered) == (
        "a.json: team 1 ('Noord'), answer 1: a second answer to motive 'for-prevention'"
    )
    assert refusal(archive.read_answer, FILE, {**entry, "motive_id": "x"}, at, CATALOGUE, set()) == (
        "a.json: team 1 ('Noord'), answer 1: motive_id 'x' is not a motive of the archive's worksheet"
    )


def test_an_own_motive_has_an_id_of_its_own_and_what_a_team_could_type():
    own_ids: set[int] = set()
    moment = "2026-03-14T09:30:00Z"
    entry = {"id": 7, "side": "for", "text": " Eigen ", "importance": 3, "created_at": moment, "updated_at": moment}
    at = (TEAM, Phrase("entry_own", number=1))
    assert archive.read_own_motive(FILE, entry, at, own_ids) == ArchivedOwnMotive(
        7, "for", "Eigen", 3, MORNING, MORNING
    )
    assert refusal(archive.read_own_motive, FILE, entry, at, own_ids) == (
        "a.json: team 1 ('Noord'), own motive 1: id 7 is used twice (links refer to own motives by id)"
    )
    assert refusal(archive.read_own_motive, FILE, {**entry, "id": True}, at, set()) == (
        "a.json: team 1 ('Noord'), own motive 1: id must be a whole number, not True"
    )


def test_a_team_is_its_checked_values_as_records():
    names: set[str] = set()
    entry = {
        "name": "Noord",
        "joined_at": "2026-03-14T09:30:00Z",
        "conclusion": "yes",
        "explanation": "Omdat het moet.",
        "answers": [{"motive_id": "for-prevention", "applies": False, "updated_at": "2026-03-14T09:30:00Z"}],
        "own": [],
    }
    assert archive.read_team(FILE, entry, 1, CATALOGUE, names, set()) == ArchivedTeam(
        name="Noord",
        joined_at=MORNING,
        conclusion="yes",
        explanation="Omdat het moet.",
        conclusion_updated_at=None,
        answers=(ArchivedAnswer("for-prevention", False, None, MORNING),),
        own=(),
    )
    assert refusal(archive.read_team, FILE, {**entry, "name": " NOORD "}, 2, CATALOGUE, names, set()) == (
        "a.json: team 2 ('NOORD'): this team is in the archive twice"
    )


def test_a_link_joins_an_own_motive_of_the_file_to_a_motive_or_a_group_once():
    links = [{"own": 1, "target": "for-prevention"}, {"own": 2, "target": "g-1"}, {"own": 3, "target": ""}]
    assert archive.read_links(FILE, links, CATALOGUE, {1, 2, 3}) == {1: "for-prevention", 2: "g-1", 3: ""}
    assert refusal(archive.read_links, FILE, [{"own": 4, "target": ""}], CATALOGUE, {1}) == (
        "a.json: link 1: own 4 is not the id of an own motive in the archive"
    )
    assert refusal(archive.read_links, FILE, [{"own": 1, "target": "x"}], CATALOGUE, {1}) == (
        "a.json: link 1: target 'x' is neither a motive of the worksheet nor a group"
    )
    assert refusal(archive.read_links, FILE, [{"own": 1, "target": ""}] * 2, CATALOGUE, {1, 2}) == (
        "a.json: link 2: a second link for own motive 1"
    )
    # An id that is a list or an object is refused as one, not a crash (it cannot be looked up).
    assert refusal(archive.read_links, FILE, [{"own": [1], "target": ""}], CATALOGUE, {1}) == (
        "a.json: link 1: own a list is not the id of an own motive in the archive"
    )


def test_only_an_archive_of_this_version_is_read():
    archive.check_format({"format": "motives-archive", "version": 1}, "a.json")
    assert refusal(archive.check_format, {"format": "motives-archive", "version": 2}, "a.json") == (
        "a.json: archive version 2; this version reads 1"
    )
    assert refusal(archive.check_format, [], "a.json") == (
        "a.json: not a motives session archive (made by `motives export CODE --format json`)"
    )


def test_a_parsed_archive_holds_records_the_store_writes_as_they_are(store, session, team):
    store.set_answer(team, "for-prevention", True, 4)
    own = store.add_own_motive(team, "for", "Eigen", 3)
    store.link_own_motives(session, [own.id], "for-prevention")
    records = store.records(session)
    code, parsed = archive.parse(archive.dumps(archive.to_archive(store, session)))
    ((answer,), (own_row,)) = records.answers, records.own
    assert (code, parsed.name, parsed.links) == (session.code, "Workshop Gent", {1: "for-prevention"})
    assert parsed.teams == (
        ArchivedTeam(
            name=team.name,
            joined_at=records.teams[0].joined_at,
            conclusion=None,
            explanation="",
            conclusion_updated_at=None,
            answers=(ArchivedAnswer("for-prevention", True, 4, answer["updated_at"]),),
            own=(ArchivedOwnMotive(1, "for", "Eigen", 3, own_row["created_at"], own_row["updated_at"]),),
        ),
    )
