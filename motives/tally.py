"""From the store's rows to tidy pandas frames, and from those to the comparison.

Every function takes and returns frames; nothing here reads the store or
renders anything. The tidy ``answers`` frame has one row per team and motive:
a catalogue motive appears for every team (``applies`` False where the team did
not tick it), an own motive only for the team that wrote it.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any

import pandas as pd

from motives.catalogue import with_motives
from motives.grouping import Grouper, OwnText
from motives.likeness import Likeness, team_likeness
from motives.models import (
    CONCLUSIONS,
    SIDES,
    Catalogue,
    GroupPicture,
    PictureItem,
    Session,
    SessionRecords,
    own_motive_id,
    own_number,
)

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
    "group",
]
CATEGORIES = ("shared", "split", "single", "none")
# The columns of a balance that add up to the whole group's.
_TOTALS = ["for_count", "for_importance", "against_count", "against_importance"]


@dataclass(frozen=True)
class Frames:
    """Every table of one session, built once from its records: what the dashboard, the report
    and the revealed comparison show."""

    session: Session
    answers: pd.DataFrame
    teams: pd.DataFrame
    matrix: pd.DataFrame
    comparison: pd.DataFrame
    consensus: pd.DataFrame
    balance: pd.DataFrame
    likeness: Likeness  # which of the teams that answered think alike

    @classmethod
    def of(cls, records: SessionRecords, grouper: Grouper | None = None) -> Frames:
        """The frames of ``records``; ``grouper`` as for :func:`answers_frame`."""
        answers = answers_frame(records, grouper)
        teams = teams_frame(records)
        matrix = team_matrix(answers)  # the comparison, the consensus and the balance all start from it
        answered = teams.loc[teams["answered"], "team"].tolist()
        return cls(
            session=records.session,
            answers=answers,
            teams=teams,
            matrix=matrix,
            comparison=_comparison(matrix),
            consensus=consensus(matrix, answered),
            balance=balance(answers, teams),
            likeness=team_likeness(answers, answered),
        )


def fingerprint(*frames: pd.DataFrame) -> str:
    """A short digest of the frames' labels and values: equal digests, equal frames (to skip a redraw)."""
    digest = hashlib.blake2b(digest_size=16)
    for frame in frames:
        digest.update(repr((list(frame.columns), frame.shape)).encode())
        digest.update(pd.util.hash_pandas_object(frame).to_numpy().tobytes())  # the index too, by default
    return digest.hexdigest()


def answers_frame(records: SessionRecords, grouper: Grouper | None = None, language: str | None = None) -> pd.DataFrame:
    """The tidy long form of a session's answers, in worksheet order.

    A caller that tallies the same session again and again (the dashboard)
    passes the same ``grouper`` each time, so own motives are compared only
    when they are new or changed; the result is the same either way.
    Worksheet motives are in ``language``, by default the session's own: a
    dashboard that shows another session beside its own reads it in its language.
    """
    return answers_frames([records], grouper, language)


def answers_frames(
    many: Iterable[SessionRecords], grouper: Grouper | None = None, language: str | None = None
) -> pd.DataFrame:
    """The tidy answers of several sessions as one frame, session after session (a trainer's notebook reads 1,000)."""
    fresh: dict[int, Grouper] = {}  # by catalogue: sessions read together share their catalogue object

    def grouper_for(records: SessionRecords) -> Grouper:
        catalogue = records.session.catalogue
        if grouper is not None and grouper.catalogue == catalogue:
            return grouper
        if id(catalogue) not in fresh:
            fresh[id(catalogue)] = Grouper(catalogue)
        return fresh[id(catalogue)].fresh(records.session.language)

    columns: dict[str, list] = {name: [] for name in [*ANSWER_COLUMNS, "_order", "_team", "_session"]}
    for number, records in enumerate(many):
        _add_rows(columns, records, number, grouper_for(records), language)
    frame = pd.DataFrame(columns)
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
            "_team": "int64",
            "_session": "int64",
        }
    )
    frame["updated_at"] = pd.to_datetime(frame["updated_at"], utc=True)
    side_rank = frame["side"].map({side: rank for rank, side in enumerate(SIDES)})
    # Several keys: pandas sorts them with a stable lexsort, so rows that tie keep their order.
    frame = frame.assign(_side=side_rank).sort_values(["_session", "_side", "_order", "_team"])
    return frame[ANSWER_COLUMNS].reset_index(drop=True)


def _add_rows(
    columns: dict[str, list], records: SessionRecords, number: int, grouper: Grouper, language: str | None = None
) -> None:
    """Append the session's rows to ``columns``, a list per column (a trainer's notebook reads 200,000 rows)."""
    session = records.session
    language = language or session.language
    motives = session.catalogue.motives
    ticks = {(a["team_id"], a["motive_id"]): a for a in records.answers}
    texts = [motive.text(language) for motive in motives]
    catalogue = [
        (team.name, rank, order, motive, text, ticks.get((team.id, motive.id)))
        for rank, team in enumerate(records.teams)
        for order, (motive, text) in enumerate(zip(motives, texts, strict=True))
    ]
    rank = {team.id: number for number, team in enumerate(records.teams)}
    names = {team.id: team.name for team in records.teams}
    groups = grouper.keys([OwnText(o["own_id"], o["side"], o["text"]) for o in records.own], records.links)
    own = records.own
    count = len(catalogue) + len(own)
    columns["session"] += [session.code] * count
    columns["team"] += [name for name, *_ in catalogue] + [names[o["team_id"]] for o in own]
    columns["side"] += [motive.side for _, _, _, motive, _, _ in catalogue] + [o["side"] for o in own]
    columns["motive_id"] += [motive.id for _, _, _, motive, _, _ in catalogue]
    columns["motive_id"] += [own_motive_id(o["own_id"]) for o in own]
    columns["text"] += [text for *_, text, _ in catalogue] + [o["text"] for o in own]
    columns["origin"] += ["catalogue"] * len(catalogue) + ["own"] * len(own)
    columns["applies"] += [bool(a and a["applies"]) for *_, a in catalogue] + [True] * len(own)
    columns["importance"] += [a["importance"] if a and a["applies"] else None for *_, a in catalogue]
    columns["importance"] += [o["importance"] for o in own]
    columns["updated_at"] += [a["updated_at"] if a else None for *_, a in catalogue] + [o["updated_at"] for o in own]
    columns["group"] += [motive.id for _, _, _, motive, _, _ in catalogue] + [groups[o["own_id"]] for o in own]
    columns["_order"] += [order for _, _, order, *_ in catalogue] + [len(motives) + o["own_id"] for o in own]
    columns["_team"] += [team_rank for _, team_rank, *_ in catalogue] + [rank[o["team_id"]] for o in own]
    columns["_session"] += [number] * count


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


def motive_rows(answers: pd.DataFrame) -> pd.DataFrame:
    """One row per group in worksheet order, labelled by its first motive (the catalogue's, if any)."""
    first = answers.drop_duplicates("group")
    return first[["side", "group", "text", "origin"]].reset_index(drop=True)


def rows_by_group(rows: pd.DataFrame) -> dict[str, Any]:
    """The rows of :func:`motive_rows` by group key: a group's side, label (``text``) and origin."""
    return {row.group: row for row in rows.itertuples()}


def team_matrix(answers: pd.DataFrame) -> pd.DataFrame:
    """Groups down, teams across: the importance where the team chose a motive of the group, NA where not.

    A team that ticked a catalogue motive and also wrote it in its own words
    counts once, with the higher importance.
    """
    rows = motive_rows(answers)
    teams = pd.Index(answers["team"].drop_duplicates())  # named 'team', as the column
    values = team_choices(answers).unstack("team")
    matrix = values.reindex(index=rows["group"], columns=teams).astype("Int64")
    matrix.index = pd.MultiIndex.from_frame(rows)
    return matrix


def team_choices(answers: pd.DataFrame, by: tuple[str, ...] = ("team",)) -> pd.Series:
    """The long form of :func:`team_matrix`: the importance per group and team, where the team chose the group.

    ``by`` names the team; ``("session", "team")`` tells apart teams of several sessions.
    """
    chosen = answers[answers["applies"]]
    return chosen.groupby(["group", *by], sort=False)["importance"].max()


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
    return _comparison(team_matrix(answers))


def _comparison(matrix: pd.DataFrame) -> pd.DataFrame:
    return pd.concat({"team": matrix, "all": motive_summary(matrix)}, axis=1)


def consensus(matrix: pd.DataFrame, teams: list[str] | None = None) -> pd.DataFrame:
    """What to talk about: per motive, how many of the teams chose it, their importance range, and its category.

    ``teams`` are the teams that count (by default every column); a team that
    has not answered yet should not make a motive look less shared. The counting
    and the categories are :func:`consensus_of`'s, which the reflection notebook
    applies to many sessions at once; this adds who chose each motive.
    """
    matrix = matrix[list(matrix.columns) if teams is None else teams]
    table = consensus_of(matrix.stack().dropna(), matrix.index, matrix.shape[1])
    table["chosen_by"] = [
        [team for team, value in zip(matrix.columns, row, strict=True) if pd.notna(value)]
        for row in matrix.itertuples(index=False)
    ]
    return table


def consensus_of(choices: pd.Series, rows: pd.Index, of: int | Sequence[int]) -> pd.DataFrame:
    """The one rule of consensus: per row, how many teams chose it, of how many, their importance range, its category.

    ``choices`` holds the importance where a team chose a motive, its index the
    levels of ``rows`` and then the team's; ``of`` is the number of teams that
    count, for every row or per row. Categories: ``shared`` (every team counted
    chose it), ``split`` (more than one team, not all), ``single`` (exactly one
    team) and ``none`` (no team; with no team counted, nothing is shared).
    Counts and ranges only: with a handful of teams, averages and spreads would
    pretend to a precision that is not there.
    """
    levels = list(rows.names)
    counted = choices.groupby(level=levels).agg(["count", "min", "max"]).reindex(rows)
    chosen = counted["count"].fillna(0).astype("int64").to_numpy()
    total = pd.Series(of, index=rows, dtype="int64").to_numpy()  # one number for every row, or one per row
    category = pd.Series("split", index=rows)
    category[chosen == 1] = "single"
    category[chosen == total] = "shared"
    category[chosen == 0] = "none"  # last: with no team counted, nothing is shared
    return pd.DataFrame(
        {
            "teams": chosen,
            "of": total,
            "lowest": counted["min"].astype("Int64").array,
            "highest": counted["max"].astype("Int64").array,
            "category": pd.Categorical(category, categories=CATEGORIES),
        },
        index=rows,
    )


def balance(answers: pd.DataFrame, teams: pd.DataFrame, by: tuple[str, ...] = ("team",)) -> pd.DataFrame:
    """Per team: number and total importance of the 'for' and the 'against' motives it chose, and its conclusion.

    A team that ticked a worksheet motive and also wrote it in its own words counts
    it once, with the higher importance (as :func:`team_matrix`). ``by`` names a
    team, as for :func:`team_choices`: ``("session", "team")`` for several sessions.
    """
    chosen = answers[answers["applies"]]
    per_group = chosen.groupby([*by, "group"]).agg(side=("side", "first"), importance=("importance", "max"))
    per_side = per_group.groupby([*by, "side"])["importance"].agg(["count", "sum"]).unstack("side")
    index = teams.set_index(list(by)).index
    columns = {}
    for side in ("for", "against"):
        for name, stat in (("count", "count"), ("importance", "sum")):
            values = per_side[(stat, side)] if (stat, side) in per_side.columns else pd.Series(dtype="int64")
            columns[f"{side}_{name}"] = values.reindex(index).fillna(0).astype("int64").to_numpy()
    return pd.DataFrame(
        {
            **columns,
            "conclusion": teams["conclusion"].to_numpy(),
            "explanation": teams["explanation"].to_numpy(),
        },
        index=index,
    )


def group_total(balance: pd.DataFrame) -> pd.Series:
    """The whole group's balance: the teams' counts and importances added up."""
    return balance[_TOTALS].sum().astype("int64")


def own_groups(answers: pd.DataFrame) -> pd.DataFrame:
    """Every own motive with its group, in the order the answers have them."""
    own = answers[answers["origin"] == "own"][["group", "side", "motive_id", "text", "team", "importance"]]
    return own.reset_index(drop=True)


GROWTH_COLUMNS = ["side", "text", "teams", "sessions", "mean_importance", "variants", "language"]


def catalogue_growth(
    many: Sequence[SessionRecords], base: Catalogue, answers: pd.DataFrame | None = None
) -> pd.DataFrame:
    """The one rule by which sessions grow a catalogue (the home's "grow from sessions", ``motives
    catalogue add-from`` and the reflection notebooks all use it): the teams' own motives across the
    sessions, most teams first.

    Within a session the dashboard's groups hold (the trainer's merges and splits included); groups
    of different sessions that say the same thing are one, their teams added up, by the same matching
    (:func:`motives.grouping.group_keys`). An own motive that says what a session's worksheet or
    ``base`` already says is left out. A row is named by the wording most teams used, in the language
    of the first session that used it; ``variants`` lists every wording. ``answers`` are the sessions' tidy answers
    (:func:`answers_frames`), when the caller has them already.
    """
    answers = answers_frames(many) if answers is None else answers
    own = own_groups(answers)
    worksheet = {motive_id for r in many for motive_id in r.session.catalogue.ids}
    own = own[~own["group"].isin(worksheet)]
    if own.empty:
        return pd.DataFrame(columns=GROWTH_COLUMNS).rename_axis("group")
    own = own.assign(
        own_id=own["motive_id"].map(own_number).astype("int64"),
        session=answers.loc[answers["origin"] == "own"]
        .set_index("motive_id")["session"]
        .reindex(own["motive_id"])
        .to_numpy(),
    )
    # The dashboard labels a group with its first motive: the same head here, for the matching across sessions.
    heads = own.drop_duplicates("group")
    languages = {r.session.code: r.session.language for r in many}
    # Each head read in its own session's language, as its session's overview read it.
    texts = zip(
        heads["own_id"].tolist(),
        heads["side"].tolist(),
        heads["text"].tolist(),
        heads["session"].map(languages).tolist(),
        strict=True,
    )
    keys = Grouper(base).keys([OwnText(*head) for head in texts], {})
    own["key"] = own["group"].map(dict(zip(heads["group"], [keys[i] for i in heads["own_id"]], strict=True)))
    own = own[~own["key"].isin(base.ids)]
    grouped = own.groupby("key", sort=False)
    first = grouped.first()
    # Whole-frame operations, not a function per group: 1,000 sessions hold some 20,000 groups.
    wordings = own.groupby(["key", "text"], sort=False).size().sort_values(ascending=False, kind="stable")
    wording = wordings.reset_index().drop_duplicates("key").set_index("key")["text"].reindex(first.index)
    # The language of the wording's first session: a group may hold the same motive in two languages.
    said_in = own.drop_duplicates(["key", "text"]).set_index(["key", "text"])["session"].map(languages)
    table = pd.DataFrame(
        {
            "side": first["side"],
            "text": wording,
            "teams": own.drop_duplicates(["key", "session", "team"]).groupby("key", sort=False).size(),
            "sessions": grouped["session"].nunique().astype("int64"),
            "mean_importance": grouped["importance"].mean().astype("float64").round(2),
            "variants": grouped["text"].unique().map(list),
            "language": said_in.reindex(list(zip(wording.index, wording, strict=True))).to_numpy(),
        }
    ).rename_axis("group")
    return table.sort_values(["teams", "mean_importance"], ascending=False, kind="stable")


def grown_catalogue(base: Catalogue, growth: pd.DataFrame, min_teams: int = 1, top: int | None = None) -> Catalogue:
    """``base`` grown by the rows of ``growth`` (:func:`catalogue_growth`) that at least ``min_teams`` teams
    wrote, the ``top`` first (all without it), each under a fresh stable id in its session's language."""
    rows = growth[growth["teams"] >= min_teams]
    rows = rows if top is None else rows.head(top)
    return with_motives(base, [(r.side, {r.language: r.text}) for r in rows.itertuples()])


def sessions_overview(sessions: list[tuple[str, str, pd.DataFrame, pd.DataFrame]], top: int = 3) -> pd.DataFrame:
    """Sessions side by side: teams, the group's balance, the motives chosen most, and the conclusions.

    ``sessions`` holds (code, name, answers, teams) per session.
    """
    rows = []
    for code, name, answers, teams in sessions:
        matrix = team_matrix(answers)
        totals = group_total(balance(answers, teams))  # all 0 for a session no team joined
        counts = matrix.notna().sum(axis=1)
        most = counts[counts > 0].sort_values(ascending=False, kind="stable").head(top)
        conclusions = teams["conclusion"].value_counts()
        rows.append(
            {
                "session": code,
                "name": name,
                "teams": len(teams),
                **{key: int(totals[key]) for key in _TOTALS},
                "most_chosen": [(text, int(n)) for (_side, _group, text, _origin), n in most.items()],
                **{f"conclusion_{c}": int(conclusions.get(c, 0)) for c in CONCLUSIONS},
            }
        )
    return pd.DataFrame(rows).set_index("session") if rows else pd.DataFrame()


# The revealed picture shows at most this many motives per side, the most chosen first: what a team
# page receives stays bounded, whatever a team wrote (10 teams of 100 own motives of 500 characters
# sent every page 2.2 MB per change on main).
PICTURE_ITEMS = 40


@dataclass(frozen=True)
class SharedPicture:
    """The group's picture once for every team of a session (:meth:`for_team` is plain Python)."""

    total: int
    items: tuple[PictureItem, ...]
    importances: tuple[dict[str, int], ...]  # per item: team → importance
    more: tuple[tuple[str, int], ...]
    conclusions: tuple[tuple[str, str | None], ...]
    revision: int = 0

    def for_team(self, team: str) -> GroupPicture:
        pairs = zip(self.items, self.importances, strict=True)
        items = tuple(replace(item, ours=chosen.get(team)) for item, chosen in pairs)
        return GroupPicture(self.total, items, self.more, self.conclusions, team, self.revision)


def shared_picture(frames: Frames, revision: int = 0, most: int = PICTURE_ITEMS) -> SharedPicture:
    """The revealed picture of ``frames`` (of the session at ``revision``): per side, the ``most``
    motives most teams chose first."""
    comparison = frames.comparison
    sides = comparison.index.get_level_values("side")
    chosen = comparison[("all", "teams")].astype("int64").to_numpy()
    means = comparison[("all", "mean_importance")].to_numpy()
    teams = comparison["team"]
    items, importances, more = [], [], []
    for side in ("for", "against"):
        rows = sorted((i for i, found in enumerate(sides) if found == side), key=lambda i: -chosen[i])
        more.append((side, max(0, len(rows) - most)))
        for i in rows[:most]:
            mean = float(means[i])
            items.append(
                PictureItem(side, str(comparison.index[i][2]), int(chosen[i]), None if math.isnan(mean) else mean)
            )
            row = teams.iloc[i]
            importances.append({str(name): int(value) for name, value in row.items() if not pd.isna(value)})
    conclusions = tuple(
        (str(row.team), row.conclusion if isinstance(row.conclusion, str) else None)
        for row in frames.teams.itertuples()
    )
    return SharedPicture(len(frames.teams), tuple(items), tuple(importances), tuple(more), conclusions, revision)
