"""Every error the command line prints is in the trainer's language: one line, ``motives: …``, exit 1.

The CLI as a trainer types it (``motives.cli.main``) on real files and a real store, with
``MOTIVES_LANG`` set to French or Dutch: a broken catalogue, a broken archive, an unknown
session code, a bad option. The English sentences stay what they were (tests/test_cli.py).
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from processes import one_line_error

from motives.cli import main
from motives.errors import ArchiveError, CatalogueError, Count, Phrase, UnknownSession
from motives.models import CODE_ALPHABET
from motives.store import Store

NBSP = "\u00a0"
MINIMAL = (Path(__file__).parent / "data" / "minimal-catalogue.toml").read_text(encoding="utf-8")
# The smallest catalogue, with one motive whose side is neither 'for' nor 'against'.
CATALOGUE = (
    MINIMAL
    + """[[motive]]
id = "a"
side = "perhaps"
nl = "Een motief"
"""
)


def error_line(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    """The one line ``motives`` prints on stderr for ``argv``, which must fail with exit 1 and print nothing else."""
    status = main(list(argv))
    out, err = capsys.readouterr()
    return one_line_error(subprocess.CompletedProcess(argv, status, out, err))


@pytest.fixture
def archive_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[Path, dict]:
    """The demo session, exported as a real archive by ``motives export CODE --format json``."""
    db = tmp_path / "source.db"
    assert main(["demo", "--db", str(db)]) == 0
    code = Store(db).sessions()[0].code
    path = tmp_path / "archive.json"
    assert main(["export", code, "--format", "json", "-o", str(path), "--db", str(db)]) == 0
    capsys.readouterr()
    return path, json.loads(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("fr", f"motif 1 ('a'){NBSP}: le côté doit être «{NBSP}against{NBSP}» ou «{NBSP}for{NBSP}», pas 'perhaps'"),
        ("nl", "motief 1 ('a'): de kant is 'against' of 'for', niet 'perhaps'"),
    ],
)
def test_a_broken_catalogue_is_said_in_the_trainers_language(tmp_path, capsys, monkeypatch, language, expected):
    bad = tmp_path / "slecht.toml"
    bad.write_text(CATALOGUE, encoding="utf-8")
    db = tmp_path / "m.db"
    monkeypatch.setenv("MOTIVES_LANG", language)
    colon = f"{NBSP}:" if language == "fr" else ":"
    line = error_line(capsys, "session", "new", "Atelier", "--catalogue", str(bad), "--db", str(db))
    assert line == f"motives: {bad}{colon} {expected}"
    assert "side must be" not in line
    assert not db.exists()  # the catalogue is read before the store is opened: nothing made


@pytest.mark.parametrize(
    ("language", "file_problem", "entry_problem"),
    [
        (
            "fr",
            f"session.code{NBSP}: 'abc' n'est pas un code de session (6 caractères parmi {CODE_ALPHABET})",
            f"équipe 2 ({{name}}), réponse 1{NBSP}: l'importance doit être un nombre entier de 1 à 5",
        ),
        (
            "nl",
            f"session.code: 'abc' is geen sessiecode (6 tekens uit {CODE_ALPHABET})",
            "team 2 ({name}), antwoord 1: het belang is een geheel getal van 1 tot 5",
        ),
    ],
)
def test_a_broken_archive_is_said_in_the_trainers_language(
    tmp_path, capsys, monkeypatch, archive_file, language, file_problem, entry_problem
):
    _path, data = archive_file
    db = tmp_path / "target.db"
    monkeypatch.setenv("MOTIVES_LANG", language)
    colon = f"{NBSP}:" if language == "fr" else ":"

    wrong_code = json.loads(json.dumps(data))
    wrong_code["session"]["code"] = "abc"
    broken = tmp_path / "code.json"
    broken.write_text(json.dumps(wrong_code), encoding="utf-8")
    line = error_line(capsys, "import", str(broken), "--db", str(db))
    assert line == f"motives: {broken}{colon} {file_problem}"
    assert "is not a session code" not in line

    bad_answer = json.loads(json.dumps(data))
    bad_answer["teams"][1]["answers"][0]["importance"] = 9
    broken = tmp_path / "answer.json"
    broken.write_text(json.dumps(bad_answer), encoding="utf-8")
    line = error_line(capsys, "import", str(broken), "--db", str(db))
    team = repr(data["teams"][1]["name"])
    assert line == f"motives: {broken}{colon} {entry_problem.format(name=team)}"
    assert Store(db).sessions() == []


@pytest.mark.parametrize(
    ("language", "expected"),
    [("fr", "aucune session n'a le code 'ZZZZZZ'"), ("nl", "er is geen sessie met code 'ZZZZZZ'")],
)
def test_an_unknown_session_code_is_said_in_the_trainers_language(tmp_path, capsys, monkeypatch, language, expected):
    db = tmp_path / "m.db"
    Store(db).close()
    out = tmp_path / "out.csv"
    monkeypatch.setenv("MOTIVES_LANG", language)
    assert error_line(capsys, "export", "ZZZZZZ", "-o", str(out), "--db", str(db)) == f"motives: {expected}"
    assert not out.exists()
    assert error_line(capsys, "team", "remove", "zzzzzz", "Noord", "--db", str(db)) == f"motives: {expected}"


@pytest.mark.parametrize(
    ("language", "option", "expected"),
    [
        ("fr", "--cull-idle", "--cull-idle doit valoir au moins 1 seconde"),
        ("fr", "--max-teams", "--max-teams doit valoir au moins 1"),
        ("fr", "--render-rate", "--render-rate doit être supérieur à 0"),
        ("nl", "--cull-idle", "--cull-idle moet minstens 1 seconde zijn"),
        ("nl", "--render-burst", "--render-burst moet minstens 1 zijn"),
        ("nl", "--render-rate", "--render-rate moet meer dan 0 zijn"),
    ],
)
def test_a_bad_serve_option_is_said_in_the_trainers_language(tmp_path, capsys, monkeypatch, language, option, expected):
    db = tmp_path / "m.db"
    monkeypatch.setenv("MOTIVES_LANG", language)
    assert error_line(capsys, "serve", option, "0", "--db", str(db)) == f"motives: {expected}"
    assert not db.exists()  # refused before the store is opened


def test_the_serve_notebooks_a_bad_setting_and_an_export_option_in_french(tmp_path, capsys, monkeypatch):
    db = tmp_path / "m.db"
    monkeypatch.setenv("MOTIVES_LANG", "fr")
    empty = tmp_path / "leeg"
    empty.mkdir()
    said = error_line(capsys, "serve", "--notebooks", str(empty), "--db", str(db))
    assert said == f"motives: pas de team.ipynb dans {empty}{NBSP}: indiquez --notebooks DOSSIER"
    monkeypatch.setenv("MOTIVES_MAX_TEAMS", "beaucoup")
    said = error_line(capsys, "session", "list", "--db", str(db))
    assert said == "motives: MOTIVES_MAX_TEAMS doit être un nombre entier d'au moins 1, pas 'beaucoup'"
    monkeypatch.delenv("MOTIVES_MAX_TEAMS")
    assert main(["demo", "--db", str(db)]) == 0
    capsys.readouterr()
    code = Store(db).sessions()[0].code
    out = tmp_path / "fiches.md"
    said = error_line(
        capsys, "export", code, "--format", "md", "--document", "handouts", "-o", str(out), "--db", str(db)
    )
    assert said == f"motives: --document handouts n'existe qu'en HTML{NBSP}: utilisez --format html"
    assert not out.exists()


def test_numbers_in_an_error_are_written_as_the_language_writes_them(tmp_path, capsys, monkeypatch):
    big = tmp_path / "groot.toml"
    big.write_bytes(b"#" * 1_000_001)
    monkeypatch.setenv("MOTIVES_LANG", "nl")
    line = error_line(capsys, "session", "new", "X", "--catalogue", str(big), "--db", str(tmp_path / "m.db"))
    assert line == f"motives: {big}: te groot voor een werkblad (meer dan 1.000.000 bytes)"


def test_an_error_keeps_its_english_sentence_for_logs_and_says_it_in_every_language():
    error = CatalogueError.at(
        "eigen.toml", Phrase("cat_too_large", limit=Count(1_000_000)), (Phrase("entry_motive", number=3), "nl")
    )
    assert str(error) == "eigen.toml: motive 3, nl: too large for a worksheet (more than 1,000,000 bytes)"
    assert error.say("nl") == "eigen.toml: motief 3, nl: te groot voor een werkblad (meer dan 1.000.000 bytes)"
    assert error.say("fr").startswith(f"eigen.toml{NBSP}: motif 3, nl{NBSP}: trop volumineux pour une fiche de travail")
    assert str(UnknownSession("ABC234")) == "no session with code 'ABC234'"
    assert UnknownSession("ABC234").code == "ABC234"
    assert ArchiveError("not a key, said as it is").say("fr") == "not a key, said as it is"
