"""The trainer's files over HTTP, as any script on the network could ask for them: the session's trainer
key gets each file, as an attachment named in the session's language; nothing else gets anything, and the
key never reaches the log."""

from __future__ import annotations

import io
import json
import urllib.parse

import docx
import openpyxl
import pytest
from servers import headers_of

from motives.formats import FILES

PATH = "/motives/files"


def fetch(server, path: str, host: str | None = None) -> tuple[int, dict, bytes]:
    """A GET whose body stays bytes (a spreadsheet, a document)."""
    import http.client

    parts = urllib.parse.urlsplit(server.base)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=120)
    try:
        connection.request("GET", path, headers={"Host": host} if host else {})
        response = connection.getresponse()
        return response.status, headers_of(response), response.read()
    finally:
        connection.close()


def file_path(code: str, name: str, key: str | None) -> str:
    query = f"?{urllib.parse.urlencode({'key': key})}" if key is not None else ""
    return f"{PATH}/{code}/{urllib.parse.quote(name)}{query}"


@pytest.fixture(scope="module")
def atelier(server):
    return server.new_session("Atelier Dinant", lang="fr")  # a name no other test on this server uses


NAMES = [
    "motifs-{code}-rapport.html",
    "motifs-{code}-projet-de-politique.docx",
    "motifs-{code}-fiches-equipes.html",
    "motifs-{code}-fiche-de-travail.html",
    "motifs-{code}-tableaux.xlsx",
    "motifs-{code}-reponses.csv",
    "motifs-{code}-comparaison.csv",
    "motifs-{code}-rapport.md",
    "motifs-{code}-donnees.csv",
    "motifs-{code}-archive.json",
]


def test_the_trainer_key_gets_every_file_as_an_attachment_named_in_the_sessions_language(server, atelier):
    code, key = atelier["code"], atelier["trainer_key"]
    assert len(NAMES) == len(FILES)
    for name in (pattern.format(code=code) for pattern in NAMES):
        status, headers, body = fetch(server, file_path(code, name, key))
        assert status == 200, name
        assert headers["Content-Disposition"] == f"attachment; filename=\"{name}\"; filename*=UTF-8''{name}"
        assert headers["Cache-Control"] == "no-store" and headers["X-Content-Type-Options"] == "nosniff"
        assert body, name
    _status, headers, body = fetch(server, file_path(code, f"motifs-{code}-tableaux.xlsx", key))
    assert headers["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert openpyxl.load_workbook(io.BytesIO(body)).sheetnames[0] == "Réponses"
    _status, _headers, body = fetch(server, file_path(code, f"motifs-{code}-projet-de-politique.docx", key))
    assert docx.Document(io.BytesIO(body)).paragraphs[0].text == "Un premier pas vers une politique"
    _status, headers, body = fetch(server, file_path(code, f"motifs-{code}-archive.json", key))
    assert headers["Content-Type"] == "application/json; charset=utf-8"
    assert json.loads(body)["session"]["code"] == code


def test_without_the_key_of_that_session_nothing_is_found(server, atelier):
    code, key = atelier["code"], atelier["trainer_key"]
    other = server.new_session("Een andere sessie")
    report = f"motifs-{code}-rapport.html"
    asked = [
        file_path(code, report, None),  # no key
        file_path(code, report, ""),
        file_path(code, report, key[:-1] + ("A" if key[-1] != "A" else "B")),  # one letter off
        file_path(code, report, other["trainer_key"]),  # another session's key
        file_path(code, f"motives-{code}-report.html", key),  # a name the session does not have
        file_path(code, "..%2F..%2Fmotives.db", key),
        file_path("ZZZZZZ", report, key),  # no such session
    ]
    answers = [fetch(server, path) for path in asked]
    assert [status for status, _h, _b in answers] == [404] * len(asked)
    # The same page whatever was wrong: a code, a key or a name cannot be guessed from the answer.
    assert len({body for _s, _h, body in answers}) == 1
    assert all("Content-Disposition" not in headers for _s, headers, _b in answers)


def test_a_file_link_is_for_the_servers_own_hosts_and_its_key_stays_out_of_the_log(server, atelier):
    code, key = atelier["code"], atelier["trainer_key"]
    path = file_path(code, f"motifs-{code}-rapport.html", key)
    assert fetch(server, path, host="evil.example:80")[0] == 403  # a page on another site, rebound to us
    assert fetch(server, path)[0] == 200
    assert key not in server.log.read_text(encoding="utf-8")
