"""The team page: the worksheet's two columns, filled in and saved as the team goes.

No pandas, no matplotlib: this page is opened by every team at once on the
trainer's laptop and must start fast.
"""

from __future__ import annotations

from collections.abc import Callable

import ipywidgets as w

from motives import validate
from motives.catalogue import SIDES, Motive
from motives.errors import MotivesError
from motives.i18n import message
from motives.store import OwnMotive, Session, Store, Team
from widgets.common import (
    AppPage,
    Status,
    clock,
    esc,
    explain,
    team_path,
    text_block,
)


def importance_picker(language: str, value: int = validate.DEFAULT_IMPORTANCE) -> w.ToggleButtons:
    picker = w.ToggleButtons(
        options=[(str(n), n) for n in validate.IMPORTANCE_RANGE],
        value=value,
        description=message(language, "importance"),
        tooltips=[message(language, "importance_tooltip", n=n) for n in validate.IMPORTANCE_RANGE],
        style={"button_width": "2.6em", "description_width": "auto"},
    )
    picker.add_class("motives-importance")
    return picker


class MotiveChoice(w.VBox):
    """One catalogue motive: a tick 'applies to us' and, once ticked, its importance."""

    def __init__(self, motive: Motive, language: str, save: Callable[[str, bool, int], None]) -> None:
        self.motive = motive
        self.applies = w.Checkbox(value=False, description=motive.text(language), indent=False)
        self.applies.add_class("motives-tick")
        self.importance = importance_picker(language)
        self.importance.layout.display = "none"
        self._save = save
        self._quiet = False
        super().__init__([self.applies, self.importance])
        self.add_class("motives-choice")
        self.applies.observe(self._changed, "value")
        self.importance.observe(self._changed, "value")

    def show(self, applies: bool, importance: int | None) -> None:
        """Put stored values on screen without saving them again."""
        self._quiet = True
        try:
            self.applies.value = applies
            self.importance.value = importance or validate.DEFAULT_IMPORTANCE
        finally:
            self._quiet = False
        self.importance.layout.display = None if applies else "none"
        self.applies_class()

    def applies_class(self) -> None:
        (self.add_class if self.applies.value else self.remove_class)("motives-chosen")

    def _changed(self, _change) -> None:
        if self._quiet:
            return
        self.importance.layout.display = None if self.applies.value else "none"
        self.applies_class()
        self._save(self.motive.id, self.applies.value, self.importance.value)


class OwnMotiveRow(w.VBox):
    """A motive the team wrote itself: its text, importance and a remove button."""

    def __init__(self, own: OwnMotive, language: str, owner: OwnMotiveList) -> None:
        self.own = own
        self.owner = owner
        self.language = language
        self.text = w.Textarea(
            value=own.text,
            description=message(language, "own_text_label"),
            continuous_update=False,
            rows=2,
            layout=w.Layout(width="100%"),
        )
        self.text.add_class("motives-own-text")
        self.importance = importance_picker(language, own.importance)
        self.remove = w.Button(description=message(language, "remove"), tooltip=message(language, "remove"))
        self.remove.add_class("motives-remove")
        self.status = Status(language)
        super().__init__([self.text, w.HBox([self.importance, self.remove]), self.status])
        self.add_class("motives-own")
        self.text.observe(self._text_changed, "value")
        self.importance.observe(self._importance_changed, "value")
        self.remove.on_click(lambda _b: owner.remove_row(self))

    def _text_changed(self, change) -> None:
        if change["new"] == self.own.text:
            return
        try:
            self.own = self.owner.store.update_own_motive(self.owner.team, self.own.id, text=change["new"])
        except MotivesError as exc:
            self.status.error(explain(exc, self.language))
            # Nothing is lost: the stored text comes back on screen.
            self.text.value = self.own.text
            return
        self.status.clear()
        if self.text.value != self.own.text:  # shown as stored (trimmed, NFC)
            self.text.value = self.own.text
        self.owner.saved()

    def _importance_changed(self, change) -> None:
        try:
            self.own = self.owner.store.update_own_motive(self.owner.team, self.own.id, importance=change["new"])
        except MotivesError as exc:
            self.status.error(explain(exc, self.language))
            return
        self.owner.saved()


class OwnMotiveList(w.VBox):
    """Under each column: the team's own motives on that side, and a box to add one."""

    def __init__(self, store: Store, team: Team, side: str, language: str, saved: Callable[[], None]) -> None:
        self.store = store
        self.team = team
        self.side = side
        self.language = language
        self.saved = saved
        self.rows = w.VBox()
        self.new_text = w.Textarea(
            placeholder=message(language, "own_placeholder"),
            description=message(language, "new_motive"),
            rows=2,
            layout=w.Layout(width="100%"),
        )
        self.new_text.add_class("motives-new-text")
        self.add_button = w.Button(description=message(language, "add"), button_style="primary")
        self.add_button.add_class("motives-add")
        self.status = Status(language)
        heading = text_block(message(language, "own_motives"), "h4")
        super().__init__([heading, self.rows, self.new_text, self.add_button, self.status])
        self.add_class("motives-own-list")
        self.add_button.on_click(self._add)

    def show(self, own: list[OwnMotive]) -> None:
        self.rows.children = [OwnMotiveRow(o, self.language, self) for o in own if o.side == self.side]

    @property
    def texts(self) -> list[str]:
        return [row.own.text for row in self.rows.children]

    def _add(self, _button=None) -> None:
        try:
            own = self.store.add_own_motive(self.team, self.side, self.new_text.value)
        except MotivesError as exc:
            # The typed text stays in the box, so nothing is lost.
            self.status.error(explain(exc, self.language))
            return
        self.rows.children = [*self.rows.children, OwnMotiveRow(own, self.language, self)]
        self.new_text.value = ""
        self.status.ok(message(self.language, "own_added"))
        self.saved()

    def remove_row(self, row: OwnMotiveRow) -> None:
        try:
            self.store.remove_own_motive(self.team, row.own.id)
        except MotivesError as exc:
            row.status.error(explain(exc, self.language))
            return
        self.rows.children = [r for r in self.rows.children if r is not row]
        self.status.ok(message(self.language, "own_removed"))
        self.saved()


class ConclusionForm(w.VBox):
    def __init__(self, store: Store, team: Team, language: str, saved: Callable[[], None]) -> None:
        self.store = store
        self.team = team
        self.language = language
        self.saved = saved
        self.choice = w.RadioButtons(
            options=[(message(language, f"conclusion_{c}"), c) for c in validate.CONCLUSIONS],
            value=None,
            description=message(language, "col_conclusion"),
            layout=w.Layout(width="auto"),
        )
        self.choice.add_class("motives-conclusion")
        self.explanation = w.Textarea(
            description=message(language, "explanation"),
            placeholder=message(language, "explanation_placeholder"),
            rows=3,
            layout=w.Layout(width="100%"),
        )
        self.explanation.add_class("motives-explanation")
        self.status = Status(language)
        self._quiet = False
        super().__init__(
            [
                text_block(message(language, "conclusion_heading"), "h3"),
                text_block(message(language, "conclusion_question"), "p", "motives-question"),
                self.choice,
                self.explanation,
                self.status,
            ]
        )
        self.add_class("motives-conclusion-form")
        self.choice.observe(self._changed, "value")
        self.explanation.observe(self._changed, "value")

    def show(self, conclusion: str | None, explanation: str) -> None:
        self._quiet = True
        try:
            self.choice.value = conclusion
            self.explanation.value = explanation
        finally:
            self._quiet = False

    def _changed(self, _change) -> None:
        if self._quiet:
            return
        try:
            self.store.set_conclusion(self.team, self.choice.value, self.explanation.value)
        except MotivesError as exc:
            self.status.error(explain(exc, self.language))
            return
        self.status.clear()
        self.saved()


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
        self.choices: dict[str, MotiveChoice] = {}
        self.own: dict[str, OwnMotiveList] = {}
        columns = []
        for side in SIDES:
            items = []
            for motive in catalogue.side(side):
                choice = MotiveChoice(motive, language, self._save_choice)
                self.choices[motive.id] = choice
                items.append(choice)
            self.own[side] = OwnMotiveList(store, team, side, language, self.saved)
            column = w.VBox([text_block(catalogue.heading(side, language), "h3"), *items, self.own[side]])
            column.add_class("motives-column")
            column.add_class(f"motives-side-{side}")
            columns.append(column)
        grid = w.GridBox(columns)
        grid.add_class("motives-columns")
        self.conclusion = ConclusionForm(store, team, language, self.saved)
        link = team_path(session.code, team.name)
        header = w.HTML(
            f"<h2>{esc(team.name)}</h2>"
            f'<p class="motives-meta">{esc(message(language, "session_line", session=session.name, code=session.code))}'
            f' · {esc(message(language, "bookmark"))} <a href="{esc(link)}">{esc(link)}</a></p>'
            f"<p>{esc(catalogue.instruction_in(language))} {esc(message(language, 'instruction_ticks'))}</p>"
            f'<p class="motives-help">{esc(message(language, "importance_help"))}</p>'
        )
        super().__init__([header, grid, self.conclusion, self.status])
        self.add_class("motives-worksheet")
        self.load()

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
        self.status.ok(message(self.language, "saved_at", time=clock()))

    def _save_choice(self, motive_id: str, applies: bool, importance: int) -> None:
        try:
            self.store.set_answer(self.team, motive_id, applies, importance)
        except MotivesError as exc:
            self.status.error(explain(exc, self.language))
            return
        self.saved()


class TeamPage(AppPage):
    """The page a team opens: asks for what the link did not say, then shows the worksheet."""

    page_class = "motives-team-page"

    def __init__(self, params: dict[str, str] | None = None, store: Store | None = None) -> None:
        self.worksheet: Worksheet | None = None
        self.session: Session | None = None
        super().__init__(params, store)
        code, name = self.params.get("session"), self.params.get("team")
        if not code:
            self.ask_code()
            return
        try:
            self.session = self.store.session(code)
        except MotivesError as exc:
            self.ask_code(code, explain(exc, self.language))
            return
        self.language = self.session.language
        if name:
            self.open_team(name)
        else:
            self.ask_name()

    def _form(self, title: str, field: w.Text, action: Callable[[], None], error: str = "", help: str = "") -> None:
        """A one-field form; Enter in the field does what the button does.

        Leaving the field and clicking the button both submit, so a submit that
        arrives after the form was replaced is ignored rather than run twice.
        """
        self.go_button = w.Button(description=message(self.language, "go"), button_style="primary")
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
        self.body.children = [form]

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

    def open_session(self, code: str) -> None:
        if not code.strip():
            self.form_status.error(message(self.language, "empty_code"))
            return
        try:
            self.session = self.store.session(code)
        except MotivesError as exc:
            self.form_status.error(explain(exc, self.language))
            return
        self.language = self.session.language
        self.ask_name()

    def ask_name(self, error: str = "", name: str = "") -> None:
        lang = self.language
        assert self.session is not None
        self.name_field = w.Text(value=name, description=message(lang, "team_name"))
        title = f"{self.session.catalogue.title_in(lang)} — {self.session.name}"
        self._form(
            title,
            self.name_field,
            lambda: self.open_team(self.name_field.value),
            error,
            message(lang, "team_name_help"),
        )

    def open_team(self, name: str) -> None:
        assert self.session is not None
        try:
            team = self.store.join(self.session, name)
        except MotivesError as exc:
            # The form comes back with the typed name and the reason, so nothing is lost.
            self.ask_name(explain(exc, self.language), name)
            return
        self.worksheet = Worksheet(self.store, team)
        self.body.children = [self.worksheet, source_note(self.session)]


def source_note(session: Session) -> w.HTML:
    """The worksheet's source attribution, which travels with the catalogue."""
    language = session.language
    source = session.catalogue.source_in(language)
    if not source:
        return w.HTML()
    first = " · ".join(esc(source[k]) for k in ("author", "date") if k in source)
    lines = [first] + [esc(source[k]) for k in ("publication", "credits", "reference", "website") if k in source]
    body = "<br>".join(line for line in lines if line)
    note = w.HTML(f"<h4>{esc(message(language, 'source_heading'))}</h4><p>{body}</p>")
    note.add_class("motives-source")
    return note
