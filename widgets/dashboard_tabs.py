"""The dashboard's parts: one small class per tab, plus the progress line and the team removal.

Each part shows one session's :class:`motives.tally.Frames` through ``update(frames)``, and
redraws only when what it shows changed: a tick changes the comparison, not the own motives.
The dashboard updates the tab on screen at every change and a hidden tab when it is opened,
so a tick on a team page costs the drawing of one tab, not six.
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from urllib.parse import quote, urlencode

import ipywidgets as w
import pandas as pd

from motives import tally
from motives.charts import balance_chart
from motives.errors import InvalidInput
from motives.export import SessionFile, file_name, kind_of
from motives.formats import FILES
from motives.grouping import merge_plan, shared_words, split_plan
from motives.i18n import N_, message
from motives.markup import esc
from motives.models import Session, is_group_id, own_number
from motives.render import balance_display, consensus_html, frame_html, heat_legend, heatmap_html, likeness_html
from motives.widgets.feedback import Refusal, Status
from motives.widgets.look import text_block

# (label, format, table, document) of the files the Export tab offers
EXPORTS = FILES

__all__ = [
    "AlikeTab",
    "BalanceTab",
    "ComparisonTab",
    "DashboardTab",
    "ExportTab",
    "OwnMotivesTab",
    "Progress",
    "SessionsTab",
    "TalkTab",
    "TeamRemoval",
    "ViewTab",
]


def download_link(name: str, mime: str, content: str | bytes, language: str) -> str:
    """A link that downloads the file from the page itself (data: URL): no extra server, nothing leaves the laptop."""
    data = content.encode("utf-8") if isinstance(content, str) else content
    href = f"data:{mime};base64,{base64.b64encode(data).decode()}"
    return (
        f'<p><a class="motives-download" download="{esc(name)}" href="{href}">'
        f"{esc(message(language, 'download', name=name))}</a></p>"
    )


def choose(dropdown: w.Dropdown | w.SelectMultiple, options: list[tuple[str, str]]) -> None:
    """New options without losing what the trainer had selected."""
    if isinstance(dropdown, w.SelectMultiple):
        keep = set(dropdown.value)
        dropdown.options = options
        dropdown.value = tuple(value for _label, value in options if value in keep)
        return
    keep = dropdown.value
    dropdown.options = options
    values = [value for _label, value in options]
    dropdown.value = keep if keep in values else (values[0] if values else None)


def panel(heading: str, help_text: str, *children: w.Widget) -> w.VBox:
    """A box of controls under a heading and a line of help."""
    box = w.VBox([text_block(heading, "h4"), text_block(help_text, "p", "motives-help"), *children])
    box.add_class("motives-merge")
    return box


class DashboardTab(w.VBox):
    """One tab: drawn from the frames, again only when what it shows changed."""

    title_key = ""

    def __init__(self, session: Session, children: list[w.Widget]) -> None:
        super().__init__(children)
        self.session = session
        self.language = session.language
        self.frames: tally.Frames | None = None
        self._drawn: object = None  # the fingerprint of what the tab shows now

    def update(self, frames: tally.Frames) -> None:
        """Show ``frames``; the drawing is skipped when this tab's inputs are the same as last time."""
        self.frames = frames
        drawn = self.inputs(frames)
        if drawn is not None and drawn == self._drawn:
            return
        self._drawn = drawn
        self.draw(frames)
        self.add_class("motives-drawn")  # a tab is drawn when it is first on screen: now it shows the frames

    def inputs(self, frames: tally.Frames) -> object:
        """What the drawing depends on, as something cheap to compare; None draws every time."""
        return None

    def draw(self, frames: tally.Frames) -> None:
        """Put the frames on screen."""

    def empty(self) -> str:
        return f'<p class="motives-help">{esc(message(self.language, "no_teams", code=self.session.code))}</p>'


class ViewTab(DashboardTab):
    """A tab that is one view of the frames, or a line that says no team joined yet."""

    def __init__(self, session: Session, *above: w.Widget) -> None:
        self.view = w.HTML()
        super().__init__(session, [*above, self.view])

    def draw(self, frames: tally.Frames) -> None:
        self.view.value = self.html(frames) if len(frames.teams) else self.empty()

    def html(self, frames: tally.Frames) -> str:
        raise NotImplementedError


class TalkTab(ViewTab):
    """To talk about: shared, split, named by one team, chosen by none."""

    title_key = "tab_talk"

    def inputs(self, frames: tally.Frames) -> object:
        return tally.fingerprint(frames.matrix, frames.teams[["team", "answered"]])

    def html(self, frames: tally.Frames) -> str:
        return consensus_html(frames.consensus, self.language)


class ComparisonTab(ViewTab):
    """The heat map: one column per team."""

    title_key = "tab_comparison"

    def __init__(self, session: Session) -> None:
        super().__init__(session, w.HTML(heat_legend(session.language)))

    def inputs(self, frames: tally.Frames) -> object:
        return tally.fingerprint(frames.comparison)

    def html(self, frames: tally.Frames) -> str:
        return heatmap_html(frames.comparison, self.language)


class BalanceTab(DashboardTab):
    """Each team's weight for and against, as a chart and a table (the projector has its own view)."""

    title_key = "tab_balance"

    def __init__(self, session: Session) -> None:
        self.chart = w.HTML()
        self.view = w.HTML()
        self.view.add_class("motives-balance")
        super().__init__(session, [self.chart, self.view])

    def inputs(self, frames: tally.Frames) -> object:
        # matplotlib is the dearest drawing of the dashboard: only when the balance changed.
        return tally.fingerprint(frames.balance)

    def draw(self, frames: tally.Frames) -> None:
        if not len(frames.teams):
            self.view.value = self.chart.value = ""
            return
        language = self.language
        self.view.value = frame_html(
            balance_display(frames.balance, language, tally.group_total(frames.balance)), language
        )
        png = base64.b64encode(balance_chart(frames.balance, language)).decode()
        self.chart.value = (
            f'<img class="motives-chart" alt="{esc(message(language, "chart_alt"))}" src="data:image/png;base64,{png}">'
        )


class AlikeTab(ViewTab):
    """Which teams think alike: in plain words, what every group of teams chose, and every pair side by side."""

    title_key = N_("tab_alike")

    def inputs(self, frames: tally.Frames) -> object:
        return tally.fingerprint(frames.matrix, frames.teams[["team", "answered"]])

    def html(self, frames: tally.Frames) -> str:
        return likeness_html(frames.likeness, tally.motive_rows(frames.answers), self.language)


class OwnMotivesTab(DashboardTab):
    """What the teams wrote themselves, grouped; the trainer merges and splits groups, and picks
    motives for the next catalogue. ``link(tab, ids, group)`` puts own motives in a group ("": each
    its own) and redraws, or raises the store's refusal, which the tab says."""

    title_key = "tab_own"

    def __init__(self, session: Session, link: Callable[[OwnMotivesTab, list[int], str], None]) -> None:
        language = session.language
        self.link = link
        self.view = w.HTML()
        # Each label whole ("samen met" was cut at the dropdowns' default label width).
        whole = {"description_width": "initial"}
        self.merge_a = w.Dropdown(description=message(language, "merge_a"), layout=w.Layout(width="100%"), style=whole)
        self.merge_b = w.Dropdown(description=message(language, "merge_b"), layout=w.Layout(width="100%"), style=whole)
        self.merge_button = w.Button(description=message(language, "merge"), button_style="primary")
        self.split_what = w.Dropdown(
            description=message(language, "split_what"), layout=w.Layout(width="100%"), style=whole
        )
        self.split_button = w.Button(description=message(language, "split"))
        self.merge_status = Status(language)
        self.pick = w.SelectMultiple(
            description=message(language, "catalogue_pick"), rows=6, layout=w.Layout(width="100%"), style=whole
        )
        self.make_catalogue = w.Button(description=message(language, "catalogue_make"), layout=w.Layout(width="auto"))
        self.catalogue_link = w.HTML()
        self.catalogue_status = Status(language)
        super().__init__(
            session,
            [
                self.view,
                panel(
                    message(language, "merge_heading"),
                    message(language, "merge_help"),
                    *(self.merge_a, self.merge_b, self.merge_button),
                    *(self.split_what, self.split_button, self.merge_status),
                ),
                panel(
                    message(language, "catalogue_heading"),
                    message(language, "catalogue_help"),
                    *(self.pick, self.make_catalogue, self.catalogue_status, self.catalogue_link),
                ),
            ],
        )
        self.merge_button.on_click(lambda _b: self.merge())
        self.split_button.on_click(lambda _b: self.split())
        self.make_catalogue.on_click(lambda _b: self.catalogue_file())

    def inputs(self, frames: tally.Frames) -> object:
        # The groups, their labels and who wrote what; not the importances, which this tab does not show.
        own = frames.answers[frames.answers["origin"] == "own"]
        return tally.fingerprint(tally.motive_rows(frames.answers), own[["group", "motive_id", "text", "team"]])

    def draw(self, frames: tally.Frames) -> None:
        language = self.language
        own = tally.own_groups(frames.answers)
        rows = tally.motive_rows(frames.answers)
        labels = {r.group: r for r in rows.itertuples()}
        members: dict[str, list[str]] = {}  # group -> its motives, in the order they were written
        texts: dict[str, list[str]] = {}
        for group, text, team in zip(own["group"], own["text"], own["team"], strict=True):
            members.setdefault(group, []).append(f"<li>{esc(text)} <small>— {esc(team)}</small></li>")
            texts.setdefault(group, []).append(text)
        blocks = []
        for group, items in members.items():
            row = labels[group]
            side = message(language, f"side_{row.side}")
            origin = message(language, f"origin_{row.origin}")
            if len(items) == 1 and row.origin == "own":  # a motive alone: its text once, not as its own group's name
                blocks.append(f'<div class="motives-group"><ul>{items[0]}</ul><p><small>{esc(side)}</small></p></div>')
                continue
            blocks.append(
                f'<div class="motives-group"><p><strong>{esc(row.text)}</strong> '
                f"<small>{esc(side)} · {esc(origin)}</small></p><ul>{''.join(items)}</ul>"
                f"{self._why(group, row.text, texts[group])}</div>"
            )
        self.view.value = (
            "".join(blocks) if blocks else f'<p class="motives-help">{esc(message(language, "no_own"))}</p>'
        )
        options = [
            (f"[{message(language, f'side_{r.side}')}] {r.text}", r.group)
            for r in rows.itertuples()
            if r.group in members or r.origin == "catalogue"
        ]
        own_options = [o for o in options if o[1] in members]
        choose(self.merge_a, own_options)
        choose(self.merge_b, options)
        choose(self.split_what, [o for o in own_options if len(members[o[1]]) > 1])
        choose(self.pick, [o for o in own_options if o[1] not in self.session.catalogue.ids])

    def _why(self, group: str, label: str, texts: list[str]) -> str:
        """Why these texts are one group, so that the trainer can trust it or split it."""
        if is_group_id(group):
            why = message(self.language, "grouped_by_trainer")
        else:
            words = shared_words(label, texts, self.language)
            if words:
                why = message(self.language, "grouped_because", words=", ".join(words))
            elif words := shared_words(label, texts, self.language, most=True):
                why = message(self.language, "grouped_because_most", words=", ".join(words))
            else:
                return ""
        return f'<p class="motives-why"><small>{esc(why)}</small></p>'

    @staticmethod
    def _own_keys(frames: tally.Frames) -> dict[int, str]:
        answers = frames.answers
        own = answers[answers["origin"] == "own"]
        return {own_number(m): g for m, g in zip(own["motive_id"], own["group"], strict=True)}

    def merge(self) -> None:
        a, b, frames = self.merge_a.value, self.merge_b.value, self.frames
        if frames is None:  # a click before the tab was first drawn (only a forged message can)
            return
        rows = tally.motive_rows(frames.answers).set_index("group")
        with Refusal(self.merge_status) as refused:
            if a not in rows.index or b not in rows.index:
                raise InvalidInput("unknown_motive")
            if rows.loc[a, "side"] != rows.loc[b, "side"]:
                raise InvalidInput("merge_sides")
            ids, target = merge_plan(self._own_keys(frames), a, b, self.session.catalogue)
            self.link(self, ids, target)
        if not refused:
            self.merge_status.ok(message(self.language, "merged"))

    def split(self) -> None:
        frames = self.frames
        if frames is None:
            return
        with Refusal(self.merge_status) as refused:
            self.link(self, split_plan(self._own_keys(frames), self.split_what.value), "")
        if not refused:
            self.merge_status.ok(message(self.language, "splitted"))

    def catalogue_file(self) -> None:
        from motives.catalogue import catalogue_to_toml, with_motives

        picked, frames = set(self.pick.value), self.frames
        if frames is None:
            return
        if not picked:
            self.catalogue_status.error(message(self.language, "catalogue_none"))
            return
        rows = tally.motive_rows(frames.answers)
        additions = [(r.side, {self.language: r.text}) for r in rows.itertuples() if r.group in picked]
        with Refusal(self.catalogue_status) as refused:  # past a catalogue's limits: said as a catalogue problem
            toml = catalogue_to_toml(with_motives(self.session.catalogue, additions))
        if refused:
            return
        self.catalogue_status.clear()
        name = file_name(self.session, "catalogue", "toml")
        self.catalogue_link.value = download_link(name, "application/toml", toml, self.language)


class SessionsTab(DashboardTab):
    """This session beside others the trainer added with their code and key.

    ``compared`` holds each session's (code, name, answers, teams), read by the dashboard;
    ``add(tab, code, key)`` adds a session and redraws, or raises the store's refusal.
    """

    title_key = "tab_sessions"

    def __init__(self, session: Session, add: Callable[[SessionsTab, str, str], None]) -> None:
        language = session.language
        self.add = add
        self.compared: list[tuple] = []
        self.view = w.HTML()
        self.other_code = w.Text(description=message(language, "session_code"))
        self.other_key = w.Password(description=message(language, "trainer_key"))
        self.add_session = w.Button(description=message(language, "add_session"))
        self.status = Status(language)
        help_text = text_block(message(language, "sessions_help"), "p", "motives-help")
        form = [self.other_code, self.other_key, self.add_session, self.status]
        super().__init__(session, [help_text, self.view, *form])
        self.add_session.on_click(lambda _b: self._add())

    def draw(self, frames: tally.Frames) -> None:
        language = self.language
        overview = tally.sessions_overview(self.compared)
        display = pd.DataFrame(
            {
                message(language, "col_name"): overview["name"],
                message(language, "col_teams"): overview["teams"],
                message(language, "col_for_total"): overview["for_importance"],
                message(language, "col_against_total"): overview["against_importance"],
                message(language, "col_most"): overview["most_chosen"].map(
                    lambda most: "; ".join(f"{text} ({n})" for text, n in most)
                ),
                message(language, "col_yes"): overview["conclusion_yes"],
                message(language, "col_no"): overview["conclusion_no"],
                message(language, "col_not_yet"): overview["conclusion_not_yet"],
            }
        )
        display.index.name = message(language, "col_session")
        # The most chosen motives are sentences: they wrap in their cell (the row ran off the tab's right edge).
        self.view.value = f'<div class="motives-sessions">{frame_html(display, language)}</div>'

    def _add(self) -> None:
        with Refusal(self.status) as refused:
            self.add(self, self.other_code.value, self.other_key.value)
        if refused:
            return
        self.other_code.value = self.other_key.value = ""
        self.status.clear()


def file_links(session: Session, files: str) -> list[tuple[str, str, str]]:
    """Each file of :data:`EXPORTS` as (label, link, file name): ``files`` is where motives serve gives a
    session's files (motives.server.files), the link carries the trainer key the overview's link carries."""
    links = []
    for label, fmt, table, document in EXPORTS:
        name = file_name(session, kind_of(fmt, table, document), fmt)
        href = f"{files}/{quote(session.code)}/{quote(name)}?{urlencode({'key': session.trainer_key})}"
        links.append((label, href, name))
    return links


class ExportTab(DashboardTab):
    """Every export as a download. Under motives serve (``links``, see :func:`file_links`) each is one
    link the browser saves with one click; elsewhere (Voilà in JupyterLab or a hub) a button makes the
    file in the page, ``make(format, table, document)`` (see :func:`motives.export.session_file`), and
    a link saves it."""

    title_key = "tab_export"

    def __init__(
        self,
        session: Session,
        make: Callable[[str, str, str], SessionFile],
        links: list[tuple[str, str, str]] | None = None,
    ) -> None:
        language = session.language
        self.make = make
        self.buttons = {}
        self.downloads = w.HTML()
        self.status = Status(language)
        if links:
            items = "".join(
                f'<li><a class="motives-download" href="{esc(href)}" download="{esc(name)}">'
                f"{esc(message(language, label))}</a> <small>{esc(name)}</small></li>"
                for label, href, name in links
            )
            self.links = w.HTML(f'<ul class="motives-files">{items}</ul>')
            children = [text_block(message(language, "export_help_links"), "p", "motives-help"), self.links]
        else:
            for label, fmt, table, document in EXPORTS:
                button = w.Button(description=message(language, label), layout=w.Layout(width="auto"))
                button.on_click(lambda _b, f=fmt, t=table, d=document: self.make_file(f, t, d))
                self.buttons[label] = button
            buttons = w.HBox(list(self.buttons.values()), layout=w.Layout(flex_flow="row wrap"))
            children = [text_block(message(language, "export_help"), "p", "motives-help"), buttons]
        super().__init__(session, [*children, self.status, self.downloads])

    def inputs(self, frames: tally.Frames) -> object:
        return "the buttons"  # nothing here shows the answers: the files are made from the store on a click

    def make_file(self, fmt: str, table: str = "answers", document: str = "report") -> None:
        with Refusal(self.status) as refused:
            made = self.make(fmt, table, document)
        if refused:
            return
        self.status.clear()
        self.downloads.value = download_link(made.name, made.mime, made.content, self.language)


class Progress(w.HTML):
    """How many teams joined and answered, and who."""

    def __init__(self, language: str) -> None:
        super().__init__()
        self.language = language

    def update(self, frames: tally.Frames) -> None:
        teams = frames.teams
        joined = len(teams)
        answered = int(teams["answered"].sum())
        text = message(self.language, "progress", joined=joined, answered=answered)
        names = "".join(
            f'<li class="{"motives-answered" if row.answered else "motives-waiting"}">{esc(row.team)}</li>'
            for row in teams.itertuples()
        )
        self.value = (
            f'<p class="motives-progress-text">{esc(text)}</p>'
            f'<progress max="{max(joined, 1)}" value="{answered}" aria-label="{esc(text)}"></progress>'
            f'<ul class="motives-team-list">{names}</ul>'
        )


class TeamRemoval(w.Accordion):
    """Removing a team (a squatter, a test, a typo) with two clicks, and a team's own link. Folded
    away, so a projector never shows it.

    ``remove(name, bar)`` removes the team (with ``bar``, its name may not join again) and redraws, or
    raises the store's refusal; ``link_of(name)`` is the team's own link ("" for no such team).
    """

    def __init__(self, session: Session, remove: Callable[[str, bool], None], link_of: Callable[[str], str]) -> None:
        language = session.language
        self.session, self.language = session, language
        self.remove, self.link_of = remove, link_of
        self.team_pick = w.Dropdown(description=message(language, "team_pick"), layout=w.Layout(width="auto"))
        # The picked team's own link, for a device of that team that cannot get in (a lost bookmark).
        self.team_link = w.HTML()
        self.team_link.add_class("motives-team-link")
        self.remove_team = w.Button(description=message(language, "remove_team"), button_style="danger")
        # A script's teams, or a team that should not come back: its name is barred from this session.
        self.bar = w.Checkbox(
            value=False, description=message(language, "bar_team"), indent=False, layout=w.Layout(width="auto")
        )  # its whole sentence: a checkbox cuts its description at 300 px
        self.remove_status = Status(language)
        self.teams: set[str] = set()
        self._removing: str | None = None  # the team named by a first click, waiting for the second
        help_text = text_block(message(language, "remove_team_help"), "p", "motives-help")
        super().__init__(
            [w.VBox([help_text, self.team_pick, self.team_link, self.bar, self.remove_team, self.remove_status])],
            titles=[message(language, "teams_manage")],
            selected_index=None,
        )
        self.add_class("motives-teams-box")
        self.remove_team.on_click(lambda _b: self.remove_picked_team())
        self.team_pick.observe(lambda _c: self._cancel(), "value")
        self.team_pick.observe(lambda _c: self._show_link(), "value")

    def _show_link(self) -> None:
        name = self.team_pick.value
        link = self.link_of(name) if isinstance(name, str) and name in self.teams else ""
        if not link:
            self.team_link.value = ""
            return
        self.team_link.value = (
            f'<p>{esc(message(self.language, "team_link"))} <a href="{esc(link)}" target="_blank" rel="noopener">'
            f"{esc(link)}</a></p>"
        )

    def update(self, frames: tally.Frames) -> None:
        self.teams = set(frames.teams["team"])
        choose(self.team_pick, [(name, name) for name in frames.teams["team"]])
        self._show_link()

    def remove_picked_team(self) -> None:
        """Two clicks remove the picked team: the first asks, the second (same team) removes."""
        name = self.team_pick.value
        if not isinstance(name, str) or name not in self.teams:
            self.remove_status.error(message(self.language, "unknown_team", name=name if isinstance(name, str) else ""))
            return
        if self._removing != name:
            self._removing = name
            self.remove_status.error(message(self.language, "remove_team_confirm", name=name))
            return
        self._removing = None
        bar = self.bar.value is True  # whatever else the browser sent is no
        with Refusal(self.remove_status) as refused:
            self.remove(name, bar)  # the dashboard reads again and picks another team, which clears the status
        if refused:
            return
        self.bar.value = False
        if bar:
            self.remove_status.ok(message(self.language, "team_removed_barred_ok", name=name))
        else:
            self.remove_status.ok(message(self.language, "team_removed_ok", name=name))

    def _cancel(self) -> None:
        self._removing = None
        self.remove_status.clear()
