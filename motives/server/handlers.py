"""The server's request handlers: the start page, the app's pages (Voilà's render handler with the
guards before it), the kernels' websockets and models, files, and everything that is not found."""

from __future__ import annotations

import logging
import math
import posixpath
from urllib.parse import urlencode

import tornado.web
from jupyter_server.services.kernels.handlers import KernelHandler
from jupyter_server.utils import url_path_join
from voila.request_info_handler import RequestInfoSocketHandler
from voila.static_file_handler import TemplateStaticFileHandler
from voila.tornado.handler import TornadoVoilaHandler
from voila.tornado.kernel_websocket_handler import VoilaKernelWebsocketHandler

from motives import upstream
from motives.i18n import DEFAULT_LANGUAGE, LANGUAGES
from motives.request import device_of
from motives.resources import PAGES as APP_PAGES
from motives.server.guard import Guard
from motives.server.hosts import FORWARDED_CLIENT, client_address, from_the_laptop, from_this_machine
from motives.server.kernels import RENDER_HEADER, Render
from motives.server.limits import PAGES_FULL_WAIT_SECONDS
from motives.server.logs import redact
from motives.server.pages import (
    HOME_PAGE,
    LANGUAGE_COOKIE,
    TEAM_PAGE,
    chosen_language,
    forbidden_host_page,
    language_query,
    limit_page,
    not_found_page,
)
from motives.server.signin import SIGN_IN_PAGE, for_the_trainer
from motives.urls import PAGES as PAGES_PATH


class ForbiddenHostHandler(tornado.web.RequestHandler):
    """Any request whose ``Host`` the server is not meant for, whatever its method or path."""

    def prepare(self) -> None:
        self.set_status(403)
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.set_header("Cache-Control", "no-store")
        self.finish(forbidden_host_page(chosen_language(self)))


class NotFoundHandler(tornado.web.RequestHandler):
    """Any path that is not one of the app's: the same short page in every language, never Voilà's
    file list, its English error page, or a notebook that is not one of the app's pages."""

    def prepare(self) -> None:
        answer_not_found(self)


def answer_not_found(handler: tornado.web.RequestHandler) -> None:
    """The app's short not-found page, in the language the browser asked for."""
    handler.set_status(404)
    handler.set_header("Content-Type", "text/html; charset=utf-8")
    handler.set_header("Cache-Control", "no-store")
    handler.finish(not_found_page(handler.settings["base_url"], chosen_language(handler)))


class QuietFileErrors(tornado.web.StaticFileHandler):
    """A file handler's error is the short not-found page (or an empty answer) and at most one line in
    the log. Jupyter Server's own error page failed to render under Voilà (a traceback in the log for
    every /voila/api/themes/ or /voila/labextensions/ that was not found)."""

    def write_error(self, status_code: int, **kwargs) -> None:
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.finish(not_found_page(self.settings["base_url"], chosen_language(self)) if status_code == 404 else "")

    def log_exception(self, typ, value, tb) -> None:
        if isinstance(value, tornado.web.HTTPError):
            return  # its status is in the request's own log line
        logging.getLogger("motives").warning(
            "motives: %s %s failed: %s", self.request.method, redact(self.request.path), typ.__name__
        )


def quiet_file_handler(handler: type) -> type:
    """``handler`` (one of Voilà's file handlers) with :class:`QuietFileErrors`' error page and log."""
    return type(handler.__name__, (QuietFileErrors, handler), {})


class TemplateFileHandler(QuietFileErrors, TemplateStaticFileHandler):
    """The templates' static files (scripts, styles); a path of another shape is not found (Voilà's
    own handler fails an assertion on it and answers 500): ``NAME/static/FILE``, nothing above it."""

    async def get(self, path: str, include_body: bool = True) -> None:
        parts = path.split("/")
        if len(parts) < 3 or parts[1] != "static" or posixpath.normpath(path) != path or ".." in parts:
            raise tornado.web.HTTPError(404)
        await super().get(path, include_body)


class StartPageHandler(tornado.web.RequestHandler):
    """The app's address: on the laptop itself the trainer's home; on any other device the team
    page's code form (where a team starts). In the language asked for, or last chosen."""

    def get(self) -> None:
        asked = self.get_query_argument("lang", "")
        # Dutch asked for is said too: without it the home would go back to the language last chosen.
        query = f"?{urlencode({'lang': asked})}" if asked in LANGUAGES else language_query(chosen_language(self))
        if for_the_trainer(self):
            page = url_path_join(PAGES_PATH, HOME_PAGE)
        elif self.settings["motives_guard"].trainer_password_hash and from_the_laptop(self.request):
            page = SIGN_IN_PAGE  # the server's own browser, with a trainer password set: where it signs in
        else:
            page = url_path_join(PAGES_PATH, TEAM_PAGE)
        self.redirect(url_path_join(self.settings["base_url"], page) + query)


class RenderHandler(TornadoVoilaHandler):
    """Voilà's render handler, with the app's guards before it: only the app's pages, the home for
    the trainer only, a render limit per device; and the page's kernel announced to the server's
    kernel manager (:class:`motives.server.kernels.PageKernels`) with who it is for."""

    left = False

    @property
    def guard(self) -> Guard:
        return self.settings["motives_guard"]

    def on_connection_close(self) -> None:
        self.left = True
        super().on_connection_close()

    async def get(self, path: str | None = None) -> None:
        # Whatever a browser sent under this name is replaced: the kernel manager must be able to trust it.
        upstream.pass_to_kernel(self.request, RENDER_HEADER, None)
        # Only the app's pages, by their exact names: another notebook beside them (a reflection
        # notebook) or another spelling of a page's path (team.ipynb/, team.ipynb/.) is not found.
        if path not in APP_PAGES:
            self.set_status(404)
            self.set_header("Content-Type", "text/html; charset=utf-8")
            self.set_header("Cache-Control", "no-store")
            self.finish(not_found_page(self.settings["base_url"], chosen_language(self)))
            return
        address = client_address(self.request.remote_ip or "", self.request.headers.get("X-Forwarded-For"))
        if path == HOME_PAGE and not for_the_trainer(self):
            # Another device (a phone under --lan, one a local proxy forwards) gets where a team starts;
            # on a server with a trainer password, the page that asks for it.
            query = language_query(self.get_query_argument("lang", ""))
            if self.guard.trainer_password_hash:
                self.redirect(url_path_join(self.settings["base_url"], SIGN_IN_PAGE) + query)
            else:
                self.redirect(url_path_join(self.settings["base_url"], PAGES_PATH, TEAM_PAGE) + query)
            return
        if path == HOME_PAGE and self._remember_language():
            return
        # A request from this machine to another name than its own is a forwarder's (ssh -R, netsh
        # portproxy) that does not say for whom: not the laptop.
        laptop = from_the_laptop(self.request)
        if from_this_machine(address) and not laptop:
            address = FORWARDED_CLIENT
        device = device_of(address)
        wait = self.guard.limit.take(device)
        kernels = self.settings["kernel_manager"]
        if not wait and not laptop:  # the laptop's own browser opens what it likes
            wait = PAGES_FULL_WAIT_SECONDS if self.guard.sockets.pages_full(device, kernels.list_kernel_ids()) else 0
        if wait:
            seconds = max(1, math.ceil(wait))
            self.set_status(429)
            self.set_header("Retry-After", str(seconds))
            self.set_header("Content-Type", "text/html; charset=utf-8")
            self.set_header("Cache-Control", "no-store")
            self.finish(limit_page(seconds, chosen_language(self)))
            return
        self._tell_the_pool(path)
        trainer = path == HOME_PAGE and bool(self.guard.trainer_password_hash)  # signed in with the password
        render = Render(path, device, address, trainer)
        token = kernels.announce(render)
        try:
            upstream.pass_to_kernel(self.request, RENDER_HEADER, token)
            upstream.set_xsrf_cookie(self)  # for the beacon that shuts the page's kernel down as it goes
            await super().get(path)
        finally:
            kernels.forget(token)  # a render that failed before its kernel started
            if render.kernel_id:
                if self.left or upstream.connection_closed(self.request):
                    self.guard.reaper.abandoned(render.kernel_id)
                else:
                    self.guard.reaper.rendered(render.kernel_id)

    def _tell_the_pool(self, page: str) -> None:
        """A team page: the room may be joining (the pool waits to refill); a trainer's page: the pool is wanted."""
        pool = self.guard.pool
        if pool is not None:
            if page == TEAM_PAGE:
                pool.taken()
            else:
                pool.asked()

    def _remember_language(self) -> bool:
        """The home keeps the language chosen on it (a cookie); asked for without one, it sends the
        browser to the last one chosen. True: redirected."""
        asked = self.get_query_argument("lang", "")
        if asked in LANGUAGES:
            self.set_cookie(
                LANGUAGE_COOKIE, asked, expires_days=365, path=self.settings["base_url"], samesite="Lax", httponly=True
            )
            return False
        remembered = chosen_language(self)
        if remembered and remembered != DEFAULT_LANGUAGE:
            self.redirect(self.request.path + language_query(remembered))
            return True
        return False


class KernelModelHandler(KernelHandler):
    async def get(self, kernel_id: str) -> None:
        answering = super().get(kernel_id)  # Jupyter Server's is a coroutine; Tornado's may be plain
        if answering is not None:
            await answering
        if self.get_status() == 200:
            self.settings["motives_guard"].reaper.seen(kernel_id)


# The home's kernel takes larger websocket messages than a team page's (Tornado's 10 MiB): the trainer
# uploads session archives of up to 20 MB there (motives.widgets.home.MAX_UPLOAD_BYTES is what the page sends).
HOME_MESSAGE_BYTES = 32 * 1024 * 1024


class KernelSocketHandler(VoilaKernelWebsocketHandler):
    counted = False
    admitted: tuple[str, str] | None = None

    @property
    def max_message_size(self) -> int:
        if getattr(self, "kernel_id", None) in self.settings["motives_guard"].home_kernels:
            return HOME_MESSAGE_BYTES
        return super().max_message_size

    async def get(self, kernel_id: str) -> None:
        address = device_of(client_address(self.request.remote_ip or "", self.request.headers.get("X-Forwarded-For")))
        guard: Guard = self.settings["motives_guard"]
        if kernel_id in guard.home_kernels and not for_the_trainer(self):
            # The home's kernel id only ever reaches this machine's browser; a guess from elsewhere
            # gets no websocket to it.
            self.set_status(403)
            self.finish()
            return
        caps = guard.sockets
        if not caps.admit(kernel_id, address):
            # Before the upgrade: a plain HTTP answer, and the kernel's channels are never opened.
            self.set_status(429)
            self.finish()
            return
        self.admitted = (kernel_id, address)
        try:
            await super().get(kernel_id)
        finally:
            if self.ws_connection is None:  # refused or failed before it became a websocket
                self._release()

    def _release(self) -> None:
        if self.admitted is not None:
            self.settings["motives_guard"].sockets.release(*self.admitted)
            self.admitted = None

    async def open(self, kernel_id: str) -> None:
        self.settings["motives_guard"].reaper.opened(kernel_id)
        self.counted = True
        await super().open(kernel_id)

    def on_close(self) -> None:
        self._release()
        try:
            if self.connection is not None:
                super().on_close()
        finally:
            if self.counted:
                self.counted = False
                self.settings["motives_guard"].reaper.closed(self.kernel_id)


class PoolRequestHandler(upstream.request_socket(RequestInfoSocketHandler)):  # type: ignore[misc]
    """Where a warm kernel (motives.server.pool) waits for the request of the page that takes it
    (Voilà's ``/voila/query/<kernel id>``): for the kernels on this machine only, since what it sends
    is a page's whole request, its team key included. What it sends is what the server's kernel
    manager made of the request (:meth:`motives.server.kernels.PageKernels.claimed`, through
    motives.upstream.claim_from_pool)."""

    def prepare(self) -> None:
        if not from_the_laptop(self.request):
            raise tornado.web.HTTPError(403)
