"""For the trainer's own notebooks: open the store, choose sessions, and read them as frames.

The trainer reads their own store directly; no trainer key is asked (the key
guards the web pages, not the owner's files). Every table is made by the code
the dashboard uses: :class:`motives.tally.Frames` per session, that is
:mod:`motives.tally`. Nothing here prints or displays; a notebook does.

A first look, on a throwaway store with two demo sessions:

>>> from motives import notebook as nb
>>> store = nb.example_store()
>>> chosen = nb.load(store, nb.sessions(store))
>>> len(chosen.sessions), len(chosen.teams)
(2, 6)
>>> top = chosen.catalogue_motives().iloc[0]
>>> top.name, int(top["teams"]), int(top["of"]), float(top["mean_importance"])
('for-work-private-blur', 4, 6, 4.5)
"""

from __future__ import annotations

import io
import os
import tempfile
import textwrap
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pandas as pd

from motives import tally
from motives.catalogue import SIDES, Catalogue, catalogue_to_toml, default_catalogue, with_motives
from motives.errors import MotivesError
from motives.grouping import OwnText, group_keys
from motives.i18n import message
from motives.models import Session, SessionRecords
from motives.store import Store
from motives.tally import Frames

__all__ = [
    "CONCLUSIONS",
    "LEANS",
    "Reflection",
    "conclusions_chart",
    "example_store",
    "load",
    "motives_chart",
    "open_store",
    "sessions",
    "write_catalogue",
]

SESSION_COLUMNS = ["session", "name", "language", "created_at", "teams"]
# A team leans 'for' when its 'for' motives weigh more than its 'against' motives.
LEANS = ("for", "even", "against")
CONCLUSIONS = ("yes", "not_yet", "no", "none")


# Voilà gives every kernel it starts for a page (or keeps warm for one) these variables.
_VOILA = ("VOILA_KERNEL_ID", "VOILA_REQUEST_URL", "VOILA_BASE_URL", "VOILA_SERVER_URL")


def _refuse_served_pages() -> None:
    """Voilà may be asked for any notebook in its folder: ``motives serve`` renders only the app's pages,
    but Voilà's Jupyter Server extension renders them all.

    The reflection notebooks read every session without a trainer key: they run for the
    owner of the store (JupyterLab, a script), never as a page.
    """
    if any(os.environ.get(name) for name in _VOILA) or os.environ.get("VOILA_PREHEAT") == "True":
        raise MotivesError("err_notebook_served")


def open_store(location: str | os.PathLike[str] | None = None) -> Store:
    """The store ``make run`` uses: ``location`` (a path or URL), else ``MOTIVES_DB``, else the default file.

    Refused in a page that Voilà serves: there, anyone who reaches the server could read every session.

    >>> import tempfile, pathlib
    >>> store = open_store(pathlib.Path(tempfile.mkdtemp()) / "mine.db")
    >>> store.display_url.startswith("sqlite:///"), sessions(store).empty
    (True, True)
    """
    _refuse_served_pages()
    return Store(location)


def example_store(location: str | os.PathLike[str] | None = None) -> Store:
    """A store with two demo sessions (one Dutch, one English), to try things on.

    Without ``location`` it is a new file in a temporary folder, never the trainer's store.

    >>> sessions(example_store())[["language", "teams"]].to_dict("records")
    [{'language': 'en', 'teams': 3}, {'language': 'nl', 'teams': 3}]
    """
    from motives.demo import create_demo

    store = Store(location or Path(tempfile.mkdtemp(prefix="motives-example-")) / "example.db")
    create_demo(store, "nl")
    create_demo(store, "en")
    return store


def _moment(value: date | datetime | str, end: bool = False) -> datetime:
    """A point in time (UTC); a bare date means its first moment, or with ``end`` the first moment after it."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value) if "T" in value or ":" in value else date.fromisoformat(value)
    if not isinstance(value, datetime):
        return datetime.combine(value + timedelta(days=1 if end else 0), time(), UTC)
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def sessions(
    store: Store,
    since: date | datetime | str | None = None,
    until: date | datetime | str | None = None,
    name: str | None = None,
) -> pd.DataFrame:
    """The sessions in the store, newest first: code, name, language, when it was made, number of teams.

    ``since`` and ``until`` take a date (both days included), a datetime or an ISO
    string; ``name`` keeps the sessions whose name contains it (capitals ignored).

    >>> store = example_store()
    >>> sessions(store, name="voorbeeld")["name"].tolist()
    ['DEMO – voorbeeldsessie']
    >>> sessions(store, until="2000-12-31").empty
    True
    """
    summaries = store.sessions()
    frame = pd.DataFrame(
        [(s.code, s.name, s.language, s.created_at, s.teams) for s in summaries], columns=SESSION_COLUMNS
    )
    frame = frame.astype({"session": "str", "name": "str", "language": "str", "teams": "int64"})
    frame["created_at"] = pd.to_datetime(frame["created_at"], utc=True)
    if since is not None:
        frame = frame[frame["created_at"] >= _moment(since)]
    if until is not None:
        limit = _moment(until, end=True)
        frame = (
            frame[frame["created_at"] < limit]
            if not isinstance(until, datetime)
            else frame[frame["created_at"] <= limit]
        )
    if name:
        frame = frame[frame["name"].str.casefold().str.contains(name.casefold(), regex=False)]
    return frame.reset_index(drop=True)


def _codes(store: Store, chosen: pd.DataFrame | Iterable[str] | str | None) -> list[str]:
    if chosen is None:
        return sessions(store)["session"].tolist()
    if isinstance(chosen, str):
        return [chosen]
    if isinstance(chosen, pd.DataFrame):
        return chosen["session"].tolist()
    return list(chosen)


def load(store: Store, chosen: pd.DataFrame | Iterable[str] | str | None = None, language: str = "nl") -> Reflection:
    """Read the chosen sessions (a frame from :func:`sessions`, codes, or None for all) once.

    ``language`` is the language worksheet motives are named in, whatever the session's.

    >>> store = example_store()
    >>> code = sessions(store)["session"].iloc[0]
    >>> one = load(store, code, language="en")
    >>> one.teams.columns.tolist()[:3]
    ['session', 'team', 'joined_at']
    >>> load(store, []).teams.empty
    True
    """
    _refuse_served_pages()
    return Reflection.of(store.records_of(_codes(store, chosen)), language)


@dataclass(frozen=True)
class Reflection:
    """Several sessions read at once.

    ``answers`` and ``teams`` are the dashboard's tidy frames (:mod:`motives.tally`) of
    every session one under the other, each row with its ``session``; ``choices`` is
    the long form of the dashboard's comparison: per group, session and team, the
    importance where the team chose it. :meth:`session` gives one session's frames
    exactly as the dashboard has them.
    """

    language: str
    records: tuple[SessionRecords, ...]
    sessions: pd.DataFrame
    answers: pd.DataFrame
    teams: pd.DataFrame
    choices: pd.Series
    # (catalogue, own_motives table) already worked out: next_catalogue asks again for the same one.
    _own: list[tuple[Catalogue, pd.DataFrame]] = field(default_factory=list, init=False, repr=False, compare=False)

    @classmethod
    def of(cls, records: Iterable[SessionRecords], language: str = "nl") -> Reflection:
        records = tuple(records)
        summary = pd.DataFrame(
            [(r.session.code, r.session.name, r.session.language, r.session.created_at, len(r.teams)) for r in records],
            columns=SESSION_COLUMNS,
        ).astype({"session": "str", "name": "str", "language": "str", "teams": "int64"})
        summary["created_at"] = pd.to_datetime(summary["created_at"], utc=True)
        answers = tally.answers_frames(records)
        # teams_frame reads only teams, answers and own motives, whose ids are unique in the whole store:
        # one call for every session at once.
        together = SessionRecords(
            session=records[0].session if records else _nobody(),
            teams=[t for r in records for t in r.teams],
            answers=[a for r in records for a in r.answers],
            own=[o for r in records for o in r.own],
        )
        teams = tally.teams_frame(together)
        teams.insert(0, "session", pd.array([r.session.code for r in records for _ in r.teams], dtype="str"))
        choices = tally.team_choices(answers, ("session", "team"))
        return cls(language, records, summary, answers, teams, choices)

    def session(self, code: str) -> Frames:
        """The dashboard's frames of one session: answers, teams, comparison, consensus, balance.

        >>> chosen = load(example_store())
        >>> code = chosen.sessions["session"].iloc[0]
        >>> int(chosen.session(code).comparison[("all", "teams")].max())
        2
        """
        for records in self.records:
            if records.session.code == code:
                return Frames.of(records)
        raise KeyError(code)

    def _sides(self) -> pd.Series:
        return self.answers.drop_duplicates("group").set_index("group")["side"]

    def _answered(self) -> pd.Series:
        """Per session, how many of its teams answered (the teams a consensus counts)."""
        counts = self.teams.groupby("session", sort=False)["answered"].sum()
        return counts.reindex(self.sessions["session"], fill_value=0).astype("int64")

    def balance(self) -> pd.DataFrame:
        """Per session and team, as the dashboard's balance: number and total importance for and against.

        >>> table = load(example_store()).balance()
        >>> table.index.names, table.columns.tolist()[:2]
        (FrozenList(['session', 'team']), ['for_count', 'for_importance'])
        """
        choices = self.choices.to_frame("importance").join(self._sides().rename("side"), on="group")
        per_side = choices.groupby(["session", "team", "side"])["importance"].agg(["count", "sum"]).unstack("side")
        index = pd.MultiIndex.from_frame(self.teams[["session", "team"]])
        columns = {}
        for side in ("for", "against"):
            for name, stat in (("count", "count"), ("importance", "sum")):
                values = per_side[stat][side] if side in per_side.get(stat, {}) else pd.Series(dtype="int64")
                columns[f"{side}_{name}"] = values.reindex(index).fillna(0).astype("int64").to_numpy()
        return pd.DataFrame(
            {
                **columns,
                "conclusion": self.teams["conclusion"].to_numpy(),
                "explanation": self.teams["explanation"].to_numpy(),
            },
            index=index,
        )

    def consensus(self) -> pd.DataFrame:
        """Per session and worksheet motive, as the dashboard's 'To talk about': teams, of, lowest, highest, category.

        >>> table = load(example_store()).consensus()
        >>> table["category"].astype(str).value_counts().to_dict()
        {'single': 16, 'split': 4}
        """
        counted = self.choices.groupby(["session", "group"], sort=False).agg(["count", "min", "max"])
        known = {(r.session.code, m.id): m.side for r in self.records for m in r.session.catalogue.motives}
        index = pd.MultiIndex.from_tuples(list(known), names=["session", "group"])
        table = counted.reindex(index)
        chosen = table["count"].fillna(0).astype("int64")
        total = self._answered().reindex(index.get_level_values("session")).to_numpy()
        category = pd.Series("split", index=index)
        category[chosen.to_numpy() == 1] = "single"
        category[(chosen.to_numpy() == total) & (total > 0)] = "shared"
        category[chosen.to_numpy() == 0] = "none"
        return pd.DataFrame(
            {
                "side": list(known.values()),
                "teams": chosen,
                "of": total,
                "lowest": table["min"].astype("Int64"),
                "highest": table["max"].astype("Int64"),
                "category": pd.Categorical(category, categories=tally.CATEGORIES),
            },
            index=index,
        )

    def _texts(self) -> pd.DataFrame:
        """Side and text of every worksheet motive, in the reflection's language (the first catalogue that has it)."""
        texts = {}
        for records in self.records:
            for motive in records.session.catalogue.motives:
                texts.setdefault(motive.id, (motive.side, motive.text(self.language)))
        return pd.DataFrame.from_dict(texts, orient="index", columns=["side", "text"]).rename_axis("motive_id")

    def catalogue_motives(self) -> pd.DataFrame:
        """Every worksheet motive: how many teams chose it across the sessions, of how many, and their mean importance.

        Counted as the dashboard's comparison counts ('all teams'): a team that also
        wrote the motive in its own words counts once. Most chosen first.

        >>> table = load(example_store(), language="en").catalogue_motives()
        >>> table.loc["for-prevention", ["side", "teams", "of", "share", "mean_importance"]].to_dict()
        {'side': 'for', 'teams': 4, 'of': 6, 'share': 0.67, 'mean_importance': 3.5}
        >>> table.loc["for-public-communication", "text"]
        'This is public communication, and it has to be streamlined.'
        """
        texts = self._texts()
        per_group = self.choices.astype("Float64").groupby(level="group").agg(["count", "mean"])
        # A motive counts against the teams that answered in the sessions whose catalogue holds it.
        answered = self._answered()
        of = {
            motive_id: int(sum(answered[r.session.code] for r in self.records if motive_id in r.session.catalogue.ids))
            for motive_id in texts.index
        }
        table = texts.assign(
            teams=per_group["count"].reindex(texts.index).fillna(0).astype("int64"),
            of=pd.Series(of, dtype="int64"),
        )
        table["share"] = (table["teams"] / table["of"].where(table["of"] > 0)).astype("float64").round(2)
        table["mean_importance"] = per_group["mean"].reindex(texts.index).astype("float64").round(2)
        return table.sort_values(["teams", "mean_importance"], ascending=False, kind="stable", na_position="last")

    def splits(self) -> pd.DataFrame:
        """Per worksheet motive: in how many sessions it split the teams (chosen by more than one, not all).

        Only a session with at least three teams that answered can split a motive
        rather than share it or leave it to one. Most often split first.

        >>> table = load(example_store()).splits()
        >>> table.loc["for-prevention", ["split", "shared", "sessions"]].tolist()
        [2, 0, 2]
        """
        consensus = self.consensus().reset_index()
        counts = pd.crosstab(consensus["group"], consensus["category"]).reindex(
            columns=list(tally.CATEGORIES), fill_value=0
        )
        table = self._texts().join(counts, how="inner")
        table["sessions"] = len(self.records)
        table = table.astype({c: "int64" for c in [*tally.CATEGORIES, "sessions"]})
        return table.sort_values(["split", "shared"], ascending=False, kind="stable")

    def own_motives(self, catalogue: Catalogue | None = None) -> pd.DataFrame:
        """The teams' own motives across sessions, grouped as the dashboard groups them; most teams first.

        Within a session the dashboard's groups hold (the trainer's merges and splits
        included); groups of different sessions that say the same thing are joined by
        the same matching (:func:`motives.grouping.group_keys`). Own motives that say
        what the worksheet or ``catalogue`` already says are left out. A row is named by the
        wording most teams used; ``variants`` lists every wording.

        >>> table = load(example_store()).own_motives()
        >>> table[["side", "teams", "sessions"]].head(1).to_dict("records")
        [{'side': 'for', 'teams': 2, 'sessions': 2}]
        """
        catalogue = catalogue or default_catalogue()
        known = next((table for seen, table in self._own if seen == catalogue), None)
        if known is None:
            known = self._own_motives(catalogue)
            self._own.append((catalogue, known))
        return known.assign(variants=known["variants"].map(list))  # a copy the caller may change

    def _own_motives(self, catalogue: Catalogue) -> pd.DataFrame:
        columns = ["side", "text", "teams", "sessions", "mean_importance", "variants", "language"]
        own = tally.own_groups(self.answers)
        worksheet = {motive_id for r in self.records for motive_id in r.session.catalogue.ids}
        own = own[~own["group"].isin(worksheet)]
        if own.empty:
            return pd.DataFrame(columns=columns).rename_axis("group")
        own = own.assign(
            own_id=own["motive_id"].str.removeprefix("own-").astype("int64"),
            session=self.answers.loc[self.answers["origin"] == "own"]
            .set_index("motive_id")["session"]
            .reindex(own["motive_id"])
            .to_numpy(),
        )
        # The dashboard labels a group with its first motive: the same head here, for the matching across sessions.
        heads = own.drop_duplicates("group")
        texts = zip(heads["own_id"].tolist(), heads["side"].tolist(), heads["text"].tolist(), strict=True)
        keys = group_keys(catalogue, [OwnText(*head) for head in texts], {})
        own["key"] = own["group"].map(dict(zip(heads["group"], [keys[i] for i in heads["own_id"]], strict=True)))
        own = own[~own["key"].isin(catalogue.ids)]
        languages = dict(zip(self.sessions["session"], self.sessions["language"], strict=True))
        grouped = own.groupby("key", sort=False)
        first = grouped.first()
        # Whole-frame operations, not a function per group: 1,000 sessions hold some 20,000 groups.
        wordings = own.groupby(["key", "text"], sort=False).size().sort_values(ascending=False, kind="stable")
        wording = wordings.reset_index().drop_duplicates("key").set_index("key")["text"]
        table = pd.DataFrame(
            {
                "side": first["side"],
                "text": wording.reindex(first.index),
                "teams": own.drop_duplicates(["key", "session", "team"]).groupby("key", sort=False).size(),
                "sessions": grouped["session"].nunique().astype("int64"),
                "mean_importance": grouped["importance"].mean().astype("float64").round(2),
                "variants": grouped["text"].unique().map(list),
                "language": first["session"].map(languages),
            }
        ).rename_axis("group")
        return table.sort_values(["teams", "mean_importance"], ascending=False, kind="stable")

    def next_catalogue(self, top: int = 5, min_teams: int = 2, base: Catalogue | None = None) -> Catalogue:
        """The worksheet (or ``base``) grown by the ``top`` own motives that at least ``min_teams`` teams wrote.

        The same growth as ``motives catalogue add-from``: fresh stable ids, and a
        text the catalogue already holds is not added twice.

        >>> grown = load(example_store()).next_catalogue(top=2, min_teams=2)
        >>> [m.id for m in grown.motives[len(default_catalogue().motives):]]
        ['for-own-jongeren-sturen-ons-s-avonds-berichten', 'for-own-een-buurtbewoner-deelde-foto-s-van']
        """
        base = base or default_catalogue()
        own = self.own_motives(base)
        own = own[own["teams"] >= min_teams].head(top)
        return with_motives(base, [(r.side, {r.language: r.text}) for r in own.itertuples()])

    def leaning(self) -> pd.DataFrame:
        """Every team that answered: its balance, which way it leans, and its conclusion ('none' when it gave none).

        >>> table = load(example_store()).leaning()
        >>> table[["lean", "conclusion"]].astype(str).value_counts().to_dict()
        {('for', 'yes'): 4, ('against', 'not_yet'): 2}
        """
        table = self.balance()[self.teams["answered"].to_numpy()].copy()
        difference = table["for_importance"] - table["against_importance"]
        table["lean"] = pd.Categorical(
            ["for" if d > 0 else "against" if d < 0 else "even" for d in difference], categories=LEANS
        )
        table["conclusion"] = pd.Categorical(table["conclusion"].fillna("none"), categories=CONCLUSIONS)
        return table

    def conclusions_by_lean(self) -> pd.DataFrame:
        """How many teams came to each conclusion, by the way their balance leans: leans down, conclusions across.

        >>> load(example_store()).conclusions_by_lean().loc["for"].tolist()
        [4, 0, 0, 0]
        """
        leaning = self.leaning()
        table = pd.crosstab(leaning["lean"], leaning["conclusion"], dropna=False)
        return table.reindex(index=list(LEANS), columns=list(CONCLUSIONS), fill_value=0).astype("int64")


def _nobody() -> Session:
    return Session(0, "", "", "nl", default_catalogue(), datetime.now(UTC), trainer_key="")


def write_catalogue(catalogue: Catalogue, path: str | os.PathLike[str]) -> Path:
    """Write ``catalogue`` as a file to start a session with (``motives session new NAME --catalogue PATH``).

    >>> import tempfile, pathlib
    >>> path = write_catalogue(default_catalogue(), pathlib.Path(tempfile.mkdtemp()) / "next.toml")
    >>> path.read_text(encoding="utf-8").startswith("# A motives catalogue")
    True
    """
    path = Path(path)
    path.write_text(catalogue_to_toml(catalogue), encoding="utf-8")
    return path


# --- charts: PNG bytes, readable in black and white ---------------------------------

HATCHES = {"for": "", "against": "//"}
CONCLUSION_HATCHES = {"yes": "", "not_yet": "..", "no": "//", "none": "xx"}
CONCLUSION_SHADES = {"yes": "#0b6e4f", "not_yet": "#d0d7de", "no": "#b35c00", "none": "#ffffff"}


def _plain(text: str) -> str:
    # matplotlib reads $…$ as mathematics; motive texts are plain text.
    return text.replace("$", r"\$")


def _png(fig) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=110)
    return buffer.getvalue()


def motives_chart(table: pd.DataFrame, language: str, title: str, xlabel: str) -> bytes:
    """Horizontal bars, one per motive of ``table`` (from :meth:`Reflection.catalogue_motives`), as a PNG.

    The bar's length is the number of teams; its label names the side and the mean
    importance, and 'against' bars are hatched, so that nothing rests on colour alone.

    >>> png = motives_chart(load(example_store()).catalogue_motives(), "nl", "Gekozen", "Teams")
    >>> png[:4]
    b'\\x89PNG'
    """
    from matplotlib.figure import Figure

    table = table.iloc[::-1]
    height = max(2.5, 0.55 * len(table) + 1.5)
    fig = Figure(figsize=(10, height), layout="constrained")
    ax = fig.subplots()
    labels = [
        _plain(textwrap.shorten(f"[{message(language, f'side_{side}')}] {text}", 90, placeholder=" …"))
        for side, text in zip(table["side"], table["text"], strict=True)
    ]
    positions = range(len(table))
    colours = [SIDE_SHADES[s] for s in table["side"]]
    bars = ax.barh(positions, table["teams"], color=colours, edgecolor="#1f2328", linewidth=0.6)
    for bar, side in zip(bars, table["side"], strict=True):
        bar.set_hatch(HATCHES[side])
    for p, (n, mean) in enumerate(zip(table["teams"], table["mean_importance"], strict=True)):
        ax.text(n, p, f" {n} · ⌀ {'—' if pd.isna(mean) else f'{mean:.1f}'}", va="center", fontsize=9)
    ax.set_yticks(list(positions), labels, fontsize=9)
    ax.set_title(_plain(title))
    ax.set_xlabel(_plain(xlabel))
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.margins(x=0.15)
    ax.spines[["top", "right"]].set_visible(False)
    from matplotlib.patches import Patch

    ax.legend(
        handles=[
            Patch(facecolor=SIDE_SHADES[s], hatch=HATCHES[s], edgecolor="#1f2328", label=message(language, f"side_{s}"))
            for s in reversed(SIDES)
        ],
        loc="lower right",
    )
    return _png(fig)


SIDE_SHADES = {"for": "#8fc1a9", "against": "#f2c49b"}


def conclusions_chart(table: pd.DataFrame, language: str, title: str, xlabel: str, leans: dict[str, str]) -> bytes:
    """Stacked bars from :meth:`Reflection.conclusions_by_lean`: per lean, the teams by conclusion, as a PNG.

    Each conclusion has its own hatching and its count written in the bar; ``leans``
    names the three leans ('for', 'even', 'against') in the notebook's language.

    >>> table = load(example_store()).conclusions_by_lean()
    >>> conclusions_chart(table, "en", "Conclusions", "Teams", {"for": "for", "even": "even", "against": "against"})[:4]
    b'\\x89PNG'
    """
    from matplotlib.figure import Figure

    fig = Figure(figsize=(9, 3.6), layout="constrained")
    ax = fig.subplots()
    positions = list(range(len(table)))
    left = [0] * len(table)
    for conclusion in table.columns:
        values = table[conclusion].tolist()
        label = message(language, f"conclusion_{conclusion}" if conclusion != "none" else "conclusion_none")
        ax.barh(
            positions,
            values,
            left=left,
            color=CONCLUSION_SHADES[conclusion],
            hatch=CONCLUSION_HATCHES[conclusion],
            edgecolor="#1f2328",
            linewidth=0.6,
            label=_plain(label),
        )
        for p, (start, n) in enumerate(zip(left, values, strict=True)):
            if n:
                ax.text(
                    start + n / 2,
                    p,
                    str(n),
                    ha="center",
                    va="center",
                    fontsize=10,
                    bbox={"facecolor": "white", "edgecolor": "none", "pad": 1},
                )
        left = [a + b for a, b in zip(left, values, strict=True)]
    ax.set_yticks(positions, [_plain(leans[lean]) for lean in table.index])
    ax.invert_yaxis()
    ax.set_title(_plain(title))
    ax.set_xlabel(_plain(xlabel))
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.spines[["top", "right"]].set_visible(False)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.25), ncols=len(table.columns), frameon=False)
    return _png(fig)
