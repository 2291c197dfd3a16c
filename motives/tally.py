"""From the store's rows to tidy pandas frames, and from those to the comparison.

Every function takes and returns frames; nothing here reads the store or
renders anything. The tidy ``answers`` frame has one row per team and motive:
a catalogue motive appears for every team (``applies`` False where the team did
not tick it), an own motive only for the team that wrote it.
"""

from __future__ import annotations

import pandas as pd

from motives.catalogue import SIDES
from motives.store import SessionRecords

ANSWER_COLUMNS = [
    "session",
    "team",
    "side",
    "motive_id",
    "text",
    "origin",
    "applies",
    "importance",
    "updated_at",
]
MOTIVE_KEYS = ["side", "motive_id", "text", "origin"]


def own_motive_id(own_id: int) -> str:
    return f"own-{own_id}"


def answers_frame(records: SessionRecords) -> pd.DataFrame:
    """The tidy long form of a session's answers, in worksheet order."""
    session = records.session
    language = session.language
    ticks = {(a["team_id"], a["motive_id"]): a for a in records.answers}
    rows = []
    for team in records.teams:
        for order, motive in enumerate(session.catalogue.motives):
            answer = ticks.get((team.id, motive.id))
            rows.append(
                {
                    "session": session.code,
                    "team": team.name,
                    "side": motive.side,
                    "motive_id": motive.id,
                    "text": motive.text(language),
                    "origin": "catalogue",
                    "applies": bool(answer and answer["applies"]),
                    "importance": answer["importance"] if answer and answer["applies"] else None,
                    "updated_at": answer["updated_at"] if answer else None,
                    "_order": order,
                }
            )
    names = {team.id: team.name for team in records.teams}
    base = len(session.catalogue.motives)
    for own in records.own:
        rows.append(
            {
                "session": session.code,
                "team": names[own["team_id"]],
                "side": own["side"],
                "motive_id": own_motive_id(own["own_id"]),
                "text": own["text"],
                "origin": "own",
                "applies": True,
                "importance": own["importance"],
                "updated_at": own["updated_at"],
                "_order": base + own["own_id"],
            }
        )
    frame = pd.DataFrame(rows, columns=[*ANSWER_COLUMNS, "_order"])
    frame = frame.astype(
        {
            "session": "str",
            "team": "str",
            "side": "str",
            "motive_id": "str",
            "text": "str",
            "origin": "str",
            "applies": "bool",
            "importance": "Int64",
            "_order": "int64",
        }
    )
    frame["updated_at"] = pd.to_datetime(frame["updated_at"], utc=True)
    side_rank = frame["side"].map({side: rank for rank, side in enumerate(SIDES)})
    team_rank = frame["team"].map({team.name: rank for rank, team in enumerate(records.teams)})
    frame = frame.assign(_side=side_rank, _team=team_rank).sort_values(["_side", "_order", "_team"], kind="stable")
    return frame[ANSWER_COLUMNS].reset_index(drop=True)


def teams_frame(records: SessionRecords) -> pd.DataFrame:
    """One row per team, in the order they joined: whether it answered, and its conclusion."""
    active = {a["team_id"] for a in records.answers if a["applies"]} | {o["team_id"] for o in records.own}
    frame = pd.DataFrame(
        {
            "team": [t.name for t in records.teams],
            "joined_at": [t.joined_at for t in records.teams],
            "answered": [t.id in active or t.conclusion is not None or bool(t.explanation) for t in records.teams],
            "conclusion": [t.conclusion for t in records.teams],
            "explanation": [t.explanation for t in records.teams],
        }
    )
    return frame.astype({"team": "str", "answered": "bool", "conclusion": "str", "explanation": "str"}).assign(
        joined_at=lambda f: pd.to_datetime(f["joined_at"], utc=True)
    )


def team_matrix(answers: pd.DataFrame) -> pd.DataFrame:
    """Motives down, teams across: the importance where the motive applies, NA where it does not."""
    importance = answers["importance"].where(answers["applies"])
    matrix = importance.set_axis(pd.MultiIndex.from_frame(answers[[*MOTIVE_KEYS, "team"]])).unstack("team")
    motives = pd.MultiIndex.from_frame(answers[MOTIVE_KEYS].drop_duplicates())
    teams = pd.Index(answers["team"].drop_duplicates(), name="team")
    return matrix.reindex(index=motives, columns=teams).astype("Int64")


def motive_summary(matrix: pd.DataFrame) -> pd.DataFrame:
    """Per motive: how many teams chose it and their mean importance (NaN when none did)."""
    return pd.DataFrame(
        {
            "teams": matrix.notna().sum(axis=1).astype("int64"),
            "mean_importance": matrix.astype("Float64").mean(axis=1).astype("float64"),
        },
        index=matrix.index,
    )


def comparison(answers: pd.DataFrame) -> pd.DataFrame:
    """The comparison table: every team's importance per motive, then the summary for all teams.

    Columns are two-level, ``("team", name)`` and ``("all", "teams" | "mean_importance")``,
    so that no team name can clash with a summary column.
    """
    matrix = team_matrix(answers)
    return pd.concat({"team": matrix, "all": motive_summary(matrix)}, axis=1)


def balance(answers: pd.DataFrame, teams: pd.DataFrame) -> pd.DataFrame:
    """Per team: number and total importance of the 'for' and the 'against' motives it chose, and its conclusion."""
    chosen = answers[answers["applies"]]
    totals = (
        chosen.groupby(["team", "side"], sort=False)["importance"]
        .agg(["count", "sum"])
        .unstack("side")
        .reindex(index=teams["team"], columns=pd.MultiIndex.from_product([["count", "sum"], ["for", "against"]]))
        .fillna(0)
        .astype("int64")
    )
    frame = pd.DataFrame(
        {
            "for_count": totals[("count", "for")].to_numpy(),
            "for_importance": totals[("sum", "for")].to_numpy(),
            "against_count": totals[("count", "against")].to_numpy(),
            "against_importance": totals[("sum", "against")].to_numpy(),
            "conclusion": teams["conclusion"].to_numpy(),
            "explanation": teams["explanation"].to_numpy(),
        },
        index=pd.Index(teams["team"], name="team"),
    )
    return frame
