"""Exports read back as a spreadsheet or program would read them."""

from __future__ import annotations

import io
import json

import pandas as pd

from motives import export, tally


def test_csv_reads_back_with_unicode_and_formulas_made_harmless(store, session):
    team = store.join(session, "=Team 😀 עברית")
    store.add_own_motive(team, "for", '=HYPERLINK("http://x")')
    store.add_own_motive(team, "against", 'privé, "quoted"\nnext')
    answers = tally.answers_frame(store.records(session))
    back = pd.read_csv(io.StringIO(export.export_answers(answers, "csv")))
    assert back["team"].unique().tolist() == ["'=Team 😀 עברית"]
    own = back[back["origin"] == "own"].sort_values("side")
    assert own["text"].tolist() == ['privé, "quoted" next', '\'=HYPERLINK("http://x")']


def test_json_keeps_types_and_text_as_is(store, session):
    team = store.join(session, "=Team")
    store.set_answer(team, "for-prevention", True, 4)
    rows = json.loads(export.export_answers(tally.answers_frame(store.records(session)), "json"))
    ticked = [r for r in rows if r["applies"]]
    assert ticked == [
        {
            "session": session.code,
            "team": "=Team",
            "side": "for",
            "motive_id": "for-prevention",
            "text": "Beter voorkomen dan genezen.",
            "origin": "catalogue",
            "applies": True,
            "importance": 4,
            "updated_at": ticked[0]["updated_at"],
            "group": "for-prevention",
        }
    ]
    assert ticked[0]["updated_at"].endswith("+00:00")
    assert all(r["importance"] is None and r["updated_at"] is None for r in rows if not r["applies"])
