"""The team page: the worksheet's two columns, filled in and saved as the team goes.

No pandas, no matplotlib at start-up: this page is opened by every team at
once on the trainer's laptop and must start fast. Only when the trainer
reveals the comparison does the page load the table code.

Every control saves itself and says so next to it when the store refuses:
what the team typed stays on screen, and what the screen shows as saved is
what the store holds.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import ipywidgets as w
import traitlets
from ipywidgets.widgets.widget_bool import CheckboxStyle
from ipywidgets.widgets.widget_string import HTMLStyle

from motives import validate
from motives.catalogue import SIDES, Motive
from motives.errors import MotivesError, UnknownSession, UnknownTeam
from motives.i18n import N_, message, translation_note
from motives.models import CONCLUSIONS, OwnMotive, Session, SessionState, Team
from motives.store import Store
from motives.urls import TEAM_KEY, pages_path, team_path
from widgets.common import (
    AppPage,
    Debounce,
    Pace,
    Quiet,
    Refusal,
    Status,
    clock,
    close_all,
    esc,
    every,
    explain,
    lean,
    shared,
    text_block,
    timer_text,
)
from widgets.guessing import Guesses

POLL_SECONDS = 2.0
# Long enough that forged clicks cannot flood the room's dashboard, short enough that
# nobody who types a motive ever meets it.
ADD_PAUSE_SECONDS = 3.0


def importance_style() -> w.ToggleButtonsStyle:
    style = shared(w.ToggleButtonsStyle)
    style.button_width, style.description_width = "2.6em", "auto"
    return style


def importance_picker(language: str, value: int = validate.DEFAULT_IMPORTANCE) -> w.ToggleButtons:
    picker = w.ToggleButtons(
        options=[(str(n), n) for n in validate.IMPORTANCE_RANGE],
        value=value,
        description=message(language, "importance"),
        tooltips=[message(language, "importance_tooltip", n=n) for n in validate.IMPORTANCE_RANGE],
        style=importance_style(),
        layout=shared(w.Layout),
    )
    picker.add_class("motives-importance")
    return picker


def text_area(language: str, label: str, placeholder: str, rows: int, css_class: str) -> w.Textarea:
    """A box to write in, as wide as its column, with its label and hint (message keys)."""
    area = w.Textarea(
        description=message(language, label),
        placeholder=message(language, placeholder),
        rows=rows,
        layout=w.Layout(width="100%"),
    )
    area.add_class(css_class)
    return area


class TeamControl(w.VBox):
    """A control on the team page: it saves each change itself and says a refusal on its own status line.

    ``quiet`` puts stored values on screen without saving them again.
    """

    def __init__(self, language: str, children: list[w.Widget], css_class: str) -> None:
        self.language = language
        self.status = Status(language)
        self.quiet = Quiet()
        super().__init__([*children, self.status], **lean())
        self.add_class(css_class)


class MotiveChoice(TeamControl):
    """One catalogue motive: a tick 'applies to us' and, once ticked, its importance."""

    def __init__(self, store: Store, team: Team, motive: Motive, saved: Callable[[], None]) -> None:
        language = team.session.language
        self.store = store
        self.team = team
        self.motive = motive
        self.saved = saved
        self.applies = w.Checkbox(value=False, description=motive.text(language), indent=False, **lean(CheckboxStyle))
        self.applies.add_class("motives-tick")
        self.importance = importance_picker(language)
        super().__init__(language, [self.applies, self.importance], "motives-choice")
        self.show(False, None)
        self.applies.observe(self._changed, "value")
        self.importance.observe(self._changed, "value")

    def show(self, applies: bool, importance: int | None) -> None:
        """Put stored values on screen without saving them again."""
        with self.quiet:
            self.applies.value = applies
            self.importance.value = importance or validate.DEFAULT_IMPORTANCE
        (self.add_class if applies else self.remove_class)("motives-chosen")

    def _changed(self, _change) -> None:
        if self.quiet.active:
            return
        with Refusal(self.status) as refused:
            answer = self.store.set_answer(self.team, self.motive.id, self.applies.value, self.importance.value)
        if refused:
            self._show_stored()
            return
        self.status.clear()
        self.show(answer.applies, answer.importance)
        self.saved()

    def _show_stored(self) -> None:
        """After a refused save the screen goes back to what the store holds, if it can be read."""
        try:
            answer = self.store.team_answers(self.team).answers.get(self.motive.id)
        except MotivesError:
            return
        self.show(bool(answer and answer.applies), answer.importance if answer else None)


class OwnMotiveRow(TeamControl):
    """A motive the team wrote itself: its text, importance and a remove button."""

    # True while the box holds a text the store refused: a poll must not put the stored one over it.
    unsaved = traitlets.Bool(False)

    def __init__(self, own: OwnMotive, owner: OwnMotiveList) -> None:
        language = owner.language
        self.own = own
        self.owner = owner
        self.text = w.Textarea(
            value=own.text,
            description=message(language, "own_text_label"),
            continuous_update=False,
            rows=2,
            layout=w.Layout(width="100%"),
        )
        self.text.add_class("motives-own-text")
        self.importance = importance_picker(language, own.importance)
        self.remove = w.Button(
            description=message(language, "remove"), tooltip=message(language, "remove"), **lean(w.ButtonStyle)
        )
        self.remove.add_class("motives-remove")
        super().__init__(language, [self.text, w.HBox([self.importance, self.remove], **lean())], "motives-own")
        self.observe(self._mark_unsaved, "unsaved")
        self.text.observe(self._text_changed, "value")
        self.importance.observe(self._importance_changed, "value")
        self.remove.on_click(lambda _b: owner.remove_row(self))

    def _mark_unsaved(self, change) -> None:
        (self.add_class if change["new"] else self.remove_class)("motives-unsaved")

    def _text_changed(self, change) -> None:
        if self.quiet.active or change["new"] == self.own.text:
            return
        # Nothing is lost: a refused text stays in the box, marked as not saved.
        with Refusal(self.status, N_("own_unsaved")) as refused:
            self.own = self.owner.store.update_own_motive(self.owner.team, self.own.id, text=change["new"])
        self.unsaved = bool(refused)
        if refused:
            return
        self.status.clear()
        with self.quiet:  # shown as stored: trimmed, NFC
            self.text.value = self.own.text
        self.owner.saved()

    def _importance_changed(self, change) -> None:
        if self.quiet.active:
            return
        with Refusal(self.status) as refused:
            self.own = self.owner.store.update_own_motive(self.owner.team, self.own.id, importance=change["new"])
        if refused:
            with self.quiet:
                self.importance.value = self.own.importance
            return
        self.owner.saved()


class OwnMotiveList(w.VBox):
    """Under each column: the team's own motives on that side, and a box to add one."""

    def __init__(
        self, store: Store, team: Team, side: str, saved: Callable[[], None], pace: Pace | None = None
    ) -> None:
        language = self.language = team.session.language
        self.store = store
        self.team = team
        self.side = side
        self.saved = saved
        self.pace = pace or Pace(ADD_PAUSE_SECONDS)
        self.rows = w.VBox(**lean())
        self.new_text = text_area(language, N_("new_motive"), N_("own_placeholder"), 2, "motives-new-text")
        self.add_button = w.Button(description=message(language, "add"), button_style="primary")
        self.add_button.add_class("motives-add")
        self.status = Status(language)
        super().__init__(
            [
                text_block(message(language, "own_motives"), "h4"),
                self.rows,
                self.new_text,
                text_block(message(language, "add_hint"), "p", "motives-help"),
                self.add_button,
                self.status,
            ],
            **lean(),
        )
        self.add_class("motives-own-list")
        self.add_button.on_click(self._add)

    def show(self, own: list[OwnMotive]) -> None:
        old = self.rows.children
        self.rows.children = [OwnMotiveRow(o, self) for o in own if o.side == self.side]
        close_all(old)

    def sync(self, own: list[OwnMotive]) -> None:
        """Follow another device: new rows appear, removed rows go, changed rows change.

        A row with text that is not saved yet keeps it: nothing typed is lost.
        """
        mine = {o.id: o for o in own if o.side == self.side}
        rows = {row.own.id: row for row in self.rows.children}
        for own_id, stored in mine.items():
            row = rows.get(own_id)
            if row is not None and row.own != stored and not row.unsaved:
                row.own = stored
                with row.quiet:
                    row.text.value = stored.text
                    row.importance.value = stored.importance
        if list(mine) != list(rows):
            self.rows.children = [rows.get(i) or OwnMotiveRow(o, self) for i, o in mine.items()]
            close_all([row for own_id, row in rows.items() if own_id not in mine])

    @property
    def texts(self) -> list[str]:
        return [row.own.text for row in self.rows.children]

    def _add(self, _button=None) -> None:
        wait = self.pace.wait()
        if wait:
            if self.new_text.value.strip():  # else the second click of a double click: nothing to say
                # The typed text stays in the box, so nothing is lost.
                self.status.error(message(self.language, "add_too_fast", seconds=math.ceil(wait)))
            return
        with Refusal(self.status) as refused:
            own = self.store.add_own_motive(self.team, self.side, self.new_text.value)
        if refused:
            return
        self.pace.done()
        self.rows.children = [*self.rows.children, OwnMotiveRow(own, self)]
        self.new_text.value = ""
        self.status.ok(message(self.language, "own_added"))
        self.saved()

    def remove_row(self, row: OwnMotiveRow) -> None:
        with Refusal(row.status) as refused:
            self.store.remove_own_motive(self.team, row.own.id)
        if refused:
            return
        self.rows.children = [r for r in self.rows.children if r is not row]
        close_all([row])
        self.status.ok(message(self.language, "own_removed"))
        self.saved()


class ConclusionForm(w.VBox):
    """Yes / no / not yet, and a short explanation; each saved on its own."""

    def __init__(self, store: Store, team: Team, saved: Callable[[], None]) -> None:
        language = self.language = team.session.language
        self.store = store
        self.team = team
        self.saved = saved
        self.choice = w.RadioButtons(
            options=[(message(language, f"conclusion_{c}"), c) for c in CONCLUSIONS],
            value=None,
            description=message(language, "col_conclusion"),
            layout=w.Layout(width="auto"),
        )
        self.choice.add_class("motives-conclusion")
        self.explanation = text_area(
            language, N_("explanation"), N_("explanation_placeholder"), 3, "motives-explanation"
        )
        self.status = Status(language)
        self.quiet = Quiet()
        self._stored_choice: str | None = None
        self._save_explanation = Debounce(self._explanation_changed)
        super().__init__(
            [
                text_block(message(language, "conclusion_heading"), "h3"),
                text_block(message(language, "conclusion_question"), "p", "motives-question"),
                self.choice,
                self.explanation,
                self.status,
            ],
            **lean(),
        )
        self.add_class("motives-conclusion-form")
        self.choice.observe(self._choice_changed, "value")
        self.explanation.observe(lambda _c: None if self.quiet.active else self._save_explanation(), "value")

    def show(self, conclusion: str | None, explanation: str) -> None:
        self._stored_choice = conclusion
        with self.quiet:
            self.choice.value = conclusion
            self.explanation.value = explanation

    def sync(self, conclusion: str | None, explanation: str) -> None:
        if conclusion != self._stored_choice:
            self._stored_choice = conclusion
            with self.quiet:
                self.choice.value = conclusion
        if explanation != self.explanation.value and not self._save_explanation.pending:
            with self.quiet:
                self.explanation.value = explanation

    def _choice_changed(self, change) -> None:
        if self.quiet.active:
            return
        with Refusal(self.status) as refused:
            self.store.set_conclusion(self.team, conclusion=change["new"])
        if refused:
            with self.quiet:
                self.choice.value = self._stored_choice
            return
        self._stored_choice = change["new"]
        self.status.clear()
        self.saved()

    def _explanation_changed(self) -> None:
        # A refused text stays in the box; the next keystroke tries again.
        with Refusal(self.status, N_("own_unsaved")) as refused:
            self.store.set_conclusion(self.team, explanation=self.explanation.value)
        if refused:
            return
        self.status.clear()
        self.saved()


class OtherDevice(w.VBox):
    """The team's own link as a QR code, for a second device of the team; drawn when asked for
    (segno is imported then, not when every team page starts)."""

    def __init__(self, language: str, link: str) -> None:
        self.language, self.link = language, link
        self.toggle = w.ToggleButton(
            value=False,
            description=message(language, "other_device"),
            layout=w.Layout(width="auto", align_self="flex-start"),
        )  # as wide as its words: "Op een ander toestel" was cut off at the default width
        self.code = w.HTML()
        super().__init__([self.toggle, self.code], **lean())
        self.add_class("motives-other-device")
        self.toggle.observe(lambda change: self.show(bool(change["new"])), "value")

    def show(self, shown: bool) -> None:
        if not shown:
            self.code.value = ""
            return
        import segno

        from motives.settings import Settings
        from motives.urls import public_url

        url = public_url(Settings.from_env().base_url, self.link)  # what the other device's camera opens
        label = esc(message(self.language, "other_device_help"))
        svg = segno.make(url, error="m").svg_inline(scale=4, dark="#1f2328", border=2)
        self.code.value = f'<p>{label}</p><div class="motives-qr" role="img" aria-label="{label}">{svg}</div>'


class Worksheet(w.VBox):
    """The whole worksheet for one team, restored from the store and saved at every change."""

    def __init__(self, store: Store, team: Team) -> None:
        self.store = store
        self.team = team
        session = team.session
        language = self.language = session.language
        catalogue = session.catalogue
        self.status = Status(language)
        self.status.add_class("motives-save-status")
        self.status.ok(message(language, "saved_intro"))
        self.timer = w.HTML(**lean(HTMLStyle))
        self.timer.add_class("motives-timer")
        self.locked = w.HTML(**lean(HTMLStyle))
        self.locked.add_class("motives-locked")
        self.revealed = w.VBox(**lean())
        self.revealed.add_class("motives-revealed")
        self.state: SessionState | None = None
        self.choices: dict[str, MotiveChoice] = {}
        self.own: dict[str, OwnMotiveList] = {}
        self.columns: dict[str, w.VBox] = {}
        self.ended = False  # the team was removed or the session deleted: the page only says so
        pace = Pace(ADD_PAUSE_SECONDS)  # one pause for the whole page, whichever column adds
        for side in SIDES:
            items = []
            for motive in catalogue.side(side):
                self.choices[motive.id] = MotiveChoice(store, team, motive, self.saved)
                items.append(self.choices[motive.id])
            self.own[side] = OwnMotiveList(store, team, side, self.saved, pace)
            column = w.VBox([text_block(catalogue.heading(side, language), "h3"), *items, self.own[side]], **lean())
            column.add_class("motives-column")
            column.add_class(f"motives-side-{side}")
            self.columns[side] = column
        grid = w.GridBox(list(self.columns.values()), **lean())
        grid.add_class("motives-columns")
        self.conclusion = ConclusionForm(store, team, self.saved)
        # the page's own folder, under any prefix
        link = team_path(session.code, team.name, pages_path(), session.language, team.key)
        self.header = header = w.HTML(
            f"<h2>{esc(team.name)}</h2>"
            f'<p class="motives-meta">{esc(message(language, "session_line", session=session.name, code=session.code))}'
            f' · {esc(message(language, "bookmark"))} <a href="{esc(link)}">{esc(link)}</a></p>'
            f"<p>{esc(catalogue.instruction_in(language))} {esc(message(language, 'instruction_ticks'))}</p>"
            f'<p class="motives-help">{esc(message(language, "importance_help"))}</p>',
            **lean(HTMLStyle),
        )
        self.other_device = OtherDevice(language, link)
        children = [header, self.other_device, self.timer, self.locked, grid, self.conclusion, self.revealed]
        super().__init__([*children, self.status], **lean())
        self.add_class("motives-worksheet")
        self._clock = None
        self.load()
        self.poll()
        self._clock = None if self.ended else every(POLL_SECONDS, self.poll)

    def load(self) -> None:
        """Show what the store holds for this team (used when the page is reopened)."""
        stored = self.store.team_answers(self.team)
        for motive_id, choice in self.choices.items():
            answer = stored.answers.get(motive_id)
            choice.show(bool(answer and answer.applies), answer.importance if answer else None)
        for own_list in self.own.values():
            own_list.show(stored.own)
        self.conclusion.show(stored.conclusion, stored.explanation)

    def saved(self) -> None:
        if not self.ended:
            self.status.ok(message(self.language, "saved_at", time=clock(self.language)))

    def poll(self) -> None:
        """Follow the store: what the trainer steers (timer, lock, reveal) and this team's other devices."""
        if self.ended:
            return
        try:
            self._follow()
        except UnknownSession:
            self.end("session_deleted_banner")
        except UnknownTeam:
            self.end("team_removed_banner")

    def end(self, banner: str) -> None:
        """The session or the team is gone: say so, stop polling, leave nothing that looks saveable."""
        self.ended = True
        if self._clock is not None:
            self._clock.cancel()
        self.locked.value = f'<p role="alert">{esc(message(self.language, banner))}</p>'
        for control in self.controls():
            control.disabled = True
        self.status.clear()
        self.timer.value = ""
        old = self.revealed.children
        self.revealed.children = ()
        close_all(old)

    def _follow(self) -> None:
        state = self.store.state(self.team.session)
        text = timer_text(self.language, state.timer_ends_at, minutes=True)
        self.timer.value = f'<p role="timer">{esc(text)}</p>' if text else ""
        if self.state is None or state.locked != self.state.locked:
            self.show_locked(state.locked)
        changed = self.state is not None and self.state.revision != state.revision
        if changed:
            self.sync()
        if state.revealed and (changed or self.state is None or not self.revealed.children):
            self.show_comparison()
        elif not state.revealed and self.revealed.children:
            old = self.revealed.children
            self.revealed.children = ()
            close_all(old)
        self.state = state

    def sync(self) -> None:
        """Show what another device of this team saved: for one answer, the later change wins."""
        stored = self.store.team_answers(self.team)
        for motive_id, choice in self.choices.items():
            answer = stored.answers.get(motive_id)
            applies = bool(answer and answer.applies)
            importance = answer.importance if applies else None
            shown = choice.importance.value if choice.applies.value else None
            if (choice.applies.value, shown) != (applies, importance):
                choice.show(applies, importance)
        for own_list in self.own.values():
            own_list.sync(stored.own)
        self.conclusion.sync(stored.conclusion, stored.explanation)

    def show_locked(self, locked: bool) -> None:
        """A locked session says so and greys its controls (the store refuses changes either way)."""
        if self.ended:
            return
        banner = esc(message(self.language, "locked_banner"))
        self.locked.value = f'<p role="status">{banner}</p>' if locked else ""
        for control in self.controls():
            control.disabled = locked

    def controls(self) -> list[w.DOMWidget]:
        found = []
        for choice in self.choices.values():
            found += [choice.applies, choice.importance]
        for own_list in self.own.values():
            found += [own_list.new_text, own_list.add_button]
            for row in own_list.rows.children:
                found += [row.text, row.importance, row.remove]
        found += [self.conclusion.choice, self.conclusion.explanation, self.other_device.toggle]
        return found

    def show_comparison(self) -> None:
        # Imported only now: the team page starts without pandas.
        from widgets.tables import revealed_comparison

        old = self.revealed.children
        self.revealed.children = [revealed_comparison(self.store, self.team.session)]
        close_all(old)  # else every revision would leave a heat map alive in the kernel


class TeamPage(AppPage):
    """The page a team opens: asks for what the link did not say, then shows the worksheet."""

    page_class = "motives-team-page"

    def __init__(self, params: dict[str, str] | None = None, store: Store | None = None) -> None:
        self.worksheet: Worksheet | None = None
        self.session: Session | None = None
        super().__init__(params, store)
        self.guesses = Guesses(lambda: self.store)
        code, name = self.params.get("session"), self.params.get("team")
        if not code:
            self.ask_code()
            return
        found = self._look_up(code)  # a code in the link counts as a try, as one typed in the form
        if isinstance(found, str):
            self.ask_code(code[:12], found)
            return
        self.session = found
        self.language = self.session.language
        team = self.store.find_team(self.session, name) if name else None
        if team is not None:
            # Knowing a team's name is not enough (after the reveal every page shows every name):
            # the team's own link carries its key.
            if team.key_matches(self.params.get(TEAM_KEY)):
                self.show_worksheet(team)
            else:
                self.ask_name(message(self.language, "team_taken", name=team.name))
        elif name:
            # Rendering a URL never makes a team (a GET could fill the session with squatters):
            # the team says so with a click.
            self.ask_name(name=name, joining=True)
        else:
            self.ask_name()

    def _form(
        self, title: str, field: w.Text, action: Callable[[], None], error: str = "", help: str = "", button: str = "go"
    ) -> None:
        """A one-field form; Enter in the field does what the button does.

        Leaving the field and clicking the button both submit, so a submit that
        arrives after the form was replaced is ignored rather than run twice.
        """
        self.go_button = w.Button(
            description=message(self.language, button), button_style="primary", layout=w.Layout(width="auto")
        )
        self.form_status = Status(self.language)
        if error:
            self.form_status.error(error)
        form = w.VBox([text_block(title, "h2"), text_block(help, "p", "motives-help"), field, self.go_button])
        form.children = [*form.children, self.form_status]
        form.add_class("motives-form")

        def submit(*_args) -> None:
            if self.body.children and self.body.children[0] is form:
                action()

        field.continuous_update = False
        field.observe(submit, "value")
        self.go_button.on_click(submit)
        self._replace_body([form])

    def ask_code(self, code: str = "", error: str = "") -> None:
        lang = self.language
        self.code_field = w.Text(value=code, description=message(lang, "session_code"), placeholder="ABC234")
        self._form(
            message(lang, "join_title"),
            self.code_field,
            lambda: self.open_session(self.code_field.value),
            error,
            message(lang, "session_code_help"),
        )
        self.identify(message(lang, "page_join"))

    def open_session(self, code: str) -> None:
        if not code.strip():
            self.form_status.error(message(self.language, "empty_code"))
            return
        found = self._look_up(code)
        if isinstance(found, str):
            self.form_status.error(found)
            return
        self.session = found
        self.language = self.session.language
        self.ask_name()

    def _look_up(self, code: str) -> Session | str:
        """The session of ``code``, or what to tell the team: a wrong code counts (guessing is slowed)."""
        wait = self.guesses.wait()
        if wait:
            return message(self.language, "code_wait", seconds=math.ceil(wait))
        try:
            return self.store.session(code)
        except UnknownSession as exc:
            self.guesses.wrong(exc.code)
            return self.guesses.with_wait(self.language, explain(exc, self.language))
        except MotivesError as exc:
            return explain(exc, self.language)

    def ask_name(self, error: str = "", name: str = "", *, joining: bool = False) -> None:
        lang = self.language
        assert self.session is not None
        self.name_field = w.Text(value=name[: validate.MAX_TEAM_NAME * 2], description=message(lang, "team_name"))
        title = f"{self.session.catalogue.title_in(lang)} — {self.session.name}"
        self._form(
            title,
            self.name_field,
            lambda: self.open_team(self.name_field.value),
            error,
            message(lang, "join_team_help" if joining else "team_name_help"),
            "join_team" if joining else "go",
        )
        self.identify(message(lang, "page_join"))

    def open_team(self, name: str) -> None:
        assert self.session is not None
        try:
            team = self.store.new_team(self.session, name)  # a name already taken is refused: see team_taken
        except MotivesError as exc:
            # The form comes back with the typed name and the reason, so nothing is lost.
            self.ask_name(explain(exc, self.language), name)
            return
        self.show_worksheet(team)

    def show_worksheet(self, team: Team) -> None:
        assert self.session is not None
        try:
            worksheet = Worksheet(self.store, team)
        except MotivesError as exc:
            self.ask_name(explain(exc, self.language), team.name)
            return
        self.worksheet = worksheet
        self._replace_body([worksheet, source_note(self.session)])
        own = team_path(self.session.code, team.name, language=self.session.language, key=team.key)
        self.identify(message(self.language, "page_team", team=team.name), own[own.index("?") :])


def source_note(session: Session) -> w.HTML:
    """The worksheet's source attribution, which travels with the catalogue."""
    language = session.language
    source = session.catalogue.source_in(language)
    if not source:
        return w.HTML()
    first = " · ".join(esc(source[k]) for k in ("author", "date") if k in source)
    lines = [first] + [esc(source[k]) for k in ("publication", "credits", "reference", "website") if k in source]
    lines.append(esc(translation_note(session)))
    body = "<br>".join(line for line in lines if line)
    note = w.HTML(f"<h4>{esc(message(language, 'source_heading'))}</h4><p>{body}</p>")
    note.add_class("motives-source")
    return note
