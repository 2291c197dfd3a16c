"""For the trainer's own notebooks: open the store, choose sessions, and read them as frames.

The trainer reads their own store directly; no trainer key is asked (the key
guards the web pages, not the owner's files). Every table is made by the code
the dashboard uses: :class:`motives.tally.Frames` per session, that is
:mod:`motives.tally`.

A reflection notebook (notebooks/reflect*.ipynb, made by scripts/make-reflect) is its
narrative and a short call per section: the section's function here (``motives_view``,
``own_motives_view``, …) returns what the cell shows, in the notebook's language
(:class:`Shown`), and prints nothing itself.

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

import os
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pandas as pd
from IPython.display import Image, Markdown
from pandas.io.formats.style import Styler

from motives import tally
from motives.catalogue import catalogue_to_toml, default_catalogue
from motives.charts import conclusions_chart, motives_chart
from motives.errors import MotivesError
from motives.i18n import DEFAULT_LANGUAGE, LOCALES, N_, day, language_or_default, message, teams
from motives.models import CONCLUSIONS, NO_CONCLUSION, Catalogue, Session, SessionRecords
from motives.request import Request
from motives.settings import Settings
from motives.store import Store
from motives.tally import Frames

__all__ = [
    "CONCLUSIONS_OR_NONE",
    "LEANS",
    "Reflection",
    "Shown",
    "chosen_summary",
    "conclusions_view",
    "example_store",
    "load",
    "motives_view",
    "next_catalogue_view",
    "open_store",
    "output_path",
    "own_motives_view",
    "session_picker",
    "sessions",
    "splits_view",
    "store_summary",
    "write_catalogue",
]

SESSION_COLUMNS = ["session", "name", "language", "created_at", "teams"]
# A team leans 'for' when its 'for' motives weigh more than its 'against' motives.
LEANS = ("for", "even", "against")
# A team's conclusion in the reflection's tables, or none yet.
CONCLUSIONS_OR_NONE = (*CONCLUSIONS, NO_CONCLUSION)


def _refuse_served_pages() -> None:
    """Voilà may be asked for any notebook in its folder: ``motives serve`` renders only the app's pages,
    but Voilà's Jupyter Server extension renders them all.

    The reflection notebooks read every session without a trainer key: they run for the
    owner of the store (JupyterLab, a script), never as a page.
    """
    if Request.from_env().served:
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
    return Store(location, settings=Settings.from_env())  # the entry point of a notebook: settings read here


def example_store(location: str | os.PathLike[str] | None = None) -> Store:
    """A store with two demo sessions (one Dutch, one English), to try things on.

    Without ``location`` it is a new file in a temporary folder, never the trainer's store.

    >>> sessions(example_store())[["language", "teams"]].to_dict("records")
    [{'language': 'en', 'teams': 3}, {'language': 'nl', 'teams': 3}]
    """
    from motives.demo import create_demo

    store = Store(location or Path(tempfile.mkdtemp(prefix="motives-example-")) / "example.db")
    create_demo(store, DEFAULT_LANGUAGE)
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


def load(
    store: Store, chosen: pd.DataFrame | Iterable[str] | str | None = None, language: str = DEFAULT_LANGUAGE
) -> Reflection:
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
    def of(cls, records: Iterable[SessionRecords], language: str = DEFAULT_LANGUAGE) -> Reflection:
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
        return tally.balance(self.answers, self.teams, by=("session", "team"))

    def consensus(self) -> pd.DataFrame:
        """Per session and worksheet motive, as the dashboard's 'To talk about': teams, of, lowest, highest, category.

        >>> table = load(example_store()).consensus()
        >>> table["category"].astype(str).value_counts().to_dict()
        {'single': 16, 'split': 4}
        """
        known = {(r.session.code, m.id): m.side for r in self.records for m in r.session.catalogue.motives}
        rows = pd.MultiIndex.from_tuples(list(known), names=["session", "group"])
        # The dashboard's rule (tally.consensus_of), counting in each session the teams that answered there.
        answered = self._answered().reindex(rows.get_level_values("session")).to_numpy()
        choices = self.choices.reorder_levels(["session", "group", "team"])
        table = tally.consensus_of(choices, rows, answered)
        table.insert(0, "side", list(known.values()))
        return table

    def _texts(self) -> pd.DataFrame:
        """Side and text of every worksheet motive, in the reflection's language (the first catalogue that has it)."""
        texts: dict[str, tuple[str, str]] = {}
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
            known = tally.catalogue_growth(self.records, catalogue, self.answers)
            self._own.append((catalogue, known))
        return known.assign(variants=known["variants"].map(list))  # a copy the caller may change

    def next_catalogue(self, top: int = 5, min_teams: int = 2, base: Catalogue | None = None) -> Catalogue:
        """The worksheet (or ``base``) grown by the ``top`` own motives that at least ``min_teams`` teams wrote.

        The one rule of growth (:func:`motives.tally.catalogue_growth`), as ``motives catalogue
        add-from`` and the home's "grow from sessions" apply it: fresh stable ids, and a text the
        catalogue already holds is not added twice.

        >>> grown = load(example_store()).next_catalogue(top=2, min_teams=2)
        >>> [m.id for m in grown.motives[len(default_catalogue().motives):]]
        ['for-own-jongeren-sturen-ons-s-avonds-berichten', 'for-own-een-buurtbewoner-deelde-foto-s-van']
        """
        base = base or default_catalogue()
        return tally.grown_catalogue(base, self.own_motives(base), min_teams, top)

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
        table["conclusion"] = pd.Categorical(table["conclusion"].fillna(NO_CONCLUSION), categories=CONCLUSIONS_OR_NONE)
        return table

    def conclusions_by_lean(self) -> pd.DataFrame:
        """How many teams came to each conclusion, by the way their balance leans: leans down, conclusions across.

        >>> load(example_store()).conclusions_by_lean().loc["for"].tolist()
        [4, 0, 0, 0]
        """
        leaning = self.leaning()
        table = pd.crosstab(leaning["lean"], leaning["conclusion"], dropna=False)
        return table.reindex(index=list(LEANS), columns=list(CONCLUSIONS_OR_NONE), fill_value=0).astype("int64")


def _nobody() -> Session:
    return Session(0, "", "", DEFAULT_LANGUAGE, default_catalogue(), datetime.now(UTC), trainer_key="")


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


# --- what a reflection notebook shows: a section's cell ends with one of these -------------------------

# The columns of a reflection's table, each with the message that names it in the notebook's language.
MOTIVE_COLUMNS = {
    "side": N_("col_side"),
    "text": N_("col_motive"),
    "teams": N_("col_teams"),
    "of": N_("col_of"),
    "share": N_("col_share"),
    "mean_importance": N_("col_mean"),
}
SPLIT_COLUMNS = {
    "text": N_("col_motive"),
    "split": N_("category_split"),
    "shared": N_("category_shared"),
    "single": N_("category_single"),
    "none": N_("category_none"),
    "sessions": N_("col_sessions"),
}
OWN_COLUMNS = {
    "side": N_("col_side"),
    "text": N_("col_motive"),
    "teams": N_("col_teams"),
    "sessions": N_("col_sessions"),
    "mean_importance": N_("col_mean"),
    "variants": N_("col_variants"),
}


@dataclass(frozen=True)
class Shown:
    """What a cell of a reflection notebook shows, one part under the other: Markdown, tables, charts.

    A cell that ends with one shows its parts (IPython calls ``_ipython_display_``); code reads ``parts``.

    >>> store_summary(sessions(example_store()), "fr").parts[0].data[:45]
    'La base de données contient **2 sessions**, d'
    """

    parts: tuple[object, ...]

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(*self.parts)


def _say(text: str) -> Shown:
    return Shown((Markdown(text),))


def _sessions(language: str, n: int) -> str:
    """'1 session', '3 sessions', in ``language``."""
    return message(language, "session_one") if n == 1 else message(language, "session_many", n=n)


def _side(language: str, sides: pd.Series) -> pd.Series:
    return sides.map(lambda side: message(language, f"side_{side}"))


def _table(frame: pd.DataFrame, language: str, columns: Mapping[str, str]) -> Styler:
    """``frame``'s ``columns`` under their names in ``language``, without its index; every text escaped.

    Numbers as the language writes them ("3,5" in nl and fr), a share as a percentage.
    """
    from babel.numbers import format_percent, get_decimal_symbol

    locale = LOCALES[language_or_default(language)]
    names = {column: message(language, key) for column, key in columns.items()}
    shown = frame[list(columns)].rename(columns=names)
    style = shown.style.format(escape="html", precision=2, decimal=get_decimal_symbol(locale), na_rep="—")
    if "share" in names:
        style = style.format(lambda share: format_percent(share, locale=locale), subset=[names["share"]], na_rep="—")
    return style.hide(axis="index")


def store_summary(everything: pd.DataFrame, language: str) -> Shown:
    """How many sessions the store holds (``everything``, from :func:`sessions`) and since when; when it holds
    none, how to make the demo."""
    if everything.empty:
        return _say(message(language, "reflect_empty_store"))
    first, last = everything["created_at"].min(), everything["created_at"].max()
    first, last = day(language, first.to_pydatetime()), day(language, last.to_pydatetime())
    return _say(
        message(language, "reflect_store", sessions=_sessions(language, len(everything)), first=first, last=last)
    )


def session_picker(everything: pd.DataFrame, language: str):
    """A list of the sessions (``everything``) to choose from, every one chosen; its ``value`` is their codes."""
    import ipywidgets as w

    options = [
        (
            f"{day(language, s.created_at.to_pydatetime())} · {s.name} ({s.session}, {teams(language, s.teams)})",
            s.session,
        )
        for s in everything.itertuples()
    ]
    return w.SelectMultiple(
        options=options,
        value=tuple(everything["session"]),
        rows=min(max(len(everything), 2), 12),
        description=message(language, "col_sessions"),
        layout=w.Layout(width="95%"),
    )


def chosen_summary(chosen: Reflection) -> Shown:
    """How many sessions were chosen, with how many teams, and how many of those answered."""
    language = chosen.language
    answered = int(chosen.teams["answered"].sum()) if len(chosen.teams) else 0
    count = {"sessions": _sessions(language, len(chosen.sessions)), "teams": teams(language, len(chosen.teams))}
    return _say(message(language, "reflect_chosen", **count, answered=answered))


def motives_view(chosen: Reflection) -> Shown:
    """Every worksheet motive: how many teams chose it, of how many, and their mean importance; as a table and a chart.

    >>> shown = motives_view(load(example_store(), language="fr"))
    >>> [type(part).__name__ for part in shown.parts]
    ['Styler', 'Image']
    >>> shown.parts[0].data.columns.tolist()
    ['Côté', 'Motif', 'Équipes', 'Sur', 'Part', 'Importance moyenne']
    """
    table = chosen.catalogue_motives()
    if table["teams"].sum() == 0:
        return _say(message(chosen.language, "reflect_no_choices"))
    shown = table.assign(side=_side(chosen.language, table["side"]))
    return Shown((_table(shown, chosen.language, MOTIVE_COLUMNS), Image(motives_chart(table, chosen.language))))


def splits_view(chosen: Reflection, top: int = 10) -> Shown:
    """The ``top`` motives that split the teams of a session most often (:meth:`Reflection.splits`)."""
    table = chosen.splits()
    table = table[table["split"] > 0]
    if table.empty:
        return _say(message(chosen.language, "reflect_no_splits"))
    return Shown((_table(table.head(top), chosen.language, SPLIT_COLUMNS),))


def own_motives_view(chosen: Reflection, top: int = 15) -> Shown:
    """The ``top`` own motives most teams wrote (:meth:`Reflection.own_motives`), with every wording."""
    table = chosen.own_motives()
    if table.empty:
        return _say(message(chosen.language, "reflect_no_own"))
    shown = table.assign(side=_side(chosen.language, table["side"]), variants=table["variants"].map(" | ".join))
    return Shown((_table(shown.head(top), chosen.language, OWN_COLUMNS),))


def output_path(name: str) -> Path:
    """Where a reflection notebook writes the file ``name``: in ``MOTIVES_OUTPUT``, else in the notebook's folder."""
    return Path(Settings.from_env().output or ".") / name


def next_catalogue_view(chosen: Reflection, path: str | os.PathLike[str], top: int = 5, min_teams: int = 2) -> Shown:
    """Write the worksheet grown by the own motives most teams wrote (:meth:`Reflection.next_catalogue`) to
    ``path``, and say how many it added and where."""
    base = default_catalogue()
    grown = chosen.next_catalogue(top=top, min_teams=min_teams, base=base)
    written = write_catalogue(grown, path).resolve()
    added = len(grown.motives) - len(base.motives)
    return _say(message(chosen.language, "reflect_catalogue_written", added=added, path=written))


def conclusions_view(chosen: Reflection) -> Shown:
    """The teams' conclusions by the way their balance leans (:meth:`Reflection.conclusions_by_lean`): a
    table and a chart."""
    language = chosen.language
    table = chosen.conclusions_by_lean()
    if table.to_numpy().sum() == 0:
        return _say(message(language, "reflect_no_answers"))
    table = table.rename(index=lambda lean: message(language, f"lean_{lean}"))
    named = table.rename(columns=lambda conclusion: message(language, f"conclusion_{conclusion}"))
    named = named.rename_axis(index=message(language, "col_balance"), columns=message(language, "col_conclusion"))
    return Shown((named.style, Image(conclusions_chart(table, language))))
