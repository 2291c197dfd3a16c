"""How the pages look: the stylesheet, the shared layout models, escaped text blocks, closing.

One Layout and one Style model per kind is shared by every widget that never changes its
own: a team page then opens ~90 models instead of ~200, and each model costs a message
through the server and an object in the browser.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import ipywidgets as w
from ipywidgets.widgets.widget_string import HTMLStyle

from motives.markup import esc

_CSS = (Path(__file__).parent / "app.css").read_text(encoding="utf-8")
_SHARED: dict[type, w.Widget] = {}


def stylesheet() -> w.HTML:
    return w.HTML(f"<style>{_CSS}</style>", layout=w.Layout(display="none"))


def shared(kind: type[w.Widget]) -> w.Widget:
    """The page's one plain instance of ``kind`` (``w.Layout``, ``w.HTMLStyle`` …); never change it."""
    model = _SHARED.get(kind)
    if model is None or model.comm is None:
        model = _SHARED[kind] = kind()
    return model


def fixed_look(style: type[w.Widget] | None = None) -> dict[str, w.Widget]:
    """Constructor arguments for a widget whose layout (and style) stay as they are: the shared models."""
    parts = {"layout": shared(w.Layout)}
    if style is not None:
        parts["style"] = shared(style)
    return parts


def text_block(text: str = "", tag: str = "p", cls: str = "") -> w.HTML:
    """An HTML widget whose content is escaped text inside one tag of ours."""
    widget = w.HTML(**fixed_look(HTMLStyle))
    set_text(widget, text, tag, cls)
    return widget


def set_text(widget: w.HTML, text: str, tag: str = "p", cls: str = "") -> None:
    attr = f' class="{esc(cls)}"' if cls else ""
    widget.value = f"<{tag}{attr}>{esc(text)}</{tag}>" if text else ""


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


def replace_children(box: w.Box, children: Iterable[w.Widget]) -> None:
    """Put ``children`` in ``box`` and close what was there before (unless it stays)."""
    old = box.children
    box.children = tuple(children)
    close_all(widget for widget in old if widget not in box.children)
