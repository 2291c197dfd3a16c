"""``motives serve``: Voilà's application with the app's handlers and guards (see :mod:`motives.server`),
configured one way: traitlets, as Voilà and Jupyter Server are (:func:`built_in` and the CLI's values)."""

from __future__ import annotations

import asyncio
import os
import signal
import threading
import webbrowser
from typing import TYPE_CHECKING, Any

import tornado.web
from jupyter_server.services.kernels.handlers import KernelHandler
from jupyter_server.utils import url_path_join
from tornado.httpserver import HTTPServer
from tornado.ioloop import IOLoop
from tornado.routing import AnyMatches, Rule
from traitlets import Bool, Float, Instance, Int, List, Unicode
from traitlets.config import Config
from voila.app import Voila
from voila.request_info_handler import RequestInfoSocketHandler
from voila.static_file_handler import TemplateStaticFileHandler
from voila.tornado.contentshandler import VoilaContentsHandler
from voila.tornado.handler import TornadoVoilaHandler
from voila.tornado.kernel_websocket_handler import VoilaKernelWebsocketHandler
from voila.tornado.treehandler import TornadoVoilaTreeHandler

from motives import upstream
from motives.request import FILES_VARIABLE
from motives.server.compiled import CompiledOnce
from motives.server.files import FILES_PATH, SessionFileHandler
from motives.server.guard import Guard
from motives.server.handlers import (
    ForbiddenHostHandler,
    KernelModelHandler,
    KernelSocketHandler,
    NotFoundHandler,
    PoolRequestHandler,
    QuietFileErrors,
    RenderHandler,
    StartPageHandler,
    TemplateFileHandler,
    quiet_file_handler,
)
from motives.server.hosts import LOOPBACK_HOSTS, AllowedHost, NetworkHosts
from motives.server.kernels import RENDER_HEADER, PageKernels, Render
from motives.server.limits import REQUEST_SECONDS, SOCKETS_PER_KERNEL, RenderLimit, SocketCaps
from motives.server.logs import install_log_redaction, log_request, unactionable
from motives.server.pool import IDLE_SECONDS, QUIET_SECONDS, TeamPool
from motives.server.reaper import CULL_INTERVAL_SECONDS, GRACE_SECONDS, UNCLAIMED_SECONDS, Reaper
from motives.server.signin import SIGN_IN_PAGE, SignInHandler
from motives.system import raise_open_files_limit

if TYPE_CHECKING:
    from motives.service import StoreService
    from motives.settings import Settings

# nbclient gives up on a cell's output 4 s after the cell finished and then renders the cell without
# it: with twenty kernels starting on two cores the output (the whole worksheet) can lag longer, and
# that team got a blank page. Wait as long as it takes.
IOPUB_TIMEOUT_SECONDS = 120
# The longest path of a Unix socket on macOS (sockaddr_un.sun_path, 104 bytes with its NUL; 108 on Linux).
UNIX_SOCKET_PATH_BYTES = 103


def built_in() -> Config:
    """What the app's server is built on, whatever else is configured (a voila.json of the trainer's)."""
    config = Config()
    config.Voila.port_retries = 0
    config.Voila.open_browser = False  # the app opens its own start page (MotivesVoila.open_url)
    config.VoilaConfiguration.show_tracebacks = False
    # The one header the server writes for a page's kernel start (motives.server.kernels).
    config.VoilaConfiguration.http_header_envs = [RENDER_HEADER]
    config.VoilaConfiguration.multi_kernel_manager_class = PageKernels
    # The app's template only: ?template=lab (or classic, reveal) would load Voilà's own, with its CDN
    # links and without the script that takes the trainer key out of the address bar.
    config.VoilaConfiguration.template = "motives"
    config.VoilaConfiguration.theme = "light"
    config.VoilaConfiguration.allow_template_override = "NO"
    config.VoilaConfiguration.allow_theme_override = "NO"
    # Team pages from a warm pool (motives.server.pool): Voilà's preheated kernels, each started with a
    # team page's environment (motives.server.kernels). The pool decides their number and when they
    # start: every pool's size stays 0 in Voilà's configuration, so Voilà never refills one itself.
    config.VoilaConfiguration.preheat_kernel = True  # off again when no page is kept warm (MotivesVoila.warm_pages)
    config.VoilaConfiguration.default_pool_size = 0
    config.VoilaKernelManager.kernel_pools_config = {"default": {"pool_size": 0}}
    # What Voilà refuses beside preheated kernels: a trainer's voila.json that asks for them would stop the server.
    config.VoilaConfiguration.progressive_rendering = False
    config.VoilaConfiguration.prelaunch_hook = None
    # The last resort for a kernel whose page is gone without a trace (the reaper frees the others):
    # culled once idle (MappingKernelManager.cull_idle_timeout, motives serve --cull-idle) without a browser.
    config.MappingKernelManager.cull_interval = CULL_INTERVAL_SECONDS
    config.MappingKernelManager.cull_connected = False
    # A page's kernel that ended (a form left open too long, motives.widgets.page) stays ended: a kernel
    # started in its place would run no notebook, only hold memory.
    config.KernelManager.autorestart = False
    config.VoilaExecutor.iopub_timeout = IOPUB_TIMEOUT_SECONDS
    return config


def kernels_over_unix_sockets(connection_dir: str) -> bool:
    """Whether the kernels' channels can be Unix sockets (files in Voilà's ``connection_dir``, which only
    the trainer's account may open) rather than TCP ports on loopback. A port jupyter_client picks is
    free when it picks it and may be taken by the time the kernel binds it: the machine's own outgoing
    connections (a room's browsers, the server's connections to its kernels, the kernels' calls to the
    store service) get their ports from the same range. Twenty pages opened at once in Chromium lost one
    kernel that way ("Address already in use"), and its page never came. Not on Windows, which has no
    such sockets for kernels, nor where the folder's path is too long for one (a socket's path has at
    most 104 bytes on macOS, whose temporary folder is long)."""
    import zmq

    if os.name != "posix" or not zmq.has("ipc"):
        return False
    # The longest socket: <connection_dir>/kernel-<36-character id>-ipc-<number>
    longest = os.path.join(connection_dir, f"kernel-{'0' * 36}-ipc-99999")
    return len(os.fsencode(longest)) <= UNIX_SOCKET_PATH_BYTES


def _other_handler(pattern: str, handler: type) -> type | None:
    """What becomes of a handler of Voilà's table that the app does not replace by name."""
    if pattern.endswith(("/login", "/logout")):
        return None  # the app has no accounts: Jupyter's login pages only answered with errors
    if issubclass(handler, tornado.web.StaticFileHandler) and not issubclass(handler, QuietFileErrors):
        return quiet_file_handler(handler)  # the themes, the lab extensions, static files
    return handler


class MotivesVoila(Voila):
    """Voilà's application with the app's handlers in place of its render and websocket ones, extended
    through its public methods: ``init_settings`` (the guard, Tornado's settings), ``init_handlers``
    (the app's table, behind the host check), ``listen`` (the store service, the browser) and
    ``load_config_file`` (what it was configured with wins over configuration files)."""

    allowed_hosts = List(
        Unicode(),
        default_value=list(LOOPBACK_HOSTS),
        config=True,
        help="The names a request's Host may carry; any other gets 403 (a defence against DNS rebinding).",
    )
    room = Bool(
        False, config=True, help="Serving the room: the laptop's network addresses, as they are now, are allowed hosts."
    )
    render_burst = Int(10, config=True, help="Pages one device may open at once (a token bucket per device).")
    render_rate = Float(10.0, config=True, help="Pages a device may open a minute once its burst is spent.")
    sockets_per_address = Int(100, config=True, help="Websockets one device may hold open.")
    pages_per_address = Int(20, config=True, help="Pages (kernels) one device may hold alive.")
    grace_seconds = Float(
        GRACE_SECONDS, config=True, help="A page whose last websocket closed frees its kernel after this."
    )
    unclaimed_seconds = Float(
        UNCLAIMED_SECONDS, config=True, help="A page sent whole that never connected frees its kernel after this."
    )
    warm_pages = Int(
        0, config=True, help="Team pages kept warm for a room that joins at once (motives.server.pool); 0: none."
    )
    warm_quiet_seconds = Float(
        QUIET_SECONDS, config=True, help="The warm pool refills once no team page was opened for this long."
    )
    warm_idle_seconds = Float(
        IDLE_SECONDS, config=True, help="The warm pool is given back once no page was opened for this long."
    )
    open_url = Unicode("", config=True, help="Opened in the default browser once the server listens; empty: none.")
    app_settings = Instance(
        "motives.settings.Settings",
        allow_none=True,
        help="The app's settings (motives.settings): what every page's kernel is given, the trainer password.",
    )
    store_service = Instance("motives.service.StoreService", allow_none=True, help="The team pages' store.")

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        # What the server was configured with wins over configuration files (a voila.json of the trainer's).
        self.pinned = Config(self.config)

    def load_config_file(self, *args: Any, **kwargs: Any) -> None:
        super().load_config_file(*args, **kwargs)
        self.update_config(self.pinned)

    def init_settings(self) -> dict:
        """Voilà's Tornado settings (it makes its kernel manager here) and the app's own: read once,
        when Voilà makes its application."""
        if self.warm_pages <= 0:
            self.voila_configuration.preheat_kernel = False  # no pool, and no request socket for one
        if kernels_over_unix_sockets(self.connection_dir):  # made by Voilà's start, before this
            self.update_config(Config({"KernelManager": {"transport": "ipc"}}))
        settings = super().init_settings()
        kernels = self.kernel_manager
        if not isinstance(kernels, PageKernels):
            raise RuntimeError("motives: Voilà made its kernel manager of another class than the app's PageKernels")

        pool = TeamPool(
            kernels,
            self.log,
            lambda: upstream.waiting_kernels(RequestInfoSocketHandler),
            self.warm_pages,
            self.warm_quiet_seconds,
            self.warm_idle_seconds,
            os.cpu_count() or 2,
        )
        guard = Guard(
            RenderLimit(self.render_burst, self.render_rate),
            Reaper(kernels, self.log, self.grace_seconds, self.unclaimed_seconds),
            SocketCaps(SOCKETS_PER_KERNEL, self.sockets_per_address, self.pages_per_address),
            trainer_password_hash=self.app_settings.trainer_password_hash if self.app_settings else "",
            pool=pool,
        )
        # Every page's kernel is given the same store and settings; the trainer password's hash stays in
        # this process, never in a page's kernel (motives.server.kernels).
        kernels.environment = {
            **(self.app_settings.to_env() if self.app_settings else {}),
            **(self.store_service.environ() if self.store_service else {}),
            # Where the trainer's pages link their files to (motives.server.files): one click each.
            **({FILES_VARIABLE: url_path_join(self.base_url, FILES_PATH)} if self.store_service else {}),
            # Where a warm kernel asks for its request (Voilà's VOILA_APP_IP): this machine, as the server listens.
            "VOILA_APP_IP": "::1" if self.ip in ("::", "::1") else "127.0.0.1",
        }

        def started(render: Render, kernel_id: str) -> None:
            guard.page_started(render, kernel_id, kernels.list_kernel_ids())

        kernels.started = started
        # A page that takes a warm kernel is counted as one whose kernel started for it (motives.server.kernels).
        upstream.claim_from_pool(RequestInfoSocketHandler, kernels.claimed)
        return {
            **settings,
            "motives_guard": guard,
            "log_function": log_request,
            # Scripts, styles and pages go gzipped to a browser that accepts it (Tornado's own setting, read
            # when the application is made): a phone on a venue's Wi-Fi, shared by forty, pulls a fifth.
            "compress_response": True,
        }

    def init_handlers(self) -> list:
        swapped = upstream.swap_handlers(
            super().init_handlers(),
            {
                TornadoVoilaTreeHandler: None,  # Voilà's file list and its contents API: the app has a start page
                VoilaContentsHandler: None,
                TemplateStaticFileHandler: TemplateFileHandler,
                TornadoVoilaHandler: RenderHandler,
                VoilaKernelWebsocketHandler: KernelSocketHandler,
                KernelHandler: KernelModelHandler,
                RequestInfoSocketHandler: PoolRequestHandler,
            },
            _other_handler,
        )
        app = [
            (url_path_join(self.base_url, "/"), StartPageHandler),
            (url_path_join(self.base_url, SIGN_IN_PAGE), SignInHandler),
            (
                url_path_join(self.base_url, FILES_PATH, "([^/]+)", "([^/]+)"),
                SessionFileHandler,
                {"service": self.store_service},
            ),
            *swapped,
            (r".*", NotFoundHandler),
        ]
        hosts = AllowedHost(frozenset(self.allowed_hosts), NetworkHosts() if self.room else None)
        # Tornado's routing rules: the app for the hosts it is meant for, "not at this address" for any other.
        return [Rule(hosts, app), Rule(AnyMatches(), ForbiddenHostHandler)]

    def stop(self) -> None:
        """Voilà's: every kernel shut down. jupyter_client's ``shutdown_all`` raises when a kernel that was
        still starting (the warm pool filling when the trainer pressed Ctrl+C) is gone by the time it
        gets to it, and leaves the others running: it is asked again, and no traceback reaches the terminal."""
        from jupyter_core.utils import run_sync

        self.app.settings["motives_guard"].pool.stop()
        try:
            super().stop()
        except tornado.web.HTTPError as gone:  # "Kernel does not exist"
            self.log.debug("motives: a kernel was gone before it was shut down: %s", gone)
            for _ in range(2):
                try:
                    run_sync(self.kernel_manager.shutdown_all)()
                    return
                except tornado.web.HTTPError:
                    continue

    def listen(self) -> None:
        # A request whose headers or body trickle in is dropped after REQUEST_SECONDS (Tornado waits an
        # hour): twenty half-sent requests must not hold their connections and files for ever. Tornado's
        # HTTPServer is Configurable: these are the defaults of every HTTP server of this process (the
        # store service sets its own).
        HTTPServer.configure(None, idle_connection_timeout=REQUEST_SECONDS, body_timeout=REQUEST_SECONDS)
        if self.store_service is not None:
            self.store_service.listen()
        # The warm team pages start filling once the loop runs (motives.server.pool).
        IOLoop.current().add_callback(self.app.settings["motives_guard"].pool.start)
        if self.open_url:
            # Once the server listens (the loop runs): the browser's own process, never waited for.
            url = self.open_url
            IOLoop.current().add_callback(lambda: threading.Thread(target=webbrowser.open, args=(url,)).start())
        super().listen()


def serve(config: Config, settings: Settings, store_service: StoreService | None = None) -> None:
    """Run the app's Voilà with ``config`` (:class:`MotivesVoila`'s traits and Voilà's; :func:`built_in`
    wins over both) and the app's ``settings`` until it is stopped (Ctrl+C, SIGTERM), then shut every
    kernel down. ``store_service``: the team pages' store, served from this process (:mod:`motives.service`)."""
    install_log_redaction()
    raise_open_files_limit()
    # Every page's exporter compiled the same templates again: now each is compiled once (motives.server.compiled).
    from voila.exporter import VoilaExporter

    upstream.compile_templates_once(VoilaExporter, CompiledOnce())
    pinned = Config(config)
    pinned.merge(built_in())
    app = MotivesVoila(config=pinned, app_settings=settings, store_service=store_service)
    app.initialize([])
    app.log.addFilter(unactionable)
    stop_on_ctrl_c(app)
    try:
        app.start()
    finally:
        if store_service is not None:
            store_service.close()


def stop_on_ctrl_c(app: Voila) -> None:
    """Ctrl+C stops the server as SIGTERM does: the loop ends between two callbacks (never in the middle
    of a store write) and Voilà shuts every kernel down; also where this process was started with SIGINT
    ignored (a launcher, a shell's background job)."""

    def stop(_signal: int, _frame: object) -> None:
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # not serving yet: as Python does by default
            raise KeyboardInterrupt from None
        loop.call_soon_threadsafe(loop.stop)

    signal.signal(signal.SIGINT, stop)
