"""What the browser may ask of a page's kernel over the widgets' comms.

Every widget of a page is made in the kernel; the browser shows them and sets their values. Yet
ipywidgets lets any script that reaches the kernel's websocket open a ``jupyter.widget`` comm, which
builds a widget of any registered class, as large as the script likes, that nothing ever closes.
And a ``request_states`` message on the ``jupyter.widget.control`` comm makes the kernel send every
widget's whole state: a few bytes in, the whole page out, as often as it is asked.

So a page's kernel refuses widgets made by the browser, and answers a limited number of control
comms and state requests (``request_states`` on the control comm and, after a widget's first,
``request_state`` on its own comm, counted together): a page asks once when it loads and again when it reconnects. A
message of another shape is ignored with one line in the log, and an error in a widget's handler
is one line too: ipywidgets would send its traceback, with the server's paths, to the browser.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable, Iterator
from typing import Any

import ipywidgets as w

from motives import upstream

log = logging.getLogger("motives")

MAX_CONTROL_MESSAGES = 40
"""Control comms opened plus states requested, in one kernel's life: far more than a page's reconnects."""

_WIDGET_TARGET = "jupyter.widget"
_CONTROL_TARGET = "jupyter.widget.control"


# What a widget's comm may be asked (ipywidgets' protocol) and what the control comm may.
_WIDGET_METHODS = frozenset({"update", "request_state", "custom"})
_CONTROL_METHOD = "request_states"


def _data(msg: Any) -> dict:
    """A comm message's data, or {} when the message is not of the protocol's shape."""
    content = msg.get("content") if isinstance(msg, dict) else None
    if not isinstance(content, dict) or not isinstance(content.get("comm_id"), str):
        return {}
    data = content.get("data")
    return data if isinstance(data, dict) and isinstance(data.get("method"), str) else {}


@contextlib.contextmanager
def _tracebacks_as_one_line() -> Iterator[None]:
    """While a widget handles a message, an error in it is one line in the log, not a traceback to the browser."""
    from IPython import get_ipython

    shell = get_ipython()
    if shell is None:
        yield
        return

    def one_line(*args, **kwargs) -> None:
        import sys

        error = sys.exc_info()[1]
        log.warning("motives: a widget message failed: %s", type(error).__name__ if error else "error")

    shell.showtraceback = one_line
    try:
        yield
    finally:
        del shell.showtraceback  # the class's own again


class ControlBudget:
    """How many control comms and state requests this kernel still answers."""

    def __init__(self, limit: int = MAX_CONTROL_MESSAGES) -> None:
        self.left = limit
        self.controls: set[str] = set()  # the ids of the control comms opened
        # A widget's first state request is free: when the control comm answers late, the page's widget
        # manager asks each widget for its state once, hundreds of them, and waits for every answer.
        self.asked: set[str] = set()

    def take(self) -> bool:
        if self.left <= 0:
            return False
        self.left -= 1
        return True

    def first_request(self, comm_id: str) -> bool:
        """Whether this is the first state request of the widget ``comm_id`` (later ones count)."""
        if comm_id in self.asked:
            return False
        self.asked.add(comm_id)
        return True

    def opened(self, comm, msg: dict) -> None:
        if not self.take():
            log.warning("motives: a control comm refused: this page asked too often")
            comm.close()
            return
        w.Widget.handle_control_comm_opened(comm, msg)
        self.controls.add(comm.comm_id)
        comm.on_msg(self.message)  # in place of ipywidgets' own handler, which it calls

    def message(self, msg: dict) -> None:
        if _data(msg).get("method") != _CONTROL_METHOD:
            log.warning("motives: a control message of another shape ignored")
            return
        if not self.take():
            log.warning("motives: a state request ignored: this page asked too often")
            return
        upstream.answer_state_request(w.Widget, msg)

    def guarded(self, handle: Callable[..., None]) -> Callable[..., None]:
        """The kernel's handler of every comm message, ``handle``, behind this budget: a widget's
        ``request_state`` counts as a control request does, a message of another shape is ignored."""

        def comm_msg(stream, ident, msg) -> None:
            data = _data(msg)
            method = data.get("method")
            if data and msg["content"]["comm_id"] in self.controls:
                method = _CONTROL_METHOD if method == _CONTROL_METHOD else None
            elif method not in _WIDGET_METHODS or (method == "update" and not isinstance(data.get("state"), dict)):
                method = None
            if method is None:
                log.warning("motives: a widget message of another shape ignored")
                return
            if method == "request_state" and not self.first_request(msg["content"]["comm_id"]) and not self.take():
                log.warning("motives: a state request ignored: this page asked too often")
                return
            with _tracebacks_as_one_line():
                handle(stream, ident, msg)

        return comm_msg


def guard_comms(limit: int = MAX_CONTROL_MESSAGES) -> None:
    """Refuse widgets made by the browser, limit the control comm and the state requests, and ignore
    messages of another shape, in this kernel (once)."""
    from IPython import get_ipython
    from ipywidgets.comm import get_comm_manager

    manager = get_comm_manager()
    if manager is None or getattr(manager, "motives_guarded", False):
        return
    budget = ControlBudget(limit)
    upstream.refuse_comm_target(manager, _WIDGET_TARGET)
    manager.register_target(_CONTROL_TARGET, budget.opened)
    kernel = getattr(get_ipython(), "kernel", None)
    if kernel is not None:
        upstream.guard_comm_messages(kernel, budget.guarded)
    manager.motives_guarded = True
