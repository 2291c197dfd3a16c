"""The files a trainer takes home, opened as the trainer opens them: the workbook in a spreadsheet program
(openpyxl), the CSV with a double click (its separator and encoding). Every sheet name, header and value
in the session's language; the file names too. The data format for analysts stays as it was documented."""

from __future__ import annotations

import csv
import html
import io
import os
import re
import shutil
import subprocess
from datetime import datetime

import docx
import docx.oxml.ns
import openpyxl
import pypdf
import pytest
import sqlalchemy
from markdown_it import MarkdownIt

from motives import export, report, tally
from motives.catalogue import default_catalogue
from motives.errors import InvalidInput
from motives.grouping import merge_plan
from motives.i18n import translation_note

CATALOGUE = default_catalogue()
PREVENTION = "for-prevention"
NO_PRIORITY = "against-no-priority"

# What each language calls things, as a trainer of that language expects to read them.
WORDS = {
    "nl": {
        "sheets": ["Antwoorden", "Vergelijking", "Balans", "Eigen motieven", "Besluiten"],
        "answers": ["Team", "Kant", "Motief", "Herkomst", "Aangevinkt", "Belang", "Laatst gewijzigd"],
        "comparison": ["Kant", "Motief", "Noord", "Teams (Team)", "Teams", "Gemiddeld belang"],
        "balance": ["Team", "Motieven wel", "Belang wel", "Motieven geen", "Belang geen", "Besluit", "Toelichting"],
        "own": ["Team", "Kant", "Motief", "Belang", "Samen met"],
        "conclusions": ["Team", "Besluit", "Toelichting", "Heeft geantwoord", "Aangesloten"],
        "for": "Wel beleid",
        "against": "Geen beleid",
        "worksheet": "werkblad",
        "own_origin": "eigen",
        "yes": "Ja",
        "no": "Nee",
        "not_yet": "Nog niet",
        "whole": "Hele groep",
        "time": "d-m-yyyy hh:mm",
        "file": "motieven-{code}-tabellen.xlsx",
        "csv_file": "motieven-{code}-antwoorden.csv",
        "separator": ";",
        "mean": "3,5",
        "day": "4 december 2026",
    },
    "fr": {
        "sheets": ["Réponses", "Comparaison", "Bilan", "Motifs propres", "Décisions"],
        "answers": ["Équipe", "Côté", "Motif", "Origine", "Coché", "Importance", "Dernière modification"],
        "comparison": ["Côté", "Motif", "Noord", "Teams", "Équipes", "Importance moyenne"],
        "balance": [
            "Équipe",
            "Motifs pour",
            "Importance pour",
            "Motifs contre",
            "Importance contre",
            "Décision",
            "Explication",
        ],
        "own": ["Équipe", "Côté", "Motif", "Importance", "Regroupé avec"],
        "conclusions": ["Équipe", "Décision", "Explication", "A répondu", "A rejoint"],
        "for": "Pour une politique",
        "against": "Contre une politique",
        "worksheet": "fiche de travail",
        "own_origin": "propre",
        "yes": "Oui",
        "no": "Non",
        "not_yet": "Pas encore",
        "whole": "Tout le groupe",
        "time": "dd/mm/yyyy hh:mm",
        "file": "motifs-{code}-tableaux.xlsx",
        "csv_file": "motifs-{code}-reponses.csv",
        "separator": ";",
        "mean": "3,5",
        "day": "4 décembre 2026",
    },
    "en": {
        "sheets": ["Answers", "Comparison", "Balance", "Own motives", "Conclusions"],
        "answers": ["Team", "Side", "Motive", "Origin", "Ticked", "Importance", "Last changed"],
        "comparison": ["Side", "Motive", "Noord", "Teams (Team)", "Teams", "Mean importance"],
        "balance": [
            "Team",
            "Motives for",
            "Importance for",
            "Motives against",
            "Importance against",
            "Conclusion",
            "Explanation",
        ],
        "own": ["Team", "Side", "Motive", "Importance", "Grouped with"],
        "conclusions": ["Team", "Conclusion", "Explanation", "Answered", "Joined"],
        "for": "For a policy",
        "against": "Against a policy",
        "worksheet": "worksheet",
        "own_origin": "own",
        "yes": "Yes",
        "no": "No",
        "not_yet": "Not yet",
        "whole": "Whole group",
        "time": "yyyy-mm-dd hh:mm",
        "file": "motives-{code}-tables.xlsx",
        "csv_file": "motives-{code}-answers.csv",
        "separator": ",",
        "mean": "3.5",
        "day": "4 December 2026",
    },
}


def workshop(store, language: str):
    """Two teams, one of them called like a header ("Teams"); two own motives the trainer merged, one alone."""
    session = store.create_session("Gent 2026", CATALOGUE, language)
    north = store.join(session, "Noord")
    other = store.join(session, "Teams")
    store.set_answer(north, PREVENTION, True, 5)
    store.set_answer(other, PREVENTION, True, 2)
    store.set_answer(other, NO_PRIORITY, True, 4)
    first = store.add_own_motive(north, "for", "Privacy van cliënten beschermen", 4)
    second = store.add_own_motive(other, "for", "bescherming privacy clienten", 3)
    store.add_own_motive(other, "against", "Geen tijd", 2)
    keys = {first.id: f"own-{first.id}", second.id: f"own-{second.id}"}
    ids, target = merge_plan(keys, f"own-{first.id}", f"own-{second.id}", session.catalogue)
    store.link_own_motives(session, ids, target)
    store.set_conclusion(north, "yes", "Afspraken nodig")
    store.set_conclusion(other, "not_yet", "")
    return session


def rows(sheet) -> list[tuple]:
    return list(sheet.iter_rows(values_only=True))


@pytest.mark.parametrize("language", ["nl", "fr", "en"])
def test_the_workbook_speaks_the_sessions_language_in_every_sheet_header_and_value(store, language):
    words = WORDS[language]
    session = workshop(store, language)
    made = export.session_file(store, session, "xlsx")
    assert made.name == words["file"].format(code=session.code)
    book = openpyxl.load_workbook(io.BytesIO(made.content))
    assert book.sheetnames == words["sheets"]
    answers, comparison, balance, own, conclusions = (rows(sheet) for sheet in book.worksheets)
    prevention, no_priority = CATALOGUE.motive(PREVENTION).text(language), CATALOGUE.motive(NO_PRIORITY).text(language)

    assert answers[0] == tuple(words["answers"])
    ticked = [row[:6] for row in answers[1:] if row[4] == words["yes"]]
    assert ticked == [
        ("Teams", words["against"], no_priority, words["worksheet"], words["yes"], 4),
        ("Teams", words["against"], "Geen tijd", words["own_origin"], words["yes"], 2),
        ("Noord", words["for"], prevention, words["worksheet"], words["yes"], 5),
        ("Teams", words["for"], prevention, words["worksheet"], words["yes"], 2),
        ("Noord", words["for"], "Privacy van cliënten beschermen", words["own_origin"], words["yes"], 4),
        ("Teams", words["for"], "bescherming privacy clienten", words["own_origin"], words["yes"], 3),
    ]
    assert len(answers) == 1 + 2 * len(CATALOGUE.motives) + 3
    assert {row[4] for row in answers[1:]} == {words["yes"], words["no"]}
    assert all(isinstance(row[6], datetime) for row in answers[1:] if row[4] == words["yes"])
    assert book.worksheets[0]["G2"].number_format == words["time"] or answers[1][6] is None

    assert comparison[0] == tuple(words["comparison"])
    assert len(comparison) == 1 + len(CATALOGUE.motives) + 2  # every motive; the merged own motives as one
    assert [row for row in comparison[1:] if row[4]] == [
        (words["against"], no_priority, None, 4, 1, 4),
        (words["against"], "Geen tijd", None, 2, 1, 2),
        (words["for"], prevention, 5, 2, 2, 3.5),
        (words["for"], "Privacy van cliënten beschermen", 4, 3, 2, 3.5),
    ]
    mean = next(row[5] for row in book.worksheets[1].iter_rows(min_row=2) if row[1].value == prevention)
    assert (mean.value, mean.number_format) == (3.5, "0.0")  # a number the reader's spreadsheet writes as 3,5

    assert balance == [
        tuple(words["balance"]),
        ("Noord", 2, 9, 0, 0, words["yes"], "Afspraken nodig"),
        ("Teams", 2, 5, 2, 6, words["not_yet"], None),
        (words["whole"], 4, 14, 2, 6, None, None),
    ]
    assert own == [
        tuple(words["own"]),
        ("Teams", words["against"], "Geen tijd", 2, None),
        ("Noord", words["for"], "Privacy van cliënten beschermen", 4, "Privacy van cliënten beschermen"),
        ("Teams", words["for"], "bescherming privacy clienten", 3, "Privacy van cliënten beschermen"),
    ]
    assert [row[:4] for row in conclusions] == [
        tuple(words["conclusions"][:4]),
        ("Noord", words["yes"], "Afspraken nodig", words["yes"]),
        ("Teams", words["not_yet"], None, words["yes"]),
    ]
    assert [type(row[4]) for row in conclusions[1:]] == [datetime, datetime]
    assert book.worksheets[4]["E2"].number_format == words["time"]
    for sheet in book.worksheets:
        assert sheet.freeze_panes == "A2" and all(cell.font.bold for cell in sheet[1])


@pytest.mark.parametrize("language", ["nl", "fr", "en"])
def test_the_csv_opens_with_a_double_click_in_the_languages_spreadsheet(store, language):
    words = WORDS[language]
    session = workshop(store, language)
    made = export.session_file(store, session, "csv")
    assert made.name == words["csv_file"].format(code=session.code)
    assert made.content.startswith("\ufeff")  # Excel reads it as UTF-8: "cliënten", not "cliÃ«nten"
    table = list(csv.reader(io.StringIO(made.content[1:]), delimiter=words["separator"]))
    assert table[0] == words["answers"]
    noord = next(row for row in table if row[0] == "Noord" and row[5] == "5")
    assert noord[:5] == [
        "Noord",
        words["for"],
        CATALOGUE.motive(PREVENTION).text(language),
        words["worksheet"],
        words["yes"],
    ]
    assert noord[6].startswith(export.day(language, datetime.now().astimezone()))
    comparison = list(
        csv.reader(
            io.StringIO(export.session_file(store, session, "csv", "comparison").content[1:]),
            delimiter=words["separator"],
        )
    )
    assert comparison[0] == words["comparison"]
    prevention = CATALOGUE.motive(PREVENTION).text(language)
    assert next(row for row in comparison if row[1] == prevention)[2:] == ["5", "2", "2", words["mean"]]


def test_the_data_format_keeps_its_documented_columns_codes_and_utc_times(store):
    """For analysts and pandas: the tidy answers whatever the session's language."""
    session = workshop(store, "fr")
    made = export.session_file(store, session, "csv", "data")
    assert made.name == f"motifs-{session.code}-donnees.csv"
    table = list(csv.DictReader(io.StringIO(made.content)))
    assert list(table[0]) == export.DATA_COLUMNS == tally.ANSWER_COLUMNS
    ticked = [
        (r["team"], r["side"], r["motive_id"], r["origin"], r["applies"], r["importance"])
        for r in table
        if r["applies"] == "True"
    ]
    assert ticked[0] == ("Teams", "against", NO_PRIORITY, "catalogue", "True", "4")
    assert all(
        r["updated_at"].endswith("+00:00") for r in table if r["applies"] == "True" and r["origin"] == "catalogue"
    )


@pytest.mark.parametrize(
    ("language", "names"),
    [
        (
            "nl",
            [
                "motieven-{c}-verslag.html",
                "motieven-{c}-teambladen.html",
                "motieven-{c}-werkblad.html",
                "motieven-{c}-archief.json",
            ],
        ),
        (
            "fr",
            [
                "motifs-{c}-rapport.html",
                "motifs-{c}-fiches-equipes.html",
                "motifs-{c}-fiche-de-travail.html",
                "motifs-{c}-archive.json",
            ],
        ),
        (
            "en",
            [
                "motives-{c}-report.html",
                "motives-{c}-handouts.html",
                "motives-{c}-worksheet.html",
                "motives-{c}-archive.json",
            ],
        ),
    ],
)
def test_every_file_is_named_in_the_sessions_language(store, language, names):
    session = workshop(store, language)
    made = [
        export.session_file(store, session, "html", document="report").name,
        export.session_file(store, session, "html", document="handouts").name,
        export.session_file(store, session, "html", document="worksheet").name,
        export.session_file(store, session, "json").name,
    ]
    assert made == [name.format(c=session.code) for name in names]


DOCUMENT_WORDS = {
    "nl": {
        "name": "motieven-{code}-beleidsaanzet.docx",
        "title": "Een eerste stap naar beleid",
        "headings": [
            "Redenen om van te vertrekken",
            "Bedenkingen om te beantwoorden",
            "Wat de teams besloten",
            "Vergelijking van de teams",
            "Eigen motieven van de teams",
            "Bron",
        ],
        "conclusions": [
            ["Team", "Besluit", "Toelichting"],
            ["Noord", "Ja", "Afspraken nodig"],
            ["Teams", "Nog niet", ""],
        ],
        "motive": "Motief",
        "chosen": "Gekozen door",
        "reason": "{text} (gekozen door 2 teams, samen belang 7)",
        "spelling": "nl-BE",
    },
    "fr": {
        "name": "motifs-{code}-projet-de-politique.docx",
        "title": "Un premier pas vers une politique",
        "headings": [
            "Les raisons d'où partir",
            "Les objections auxquelles répondre",
            "Ce que les équipes ont décidé",
            "Comparaison des équipes",
            "Les motifs propres des équipes",
            "Source",
        ],
        "conclusions": [
            ["Équipe", "Décision", "Explication"],
            ["Noord", "Oui", "Afspraken nodig"],
            ["Teams", "Pas encore", ""],
        ],
        "motive": "Motif",
        "chosen": "Choisi par",
        "reason": "{text} (choisi par 2 équipes, importance totale 7)",
        "spelling": "fr-BE",
    },
}


def cells(table) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in table.rows]


@pytest.mark.parametrize("language", ["nl", "fr"])
def test_the_policy_draft_is_a_document_with_headings_tables_both_teams_and_the_credit(store, language):
    words = DOCUMENT_WORDS[language]
    session = workshop(store, language)
    made = export.session_file(store, session, "docx")
    assert made.name == words["name"].format(code=session.code)
    document = docx.Document(io.BytesIO(made.content))
    styled = [(p.style.name, p.text) for p in document.paragraphs]
    against, for_ = (CATALOGUE.heading(side, language) for side in ("against", "for"))
    assert [(style, text) for style, text in styled if style == "Title" or style.startswith("Heading")] == [
        ("Title", words["title"]),
        *(("Heading 1", heading) for heading in words["headings"][:4]),
        ("Heading 2", against),
        ("Heading 2", for_),
        ("Heading 1", words["headings"][4]),
        ("Heading 2", against),
        ("Heading 2", for_),
        ("Heading 1", words["headings"][5]),
    ]
    assert document.core_properties.language == words["spelling"]
    prevention = CATALOGUE.motive(PREVENTION).text(language)
    numbered = [text for style, text in styled if style == "List Number"]
    assert numbered[0] == words["reason"].format(text=prevention)

    conclusions, against_table, for_table = document.tables
    assert cells(conclusions) == words["conclusions"]
    assert cells(against_table)[0] == [words["motive"], "Noord", "Teams", words["chosen"]]
    assert cells(against_table)[1:] == [
        [CATALOGUE.motive(NO_PRIORITY).text(language), "", "4", "1"],
        ["Geen tijd", "", "2", "1"],
    ]
    assert cells(for_table)[1:] == [[prevention, "5", "2", "2"], ["Privacy van cliënten beschermen", "4", "3", "2"]]
    assert all(row._tr.trPr.find(docx.oxml.ns.qn("w:cantSplit")) is not None for row in for_table.rows[1:])

    # The own motives by group: the group's text and who wrote it, then each other phrasing beneath it.
    own = [(style, text) for style, text in styled if style.startswith("List Bullet")][-3:]
    assert own == [
        ("List Bullet", "Geen tijd (Teams)"),
        ("List Bullet", "Privacy van cliënten beschermen (Noord, Teams)"),
        ("List Bullet 2", "bescherming privacy clienten"),
    ]
    assert document.paragraphs[-1].text == "\n".join(
        line for line in [*CATALOGUE.credit_lines(language), translation_note(session)] if line
    )


def test_the_policy_draft_writes_user_text_as_text_and_forty_teams_as_a_summary(store):
    session = store.create_session("Veertig", CATALOGUE, "nl")
    for number in range(40):
        team = store.join(session, f"Team {number} <b>&amp;</b>" if number == 0 else f"Team {number}")
        store.set_answer(team, PREVENTION, True, 1 + number % 5)
    made = export.session_file(store, session, "docx")
    document = docx.Document(io.BytesIO(made.content))
    conclusions, for_table = document.tables  # no team chose a motive against: no table, a sentence
    assert [p.text for p in document.paragraphs if p.text.startswith("Geen team koos een motief")] == [
        "Geen team koos een motief aan deze kant."
    ]
    assert cells(conclusions)[1][0] == "Team 0 <b>&amp;</b>"  # the characters the team typed, as they typed them
    # Forty columns would be a letter wide each: how many chose it, their mean importance and which teams.
    assert cells(for_table)[0] == ["Motief", "Gekozen door", "Gemiddeld belang", "Teams"]
    assert cells(for_table)[1][:3] == [CATALOGUE.motive(PREVENTION).text("nl"), "40", "3,0"]
    assert cells(for_table)[1][3].startswith("Team 0 <b>&amp;</b>, Team 1, Team 2")


@pytest.mark.slow
def test_the_policy_draft_opens_in_libreoffice(store, tmp_path):
    """LibreOffice converts it to PDF: the document a word processor opens, both teams and the credit in it."""
    soffice = shutil.which("soffice")
    if soffice is None:
        if os.environ.get("MOTIVES_REQUIRE_LIBREOFFICE"):
            pytest.fail("LibreOffice (soffice) is required here: scripts/ensure-libreoffice installs it")
        pytest.skip("LibreOffice is not installed: python-docx read the document back above")
    session = workshop(store, "nl")
    path = tmp_path / export.session_file(store, session, "docx").name
    path.write_bytes(export.session_file(store, session, "docx").content)
    profile = (tmp_path / "profile").as_uri()  # a profile of its own: a trainer's open LibreOffice is left alone
    subprocess.run(
        [
            soffice,
            "--headless",
            "--norestore",
            f"-env:UserInstallation={profile}",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(path),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    pdf = pypdf.PdfReader(path.with_suffix(".pdf"))
    text = " ".join(" ".join(page.extract_text().split()) for page in pdf.pages)
    assert 1 <= len(pdf.pages) <= 3
    assert text.startswith("Een eerste stap naar beleid")
    for expected in (
        "Noord Ja Afspraken nodig",
        "Teams Nog niet",
        "Philippe Bocklandt",
        "Privacy van cliënten beschermen (Noord, Teams)",
    ):
        assert expected in text


def test_the_markdown_report_reads_as_plain_text_and_renders_user_text_as_text(store):
    """Opened in a text editor it shows no backslashes in the worksheet's sentences; rendered by a
    GitHub-flavoured reader (tables, strikethrough, addresses made links), a team's text makes no tag, link,
    emphasis or list; the source's own address stays a link."""
    session = store.create_session("Gent 2026", CATALOGUE, "nl")
    team = store.join(session, "Noord *vet*")
    store.set_answer(team, "for-support-staff", True, 4)
    hostile = [
        "<img src=x onerror=alert(1)>",
        "[klik](javascript:alert(1))",
        "1. lijst",
        "# kop",
        "a | b",
        "&amp; ~~weg~~",
        "zie https://evil.example en www.evil.example",
        "mail iemand@evil.example, kost $5",
    ]
    for text in hostile:
        store.add_own_motive(team, "for", text, 3)
    md = report.report_md(store.records(session))
    support = CATALOGUE.motive("for-support-staff").text("nl")
    assert "(nog)" in support and f"- {support} (" in md  # the sentence as the worksheet has it
    theirs = ("Noord", "img", "klik", "lijst", "kop", "a \\| b", "weg", "evil")  # the lines with the team's own text
    worksheet_lines = [line for line in md.splitlines() if not any(word in line for word in theirs)]
    assert [line for line in worksheet_lines if "\\" in line] == []
    rendered = MarkdownIt("gfm-like").render(md)
    links = re.findall(r'<a href="([^"]+)"', rendered)
    assert links == ["http://www.sociaal-werk-netwerkt-online.be"]  # the credit's, no team's
    assert "<img" not in rendered and "<s>" not in rendered
    assert rendered.count("<em>") == 1  # the report's own "draft" line, not a team's "*vet*"
    assert rendered.count("<ol") == 1  # the policy's reasons, not a team's "1. lijst"
    shown = html.unescape(re.sub(r"<[^>]+>", "", rendered))
    for text in [*hostile, "Noord *vet*"]:
        assert text in shown


def test_a_noncharacter_never_breaks_the_policy_draft(store):
    """U+FFFE is no character and no document may hold one: the store refuses it now, and a text stored
    before it did is written without it, not a failed download."""
    session = workshop(store, "nl")
    team = store.find_team(session, "Noord")
    with pytest.raises(InvalidInput) as refused:
        store.add_own_motive(team, "for", "Privacy\ufffe", 3)
    assert refused.value.key == "control_characters"
    with sqlalchemy.create_engine(store.url).begin() as connection:  # as an older version let it in
        connection.execute(sqlalchemy.text("UPDATE own_motives SET text = 'Geen tijd\uffff' WHERE text = 'Geen tijd'"))
    document = docx.Document(io.BytesIO(export.session_file(store, session, "docx").content))
    assert "Geen tijd (Teams)" in [p.text for p in document.paragraphs]


def test_no_team_writes_over_another_teams_column_whatever_its_name(store):
    session = store.create_session("Namen", CATALOGUE, "nl")
    for name, importance in (("Kant (Team)", 1), ("Kant", 2), ("Teams", 3), ("Teams (Team)", 4)):
        store.set_answer(store.join(session, name), PREVENTION, True, importance)
    book = openpyxl.load_workbook(io.BytesIO(export.session_file(store, session, "xlsx").content))
    header, *rows = book["Vergelijking"].iter_rows(values_only=True)
    assert header == (
        "Kant",
        "Motief",
        "Kant (Team)",
        "Kant (Team) (Team)",
        "Teams (Team)",
        "Teams (Team) (Team)",
        "Teams",
        "Gemiddeld belang",
    )
    prevention = next(row for row in rows if row[1] == CATALOGUE.motive(PREVENTION).text("nl"))
    assert prevention[2:] == (1, 2, 3, 4, 4, 2.5)  # each team's own importance, then the whole group's
