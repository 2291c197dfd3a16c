"""The catalogue editor on the trainer's home: the worksheet's two columns, adapted to an organisation.

It holds a :class:`motives.editing.Draft` (its value) and reports only ``save(editor)``: the home
checks the draft and keeps it in the store. A preview shows the columns as a team page draws them.
"""

from __future__ import annotations

from collections.abc import Callable

import ipywidgets as w

from motives.catalogue import catalogue_to_toml
from motives.editing import Draft, DraftMotive
from motives.i18n import N_, message
from motives.models import SIDES, Catalogue, Side
from widgets.controls import Control
from widgets.dashboard_tabs import download_link
from widgets.feedback import Refusal
from widgets.look import close_all, replace_children, text_block
from widgets.team import MotiveChoice


class CatalogueEditor(Control):
    """A name, a title, an instruction, and per side the motives with reword, up, other side, remove."""

    def __init__(self, language: str, catalogue: Catalogue, save: Callable[[CatalogueEditor], None]) -> None:
        self.language = language
        self.draft = Draft.of(catalogue, language)
        self.name = w.Text(description=message(language, "editor_name"), layout=w.Layout(width="28em"))
        self.title = w.Text(value=self.draft.title, description=message(language, "editor_title"))
        self.instruction = w.Textarea(
            value=self.draft.instruction, description=message(language, "editor_instruction"), rows=2
        )
        self.columns = {side: w.VBox() for side in SIDES}
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
        children = [heading, help_text, self.name, self.title, self.instruction, grid, buttons, self.download]
        super().__init__(language, [*children, self.preview], "motives-editor")
        self.title.observe(lambda change: setattr(self.draft, "title", str(change["new"])), "value")
        self.instruction.observe(lambda change: setattr(self.draft, "instruction", str(change["new"])), "value")
        self._rows: dict[int, tuple[DraftMotive, w.VBox]] = {}  # each motive's row, by the motive
        self.preview_button.on_click(lambda _b: self.show_preview())
        self.save_button.on_click(lambda _b: save(self))
        self.draw()

    def inputs(self) -> list[w.DOMWidget]:
        rows = [
            widget
            for side in SIDES
            for row in self.columns[side].children
            for widget in (row.children[0], *row.children[1].children)
        ]
        fields = [self.name, self.title, self.instruction, self.preview_button, self.save_button]
        return [*fields, *self.new_text.values(), *self.add.values(), *rows]

    def _column(self, side: Side) -> w.VBox:
        heading = text_block(self.draft.base.heading(side, self.language), "h4")
        self.add[side].on_click(lambda _b, s=side: self._add(s))
        column = w.VBox([heading, self.columns[side], self.new_text[side], self.add[side]])
        column.add_class("motives-column")
        column.add_class(f"motives-side-{side}")
        return column

    def draw(self) -> None:
        """Every motive of the draft as a row: its text to reword, and its three buttons. A motive keeps
        its row (and its buttons) from one drawing to the next, so a quick second click still lands."""
        kept: dict[int, tuple[DraftMotive, w.VBox]] = {}
        for side in SIDES:
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
        with Refusal(self.status, whole=True):
            return self.draft.catalogue(self.name.value.strip() or message(self.language, "editor_heading"))
        return None

    def show_preview(self) -> None:
        """The columns as a team page draws them (greyed: a preview saves nothing)."""
        catalogue = self.checked()
        if catalogue is None:
            return
        columns = []
        for side in SIDES:
            choices = [MotiveChoice(self.language, motive, lambda _c: None) for motive in catalogue.side(side)]
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
        replace_children(
            self.preview, [text_block(message(self.language, "editor_preview_heading"), "h4"), title, instruction, grid]
        )

    def offer_download(self, catalogue: Catalogue, name: str) -> None:
        self.download.value = download_link(
            f"{name}.toml", "application/toml", catalogue_to_toml(catalogue), self.language
        )
