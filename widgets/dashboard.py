"""The trainer's dashboard: carries the plenary conversation while the teams are still working.

It follows the store by itself (a cheap revision number polled twice a
second) and redraws only what changed, so the tab, the scroll position and
the selections the trainer is looking at stay where they are. The tabs live in
:mod:`motives.widgets.dashboard_tabs`; here are the steering (live, projector, reveal,
lock, timer), the projector's remote (motives.widgets.projector) and the polling.

Heavy imports (pandas, matplotlib) belong here, not on the team page nor on the overview's form
(motives.widgets.keyed imports this module once the key fits).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any, TypeVar

import ipywidgets as w
import pandas as pd

from motives import projector, tally
from motives.errors import MotivesError, StoreError, UnknownSession
from motives.grouping import Grouper
from motives.i18n import N_, colon, message
from motives.markup import esc
from motives.models import Session, SessionRecords, SessionState
from motives.settings import Settings
from motives.store import Store
from motives.urls import PAGES, projector_path
from motives.widgets.controls import Quiet
from motives.widgets.dashboard_tabs import (
    AlikeTab,
    BalanceTab,
    ComparisonTab,
    DashboardTab,
    ExportTab,
    OwnMotivesTab,
    Progress,
    SessionsTab,
    TalkTab,
    TeamRemoval,
    file_links,
)
from motives.widgets.feedback import Refusal, Status, clock, explain
from motives.widgets.join import join_panel, join_panel_html, join_url
from motives.widgets.page import source_note
from motives.widgets.projector import ScreenRemote
from motives.widgets.timing import every, timer_text

POLL_SECONDS = 0.5
T = TypeVar("T")

__all__ = ["Dashboard"]


class Dashboard(w.VBox):
    """The comparison of one session's teams. Only built once the trainer key matched.

    It does every read and write of the dashboard; its tabs draw and report. A change in the store
    redraws the tab on screen, from the first drawing on, and a hidden tab catches up when the
    trainer opens it. ``settings`` say where teams reach the server,
    ``pages`` where the team page is served (beside this one), ``files`` where motives serve gives the
    session's files ("" elsewhere: the Export tab makes them in the page).
    """

    def __init__(
        self, store: Store, session: Session, settings: Settings | None = None, pages: str = PAGES, files: str = ""
    ) -> None:
        self.store = store
        self.session = session
        self.settings = Settings() if settings is None else settings
        self.pages_folder = pages
        self.files = files
        language = self.language = session.language
        self.status = Status(language)
        self.frames: tally.Frames | None = None
        self.state: SessionState | None = None
        self.revision: int | None = None
        # kept between refreshes: compares only new own motives
        self._grouper = Grouper(session.catalogue, session.language)
        self._others: dict[str, tuple[int, tuple]] = {}  # compared sessions' rows, by their revision
        self.quiet = Quiet()  # while the store's state is put on the toggles, nothing is saved back
        controls = self._steering()
        self.join_url = join_url(self.settings, session.code, language, pages=pages)
        self.join = join_panel(session, self.join_url)
        self.progress = Progress(language)
        self.teams_box = TeamRemoval(session, self._remove_team, self._team_link)
        # The projector's own window: opened with the screen key, never the trainer key.
        screen_link = projector_path(session.code, session.screen_key, pages, language)
        self.remote = ScreenRemote(language, screen_link, self._put_on_screen)
        self.slides: list[projector.Slide] = []
        self.tabs = self._tabs()
        header = w.HTML(
            f"<h2>{esc(message(language, 'dashboard_title'))}{colon(language)} {esc(session.name)}</h2>"
            f'<p class="motives-meta">{esc(session.catalogue.title_in(language))}</p>'
        )
        top = w.HBox([self.join, w.VBox([controls, self.remote, self.progress, self.status, self.teams_box])])
        super().__init__([header, top, self.tabs, source_note(session)])
        self.add_class("motives-dashboard")
        self.ended = False
        self.writes = 0  # the trainer's own changes from this page (steering, slides, merges, removals)
        self.unreachable = False  # the last read found the store away: the status line says so
        self.away_since = ""  # when it went away, as the status line says it
        self._clock: asyncio.Task | None = None

    def start(self) -> None:
        """Read the store and show it, then follow it: a dashboard is built first, then started. Only the
        tab on screen is drawn; another is drawn when it is chosen (the balance chart alone is a third of
        the opening at 40 teams)."""
        self.refresh()
        self._clock = every(POLL_SECONDS, self.look, self.show_looked)

    def _steering(self) -> w.HBox:
        """Live, reveal, lock and the timer, each saved (or followed) at once."""
        language, store = self.language, self.store

        def toggle(key: str, value: bool, tooltip: str = "") -> w.ToggleButton:
            return w.ToggleButton(value=value, description=message(language, key), tooltip=tooltip)

        self.live = toggle(N_("live"), True, message(language, "live_tooltip"))
        self.reveal = toggle(N_("reveal"), False)
        self.lock = toggle(N_("lock"), False)
        self.minutes = w.BoundedIntText(
            value=10, min=1, max=180, description=message(language, "minutes"), layout=w.Layout(width="9em")
        )
        self.timer_start = w.Button(description=message(language, "timer_start"))
        self.timer_stop = w.Button(description=message(language, "timer_stop"))
        self.timer = w.HTML()
        buttons = (self.live, self.reveal, self.lock, self.timer_start, self.timer_stop)
        for control in buttons:
            control.layout.width = "auto"
        self.live.observe(self._live_changed, "value")
        self.reveal.observe(lambda change: self._steer(store.set_revealed, bool(change["new"])), "value")
        self.lock.observe(lambda change: self._steer(store.set_locked, bool(change["new"])), "value")
        self.timer_start.on_click(lambda _b: self._steer(store.start_timer, self.minutes.value))
        self.timer_stop.on_click(lambda _b: self._steer(store.stop_timer))
        steering = w.HBox([*buttons[:3], self.minutes, *buttons[3:], self.timer])
        steering.add_class("motives-controls")
        return steering

    def _tabs(self) -> w.Tab:
        session = self.session
        self.talk_tab = TalkTab(session)
        self.comparison_tab = ComparisonTab(session)
        self.balance_tab = BalanceTab(session)
        self.own_tab = OwnMotivesTab(session, self._link_own)
        self.alike_tab = AlikeTab(session)
        self.sessions_tab = SessionsTab(session, self._add_compared)
        links = file_links(session, self.files) if self.files else None
        self.export_tab = ExportTab(session, self._make_file, links)
        self.pages: list[DashboardTab] = [
            self.talk_tab,
            self.comparison_tab,
            self.balance_tab,
            self.own_tab,
            self.alike_tab,
            self.sessions_tab,
            self.export_tab,
        ]
        tabs = w.Tab(self.pages, titles=[message(self.language, page.title_key) for page in self.pages])
        tabs.add_class("motives-tabs")
        tabs.observe(lambda _change: self._show(), "selected_index")
        return tabs

    @property
    def comparison(self) -> pd.DataFrame | None:
        """The comparison the dashboard shows (see :func:`motives.tally.comparison`)."""
        return None if self.frames is None else self.frames.comparison

    @property
    def balance(self) -> pd.DataFrame | None:
        """Each team's balance the dashboard shows (see :func:`motives.tally.balance`)."""
        return None if self.frames is None else self.frames.balance

    # --- following the store ----------------------------------------------

    def poll(self) -> None:
        """Follow the store now: one look, shown at once (tests)."""
        self.show_looked(self.look())

    def look(self) -> tuple[int, Looked]:
        """The session's state, and its records when a live dashboard redraws: store calls only, no
        widget changes, so that it can run off the kernel's event loop (motives.widgets.timing.every).
        With the count of the trainer's own writes when it began (see :meth:`show_looked`)."""
        writes = self.writes
        if self.ended:
            return writes, None
        try:
            state = self.store.state(self.session)
            redraw = self.live.value and (self.unreachable or state.revision != self.revision)
            return writes, (state, self.store.records(self.session) if redraw else None)
        except MotivesError as refusal:
            return writes, refusal

    def show_looked(self, counted: tuple[int, Looked]) -> None:
        """Redraw when the store changed (unless paused); keep the timer ticking either way. A look that
        began before the trainer's last change (a reveal, a slide) is behind it: the next one shows it."""
        writes, looked = counted
        if self.ended or looked is None or writes != self.writes:
            return
        away = self.unreachable
        read = self._read(lambda: _raised(looked))
        if read is None:
            return
        state, records = read
        self._show_state(state)
        self._follow_the_network()
        # Back from an outage: the status line stops saying so, and a live dashboard redraws.
        if records is not None:
            self.refresh(read=(records, state))
        elif away:
            self.status.clear()

    def _follow_the_network(self) -> None:
        """The join link and QR code show the laptop's address as it is now (joined to the Wi-Fi later)."""
        link = join_url(self.settings, self.session.code, self.language, pages=self.pages_folder)
        if link != self.join_url:
            self.join_url = link
            self.join.value = join_panel_html(self.session, link)

    def refresh(
        self,
        *,
        also: DashboardTab | None = None,
        read: tuple[SessionRecords, SessionState] | None = None,
    ) -> None:
        """Read the store again (unless ``read`` is what a look just read) and redraw the tab on screen
        (``also``: one more)."""
        if read is None:
            read = self._read(lambda: (self.store.records(self.session), self.store.state(self.session)))
        if read is None:
            return
        records, state = read
        self._show_state(state)
        self.revision = records.revision
        self.frames = tally.Frames.of(records, self._grouper)
        self.slides = projector.slides(self.frames)
        self.remote.show(self.slides, state.screen)
        self.progress.update(self.frames)
        self.teams_box.update(self.frames)
        self._show(also)
        self.status.ok(message(self.language, "refreshed_at", time=clock(self.language)))

    def _show(self, also: DashboardTab | None = None) -> None:
        frames = self.frames
        if frames is None:
            return
        for number, page in enumerate(self.pages):
            if number == self.tabs.selected_index or page is also:
                if page is self.sessions_tab:
                    compared = self._read(lambda: self._compared(frames))
                    page.compared = compared if compared is not None else page.compared
                page.update(frames)

    def _compared(self, frames: tally.Frames) -> list[tuple]:
        """This session and the others the trainer added, as the Sessions tab shows them."""
        rows = []
        for session in self.store.compared_sessions(self.session):
            row: tuple[Any, ...] | None = (session.code, session.name, frames.answers, frames.teams)
            if session.id != self.session.id:
                row = self._other(session)
            if row is not None:
                rows.append(row)
        return rows

    def _other(self, session: Session) -> tuple | None:
        """Another session's row, read again only when it changed; None once it is gone (deleted a
        moment ago, from the home say: this dashboard goes on)."""
        try:
            revision = self.store.state(session).revision
            cached = self._others.get(session.code)
            if cached is None or cached[0] != revision:
                records = self.store.records(session)
                # The other session's motives in this dashboard's language.
                answers = tally.answers_frame(records, language=self.language)
                row = (session.code, session.name, answers, tally.teams_frame(records))
                cached = self._others[session.code] = (revision, row)
        except UnknownSession:
            return None
        return cached[1]

    def _read(self, read: Callable[[], T]) -> T | None:
        """Read the store; a deleted session ends the dashboard, a store that cannot be reached (the database
        restarted, stopped) is said in the status line until a read works again, any other failure is said."""
        try:
            value = read()
        except StoreError as error:
            if error.key != "store_unusable":  # a conflict, a damaged store: said as such, not as "away"
                self.status.error(explain(error, self.language))
                return None
            if not self.unreachable:
                self.away_since = clock(self.language)
            self.unreachable = True
            self.status.error(message(self.language, "dashboard_unreachable", time=self.away_since))
            return None
        except UnknownSession:
            self.end()
            return None
        except MotivesError as error:
            self.status.error(explain(error, self.language))
            return None
        self.unreachable = False
        return value

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
        with self.quiet:
            self.reveal.value = state.revealed
            self.lock.value = state.locked
        self.reveal.description = message(self.language, "revealed" if state.revealed else "reveal")
        self.reveal.button_style = "warning" if state.revealed else ""
        self.lock.description = message(self.language, "locked" if state.locked else "lock")
        self.lock.button_style = "danger" if state.locked else ""
        if self.slides:  # moved from the projector window's keyboard: the remote follows
            self.remote.show(self.slides, state.screen)

    # --- what the tabs report: the writes ---------------------------------------

    def _steer(self, save: Callable[..., object], *args: object) -> None:
        """Save what the trainer set (reveal, lock, timer) and show what the store now says."""
        if self.quiet.active:
            return
        self.writes += 1
        with Refusal(self.status):
            save(self.session, *args)
        self.poll()

    def _link_own(self, tab: OwnMotivesTab, ids: list[int], group: str) -> None:
        """The own motives ``ids`` go into ``group`` ("": each its own again); the tab says a refusal."""
        self.writes += 1
        self.store.link_own_motives(self.session, ids, group)
        self.refresh(also=tab)

    def _add_compared(self, tab: SessionsTab, code: str, key: str) -> None:
        self.store.add_compared_session(self.session, code, key)
        self._show(also=tab)

    def _make_file(self, fmt: str, table: str, document: str):
        from motives.export import session_file

        return session_file(self.store, self.session, fmt, table, document)

    def _team_link(self, name: str) -> str:
        """The team's own link (with its key), or "" when there is no such team (any more)."""
        team = self.store.find_team(self.session, name)
        if team is None:
            return ""
        return join_url(self.settings, self.session.code, self.language, team, self.pages_folder)

    def _remove_team(self, name: str, bar: bool) -> None:
        self.writes += 1
        self.store.remove_team(self.session, name, bar=bar)
        self.refresh()  # picks another team, which clears the tab's status

    def _live_changed(self, change) -> None:
        self.live.description = message(self.language, "live" if change["new"] else "paused")
        if change["new"]:
            self.poll()

    def _put_on_screen(self, key: str) -> None:
        """The slide the trainer chose goes on the projector (its window follows the store)."""
        self.writes += 1
        with Refusal(self.remote.status) as refused:
            self.store.set_screen(self.session, key)
        if not refused:
            self.remote.show(self.slides, key)


# What a look at the store found: the state and, when redrawing, the records; or the refusal it met.
Looked = tuple[SessionState, SessionRecords | None] | MotivesError | None


def _raised(looked: T | MotivesError) -> T:
    """What a look read, or the refusal it met raised again (for :meth:`Dashboard._read` to say)."""
    if isinstance(looked, MotivesError):
        raise looked
    return looked
