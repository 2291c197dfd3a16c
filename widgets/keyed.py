"""The trainer's keyed pages, the overview and the projector window, until their key fits.

A page whose key is missing or wrong shows a form or a sentence and holds its kernel while its
browser stays: it imports neither pandas nor matplotlib (some 75 MB a kernel), nor opens the store
before a try. Under ``motives serve`` a try asks the server's store service whether the key fits
(:class:`motives.wire.FormStore`), as a team page's code form asks for its session: a wrong key costs
no SQLAlchemy either (13 MB and a third of a second of CPU). The store is opened, and the overview
itself (:mod:`motives.widgets.dashboard`) and the projector's slides (:mod:`motives.widgets.projector`)
imported, once the key fits.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import ipywidgets as w

from motives.i18n import N_, message
from motives.models import Session
from motives.widgets.feedback import Refusal, Status
from motives.widgets.guessing import Guesses
from motives.widgets.look import text_block
from motives.widgets.page import TrainerPage

if TYPE_CHECKING:
    from motives.widgets.dashboard import Dashboard
    from motives.widgets.projector import Screen
    from motives.wire import FormStore


class KeyedPage(TrainerPage):
    """A trainer's page that opens one session with one of its keys, carried by the link (``key_param``)
    or typed: a wrong try is counted as a wrong join code is."""

    key_param = ""
    which_key = "trainer"  # which of the session's keys opens the page (motives.store.Store.key_fits)
    shown: w.Widget | None = None  # the session's view, once the key fits
    _form_store: FormStore | None = None

    def past_the_form(self) -> bool:
        return self.shown is not None

    def begin(self) -> None:
        self.guesses = Guesses(lambda: self.form_store, self.request.device)
        self.open_link(self.params.get("session", ""), self.params.get(self.key_param, ""))

    @property
    def form_store(self) -> FormStore:
        """What the form asks whether a key fits: the server's store service under ``motives serve``
        (no SQLAlchemy in this kernel until the key fits), else the page's store."""
        if self._form_store is None:
            self._form_store = self.service_store() or self.store
        return self._form_store

    def opened(self, language: str, code: str, key: str, wrong: str) -> Session | str:
        """Session ``code``, read from the page's store, if ``key`` is its key (:attr:`which_key`); else what
        to say in ``language`` (``wrong``, or the wait), the try counted (:class:`Guesses`)."""
        which = self.which_key
        # The wait and the count of wrong tries ask the store too: a store that is away is said, not raised.
        with Refusal(language) as refused:
            found = self.guesses.session(
                language, code, key, lambda s, k: self.form_store.key_fits(s.code, k, which), wrong
            )
            if isinstance(found, str):
                return found
            return self.store.session(found.code)  # with its keys, which the store service never sends
        return refused.text

    def open_link(self, code: str, key: str) -> None:
        """Show what the link's session ``code`` and ``key`` open: the session, or why not."""
        raise NotImplementedError

    def show_session(self, session: Session, view: w.Widget, title: str) -> None:
        """``view`` of ``session`` is the page now, titled in the session's language."""
        self.shown = view
        self._replace_body([view])
        self.identify(message(self.language, title, session=session.name))


class DashboardPage(KeyedPage):
    """The page the trainer opens: without the session's trainer key it shows no team data at all."""

    page_class, key_param = "motives-dashboard-page", "key"
    dashboard: Dashboard | None = None  # once the key fits

    def open_link(self, code: str, key: str) -> None:
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
        self._replace_body([form])  # the last try's form is closed: its button no longer answers
        self.identify(message(lang, "page_dashboard_form"))

    def open_session(self, code: str, key: str) -> None:
        """The dashboard, if ``key`` is the trainer key of session ``code``. Else one answer, whether the
        code exists or not, in the page's language (a session's language would say that it does), and
        a wrong try counted as a wrong join code is."""
        if not key:
            self.ask(code[:12], message(self.language, "need_key"))
            return
        session = self.opened(self.language, code, key, N_("wrong_code_or_key"))
        if isinstance(session, str):
            self.ask(code[:12], session)
            return
        self.language = session.language
        from motives.widgets.dashboard import Dashboard  # pandas and matplotlib: only once the key fits

        with Refusal(self.language) as refused:
            dashboard = Dashboard(self.store, session, self.settings, self.request.pages, self.request.files)
            dashboard.start()
        if refused:
            self.ask(session.code, refused.text)
            return
        self.dashboard = dashboard
        self.show_session(session, dashboard, N_("page_dashboard"))


class ProjectorPage(KeyedPage):
    """The projector window: with the session's screen key, its slides; without, no session at all."""

    page_class, key_param, which_key = "motives-projector-page", "screen", "screen"
    screen: Screen | None = None  # once the key fits

    def open_link(self, code: str, key: str) -> None:
        self.identify(message(self.language, "page_projector_form"))
        session = self.opened(self.language, code, key, N_("projector_wrong"))
        if isinstance(session, str):
            self._replace_body([text_block(session, "p", "motives-help")])
            return
        self.language = session.language
        from motives.widgets.projector import Screen  # pandas: only once the key fits

        self.screen = Screen(self.store, session, self.settings, self.request.pages)
        self.screen.start()
        self.show_session(session, self.screen, N_("page_projector"))
