"""What the browser may ask of a page's kernel over the widgets' comms.

Every widget of a page is made in the kernel; the browser shows them and sets their values. Yet
ipywidgets lets any script that reaches the kernel's websocket open a ``jupyter.widget`` comm, which
builds a widget of any registered class, as large as the script likes, that nothing ever closes.
And a ``request_states`` message on the ``jupyter.widget.control`` comm makes the kernel send every
widget's whole state: a few bytes in, the whole page out, as often as it is asked.

So a page's kernel refuses widgets made by the browser, and answers a limited number of control
comms and state requests: a page asks once when it loads and again when it reconnects.
"""

from __future__ import annotations

import logging

import ipywidgets as w

log = logging.getLogger("motives")

MAX_CONTROL_MESSAGES = 40
"""Control comms opened plus states requested, in one kernel's life: far more than a page's reconnects."""

_WIDGET_TARGET = "jupyter.widget"
_CONTROL_TARGET = "jupyter.widget.control"


class ControlBudget:
    """How many control comms and state requests this kernel still answers."""

    def __init__(self, limit: int = MAX_CONTROL_MESSAGES) -> None:
        self.left = limit

    def take(self) -> bool:
        if self.left <= 0:
            return False
        self.left -= 1
        return True

    def opened(self, comm, msg: dict) -> None:
        if not self.take():
            log.warning("motives: a control comm refused: this page asked too often")
            comm.close()
            return
        w.Widget.handle_control_comm_opened(comm, msg)
        comm.on_msg(self.message)  # in place of ipywidgets' own handler, which it calls

    def message(self, msg: dict) -> None:
        if not self.take():
            log.warning("motives: a state request ignored: this page asked too often")
            return
        w.Widget._handle_control_comm_msg(msg)


def guard_comms(limit: int = MAX_CONTROL_MESSAGES) -> None:
    """Refuse widgets made by the browser and limit the control comm, in this kernel (once)."""
    from ipywidgets.comm import get_comm_manager

    manager = get_comm_manager()
    if manager is None or getattr(manager, "motives_guarded", False):
        return
    manager.targets.pop(_WIDGET_TARGET, None)  # a comm_open for it is then answered with a comm_close
    manager.register_target(_CONTROL_TARGET, ControlBudget(limit).opened)
    manager.motives_guarded = True
