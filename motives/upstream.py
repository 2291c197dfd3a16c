"""Where the app relies on what Voilà, Jupyter Server, Tornado, ipykernel and ipywidgets do inside,
beyond the hooks they support: every such patch is here, each with its reason, and each has a
contract test (tests/test_upstream.py) that fails, naming the patch, when a release changes what
it relies on. Nothing else in the app reaches into them.

Standard library only at import: a team page's kernel imports this module (its comms), and must stay
light; each patch imports what it patches, or is handed it.
"""

from __future__ import annotations

import logging
import signal
from collections.abc import Callable, Iterable, Mapping
from typing import Any

# --- Voilà's server (motives serve) ---------------------------------------------------------------


def start_voila(
    app: Any, application: Callable[..., Any], settings: Callable[[], Mapping[str, Any]], listening: Callable[[], None]
) -> None:
    """``Voila.start`` as Voilà (0.5.8 to 0.5.13) does it, with ``application`` in place of its
    ``tornado.web.Application`` and what ``settings()`` gives added to the application's settings
    (asked once Voilà made its own, its kernel manager among them); ``listening`` is called just
    before it listens. Voilà has no hook for the application's class or its settings before the
    application is made (Tornado reads ``compress_response`` and the like only then)."""
    import tempfile

    app.connection_dir = tempfile.mkdtemp(prefix="voila_", dir=app.connection_dir_root)
    made = app.init_settings()
    made.update(settings())
    app.app = application(**made)
    app.app.settings.update(app.tornado_settings)
    app.app.add_handlers(".*$", app.init_handlers())
    listening()
    app.listen()


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


class StartingKernels:
    """What Voilà's render handler sees as its kernel manager (``self.kernel_manager``, from which
    ``voila/handler.py`` starts the page's kernel with ``start_kernel(kernel_name=…, path=…, env=…)``):
    the server's own, with ``starting`` given the keyword arguments first (it returns those to use)
    and ``started`` the kernel's id. Voilà passes no hook for the kernel a render starts."""

    def __init__(
        self, manager: Any, starting: Callable[[dict[str, Any]], dict[str, Any]], started: Callable[[str], None]
    ) -> None:
        self._manager, self._starting, self._started = manager, starting, started

    def __getattr__(self, name: str) -> Any:
        return getattr(self._manager, name)

    async def start_kernel(self, *args: Any, **kwargs: Any) -> str:
        from jupyter_core.utils import ensure_async

        kernel_id = await ensure_async(self._manager.start_kernel(*args, **self._starting(kwargs)))
        self._started(kernel_id)
        return kernel_id


class KernelStartHooks:
    """A mixin for Voilà's render handler: ``motives_kernel_starting`` and ``motives_kernel_started`` hear
    of the kernel its render starts (:class:`StartingKernels`); named apart from Voilà's own attributes
    (its handler keeps a ``kernel_started`` flag)."""

    settings: dict[str, Any]

    def motives_kernel_starting(self, arguments: dict[str, Any]) -> dict[str, Any]:
        return arguments

    def motives_kernel_started(self, kernel_id: str) -> None:
        pass

    @property
    def kernel_manager(self) -> StartingKernels:
        return StartingKernels(
            self.settings["kernel_manager"], self.motives_kernel_starting, self.motives_kernel_started
        )


def pass_to_kernel(request: Any, header: str, value: str | None) -> None:
    """Hand ``value`` to the page's kernel under ``header``, which must be one of Voilà's
    ``http_header_envs``: Voilà copies those request headers into the kernel's environment (as
    ``HTTP_<HEADER>``) and has no other way in. None: whatever a browser sent under that name goes."""
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


def stop_voila_on_ctrl_c(app: Any) -> None:
    """Ctrl+C stops Voilà as SIGTERM does (its private handler for it): at once, every kernel shut down,
    also where this process was started with SIGINT ignored (a launcher, a shell's background job)."""
    signal.signal(signal.SIGINT, app._handle_signal_stop)


def stop_lab_on_ctrl_c(lab: Any) -> None:
    """Ctrl+C stops JupyterLab's server at once, as it stops ``motives``: Jupyter Server's own SIGINT
    handler asks "Shut down (y/[n])?" in a terminal, and in none (a launcher) lets SIGINT land
    wherever the loop happens to be; its handler for SIGTERM (private) stops it cleanly."""
    signal.signal(signal.SIGINT, lab._signal_stop)


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
