"""The projector: one slide at a time, full screen, in a window of its own that the trainer drags to
the projector (a presenter's and an audience's view, as in a slide show).

The projector window opens with the session's screen key (:attr:`motives.models.Session.screen_key`),
never with the trainer key, and shows only slides (:mod:`motives.projector`): no trainer control, no
key, no team's link. The trainer moves through the slides from the overview (:class:`ScreenRemote`)
or with the keyboard on the projector window itself (arrows, space; the page template's script
presses the window's own previous and next buttons). The slide on screen is kept in the store, so
both windows agree and a reload of either comes back to it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import ipywidgets as w

from motives import tally
from motives.errors import MotivesError, UnknownSession
from motives.grouping import Grouper
from motives.i18n import N_, message
from motives.markup import esc
from motives.models import Session, SessionRecords, SessionState
from motives.projector import Join, Slide, pick, slide_html, slides, step
from motives.settings import Settings
from motives.store import Store
from motives.urls import PAGES, off_the_network
from motives.widgets.controls import Control, Quiet
from motives.widgets.join import join_url
from motives.widgets.look import text_block
from motives.widgets.timing import every

POLL_SECONDS = 0.5
TEAM_PAGE_PATH = "/team.ipynb"


def join_of(settings: Settings, session: Session, pages: str) -> Join:
    """What the join slide shows: the app's address a person types (its start page sends a phone to
    the code form), the session's team link for the QR code, and whether the room can reach them."""
    link = join_url(settings, session.code, session.language, pages=pages)
    page = link.partition("?")[0]
    address = page[: -len(pages + TEAM_PAGE_PATH)] if page.endswith(pages + TEAM_PAGE_PATH) else page
    problem = ""
    if off_the_network(settings):
        problem = N_("home_room_none") if settings.room else N_("home_room_local")
    return Join(address=address.rstrip("/") or page, link=link, problem=problem)


class Screen(w.VBox):
    """The slide the store names, redrawn when the answers change, moved by the trainer."""

    def __init__(self, store: Store, session: Session, settings: Settings, pages: str = PAGES) -> None:
        self.store, self.session, self.settings, self.pages = store, session, settings, pages
        self.language = language = session.language
        self.view = w.HTML()
        self.view.add_class("motives-screen-slide")
        self.where = w.HTML()
        self.where.add_class("motives-screen-where")
        self.previous = w.Button(description="◀", tooltip=message(language, "slide_previous"))
        self.next = w.Button(description="▶", tooltip=message(language, "slide_next"))
        self.previous.add_class("motives-screen-previous")
        self.next.add_class("motives-screen-next")
        self.previous.on_click(lambda _b: self.move(-1))
        self.next.on_click(lambda _b: self.move(1))
        footer = w.HBox([self.where, self.previous, self.next])
        footer.add_class("motives-screen-footer")
        super().__init__([self.view, footer])
        self.add_class("motives-screen")
        self._grouper = Grouper(session.catalogue, session.language)
        self.frames: tally.Frames | None = None
        self.slides: list[Slide] = []
        self.revision: int | None = None
        self.stored = ""
        self.ended = False
        self.moves = 0  # the slides moved from this window's keyboard
        self._clock: asyncio.Task | None = None
        self.join = join_of(settings, session, pages)

    def start(self) -> None:
        """Read the store and show the slide, then follow it: a screen is built first, then started."""
        self.refresh()
        if not self.ended:  # deleted while the page opened: nothing to follow
            self._clock = every(POLL_SECONDS, self.look, self.show_looked)

    def poll(self) -> None:
        """Follow the store now: one look, shown at once (tests)."""
        self.show_looked(self.look())

    def look(self) -> tuple[int, Looked]:
        """The session's state, and its records when they changed: store calls only, no widget changes,
        so that it can run off the kernel's event loop (:func:`motives.widgets.timing.every`). With the
        count of this window's own moves when it began (see :meth:`show_looked`)."""
        moves = self.moves
        if self.ended:
            return moves, None
        try:
            state = self.store.state(self.session)
            return moves, (state, self.store.records(self.session) if state.revision != self.revision else None)
        except MotivesError as refusal:
            return moves, refusal

    def show_looked(self, counted: tuple[int, Looked]) -> None:
        """Follow the store; a look that began before this window's last move is behind it (it would put
        the slide before back): the next one shows what the store holds."""
        moves, looked = counted
        if self.ended or looked is None or moves != self.moves:
            return
        if isinstance(looked, UnknownSession):
            self.end()
            return
        if isinstance(looked, MotivesError):
            return  # the store is away for a moment: the slide stays, the next poll tries again
        state, records = looked
        if records is not None:
            self._show_records(records, state)
        elif state.screen != self.stored or self._network_changed():
            self.stored = state.screen
            self.show()

    def _network_changed(self) -> bool:
        """On the join screen: whether the laptop's address changed (the Wi-Fi joined after the window
        opened). The slide, QR code and all, is drawn again only then."""
        if pick(self.slides, self.stored).kind != "join":
            return False
        join = join_of(self.settings, self.session, self.pages)
        changed, self.join = join != self.join, join
        return changed

    def refresh(self) -> None:
        try:
            records, state = self.store.records(self.session), self.store.state(self.session)
        except UnknownSession:
            self.end()
            return
        except MotivesError:
            return
        self._show_records(records, state)

    def _show_records(self, records: SessionRecords, state: SessionState) -> None:
        self.revision, self.stored = records.revision, state.screen
        self.frames = tally.Frames.of(records, self._grouper)
        self.slides = slides(self.frames)
        self.show()

    def show(self) -> None:
        if self.frames is None:
            return
        slide = pick(self.slides, self.stored)
        html = slide_html(slide, self.frames, self.join, self.language)
        if html != self.view.value:
            self.view.value = html
        number = self.slides.index(slide) + 1
        where = f"{self.session.name} · {number}/{len(self.slides)} · {message(self.language, 'slide_keys')}"
        self.where.value = f"<p>{esc(where)}</p>"

    def move(self, by: int) -> None:
        """The next (or previous) slide, from the projector window's keyboard: kept in the store."""
        if self.frames is None or self.ended:
            return
        key = step(self.slides, self.stored, by)
        self.moves += 1
        try:
            self.store.set_screen(self.session, key)
        except MotivesError:
            return
        self.stored = key
        self.show()

    def end(self) -> None:
        self.ended = True
        if self._clock is not None:
            self._clock.cancel()
        self.view.value = f'<p class="motives-slide-empty">{esc(message(self.language, "session_deleted_banner"))}</p>'


class ScreenRemote(Control):
    """The trainer's side of the projector, on the overview: a link that opens the projector window,
    the slide on it now, and previous and next. It reports the slide the trainer chose."""

    def __init__(self, language: str, link: str, move: Callable[[str], None]) -> None:
        self.move = move
        self.opener = w.HTML(
            f'<a class="motives-screen-open" href="{esc(link)}" target="_blank" rel="noopener">'
            f"{esc(message(language, 'projector_open'))}</a>"
        )
        self.picked = w.Dropdown(
            description=message(language, "projector_now"),
            style={"description_width": "initial"},  # the label whole, in every language
            layout=w.Layout(width="30em", max_width="100%"),
        )
        self.previous = w.Button(description=message(language, "slide_previous"), layout=w.Layout(width="auto"))
        self.next = w.Button(description=message(language, "slide_next"), layout=w.Layout(width="auto"))
        self.shown: list[Slide] = []
        self.slide_keys: list[str] = []
        help_text = text_block(message(language, "projector_help"), "p", "motives-help")
        buttons = w.HBox([self.previous, self.next])
        super().__init__(language, [self.opener, help_text, self.picked, buttons], "motives-screen-remote")
        self.quiet = Quiet()
        self.picked.observe(self._picked, "value")
        self.previous.on_click(lambda _b: self._step(-1))
        self.next.on_click(lambda _b: self._step(1))

    def inputs(self) -> list[w.DOMWidget]:
        return [self.picked, self.previous, self.next]

    def show(self, shown: list[Slide], stored: str) -> None:
        """The slides there are now, and the one on the projector."""
        current = pick(shown, stored).key
        options = [(slide.title(self.language), slide.key) for slide in shown]
        with self.quiet:
            if options != list(self.picked.options):
                self.picked.options = options
            self.picked.value = current
        self.shown = shown
        self.slide_keys = [slide.key for slide in shown]

    def _picked(self, change) -> None:
        if self.quiet.active or change["new"] not in self.slide_keys:
            return  # set from the store, or a value the browser made up: nothing is saved
        self.move(change["new"])

    def _step(self, by: int) -> None:
        if self.picked.value in self.slide_keys:
            self.move(step(self.shown, self.picked.value, by))


# What a look at the store found: the state and, when they changed, the records; or the refusal it met.
Looked = tuple[SessionState, SessionRecords | None] | MotivesError | None
