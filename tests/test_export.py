"""Every export read back as the program that opens it would: pandas, openpyxl, the importer, a browser."""

from __future__ import annotations

import io
import json
import re

import openpyxl
import pandas as pd
import pytest

from motives import archive, export, report, tally
from motives.errors import InvalidInput, MotivesError
from motives.markup import esc

EVIL = "<img src=x onerror=alert(1)>"
FORMULA = '=HYPERLINK("http://x","klik")'
UNICODE = "privé 😀 עברית"


@pytest.fixture
def filled(store, session):
    """A session with the awkward texts people really type."""
    north = store.join(session, f"={UNICODE}")
    south = store.join(session, "Zuid")
    store.set_answer(north, "for-prevention", True, 5)
    store.set_answer(south, "for-prevention", True, 2)
    store.set_answer(south, "against-no-priority", True, 4)
    store.add_own_motive(north, "for", FORMULA, 4)
    store.add_own_motive(north, "against", EVIL, 2)
    store.add_own_motive(south, "for", f"@{UNICODE} *vet* | pipe", 3)
    store.set_conclusion(north, "yes", "-1 is geen getal")
    store.set_conclusion(south, "not_yet", "")
    return session


def test_the_data_csv_reads_back_with_unicode_and_formulas_made_harmless(store, filled):
    back = pd.read_csv(io.StringIO(export.session_file(store, filled, "csv", "data").content))
    assert back["team"].unique().tolist() == [f"'={UNICODE}", "Zuid"]
    own = back[back["origin"] == "own"]["text"].tolist()
    assert own == [EVIL, f"'{FORMULA}", f"'@{UNICODE} *vet* | pipe"]  # worksheet order: against first
    assert back.loc[back["applies"], "importance"].tolist() == [4, 2, 5, 2, 4, 3]


def test_the_trainers_csv_comparison_has_a_column_per_team_and_the_summary(store, filled):
    content = export.session_file(store, filled, "csv", "comparison").content
    back = pd.read_csv(io.StringIO(content.removeprefix("\ufeff")), sep=";", decimal=",")
    assert list(back.columns) == ["Kant", "Motief", f"'={UNICODE}", "Zuid", "Teams", "Gemiddeld belang"]
    prevention = back[back["Motief"] == filled.catalogue.motive("for-prevention").text("nl")].iloc[0]
    assert prevention[["Zuid", "Teams", "Gemiddeld belang"]].tolist() == [2, 2, 3.5]


def test_xlsx_has_five_sheets_frozen_headers_readable_widths_and_no_formulas(store, filled):
    book = openpyxl.load_workbook(io.BytesIO(export.to_xlsx(store.records(filled))))
    assert book.sheetnames == ["Antwoorden", "Vergelijking", "Balans", "Eigen motieven", "Besluiten"]
    for sheet in book.worksheets:
        assert sheet.freeze_panes == "A2"
        assert all(sheet.column_dimensions[c].width >= 8 for c in "ABC")
    formulas = [c.coordinate for s in book.worksheets for row in s.iter_rows() for c in row if c.data_type == "f"]
    assert formulas == []
    own = book["Eigen motieven"]
    texts = [row[2] for row in own.iter_rows(min_row=2, values_only=True)]
    assert f"'{FORMULA}" in texts and EVIL in texts and f"'@{UNICODE} *vet* | pipe" in texts
    conclusions = {row[0]: row[2] for row in book["Besluiten"].iter_rows(min_row=2, values_only=True)}
    assert conclusions[f"'={UNICODE}"] == "'-1 is geen getal"
    balance = {row[0]: row[1:5] for row in book["Balans"].iter_rows(min_row=2, values_only=True)}
    assert balance["Zuid"] == (2, 5, 1, 4)


def test_the_archive_round_trip_gives_the_same_file(store, filled, tmp_path):
    from motives.grouping import merge_plan

    # a merge the trainer made must travel too
    keys = {
        int(m[4:]): g
        for m, g in tally.own_groups(tally.answers_frame(store.records(filled)))[["motive_id", "group"]].values
    }
    ids, target = merge_plan(keys, "own-1", "own-3", filled.catalogue)
    store.link_own_motives(filled, ids, target)
    first = archive.dumps(archive.to_archive(store, filled))
    from motives.store import Store

    other = Store(tmp_path / "other.db")
    restored = archive.restore(other, first)
    assert restored.code == filled.code and restored.trainer_key == filled.trainer_key
    assert archive.dumps(archive.to_archive(other, restored)) == first
    data = json.loads(first)
    assert [t["name"] for t in data["teams"]] == [f"={UNICODE}", "Zuid"]
    assert data["links"] == [{"own": 1, "target": "g-1"}, {"own": 3, "target": "g-1"}]
    # the same file again needs another code; under it, it is the same session with a new code
    with pytest.raises(InvalidInput, match="already exists"):
        archive.restore(other, first)
    copy = archive.restore(other, first, code="ABCDEF")
    assert json.loads(archive.dumps(archive.to_archive(other, copy)))["teams"] == data["teams"]
    # a copy is another session: whoever holds the archive's key must not open it
    assert copy.trainer_key != filled.trainer_key and not copy.key_matches(filled.trainer_key)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("not json", "not valid JSON"),
        ('{"format": "something else"}', "not a motives session archive"),
        ('{"format": "motives-archive", "version": 99}', "archive version 99"),
        ('{"format": "motives-archive", "version": 1, "session": {}}', "top level: the field 'catalogue' is missing"),
    ],
)
def test_a_broken_archive_is_refused_with_a_reason(store, text, message):
    with pytest.raises(MotivesError, match=message):
        archive.restore(store, text, "broken.json")
    assert store.sessions() == []


def test_an_archive_with_a_bad_value_writes_nothing(store, filled, tmp_path):
    data = json.loads(archive.dumps(archive.to_archive(store, filled)))
    data["teams"][1]["answers"][0]["importance"] = 9
    from motives.store import Store

    other = Store(tmp_path / "other.db")
    with pytest.raises(archive.ArchiveError, match=r"team 2 \('Zuid'\), answer 1: importance must be a whole number"):
        archive.restore(other, json.dumps(data))
    assert other.sessions() == []


@pytest.mark.parametrize("key", ["", "short", "x" * 65, "sleutel met spaties en meer", 12345678901234567])
def test_an_archive_with_a_damaged_trainer_key_is_refused(store, filled, tmp_path, key):
    data = json.loads(archive.dumps(archive.to_archive(store, filled)))
    data["session"]["trainer_key"] = key
    from motives.store import Store

    other = Store(tmp_path / "other.db")
    with pytest.raises(MotivesError, match="the trainer key is damaged"):
        archive.restore(other, json.dumps(data))
    assert other.sessions() == []


def test_the_html_report_is_self_contained_escaped_and_in_the_sessions_language(store, filled):
    html = report.report_html(store.records(filled))
    assert html.startswith("<!DOCTYPE html>") and '<html lang="nl">' in html
    assert EVIL not in html and "&lt;img src=x onerror=alert(1)&gt;" in html
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html) and "@import" not in html
    assert "data:image/png;base64," in html
    for heading in (
        "Wat de teams delen en wat hen verdeelt",
        "Vergelijking van de teams",
        "Balans en besluit per team",
        "Eigen motieven van de teams",
        "Een eerste stap naar beleid",
        "Bron",
    ):
        assert heading in html
    assert "Ontwerp ter bespreking" in html and "Philippe Bocklandt" in html and UNICODE in html


def test_the_policy_draft_starts_from_the_weightiest_reasons(store, filled):
    frames = report.Frames.of(store.records(filled))
    reasons, concerns = report.policy_points(frames)
    assert reasons[0] == ("Beter voorkomen dan genezen.", 2, 7)
    assert [text for text, _n, _t in concerns] == [
        "Beeldvorming van en communicatie over de organisatie vergt geen prioritaire beleidsaandacht.",
        EVIL,
    ]


def test_the_markdown_report_escapes_user_text(store, filled):
    md = report.report_md(store.records(filled))
    assert md.startswith("# Verslag: Motieven om wel of geen sociale mediabeleid uit te werken")
    assert EVIL not in md and "\\<img src=x onerror=alert(1)\\>" in md
    assert "\\*vet\\* \\| pipe" in md
    assert "## Een eerste stap naar beleid" in md


def test_handouts_have_one_page_per_team_beside_the_group(store, filled):
    html = report.handouts_html(store.records(filled))
    assert html.count("<section") == 2 and html.count('class="handout page"') == 1
    assert "<h1>Zuid</h1>" in html and "Gemiddeld team" in html and EVIL not in html


def test_the_paper_worksheet_lists_every_motive_with_a_box_and_circles(session):
    html = report.worksheet_html(session)
    assert all(esc(m.text("nl")) in html for m in session.catalogue.motives)
    rows = 10 + 2 * report.WORKSHEET_OWN  # the motives, and two rows per side for the team's own
    assert html.count('<span class="square">') == rows + 3  # and one per conclusion
    assert html.count('<span class="circle">') == 5 * rows and "@page { size: A4" in html


def test_an_english_session_reports_in_english(store, catalogue):
    session = store.create_session("Workshop", catalogue, "en")
    store.set_answer(store.join(session, "North"), "for-prevention", True, 4)
    html = report.report_html(store.records(session))
    assert '<html lang="en">' in html and "A first step towards a policy" in html
    assert "Prevention is better than cure." in html
