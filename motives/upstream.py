"""Where the app relies on what Voilà, Jupyter Server, Tornado, ipykernel and ipywidgets do inside,
beyond the hooks they support: every such patch is here, each with its reason, and each has a
contract test (tests/test_upstream.py) that fails, naming the patch, when a release changes what
it relies on. Nothing else in the app reaches into them.

Standard library only at import: a team page's kernel imports this module (its comms), and must stay
light; each patch imports what it patches, or is handed it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping
from typing import Any

# --- Voilà's server (motives serve) ---------------------------------------------------------------


def swap_handlers(
    table: Iterable[tuple[Any, ...]], swapped: Mapping[type, type | None], other: Callable[[str, type], type | None]
) -> list[tuple[Any, ...]]:
    """Voilà's handler table (``Voila.init_handlers``: rows of pattern, handler class, arguments) with
    each handler class in ``swapped`` replaced by its value, and every other row's class by what
    ``other(pattern, class)`` says; None drops the row. Voilà names its handlers only in this table."""
    rows = []
    for pattern, handler, *rest in table:
        replacement = swapped[handler] if handler in swapped else other(pattern, handler)
        if replacement is not None:
            rows.append((pattern, replacement, *rest))
    return rows


def pass_to_kernel(request: Any, header: str, value: str | None) -> None:
    """Hand ``value`` to the start of the page's kernel under ``header``, which must be one of Voilà's
    ``http_header_envs``: Voilà copies those request headers into the environment it gives the kernel
    manager (as ``HTTP_<HEADER>``) and has no other way in. None: whatever a browser sent under that name goes."""
    request.headers.pop(header, None)
    if value is not None:
        request.headers[header] = value


def set_xsrf_cookie(handler: Any) -> None:
    """Set Tornado's ``_xsrf`` cookie on this response, as reading ``xsrf_token`` does: Voilà's page
    shuts its kernel down on ``beforeunload`` with a beacon that carries the cookie, and Voilà never
    sets it, so the beacon was refused."""
    handler.xsrf_token  # noqa: B018


def connection_closed(request: Any) -> bool:
    """Whether the browser closed its connection while the page rendered (Tornado's HTTP/1 connection
    keeps its stream; the handler hears of a close only while it waits on the stream)."""
    stream = getattr(request.connection, "stream", None)
    return stream is not None and stream.closed()


def redact_every_record(redacted: Callable[[logging.LogRecord], logging.LogRecord]) -> None:
    """Every log record of this process, whatever its logger or handler, passes through ``redacted``
    as it is made: Jupyter Server, Voilà and Tornado log requests, kernels and errors through loggers
    and handlers of their own, some made after the server starts. Once per process."""
    make = logging.getLogRecordFactory()
    if getattr(make, "motives_redacts", False):
        return

    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        return redacted(make(*args, **kwargs))

    factory.motives_redacts = True  # type: ignore[attr-defined]
    logging.setLogRecordFactory(factory)


# --- a page's kernel (ipykernel, ipywidgets) -------------------------------------------------------


def refuse_comm_target(manager: Any, target: str) -> None:
    """The kernel's comm manager no longer knows ``target``: a ``comm_open`` for it is answered with a
    ``comm_close``. ipywidgets registers ``jupyter.widget`` and offers no way to unregister it."""
    manager.targets.pop(target, None)


def answer_state_request(widget_class: Any, msg: dict[str, Any]) -> None:
    """Answer a control comm's ``request_states`` as ipywidgets does (its private handler): every
    widget's state, in one message."""
    widget_class._handle_control_comm_msg(msg)


def guard_comm_messages(kernel: Any, guard: Callable[[Callable[..., None]], Callable[..., None]]) -> None:
    """Every ``comm_msg`` the kernel receives goes through ``guard(handler)`` first: ipykernel's table of
    shell message handlers (``shell_handlers``) is the one place all of them pass, whatever comm."""
    kernel.shell_handlers["comm_msg"] = guard(kernel.shell_handlers["comm_msg"])
