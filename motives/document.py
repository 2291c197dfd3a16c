"""The policy draft as a document the organisation goes on writing in its own word processor (.docx).

Word, LibreOffice and Google Docs show its headings, lists and tables as such: real
``Heading 1``/``Heading 2`` styles (a table of contents and the navigation pane find them),
numbered and bulleted lists, tables with a header row that repeats on every page. Everything
is in the session's language, which the document also declares (a spelling checker checks
Dutch as Dutch). User text is written as text: python-docx puts it in XML text nodes, never
markup.
"""

from __future__ import annotations

import io
import re

import pandas as pd
from docx import Document
from docx.document import Document as WordDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.table import Table

from motives import tally
from motives.i18n import decimal, message, teams, translation_note
from motives.models import SIDES, Session, SessionRecords
from motives.render import conclusion_text
from motives.report import meta_line, policy_points
from motives.tally import Frames

# Up to this many teams the comparison has a column per team; past it, a column would be a letter wide on A4.
TEAM_COLUMNS = 6
TABLE_TEXT = Pt(9.5)
# What XML 1.0 cannot hold: text stored before the store refused it (a noncharacter) is left out, not fatal.
_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _xml(text: object) -> str:
    return _NOT_XML.sub("", str(text))


# The language a spelling checker is told the text is in.
SPELLING = {"nl": "nl-BE", "fr": "fr-BE", "en": "en-GB"}


def _declare_language(document: WordDocument, language: str) -> None:
    properties = document.styles["Normal"].element.get_or_add_rPr()
    for old in properties.findall(qn("w:lang")):
        properties.remove(old)
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), SPELLING.get(language, language))
    properties.append(lang)
    document.core_properties.language = SPELLING.get(language, language)


def _table(
    document: WordDocument, header: list[str], rows: list[list[object]], widths: list[float] | None = None
) -> Table:
    """A table with a bold header row that repeats on every page it spans."""
    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = ""
        cell.paragraphs[0].add_run(_xml(text)).bold = True
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    table.rows[0]._tr.get_or_add_trPr().append(repeat)
    for values in rows:
        row = table.add_row()
        row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))  # a motive is never cut across two pages
        for cell, value in zip(row.cells, values, strict=True):
            cell.text = "" if value is None or (not isinstance(value, str) and pd.isna(value)) else _xml(value)
            if isinstance(value, int):
                cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    for row in table.rows:
        for cell in row.cells:
            for paragraph in cell.paragraphs:
                for run in paragraph.runs:
                    run.font.size = TABLE_TEXT
    if widths:
        # Word reads each cell's width, LibreOffice the table's grid: both are set.
        table.autofit = False
        for column, width in zip(table.columns, widths, strict=True):
            column.width = Mm(width)
        for row in table.rows:
            for cell, width in zip(row.cells, widths, strict=True):
                cell.width = Mm(width)
    return table


def _comparison(document: WordDocument, frames: Frames, language: str) -> None:
    """Per side, the motives some team chose: a column per team (its importance) up to :data:`TEAM_COLUMNS`
    teams, else how many chose it, their mean importance and which teams."""
    m = lambda key, **p: message(language, key, **p)  # noqa: E731
    comparison = frames.comparison
    names = list(comparison["team"].columns)
    chosen = comparison[comparison[("all", "teams")] > 0]
    for side in SIDES:
        rows = chosen[chosen.index.get_level_values("side") == side]
        document.add_heading(frames.session.catalogue.heading(side, language), level=2)
        if rows.empty:
            document.add_paragraph(m("policy_doc_side_none"))
            continue
        body = []
        for (_side, _group, text, _origin), row in rows.iterrows():
            picked = {name: row[("team", name)] for name in names if not pd.isna(row[("team", name)])}
            count = int(row[("all", "teams")])
            if len(names) <= TEAM_COLUMNS:
                body.append([text, *(int(picked[n]) if n in picked else "" for n in names), count])
            else:
                mean = row[("all", "mean_importance")]
                body.append([text, count, "" if pd.isna(mean) else decimal(language, mean), ", ".join(picked)])
        if len(names) <= TEAM_COLUMNS:
            other = (170 - 80) / (len(names) + 1)
            _table(document, [m("col_motive"), *names, m("col_chosen")], body, [80, *([other] * (len(names) + 1))])
        else:
            _table(document, [m("col_motive"), m("col_chosen"), m("col_mean"), m("col_teams")], body, [70, 20, 20, 60])


def _own(document: WordDocument, frames: Frames, language: str) -> None:
    """The teams' own motives by group: the group's text, who wrote it, and each other phrasing."""
    own = tally.own_groups(frames.answers)
    if own.empty:
        document.add_paragraph(message(language, "no_own"))
        return
    labels = dict(zip(*tally.motive_rows(frames.answers)[["group", "text"]].T.to_numpy(), strict=True))
    for side in SIDES:
        rows = own[own["side"] == side]
        if rows.empty:
            continue
        document.add_heading(frames.session.catalogue.heading(side, language), level=2)
        for group, members in rows.groupby("group", sort=False):
            label = labels.get(group, members["text"].iloc[0])
            who = ", ".join(dict.fromkeys(members["team"]))
            document.add_paragraph(_xml(f"{label} ({who})"), style="List Bullet")
            others = [text for text in dict.fromkeys(members["text"]) if text != label]
            for text in others:
                document.add_paragraph(_xml(text), style="List Bullet 2")


def _a4(session: Session) -> WordDocument:
    """An empty A4 document in the session's language, with its title and subject set."""
    language = session.language
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Mm(20)
    section.top_margin = section.bottom_margin = Mm(20)
    document.styles["Normal"].font.name = "Calibri"
    document.styles["Normal"].font.size = Pt(11)
    _declare_language(document, language)
    document.core_properties.title = _xml(f"{message(language, 'report_policy')} – {session.name}")
    document.core_properties.subject = session.catalogue.title_in(language)
    document.core_properties.author = ""
    document.core_properties.comments = ""
    return document


def _first_step(document: WordDocument, frames: Frames, language: str) -> None:
    """The reasons weighed most, to start from, and the concerns a policy must answer."""
    m = lambda key, **p: message(language, key, **p)  # noqa: E731
    reasons, concerns = policy_points(frames)
    document.add_heading(m("policy_doc_reasons"), level=1)
    document.add_paragraph(m("policy_intro") if reasons else m("policy_none_for"))
    for text, n, total in reasons:
        reason = m("policy_reason", text=text, teams=teams(language, n), total=total)
        document.add_paragraph(_xml(reason), style="List Number")
    document.add_heading(m("policy_doc_concerns"), level=1)
    document.add_paragraph(m("policy_answer_intro") if concerns else m("policy_none_against"))
    for text, n, total in concerns:
        concern = m("policy_reason", text=text, teams=teams(language, n), total=total)
        document.add_paragraph(_xml(concern), style="List Bullet")
    document.add_paragraph(m("policy_next"))


def _source(document: WordDocument, session: Session) -> None:
    language = session.language
    document.add_heading(message(language, "source_heading"), level=1)
    source = document.add_paragraph()
    lines = [*session.catalogue.credit_lines(language), translation_note(session)]
    for number, line in enumerate(line for line in lines if line):
        if number:
            source.add_run().add_break(WD_BREAK.LINE)
        source.add_run(line)


def policy_docx(records: SessionRecords) -> bytes:
    """The policy draft: the session, the first step towards a policy, each team's conclusion, the comparison as
    tables, the teams' own motives grouped, and the source's credit."""
    frames = Frames.of(records)
    session, language = frames.session, frames.session.language
    m = lambda key, **p: message(language, key, **p)  # noqa: E731
    document = _a4(session)
    document.add_heading(m("report_policy"), level=0)
    document.add_paragraph(session.catalogue.title_in(language), style="Subtitle")
    document.add_paragraph(_xml(meta_line(frames, html=False)))
    document.add_paragraph().add_run(m("report_draft")).italic = True
    document.add_paragraph(m("policy_doc_edit"))
    _first_step(document, frames, language)
    document.add_heading(m("policy_doc_conclusions"), level=1)
    if len(frames.teams):
        rows = [
            [row.team, conclusion_text(row.conclusion, language), row.explanation]
            for row in frames.teams.itertuples(index=False)
        ]
        _table(document, [m("col_team"), m("col_conclusion"), m("col_explanation")], rows, [45, 30, 95])
        document.add_heading(m("report_comparison"), level=1)
        _comparison(document, frames, language)
        document.add_heading(m("report_own"), level=1)
        _own(document, frames, language)
    else:
        document.add_paragraph(m("no_teams", code=session.code))
    _source(document, session)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
