"""The trainer's home: every session of this laptop's store, a new one, and what to do with each.

It hands out every session's trainer key (in the link that opens its dashboard), so it opens
only for the trainer: ``motives serve`` renders it for requests from this machine, or on a server
for a browser that gave the trainer password (motives/server/signin.py), and the page checks what the
server gave it once more.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import PurePath
from typing import TYPE_CHECKING

import ipywidgets as w

from motives import archive, validate
from motives.catalogue import catalogue_from_bytes, default_catalogue
from motives.editing import Candidate
from motives.errors import Count, InvalidInput, Phrase, UnknownSession
from motives.export import SessionFile
from motives.i18n import LANGUAGES, N_, NAMES, day, message
from motives.markup import esc
from motives.models import Catalogue, Session, SessionArchive, SessionSummary

if TYPE_CHECKING:
    from motives.lab import Lab
from motives.qr import qr_image
from motives.request import Request
from motives.urls import dashboard_path, off_the_network, reachable_base
from motives.widgets.controls import Control
from motives.widgets.dashboard_tabs import ExportTab, choose, file_links
from motives.widgets.editor import CatalogueEditor
from motives.widgets.feedback import Refusal, Status
from motives.widgets.join import join_url
from motives.widgets.look import replace_children, text_block
from motives.widgets.page import TrainerPage
from motives.widgets.timing import Pace

# The sessions the list shows at once: newest first; a name filter finds the others.
SHOWN_SESSIONS = 25
# A second click on Create or Copy this soon after is the same click (a double click).
CREATE_PAUSE_SECONDS = 2.0
# The largest file the home sends its kernel: a little more than the largest archive, so that an archive
# just too large is read and refused with the archive's own message. The home kernel's websocket takes
# messages up to motives.server.HOME_MESSAGE_BYTES; a larger file is refused in the browser itself.
MAX_UPLOAD_BYTES = validate.MAX_ARCHIVE_BYTES + 4_000_000
# Deleting takes two clicks; the second must come this long after the first, so that a double
# click is one click (it asks), never a deletion.
CONFIRM_PAUSE_SECONDS = 1.0


def for_the_trainer(request: Request) -> bool:
    """Whether the home may open for ``request``: one from this machine, as ``motives serve`` saw it
    (a local proxy's forwarded address counts as the device it forwards for), or one the trainer
    password opened on a server; or no request at all (JupyterLab, a script). A page some other
    server renders (Voilà's Jupyter Server extension) says nothing of its client: the home stays
    shut there."""
    if not request.client:
        return not request.served
    return request.trainer or request.on_this_machine


class NewSession(Control):
    """A name, a language and a worksheet; ``create(form, name, catalogue, language)`` hears the button
    with what they show (``catalogue``: a saved worksheet's name, "" for the seed's)."""

    def __init__(self, language: str, create: Callable[[NewSession, str, str, str], None]) -> None:
        self.name = w.Text(description=message(language, "home_session_name"), layout=w.Layout(width="28em"))
        self.session_language = w.Dropdown(
            options=[(NAMES[code], code) for code in LANGUAGES],
            value=language,
            description=message(language, "home_language"),
        )
        self.catalogue = w.Dropdown(description=message(language, "home_catalogue"), layout=w.Layout(width="32em"))
        self.create = w.Button(description=message(language, "home_create"), button_style="primary")
        heading = text_block(message(language, "home_new_heading"), "h3")
        fields = [self.name, self.session_language, self.catalogue, self.create]
        super().__init__(language, [heading, *fields], "motives-new-session")
        self.create.on_click(
            lambda _b: create(self, self.name.value, self.catalogue.value or "", self.session_language.value)
        )
        self.show([])

    def inputs(self) -> list[w.DOMWidget]:
        return [self.name, self.session_language, self.catalogue, self.create]

    def show(self, saved: list[str], picked: str | None = None) -> None:
        """The catalogues to start from: the worksheet itself ("") and those saved by name; ``picked``
        (one of them) is the one picked now."""
        choose(self.catalogue, [(message(self.language, "home_seed_catalogue"), ""), *((n, n) for n in saved)])
        if picked is not None:
            self.catalogue.value = picked

    def created(self, said: str) -> None:
        """The session is made: an empty name box for the next, and ``said`` on the status line."""
        self.name.value = ""
        self.status.ok(said)


class SessionList(w.VBox):
    """The sessions as one table (a row each: cheap with hundreds), found by name or date and by language."""

    def __init__(self, language: str, pages: str, changed: Callable[[], None]) -> None:
        """``changed()`` hears a new filter or language: the page shows the list again."""
        self.language, self.pages = language, pages
        self.filter = w.Text(
            description=message(language, "home_filter"), continuous_update=False, layout=w.Layout(width="28em")
        )
        self.session_language = w.Dropdown(
            options=[(message(language, "home_all_languages"), ""), *((NAMES[code], code) for code in LANGUAGES)],
            value="",
            description=message(language, "home_filter_language"),  # not "Taal": the new session has that one
            layout=w.Layout(width="16em"),
        )
        self.table = w.HTML()
        self.table.add_class("motives-session-table")
        heading = text_block(message(language, "home_sessions_heading"), "h3")
        finding = w.HBox([self.filter, self.session_language])
        finding.add_class("motives-session-finding")
        super().__init__([heading, finding, self.table])
        self.filter.observe(lambda _c: changed(), "value")
        self.session_language.observe(lambda _c: changed(), "value")

    def _found(self, summary: SessionSummary) -> bool:
        """Whether ``summary`` is one the trainer looks for: the filter's words in its name or its date
        (as the list writes it, or as 2026-11-26), in the language picked (any, unless one is)."""
        wanted = self.filter.value.strip().casefold()
        picked = self.session_language.value
        if picked and summary.language != picked:
            return False
        written = (summary.name, day(self.language, summary.created_at), summary.created_at.date().isoformat())
        return any(wanted in text.casefold() for text in written)

    def show(self, summaries: list[SessionSummary], ended: frozenset[str] = frozenset()) -> None:
        """``summaries`` newest first, each with its trainer key (for its dashboard's link); the codes in
        ``ended`` are past MOTIVES_EXPIRE_DAYS: listed as ended, without a link (their code no longer works)."""
        language = self.language
        self.ended = ended
        found = [s for s in summaries if self._found(s)]
        if not found:
            key = N_("home_no_sessions") if not summaries else N_("home_none_found")
            self.table.value = f'<p class="motives-help">{esc(message(language, key))}</p>'
            return
        rows = "".join(self._row(s) for s in found[:SHOWN_SESSIONS])
        more = ""
        if len(found) > SHOWN_SESSIONS:
            text = message(language, "home_more", shown=SHOWN_SESSIONS, total=len(found))
            more = f'<p class="motives-help">{esc(text)}</p>'
        heads = "".join(
            f"<th>{esc(message(language, key))}</th>"
            for key in (
                "col_name",
                N_("home_col_date"),
                "home_language",
                "col_teams",
                N_("home_col_state"),
                "session_code",
                N_("home_col_open"),
            )
        )
        self.table.value = f"<table><thead><tr>{heads}</tr></thead><tbody>{rows}</tbody></table>{more}"

    def _row(self, summary: SessionSummary) -> str:
        teams = message(self.language, "home_teams", joined=summary.teams, answered=summary.answered)
        if summary.code in self.ended:
            state, opens = message(self.language, "home_state_ended"), "—"
        else:
            state = message(self.language, "home_state_locked" if summary.locked else "home_state_open")
            link = dashboard_path(summary.code, summary.trainer_key, self.pages, summary.language)
            text = esc(message(self.language, "home_open_dashboard"))
            opens = f'<a href="{esc(link)}" target="_blank" rel="noopener">{text}</a>'
        cells = (summary.name, day(self.language, summary.created_at), NAMES[summary.language], teams, state)
        return (
            "<tr>"
            + "".join(f"<td>{esc(cell)}</td>" for cell in cells)
            + f"<td><code>{esc(summary.code)}</code></td><td>{opens}</td></tr>"
        )


class SessionActions(Control):
    """What to do with one picked session: its team link and QR code, its files, sessions to compare it
    with, a copy, deleting it.

    ``pick(actions, code)``, ``duplicate(actions, code)`` and ``delete(actions, code)`` hear a new pick and
    the buttons, with the code of the session picked (None: none); ``compare(actions, code, others)`` the
    sessions picked to put beside it on its overview's Sessions tab.
    """

    def __init__(
        self,
        language: str,
        pick: Callable[[SessionActions, str | None], None],
        duplicate: Callable[[SessionActions, str | None], None],
        delete: Callable[[SessionActions, str | None], None],
        compare: Callable[[SessionActions, str | None, list[str]], None] = lambda _a, _c, _o: None,
    ) -> None:
        self.summaries: list[SessionSummary] = []
        self.picked = w.Dropdown(description=message(language, "home_pick"), layout=w.Layout(width="32em"))
        self.team_link = w.HTML()
        self.team_link.add_class("motives-home-team-link")
        self.files = w.VBox()
        self.duplicate = w.Button(description=message(language, "home_duplicate"), layout=w.Layout(width="auto"))
        self.delete = w.Button(description=message(language, "home_delete"), button_style="danger")
        heading = text_block(message(language, "home_actions_heading"), "h3")
        buttons = w.HBox([self.duplicate, self.delete])
        comparing = self._comparing(language, compare)
        children = [heading, self.picked, self.team_link, self.files, comparing, buttons]
        super().__init__(language, children, "motives-home-actions")
        self.picked.observe(lambda _c: pick(self, self.code), "value")
        self.duplicate.on_click(lambda _b: duplicate(self, self.code))
        self.delete.on_click(lambda _b: delete(self, self.code))

    def _comparing(self, language: str, compare: Callable[[SessionActions, str | None, list[str]], None]) -> w.VBox:
        """Other sessions beside this one on its overview's Sessions tab: the home knows their keys."""
        self.others = w.SelectMultiple(
            description=message(language, "home_compare_pick"),
            rows=4,
            layout=w.Layout(width="100%"),
            style={"description_width": "initial"},
        )
        self.compare_button = w.Button(description=message(language, "home_compare"), layout=w.Layout(width="auto"))
        self.compare_status = Status(language)
        self.compare_button.on_click(
            lambda _b: compare(self, self.code, [code for code in self.others.value if isinstance(code, str)])
        )
        heading = text_block(message(language, "home_compare_heading"), "h4")
        help_text = text_block(message(language, "home_compare_help"), "p", "motives-help")
        return w.VBox([heading, help_text, self.others, w.HBox([self.compare_button]), self.compare_status])

    def inputs(self) -> list[w.DOMWidget]:
        return [self.picked, self.others, self.compare_button, self.duplicate, self.delete]

    @property
    def code(self) -> str | None:
        """The code of the session picked (the browser may set anything: None unless it is text)."""
        code = self.picked.value
        return code if isinstance(code, str) else None

    def show(self, summaries: list[SessionSummary]) -> None:
        self.summaries = summaries
        choose(self.picked, [(f"{s.name} · {s.code}", s.code) for s in summaries])
        self.show_others()

    def show_others(self) -> None:
        """The sessions the picked one can be compared with: every other one."""
        choose(self.others, [(f"{s.name} · {s.code}", s.code) for s in self.summaries if s.code != self.code])

    def pick(self, code: str) -> None:
        """Pick the session ``code`` (a session just made, copied or imported), as the trainer would."""
        self.picked.value = code

    def show_session(self, link: str | None, files: w.Widget | None) -> None:
        """The picked session's team link with its QR code, and its files; None: no session to show."""
        if link is None:
            self.team_link.value = ""
        else:
            self.team_link.value = (
                f"<p>{esc(message(self.language, 'home_team_link'))} "
                f'<a href="{esc(link)}" target="_blank" rel="noopener">{esc(link)}</a></p>'
                f"{qr_image(link, self.language, 'motives-qr')}"
            )
        replace_children(self.files, [files] if files is not None else ())


def copy_name(session: Session) -> str:
    """A copy's name says it is one, in the session's language ("Gent 2026 (kopie)"), within a name's length."""
    suffix = message(session.language, "copy_suffix")
    return f"{session.name[: validate.MAX_TEAM_NAME - len(suffix) - 1].rstrip()} {suffix}"


def uploaded(value: object) -> tuple[str, bytes]:
    """The name and bytes of the one file a FileUpload holds. The browser may set any value: anything
    but one file with bytes in it is no file, and a name that is not text is "upload"."""
    files = value if isinstance(value, tuple | list) else ()
    file = files[0] if len(files) == 1 and isinstance(files[0], dict) else {}
    content, name = file.get("content"), file.get("name")
    if not isinstance(content, bytes | memoryview) or not len(content):
        raise InvalidInput("home_import_none")
    return (name[:100] if isinstance(name, str) and name.strip() else "upload"), bytes(content)


class ArchiveImport(Control):
    """A session archive (JSON) to upload; ``chose(form, upload)`` hears a file with what the browser sent
    (see :func:`uploaded`), ``copy(form)`` the button that imports it as a copy when its code is taken."""

    def __init__(
        self, language: str, chose: Callable[[ArchiveImport, object], None], copy: Callable[[ArchiveImport], None]
    ) -> None:
        self.file = w.FileUpload(
            layout=w.Layout(width="auto"),
            accept=".json,application/json",
            multiple=False,
            description=message(language, "home_import_file"),
        )
        self.copy = w.Button(description=message(language, "home_import_copy"), layout=w.Layout(width="auto"))
        self.copy.add_class("motives-hidden")
        heading = text_block(message(language, "home_import_heading"), "h3")
        help_text = text_block(message(language, "home_import_help"), "p", "motives-help")
        super().__init__(language, [heading, help_text, self.file, self.copy], "motives-home-import")
        self.file.observe(lambda _c: self._chose(chose), "value")
        self.copy.on_click(lambda _b: copy(self))

    def _chose(self, chose: Callable[[ArchiveImport, object], None]) -> None:
        value = self.file.value
        if not value:
            return  # the upload was emptied (below, once read)
        # Emptied once read: the same file picked again (after a fix, say) is a new pick.
        self.file.value = ()
        chose(self, value)

    def inputs(self) -> list[w.DOMWidget]:
        return [self.file, self.copy]

    def offer_copy(self, offered: bool) -> None:
        (self.copy.remove_class if offered else self.copy.add_class)("motives-hidden")


class Reflection(Control):
    """Looking back across workshops: a button that opens the reflection notebooks in JupyterLab on this
    laptop. ``open_lab(reflection)`` starts it (or finds it running) and says where it is (:meth:`show_lab`)."""

    def __init__(self, language: str, open_lab: Callable[[Reflection], None]) -> None:
        self.open_button = w.Button(description=message(language, "home_lab_open"), layout=w.Layout(width="auto"))
        self.open_button.on_click(lambda _b: open_lab(self))
        self.link = w.HTML()
        heading = text_block(message(language, "home_lab_heading"), "h3")
        help_text = text_block(message(language, "home_lab_help"), "p", "motives-help")
        super().__init__(language, [heading, help_text, w.HBox([self.open_button]), self.link], "motives-reflection")

    def inputs(self) -> list[w.DOMWidget]:
        return [self.open_button]

    def show_lab(self, url: str) -> None:
        label = esc(message(self.language, "home_lab_link"))
        self.link.value = f'<p><a href="{esc(url)}" target="_blank" rel="noopener">{label}</a></p>'


class TrainerHome(TrainerPage):
    """The trainer's home page: new session, the sessions, and each one's links, files and removal."""

    page_class = "motives-home-page"

    def begin(self) -> None:
        language = self.language
        refused = Phrase("home_upload_too_large", limit=Count(validate.MAX_ARCHIVE_BYTES)).say(language)
        self.identify(message(language, "page_home"), upload=(MAX_UPLOAD_BYTES, refused))
        if not for_the_trainer(self.request):
            # The server never renders the home for another device; should it ever, it shows no session.
            self._replace_body([text_block(message(language, "home_only_here"), "p", "motives-help")])
            return
        self.pace = Pace(CREATE_PAUSE_SECONDS)
        self.copy_pace = Pace(CREATE_PAUSE_SECONDS)
        self.confirm_pace = Pace(CONFIRM_PAUSE_SECONDS)
        self._deleting: str | None = None
        self.new_session = NewSession(language, self._create)
        self.sessions = SessionList(language, self.request.pages, self.refresh)
        self.actions = SessionActions(language, self._picked, self._duplicate, self._delete, self._compare_sessions)
        self.importing = ArchiveImport(language, self._import, self._import_copy)
        self.editor = CatalogueEditor(
            language, default_catalogue(), self._save_catalogue, self._upload_catalogue, self._grow, self._reopen
        )
        self._uploaded: tuple[str, SessionArchive] | None = None  # read, waiting for "import as a copy"
        languages = " · ".join(
            f'<a href="?lang={code}" hreflang="{code}">{esc(NAMES[code])}</a>' for code in LANGUAGES if code != language
        )
        # On a server the trainer password opened it; on the laptop, the laptop itself.
        intro = N_("home_intro_server") if self.request.trainer else N_("home_intro")
        top = w.HTML(
            f"<h2>{esc(message(language, 'home_title'))}</h2>"
            f'<p class="motives-help">{esc(message(language, intro))} {languages}</p>'
        )
        # JupyterLab on the laptop itself: never for a browser elsewhere, even one with the trainer password.
        self.lab: Lab | None = None
        self.reflection = Reflection(language, self._open_lab) if self.request.on_this_machine else None
        last = (
            [self.reflection] if self.reflection else [text_block(message(language, "home_next"), "p", "motives-help")]
        )
        self.room = w.HTML()
        self.room.add_class("motives-room")
        self._replace_body(
            [top, self.room, self.new_session, self.sessions, self.actions, self.editor, self.importing, *last]
        )
        self.refresh()

    def refresh(self) -> None:
        """Read the sessions again and show them; the picked one stays picked if it is still there."""
        with Refusal(self.actions.status) as refused:
            every = self.store.sessions()
        if refused:
            return
        # A session past MOTIVES_EXPIRE_DAYS has ended: its code no longer works, so it has no links to offer.
        ended = frozenset(s.code for s in every if self.store.expired(s.created_at))
        summaries = [s for s in every if s.code not in ended]
        self.sessions.show(every, ended)
        with Refusal(self.actions.status):
            names = self.store.catalogue_names()
            self.new_session.show(names)
            self.editor.show_saved(names)
        self.actions.show(summaries)
        self.editor.show_sessions([(f"{s.name} · {s.code}", s.code) for s in summaries])
        # Nothing to pick in an empty store: the box waits for the first session.
        (self.actions.remove_class if summaries else self.actions.add_class)("motives-hidden")
        self._picked(self.actions, self.actions.code)

    # --- what the controls report -------------------------------------------

    def _create(self, form: NewSession, name: str, picked: str, language: str) -> None:
        if self.pace.wait() and not name.strip():
            return  # the second click of a double click: the session is made, the box emptied
        with Refusal(form.status) as refused:
            catalogue = self.store.saved_catalogue(picked) if picked else default_catalogue()
            session = self.store.create_session(name, catalogue, language)
        if refused:
            return  # what was typed stays in the box
        self.pace.done()
        form.created(message(self.language, "home_created", name=session.name, code=session.code))
        self.refresh()
        self.actions.pick(session.code)

    def _session(self, actions: SessionActions, code: str | None) -> Session | None:
        if code is None:
            return None
        with Refusal(actions.status) as refused:
            return self.store.session(code)
        if isinstance(refused.error, UnknownSession):
            self.refresh()  # deleted elsewhere (another tab, the CLI): the list says so by leaving it out
        return None

    def show_room(self) -> None:
        """Whether the room can join, and where; or why not and what to do (no network: a phone's hotspot)."""
        if not off_the_network(self.settings):
            said = message(self.language, "home_room_open", address=reachable_base(self.settings))
            self.room.value = f'<p class="motives-room-open">{esc(said)}</p>'
            return
        key = N_("home_room_none") if self.settings.room else N_("home_room_local")
        self.room.value = f'<p class="motives-room-closed" role="alert">{esc(message(self.language, key))}</p>'

    def _picked(self, actions: SessionActions, code: str | None) -> None:
        self._deleting = None
        self.show_room()  # read again: the laptop may have joined a network since
        actions.status.clear()
        actions.compare_status.clear()
        actions.show_others()
        session = self._session(actions, code)
        if session is None:
            actions.show_session(None, None)
            return
        link = join_url(self.settings, session.code, session.language, pages=self.request.pages)
        links = file_links(session, self.request.files) if self.request.files else None
        files = ExportTab(replace(session, language=self.language), lambda *file: self._file(session, *file), links)
        actions.show_session(link, files)

    def _save_catalogue(self, editor: CatalogueEditor, catalogue: Catalogue, name: str) -> None:
        """Keep the editor's catalogue (checked as a file is checked) under its name."""
        with Refusal(editor.save_status) as refused:
            name = self.store.save_catalogue(name, catalogue)
        if refused:
            return
        editor.save_status.ok(message(self.language, "editor_saved", name=name))
        editor.offer_download(catalogue, name)
        names = self.store.catalogue_names()
        self.new_session.show(names, picked=name)
        editor.show_saved(names, picked=name)

    def _reopen(self, editor: CatalogueEditor, name: str) -> None:
        """A worksheet kept on this laptop, into the editor to change it again."""
        with Refusal(editor.file_status) as refused:
            catalogue = self.store.saved_catalogue(name)
        if refused:
            return
        editor.load(catalogue, name)
        editor.file_status.ok(message(self.language, "editor_reopened", name=name))

    def _upload_catalogue(self, editor: CatalogueEditor, upload: object) -> None:
        """A catalogue file the trainer picked, checked as ``--catalogue`` checks one, into the editor."""
        with Refusal(editor.file_status, whole=True) as refused:
            name, content = uploaded(upload)
            catalogue = catalogue_from_bytes(content, name)
        if refused:
            return  # the editor keeps what it had
        editor.load(catalogue, PurePath(name).stem)
        editor.file_status.ok(message(self.language, "editor_uploaded", name=name))

    def _grow(self, editor: CatalogueEditor, codes: list[str]) -> None:
        """The own motives teams wrote in the sessions picked (``codes``) and not yet on the worksheet being
        edited, by the one rule of growth (motives.tally.catalogue_growth): most teams first."""
        from motives import tally

        if not codes:
            editor.grow_status.error(message(self.language, "editor_grow_pick"))
            return
        with Refusal(editor.grow_status) as refused:
            records = [self.store.records(self.store.session(code)) for code in dict.fromkeys(codes)]
            growth = tally.catalogue_growth(records, editor.base)
        if refused:
            return
        editor.grow_status.clear()
        editor.show_candidates(
            [Candidate(r.side, r.text, r.language, int(r.teams)) for r in growth.itertuples(index=False)]
        )

    def _import(self, form: ArchiveImport, upload: object) -> None:
        """Read the uploaded archive whole before anything is written; a taken code offers a copy."""
        form.offer_copy(False)
        self._uploaded = None
        # What is wrong with the file, and where; and that nothing was written.
        with Refusal(form.status, N_("home_import_nothing"), whole=True) as refused:
            name, content = uploaded(upload)
            code, parsed = archive.parse(archive.decoded(content, name), name)
        if refused:
            return
        if self.store.code_exists(code):
            self._uploaded = (code, parsed)
            form.offer_copy(True)
            form.status.error(message(self.language, "home_import_taken", code=code))
            return
        self._restored(form, code, parsed, None)

    def _import_copy(self, form: ArchiveImport) -> None:
        if self._uploaded is None:
            return
        code, parsed = self._uploaded
        self._restored(form, code, parsed, self.store.unused_code())

    def _restored(self, form: ArchiveImport, code: str, parsed: SessionArchive, new_code: str | None) -> None:
        with Refusal(form.status) as refused:
            session = archive.restore_parsed(self.store, code, parsed, new_code)
        if refused:
            return
        self._uploaded = None
        form.offer_copy(False)
        teams = len(parsed.teams)
        form.status.ok(message(self.language, "home_imported", name=session.name, code=session.code, teams=teams))
        self.refresh()
        self.actions.pick(session.code)

    def _file(self, session: Session, fmt: str, table: str, document: str) -> SessionFile:
        from motives.export import session_file

        return session_file(self.store, session, fmt, table, document)

    def _open_lab(self, reflection: Reflection) -> None:
        """The reflection notebooks in JupyterLab on this laptop, on the same store: started once, then found."""
        from motives.lab import found_lab, keep, record_path, start_lab, wait_until_ready

        record = record_path()
        if self.lab is None or not self.lab.running():
            self.lab = found_lab(record)  # started from this home before a reload, or from another tab
        if self.lab is None:
            reflection.status.ok(message(self.language, "home_lab_starting"))
            self.lab = start_lab(self.settings)
            if not wait_until_ready(self.lab):
                self.lab.stop()
                self.lab = None
                reflection.status.error(message(self.language, "home_lab_failed"))
                return
            keep(self.lab, record)
        reflection.status.ok(message(self.language, "home_lab_ready"))
        reflection.show_lab(self.lab.url)

    def _compare_sessions(self, actions: SessionActions, code: str | None, others: list[str]) -> None:
        """Put the sessions ``others`` beside the picked one on its overview, with the keys the home holds."""
        session = self._session(actions, code)
        if session is None:
            return
        if not others:
            actions.compare_status.error(message(self.language, "home_compare_none"))
            return
        with Refusal(actions.compare_status) as refused:
            for other in dict.fromkeys(others):
                found = self.store.session(other)  # the browser may send any code: an unknown one is refused
                self.store.add_compared_session(session, found.code, found.trainer_key)
        if refused:
            return
        said = message(self.language, "home_compared", n=len(dict.fromkeys(others)), name=session.name)
        actions.compare_status.ok(said)

    def _duplicate(self, actions: SessionActions, code: str | None) -> None:
        session = self._session(actions, code)
        if session is None or self.copy_pace.wait():  # the second click of a double click: one copy
            return
        with Refusal(actions.status) as refused:
            copy = self.store.create_session(copy_name(session), session.catalogue, session.language)
        if refused:
            return
        self.copy_pace.done()
        self.refresh()
        actions.pick(copy.code)
        actions.status.ok(message(self.language, "home_duplicated", name=copy.name, code=copy.code))

    def _delete(self, actions: SessionActions, code: str | None) -> None:
        """Two clicks delete the picked session: the first names it and its teams, the second deletes."""
        session = self._session(actions, code)
        if session is None:
            return
        if self._deleting != session.code:
            with Refusal(actions.status) as refused:
                teams = len(self.store.records(session).teams)
            if refused:
                return
            self._deleting = session.code
            self.confirm_pace.done()
            actions.status.error(message(self.language, "home_delete_confirm", name=session.name, teams=teams))
            return
        if self.confirm_pace.wait():
            return  # the second click of a double click: the question stands
        with Refusal(actions.status) as refused:
            self.store.delete_session(session)
        if refused:
            return
        self.refresh()
        actions.status.ok(message(self.language, "home_deleted", name=session.name))


__all__ = ["TrainerHome", "for_the_trainer"]
