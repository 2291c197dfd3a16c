"""The one shape of a control on a page.

A control shows a value (``show(stored)``, which fires nothing), reports a person's change
through the callback it was given, and has ``disabled``. It never reads or writes the store:
the page does, and says a refusal on the control's own status line (``control.status``).
"""

from __future__ import annotations

import ipywidgets as w
import traitlets

from motives.widgets.feedback import Status
from motives.widgets.look import fixed_look


class Quiet:
    """Set widget values from the store without their observers reporting them as a person's change.

    ``with self.quiet: control.value = stored`` and, in the observer, ``if self.quiet.active: return``.
    """

    def __init__(self) -> None:
        self.active = False

    def __enter__(self) -> None:
        self.active = True

    def __exit__(self, *_exc: object) -> None:
        self.active = False


class Control(w.VBox):
    """A control: its inputs, then its status line. ``disabled`` greys every input it has."""

    disabled = traitlets.Bool(False)

    def __init__(self, language: str, children: list[w.Widget], css_class: str) -> None:
        self.language = language
        self.status = Status(language)
        self.quiet = Quiet()
        super().__init__([*children, self.status], **fixed_look())
        self.add_class(css_class)
        self.add_class("motives-control")  # where the page's script finds a control's own status line
        self.observe(lambda change: self._grey(bool(change["new"])), "disabled")

    def inputs(self) -> list[w.DOMWidget | Control]:
        """What a person can change or click here (inner controls included)."""
        return []

    def _grey(self, disabled: bool) -> None:
        for widget in self.inputs():
            widget.disabled = disabled
