"""The team page: the worksheet's two columns, filled in and saved as the team goes.

No pandas, no matplotlib at start-up: this page is opened by every team at
once on the trainer's laptop and must start fast. Only when the trainer
reveals the comparison does the page load the table code.

The controls show what the store holds and report what the team changes; the
worksheet saves each change and says a refusal next to the control: what the
team typed stays on screen, and what the screen shows as saved is what the
store holds.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import ipywidgets as w
import traitlets
from ipywidgets.widgets.widget_bool import CheckboxStyle
from ipywidgets.widgets.widget_string import HTMLStyle

from motives import validate
from motives.errors import MotivesError, StoreError, UnknownSession, UnknownTeam
from motives.i18n import N_, message
from motives.markup import esc
from motives.models import (
    CONCLUSIONS,
    SIDES,
    Answer,
    GroupPicture,
    Motive,
    OwnMotive,
    Session,
    SessionState,
    Team,
    TeamAnswers,
)
from motives.urls import TEAM_KEY, public_url, reachable_base, team_path
from motives.widgets.controls import Control
from motives.widgets.feedback import Refusal, Status, clock
from motives.widgets.guessing import Guesses
from motives.widgets.look import fixed_look, replace_children, shared, text_block
from motives.widgets.page import AppPage, source_note
from motives.widgets.timing import Debounce, Pace, every, timer_text
from motives.wire import TeamPageStore

if TYPE_CHECKING:  # under motives serve the page's store is its server's (motives.remote): no SQLAlchemy here
    import asyncio

    from motives.revealed import Pictures

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


class MotiveChoice(Control):
    """One catalogue motive: a tick 'applies to us' and, once ticked, its importance.

    ``changed(choice, applies, importance)`` hears every change the team makes, with what the tick
    and the picker show; ``choice.value`` is what it shows.
    """

    def __init__(self, language: str, motive: Motive, changed: Callable[[MotiveChoice, bool, int], None]) -> None:
        self.motive = motive
        self.changed = changed
        self.applies = w.Checkbox(
            value=False, description=motive.text(language), indent=False, **fixed_look(CheckboxStyle)
        )
        self.applies.add_class("motives-tick")
        self.importance = importance_picker(language)
        super().__init__(language, [self.applies, self.importance], "motives-choice")
        self.applies.observe(self._changed, "value")
        self.importance.observe(self._changed, "value")

    @property
    def value(self) -> tuple[bool, int | None]:
        """Ticked or not, and the importance when ticked."""
        return self.applies.value, self.importance.value if self.applies.value else None

    def inputs(self) -> list[w.DOMWidget]:
        return [self.applies, self.importance]

    def show(self, answer: Answer | None) -> None:
        """Show the stored answer (none: not ticked) without reporting it as a change."""
        applies = bool(answer and answer.applies)
        with self.quiet:
            self.applies.value = applies
            self.importance.value = (answer.importance if answer else None) or validate.DEFAULT_IMPORTANCE
        (self.add_class if applies else self.remove_class)("motives-chosen")

    def shows(self, answer: Answer | None) -> bool:
        """Whether the screen already says what ``answer`` says."""
        applies = bool(answer and answer.applies)
        return self.value == (applies, answer.importance if answer and applies else None)

    def _changed(self, _change) -> None:
        if not self.quiet.active:
            self.changed(self, self.applies.value, self.importance.value)


class OwnMotiveRow(Control):
    """A motive the team wrote itself: its text, importance and a remove button.

    ``edited(row, text=…)`` or ``edited(row, importance=…)`` hears a change, ``removed(row)`` the button.
    """

    # True while the box holds a text the store refused: the stored text must not be put over it.
    unsaved = traitlets.Bool(False)

    def __init__(
        self,
        language: str,
        own: OwnMotive,
        edited: Callable[..., None],
        removed: Callable[[OwnMotiveRow], None],
    ) -> None:
        self.own = own
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
            description=message(language, "remove"), tooltip=message(language, "remove"), **fixed_look(w.ButtonStyle)
        )
        self.remove.add_class("motives-remove")
        super().__init__(language, [self.text, w.HBox([self.importance, self.remove], **fixed_look())], "motives-own")
        self.observe(self._mark_unsaved, "unsaved")
        self.text.observe(lambda change: self._report(edited, text=change["new"]), "value")
        self.importance.observe(lambda change: self._report(edited, importance=change["new"]), "value")
        self.remove.on_click(lambda _b: removed(self))

    def inputs(self) -> list[w.DOMWidget]:
        return [self.text, self.importance, self.remove]

    def _mark_unsaved(self, change) -> None:
        (self.add_class if change["new"] else self.remove_class)("motives-unsaved")

    def show(self, own: OwnMotive) -> None:
        """Show the stored motive; a text not saved yet stays in its box (nothing typed is lost)."""
        self.own = own
        with self.quiet:
            if not self.unsaved:
                self.text.value = own.text
            self.importance.value = own.importance

    def _report(self, edited: Callable[..., None], **change: object) -> None:
        if self.quiet.active or change.get("text") == self.own.text:
            return
        edited(self, **change)


class OwnMotiveList(Control):
    """Under each column: the team's own motives on that side, and a box to add one.

    ``added(list, text)`` hears the add button with the text in the box; each row reports to
    ``edited`` and ``removed`` (see :class:`OwnMotiveRow`).
    """

    def __init__(
        self,
        language: str,
        side: str,
        added: Callable[[OwnMotiveList, str], None],
        edited: Callable[..., None],
        removed: Callable[[OwnMotiveRow], None],
    ) -> None:
        self.side = side
        self.edited, self.removed = edited, removed
        self.rows = w.VBox(**fixed_look())
        self.new_text = text_area(language, N_("new_motive"), N_("own_placeholder"), 2, "motives-new-text")
        self.add_button = w.Button(description=message(language, "add"), button_style="primary")
        self.add_button.add_class("motives-add")
        children = [
            text_block(message(language, "own_motives"), "h4"),
            self.rows,
            self.new_text,
            text_block(message(language, "add_hint"), "p", "motives-help"),
            self.add_button,
        ]
        super().__init__(language, children, "motives-own-list")
        self.add_button.on_click(lambda _b: added(self, self.new_text.value))

    def inputs(self) -> list[w.DOMWidget | Control]:
        return [self.new_text, self.add_button, *self.rows.children]

    def show(self, own: list[OwnMotive]) -> None:
        """Show the stored motives of this side: new rows appear, removed rows go, changed rows change."""
        mine = {o.id: o for o in own if o.side == self.side}
        rows = {row.own.id: row for row in self.rows.children}
        for own_id, stored in mine.items():
            row = rows.get(own_id)
            if row is not None and row.own != stored:
                row.show(stored)
        if list(mine) != list(rows):
            replace_children(self.rows, [rows.get(i) or self._row(o) for i, o in mine.items()])

    def show_added(self, own: OwnMotive) -> None:
        """A motive the store just took from the box: its row, and an empty box for the next."""
        self.rows.children = [*self.rows.children, self._row(own)]
        self.new_text.value = ""
        self.status.ok(message(self.language, "own_added"))

    def show_removed(self, row: OwnMotiveRow) -> None:
        replace_children(self.rows, [r for r in self.rows.children if r is not row])
        self.status.ok(message(self.language, "own_removed"))

    @property
    def texts(self) -> list[str]:
        return [row.own.text for row in self.rows.children]

    def _row(self, own: OwnMotive) -> OwnMotiveRow:
        row = OwnMotiveRow(self.language, own, self.edited, self.removed)
        row.disabled = self.disabled  # a row drawn while the session is locked is greyed as the others
        return row


class ConclusionForm(Control):
    """Yes / no / not yet, and a short explanation.

    ``chose(form, conclusion)`` hears a new choice; ``explained(form, text)`` the explanation once typing
    pauses. A parent shows what the store holds with :meth:`show` and :meth:`show_choice`, and sets
    ``unsaved`` while the box holds an explanation the store refused.
    """

    def __init__(
        self,
        language: str,
        chose: Callable[[ConclusionForm, str | None], None],
        explained: Callable[[ConclusionForm, str], None],
    ) -> None:
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
        self.stored_choice: str | None = None
        self.unsaved = False  # the explanation in the box is one the store refused: it stays there
        self.typing = Debounce(lambda: explained(self, self.explanation.value))
        children = [
            text_block(message(language, "conclusion_heading"), "h3"),
            text_block(message(language, "conclusion_question"), "p", "motives-question"),
            self.choice,
            self.explanation,
        ]
        super().__init__(language, children, "motives-conclusion-form")
        self.choice.observe(lambda change: None if self.quiet.active else chose(self, change["new"]), "value")
        self.explanation.observe(lambda _c: None if self.quiet.active else self.typing(), "value")

    def inputs(self) -> list[w.DOMWidget]:
        return [self.choice, self.explanation]

    def show(self, conclusion: str | None, explanation: str) -> None:
        """Show the stored conclusion; an explanation still being typed, or refused, stays as it is."""
        self.show_choice(conclusion)
        if explanation != self.explanation.value and not self.typing.pending and not self.unsaved:
            with self.quiet:
                self.explanation.value = explanation

    def restore_choice(self) -> None:
        """Back to the conclusion last stored: a choice the store refused."""
        self.show_choice(self.stored_choice)

    def show_choice(self, conclusion: str | None) -> None:
        """Show the stored conclusion (the one a refused choice goes back to)."""
        self.stored_choice = conclusion
        if self.choice.value != conclusion:
            with self.quiet:
                self.choice.value = conclusion


class OtherDevice(Control):
    """The team's own link as a QR code, for a second device of the team; drawn when asked for
    (segno is imported then, not when every team page starts)."""

    def __init__(self, language: str, url: str) -> None:
        self.url = url  # what the other device's camera opens
        self.toggle = w.ToggleButton(
            value=False,
            description=message(language, "other_device"),
            layout=w.Layout(width="auto", align_self="flex-start"),
        )  # as wide as its words: "Op een ander toestel" was cut off at the default width
        self.code = w.HTML()
        super().__init__(language, [self.toggle, self.code], "motives-other-device")
        self.toggle.observe(lambda change: self.show(bool(change["new"])), "value")

    def inputs(self) -> list[w.DOMWidget]:
        return [self.toggle]

    def show(self, shown: bool) -> None:
        if not shown:
            self.code.value = ""
            return
        from motives.qr import qr_svg  # segno: when asked for, not when every team page starts

        label = esc(message(self.language, "other_device_help"))
        svg = qr_svg(self.url, scale=4)
        self.code.value = f'<p>{label}</p><div class="motives-qr" role="img" aria-label="{label}">{svg}</div>'


def worksheet_header(team: Team, link: str) -> w.HTML:
    """The team's name, the session, the team's own link to bookmark, and what to do."""
    session = team.session
    language, catalogue = session.language, session.catalogue
    meta = esc(message(language, "session_line", session=session.name, code=session.code))
    # The link as a short action, never as four lines of address on a phone: a tap opens it, a long
    # press (or a right click) copies it; the QR code for another device is one button below.
    own = f'<a class="motives-own-link" href="{esc(link)}">{esc(message(language, "team_own_link"))}</a>'
    return w.HTML(
        f"<h2>{esc(team.name)}</h2>"
        f'<p class="motives-meta">{meta}</p>'
        f'<p class="motives-meta">{own} · {esc(message(language, "bookmark"))}</p>'
        # The invitation to tick goes once the session is locked (widgets/app.css: .motives-is-locked).
        f'<div class="motives-instruction"><p>{esc(catalogue.instruction_in(language))} '
        f"{esc(message(language, 'instruction_ticks'))}</p>"
        f'<p class="motives-help">{esc(message(language, "importance_help"))}</p></div>',
        **fixed_look(HTMLStyle),
    )


@dataclass(frozen=True)
class Looked:
    """What one look at the store found for a worksheet (:meth:`Worksheet.look`): the session's state,
    the team's answers when the session changed, the revealed picture when it is to be drawn; or the
    refusal that says the session or the team is gone, or the store away."""

    state: SessionState | None = None
    answers: TeamAnswers | None = None
    picture: GroupPicture | None = None
    refusal: MotivesError | None = None
    saves: int = 0  # the page's saves when the look began: answers read before a later save are not shown


class Worksheet(w.VBox):
    """The whole worksheet for one team: it reads what the store holds, shows it, and saves every change.

    ``pages`` is the folder the pages are served from and ``base_url`` where teams reach the
    server: the team's own link is made of them.
    """

    def __init__(self, store: TeamPageStore, team: Team, pages: str, base_url: str) -> None:
        self.store = store
        self.team = team
        language = self.language = team.session.language
        self.status = Status(language)
        self.status.add_class("motives-save-status")
        self.status.ok(message(language, "saved_intro"))
        self.timer, self.locked = w.HTML(**fixed_look(HTMLStyle)), w.HTML(**fixed_look(HTMLStyle))
        self.timer.add_class("motives-timer")
        self.locked.add_class("motives-locked")
        self.revealed = w.VBox(**fixed_look())
        self.revealed.add_class("motives-revealed")
        # Once the trainer reveals the comparison: the group's picture or the team's own answers, one tap apart.
        self.view_switch = w.ToggleButtons(
            options=[(message(language, "reveal_group"), "group"), (message(language, "reveal_ours"), "ours")],
            value="group",
            style={"button_width": "auto"},
        )
        self.view_switch.add_class("motives-view-switch")
        self.view_switch.add_class("motives-hidden")
        self.view_switch.observe(lambda change: self._switch(change["new"]), "value")
        self.state: SessionState | None = None
        self.ended = False  # the team was removed or the session deleted: the page only says so
        self.shown: dict[str, Answer] = {}  # the answers as the store last held them, as far as this page knows
        self.unreachable = False  # the last poll found the store away: the status line says so
        self._pictures: Pictures | None = None  # the revealed picture, when the page opened the store itself
        self._picturing = threading.Lock()
        self.picture_revision = 0  # the session's revision the revealed picture shows
        self.saves = 0  # the team's saves from this page: a look that began before the last one is behind it
        self.pace = Pace(ADD_PAUSE_SECONDS)  # one pause for the whole page, whichever column adds
        grid = self._columns()
        self.conclusion = ConclusionForm(language, self._chose, self._explained)
        link = team_path(team.session.code, team.name, pages, language, team.key)
        self.header = worksheet_header(team, link)
        self.other_device = OtherDevice(language, public_url(base_url, link))
        children = [self.header, self.other_device, self.timer, self.locked, self.view_switch, self.revealed]
        children += [grid, self.conclusion]
        super().__init__([*children, self.status], **fixed_look())
        self.add_class("motives-worksheet")
        self._clock: asyncio.Task | None = None

    def start(self) -> None:
        """Show what the store holds, then follow it: a worksheet is built first, then started."""
        self.show(self.store.team_answers(self.team))
        self.poll()
        self._clock = None if self.ended else every(POLL_SECONDS, self.look, self.show_looked)

    def _columns(self) -> w.GridBox:
        """The worksheet's two columns: each side's motives, then the team's own on that side."""
        catalogue, language = self.team.session.catalogue, self.language
        self.choices: dict[str, MotiveChoice] = {}
        self.own: dict[str, OwnMotiveList] = {}
        self.columns: dict[str, w.VBox] = {}
        for side in SIDES:
            for motive in catalogue.side(side):
                self.choices[motive.id] = MotiveChoice(language, motive, self._answered)
            self.own[side] = OwnMotiveList(language, side, self._add_own, self._edit_own, self._remove_own)
            heading = text_block(catalogue.heading(side, language), "h3")
            items = [choice for choice in self.choices.values() if choice.motive.side == side]
            column = w.VBox([heading, *items, self.own[side]], **fixed_look())
            column.add_class("motives-column")
            column.add_class(f"motives-side-{side}")
            self.columns[side] = column
        grid = w.GridBox(list(self.columns.values()), **fixed_look())
        grid.add_class("motives-columns")
        return grid

    def controls(self) -> list[Control]:
        return [*self.choices.values(), *self.own.values(), self.conclusion, self.other_device]

    # --- showing what the store holds -------------------------------------

    def show(self, stored: TeamAnswers) -> None:
        """Show what the store holds for this team: on opening, and what another device of the team saved
        (for one answer, the later change wins)."""
        self.shown = dict(stored.answers)
        for motive_id, choice in self.choices.items():
            answer = stored.answers.get(motive_id)
            if not choice.shows(answer):
                choice.show(answer)
        for own_list in self.own.values():
            own_list.show(stored.own)
        self.conclusion.show(stored.conclusion, stored.explanation)

    def _stored(self) -> TeamAnswers | None:
        """What the store holds now, to put back on screen after a refusal; None if it cannot be read."""
        try:
            return self.store.team_answers(self.team)
        except MotivesError:
            return None

    def saved(self) -> None:
        if not self.ended:
            self.status.ok(message(self.language, "saved_at", time=clock(self.language)))

    # --- saving what the team changes -------------------------------------

    def _answered(self, choice: MotiveChoice, applies: bool, importance: int) -> None:
        self.saves += 1
        with Refusal(choice.status) as refused:
            answer = self.store.set_answer(self.team, choice.motive.id, applies, importance)
        if refused:
            # Back to what the store holds; when it cannot be read (the database is away), to what it
            # held when this page last saved or read it: the screen never shows a tick that was not saved.
            stored = self._stored()
            held = stored.answers if stored is not None else self.shown
            choice.show(held.get(choice.motive.id))
            return
        self.shown[choice.motive.id] = answer
        choice.status.clear()
        choice.show(answer)
        self.saved()

    def _add_own(self, own_list: OwnMotiveList, text: str) -> None:
        self.saves += 1
        wait = self.pace.wait()
        if wait:
            if text.strip():  # else the second click of a double click: nothing to say
                # The typed text stays in the box, so nothing is lost.
                own_list.status.error(message(self.language, "add_too_fast", seconds=math.ceil(wait)))
            return
        with Refusal(own_list.status) as refused:
            own = self.store.add_own_motive(self.team, own_list.side, text)
        if refused:
            return
        self.pace.done()
        own_list.show_added(own)
        self.saved()

    def _edit_own(self, row: OwnMotiveRow, *, text: str | None = None, importance: int | None = None) -> None:
        self.saves += 1
        typed = text is not None
        # Nothing is lost: a refused text stays in the box, marked as not saved.
        with Refusal(row.status, N_("own_unsaved") if typed else None) as refused:
            own = self.store.update_own_motive(self.team, row.own.id, text=text, importance=importance)
        if typed:
            row.unsaved = bool(refused)
        if refused:
            row.show(row.own)  # a refused importance goes back to the stored one
            return
        row.status.clear()
        row.show(own)  # as stored: trimmed, NFC
        self.saved()

    def _remove_own(self, row: OwnMotiveRow) -> None:
        self.saves += 1
        with Refusal(row.status) as refused:
            self.store.remove_own_motive(self.team, row.own.id)
        if refused:
            return
        own_list = self.own[row.own.side]
        own_list.show_removed(row)
        self.saved()

    def _chose(self, form: ConclusionForm, conclusion: str | None) -> None:
        self.saves += 1
        with Refusal(form.status) as refused:
            self.store.set_conclusion(self.team, conclusion=conclusion)
        if refused:
            form.restore_choice()
            return
        form.show_choice(conclusion)
        form.status.clear()
        self.saved()

    def _explained(self, form: ConclusionForm, text: str) -> None:
        self.saves += 1
        # A refused text stays in the box; the next keystroke tries again.
        with Refusal(form.status, N_("own_unsaved")) as refused:
            self.store.set_conclusion(self.team, explanation=text)
        form.unsaved = bool(refused)
        if refused:
            return
        form.status.clear()
        self.saved()

    # --- following the store ----------------------------------------------

    def poll(self) -> None:
        """Follow the store now: one look, shown at once (the first when the page starts; tests)."""
        self.show_looked(self.look())

    def look(self) -> Looked:
        """What the store holds that the page does not show yet: store calls only, no widget changes, so
        that it can run off the kernel's event loop (:func:`motives.widgets.timing.every`)."""
        if self.ended:
            return Looked()
        saves = self.saves
        try:
            state = self.store.state(self.team.session)
            changed = self.state is not None and self.state.revision != state.revision
            answers = self.store.team_answers(self.team) if changed else None
            behind = self.picture_revision < state.revision  # a picture of before the last change: ask again
            redraw = changed or behind or self.state is None or not self.revealed.children
            picture = self._picture() if state.revealed and redraw else None
        except (UnknownSession, UnknownTeam, StoreError) as refusal:
            return Looked(refusal=refusal)
        return Looked(state, answers, picture, saves=saves)

    def show_looked(self, looked: Looked) -> None:
        """Show what a look found: what the trainer steers (timer, lock, reveal) and this team's other devices."""
        if self.ended:
            return
        if isinstance(looked.refusal, UnknownSession):
            self.end("session_deleted_banner")
        elif isinstance(looked.refusal, UnknownTeam):
            self.end("team_removed_banner")
        elif looked.refusal is not None:
            # The database is away (restarted, stopped): say so before the team saves in vain; the next
            # poll tries again, and the first that works takes the message away.
            self.unreachable = True
            self.status.error(message(self.language, "store_error"))
        elif looked.state is not None:
            self._follow(looked)
            if self.unreachable:
                self.unreachable = False
                self.status.clear()

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
        replace_children(self.revealed, ())
        self.view_switch.add_class("motives-hidden")
        self.view_switch.disabled = True
        self.remove_class("motives-showing-group")

    def _follow(self, looked: Looked) -> None:
        state = looked.state
        assert state is not None
        # A locked session has no phase left to time: the countdown stops with the lock.
        text = "" if state.locked else timer_text(self.language, state.timer_ends_at, minutes=True)
        self.timer.value = f'<p role="timer">{esc(text)}</p>' if text else ""
        if self.state is None or state.locked != self.state.locked:
            self.show_locked(state.locked)
        # Answers read before this page's last save would put back what the team just changed: the next
        # look reads them again (the save moved the session's revision).
        if looked.answers is not None and looked.saves == self.saves:
            self.show(looked.answers)
        if state.revealed and looked.picture is not None:
            self.show_comparison(looked.picture)
        elif not state.revealed and self.revealed.children:
            replace_children(self.revealed, ())
            self.view_switch.add_class("motives-hidden")
            self.remove_class("motives-showing-group")  # no picture left: the team's own answers
        self.state = state

    def _switch(self, shown: object) -> None:
        """The group's picture (the worksheet steps aside) or the team's own answers."""
        group = shown == "group" and bool(self.revealed.children)
        (self.add_class if group else self.remove_class)("motives-showing-group")

    def show_locked(self, locked: bool) -> None:
        """A locked session says so and greys its controls (the store refuses changes either way)."""
        if self.ended:
            return
        banner = esc(message(self.language, "locked_banner"))
        self.locked.value = f'<p role="status">{banner}</p>' if locked else ""
        (self.add_class if locked else self.remove_class)("motives-is-locked")
        for control in self.controls():
            control.disabled = locked

    def _picture(self) -> GroupPicture:
        """The group's picture as the store holds it now (a store call: see :meth:`look`)."""
        # Under motives serve the server works the picture out once per change for every page; a page
        # that opens the store itself (JupyterHub's way 2, tests) works it out here, with pandas.
        group_picture = getattr(self.store, "group_picture", None)
        if group_picture is not None:
            return group_picture(self.team.session, self.team.name)
        with self._picturing:  # one look at a time may work it out (the first, then the clock's)
            if self._pictures is None:
                from motives.revealed import Pictures

                self._pictures = Pictures(fresh_seconds=0)  # one page: each change it sees is worked out
            return self._pictures.for_team(self.store, self.team.session, self.team.name)

    def show_comparison(self, picture: GroupPicture) -> None:
        from motives.widgets.tables import revealed_comparison

        if self.revealed.children and picture.revision == self.picture_revision:
            return  # the picture the page shows: no new widget, the phone keeps its place in it
        self.picture_revision = picture.revision
        first = not self.revealed.children
        # The old picture is closed, else every revision would leave one alive in the kernel.
        replace_children(self.revealed, [revealed_comparison(picture, self.team.session.language)])
        if first:  # the moment the trainer reveals it, the group's picture is what the page shows
            self.view_switch.remove_class("motives-hidden")
            self.view_switch.value = "group"
        self._switch(self.view_switch.value)


class TeamPage(AppPage[TeamPageStore]):
    """The page a team opens: asks for what the link did not say, then shows the worksheet."""

    page_class = "motives-team-page"

    def open_store(self) -> TeamPageStore:
        """Under motives serve, the server's store, reached through it (motives.remote): the page's
        kernel imports no SQLAlchemy and holds no database connection. Elsewhere the store itself."""
        return self.service_store() or super().open_store()

    def past_the_form(self) -> bool:
        return self.worksheet is not None

    def begin(self) -> None:
        self.worksheet: Worksheet | None = None
        self.session: Session | None = None
        self.guesses = Guesses(lambda: self.store, self.request.device)
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
        with Refusal(self.language) as refused:  # the device's wrong tries are in the store too
            wait = self.guesses.wait()
            if wait:
                return message(self.language, "code_wait", seconds=math.ceil(wait))
            return self.store.session(code)
        if isinstance(refused.error, UnknownSession):
            with Refusal(self.language) as uncounted:
                self.guesses.wrong(refused.error.code)
                return self.guesses.with_wait(self.language, refused.text)
            return uncounted.text
        return refused.text

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
        with Refusal(self.language) as refused:
            # A name taken or barred is refused, and so is one join too many from a device in the room
            # (the laptop's own browser, where the trainer tries the pages, is not counted).
            device = "" if self.request.on_this_machine else self.request.device
            team = self.store.new_team(self.session, name, device)
        if refused:
            # The form comes back with the typed name and the reason, so nothing is lost.
            self.ask_name(refused.text, name)
            return
        self.show_worksheet(team)

    def show_worksheet(self, team: Team) -> None:
        assert self.session is not None
        with Refusal(self.language) as refused:
            worksheet = Worksheet(self.store, team, self.request.pages, reachable_base(self.settings))
            worksheet.start()
        if refused:
            self.ask_name(refused.text, team.name)
            return
        self.worksheet = worksheet
        self._replace_body([worksheet, source_note(self.session)])
        own = team_path(self.session.code, team.name, language=self.session.language, key=team.key)
        self.identify(message(self.language, "page_team", team=team.name), own[own.index("?") :])
