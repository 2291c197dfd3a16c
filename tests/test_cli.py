"""The ``motives`` command as a trainer types it: real processes, a real store file."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys

import pandas as pd
import pytest
from processes import listening_on, motives, one_line_error
from servers import start_server, stop_server

from motives.catalogue import default_catalogue
from motives.i18n import message
from motives.store import Store
from motives.system import room_addresses


def test_session_new_json_prints_code_key_and_paths(tmp_path):
    db = tmp_path / "m.db"
    out = json.loads(motives("session", "new", "Workshop Gent", "--lang", "en", "--json", db=db).stdout)
    assert set(out) == {"code", "trainer_key", "team_path", "dashboard_path"}
    # A link to a session not in Dutch says its language, so the page speaks it before its kernel runs.
    assert out["team_path"] == f"/voila/render/team.ipynb?session={out['code']}&lang=en"
    assert (
        out["dashboard_path"] == f"/voila/render/dashboard.ipynb?session={out['code']}&key={out['trainer_key']}&lang=en"
    )
    session = Store(db).session(out["code"])
    assert (session.name, session.language) == ("Workshop Gent", "en")


def test_a_french_session_from_a_french_speaking_trainer(tmp_path):
    db = tmp_path / "m.db"
    out = motives("session", "new", "Atelier Namur", "--lang", "fr", db=db, MOTIVES_LANG="fr").stdout
    lines = out.splitlines()
    assert lines[0] == "Session\u00a0: Atelier Namur (fr)"
    assert lines[1].startswith("  code de participation: ") and lines[2].startswith("  clé formateur:         ")
    assert lines[3].endswith("&lang=fr") and "page d'équipe:" in lines[3]
    code = lines[1].split()[-1]
    assert Store(db).session(code).language == "fr"
    listed = motives("session", "list", "--links", db=db, MOTIVES_LANG="fr").stdout
    assert "  0 équipes  Atelier Namur" in listed and "vue d'ensemble:" in listed
    refused = motives("team", "remove", code, "Sud", db=db, check=False, MOTIVES_LANG="fr")
    one_line_error(refused, f"la session {code} n'a pas d'équipe 'Sud'")


def test_the_command_line_speaks_the_systems_language_if_the_app_does(tmp_path):
    from motives.cli import cli_language

    env = {"MOTIVES_LANG": "", "LANGUAGE": "", "LC_ALL": "", "LC_MESSAGES": ""}
    for lang, expected in (("nl_BE.UTF-8", "nl"), ("fr_BE.UTF-8", "fr"), ("de_DE.UTF-8", "en"), ("C.UTF-8", "en")):
        with pytest.MonkeyPatch.context() as patch:
            for name, value in {**env, "LANG": lang}.items():
                patch.setenv(name, value)
            assert cli_language() == expected, lang


def test_session_new_prints_the_paths_for_a_person(tmp_path):
    out = motives("session", "new", "Workshop", db=tmp_path / "m.db").stdout
    assert "join code:" in out and "trainer key:" in out and "/voila/render/dashboard.ipynb?session=" in out


def test_session_list_shows_sessions_as_text_and_json(tmp_path):
    db = tmp_path / "m.db"
    code = json.loads(motives("session", "new", "Eerste", "--json", db=db).stdout)["code"]
    assert code in motives("session", "list", db=db).stdout
    listed = json.loads(motives("session", "list", "--json", db=db).stdout)
    assert [(s["code"], s["name"], s["language"], s["teams"]) for s in listed] == [(code, "Eerste", "nl", 0)]


def test_demo_creates_three_example_teams_named_as_a_demo(tmp_path):
    db = tmp_path / "m.db"
    out = motives("demo", db=db).stdout
    assert "Demo session created" in out and "/voila/render/team.ipynb?session=" in out
    store = Store(db)
    (summary,) = store.sessions()
    assert summary.name.startswith("DEMO") and summary.teams == 3
    # `make run` the second time: no new demo, and where the links are (serve prints none).
    again = motives("demo", "--if-empty", db=db).stdout
    assert again == "motives: the store has sessions; their links: motives session list --links\n"
    assert len(store.sessions()) == 1


def test_export_writes_the_tidy_answers_as_the_data_format(tmp_path):
    db = tmp_path / "m.db"
    motives("demo", db=db)
    code = Store(db).sessions()[0].code
    frame = pd.read_csv(io.StringIO(motives("export", code, "--format", "csv", "--table", "data", db=db).stdout))
    assert list(frame.columns) == [
        "session",
        "team",
        "side",
        "motive_id",
        "text",
        "origin",
        "applies",
        "importance",
        "updated_at",
        "group",
    ]
    assert frame["team"].nunique() == 3
    assert len(frame) == 3 * 10 + 4  # every catalogue motive per team, plus the demo's 4 own motives
    assert frame.loc[frame["applies"], "importance"].between(1, 5).all()


FORMULA_CHARACTERS = ("=", "+", "-", "@")


def test_no_part_of_an_exported_csv_is_a_formula_whichever_separator_excel_splits_on(tmp_path):
    # Excel in nl-BE, nl-NL and fr-BE splits a CSV on ";": a formula behind a semicolon in a team's name
    # or own motive was a cell of its own there (16 cells starting with "=" in this session on main).
    db = tmp_path / "m.db"
    store = Store(db)
    session = store.create_session("Puntkomma", default_catalogue())
    team = store.join(session, "Gamma;=2+3;")
    store.set_answer(team, "for-prevention", True, 4)
    store.add_own_motive(team, "for", "x;=1+1;y", 3)
    store.add_own_motive(team, "against", "a,+cmd|' /C calc'!A0, @SUM(1)\t-2", 2)
    store.set_conclusion(team, "yes", '-1 is geen getal; =HYPERLINK("http://x")')
    for table in ("answers", "comparison", "data"):
        text = motives("export", session.code, "--table", table, db=db).stdout.removeprefix("\ufeff")
        # The strictest reader: split every line on the separator, quotes and all, as a spreadsheet that
        # ignores quoting would; no part may start with a formula character behind its spaces or quote.
        for separator in (";", ",", "\t"):
            parts = [part.strip(' "') for line in text.splitlines() for part in line.split(separator)]
            assert [p for p in parts if p.startswith(FORMULA_CHARACTERS)] == [], (table, separator)
        # What pandas reads back is the text, each formula shown with an apostrophe in front.
        frame = pd.read_csv(io.StringIO(text), keep_default_na=False, sep="," if table == "data" else ";")
        if table == "data":
            # Every text field quoted, so a reader splitting on another separator keeps a field whole.
            assert text.splitlines()[1].startswith(f'"{session.code}","Gamma;\'=2+3;","against","against-')
            assert set(frame["team"]) == {"Gamma;'=2+3;"}
            assert set(frame.loc[frame["origin"] == "own", "text"]) == {
                "x;'=1+1;y",
                "a,'+cmd|' /C calc'!A0, '@SUM(1) -2",  # the tab was a space when it was stored
            }
        elif table == "answers":
            # The trainer's CSV, in the session's language and split on ";" as Dutch Excel splits it.
            assert text.splitlines()[1].startswith('"Gamma;\'=2+3;";"Geen beleid";')
            assert set(frame["Team"]) == {"Gamma;'=2+3;"}
        else:
            assert "Gamma;'=2+3;" in frame.columns


def test_export_json_is_the_whole_session_and_import_restores_it(tmp_path):
    db, other = tmp_path / "m.db", tmp_path / "other.db"
    motives("demo", db=db)
    code = Store(db).sessions()[0].code
    archive = tmp_path / "session.json"
    motives("export", code, "--format", "json", "-o", str(archive), db=db)
    data = json.loads(archive.read_text(encoding="utf-8"))
    assert data["format"] == "motives-archive" and len(data["teams"]) == 3
    assert "Imported session 'DEMO – voorbeeldsessie' as" in motives("import", str(archive), db=other).stdout
    again = tmp_path / "again.json"
    motives("export", code, "--format", "json", "-o", str(again), db=other)
    assert again.read_bytes() == archive.read_bytes()
    result = motives("import", str(archive), db=other, check=False)
    one_line_error(result, f"a session with code {code} already exists", "--as NEWCODE")
    assert "as ABC234" in motives("import", str(archive), "--as", "abc234", db=other).stdout
    one_line_error(motives("import", str(archive), "--as", "O0O0O0", db=other, check=False), "6 characters")
    one_line_error(motives("import", str(tmp_path / "nope.json"), db=other, check=False), "cannot read")


def test_export_xlsx_docx_html_md_and_the_comparison_csv(tmp_path):
    import docx
    import openpyxl

    db = tmp_path / "m.db"
    motives("demo", db=db)
    code = Store(db).sessions()[0].code
    motives("export", code, "--format", "xlsx", "-o", str(tmp_path / "s.xlsx"), db=db)
    assert openpyxl.load_workbook(tmp_path / "s.xlsx").sheetnames == [
        "Antwoorden",
        "Vergelijking",
        "Balans",
        "Eigen motieven",
        "Besluiten",
    ]
    comparison = motives("export", code, "--table", "comparison", db=db).stdout
    comparison = pd.read_csv(io.StringIO(comparison.removeprefix("\ufeff")), sep=";")
    assert [c for c in comparison.columns if c.endswith("(demo)")] == [
        "Jeugdwerk (demo)",
        "Thuiszorg (demo)",
        "Buurtwerk (demo)",
    ]
    motives("export", code, "--format", "docx", "-o", str(tmp_path / "draft.docx"), db=db)
    assert docx.Document(tmp_path / "draft.docx").paragraphs[0].text == "Een eerste stap naar beleid"
    html = motives("export", code, "--format", "html", db=db).stdout
    assert html.startswith("<!DOCTYPE html>") and "Een eerste stap naar beleid" in html
    assert "<section" in motives("export", code, "--format", "html", "--document", "handouts", db=db).stdout
    assert 'class="circle"' in motives("export", code, "--format", "html", "--document", "worksheet", db=db).stdout
    assert motives("export", code, "--format", "md", db=db).stdout.startswith("# Verslag:")
    result = motives("export", code, "--format", "md", "--document", "handouts", db=db, check=False)
    one_line_error(result, "HTML only")


def test_catalogue_add_from_writes_a_catalogue_a_new_session_can_start_with(tmp_path):
    db = tmp_path / "m.db"
    motives("demo", db=db)
    code = Store(db).sessions()[0].code
    target = tmp_path / "grown.toml"
    result = motives("catalogue", "add-from", code, "-o", str(target), db=db)
    assert "4 own motives added to the worksheet (14 in all)" in result.stderr
    from motives.catalogue import load_catalogue

    grown = load_catalogue(target)
    assert grown.motive("for-own-jongeren-sturen-ons-s-avonds-berichten").text("nl") == (
        "Jongeren sturen ons 's avonds berichten via Instagram."
    )
    created = json.loads(motives("session", "new", "Volgende keer", "--catalogue", str(target), "--json", db=db).stdout)
    assert len(Store(db).session(created["code"]).catalogue.motives) == 14
    written = target.read_bytes()
    again = motives("catalogue", "add-from", code, "-o", str(target), "--min-teams", "2", db=db, check=False)
    one_line_error(again, str(target), "already exists", "--force")
    assert target.read_bytes() == written
    assert (
        "0 own motives added"
        in motives("catalogue", "add-from", code, "-o", str(target), "--min-teams", "2", "--force", db=db).stderr
    )


@pytest.mark.parametrize(
    ("args", "fragments"),
    [
        (("export", "ZZZZZZ"), ["motives:", "no session with code 'ZZZZZZ'"]),
        (("session", "new", "X", "--catalogue", "/nonexistent.toml"), ["/nonexistent.toml", "no such worksheet file"]),
        (("session", "new", "   "), ["Give the session a name"]),
        (("serve", "--cull-idle", "0"), ["--cull-idle must be at least 1 second"]),
        (("serve", "--max-teams", "0"), ["--max-teams must be at least 1"]),
        (("serve", "--render-burst", "0"), ["--render-burst must be at least 1"]),
        (("serve", "--render-rate", "0"), ["--render-rate must be more than 0"]),
        (("serve", "--warm-pages", "-1"), ["--warm-pages cannot be less than 0"]),
        (("serve", "--warm-minutes", "0"), ["--warm-minutes must be more than 0"]),
        (("session", "list", "--links", "--json"), ["--links prints text"]),
    ],
)
def test_errors_are_one_line_on_stderr_and_a_non_zero_exit(tmp_path, args, fragments):
    one_line_error(motives(*args, db=tmp_path / "m.db", check=False), *fragments)


def test_a_malformed_catalogue_names_file_and_entry(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text('id = "x"\ntitle = "X"\n[[motive]]\nid = "a"\nside = "perhaps"\nnl = "t"\n', encoding="utf-8")
    result = motives("session", "new", "X", "--catalogue", str(bad), db=tmp_path / "m.db", check=False)
    one_line_error(result, str(bad), "heading.against")


def test_an_unreachable_store_is_one_line(tmp_path):
    result = motives("session", "list", db=tmp_path / "no-such-folder" / "m.db", check=False)
    one_line_error(result, "cannot use the store", "no-such-folder")


def test_a_corrupt_store_is_one_line(tmp_path):
    db = tmp_path / "m.db"
    db.write_bytes(b"garbage" * 1000)
    one_line_error(motives("session", "list", db=db, check=False), "motives:")


def test_export_to_an_unwritable_file_is_one_line(tmp_path):
    db = tmp_path / "m.db"
    motives("demo", db=db)
    code = Store(db).sessions()[0].code
    result = motives("export", code, "-o", str(tmp_path / "missing" / "out.csv"), db=db, check=False)
    one_line_error(result, "cannot write")


def test_the_console_script_and_the_module_are_the_same_command(tmp_path):
    script = os.path.join(os.path.dirname(sys.executable), "motives")
    result = subprocess.run([script, "--help"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and "serve" in result.stdout and "export" in result.stdout


def test_help_is_plain_sentences_listing_every_command_and_version_says_the_version(tmp_path):
    from motives import __version__

    helped = motives("--help", db=tmp_path / "m.db").stdout
    assert helped.startswith("usage: motives [-h] [--version] COMMAND ...\n")
    commands = ("start", "serve", "lab", "session", "export", "import", "catalogue", "demo", "team")
    section = helped.split("positional arguments:")[1].split("options:")[0]
    listed = [line.split()[0] for line in section.splitlines() if line.startswith("    ") and line.strip()]
    assert [c for c in listed if c in commands] == list(commands)
    assert "Without a command, motives starts the app and opens it in the browser." in " ".join(helped.split())
    for markup in ("``", ":func:", ":data:", "**"):
        assert markup not in helped
    for command in ("start", "serve", "lab"):
        assert "``" not in motives(command, "--help", db=tmp_path / "m.db").stdout
    assert motives("--version", db=tmp_path / "m.db").stdout == f"motives {__version__}\n"


def test_a_default_store_location_that_cannot_be_made_is_one_line(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "MOTIVES_DB"} | {"XDG_DATA_HOME": "/proc/no-such-place"}
    one_line_error(motives("session", "list", env=env, check=False), "cannot create the store's folder")


def test_session_delete_needs_confirmation_or_yes(tmp_path):
    db = tmp_path / "m.db"
    motives("demo", db=db)
    code = Store(db).sessions()[0].code
    result = motives("session", "delete", code, db=db, check=False)  # no terminal to ask on
    one_line_error(result, "needs confirmation: add --yes")
    assert len(Store(db).sessions()) == 1
    assert f"Deleted session {code} (3 teams)." in motives("session", "delete", code, "--yes", db=db).stdout
    assert Store(db).sessions() == []
    one_line_error(motives("session", "delete", code, "--yes", db=db, check=False), "no session with code")


def test_serve_binds_to_this_laptop_unless_told_lan_and_then_says_where_the_room_joins(tmp_path):
    log = tmp_path / "serve.log"
    process, base = start_server(tmp_path / "m.db", log, "--lan")
    try:
        port = int(base.rsplit(":", 1)[1])
        assert listening_on(port) == [f"0.0.0.0:{port}"]
    finally:
        stop_server(process)
    room = room_addresses()
    said = message("en", "cli_room_open", url=f"http://{room[0]}:{port}/") if room else message("en", "cli_room_none")
    assert f"motives: {said}" in log.read_text()


def test_local_and_lan_exclude_each_other(tmp_path):
    result = motives("--local", "--lan", "--no-browser", db=tmp_path / "m.db", check=False, MOTIVES_LANG="en")
    one_line_error(result, "--local and --lan exclude each other")


def test_a_read_only_store_is_one_line(tmp_path):
    db = tmp_path / "m.db"
    motives("demo", db=db)
    result = motives("session", "new", "X", db=f"sqlite:///file:{db}?mode=ro&uri=true", check=False)
    one_line_error(result, "readonly")
    assert len(Store(db).sessions()) == 1


def test_serve_under_a_proxy_prefix_prints_and_serves_the_public_links(tmp_path):
    """As a JupyterHub service at /services/motives/: Voilà under that prefix, links on the hub's address."""
    import urllib.error
    import urllib.request

    db, log = tmp_path / "m.db", tmp_path / "serve.log"
    code = json.loads(motives("session", "new", "Hub", "--json", db=db).stdout)["code"]
    process, local = start_server(
        db, log, "--base-url", "/services/motives/", env={**os.environ, "MOTIVES_BASE_URL": "https://hub.example.org/"}
    )
    try:
        printed = log.read_text().splitlines()
        printed = printed[: printed.index("Stop with Ctrl+C.") + 1]
        assert printed[0].startswith(f"motives: serving on {local}/services/motives/ ")
        # The proxy's host name gets pages; serve prints no session, no link and no key.
        assert "hub.example.org" in printed[1]
        assert not any(code in line or "key=" in line for line in printed)
        links = motives("session", "list", "--links", "--base", "https://hub.example.org/services/motives", db=db)
        team_link = f"https://hub.example.org/services/motives/voila/render/team.ipynb?session={code}"
        assert f"  team page:   {team_link}" in links.stdout
        with urllib.request.urlopen(f"{local}/services/motives/voila/render/team.ipynb?session={code}") as page:
            html = page.read().decode()
        assert 'data-base-url="/services/motives/voila/"' in html
        with pytest.raises(urllib.error.HTTPError) as outside:
            urllib.request.urlopen(f"{local}/voila/render/team.ipynb?session={code}")
        assert outside.value.code == 404
    finally:
        stop_server(process)


def test_the_warm_pool_is_as_large_as_the_largest_session_at_least_ten_and_as_half_the_free_memory_allows(
    tmp_path, monkeypatch, capsys
):
    import argparse
    from dataclasses import replace

    from motives.cli import WARM_AT_LEAST, _warm_pages
    from motives.server.pool import KERNEL_BYTES
    from motives.settings import Settings

    monkeypatch.setenv("MOTIVES_LANG", "fr")
    store = Store(tmp_path / "m.db", max_teams=40)
    try:
        settings = replace(Settings.from_env(), max_teams=30)
        asked = argparse.Namespace(warm_pages=None)
        plenty = 100 * 2**30
        assert _warm_pages(asked, store, settings, plenty) == WARM_AT_LEAST == 10  # no session yet
        for name, teams in (("Klein", 4), ("Groot", 12)):
            session = store.create_session(name, default_catalogue())
            for n in range(teams):
                store.join(session, f"Team {n}")
        assert _warm_pages(asked, store, settings, plenty) == 12
        session = store.create_session("Zaal", default_catalogue())
        for n in range(35):
            store.join(session, f"Team {n}")
        assert _warm_pages(asked, store, settings, plenty) == 30  # a session takes no more teams than that
        assert capsys.readouterr().err == ""
        # Half of the memory free now holds five warm pages: five, and the trainer is told why.
        assert _warm_pages(asked, store, settings, 10 * KERNEL_BYTES + 1) == 5
        assert capsys.readouterr().err == (
            "motives: 5 pages d'équipe sont préparées au lieu de 30 : la mémoire libre de cet ordinateur n'en "
            "permet pas plus. Les équipes suivantes attendent un peu plus leur page.\n"
        )
        assert _warm_pages(argparse.Namespace(warm_pages=0), store, settings, plenty) == 0  # as asked
    finally:
        store.close()
