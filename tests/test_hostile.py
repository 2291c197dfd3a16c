"""A participant who is not friendly, and files that are not what they claim: at the level of Python objects.

Pages: everything a browser can do arrives as a widget value or a click; these tests
set them as a forged comm message would (tests/ui/test_hostile.py does the same
through a real server).

Files: an archive (``motives import``) or a catalogue (``--catalogue``, ``--base``) may be
damaged, edited by hand or made to hurt. Each must end in a session or in a
:class:`MotivesError` that names the file, the entry and the problem, and a refused
one leaves the store as it was. The property tests start from a real archive of the
demo session and mutate it; the example tests pin one guard each.
"""

from __future__ import annotations

import contextlib
import copy
import json
import os
import sqlite3
from pathlib import Path
from typing import Any

import ipywidgets as w
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pages import Clock, inputs, joined_page, shown_text
from processes import motives, one_line_error

from motives import archive, validate
from motives.catalogue import (
    catalogue_from_bytes,
    catalogue_from_dict,
    catalogue_to_toml,
    default_catalogue,
    load_catalogue,
)
from motives.cli import main
from motives.errors import ArchiveError, CatalogueError, InvalidInput, MotivesError
from motives.request import Request
from motives.store import Store
from motives.widgets.keyed import DashboardPage
from motives.widgets.team import TeamPage

TABLES = ("sessions", "teams", "answers", "own_motives", "motive_links", "compared_sessions")
FAST = settings(
    max_examples=80,
    deadline=None,
    database=None,  # nothing left behind in the worktree
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def rows(db: Path) -> dict[str, int]:
    """How many rows each table holds: a refused import must leave every count as it was."""
    with sqlite3.connect(db) as conn:
        return {table: conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0] for table in TABLES}


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(scope="module")
def real(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """A real archive: the demo session, written by ``motives export CODE --format json``."""
    folder = tmp_path_factory.mktemp("real")
    db = folder / "source.db"
    assert main(["demo", "--db", str(db)]) == 0
    code = Store(db).sessions()[0].code
    assert main(["export", code, "--format", "json", "-o", str(folder / "demo.json"), "--db", str(db)]) == 0
    text = (folder / "demo.json").read_text(encoding="utf-8")
    return {"text": text, "data": json.loads(text), "code": code, "db": db}


@pytest.fixture
def empty_db(tmp_path: Path) -> Path:
    db = tmp_path / "target.db"
    Store(db).close()
    return db


def refused(db: Path, data: Any, *fragments: str, error: type[MotivesError] = ArchiveError) -> str:
    """Import ``data`` into the store at ``db``: it must be refused with ``fragments`` and write nothing."""
    before = rows(db)
    store = Store(db)
    text = data if isinstance(data, str) else json.dumps(data, ensure_ascii=False)
    with pytest.raises(error) as caught:
        archive.restore(store, text, "hostile.json")
    store.close()
    message = str(caught.value)
    assert message.startswith("hostile.json"), message
    for fragment in fragments:
        assert fragment in message, message
    assert rows(db) == before
    return message


# --- archives: one guard each ---------------------------------------------------------------


def test_the_real_archive_imports(real, empty_db):
    session = archive.restore(Store(empty_db), real["text"], "demo.json")
    assert session.code == real["code"]
    assert rows(empty_db)["teams"] == 3 and rows(empty_db)["own_motives"] == len(
        [o for t in real["data"]["teams"] for o in t["own"]]
    )


def test_nesting_a_hundred_thousand_deep_is_refused(empty_db):
    refused(empty_db, "[" * 100_000 + "]" * 100_000, "nested too deeply")
    refused(empty_db, '{"a":' * 100_000 + "1" + "}" * 100_000, "nested too deeply")


def team_with_own(data: dict) -> tuple[int, dict]:
    number, team = next((n, t) for n, t in enumerate(data["teams"], start=1) if t["own"])
    return number, team


def test_an_own_motive_without_side_names_team_and_motive(real, empty_db):
    data = copy.deepcopy(real["data"])
    number, team = team_with_own(data)
    del team["own"][0]["side"]
    refused(empty_db, data, f"team {number} ({team['name']!r}), own motive 1", "the field 'side' is missing")


@pytest.mark.parametrize("bad", [[1, 2], "1", 1.5, True, None, {"id": 1}])
def test_an_own_motive_id_that_is_not_a_whole_number_is_refused(real, empty_db, bad):
    data = copy.deepcopy(real["data"])
    _, team = team_with_own(data)
    team["own"][0]["id"] = bad
    refused(empty_db, data, "own motive 1", "id must be a whole number")


def test_two_own_motives_with_one_id_are_refused(real, empty_db):
    data = copy.deepcopy(real["data"])
    owns = [o for t in data["teams"] for o in t["own"]]
    owns[1]["id"] = owns[0]["id"]
    refused(empty_db, data, f"id {owns[0]['id']} is used twice")


@pytest.mark.parametrize("field", ["joined_at", "created_at", "updated_at"])
def test_a_missing_timestamp_is_named_not_a_database_constraint(real, empty_db, field):
    data = copy.deepcopy(real["data"])
    _, team = team_with_own(data)
    if field == "joined_at":
        del team["joined_at"]
    else:
        team["own"][0][field] = None
    message = refused(empty_db, data, field if field == "joined_at" else "expected a date and time")
    assert "NOT NULL" not in message and "conflicting" not in message


@pytest.mark.parametrize("when", ["yesterday", "2026-13-01T00:00:00", 20260101, "0001-01-01T00:00:00+05:00"])
def test_a_timestamp_that_is_not_iso_is_refused(real, empty_db, when):
    data = copy.deepcopy(real["data"])
    data["session"]["created_at"] = when
    refused(empty_db, data, "session.created_at", "expected a date and time")


def test_a_timestamp_in_another_zone_is_kept_as_the_same_moment(real, empty_db):
    data = copy.deepcopy(real["data"])
    data["session"]["created_at"] = "2026-03-14T11:30:00+02:00"
    session = archive.restore(Store(empty_db), json.dumps(data))
    assert session.created_at.isoformat() == "2026-03-14T09:30:00+00:00"


@pytest.mark.slow
@pytest.mark.parametrize(
    ("where", "value", "fragments"),
    [
        ("own.text", "x" * 501, ["own motive 1", "is too long: 501 characters, at most 500"]),
        ("own.text", "  ", ["own motive 1", "the motive's text is empty"]),
        ("own.text", "stil\u202egezet", ["own motive 1", "invisible control characters"]),
        ("own.text", "half \ud800 teken", ["own motive 1", "invisible control characters"]),
        ("own.side", "maybe", ["own motive 1", "side must be 'for' or 'against'"]),
        ("own.importance", 6, ["own motive 1", "importance must be a whole number from 1 to 5"]),
        ("own.importance", True, ["own motive 1", "importance must be a whole number from 1 to 5"]),
        ("team.name", "x" * 61, ["team 1, name", "at most 60"]),
        ("team.name", 42, ["team 1, name", "must be text"]),
        ("team.explanation", "x" * 2001, ["explanation", "at most 2000"]),
        ("team.conclusion", "maybe", ["the conclusion must be yes, no, not_yet or null"]),
        ("session.name", "x" * 5_000_000, ["session.name", "at most 60"]),
        ("session.language", "de", ["session.language", "nl, en, fr"]),
        ("session.code", "O0O0O0", ["session.code", "is not a session code"]),
        ("session.trainer_key", "key-with-newline-at-the-end\n", ["the trainer key is damaged"]),
        ("session.revealed", "yes", ["session.revealed", "true or false"]),
    ],
)
def test_a_bad_value_names_the_entry_and_the_problem(real, empty_db, where, value, fragments):
    data = copy.deepcopy(real["data"])
    kind, field = where.split(".")
    target = {"own": team_with_own(data)[1]["own"][0], "team": data["teams"][0], "session": data["session"]}[kind]
    target[field] = value
    message = refused(empty_db, data, *fragments)
    assert len(message) < 400  # a 5 MB value is not quoted back


def test_two_teams_with_one_name_are_refused(real, empty_db):
    data = copy.deepcopy(real["data"])
    data["teams"][1]["name"] = "  " + data["teams"][0]["name"].upper() + " "
    refused(empty_db, data, "team 2", "in the archive twice")


@pytest.mark.parametrize(
    ("mutate", "fragments"),
    [
        (lambda d: d["teams"][0]["answers"].append(copy.deepcopy(d["teams"][0]["answers"][0])), ["a second answer"]),
        (lambda d: d["teams"][0]["answers"][0].update(motive_id="no-such-motive"), ["not a motive of the archive"]),
        (lambda d: d["teams"][0]["answers"][0].update(applies="yes"), ["applies must be true or false"]),
        (lambda d: d["links"].append({"own": 999, "target": "g-1"}), ["not the id of an own motive"]),
        (lambda d: d["links"].append({"own": 1, "target": "<script>"}), ["neither a motive of the worksheet"]),
        (lambda d: d["links"].extend([{"own": 1, "target": "g-1"}] * 2), ["a second link for own motive 1"]),
        (lambda d: d["teams"].extend(copy.deepcopy(d["teams"][:1]) * 501), ["teams: 504 entries; at most 500"]),
        (lambda d: d.update(teams="everyone"), ["teams: expected a list"]),
        (lambda d: d["session"].update(name=None), ["session.name", "must be text"]),
        (lambda d: d.pop("links"), ["top level: the field 'links' is missing"]),
        (lambda d: d.update(version=True), ["archive version True"]),
    ],
)
def test_a_damaged_structure_is_refused(real, empty_db, mutate, fragments):
    data = copy.deepcopy(real["data"])
    mutate(data)
    refused(empty_db, data, *fragments)


def test_more_own_motives_than_a_team_may_have_are_refused(real, empty_db):
    data = copy.deepcopy(real["data"])
    _, team = team_with_own(data)
    first = team["own"][0]
    team["own"] = [{**first, "id": 1000 + n, "text": f"motief {n}"} for n in range(validate.MAX_OWN_MOTIVES + 1)]
    data["links"] = []
    refused(empty_db, data, "own: 101 entries; at most 100")


def test_the_catalogue_inside_an_archive_is_held_to_the_catalogues_limits(real, empty_db):
    data = copy.deepcopy(real["data"])
    data["catalogue"]["motive"] = [
        {"id": f"m-{n}", "side": "for", "nl": f"motief {n}"} for n in range(validate.MAX_CATALOGUE_MOTIVES + 1)
    ]
    refused(empty_db, data, "catalogue: motive: 201 motives; a worksheet holds at most 200", error=CatalogueError)


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ('{"format": "motives-archive", "format": "x"}', "the key 'format' appears twice"),
        ('{"format": "motives-archive", "version": NaN}', "NaN is not a number"),
        ('{"format": "motives-archive", "version": ' + "9" * 5000 + "}", "not valid JSON"),
        ("\ufeff{}", "not valid JSON"),
        ("", "not valid JSON"),
    ],
)
def test_json_that_python_reads_loosely_is_refused(empty_db, text, fragment):
    refused(empty_db, text, fragment)


def test_a_file_too_large_or_not_utf8_is_refused_before_it_is_parsed(tmp_path):
    big = tmp_path / "big.json"
    with big.open("wb") as fh:
        fh.truncate(validate.MAX_ARCHIVE_BYTES + 1)  # sparse: takes no room on disk
    with pytest.raises(ArchiveError, match="too large for a session archive"):
        archive.read(big)
    latin = tmp_path / "latin.json"
    latin.write_bytes('{"name": "café"}'.encode("latin-1"))
    with pytest.raises(ArchiveError, match="not UTF-8"):
        archive.read(latin)
    with pytest.raises(ArchiveError, match="too large"):
        archive.read("/dev/zero")  # a device that never ends is read no further than the limit


# --- catalogues: one guard each -----------------------------------------------------------


def catalogue_file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "hostile.toml"
    path.write_text(text, encoding="utf-8")
    return path


HEAD = 'id = "x"\ntitle = "X"\n[heading]\nagainst = "Tegen"\nfor = "Voor"\n'


@pytest.mark.parametrize(
    ("text", "fragments"),
    [
        ("a = " + "[\n" * 5000 + "]\n" * 5000, ["nested too deeply"]),  # on lines of their own
        ("a = " + "[" * 15000 + "]" * 15000, ["a line is too long", "20,000 characters"]),
        ("a = " + "{b = " * 3000 + "1" + "}" * 3000, ["nested too deeply"]),  # within a line's 20,000
        ("a = " + "1" * 5000, ["not valid TOML"]),
        (
            HEAD + "".join(f'[[motive]]\nid = "m-{n}"\nside = "for"\nnl = "motief {n}"\n' for n in range(10_000)),
            ["motive: 10000 motives; a worksheet holds at most 200"],
        ),
        (HEAD.replace('"X"', '"' + "x" * 2_000_000 + '"'), ["too large for a worksheet"]),
        (
            HEAD + "".join(f'[[motive]]\nid = "m-{n}"\nside = "for"\nnl = "motief {n}"\n' for n in range(201)),
            ["motive: 201 motives; a worksheet holds at most 200"],
        ),
        (HEAD.replace('"X"', '"' + "x" * 201 + '"') + '[[motive]]\nid = "a"\nside = "for"\nnl = "t"\n', ["title"]),
        (HEAD + '[[motive]]\nid = "a"\nside = "for"\nnl = "' + "x" * 501 + '"\n', ["motive 1 ('a')", "at most 500"]),
        (HEAD + '[[motive]]\nid = "a\\n"\nside = "for"\nnl = "t"\n', ["needs an id"]),
        (HEAD + '[[motive]]\nid = "a"\nside = "for"\nnl = "t\\u0000"\n', ["invisible control characters"]),
        (HEAD + '[[motive]]\nid = "a"\nside = ["for"]\nnl = "t"\n', ["side must be 'against' or 'for', not a list"]),
        (HEAD + '[source]\nauthor = "' + "x" * 501 + '"\n[[motive]]\nid = "a"\nside = "for"\nnl = "t"\n', ["source"]),
        (
            HEAD + '[[motive]]\nid = "a"\nside = "for"\nnl = "t"\n[[motive]]\nid = "a"\nside = "for"\nnl = "u"\n',
            ["motive 2 ('a')", "used twice"],
        ),
    ],
)
def test_a_hostile_catalogue_file_is_refused_naming_file_and_entry(tmp_path, text, fragments):
    path = catalogue_file(tmp_path, text)
    with pytest.raises(CatalogueError) as caught:
        load_catalogue(path)
    message = str(caught.value)
    assert message.startswith(str(path)) and len(message) < 400, message
    for fragment in fragments:
        assert fragment in message


def test_a_catalogue_that_is_a_device_or_not_utf8_is_refused(tmp_path):
    with pytest.raises(CatalogueError, match="too large"):
        load_catalogue("/dev/zero")
    path = tmp_path / "latin.toml"
    path.write_bytes('title = "café"'.encode("latin-1"))
    with pytest.raises(CatalogueError, match="not UTF-8"):
        load_catalogue(path)


# --- the time a refusal takes ------------------------------------------------------------
# A file made to be slow must cost time in proportion to its size, never more: looking back for a
# twin key made 100,000 keys take hours, and Python's TOML reader is quadratic in a key's parts. Two
# sizes, eight times apart, are read: in proportion the larger takes about eight times the CPU time,
# quadratic about 64 times. CPU time of this process, the least of a few tries: no wall clock.

GROWTH = 8


def cpu_seconds(read: Any, text: str, tries: int) -> float:
    import time

    least = float("inf")
    for _ in range(tries):
        start = time.process_time()
        with contextlib.suppress(MotivesError):  # a refusal is what these files should end in
            read(text)
        least = min(least, time.process_time() - start)
    return least


def read_archive(text: str) -> None:
    archive.parse(text, "slow.json")


def read_catalogue(text: str) -> None:
    catalogue_from_bytes(text.encode("utf-8"), "slow.toml")


SLOW_FILES = {
    "an object of n keys, the last a twin": (
        read_archive,
        lambda n: json.dumps({f"k{i}": i for i in range(n)})[:-1] + ', "k0": 0}',
    ),
    "n objects with a twin each": (read_archive, lambda n: "[" + ",".join(['{"a": 1, "a": 2}'] * n) + "]"),
    "a key of n parts": (read_catalogue, lambda n: "a" + ".a" * n + " = 1\n"),
    "a table header of n parts": (read_catalogue, lambda n: "[a" + ".a" * n + "]\n"),
    "n keys of fifteen parts": (read_catalogue, lambda n: "".join(f"k{i}" + ".a" * 14 + " = 1\n" for i in range(n))),
    "n tables": (read_catalogue, lambda n: "".join(f"[t{i}]\nx = 1\n" for i in range(n))),
    "a string that never ends, n escapes": (read_catalogue, lambda n: 'x = """\\"' * n),
    # The pre-scan's own traps (a review found them): strings that never close, line after line.
    "n lines that open a string": (read_catalogue, lambda n: '\\"""\n' * n),
    "lines of escaped quotes in a string": (read_catalogue, lambda n: ('"' + '\\"' * 1000 + "\n") * (n // 100)),
}


@pytest.mark.slow
@pytest.mark.parametrize("shape", list(SLOW_FILES))
def test_a_file_made_to_be_slow_costs_time_in_proportion_to_its_size(shape):
    read, make = SLOW_FILES[shape]
    small, large = make(1000), make(1000 * GROWTH)
    ratio = cpu_seconds(read, large, 2) / max(cpu_seconds(read, small, 5), 1e-4)
    assert ratio < 3 * GROWTH, (shape, ratio)


@pytest.mark.slow
def test_two_megabytes_of_keys_are_refused_by_the_cli_in_one_line(tmp_path):
    # The file of the attack: 100,000 keys and a twin, 2 MB. On main `motives import` had not answered
    # after a minute; the CLI's subprocess here gives up after two.
    path = tmp_path / "keys.json"
    path.write_text("{" + ",".join(f'"key-{i:06}-padding":{i}' for i in range(100_000)) + ',"key-000000-padding":0}')
    assert 2_000_000 < path.stat().st_size < validate.MAX_ARCHIVE_BYTES
    one_line_error(motives("import", str(path), check=False), "keys.json", "key-000000-padding", "twice")
    long_key = tmp_path / "key.toml"
    long_key.write_text("a" + ".a" * 9_000 + " = 1\n")
    one_line_error(motives("session", "new", "Traag", "--catalogue", str(long_key), check=False), "key.toml", "16")


# --- the CLI ------------------------------------------------------------------------------


@pytest.mark.slow
def test_a_hostile_archive_is_one_line_on_stderr_and_the_store_unchanged(real, tmp_path):
    db = tmp_path / "m.db"
    Store(db).close()
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    before = rows(db)
    one_line_error(motives("import", str(deep), db=db, check=False), str(deep), "nested too deeply")
    data = copy.deepcopy(real["data"])
    number, team = team_with_own(data)
    del team["own"][0]["side"]
    broken = tmp_path / "broken.json"
    broken.write_text(json.dumps(data), encoding="utf-8")
    line = one_line_error(
        motives("import", str(broken), db=db, check=False), str(broken), f"team {number}", "'side' is missing"
    )
    assert "reload" not in line.casefold()
    assert rows(db) == before


def test_import_keeps_the_key_and_says_so_and_import_as_gives_a_new_key(real, tmp_path, capsys):
    db = tmp_path / "m.db"
    path = tmp_path / "demo.json"
    path.write_text(real["text"], encoding="utf-8")
    old_key = real["data"]["session"]["trainer_key"]
    code, out, _ = run(capsys, "import", str(path), "--db", str(db))
    assert code == 0 and "keeps the archive's trainer key" in out and old_key in out
    code, out, _ = run(capsys, "import", str(path), "--as", "abc234", "--db", str(db))
    assert code == 0 and "with a new trainer key" in out and old_key not in out
    copy_ = Store(db).session("ABC234")
    assert not copy_.key_matches(old_key)
    assert f"dashboard.ipynb?session=ABC234&key={copy_.trainer_key}" in out
    assert Store(db).session(real["code"]).key_matches(old_key)


def test_an_import_under_a_taken_or_malformed_code_is_said_for_the_cli(real, tmp_path, capsys):
    db = tmp_path / "m.db"
    path = tmp_path / "demo.json"
    path.write_text(real["text"], encoding="utf-8")
    assert run(capsys, "import", str(path), "--db", str(db))[0] == 0
    before = rows(db)
    code, _, err = run(capsys, "import", str(path), "--as", real["code"], "--db", str(db))
    assert code == 1 and "already" in err and "reload" not in err.casefold()
    code, _, err = run(capsys, "import", str(path), "--as", "O0O0O0", "--db", str(db))
    assert code == 1 and "6 characters" in err
    assert rows(db) == before


@pytest.mark.parametrize("suffix", ["", "-wal", "-shm", "-journal"])
def test_export_never_writes_over_the_store_even_with_force(real, tmp_path, capsys, suffix):
    db = tmp_path / "m.db"
    assert main(["demo", "--db", str(db)]) == 0
    capsys.readouterr()
    code = Store(db).sessions()[0].code
    target = Path(f"{db}{suffix}")
    before = rows(db)
    for force in ([], ["--force"]):
        status, out, err = run(capsys, "export", code, "-o", str(target), *force, "--db", str(db))
        assert status == 1 and out == "" and "is the store itself" in err
    assert_store_intact(db, target, before)


def assert_store_intact(db: Path, target: Path, before: dict[str, int]) -> None:
    # Not byte for byte: SQLite itself rewrites its files (a checkpoint moves the WAL into the database).
    assert b'"session","team",' not in (target.read_bytes() if target.exists() else b"")
    assert db.read_bytes().startswith(b"SQLite format 3\x00")
    assert rows(db) == before


def test_export_never_writes_over_the_store_by_another_name(tmp_path, capsys):
    db = tmp_path / "m.db"
    assert main(["demo", "--db", str(db)]) == 0
    code = Store(db).sessions()[0].code
    (tmp_path / "link.db").symlink_to(db)
    os.link(db, tmp_path / "hard.db")
    (tmp_path / "sub").mkdir()
    before = rows(db)
    for name in ("link.db", "hard.db", "sub/../m.db"):
        capsys.readouterr()
        status, out, err = run(capsys, "export", code, "-o", str(tmp_path / name), "--force", "--db", str(db))
        assert status == 1 and out == "" and "is the store itself" in err
        assert_store_intact(db, tmp_path / name, before)


def test_export_and_add_from_refuse_an_existing_file_unless_forced(tmp_path, capsys):
    db = tmp_path / "m.db"
    assert main(["demo", "--db", str(db)]) == 0
    code = Store(db).sessions()[0].code
    kept = tmp_path / "kept.txt"
    kept.write_text("the trainer's notes", encoding="utf-8")
    for argv in (["export", code, "-o", str(kept)], ["catalogue", "add-from", code, "-o", str(kept)]):
        capsys.readouterr()
        status, _, err = run(capsys, *argv, "--db", str(db))
        assert status == 1 and "already exists" in err and "--force" in err
        assert kept.read_text(encoding="utf-8") == "the trainer's notes"
    status, _, err = run(capsys, "catalogue", "add-from", code, "-o", str(db), "--force", "--db", str(db))
    assert status == 1 and "is the store itself" in err
    assert run(capsys, "export", code, "-o", str(kept), "--force", "--db", str(db))[0] == 0
    assert kept.read_text(encoding="utf-8").startswith('\ufeff"Team";"Kant";')


def test_add_from_refuses_a_catalogue_grown_past_the_limit_and_writes_nothing(tmp_path, capsys):
    db = tmp_path / "m.db"
    assert main(["demo", "--db", str(db)]) == 0
    code = Store(db).sessions()[0].code
    base = catalogue_file(
        tmp_path, HEAD + "".join(f'[[motive]]\nid = "m-{n}"\nside = "for"\nnl = "motief {n}"\n' for n in range(199))
    )
    capsys.readouterr()
    status, _, err = run(
        capsys, "catalogue", "add-from", code, "--base", str(base), "-o", str(tmp_path / "next.toml"), "--db", str(db)
    )
    assert status == 1 and "next.toml (not written): motive: 203 motives; a worksheet holds at most 200" in err
    assert not (tmp_path / "next.toml").exists()


def test_output_to_a_folder_is_refused(tmp_path, capsys):
    db = tmp_path / "m.db"
    assert main(["demo", "--db", str(db)]) == 0
    code = Store(db).sessions()[0].code
    capsys.readouterr()
    status, _, err = run(capsys, "export", code, "-o", str(tmp_path), "--force", "--db", str(db))
    assert status == 1 and "is a folder" in err


def test_a_session_made_before_the_limits_still_opens(tmp_path):
    """The limits hold for files people bring, not for a session's frozen copy already in a store."""
    big = default_catalogue().to_dict()
    big["motive"] = [{"id": f"m-{n}", "side": "for", "nl": "lang " * 120 + str(n)} for n in range(250)]
    store = Store(tmp_path / "m.db")
    session = store.create_session("Van vroeger", catalogue_from_dict(big))
    assert len(store.session(session.code).catalogue.motives) == 250
    with pytest.raises(CatalogueError, match="at most 200"):
        catalogue_from_dict(big, limits=True)


def test_a_hostile_catalogue_for_a_new_session_is_one_line(tmp_path):
    deep = catalogue_file(tmp_path, "a = " + "[" * 5000 + "]" * 5000)
    db = tmp_path / "m.db"
    one_line_error(
        motives("session", "new", "X", "--catalogue", str(deep), db=db, check=False), str(deep), "nested too deeply"
    )
    store = Store(db)
    try:
        assert store.sessions() == []  # nothing was written
    finally:
        store.close()


# --- properties: mutated real files end in a session or in a MotivesError ------------------

LEAVES = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20)
    | st.sampled_from(["", "for", "against", "yes", "g-1", "2026-01-01T00:00:00+00:00", "\u202e", "\ud800", "1"])
)
VALUES = st.recursive(
    LEAVES,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=8,
)
DEEP = "@@nested-deeply@@"  # replaced in the file's text: json.dumps itself cannot write 100,000 levels
HUGE = st.sampled_from([501, 2001, 100_000]).map(lambda n: "é" * n)


def places(tree: Any) -> list[tuple[Any, Any]]:
    """Every (container, key) in ``tree``: where a change can be made."""
    found, stack = [], [tree]
    while stack:
        node = stack.pop()
        keys = node if isinstance(node, dict) else range(len(node)) if isinstance(node, list) else ()
        for key in keys:
            found.append((node, key))
            stack.append(node[key])
    return found


def mutate(data: st.DataObject, tree: Any) -> Any:
    """One change somewhere in ``tree``: delete, replace, retype, nest, duplicate, enlarge."""
    # First what kind of entry, then which: objects and lists are few beside the texts, yet most damage is there.
    kinds: dict[str, list[tuple[Any, Any]]] = {}
    for place in places(tree):
        value = place[0][place[1]]
        kind = "object" if isinstance(value, dict) else "list" if isinstance(value, list) else "leaf"
        kinds.setdefault(kind, []).append(place)
    if not kinds or data.draw(st.integers(0, 20)) == 0:
        parent, key, node = None, None, tree
    else:
        parent, key = data.draw(st.sampled_from(kinds[data.draw(st.sampled_from(sorted(kinds)))]))
        node = parent[key]
    operation = data.draw(
        st.sampled_from(["delete", "replace", "nest", "duplicate", "huge", "unicode", "number", "deep"])
    )
    if parent is None:
        return data.draw(VALUES) if operation == "replace" else tree
    if operation == "delete":
        del parent[key]
    elif operation == "replace":
        parent[key] = data.draw(VALUES)
    elif operation == "nest":
        parent[key] = data.draw(st.sampled_from([[node], {"value": node}]))
    elif operation == "duplicate":
        if isinstance(parent, list):
            parent.append(copy.deepcopy(node))
        elif isinstance(node, list) and node:
            node.extend(copy.deepcopy(node[:1]) * data.draw(st.integers(1, 300)))
    elif operation == "huge":
        parent[key] = data.draw(HUGE)
    elif operation == "unicode":
        parent[key] = data.draw(st.text(min_size=1, max_size=30))
    elif operation == "number":
        parent[key] = data.draw(st.sampled_from([0, 6, -1, 2**63, 1.5, True, "3"]))
    elif data.draw(st.booleans()):
        parent[key] = json.loads("[" * 20 + "]" * 20)
    else:
        parent[key] = DEEP
    return tree


def deepen(text: str, quoted: str, depth: int) -> str:
    return text.replace(quoted, "[" * depth + "]" * depth)


@pytest.fixture(scope="module")
def fuzz_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("fuzz") / "fuzz.db"
    Store(db).close()
    return db


def ends_in_a_session_or_a_refusal(db: Path, text: str) -> None:
    before = rows(db)
    store = Store(db)
    try:
        session = archive.restore(store, text, "mutated.json")
    except MotivesError:
        assert rows(db) == before
    else:
        # What was imported works: it exports and reads back as the same archive.
        again = archive.dumps(archive.to_archive(store, session))
        assert archive.parse(again, "again.json")[0] == session.code
        store.delete_session(session)
    finally:
        store.close()


def kinds_of_place(tree: Any) -> list[int]:
    """One place of each kind (the first own motive's side stands for every own motive's side)."""
    seen: dict[str, int] = {}
    paths = {id(tree): ""}
    for number, (parent, key) in enumerate(places(tree)):
        path = paths[id(parent)] + "/" + (key if isinstance(key, str) else "#")
        paths.setdefault(id(parent[key]), path)
        seen.setdefault(path, number)
    return sorted(seen.values())


@pytest.mark.slow
def test_every_kind_of_entry_deleted_or_retyped_ends_in_a_session_or_a_refusal(real, fuzz_db):
    """Each kind of place in turn, so that a missing type check fails here every time, not by chance."""
    for number in kinds_of_place(real["data"]):
        for replacement in ("delete", None, 0, []):
            tree = copy.deepcopy(real["data"])
            parent, key = places(tree)[number]
            if replacement == "delete":
                del parent[key]
            else:
                parent[key] = replacement
            ends_in_a_session_or_a_refusal(fuzz_db, json.dumps(tree))


@pytest.mark.slow
@FAST
@given(data=st.data())
def test_a_mutated_real_archive_ends_in_a_session_or_a_refusal(real, fuzz_db, data):
    tree = copy.deepcopy(real["data"])
    for _ in range(data.draw(st.integers(1, 3))):
        tree = mutate(data, tree)
    text = json.dumps(tree, ensure_ascii=data.draw(st.booleans()))
    ends_in_a_session_or_a_refusal(fuzz_db, deepen(text, json.dumps(DEEP), 100_000))


@pytest.mark.slow
@FAST
@given(data=st.data())
def test_a_cut_or_spliced_archive_text_ends_in_a_session_or_a_refusal(real, fuzz_db, data):
    text = real["text"]
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, min(len(text), start + 200)))
    text = text[:start] + data.draw(st.text(max_size=20)) + text[end:]
    ends_in_a_session_or_a_refusal(fuzz_db, text)


def toml_value(value: Any) -> str | None:
    """A value as TOML inline syntax (None has no TOML: the key is left out)."""
    from motives.catalogue import _toml_string

    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, str):
        return _toml_string(value)
    if isinstance(value, list):
        return "[" + ", ".join(v for v in map(toml_value, value) if v is not None) + "]"
    if isinstance(value, dict):
        parts = [f"{_toml_string(k)} = {v}" for k, v in ((k, toml_value(v)) for k, v in value.items()) if v is not None]
        return "{" + ", ".join(parts) + "}"
    return None


def toml_document(data: Any) -> str:
    if not isinstance(data, dict):
        return f"value = {toml_value(data)}\n"
    from motives.catalogue import _toml_string

    return "".join(f"{_toml_string(k)} = {v}\n" for k, v in ((k, toml_value(v)) for k, v in data.items()) if v)


@pytest.fixture(scope="module")
def base_catalogue() -> dict[str, Any]:
    return default_catalogue().to_dict()


def catalogue_ends_in_a_session_or_a_refusal(db: Path, path: Path) -> None:
    before = rows(db)
    store = Store(db)
    try:
        catalogue = load_catalogue(path)
        session = store.create_session("Fuzz", catalogue)
        # The frozen copy reads back: a session whose catalogue fails to load would be lost.
        assert store.session(session.code).catalogue == catalogue
        assert catalogue_from_dict(catalogue.to_dict()) == catalogue
        store.delete_session(session)
    except MotivesError:
        assert rows(db) == before
    finally:
        store.close()


@pytest.mark.slow
@FAST
@given(data=st.data())
def test_a_mutated_catalogue_file_ends_in_a_session_or_a_refusal(base_catalogue, fuzz_db, tmp_path_factory, data):
    tree = copy.deepcopy(base_catalogue)
    for _ in range(data.draw(st.integers(1, 3))):
        tree = mutate(data, tree)
    path = tmp_path_factory.mktemp("toml") / "mutated.toml"
    text = deepen(toml_document(tree), toml_value(DEEP), 5_000)
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    catalogue_ends_in_a_session_or_a_refusal(fuzz_db, path)


@pytest.mark.slow
@FAST
@given(data=st.data())
def test_a_cut_or_spliced_catalogue_text_ends_in_a_session_or_a_refusal(fuzz_db, tmp_path_factory, data):
    lines = catalogue_to_toml(default_catalogue()).splitlines()
    for _ in range(data.draw(st.integers(1, 4))):
        at = data.draw(st.integers(0, len(lines) - 1))
        operation = data.draw(st.sampled_from(["delete", "duplicate", "replace", "insert"]))
        if operation == "delete":
            del lines[at]
        elif operation == "duplicate":
            lines.insert(at, lines[at])
        else:
            typed = data.draw(st.text(max_size=30).filter(lambda t: "\n" not in t and "\r" not in t))
            lines[at : at + (operation == "replace")] = [typed]
        if not lines:
            lines = [""]
    path = tmp_path_factory.mktemp("toml") / "spliced.toml"
    path.write_text("\n".join(lines), encoding="utf-8", errors="surrogatepass")
    catalogue_ends_in_a_session_or_a_refusal(fuzz_db, path)


# === pages ======================================================================


def alive() -> int:
    """Widgets the kernel keeps (each reachable over the websocket until closed)."""
    return len(w.widgets.widget._instances)


# --- teams are made by people, not by GETs ------------------------------------


def test_rendering_a_team_url_makes_no_team(store, session):
    for n in range(50):
        page = TeamPage({"session": session.code, "team": f"Squatter {n}"}, store=store)
        assert page.worksheet is None
    assert store.records(session).teams == []
    assert page.go_button.description == "Doe mee als dit team"
    assert page.name_field.value == "Squatter 49"


def test_the_join_click_makes_the_team_and_opens_its_worksheet(store, session):
    page = TeamPage({"session": session.code, "team": "Noord"}, store=store)
    page.go_button.click()
    assert page.worksheet is not None and page.worksheet.team.name == "Noord"
    assert [t.name for t in store.records(session).teams] == ["Noord"]
    key = page.worksheet.team.key
    again = TeamPage(
        {"session": session.code, "team": "noord", "teamkey": key}, store=store
    )  # its link, another device
    assert again.worksheet is not None and again.worksheet.team.id == page.worksheet.team.id


# --- a team's name is not its credential: its own link is -----------------------------


def test_knowing_a_teams_name_is_not_enough_to_open_its_answers(store, session):
    team = store.join(session, "Thuiszorg (demo)")
    store.set_conclusion(team, "not_yet", "Eerst ons communicatiebeleid lezen.")
    for params in (
        {"session": session.code, "team": "thuiszorg (demo)"},  # the name only, as every page shows it after the reveal
        {"session": session.code, "team": "Thuiszorg (demo)", "teamkey": "guess"},
        {"session": session.code, "team": "Thuiszorg (demo)", "teamkey": ""},
    ):
        page = TeamPage(params, store=store)
        assert page.worksheet is None
        assert "Er is al een team met de naam Thuiszorg (demo)." in page.form_status.value
        assert "Eerst ons communicatiebeleid" not in shown_text(page)
        # The form offers another name, never the team's answers: a click there makes no second team.
        page.go_button.click()
        assert page.worksheet is None
    # Typing the name in the form is no way in either.
    page = TeamPage({"session": session.code}, store=store)
    page.name_field.value = "Thuiszorg (demo)"
    assert page.worksheet is None and "Er is al een team met de naam" in page.form_status.value
    assert store.team_answers(team).conclusion == "not_yet"
    assert [t.name for t in store.records(session).teams] == ["Thuiszorg (demo)"]


def test_a_teams_own_link_opens_it_on_a_second_device_and_the_address_bar_keeps_it(store, session):
    first = TeamPage({"session": session.code, "team": "Noord"}, store=store)
    first.go_button.click()
    team = first.worksheet.team
    assert len(team.key) == 16
    own = f"?session={session.code}&team=Noord&teamkey={team.key}"
    assert f'data-motives-query="{own.replace("&", "&amp;")}"' in first.identity.value  # a reload keeps the key
    assert f"team.ipynb{own.replace('&', '&amp;')}" in first.worksheet.header.value  # the link to keep, on screen
    second = TeamPage({"session": session.code, "team": "Noord", "teamkey": team.key}, store=store)
    assert second.worksheet is not None and second.worksheet.team.id == team.id
    assert repr(team).count(team.key) == 0  # the key never reaches a log by way of a repr


def test_the_trainers_dashboard_shows_each_teams_own_link(store, session):
    from motives.widgets.keyed import DashboardPage

    team = store.join(session, "Noord")
    board = DashboardPage({"session": session.code, "key": session.trainer_key}, store=store).dashboard
    link = board.teams_box.team_link.value
    assert f"session={session.code}&amp;team=Noord&amp;teamkey={team.key}" in link


def test_a_replaced_form_is_closed_so_a_forged_click_on_it_does_nothing(store, session):
    page = TeamPage({"session": session.code, "team": "Noord"}, store=store)
    old_button, old_field = page.go_button, page.name_field
    old_button.click()
    assert old_button.comm is None and old_field.comm is None  # closed: no longer reachable
    old_field.value = "Tweede team"  # as a late message would; the page shows the worksheet
    old_button.click()
    assert [t.name for t in store.records(session).teams] == ["Noord"]


# --- look-alike names ---------------------------------------------------------


def test_look_alike_team_names_are_one_team(store, session):
    first = store.join(session, "Ｎoord")  # a full-width N
    for look_alike in ("Noord", "noord", "NOORD", " Noord ", "Ｎｏｏｒｄ"):
        assert store.join(session, look_alike).id == first.id
    assert [t.name for t in store.records(session).teams] == ["Ｎoord"]  # shown as first typed
    assert validate.team_name_key("ﬁlm") == validate.team_name_key("Film")  # a ligature is two letters


def test_names_in_look_alike_letters_of_other_scripts_are_one_team(store, session):
    first = store.join(session, "Noord")
    for look_alike in ("N\u043e\u043erd", "N\u043eord", "N\u041e\u041eRD", "noord"):  # Cyrillic о and О
        assert store.join(session, look_alike).id == first.id, look_alike
    hoord = store.join(session, "Hoord")
    assert store.join(session, "\u041dOORD").id == hoord.id  # a Cyrillic Н looks like an H, not an N
    assert store.join(session, "\u04baoord").id == hoord.id  # and so does a Cyrillic Һ (its small һ is an h)
    second = store.join(session, "Team 0")
    assert store.join(session, "team O").id == second.id  # a zero looks like an O
    assert store.join(session, "Team \u0410").id != second.id  # a Cyrillic А is an A, not an O
    assert [t.name for t in store.records(session).teams] == ["Noord", "Hoord", "Team 0", "Team \u0410"]
    assert store.join(session, "Zuid").id not in (first.id, second.id)


@pytest.mark.parametrize(
    "invisible",
    ["\u2800", "\u3164", "\uffa0", "\u115f", "\u1160", "\u034f", "\u17b4", "\u180b", "\ufe00", "\U000e0041"],
)
def test_a_name_with_a_letter_that_shows_nothing_is_refused(store, session, invisible):
    store.join(session, "Noord")
    for name in (f"Noord{invisible}", f"{invisible}Noord", f"No{invisible}ord", invisible):
        with pytest.raises(InvalidInput) as refused:
            store.join(session, name)
        assert refused.value.key in ("control_characters", "empty_team_name"), name
    assert [t.name for t in store.records(session).teams] == ["Noord"]


def test_an_emojis_presentation_selector_is_allowed_but_makes_no_second_team(store, session):
    heart = store.join(session, "Team \u2764\ufe0f")  # what a phone keyboard sends for a red heart
    assert store.join(session, "Team \u2764").id == heart.id
    assert heart.name == "Team \u2764\ufe0f"


# --- guessing join codes is slowed ----------------------------------------------


def test_after_five_wrong_codes_each_try_waits_longer(store, session):
    page = TeamPage({}, store=store)
    page.guesses.tries.clock = clock = Clock()
    for n in range(4):
        page.code_field.value = f"WRONG{n}"  # the field submits when the participant leaves it…
        page.go_button.click()  # …and the button submits the same code again: one try
        assert "Er is geen sessie met code" in page.form_status.value
        assert "Wacht" not in page.form_status.value
    waits = []
    for n in range(8):
        clock.now += waits[-1] if waits else 0
        page.code_field.value = f"WRONGX{n}"
        waits.append(page.guesses.tries.wait())
    assert waits == [2, 4, 8, 16, 32, 60, 60, 60]
    assert "Er is geen sessie met code WRONGX7. Kijk de code na bij je trainer." in page.form_status.value
    assert "Te veel foute codes. Wacht 60 seconden en probeer dan opnieuw." in page.form_status.value
    page.code_field.value = session.code  # even the right code waits its turn
    assert "Te veel foute codes. Wacht 60 seconden en probeer dan opnieuw." in page.form_status.value
    assert page.session is None
    clock.now += 60
    page.go_button.click()
    assert page.session is not None and page.session.code == session.code


def test_guessing_fast_with_forged_messages_gets_nine_tries_in_a_minute(store, session):
    page = TeamPage({}, store=store)
    page.guesses.tries.clock = clock = Clock()
    tried = 0
    for n in range(3000):  # 50 forged messages a second for a minute
        clock.now += 1 / 50
        page.code_field.value = f"GUESS{n:04d}"  # Enter: one submit a code
        if "Er is geen sessie" in page.form_status.value:
            tried += 1
    assert tried == 9  # five free, then after waits of 2, 4, 8 and 16 seconds
    assert page.guesses.tries.wait() > 0


# --- deleted means gone for open pages too ----------------------------------------


def test_a_page_of_a_deleted_session_says_so_and_stops(store, session, caplog):
    sheet = joined_page(store, session, "Noord").worksheet
    board = DashboardPage({"session": session.code, "key": session.trainer_key}, store=store).dashboard
    store.delete_session(session)
    sheet.poll()
    board.poll()
    assert sheet.ended and board.ended
    assert "Deze sessie is verwijderd." in sheet.locked.value
    assert "Deze sessie is verwijderd." in board.status.value
    assert "Bewaard" not in sheet.status.value and "elke wijziging" not in sheet.status.value
    assert all(control.disabled for control in inputs(sheet))
    before = (sheet.locked.value, board.status.value)
    sheet.poll()
    board.poll()
    assert (sheet.locked.value, board.status.value) == before
    assert caplog.records == []  # nothing logged, no traceback


# --- no widget leaks --------------------------------------------------------------


def twenty_revisions(store, session, sheet) -> None:
    """Another team changes its mind twenty times; the page follows every change."""
    north = store.join(session, "Noord")
    for n in range(20):
        store.set_answer(north, "for-prevention", n % 2 == 0, 3)
        sheet.poll()


@pytest.mark.slow
@pytest.mark.parametrize("revealed", [False, True])
def test_twenty_revisions_leave_no_widgets_behind(store, session, revealed):
    sheet = joined_page(store, session, "Zuid").worksheet
    store.set_revealed(session, revealed)
    sheet.poll()
    start = alive()
    twenty_revisions(store, session, sheet)
    assert alive() == start
    assert len(sheet.revealed.children) == (1 if revealed else 0)  # one comparison, redrawn in place


def test_hiding_the_comparison_closes_it(store, session):
    sheet = joined_page(store, session, "Zuid").worksheet
    store.set_revealed(session, True)
    sheet.poll()
    start = alive()
    store.set_revealed(session, False)
    sheet.poll()
    assert alive() == start - 3 and sheet.revealed.children == ()  # the comparison, its layout and its style


def test_another_devices_removed_own_motives_are_closed(store, session):
    north = store.join(session, "Noord")
    sheet = joined_page(store, session, "Noord").worksheet
    for n in range(11):
        if n == 1:
            start = alive()  # after one row came and went: shared models made once are not leaks
        own = store.add_own_motive(north, "for", f"Motief {n}")
        sheet.poll()
        store.remove_own_motive(north, own.id)
        sheet.poll()
    assert alive() == start


def test_a_store_of_schema_4_gets_look_alike_names_folded(tmp_path, catalogue):
    path = tmp_path / "v4.db"
    store = Store(path)
    session = store.create_session("S", catalogue)
    team = store.join(session, "Ｎoord")
    with store.engine.begin() as conn:  # as schema 4 stored it: NFC and case folding only
        conn.exec_driver_sql("UPDATE teams SET name_key = 'ｎoord'")
        conn.exec_driver_sql("UPDATE schema_info SET version = 4")
    store.close()
    again = Store(path)
    assert again.find_team(session, "Noord").id == team.id
    again.close()


def test_a_store_of_schema_6_gets_names_matched_by_their_skeleton(tmp_path, catalogue):
    path = tmp_path / "v6.db"
    store = Store(path)
    session = store.create_session("S", catalogue)
    team = store.join(session, "N\u043e\u043erd")  # Cyrillic о
    twin = store.join(session, "Zuid")
    with store.engine.begin() as conn:  # as schema 6 stored them: folded, not by skeleton
        conn.exec_driver_sql("UPDATE teams SET name_key = 'n\u043e\u043erd' WHERE name = 'N\u043e\u043erd'")
        conn.exec_driver_sql("UPDATE schema_info SET version = 6")
    store.close()
    again = Store(path)
    try:
        assert again.find_team(session, "Noord").id == team.id
        assert again.find_team(session, "Zuid").id == twin.id
    finally:
        again.close()


# --- sessions on a shared server can expire -----------------------------------------


def test_an_expired_sessions_code_stops_working_on_the_pages_but_not_for_the_trainer(tmp_path, catalogue, capsys):
    from motives.cli import main

    db = tmp_path / "old.db"
    Store(db).create_session("Vorig jaar", catalogue)
    with Store(db).engine.begin() as conn:
        conn.exec_driver_sql("UPDATE sessions SET created_at = '2025-01-01 09:00:00.000000'")
    code = Store(db).sessions()[0].code
    page = TeamPage({"session": code}, store=Store(db, expire_days=30))
    assert page.session is None
    assert f"Er is geen sessie met code {code}." in page.form_status.value
    assert Store(db, expire_days=0).session(code).name == "Vorig jaar"
    assert main(["export", code, "--format", "csv", "--db", str(db)]) == 0  # the owner still has it
    assert capsys.readouterr().out.startswith('\ufeff"Team";')


def test_the_expiry_comes_from_motives_expire_days(tmp_path, monkeypatch):
    assert Store(tmp_path / "a.db").expire_days == 0  # a laptop: never
    monkeypatch.setenv("MOTIVES_EXPIRE_DAYS", "30")  # what motives serve --expire-days 30 gives its pages
    page = TeamPage({"session": "ABC234"}, store=None)  # a page reads the settings at its entry
    assert page.store.expire_days == 30


@pytest.mark.parametrize(
    ("address", "other"),
    [
        ("192.0.2.{}", "192.0.2.200"),  # {}: always 7, one address
        ("2001:db8:1:2::{}", "2001:db8:1:3::1"),  # {}: a new address of one /64 for every page
    ],
    ids=["ipv4", "ipv6 /64"],
)
def test_wrong_codes_from_one_device_are_counted_across_pages(store, session, address, other):
    """A script that opens page after page (each its own kernel) still meets one limit per device: an
    address, or an IPv6 /64 (on main each address of a /64 had a limit of its own)."""
    from motives.widgets.guessing import CLIENT_FAILURES

    tried = 0
    for page_number in range(CLIENT_FAILURES // 4 + 2):
        device = Request(client=address.format(7 if "." in address else page_number + 1))  # as motives serve passes it
        page = TeamPage(device, store=store)  # a fresh page: its own per-page tries are all free
        for n in range(4):
            page.code_field.value = f"P{page_number:02d}X{n}"
            tried += "Er is geen sessie" in page.form_status.value
    assert tried == CLIENT_FAILURES
    assert "Te veel foute codes." in page.form_status.value
    page = TeamPage(device, store=store)
    page.code_field.value = session.code  # the right code waits too: a guesser cannot tell it apart
    assert page.session is None and "Te veel foute codes." in page.form_status.value
    page = TeamPage(Request(client=other), store=store)  # another device in the room is not held up
    page.code_field.value = session.code
    assert page.session is not None


def test_a_second_device_scans_the_teams_own_link_from_the_first(store, session, monkeypatch):
    monkeypatch.setenv("MOTIVES_BASE_URL", "http://192.0.2.10:8866")  # what motives serve --lan tells its pages
    page = joined_page(store, session, "Noord")
    other = page.worksheet.other_device
    assert other.code.value == ""  # drawn only when asked for
    other.toggle.value = True
    assert '<div class="motives-qr" role="img" aria-label="Scan deze code met een ander toestel' in other.code.value
    assert "<svg" in other.code.value
    key = page.worksheet.team.key
    assert (
        other.url == f"http://192.0.2.10:8866/voila/render/team.ipynb?session={session.code}&team=Noord&teamkey={key}"
    )
    other.toggle.value = False
    assert other.code.value == ""


def test_no_export_carries_a_teams_key(store, session):
    """A report or an archive is handed on: whoever holds one must not be able to open a team's answers."""
    from motives.export import session_file

    team = store.join(session, "Noord")
    store.set_answer(team, "for-prevention", True, 4)
    for fmt, table, document in (
        ("csv", "answers", "report"),
        ("csv", "comparison", "report"),
        ("json", "answers", "report"),
        ("html", "answers", "report"),
        ("html", "answers", "handouts"),
        ("md", "answers", "report"),
    ):
        content = session_file(store, session, fmt, table, document).content
        text = content.decode("utf-8") if isinstance(content, bytes) else content
        assert "Noord" in text and team.key not in text, (fmt, table, document)
