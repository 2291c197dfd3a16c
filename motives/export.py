"""Writing a session's answers to files, in the tidy long form."""

from __future__ import annotations

import json
from typing import Literal

import pandas as pd

Format = Literal["csv", "json"]
FORMATS: tuple[str, ...] = ("csv", "json")


def _neutralise(text: object) -> object:
    # A spreadsheet runs a cell that starts like a formula; a leading apostrophe keeps it text.
    if isinstance(text, str) and text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + text
    return text


def answers_to_csv(answers: pd.DataFrame) -> str:
    frame = answers.copy()
    for column in ("team", "text"):
        frame[column] = frame[column].map(_neutralise)
    frame["updated_at"] = frame["updated_at"].map(lambda t: "" if pd.isna(t) else t.isoformat())
    return frame.to_csv(index=False, lineterminator="\n")


def answers_to_json(answers: pd.DataFrame) -> str:
    records = [
        {
            **row,
            "importance": None if pd.isna(row["importance"]) else int(row["importance"]),
            "updated_at": None if pd.isna(row["updated_at"]) else row["updated_at"].isoformat(),
        }
        for row in answers.astype(object).to_dict(orient="records")
    ]
    return json.dumps(records, ensure_ascii=False, indent=2) + "\n"


def export_answers(answers: pd.DataFrame, fmt: str) -> str:
    if fmt == "csv":
        return answers_to_csv(answers)
    if fmt == "json":
        return answers_to_json(answers)
    raise ValueError(f"unknown export format {fmt!r} (known: {', '.join(FORMATS)})")
