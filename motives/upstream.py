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


def pooled_kernels(kernels: Any, notebook: str) -> tuple[list[str], int]:
    """The warm kernels Voilà keeps for ``notebook`` (its preheat pool, ``VoilaKernelManager._pools``:
    one task per kernel, done once the kernel runs the notebook): the ids of those that run, and how
    many are still starting. Voilà has no public way to list them, nor to give one back."""
    ready: list[str] = []
    starting = 0
    for task in list(kernels._pools.get(notebook, ())):
        if not task.done():
            starting += 1
        elif not task.cancelled() and task.exception() is None:
            ready.append(task.result()["kernel_id"])
    return ready, starting


def warm_more(kernels: Any, notebook: str, more: int) -> None:
    """Start ``more`` warm kernels for ``notebook`` now (Voilà's ``fill_if_needed``, which fills the pool
    to the size its ``kernel_pools_config`` says). Between two calls the size stays 0: Voilà refills the
    pool by itself after every page it serves from it, and the app decides when instead (motives.server.pool)."""
    if more <= 0:
        return
    ready, starting = pooled_kernels(kernels, notebook)
    config = dict(kernels.kernel_pools_config)
    kernels.kernel_pools_config = {**config, notebook: {"pool_size": len(ready) + starting + more}}
    try:
        kernels.fill_if_needed(delay=0, notebook_name=notebook)
    finally:
        kernels.kernel_pools_config = {**config, notebook: {"pool_size": 0}}


def claimed_from_pool(handler: type, claimed: Callable[[Any, str, dict[str, str]], dict[str, str]]) -> type:
    """Voilà's request-info websocket (``RequestInfoSocketHandler``, ``/voila/query/<kernel id>``), with
    what it sends a warm kernel when a page takes it passed through ``claimed(socket, kernel_id, payload)``
    first: Voilà hands the request to the kernel there (``send_updates`` writes it to the kernel's socket,
    or keeps it until the kernel connects), and nowhere else says which kernel a request took."""

    class Claimed(handler):
        kernel_id = ""

        def open(self, kernel_id: str) -> None:
            self.kernel_id = kernel_id
            super().open(kernel_id)

        def write_message(self, message: Any, binary: bool = False) -> Any:
            if isinstance(message, dict):
                message = claimed(self, self.kernel_id, message)
            return super().write_message(message, binary)

    Claimed.__name__ = Claimed.__qualname__ = f"Claimed{handler.__name__}"
    return Claimed


def request_of_warm_kernel(environ: Mapping[str, str]) -> dict[str, str]:
    """In a warm kernel (Voilà's preheat pool), the request of the page that takes it: what Voilà's
    ``wait_for_request`` waits for, without importing Voilà into the kernel (``voila.utils`` imports
    Voilà's whole server: about 860 modules and 1.5 s, in every team page's kernel). Voilà's protocol:
    one JSON message of the request's variables on ``ws://VOILA_APP_IP:VOILA_APP_PORT{VOILA_SERVER_URL}
    voila/query/{VOILA_KERNEL_ID}``, sent once a page has taken this kernel. Empty if the server
    cannot be reached (the page then shows as one without a request: the code form)."""
    import asyncio
    import json
    import threading

    host = environ.get("VOILA_APP_IP", "127.0.0.1")
    base = environ.get("VOILA_WS_BASE_URL") or environ.get("VOILA_SERVER_URL", "/")
    url = f"ws://{host}:{environ.get('VOILA_APP_PORT', '')}{base}voila/query/{environ.get('VOILA_KERNEL_ID', '')}"
    received: dict[str, str] = {}

    async def once() -> None:
        from tornado.websocket import websocket_connect

        socket = await websocket_connect(url, connect_timeout=10)
        try:
            message = await socket.read_message()
        finally:
            socket.close()
        if isinstance(message, str):
            received.update({str(k): str(v) for k, v in json.loads(message).items()})

    def receive() -> None:
        try:
            asyncio.run(once())
        except Exception:  # the server is gone or unreachable: no request
            received.clear()

    # The kernel's own event loop is the one running this cell: the wait has a thread and a loop of its own.
    waiting = threading.Thread(target=receive, name="motives-wait-for-request")
    waiting.start()
    waiting.join()
    return received


def compile_templates_once(exporter_class: Any, loader: Any) -> None:
    """Every Jinja environment ``exporter_class`` (Voilà's exporter, one per page) makes asks ``loader``
    first: nbconvert's ``TemplateExporter._create_environment`` puts its loaders in a ``ChoiceLoader``,
    and its ``extra_loaders``, which would come first, are not configurable (nor set by Voilà)."""
    if getattr(exporter_class, "_motives_loader", None) is not None:
        exporter_class._motives_loader = loader
        return
    create = exporter_class._create_environment

    def created(self: Any) -> Any:
        environment = create(self)
        environment.loader.loaders.insert(0, type(self)._motives_loader)
        return environment

    exporter_class._motives_loader = loader
    exporter_class._create_environment = created


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
