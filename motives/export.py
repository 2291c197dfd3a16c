"""Writing a session to files a trainer hands over: CSV, XLSX, and (in motives.report) HTML and Markdown.

The trainer's files speak the session's language: sheet names, headers and values
("Wel beleid", "Ja", a date as the language writes it), and file names
("motieven-KM7N2E-verslag.html"). Beside them, one table stays in a fixed, documented
shape for analysts (``--table data``, :data:`DATA_COLUMNS`): the tidy answers with
English column names, codes and ISO 8601 times in UTC, as pandas reads them.

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
from datetime import datetime

import pandas as pd

from motives import tally
from motives.errors import MotivesError
from motives.formats import MIME
from motives.i18n import N_, day, message, time_of_day
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
    """The data format: the tidy long answers, ready for a file, times as ISO 8601 text in UTC."""
    return answers.assign(updated_at=_iso(answers["updated_at"]))


# The data format's columns (``motives export CODE --format csv --table data``), documented in the README.
DATA_COLUMNS = tally.ANSWER_COLUMNS


def _words(language: str, *keys: str) -> list[str]:
    return [message(language, key) for key in keys]


def _local(moment: object) -> object:
    """A stored UTC time as the laptop's local time without a zone (a spreadsheet cell has none); None if unset."""
    if moment is None or pd.isna(moment):
        return None
    return pd.Timestamp(moment).to_pydatetime().astimezone().replace(tzinfo=None)


def _yes_no(value: bool, language: str) -> str:
    return message(language, "col_yes" if value else "col_no")


def _side(side: str, language: str) -> str:
    return message(language, f"side_{side}")


def _group_labels(answers: pd.DataFrame) -> dict[str, str]:
    """A group's key: the text it is shown by (its catalogue motive's, else its first own motive's)."""
    rows = tally.motive_rows(answers)
    return dict(zip(rows["group"], rows["text"], strict=True))


def trainer_answers(answers: pd.DataFrame, language: str) -> pd.DataFrame:
    """Every team's answer to every motive, in the trainer's words: team, side, motive, where it comes from,
    ticked, importance, last changed (local time)."""
    columns = _words(
        language,
        N_("col_team"),
        N_("col_side"),
        N_("col_motive"),
        N_("col_origin"),
        N_("col_ticked"),
        N_("col_importance"),
    )
    return pd.DataFrame(
        dict(
            zip(
                [*columns, message(language, N_("col_changed"))],
                [
                    answers["team"],
                    answers["side"].map(lambda side: _side(side, language)),
                    answers["text"],
                    answers["origin"].map(lambda origin: message(language, f"origin_{origin}")),
                    answers["applies"].map(lambda applies: _yes_no(bool(applies), language)),
                    answers["importance"].astype("object").where(answers["importance"].notna(), None),
                    answers["updated_at"].map(_local),
                ],
                strict=True,
            )
        )
    )


def trainer_comparison(answers: pd.DataFrame, language: str) -> pd.DataFrame:
    """One row per motive: its side, its text, each team's importance (empty: not chosen), how many teams chose
    it and their mean importance."""
    comparison = tally.comparison(answers)
    rows = comparison.index.to_frame(index=False)
    labels = _group_labels(answers)
    frame = pd.DataFrame(
        {
            message(language, "col_side"): rows["side"].map(lambda side: _side(side, language)).to_numpy(),
            message(language, "col_motive"): rows["group"].map(labels).to_numpy(),
        }
    )
    after = [message(language, "col_teams"), message(language, "col_mean")]
    used = {*frame.columns, *after}
    for name in tally.team_matrix(answers).columns:
        values = comparison[("team", name)]
        # A team is a column under its own name; one called as a header ("Teams"), or as another team's
        # header, says it is a team until its header is its own: no column is written over.
        header = name
        while header in used:
            header = f"{header} ({message(language, 'col_team')})"
        used.add(header)
        frame[header] = values.astype("object").where(values.notna(), None).to_numpy()
    mean = comparison[("all", "mean_importance")].round(2)
    frame[after[0]] = comparison[("all", "teams")].to_numpy()
    frame[after[1]] = mean.astype("object").where(mean.notna(), None).to_numpy()
    return frame


def trainer_balance(answers: pd.DataFrame, teams: pd.DataFrame, language: str) -> pd.DataFrame:
    from motives.render import balance_display

    balance = tally.balance(answers, teams)
    return balance_display(balance, language, tally.group_total(balance)).reset_index()


def trainer_own(answers: pd.DataFrame, language: str) -> pd.DataFrame:
    """The teams' own motives with the group each one is in (empty for a motive that stands alone)."""
    own = tally.own_groups(answers)
    labels = _group_labels(answers)
    sizes = own["group"].value_counts()
    worksheet = set(answers.loc[answers["origin"] == "catalogue", "group"])
    linked = own["group"].isin(worksheet).astype(bool)  # merged with a worksheet motive
    alone = own["group"].map(sizes).eq(1).astype(bool) & ~linked
    group = own["group"].map(labels).where(~alone, "")
    columns = _words(language, N_("col_team"), N_("col_side"), N_("col_motive"), N_("col_importance"), N_("col_group"))
    values = [
        own["team"],
        own["side"].map(lambda side: _side(side, language)),
        own["text"],
        own["importance"].astype("object").where(own["importance"].notna(), None),
        group,
    ]
    return pd.DataFrame(dict(zip(columns, values, strict=True)))


def trainer_conclusions(teams: pd.DataFrame, language: str) -> pd.DataFrame:
    from motives.render import conclusion_text

    columns = _words(
        language, N_("col_team"), N_("col_conclusion"), N_("col_explanation"), N_("col_answered"), N_("col_joined")
    )
    values = [
        teams["team"],
        teams["conclusion"].map(lambda c: conclusion_text(c, language)),
        teams["explanation"],
        teams["answered"].map(lambda answered: _yes_no(bool(answered), language)),
        teams["joined_at"].map(_local),
    ]
    return pd.DataFrame(dict(zip(columns, values, strict=True)))


def to_csv(frame: pd.DataFrame, separator: str = ",") -> str:
    # Every text field quoted: a reader splitting on another separator keeps a quoted field whole.
    return _neutral_frame(frame, neutralise_parts).to_csv(
        index=False, lineterminator="\n", quoting=csv.QUOTE_NONNUMERIC, sep=separator
    )


def trainer_csv(frame: pd.DataFrame, language: str) -> str:
    """A table as a spreadsheet in ``language`` opens it with a double click: the separator its Excel expects
    (``;`` where the decimal sign is a comma), a byte order mark so that it reads UTF-8, numbers and times
    as the language writes them."""
    from motives.i18n import decimal

    comma = decimal(language, 0.5) == "0,5"

    def cell(value: object) -> object:
        if value is None or (not isinstance(value, str) and pd.isna(value)):
            return ""
        if isinstance(value, pd.Timestamp):
            value = value.to_pydatetime()
        if isinstance(value, datetime):
            return f"{day(language, value)} {time_of_day(language, value, seconds=False)}"
        if isinstance(value, float):
            return decimal(language, value, 1)
        return value

    shown = frame.apply(lambda column: column.map(cell)).astype("object")
    return "\ufeff" + to_csv(shown, ";" if comma else ",")


def to_xlsx(records: SessionRecords) -> bytes:
    """One workbook in the session's language: answers, comparison, balance, own motives and conclusions,
    each on its own sheet; times as date cells, numbers as numbers."""
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    language = records.session.language
    answers = tally.answers_frame(records)
    teams = tally.teams_frame(records)
    sheets = {
        message(language, "sheet_answers"): trainer_answers(answers, language),
        message(language, "sheet_comparison"): trainer_comparison(answers, language),
        message(language, "sheet_balance"): trainer_balance(answers, teams, language),
        message(language, "sheet_own"): trainer_own(answers, language),
        message(language, "sheet_conclusions"): trainer_conclusions(teams, language),
    }
    time_format = message(language, "xlsx_time_format")
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for name, frame in sheets.items():
            frame = _neutral_frame(frame)
            frame.to_excel(writer, sheet_name=name, index=False, freeze_panes=(1, 0))
            sheet = writer.sheets[name]
            for cell in sheet[1]:
                cell.font = Font(bold=True)
            for position, column in enumerate(frame.columns, start=1):
                cells = [str(column), *("" if v is None or pd.isna(v) else str(v) for v in frame[column])]
                width = min(60, max(8, *(len(c) for c in cells)) + 2)
                sheet.column_dimensions[get_column_letter(position)].width = width
            for row in sheet.iter_rows(min_row=2):
                for cell in row:
                    if isinstance(cell.value, str):
                        cell.data_type = "s"  # text, even if it looks like a formula
                        if len(cell.value) > 60:
                            cell.alignment = Alignment(wrap_text=True, vertical="top")
                    elif isinstance(cell.value, float):
                        cell.number_format = "0.0"  # the decimal sign is the reader's: 3,5 in Dutch and French
                    elif cell.is_date:
                        cell.number_format = time_format
                        sheet.column_dimensions[cell.column_letter].width = max(
                            sheet.column_dimensions[cell.column_letter].width, 18
                        )
    return buffer.getvalue()


# What each file is, as its name says it in the session's language.
FILE_KINDS = {
    "report": N_("file_report"),
    "handouts": N_("file_handouts"),
    "worksheet": N_("file_worksheet"),
    "tables": N_("file_tables"),
    "archive": N_("file_archive"),
    "answers": N_("file_answers"),
    "comparison": N_("file_comparison"),
    "data": N_("file_data"),
    "catalogue": N_("file_catalogue"),
    "policy": N_("file_policy"),
}


def file_name(session: Session, kind: str, fmt: str) -> str:
    """A file's name in the session's language: "motieven-KM7N2E-verslag.html", "motifs-KM7N2E-rapport.html"."""
    language = session.language
    return f"{message(language, 'file_prefix')}-{session.code}-{message(language, FILE_KINDS[kind])}.{fmt}"


@dataclass(frozen=True)
class SessionFile:
    name: str
    mime: str
    content: str | bytes


def kind_of(fmt: str, table: str, document: str) -> str:
    """Which of :data:`FILE_KINDS` an export is, as its file name says."""
    return {"csv": table, "xlsx": "tables", "json": "archive", "docx": "policy"}.get(fmt, document)


def named_file(store: Store, code: str, key: str, name: str) -> SessionFile | None:
    """The file ``name`` of session ``code`` (one of :data:`motives.formats.FILES`, named as
    :func:`file_name` names it), if ``key`` is the session's trainer key; None for an unknown session,
    a wrong key or another name, alike (the server answers each with the same "not found")."""
    from motives.formats import FILES

    try:
        session = store.session(code)
    except MotivesError:
        return None
    if not session.key_matches(key):
        return None
    for _label, fmt, table, document in FILES:
        if file_name(session, kind_of(fmt, table, document), fmt) == name:
            return session_file(store, session, fmt, table, document)
    return None


def session_file(
    store: Store, session: Session, fmt: str, table: str = "answers", document: str = "report"
) -> SessionFile:
    """One export of a session, as the CLI writes it and the dashboard offers it for download."""
    from motives import archive, report

    if fmt not in MIME:
        raise MotivesError("export_unknown_format", format=repr(fmt), known=", ".join(MIME))
    name = file_name(session, kind_of(fmt, table, document), fmt)
    if fmt == "json":
        return SessionFile(name, MIME[fmt], archive.dumps(archive.to_archive(store, session)))
    if fmt == "html" and document == "worksheet":
        return SessionFile(name, MIME[fmt], report.worksheet_html(session))
    records = store.records(session)
    language = session.language
    if fmt == "csv":
        answers = tally.answers_frame(records)
        if table == "data":
            return SessionFile(name, MIME[fmt], to_csv(answers_table(answers)))
        if table == "comparison":
            return SessionFile(name, MIME[fmt], trainer_csv(trainer_comparison(answers, language), language))
        return SessionFile(name, MIME[fmt], trainer_csv(trainer_answers(answers, language), language))
    if fmt == "xlsx":
        return SessionFile(name, MIME[fmt], to_xlsx(records))
    if fmt == "docx":
        from motives.document import policy_docx

        return SessionFile(name, MIME[fmt], policy_docx(records))
    if fmt == "md":
        if document != "report":
            raise MotivesError("export_html_only", document=document)
        return SessionFile(name, MIME[fmt], report.report_md(records))
    content = report.handouts_html(records) if document == "handouts" else report.report_html(records)
    return SessionFile(name, MIME[fmt], content)
