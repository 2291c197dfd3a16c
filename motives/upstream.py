"""Where the app relies on what Voilà, Jupyter Server, Tornado, ipykernel and ipywidgets do inside,
beyond the hooks they support: every such patch is here, each with its reason, and each has a
contract test (tests/test_upstream.py) that fails, naming the patch, when a release changes what
it relies on. Nothing else in the app reaches into them.

Standard library only at import: a team page's kernel imports this module (its comms), and must stay
light; each patch imports what it patches, or is handed it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Collection, Iterable, Mapping
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


def pooled_kernels(kernels: Any, notebook: str, waiting: Collection[str]) -> tuple[list[str], list[str], int]:
    """The warm kernels Voilà keeps for ``notebook`` (its preheat pool, ``VoilaKernelManager._pools``:
    one task per kernel, done once the kernel's process runs): the ids of those whose page waits for
    its request (``waiting``: connected to Voilà's request socket, :func:`waiting_kernels`), the ids of
    those that run but do not wait yet (their page is still being made), and how many processes are
    still starting. One that failed to start is taken out of the pool: Voilà would hand it to the next
    page, which would fail with it. Voilà has no public way to list them, nor to give one back."""
    ready: list[str] = []
    running: list[str] = []
    starting = 0
    pool = kernels._pools.get(notebook, [])
    for task in list(pool):
        if not task.done():
            starting += 1
        elif not task.cancelled() and task.exception() is None:
            kernel_id = task.result()["kernel_id"]
            (ready if kernel_id in waiting else running).append(kernel_id)
        else:
            pool.remove(task)
    return ready, running, starting


def waiting_kernels(handler: Any) -> set[str]:
    """The kernels connected to Voilà's request socket (``RequestInfoSocketHandler._waiters``): a warm
    page that waits for its request."""
    return set(handler._waiters)


def request_socket(handler: Any) -> Any:
    """Voilà's request socket (``RequestInfoSocketHandler``), for one kernel each and forgetting what it
    sent: Voilà keeps a request it could not deliver yet (its ``_cache``) for good, page's key and
    all, and sends it to whoever connects for that kernel; a second socket for one kernel took the
    first one's place, and closing either removed whichever socket came last."""

    class OneSocketPerKernel(handler):
        kernel_id = ""

        def open(self, kernel_id: str) -> None:
            if kernel_id in handler._waiters:
                self.close()
                return
            self.kernel_id = kernel_id
            handler._waiters[kernel_id] = self
            kept = handler._cache.pop(kernel_id, None)
            if kept is not None:
                self.write_message(kept)

        def on_close(self) -> None:
            if self.kernel_id and handler._waiters.get(self.kernel_id) is self:
                del handler._waiters[self.kernel_id]

    return OneSocketPerKernel


def warm_more(kernels: Any, notebook: str, more: int) -> None:
    """Start ``more`` warm kernels for ``notebook`` now (Voilà's ``fill_if_needed``, which fills the pool
    to the size its ``kernel_pools_config`` says). Between two calls the size stays 0: Voilà refills the
    pool by itself after every page it serves from it, and the app decides when instead (motives.server.pool)."""
    if more <= 0:
        return
    size = len(kernels._pools.get(notebook, []))
    config = dict(kernels.kernel_pools_config)
    kernels.kernel_pools_config = {**config, notebook: {"pool_size": size + more}}
    try:
        kernels.fill_if_needed(delay=0, notebook_name=notebook)
    finally:
        kernels.kernel_pools_config = {**config, notebook: {"pool_size": 0}}


def claim_from_pool(handler: Any, claimed: Callable[[str, dict[str, str]], dict[str, str]]) -> None:
    """What Voilà hands a warm kernel when a page takes it passes through ``claimed(kernel_id, request)``
    first: ``RequestInfoSocketHandler.send_updates``, which Voilà's page handler calls with the kernel it
    took from the pool and the page's request, then writes it to the kernel's socket or keeps it until
    the kernel connects. Nowhere else says which kernel a request took, while the request is still
    being answered. ``handler``: Voilà's class; applied again, the newest ``claimed`` is used."""
    original = handler.__dict__.get("_motives_send_updates") or handler.__dict__["send_updates"]
    handler._motives_send_updates = original

    def send_updates(cls: Any, msg: dict[str, Any]) -> None:
        original.__func__(cls, {**msg, "payload": claimed(str(msg["kernel_id"]), dict(msg["payload"]))})

    handler.send_updates = classmethod(send_updates)


async def request_of_warm_kernel(environ: Mapping[str, str]) -> dict[str, str]:
    """In a warm kernel (Voilà's preheat pool), the request of the page that takes it: what Voilà's
    ``wait_for_request`` waits for, on the kernel's own event loop rather than blocking a cell, and
    without importing Voilà into the kernel (``voila.utils`` imports Voilà's whole server: about 860
    modules and 1.5 s). Voilà's protocol: one JSON message of the request's variables on
    ``ws://VOILA_APP_IP:VOILA_APP_PORT{VOILA_SERVER_URL}voila/query/{VOILA_KERNEL_ID}``, sent once a
    page has taken this kernel (kept by the server until the kernel connects)."""
    import asyncio
    import json

    from tornado.websocket import websocket_connect

    host = environ.get("VOILA_APP_IP", "127.0.0.1")
    host = f"[{host}]" if ":" in host else host
    base = environ.get("VOILA_WS_BASE_URL") or environ.get("VOILA_SERVER_URL", "/")
    url = f"ws://{host}:{environ.get('VOILA_APP_PORT', '')}{base}voila/query/{environ.get('VOILA_KERNEL_ID', '')}"
    for wait in (1, 2, 4, 8, 16, 0):  # a server busy with a room answers late; one that never does is gone
        try:
            socket = await websocket_connect(url, connect_timeout=30)
            break
        except OSError:
            if not wait:
                raise
            await asyncio.sleep(wait)
    try:
        message = await socket.read_message()
    finally:
        socket.close()
    if not isinstance(message, str):
        raise ConnectionError("the server closed the warm kernel's request socket")
    return {str(name): str(value) for name, value in json.loads(message).items()}


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
