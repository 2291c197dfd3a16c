"""The catalogue editor on the trainer's home: the worksheet's two columns, adapted to an organisation.

It holds a :class:`motives.editing.Draft` (its value) and reports only ``save(editor)``: the home
checks the draft and keeps it in the store. A preview shows the columns as a team page draws them.
"""

from __future__ import annotations

from collections.abc import Callable

import ipywidgets as w
from ipywidgets.widgets.widget_bool import CheckboxStyle

from motives.catalogue import catalogue_to_toml
from motives.editing import Candidate, Draft, DraftMotive
from motives.i18n import N_, message
from motives.markup import esc
from motives.models import SIDES, Catalogue, Side
from motives.text import normalise
from motives.widgets.controls import Control
from motives.widgets.dashboard_tabs import choose, download_link
from motives.widgets.feedback import Refusal, Status
from motives.widgets.look import close_all, fixed_look, replace_children, text_block
from motives.widgets.page import credit_note
from motives.widgets.team import MotiveChoice


class CatalogueEditor(Control):
    """A name, a title, an instruction, and per side the motives with reword, up, other side, remove."""

    def __init__(
        self,
        language: str,
        catalogue: Catalogue,
        save: Callable[[CatalogueEditor, Catalogue, str], None],
        upload: Callable[[CatalogueEditor, object], None] = lambda _editor, _upload: None,
        grow: Callable[[CatalogueEditor, list[str]], None] = lambda _editor, _codes: None,
        reopen: Callable[[CatalogueEditor, str], None] = lambda _editor, _name: None,
    ) -> None:
        """What the home does, the editor reports with values: ``save(editor, catalogue, name)`` a draft
        that checked out, ``upload(editor, upload)`` a TOML file picked (what the browser sent, see
        motives.widgets.home.uploaded), ``grow(editor, codes)`` the sessions picked to grow from,
        ``reopen(editor, name)`` a saved worksheet. Each says so where the trainer acted: ``file_status``,
        ``grow_status``, ``save_status``."""
        self.language = language
        self.file_status, self.grow_status, self.save_status = Status(language), Status(language), Status(language)
        self.draft = Draft.of(catalogue, language)
        self.name = w.Text(description=message(language, "editor_name"), layout=w.Layout(width="28em"))
        self.title = w.Text(value=self.draft.title, description=message(language, "editor_title"))
        self.instruction = w.Textarea(
            value=self.draft.instruction, description=message(language, "editor_instruction"), rows=2
        )
        self.credit = w.HTML()
        self.credit.add_class("motives-help")
        self.adaptation = w.Text(
            value=self.draft.adaptation,
            description=message(language, "editor_adaptation"),
            placeholder=message(language, "editor_adaptation_example"),
            layout=w.Layout(width="100%"),
        )
        self.columns = {side: w.VBox() for side in SIDES}
        self.headings = {side: w.HTML() for side in SIDES}
        self.new_text = {side: w.Text(description=message(language, "new_motive")) for side in SIDES}
        self.add = {side: w.Button(description=message(language, "add")) for side in SIDES}
        grid = w.GridBox([self._column(side) for side in SIDES])
        grid.add_class("motives-columns")
        self.preview_button = w.Button(description=message(language, "editor_preview"), layout=w.Layout(width="auto"))
        self.save_button = w.Button(
            description=message(language, "editor_save"), button_style="primary", layout=w.Layout(width="auto")
        )
        self.preview = w.VBox()
        self.download = w.HTML()
        buttons = w.HBox([self.preview_button, self.save_button])
        heading = text_block(message(language, "editor_heading"), "h3")
        help_text = text_block(message(language, "editor_help"), "p", "motives-help")
        fields = [self.name, self.title, self.instruction, self.credit, self.adaptation]
        opening = self._opening(upload, reopen)
        children = [heading, help_text, opening, self.file_status, *fields, grid, self._growing(grow)]
        children += [buttons, self.save_status, self.download]
        super().__init__(language, [*children, self.preview], "motives-editor")
        for text, part in ((self.title, "title"), (self.instruction, "instruction"), (self.adaptation, "adaptation")):
            text.observe(lambda change, part=part: setattr(self.draft, part, str(change["new"])), "value")
        self._rows: dict[int, tuple[DraftMotive, w.VBox]] = {}  # each motive's row, by the motive
        self.preview_button.on_click(lambda _b: self.show_preview())
        self.save_button.on_click(lambda _b: self._save(save))
        self.draw()

    def inputs(self) -> list[w.DOMWidget]:
        rows = [
            widget
            for side in SIDES
            for row in self.columns[side].children
            for widget in (row.children[0], *row.children[1].children)
        ]
        fields = [self.file, self.saved, self.reopen_button, self.name, self.title, self.instruction, self.adaptation]
        growing = [self.grow_sessions, self.grow_button, *self.candidates.children, self.take_button]
        buttons = [self.preview_button, self.save_button]
        return [*fields, *self.new_text.values(), *self.add.values(), *rows, *growing, *buttons]

    def _opening(
        self, upload: Callable[[CatalogueEditor, object], None], reopen: Callable[[CatalogueEditor, str], None]
    ) -> w.HBox:
        """Where a worksheet comes from: a file, or one kept on this laptop (:meth:`show_saved`)."""
        self.file = w.FileUpload(
            accept=".toml,application/toml",
            multiple=False,
            description=message(self.language, "editor_upload"),
            layout=w.Layout(width="auto"),
        )
        self.file.observe(lambda _c: self._picked_file(upload), "value")
        self.saved = w.Dropdown(
            description=message(self.language, "editor_saved_pick"), style={"description_width": "initial"}
        )
        self.reopen_button = w.Button(
            description=message(self.language, "editor_reopen"), layout=w.Layout(width="auto"), disabled=True
        )
        self.reopen_button.on_click(lambda _b: self._reopen(reopen))
        return w.HBox([self.file, self.saved, self.reopen_button], layout=w.Layout(flex_flow="row wrap"))

    def _growing(self, grow: Callable[[CatalogueEditor, list[str]], None]) -> w.VBox:
        """Grow from sessions: the own motives teams wrote in the sessions picked, counted, to tick."""
        language = self.language
        self.grow_sessions = w.SelectMultiple(
            description=message(language, "editor_grow_sessions"), rows=5, layout=w.Layout(width="100%")
        )
        self.grow_button = w.Button(description=message(language, "editor_grow_show"), layout=w.Layout(width="auto"))
        self.grow_button.on_click(
            lambda _b: grow(self, [code for code in self.grow_sessions.value if isinstance(code, str)])
        )
        self.candidates = w.VBox()
        self.candidates.add_class("motives-candidates")
        self.take_button = w.Button(description=message(language, "editor_grow_take"), layout=w.Layout(width="auto"))
        self.take_button.add_class("motives-hidden")
        self.take_button.on_click(lambda _b: self._take())
        self._offered: list[tuple[Candidate, w.Checkbox]] = []
        heading = text_block(message(language, "editor_grow_heading"), "h4")
        help_text = text_block(message(language, "editor_grow_help"), "p", "motives-help")
        parts = [heading, help_text, self.grow_sessions, self.grow_button, self.candidates, self.take_button]
        parts.append(self.grow_status)
        box = w.VBox(parts)
        box.add_class("motives-editor-grow")
        return box

    @property
    def base(self) -> Catalogue:
        """The catalogue the draft started from (what growing leaves out as already there)."""
        return self.draft.base

    def _picked_file(self, upload: Callable[[CatalogueEditor, object], None]) -> None:
        value = self.file.value
        if not value:
            return  # the upload was emptied (below, once read)
        self.file.value = ()  # the same file picked again (to start over) is a new pick
        upload(self, value)

    def show_saved(self, names: list[str], picked: str | None = None) -> None:
        """The worksheets kept on this laptop, to open again (``picked`` the one just saved)."""
        choose(self.saved, [(name, name) for name in names])
        if picked in names:
            self.saved.value = picked
        self.reopen_button.disabled = self.disabled or not names

    def _reopen(self, reopen: Callable[[CatalogueEditor, str], None]) -> None:
        if isinstance(self.saved.value, str):
            reopen(self, self.saved.value)

    def _save(self, save: Callable[[CatalogueEditor, Catalogue, str], None]) -> None:
        catalogue = self.checked()
        if catalogue is not None:
            save(self, catalogue, self.name.value)

    def show_sessions(self, sessions: list[tuple[str, str]]) -> None:
        """The sessions to grow from, as (label, code); the ones still there stay picked."""
        kept = tuple(code for code in self.grow_sessions.value if code in {c for _label, c in sessions})
        self.grow_sessions.options = sessions
        self.grow_sessions.value = kept

    def show_candidates(self, candidates: list[Candidate], found: bool = True) -> None:
        """The own motives found, each a tick with its count of teams and its side (``found``: a new
        search, which says so when it found none)."""
        self._offered = []
        language = self.language
        # What the draft already has (taken a moment ago, or written by hand) is not offered again.
        drafted = {(side, normalise(m.text_in(language))) for side in SIDES for m in self.draft.motives[side]}
        candidates = [c for c in candidates if (c.side, normalise(c.text)) not in drafted]
        for candidate in candidates:
            side = message(language, f"side_{candidate.side}")  # "Wel beleid": short, beside each motive
            words = message(language, "editor_grow_candidate", text=candidate.text, teams=candidate.teams, side=side)
            tick = w.Checkbox(value=False, description=words, indent=False, **fixed_look(CheckboxStyle))
            tick.add_class("motives-tick")
            tick.disabled = self.disabled
            self._offered.append((candidate, tick))
        replace_children(self.candidates, [tick for _candidate, tick in self._offered])
        (self.take_button.remove_class if candidates else self.take_button.add_class)("motives-hidden")
        if found and not candidates:
            self.grow_status.error(message(language, "editor_grow_none"))

    def _take(self) -> None:
        """The ticked own motives join the draft, each at the end of its column."""
        taken = [candidate for candidate, tick in self._offered if tick.value]
        for candidate in taken:
            self.draft.add(candidate.side, candidate.text, candidate.language)
        if taken:
            self.show_candidates([candidate for candidate, tick in self._offered if not tick.value], found=False)
            self.grow_status.ok(message(self.language, "editor_grow_taken", n=len(taken)))
            self.draw()

    def load(self, catalogue: Catalogue, name: str = "") -> None:
        """Start again from ``catalogue`` (an uploaded file): every field and row shows it."""
        self.draft = Draft.of(catalogue, self.language)
        with self.quiet:
            self.name.value = name
            self.title.value, self.instruction.value = self.draft.title, self.draft.instruction
            self.adaptation.value = self.draft.adaptation
        self.download.value = ""
        replace_children(self.preview, ())
        self.draw()

    def _column(self, side: Side) -> w.VBox:
        self.add[side].on_click(lambda _b, s=side: self._add(s))
        column = w.VBox([self.headings[side], self.columns[side], self.new_text[side], self.add[side]])
        column.add_class("motives-column")
        column.add_class(f"motives-side-{side}")
        return column

    def draw(self) -> None:
        """Every motive of the draft as a row: its text to reword, and its three buttons. A motive keeps
        its row (and its buttons) from one drawing to the next, so a quick second click still lands."""
        kept: dict[int, tuple[DraftMotive, w.VBox]] = {}
        base, language = self.draft.base, self.language
        # The source's credit stays as it is (the seed's: its author, date and makers); the trainer adds a line.
        credit = "<br>".join(esc(line) for line in base.credit_lines(language) if line != self.draft.adaptation)
        self.credit.value = f"<strong>{esc(message(language, 'source_heading'))}</strong><br>{credit}" if credit else ""
        for side in SIDES:
            self.headings[side].value = f"<h4>{esc(base.heading(side, language))}</h4>"
            rows = []
            for motive in self.draft.motives[side]:
                _motive, row = self._rows.get(id(motive)) or (motive, self._row(motive))
                kept[id(motive)] = (motive, row)
                rows.append(row)
            self.columns[side].children = rows
        close_all(row for key, (_motive, row) in self._rows.items() if key not in kept)
        self._rows = kept

    def _row(self, motive: DraftMotive) -> w.VBox:
        language = self.language
        # As many lines as the motive needs in a column on a tablet (about 32 characters a line):
        # every word of it shows without scrolling.
        words = motive.text_in(self.language)
        rows = max(2, min(10, len(words) // 32 + 1))
        text = w.Textarea(value=words, continuous_update=False, rows=rows, layout=w.Layout(width="100%"))
        text.observe(lambda change: self._change(self.draft.reword, motive, str(change["new"])), "value")
        buttons = []
        for key, act in (
            (N_("editor_up"), self.draft.up),
            (N_("editor_other_side"), self.draft.move),
            ("remove", self.draft.remove),
        ):
            button = w.Button(description=message(language, key), layout=w.Layout(width="auto"))
            button.on_click(lambda _b, act=act: self._change(act, motive))
            buttons.append(button)
        row = w.VBox([text, w.HBox(buttons)])
        row.add_class("motives-editor-row")
        for widget in (text, *buttons):
            widget.disabled = self.disabled
        return row

    def _change(self, act: Callable[..., None], motive: DraftMotive, *args: object) -> None:
        """Do ``act`` to ``motive`` where it is now (a click may come after the row moved, or went)."""
        for side in SIDES:
            for index, other in enumerate(self.draft.motives[side]):
                if other is motive:
                    act(side, index, *args)
                    if act != self.draft.reword:
                        self.draw()
                    return

    def _add(self, side: Side) -> None:
        text = self.new_text[side].value.strip()
        if text:
            self.draft.add(side, text)
            self.new_text[side].value = ""
            self.draw()

    def checked(self) -> Catalogue | None:
        """The draft as a catalogue, or None after saying, on the status line, which motive is wrong."""
        with Refusal(self.save_status, whole=True):
            return self.draft.catalogue(self.name.value.strip() or message(self.language, "editor_heading"))
        return None

    def show_preview(self) -> None:
        """The columns as a team page draws them (greyed: a preview saves nothing)."""
        catalogue = self.checked()
        if catalogue is None:
            return
        columns = []
        for side in SIDES:
            choices = [MotiveChoice(self.language, motive, lambda *_answer: None) for motive in catalogue.side(side)]
            for choice in choices:
                choice.disabled = True
            column = w.VBox([text_block(catalogue.heading(side, self.language), "h3"), *choices])
            column.add_class("motives-column")
            column.add_class(f"motives-side-{side}")
            columns.append(column)
        grid = w.GridBox(columns)
        grid.add_class("motives-columns")
        title = text_block(catalogue.title_in(self.language), "h3")
        instruction = text_block(catalogue.instruction_in(self.language), "p")
        heading = text_block(message(self.language, "editor_preview_heading"), "h4")
        replace_children(self.preview, [heading, title, instruction, grid, credit_note(catalogue, self.language)])

    def offer_download(self, catalogue: Catalogue, name: str) -> None:
        self.download.value = download_link(
            f"{name}.toml", "application/toml", catalogue_to_toml(catalogue), self.language
        )
