"""The store service of ``motives serve``: one store, with one pool of database connections, for
every team page the server serves (docs/deploy.md, "Connections").

A team page's kernel calls it through :class:`motives.remote.RemoteStore`: one HTTP request per call,
on a port of its own on 127.0.0.1 that the public server does not route to (no browser and no proxy
reaches it), with a secret that only the server's kernels are given. It runs the store method the
call names, if it is one of :data:`motives.wire.SERVICE_CALLS`, on one of ``connections`` threads,
and answers with the result or the store's refusal (:mod:`motives.wire`).
"""

from __future__ import annotations

import hmac
import logging
import secrets
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any

import tornado.httpserver
import tornado.netutil
import tornado.web
from tornado.ioloop import IOLoop

from motives import wire
from motives.errors import MotivesError, StoreError
from motives.i18n import N_
from motives.remote import CALL_SECONDS, PATH, TOKEN_HEADER
from motives.revealed import Pictures
from motives.settings import Settings
from motives.store import Store

if TYPE_CHECKING:
    from motives.export import SessionFile

log = logging.getLogger("motives.service")
# A call's message is a few kilobytes (a conclusion's explanation at most); nothing needs more.
MAX_CALL_BYTES = 1024 * 1024


def _log_refusals(handler: tornado.web.RequestHandler) -> None:
    # Every page polls once a second: the log keeps what went wrong, not each call.
    if handler.get_status() >= 400:
        log.warning("store service: %d %s", handler.get_status(), handler.request.method)


class StoreService:
    """The store for the team pages of one server, opened on the first call (and again after a failed
    opening: a database that is away when the server starts is used once it is back)."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.token = secrets.token_urlsafe(32)
        self.connections = settings.store_connections
        self._executor = ThreadPoolExecutor(self.connections, thread_name_prefix="motives-store")
        # The trainer's downloads, one at a time on a thread of their own: making a report never takes a
        # thread the team pages' calls are waiting for.
        self._files = ThreadPoolExecutor(1, thread_name_prefix="motives-files")
        self._store: Store | None = None
        self._opening = threading.Lock()
        self.pictures = Pictures()
        self._server: tornado.httpserver.HTTPServer | None = None
        # Bound now, served once the loop runs (listen): the kernels are told the port before they start.
        (self._socket,) = tornado.netutil.bind_sockets(0, "127.0.0.1")
        self.port: int = self._socket.getsockname()[1]

    def listen(self) -> None:
        """Serve the calls on the current loop (the server's)."""
        application = tornado.web.Application([(PATH, StoreCallHandler, {"service": self})], log_function=_log_refusals)
        # The kernels' kept-alive connections may idle as long as Tornado lets them by default, whatever
        # the app's server configured for the room's requests (motives.server.app.MotivesVoila.listen).
        self._server = tornado.httpserver.HTTPServer(
            application, max_body_size=MAX_CALL_BYTES, idle_connection_timeout=3600.0, body_timeout=3600.0
        )
        self._server.add_sockets([self._socket])

    def environ(self) -> dict[str, str]:
        """What a kernel of this server needs to reach the service (motives.settings reads it)."""
        return {"MOTIVES_STORE_SERVICE": f"127.0.0.1:{self.port}", "MOTIVES_STORE_TOKEN": self.token}

    def allowed(self, token: str) -> bool:
        return hmac.compare_digest(token.encode(), self.token.encode())

    def _opened(self) -> Store:
        with self._opening:
            if self._store is None:
                self._store = Store(settings=self.settings, connections=self.connections)
            return self._store

    def answer(self, method: str, args: tuple, kwargs: dict[str, Any], queued: float | None = None) -> bytes:
        """The store's answer to one call, or its refusal, as the wire carries it (on a pool thread).
        A call that waited half as long as its page waits for an answer is not run: the page has already
        said it was not saved, and a late write (or a second one, when the team tries again) must not
        land after that."""
        if queued is not None and time.monotonic() - queued > CALL_SECONDS / 2:
            return wire.answer(error=StoreError(N_("store_unusable"), where="motives serve", detail="too late"))
        try:
            if method == "group_picture":  # (session, team): worked out once per change for every page
                return wire.answer(self.pictures.for_team(self._opened(), *args, **kwargs))
            return wire.answer(getattr(self._opened(), method)(*args, **kwargs))
        except MotivesError as error:
            return wire.answer(error=error)
        except Exception as exc:  # arguments that do not fit the call (no kernel of ours sends them), a bug
            log.warning("store service: %s failed: %s", method, type(exc).__name__)
            return wire.answer(error=StoreError(N_("store_unusable"), where="motives serve", detail=type(exc).__name__))

    async def run(self, method: str, args: tuple, kwargs: dict[str, Any]) -> bytes:
        queued = time.monotonic()
        return await IOLoop.current().run_in_executor(self._executor, self.answer, method, args, kwargs, queued)

    async def session_file(self, code: str, key: str, name: str) -> SessionFile | None:
        """The file ``name`` of session ``code`` for whoever holds its trainer key (:func:`motives.export.named_file`);
        the writers (pandas, openpyxl, python-docx) are imported at the first download, not before."""

        def make() -> SessionFile | None:
            from motives.export import named_file

            return named_file(self._opened(), code, key, name)

        return await IOLoop.current().run_in_executor(self._files, make)

    def close(self) -> None:
        if self._server is not None:
            self._server.stop()
        else:
            self._socket.close()
        self._executor.shutdown(wait=False, cancel_futures=True)
        self._files.shutdown(wait=False, cancel_futures=True)
        if self._store is not None:
            self._store.close()


class StoreCallHandler(tornado.web.RequestHandler):
    """POST /store: one call of a team page's kernel, with the server's secret."""

    def initialize(self, service: StoreService) -> None:
        self.service = service

    async def post(self) -> None:
        if not self.service.allowed(self.request.headers.get(TOKEN_HEADER, "")):
            raise tornado.web.HTTPError(403)
        try:
            method, args, kwargs = wire.read_call(self.request.body)
        except wire.WireError:
            raise tornado.web.HTTPError(400) from None
        if method not in wire.SERVICE_CALLS:
            raise tornado.web.HTTPError(404)
        self.set_header("Content-Type", "application/json")
        self.finish(await self.service.run(method, args, kwargs))
