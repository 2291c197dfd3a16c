"""What a session can be exported to, by name: the formats, the csv tables and the html documents.

Names only, without pandas: the command line offers them (``motives export --format/--table/--document``)
without loading the writers, motives.export and motives.report, which read them too.
"""

from __future__ import annotations

from motives.i18n import N_

# Each format and its media type, as a download names it.
MIME = {
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
    "html": "text/html",
    "md": "text/markdown",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
TABLES = ("answers", "comparison", "data")  # csv: one table; "data" the tidy data format for analysts
DOCUMENTS = ("report", "handouts", "worksheet")  # html: the report, a handout per team, the paper worksheet
# docx: the policy draft, the document the organisation goes on writing (motives/document.py)

# The files offered on the home and the overview, in this order: (label, format, table, document). The label
# says in plain words what the file is for; the file's name comes from motives.export.file_name.
FILES = [
    (N_("dl_report_html"), "html", "answers", "report"),
    (N_("dl_policy_docx"), "docx", "answers", "policy"),
    (N_("dl_handouts"), "html", "answers", "handouts"),
    (N_("dl_worksheet"), "html", "answers", "worksheet"),
    (N_("dl_xlsx"), "xlsx", "answers", "report"),
    (N_("dl_csv_answers"), "csv", "answers", "report"),
    (N_("dl_csv_comparison"), "csv", "comparison", "report"),
    (N_("dl_report_md"), "md", "answers", "report"),
    (N_("dl_data"), "csv", "data", "report"),
    (N_("dl_archive"), "json", "answers", "report"),
]
