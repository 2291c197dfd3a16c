"""What both pages are: the request, the page's language, the settings, the store, the stylesheet.

A page is its notebook's one call (``TeamPage.from_request()``): it reads the request and the
settings there, once, and hands them to everything it draws.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Generic, TypeVar, cast

import ipywidgets as w
from ipywidgets.widgets.widget_string import HTMLStyle

from motives.i18n import DEFAULT_LANGUAGE, language_or_default, message, translation_note
from motives.markup import esc
from motives.models import Catalogue, Session
from motives.request import Request, the_request, warm_kernel
from motives.settings import Settings
from motives.widgets.comms import guard_comms
from motives.widgets.look import fixed_look, replace_children, stylesheet
from motives.wire import TeamPageStore

if TYPE_CHECKING:  # the team page's kernel reaches the store through its server: no SQLAlchemy there
    from motives.remote import RemoteStore
    from motives.store import Store

# What a page asks of its store: the whole store for the home and the dashboard, the team page's
# calls for a team page (which may reach them through its server).
StoreT = TypeVar("StoreT", bound=TeamPageStore)


# Between a form's last message and the end of its kernel.
FORM_END_SECONDS = 2.0


def page_language(params: Mapping[str, str]) -> str:
    """The language of a page before it knows its session: the link's ``lang``, else Dutch."""
    return language_or_default(params.get("lang", DEFAULT_LANGUAGE))


class AppPage(w.VBox, Generic[StoreT]):
    """A page: what it shows comes from ``request``; the store is opened on first use.

    A page that only shows a form (as in JupyterLab or under nbval without a query string)
    never needs a store. ``request`` may be a plain mapping of query parameters (tests). Each
    page says in :meth:`begin` what it shows first.
    """

    page_class = "motives-page"

    def __init__(
        self,
        request: Request | Mapping[str, str] | None = None,
        store: StoreT | None = None,
        settings: Settings | None = None,
    ) -> None:
        self._shell()
        self.start(request, store, settings)

    def _shell(self) -> None:
        """What every page is before it knows its request: the stylesheet, the identity marker, a body."""
        guard_comms()  # before the first widget: the browser shows this page's widgets, it makes none
        self.body = w.VBox()
        # The tab's title and the page's language: the template applies them (templates/motives/index.html.j2).
        self.identity = w.HTML(**fixed_look(HTMLStyle))
        self.identity.add_class("motives-identity-box")
        super().__init__([stylesheet(), self.identity, self.body])
        self.add_class("motives-app")
        self.add_class(self.page_class)

    def start(
        self,
        request: Request | Mapping[str, str] | None = None,
        store: StoreT | None = None,
        settings: Settings | None = None,
    ) -> None:
        """Show what ``request`` asks for (:meth:`begin`)."""
        if request is None:
            request = Request.from_env()
        elif not isinstance(request, Request):
            request = Request(params=dict(request))
        self.request = request
        self.params = request.params
        self.settings = Settings.from_env() if settings is None else settings
        self.language = page_language(self.params)
        self._store = store
        self.begin()
        if self.request.served and not self.past_the_form():
            self._end_the_form_later()

    def begin(self) -> None:
        """Show what the request asks for: a page's own first step."""

    def past_the_form(self) -> bool:
        """Whether the page shows what it is for (a worksheet, an overview), not a form that asks for a
        code, a name or a key. A page still on its form when ``settings.form_seconds`` have passed ends."""
        return True

    def _end_the_form_later(self) -> None:
        import asyncio

        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # no event loop (a script): nothing holds a kernel
            return
        loop.call_later(self.settings.form_seconds, self.end_the_form)

    def end_the_form(self) -> None:
        """A form left open this long ends its kernel (a script could keep it connected for good): the
        page says so and how to go on, then the kernel stops."""
        if self.past_the_form():
            return
        import asyncio
        import os

        note = message(self.language, "form_ended")
        again = message(self.language, "form_reload")
        self._replace_body(
            [w.HTML(f'<p class="motives-help" role="alert">{esc(note)} <a href="">{esc(again)}</a></p>')]
        )
        # A moment for the message to reach the browser; the server starts no kernel in its place.
        asyncio.get_running_loop().call_later(FORM_END_SECONDS, os._exit, 0)

    @classmethod
    def from_request(cls, store: StoreT | None = None):
        """The page for the request Voilà passed this kernel, with the deployment's settings
        (and its store, unless one is given)."""
        if warm_kernel():
            return cls.waiting_for_its_request(store)
        return cls(Request.from_env(), store, Settings.from_env())

    @classmethod
    def waiting_for_its_request(cls, store: StoreT | None = None):
        """In a warm kernel (motives.server.pool): the page without its request, shown at once, which
        shows what the request asks for once a page has taken this kernel. Voilà sends the page's HTML
        at once; its widgets fill in over the websocket, as they do when a page changes."""
        import asyncio

        page = cls.__new__(cls)
        page._shell()

        async def started() -> None:
            try:
                request = await the_request()
            except Exception as exc:  # the server is gone, or never answers: no page will get this one
                import os
                import sys

                print(f"motives: a warm page never got its request: {exc}", file=sys.stderr)
                os._exit(1)
            try:
                page.start(request, store, Settings.from_env())
            except Exception:  # what a page started for its request would show as a failed cell
                import traceback

                traceback.print_exc()
                language = page_language(request.params)
                said, again = message(language, "page_not_started"), message(language, "form_reload")
                page._replace_body(
                    [w.HTML(f'<p class="motives-error" role="alert">{esc(said)} <a href="">{esc(again)}</a></p>')]
                )

        # Kept by the page: the loop holds only a weak reference to its tasks.
        page._waiting = asyncio.get_running_loop().create_task(started())
        return page

    def identify(self, title: str, query: str = "", upload: tuple[int, str] | None = None) -> None:
        """Name the browser tab ``title`` and declare the page's language (``<html lang>``); with
        ``query`` (``?session=…&team=…``), make it the address bar's, so that a bookmark or a
        reload opens this very page (a team's own link, with its key); with ``upload`` (the largest
        file in bytes, and what to say of a larger one), a file picked on the page that is larger is
        refused there: the page's websocket would close on it.

        A hidden marker, read by the page template's script: the kernel sends no script of its
        own, and the title (a team's name is user text) only ever reaches ``document.title``.
        """
        link = f' data-motives-query="{esc(query)}"' if query.startswith("?") else ""
        if upload:  # (bytes, refusal): a bigger file is refused in the browser, never sent to the kernel
            link += f' data-motives-upload-max="{int(upload[0])}" data-motives-upload-refused="{esc(upload[1])}"'
        self.identity.value = (
            f'<span hidden class="motives-identity" data-motives-lang="{esc(self.language)}"'
            f' data-motives-title="{esc(title)}"{link}></span>'
        )

    def _replace_body(self, children: list[w.Widget]) -> None:
        # A replaced form's widgets are closed: they can no longer be reached over the websocket.
        replace_children(self.body, children)

    @property
    def store(self) -> StoreT:
        if self._store is None:
            self._store = self.open_store()
        return self._store

    def open_store(self) -> StoreT:
        """The deployment's store, opened here (the dashboard's and the home's: they read whole sessions)."""
        from motives.store import Store

        return cast(StoreT, Store(settings=self.settings))

    def service_store(self) -> RemoteStore | None:
        """Under ``motives serve``, the server's store reached through it (motives.remote): this kernel
        imports no SQLAlchemy and holds no database connection for what it asks there. None elsewhere."""
        if not self.settings.store_service:
            return None
        from motives.remote import RemoteStore

        return RemoteStore(self.settings.store_service, self.settings.store_token)


def source_note(session: Session) -> w.HTML:
    """The worksheet's source attribution, which travels with the catalogue: on both pages."""
    return credit_note(session.catalogue, session.language, translation_note(session))


def credit_note(catalogue: Catalogue, language: str, translation: str = "") -> w.HTML:
    """The credit as a page shows it (and the editor's preview): its lines, then ``translation``."""
    if not catalogue.source_in(language):
        return w.HTML()
    lines = [*catalogue.credit_lines(language), translation]
    body = "<br>".join(esc(line) for line in lines if line)
    note = w.HTML(f"<h4>{esc(message(language, 'source_heading'))}</h4><p>{body}</p>")
    note.add_class("motives-source")
    return note


# The trainer's pages (home, overview, projector) read whole sessions: the whole store. Its module
# (SQLAlchemy) is imported only once such a page opens it, so the type exists for the checker alone.
if TYPE_CHECKING:
    TrainerPage = AppPage[Store]
else:
    TrainerPage = AppPage
