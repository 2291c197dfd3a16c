"""Pieces both pages share: the query string, the stylesheet, escaped text, messages."""

from __future__ import annotations

import asyncio
import logging
import math
import os
import sys
import time
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import parse_qs

import ipywidgets as w
from ipywidgets.widgets.widget_string import HTMLStyle

from motives import validate
from motives.errors import (
    ArchiveError,
    CatalogueError,
    InvalidInput,
    MotivesError,
    StoreError,
    UnknownSession,
    UnknownTeam,
)
from motives.i18n import DEFAULT_LANGUAGE, language_or_default, message, time_of_day
from motives.markup import esc
from motives.store import Store
from widgets.comms import guard_comms

log = logging.getLogger("motives")
# A kernel's sys.stderr goes to the page, which shows nothing after the cell ran;
# the process's own stderr ends up in the terminal of `motives serve`.
log.addHandler(logging.StreamHandler(sys.__stderr__))
log.propagate = False
_CSS = (Path(__file__).parent / "app.css").read_text(encoding="utf-8")


def query_params(query: str | None = None) -> dict[str, str]:
    """The page's query string as a dict of first values; Voilà passes it as ``QUERY_STRING``."""
    if query is None:
        query = os.environ.get("QUERY_STRING", "")
    return {key: values[0].strip() for key, values in parse_qs(query, keep_blank_values=False).items()}


def page_language(params: dict[str, str]) -> str:
    """The language of a page before it knows its session: the link's ``lang``, else Dutch."""
    return language_or_default(params.get("lang", DEFAULT_LANGUAGE))


def stylesheet() -> w.HTML:
    return w.HTML(f"<style>{_CSS}</style>", layout=w.Layout(display="none"))


# One Layout and one Style model per kind, shared by every widget that never changes
# its own: a team page then opens ~90 models instead of ~200, and each model costs a
# message through the server and an object in the browser.
_SHARED: dict[type, w.Widget] = {}


def shared(kind: type[w.Widget]) -> w.Widget:
    """The page's one plain instance of ``kind`` (``w.Layout``, ``w.HTMLStyle`` …); never change it."""
    model = _SHARED.get(kind)
    if model is None or model.comm is None:
        model = _SHARED[kind] = kind()
    return model


def lean(style: type[w.Widget] | None = None) -> dict[str, w.Widget]:
    """Constructor arguments for a widget whose layout (and style) stay as they are: shared models."""
    parts = {"layout": shared(w.Layout)}
    if style is not None:
        parts["style"] = shared(style)
    return parts


def text_block(text: str = "", tag: str = "p", cls: str = "") -> w.HTML:
    """An HTML widget whose content is escaped text inside one tag of ours."""
    widget = w.HTML(**lean(HTMLStyle))
    set_text(widget, text, tag, cls)
    return widget


def set_text(widget: w.HTML, text: str, tag: str = "p", cls: str = "") -> None:
    attr = f' class="{esc(cls)}"' if cls else ""
    widget.value = f"<{tag}{attr}>{esc(text)}</{tag}>" if text else ""


def explain(error: Exception, language: str) -> str:
    """One sentence for a person, in their language, for anything that went wrong."""
    if isinstance(error, InvalidInput):
        return message(language, error.key, **error.params)
    if isinstance(error, UnknownSession):
        return message(language, "unknown_session", code=error.code)
    if isinstance(error, UnknownTeam):
        return message(language, "unknown_team", name=error.name)
    # A catalogue or an archive that cannot be used is no store failure: say what it is.
    if isinstance(error, CatalogueError):
        return message(
            language, "catalogue_error", motives=validate.MAX_CATALOGUE_MOTIVES, length=validate.MAX_MOTIVE_TEXT
        )
    if isinstance(error, ArchiveError):
        return message(language, "archive_error")
    if isinstance(error, StoreError | MotivesError):
        return message(language, "store_error")
    raise error


def clock(language: str = DEFAULT_LANGUAGE, moment: datetime | None = None) -> str:
    """The time of day as the page's language writes it, with seconds (a save is seen to happen)."""
    return time_of_day(language, moment)


class Status(w.HTML):
    """A line that says what just happened: saved, or what went wrong."""

    def __init__(self, language: str, **kwargs) -> None:
        super().__init__(**{**lean(HTMLStyle), **kwargs})
        self.language = language
        self.add_class("motives-status")

    def ok(self, text: str) -> None:
        self.value = f'<p class="motives-ok" role="status">{esc(text)}</p>'

    def error(self, text: str) -> None:
        self.value = f'<p class="motives-error" role="alert">{esc(text)}</p>'

    def clear(self) -> None:
        self.value = ""

    @property
    def is_error(self) -> bool:
        return "motives-error" in self.value


class Refusal:
    """Do what a person asked; when the store refuses, say why in ``status`` and go on.

    The one way a control saves and shows a refusal::

        with Refusal(status) as refused:
            store.set_locked(session, True)
        if refused:
            return
    """

    def __init__(self, status: Status, also: str | None = None) -> None:
        self.status = status
        self.also = also  # a message key said after the reason, such as what became of the typed text
        self.happened = False

    def __enter__(self) -> Refusal:
        return self

    def __exit__(self, _kind: object, error: BaseException | None, _trace: object) -> bool:
        if not isinstance(error, MotivesError):
            return False  # a bug is not a refusal: let it show
        self.happened = True
        text = explain(error, self.status.language)
        if self.also:
            text = f"{text} {message(self.status.language, self.also)}"
        self.status.error(text)
        return True

    def __bool__(self) -> bool:
        return self.happened


class Quiet:
    """Set widget values from the store without their observers saving them again.

    ``with self.quiet: control.value = stored`` and, in the observer, ``if self.quiet.active: return``.
    """

    def __init__(self) -> None:
        self.active = False

    def __enter__(self) -> None:
        self.active = True

    def __exit__(self, *_exc: object) -> None:
        self.active = False


class Debounce:
    """Run ``action`` once typing pauses, not at every keystroke.

    Inside a kernel (a running event loop) the call waits ``delay`` seconds
    for the next one; without a loop, as in tests, it runs at once.
    """

    def __init__(self, action: Callable[[], None], delay: float = 0.8) -> None:
        self.action = action
        self.delay = delay
        self._handle: asyncio.TimerHandle | None = None

    def __call__(self, *_args: object) -> None:
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            self.action()
            return
        if self._handle is not None:
            self._handle.cancel()
        self._handle = loop.call_later(self.delay, self.flush)

    @property
    def pending(self) -> bool:
        """Typing that is not saved yet."""
        return self._handle is not None

    def flush(self) -> None:
        self._handle = None
        self.action()


def close_all(widgets: Iterable[w.Widget]) -> None:
    """Close replaced widgets and everything inside them.

    A widget taken off the screen stays alive in the kernel (and reachable over the
    websocket) until it is closed; a page that redraws would otherwise grow for ever.
    """
    for widget in widgets:
        close_all(getattr(widget, "children", ()))
        # A widget's own Layout and Style models go with it; shared ones stay for the others.
        parts = (getattr(widget, "layout", None), getattr(widget, "style", None))
        close_all(part for part in parts if part is not None and part is not _SHARED.get(type(part)))
        widget.close()


class Pace:
    """At most one action every ``seconds`` (say, adding a motive), whatever the page sends."""

    def __init__(self, seconds: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.seconds = seconds
        self.clock = clock
        self._last = -math.inf

    def wait(self) -> float:
        """Seconds still to wait before the next action (0 when it may go ahead)."""
        return max(0.0, self._last + self.seconds - self.clock())

    def done(self) -> None:
        self._last = self.clock()


class Backoff:
    """Free tries, then a wait that doubles with every failure (2, 4, 8 … up to ``longest`` seconds)."""

    def __init__(self, free: int, longest: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.free = free
        self.longest = longest
        self.clock = clock
        self.failures = 0
        self._until = -math.inf

    def wait(self) -> float:
        return max(0.0, self._until - self.clock())

    def failed(self) -> None:
        self.failures += 1
        if self.failures >= self.free:
            self._until = self.clock() + min(self.longest, 2.0 ** (self.failures - self.free + 1))


def every(seconds: float, action: Callable[[], None]) -> asyncio.Task | None:
    """Call ``action`` every few seconds for as long as the kernel lives (the page is open).

    Returns None outside a running event loop (tests call ``action`` themselves).
    A failing call is skipped, never the end of the loop: the next one may work.
    """
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        return None

    async def run() -> None:
        while True:
            await asyncio.sleep(seconds)
            try:
                action()
            except Exception:
                # A poll that fails (say the store is busy) must not stop the page's clock;
                # the kernel's log (Voilà's terminal) says what happened.
                log.exception("polling failed")

    return loop.create_task(run())


def time_left(ends_at: datetime | None, now: datetime | None = None) -> int | None:
    """Whole seconds until ``ends_at`` (0 once past); None without a timer."""
    if ends_at is None:
        return None
    now = now or datetime.now(UTC)
    return max(0, int((ends_at - now).total_seconds() + 0.999))


def timer_text(language: str, ends_at: datetime | None, now: datetime | None = None, *, minutes: bool = False) -> str:
    """The phase timer as text; ``minutes`` changes it once a minute instead of every second.

    The team page uses whole minutes: a page that sends nothing while nothing changes lets an
    abandoned page's kernel go idle and be culled.
    """
    seconds = time_left(ends_at, now)
    if seconds is None:
        return ""
    if seconds == 0:
        return message(language, "timer_done")
    if minutes:
        until = time_of_day(language, ends_at, seconds=False)
        return message(language, "timer_minutes", minutes=(seconds + 59) // 60, until=until)
    return message(language, "timer_left", time=f"{seconds // 60}:{seconds % 60:02d}")


class AppPage(w.VBox):
    """What both pages share: the query string, the page's language, the store, the stylesheet.

    The store is opened on first use, so a page that only shows a form (as in
    JupyterLab or under nbval without a query string) never needs one.
    """

    page_class = "motives-page"

    def __init__(self, params: dict[str, str] | None = None, store: Store | None = None) -> None:
        guard_comms()  # before the first widget: the browser shows this page's widgets, it makes none
        self.params = query_params() if params is None else params
        self.language = page_language(self.params)
        self._store = store
        self.body = w.VBox()
        # The tab's title and the page's language: the template applies them (templates/motives/index.html.j2).
        self.identity = w.HTML(**lean(HTMLStyle))
        self.identity.add_class("motives-identity-box")
        super().__init__([stylesheet(), self.identity, self.body])
        self.add_class("motives-app")
        self.add_class(self.page_class)

    def identify(self, title: str, query: str = "") -> None:
        """Name the browser tab ``title`` and declare the page's language (``<html lang>``); with
        ``query`` (``?session=…&team=…``), make it the address bar's, so that a bookmark or a
        reload opens this very page (a team's own link, with its key).

        A hidden marker, read by the page template's script: the kernel sends no script of its
        own, and the title (a team's name is user text) only ever reaches ``document.title``.
        """
        link = f' data-motives-query="{esc(query)}"' if query.startswith("?") else ""
        self.identity.value = (
            f'<span hidden class="motives-identity" data-motives-lang="{esc(self.language)}"'
            f' data-motives-title="{esc(title)}"{link}></span>'
        )

    def _replace_body(self, children: list[w.Widget]) -> None:
        old = self.body.children
        self.body.children = children
        close_all(old)  # a replaced form's widgets can no longer be reached over the websocket

    @classmethod
    def from_query(cls, query: str | None = None):
        """The page for a query string; by default the one Voilà passes as ``QUERY_STRING``."""
        return cls(query_params(query))

    @property
    def store(self) -> Store:
        if self._store is None:
            self._store = Store()
        return self._store
