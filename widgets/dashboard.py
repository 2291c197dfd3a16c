"""The trainer's dashboard: carries the plenary conversation while the teams are still working.

It follows the store by itself (a cheap revision number polled twice a
second) and redraws only what changed, so the tab, the scroll position and
the selections the trainer is looking at stay where they are.

Heavy imports (pandas, matplotlib) belong here and not on the team page.
"""

from __future__ import annotations

import base64

import ipywidgets as w
import pandas as pd
import segno

from motives import tally
from motives.charts import balance_chart
from motives.errors import InvalidInput, MotivesError, UnknownSession
from motives.grouping import Grouper, merge_plan, split_plan
from motives.i18n import colon, message
from motives.models import Session, SessionState
from motives.render import (
    balance_display,
    consensus_html,
    frame_html,
    heat_legend,
    heatmap_html,
)
from motives.settings import Settings
from motives.store import Store
from motives.urls import pages_path, public_url, team_path
from widgets.common import (
    AppPage,
    Status,
    clock,
    esc,
    every,
    explain,
    text_block,
    timer_text,
)
from widgets.team import source_note

POLL_SECONDS = 0.5
# (label, format, table, document) of the files the Export tab offers
EXPORTS = [
    ("dl_report_html", "html", "answers", "report"),
    ("dl_handouts", "html", "answers", "handouts"),
    ("dl_worksheet", "html", "answers", "worksheet"),
    ("dl_report_md", "md", "answers", "report"),
    ("dl_xlsx", "xlsx", "answers", "report"),
    ("dl_csv_answers", "csv", "answers", "report"),
    ("dl_csv_comparison", "csv", "comparison", "report"),
    ("dl_archive", "json", "answers", "report"),
]

__all__ = ["Dashboard", "DashboardPage"]


def base_url() -> str:
    """Where teams reach the server (scheme, host, port): ``motives serve`` tells its kernels through
    ``MOTIVES_BASE_URL``; under Voilà's Jupyter Server extension the deployment sets it."""
    return Settings.from_env().base_url


def join_url(code: str, language: str | None = None) -> str:
    """The link teams open: the team page beside this dashboard, on the address teams use; or
    ``MOTIVES_TEAM_URL`` (a team page's URL) when they open it on another server, such as a
    JupyterHub service while the trainer works in a single-user server."""
    elsewhere = Settings.from_env().team_url
    if elsewhere:
        return f"{elsewhere}?{team_path(code, language=language).partition('?')[2]}"
    return public_url(base_url(), team_path(code, pages=pages_path(), language=language))


def qr_svg(url: str) -> str:
    """A QR code made here, as inline SVG: no network, no image service."""
    return segno.make(url, error="m").svg_inline(scale=5, dark="#1f2328", border=2)


def download_link(name: str, mime: str, content: str | bytes, language: str) -> str:
    """A link that downloads the file from the page itself (data: URL): no extra server, nothing leaves the laptop."""
    data = content.encode("utf-8") if isinstance(content, str) else content
    href = f"data:{mime};base64,{base64.b64encode(data).decode()}"
    return (
        f'<p><a class="motives-download" download="{esc(name)}" href="{href}">'
        f"{esc(message(language, 'download', name=name))}</a></p>"
    )


def _choose(dropdown: w.Dropdown, options: list[tuple[str, str]]) -> None:
    """New options without losing what the trainer had selected."""
    keep = dropdown.value
    dropdown.options = options
    values = [value for _label, value in options]
    dropdown.value = keep if keep in values else (values[0] if values else None)


class Dashboard(w.VBox):
    """The comparison of one session's teams. Only built once the trainer key matched."""

    def __init__(self, store: Store, session: Session) -> None:
        self.store = store
        self.session = session
        language = self.language = session.language
        self.status = Status(language)
        self.answers: pd.DataFrame | None = None
        self.teams: pd.DataFrame | None = None
        self.comparison: pd.DataFrame | None = None
        self.consensus: pd.DataFrame | None = None
        self.balance: pd.DataFrame | None = None
        self.state: SessionState | None = None
        self.revision: int | None = None
        self._charted: pd.DataFrame | None = None  # the balance the chart shows
        self._others: dict[str, tuple[int, tuple]] = {}  # compared sessions' rows, by revision
        self._grouper = Grouper(session.catalogue)  # kept between refreshes: compares only new own motives

        # Steering: live, projector, reveal, timer.
        self.live = w.ToggleButton(
            value=True, description=message(language, "live"), tooltip=message(language, "live_tooltip")
        )
        self.projector = w.ToggleButton(
            value=False, description=message(language, "projector"), tooltip=message(language, "projector_tooltip")
        )
        self.reveal = w.ToggleButton(value=False, description=message(language, "reveal"))
        self.lock = w.ToggleButton(value=False, description=message(language, "lock"))
        self.minutes = w.BoundedIntText(
            value=10, min=1, max=180, description=message(language, "minutes"), layout=w.Layout(width="9em")
        )
        self.timer_start = w.Button(description=message(language, "timer_start"))
        self.timer_stop = w.Button(description=message(language, "timer_stop"))
        self.timer = w.HTML()
        for control in (self.live, self.projector, self.reveal, self.lock, self.timer_start, self.timer_stop):
            control.layout.width = "auto"
        controls = w.HBox(
            [
                self.live,
                self.projector,
                self.reveal,
                self.lock,
                self.minutes,
                self.timer_start,
                self.timer_stop,
                self.timer,
            ]
        )
        controls.add_class("motives-controls")

        self.join_url = link = join_url(session.code, session.language)
        self.join = w.HTML(
            '<div class="motives-join-panel">'
            f'<div><p class="motives-join-label">{esc(message(language, "join_big"))}</p>'
            f'<p class="motives-join-url">{esc(link)}</p>'
            f'<p class="motives-join-label">{esc(message(language, "join_code"))}</p>'
            f'<p class="motives-join-code">{esc(session.code)}</p></div>'
            f'<div class="motives-qr" role="img" aria-label="{esc(message(language, "qr_label"))}">'
            f"{qr_svg(link)}</div></div>"
        )
        self.progress = w.HTML()
        # Removing a team: a squatter, a test, a typo. Folded away, so a projector never shows it.
        self.team_pick = w.Dropdown(description=message(language, "team_pick"), layout=w.Layout(width="auto"))
        self.remove_team = w.Button(description=message(language, "remove_team"), button_style="danger")
        self.remove_status = Status(language)
        self._removing: str | None = None  # the team named by a first click, waiting for the second
        self.teams_box = w.Accordion(
            [
                w.VBox(
                    [
                        text_block(message(language, "remove_team_help"), "p", "motives-help"),
                        self.team_pick,
                        self.remove_team,
                        self.remove_status,
                    ]
                )
            ],
            titles=[message(language, "teams_manage")],
            selected_index=None,
        )
        self.teams_box.add_class("motives-teams-box")

        # The views, one per tab.
        self.talk_view = w.HTML()
        self.comparison_view = w.HTML()
        self.chart = w.HTML()
        self.balance_view = w.HTML()
        self.balance_view.add_class("motives-balance")
        self.own_view = w.HTML()
        self.merge_a = w.Dropdown(description=message(language, "merge_a"), layout=w.Layout(width="100%"))
        self.merge_b = w.Dropdown(description=message(language, "merge_b"), layout=w.Layout(width="100%"))
        self.merge_button = w.Button(description=message(language, "merge"), button_style="primary")
        self.split_what = w.Dropdown(description=message(language, "split_what"), layout=w.Layout(width="100%"))
        self.split_button = w.Button(description=message(language, "split"))
        self.merge_status = Status(language)
        merge_box = w.VBox(
            [
                text_block(message(language, "merge_heading"), "h4"),
                text_block(message(language, "merge_help"), "p", "motives-help"),
                self.merge_a,
                self.merge_b,
                self.merge_button,
                self.split_what,
                self.split_button,
                self.merge_status,
            ]
        )
        merge_box.add_class("motives-merge")
        self.sessions_view = w.HTML()
        self.other_code = w.Text(description=message(language, "session_code"))
        self.other_key = w.Password(description=message(language, "trainer_key"))
        self.add_session = w.Button(description=message(language, "add_session"))
        self.sessions_status = Status(language)
        self.export_buttons = {}
        for label, fmt, table, document in EXPORTS:
            button = w.Button(description=message(language, label), layout=w.Layout(width="auto"))
            button.on_click(lambda _b, f=fmt, t=table, d=document: self.make_file(f, t, d))
            self.export_buttons[label] = button
        self.downloads = w.HTML()
        self.export_status = Status(language)
        export_box = w.VBox(
            [
                text_block(message(language, "export_help"), "p", "motives-help"),
                w.HBox(list(self.export_buttons.values()), layout=w.Layout(flex_flow="row wrap")),
                self.export_status,
                self.downloads,
            ]
        )
        self.pick = w.SelectMultiple(
            description=message(language, "catalogue_pick"), rows=6, layout=w.Layout(width="100%")
        )
        self.make_catalogue = w.Button(description=message(language, "catalogue_make"))
        self.catalogue_link = w.HTML()
        self.catalogue_status = Status(language)
        catalogue_box = w.VBox(
            [
                text_block(message(language, "catalogue_heading"), "h4"),
                text_block(message(language, "catalogue_help"), "p", "motives-help"),
                self.pick,
                self.make_catalogue,
                self.catalogue_status,
                self.catalogue_link,
            ]
        )
        catalogue_box.add_class("motives-merge")
        self.tabs = w.Tab(
            [
                self.talk_view,
                w.VBox([w.HTML(heat_legend(language)), self.comparison_view]),
                w.VBox([self.chart, self.balance_view]),
                w.VBox([self.own_view, merge_box, catalogue_box]),
                w.VBox(
                    [
                        text_block(message(language, "sessions_help"), "p", "motives-help"),
                        self.sessions_view,
                        self.other_code,
                        self.other_key,
                        self.add_session,
                        self.sessions_status,
                    ]
                ),
                export_box,
            ],
            titles=[
                message(language, f"tab_{t}") for t in ("talk", "comparison", "balance", "own", "sessions", "export")
            ],
        )
        self.tabs.add_class("motives-tabs")

        header = w.HTML(
            f"<h2>{esc(message(language, 'dashboard_title'))}{colon(language)} {esc(session.name)}</h2>"
            f'<p class="motives-meta">{esc(session.catalogue.title_in(language))}</p>'
        )
        super().__init__(
            [
                header,
                w.HBox([self.join, w.VBox([controls, self.progress, self.status, self.teams_box])]),
                self.tabs,
                source_note(session),
            ]
        )
        self.add_class("motives-dashboard")

        self.live.observe(self._live_changed, "value")
        self.projector.observe(self._projector_changed, "value")
        self.reveal.observe(self._reveal_changed, "value")
        self.lock.observe(self._lock_changed, "value")
        self.timer_start.on_click(lambda _b: self._start_timer())
        self.timer_stop.on_click(lambda _b: self._stop_timer())
        self.merge_button.on_click(lambda _b: self.merge())
        self.split_button.on_click(lambda _b: self.split())
        self.add_session.on_click(lambda _b: self._add_session())
        self.make_catalogue.on_click(lambda _b: self.catalogue_file())
        self.remove_team.on_click(lambda _b: self.remove_picked_team())
        self.team_pick.observe(lambda _c: self._cancel_removal(), "value")
        self.ended = False
        self._clock = None
        self.refresh()
        self._clock = every(POLL_SECONDS, self.poll)

    # --- following the store ----------------------------------------------

    def poll(self) -> None:
        """Redraw when the store changed (unless paused); keep the timer ticking either way."""
        if self.ended:
            return
        try:
            state = self.store.state(self.session)
        except UnknownSession:
            self.end()
            return
        except MotivesError as exc:
            self.status.error(explain(exc, self.language))
            return
        self._show_state(state)
        if self.live.value and state.revision != self.revision:
            self.refresh()

    def end(self) -> None:
        """The session was deleted (from the CLI, say): stop following it and say so, once."""
        self.ended = True
        if self._clock is not None:
            self._clock.cancel()
        self.status.error(message(self.language, "session_deleted_banner"))

    def _show_state(self, state: SessionState) -> None:
        self.state = state
        text = timer_text(self.language, state.timer_ends_at)
        self.timer.value = f'<p class="motives-timer" role="timer">{esc(text)}</p>' if text else ""
        if self.reveal.value != state.revealed:
            self.reveal.unobserve(self._reveal_changed, "value")
            self.reveal.value = state.revealed
            self.reveal.observe(self._reveal_changed, "value")
        self.reveal.description = message(self.language, "revealed" if state.revealed else "reveal")
        self.reveal.button_style = "warning" if state.revealed else ""
        if self.lock.value != state.locked:
            self.lock.unobserve(self._lock_changed, "value")
            self.lock.value = state.locked
            self.lock.observe(self._lock_changed, "value")
        self.lock.description = message(self.language, "locked" if state.locked else "lock")
        self.lock.button_style = "danger" if state.locked else ""

    def refresh(self) -> None:
        """Read the store again and redraw every view."""
        try:
            records = self.store.records(self.session)
            self._show_state(self.store.state(self.session))
        except UnknownSession:
            self.end()
            return
        except MotivesError as exc:
            self.status.error(explain(exc, self.language))
            return
        language = self.language
        self.revision = records.revision
        self.answers = tally.answers_frame(records, self._grouper)
        self.teams = tally.teams_frame(records)
        self.comparison = tally.comparison(self.answers)
        answered = self.teams.loc[self.teams["answered"], "team"].tolist()
        self.consensus = tally.consensus(tally.team_matrix(self.answers), answered)
        self.balance = tally.balance(self.answers, self.teams)
        self.progress.value = self._progress_html()
        _choose(self.team_pick, [(name, name) for name in self.teams["team"]])
        if len(self.teams):
            self.talk_view.value = consensus_html(self.consensus, language)
            self.comparison_view.value = heatmap_html(self.comparison, language)
            self.balance_view.value = frame_html(
                balance_display(self.balance, language, tally.group_total(self.balance)), language
            )
            if self._charted is None or not self._charted.equals(self.balance):
                self._draw_chart()
        else:
            empty = f'<p class="motives-help">{esc(message(language, "no_teams", code=self.session.code))}</p>'
            self.talk_view.value = self.comparison_view.value = empty
            self.balance_view.value = self.chart.value = ""
        self._show_own()
        self._show_sessions()
        self.status.ok(message(language, "refreshed_at", time=clock(language)))

    def _draw_chart(self) -> None:
        # matplotlib is half the cost of a refresh: draw only when the balance changed.
        self._charted = self.balance
        png = base64.b64encode(balance_chart(self.balance, self.language, large=self.projector.value)).decode()
        self.chart.value = (
            f'<img class="motives-chart" alt="{esc(message(self.language, "chart_alt"))}" '
            f'src="data:image/png;base64,{png}">'
        )

    def _progress_html(self) -> str:
        joined = len(self.teams)
        answered = int(self.teams["answered"].sum())
        text = message(self.language, "progress", joined=joined, answered=answered)
        names = "".join(
            f'<li class="{"motives-answered" if row.answered else "motives-waiting"}">{esc(row.team)}</li>'
            for row in self.teams.itertuples()
        )
        return (
            f'<p class="motives-progress-text">{esc(text)}</p>'
            f'<progress max="{max(joined, 1)}" value="{answered}" aria-label="{esc(text)}"></progress>'
            f'<ul class="motives-team-list">{names}</ul>'
        )

    # --- teams ------------------------------------------------------------------

    def remove_picked_team(self) -> None:
        """Two clicks remove the picked team: the first asks, the second (same team) removes."""
        name = self.team_pick.value
        if not isinstance(name, str) or self.teams is None or name not in set(self.teams["team"]):
            self.remove_status.error(message(self.language, "unknown_team", name=name if isinstance(name, str) else ""))
            return
        if self._removing != name:
            self._removing = name
            self.remove_status.error(message(self.language, "remove_team_confirm", name=name))
            return
        self._removing = None
        try:
            self.store.remove_team(self.session, name)
        except MotivesError as exc:
            self.remove_status.error(explain(exc, self.language))
            return
        self.refresh()  # picks another team, which clears the status: say it after
        self.remove_status.ok(message(self.language, "team_removed_ok", name=name))

    def _cancel_removal(self) -> None:
        self._removing = None
        self.remove_status.clear()

    # --- own motives: groups, merges and splits ----------------------------

    def _show_own(self) -> None:
        language = self.language
        own = tally.own_groups(self.answers)
        if own.empty:
            self.own_view.value = f'<p class="motives-help">{esc(message(language, "no_own"))}</p>'
        else:
            rows = tally.motive_rows(self.answers).set_index("group")
            blocks = []
            for group, members in own.groupby("group", sort=False):
                title = rows.loc[group, "text"]
                side = message(language, f"side_{rows.loc[group, 'side']}")
                origin = message(language, f"origin_{rows.loc[group, 'origin']}")
                items = "".join(f"<li>{esc(m.text)} <small>— {esc(m.team)}</small></li>" for m in members.itertuples())
                blocks.append(
                    f'<div class="motives-group"><p><strong>{esc(title)}</strong> '
                    f"<small>{esc(side)} · {esc(origin)}</small></p><ul>{items}</ul></div>"
                )
            self.own_view.value = "".join(blocks)
        rows = tally.motive_rows(self.answers)
        own_keys = set(own["group"])
        options = [
            (f"[{message(language, f'side_{r.side}')}] {r.text}", r.group)
            for r in rows.itertuples()
            if r.group in own_keys or r.origin == "catalogue"
        ]
        _choose(self.merge_a, [o for o in options if o[1] in own_keys])
        _choose(self.merge_b, options)
        sizes = own["group"].value_counts()
        _choose(self.split_what, [o for o in options if o[1] in own_keys and sizes.get(o[1], 0) > 1])
        keep = set(self.pick.value)
        self.pick.options = [o for o in options if o[1] in own_keys and o[1] not in self.session.catalogue.ids]
        self.pick.value = tuple(v for _label, v in self.pick.options if v in keep)

    def _own_keys(self) -> dict[int, str]:
        own = self.answers[self.answers["origin"] == "own"]
        return {int(m.removeprefix("own-")): g for m, g in zip(own["motive_id"], own["group"], strict=True)}

    def merge(self) -> None:
        a, b = self.merge_a.value, self.merge_b.value
        rows = tally.motive_rows(self.answers).set_index("group")
        try:
            if a not in rows.index or b not in rows.index:
                raise InvalidInput("unknown_motive")
            if rows.loc[a, "side"] != rows.loc[b, "side"]:
                raise InvalidInput("merge_sides")
            ids, target = merge_plan(self._own_keys(), a, b, self.session.catalogue)
            self.store.link_own_motives(self.session, ids, target)
        except MotivesError as exc:
            self.merge_status.error(explain(exc, self.language))
            return
        self.merge_status.ok(message(self.language, "merged"))
        self.refresh()

    def split(self) -> None:
        try:
            self.store.link_own_motives(self.session, split_plan(self._own_keys(), self.split_what.value), "")
        except MotivesError as exc:
            self.merge_status.error(explain(exc, self.language))
            return
        self.merge_status.ok(message(self.language, "splitted"))
        self.refresh()

    # --- files to hand over ----------------------------------------------------

    def make_file(self, fmt: str, table: str = "answers", document: str = "report") -> None:
        from motives.export import session_file

        try:
            made = session_file(self.store, self.session, fmt, table, document)
        except MotivesError as exc:
            self.export_status.error(explain(exc, self.language))
            return
        self.export_status.clear()
        self.downloads.value = download_link(made.name, made.mime, made.content, self.language)

    def catalogue_file(self) -> None:
        from motives.catalogue import catalogue_to_toml, with_motives

        picked = set(self.pick.value)
        if not picked:
            self.catalogue_status.error(message(self.language, "catalogue_none"))
            return
        rows = tally.motive_rows(self.answers)
        additions = [(r.side, {self.language: r.text}) for r in rows.itertuples() if r.group in picked]
        try:
            grown = with_motives(self.session.catalogue, additions)
            toml = catalogue_to_toml(grown)
        except MotivesError as exc:  # past a catalogue's limits: said as a catalogue problem
            self.catalogue_status.error(explain(exc, self.language))
            return
        self.catalogue_status.clear()
        name = f"motives-{self.session.code}-catalogue.toml"
        self.catalogue_link.value = download_link(name, "application/toml", toml, self.language)

    # --- several sessions ---------------------------------------------------

    def _show_sessions(self) -> None:
        language = self.language
        rows = []
        for session in self.store.compared_sessions(self.session):
            if session.id == self.session.id:
                rows.append((session.code, session.name, self.answers, self.teams))
                continue
            # Another session is read again only when it changed.
            revision = self.store.state(session).revision
            cached = self._others.get(session.code)
            if cached is None or cached[0] != revision:
                records = self.store.records(session)
                # The other session's motives in this dashboard's language.
                answers = tally.answers_frame(records, language=language)
                frames = (session.code, session.name, answers, tally.teams_frame(records))
                cached = self._others[session.code] = (revision, frames)
            rows.append(cached[1])
        overview = tally.sessions_overview(rows)
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
        self.sessions_view.value = frame_html(display, language)

    def _add_session(self) -> None:
        try:
            self.store.add_compared_session(self.session, self.other_code.value, self.other_key.value)
        except MotivesError as exc:
            self.sessions_status.error(explain(exc, self.language))
            return
        self.other_code.value = self.other_key.value = ""
        self.sessions_status.clear()
        self._show_sessions()

    # --- steering ---------------------------------------------------------------

    def _live_changed(self, change) -> None:
        self.live.description = message(self.language, "live" if change["new"] else "paused")
        if change["new"]:
            self.poll()

    def _projector_changed(self, change) -> None:
        (self.add_class if change["new"] else self.remove_class)("motives-projector")
        if self.balance is not None and len(self.balance):
            self._draw_chart()

    def _reveal_changed(self, change) -> None:
        try:
            self.store.set_revealed(self.session, bool(change["new"]))
        except MotivesError as exc:
            self.status.error(explain(exc, self.language))
        self.poll()

    def _lock_changed(self, change) -> None:
        try:
            self.store.set_locked(self.session, bool(change["new"]))
        except MotivesError as exc:
            self.status.error(explain(exc, self.language))
        self.poll()

    def _start_timer(self) -> None:
        try:
            self.store.start_timer(self.session, self.minutes.value)
        except MotivesError as exc:
            self.status.error(explain(exc, self.language))
        self.poll()

    def _stop_timer(self) -> None:
        try:
            self.store.stop_timer(self.session)
        except MotivesError as exc:
            self.status.error(explain(exc, self.language))
        self.poll()


class DashboardPage(AppPage):
    """The page the trainer opens: without the session's trainer key it shows no team data at all."""

    page_class = "motives-dashboard-page"

    def __init__(self, params: dict[str, str] | None = None, store: Store | None = None) -> None:
        self.dashboard: Dashboard | None = None
        super().__init__(params, store)
        code, key = self.params.get("session", ""), self.params.get("key", "")
        if code and key:
            self.open_session(code, key)
        else:
            self.ask(code[:12], message(self.language, "need_key") if code else "")

    def ask(self, code: str = "", error: str = "") -> None:
        lang = self.language
        self.code_field = w.Text(value=code, description=message(lang, "session_code"))
        self.key_field = w.Password(description=message(lang, "trainer_key"))
        self.open_button = w.Button(description=message(lang, "open"), button_style="primary")
        self.form_status = Status(lang)
        if error:
            self.form_status.error(error)
        self.open_button.on_click(lambda _b: self.open_session(self.code_field.value, self.key_field.value))
        form = w.VBox(
            [
                text_block(message(lang, "dashboard_form_title"), "h2"),
                self.code_field,
                self.key_field,
                self.open_button,
                self.form_status,
            ]
        )
        form.add_class("motives-form")
        self.body.children = [form]
        self.identify(message(lang, "page_dashboard_form"))

    def open_session(self, code: str, key: str) -> None:
        try:
            session = self.store.session(code)
        except MotivesError as exc:
            self.ask(code[:12], explain(exc, self.language))
            return
        if not session.key_matches(key):
            self.language = session.language
            self.ask(session.code, message(self.language, "wrong_key" if key else "need_key"))
            return
        self.language = session.language
        try:
            dashboard = Dashboard(self.store, session)
        except MotivesError as exc:
            self.ask(session.code, explain(exc, self.language))
            return
        self.dashboard = dashboard
        self.body.children = [dashboard]
        self.identify(message(self.language, "page_dashboard", session=session.name))
