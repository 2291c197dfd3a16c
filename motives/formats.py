"""What a session can be exported to, by name: the formats, the csv tables and the html documents.

Names only, without pandas: the command line offers them (``motives export --format/--table/--document``)
without loading the writers, motives.export and motives.report, which read them too.
"""

from __future__ import annotations

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
