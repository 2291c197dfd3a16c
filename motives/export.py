"""Writing a session to files a trainer hands over: CSV, XLSX, and (in motives.report) HTML and Markdown.

Text that a spreadsheet would run as a formula (a leading ``=``, ``+``, ``-``,
``@``, tab or carriage return) gets a leading apostrophe in CSV and XLSX, so it
is shown, never run. A CSV file may be read with another separator than the one
it was written with: Excel in Dutch and French splits on ``;``. So in CSV every
part after a ``;``, ``,`` or tab is neutralised as well, and every text field is
quoted.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass

import pandas as pd

from motives import tally
from motives.errors import MotivesError
from motives.formats import MIME
from motives.models import Session, SessionRecords
from motives.store import Store

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: object) -> object:
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


# A formula character at the start of the text or of any part a spreadsheet may split it into (after
# ``;``, ``,`` or a tab, behind any spaces it trims).
_PART_FORMULA = re.compile(r"(^|[;,\t])([ \u00a0]*)(?=[=+\-@\t\r])")


def neutralise_parts(value: object) -> object:
    """For CSV: :func:`neutralise` at the start of every part, whichever separator the reader splits on."""
    if isinstance(value, str):
        return _PART_FORMULA.sub(r"\1\2'", value)
    return value


def _neutral_frame(frame: pd.DataFrame, neutral=neutralise) -> pd.DataFrame:
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].map(neutral)
    out.columns = [neutral(str(c)) for c in out.columns]
    return out


def _iso(series: pd.Series) -> pd.Series:
    return series.map(lambda t: "" if pd.isna(t) else t.isoformat())


def answers_table(answers: pd.DataFrame) -> pd.DataFrame:
    """The tidy long answers, ready for a file: times as ISO text."""
    return answers.assign(updated_at=_iso(answers["updated_at"]))


def comparison_table(answers: pd.DataFrame) -> pd.DataFrame:
    """The comparison flattened to one header row: ``team: <name>`` per team, then the summary."""
    comparison = tally.comparison(answers)
    frame = comparison.index.to_frame(index=False)
    for name in tally.team_matrix(answers).columns:
        frame[f"team: {name}"] = comparison[("team", name)].to_numpy()
    frame["teams"] = comparison[("all", "teams")].to_numpy()
    frame["mean_importance"] = comparison[("all", "mean_importance")].round(2).to_numpy()
    return frame


def balance_table(answers: pd.DataFrame, teams: pd.DataFrame) -> pd.DataFrame:
    return tally.balance(answers, teams).reset_index()


def own_table(answers: pd.DataFrame) -> pd.DataFrame:
    return tally.own_groups(answers)[["team", "side", "text", "importance", "group", "motive_id"]]


def conclusions_table(teams: pd.DataFrame) -> pd.DataFrame:
    return teams[["team", "answered", "conclusion", "explanation"]].assign(
        joined_at=_iso(teams["joined_at"]),
    )


def to_csv(frame: pd.DataFrame) -> str:
    # Every text field quoted: a reader splitting on another separator keeps a quoted field whole.
    return _neutral_frame(frame, neutralise_parts).to_csv(
        index=False, lineterminator="\n", quoting=csv.QUOTE_NONNUMERIC
    )


def to_xlsx(records: SessionRecords) -> bytes:
    """One workbook: answers, comparison, balance, own motives and conclusions, each on its own sheet."""
    from openpyxl.styles import Alignment
    from openpyxl.utils import get_column_letter

    answers = tally.answers_frame(records)
    teams = tally.teams_frame(records)
    sheets = {
        "answers": answers_table(answers),
        "comparison": comparison_table(answers),
        "balance": balance_table(answers, teams),
        "own motives": own_table(answers),
        "conclusions": conclusions_table(teams),
    }
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for name, frame in sheets.items():
            frame = _neutral_frame(frame)
            frame.to_excel(writer, sheet_name=name, index=False, freeze_panes=(1, 0))
            sheet = writer.sheets[name]
            for position, column in enumerate(frame.columns, start=1):
                cells = [str(column), *("" if pd.isna(v) else str(v) for v in frame[column])]
                width = min(60, max(8, *(len(c) for c in cells)) + 2)
                sheet.column_dimensions[get_column_letter(position)].width = width
            for row in sheet.iter_rows(min_row=2):
                for cell in row:
                    if isinstance(cell.value, str):
                        cell.data_type = "s"  # text, even if it looks like a formula
                        if len(cell.value) > 60:
                            cell.alignment = Alignment(wrap_text=True, vertical="top")
    return buffer.getvalue()


@dataclass(frozen=True)
class SessionFile:
    name: str
    mime: str
    content: str | bytes


def session_file(
    store: Store, session: Session, fmt: str, table: str = "answers", document: str = "report"
) -> SessionFile:
    """One export of a session, as the CLI writes it and the dashboard offers it for download."""
    from motives import archive, report

    if fmt not in MIME:
        raise MotivesError("export_unknown_format", format=repr(fmt), known=", ".join(MIME))
    kind = {"csv": table, "xlsx": "tables", "json": "archive"}.get(fmt, document)
    name = f"motives-{session.code}-{kind}.{fmt}"
    if fmt == "json":
        return SessionFile(name, MIME[fmt], archive.dumps(archive.to_archive(store, session)))
    if fmt == "html" and document == "worksheet":
        return SessionFile(name, MIME[fmt], report.worksheet_html(session))
    records = store.records(session)
    if fmt == "csv":
        answers = tally.answers_frame(records)
        frame = comparison_table(answers) if table == "comparison" else answers_table(answers)
        return SessionFile(name, MIME[fmt], to_csv(frame))
    if fmt == "xlsx":
        return SessionFile(name, MIME[fmt], to_xlsx(records))
    if fmt == "md":
        if document != "report":
            raise MotivesError("export_html_only", document=document)
        return SessionFile(name, MIME[fmt], report.report_md(records))
    content = report.handouts_html(records) if document == "handouts" else report.report_html(records)
    return SessionFile(name, MIME[fmt], content)
