"""What a page's kernel is given, through Voilà's supported hook for it (its kernel manager class,
``VoilaConfiguration.multi_kernel_manager_class``): the app's settings, the device it serves and
whether the trainer signed in; a team page under a store service no way to the database; no page the
trainer password's hash."""

from __future__ import annotations

import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager
from traitlets import Any as AnyTrait
from traitlets import Dict, Unicode

from motives.request import CLIENT_VARIABLE, TRAINER_VARIABLE
from motives.server.pages import HOME_PAGE, TEAM_PAGE

# The one request header the server hands to a render's kernel start (Voilà's http_header_envs): a
# token naming the render (:class:`Render`). The kernel never sees it.
RENDER_HEADER = "X-Motives-Render"
_RENDER_ENV = "HTTP_X_MOTIVES_RENDER"
# What only the server says to a page's kernel: whatever a browser sent under these names is dropped.
_SERVERS_OWN = (_RENDER_ENV, CLIENT_VARIABLE, TRAINER_VARIABLE)
# The server's own secret: never in a page's environment, whoever started the server with it.
_SERVER_ONLY = ("MOTIVES_TRAINER_PASSWORD_HASH",)
# Each kernel warned on the server's terminal when its channels ran over TCP on loopback (they still do
# on Windows; motives.server.app.kernels_over_unix_sockets): forty lines of English a trainer can do
# nothing about. Its errors still show.
KERNEL_LOG_LEVEL = "--IPKernelApp.log_level=ERROR"
# A warm kernel (motives.server.pool) is shut down while it makes its page when the server stops or
# gives it back: it logged an error about the socket it could no longer answer on, which nobody can act on.
WARM_KERNEL_LOG_LEVEL = "--IPKernelApp.log_level=CRITICAL"


@dataclass
class Render:
    """One page being rendered, as the render handler announces it before Voilà starts its kernel."""

    page: str  # the notebook's name: team.ipynb, home.ipynb…
    device: str  # motives.request.device_of the client's address
    address: str  # the client's address, for the page (a forwarder's: "forwarded")
    trainer: bool = False  # the trainer password opened the home for this render
    kernel_id: str = ""  # once started

    @property
    def home(self) -> bool:
        return self.page == HOME_PAGE


def without_the_database(env: Mapping[str, str]) -> dict[str, str]:
    """A team page's environment when its server has a store service: the page reaches the store
    through the service alone (motives.remote), so its kernel is not told where the database is nor
    how to sign in to it (MOTIVES_DB, and the PG… variables libpq would read). A kernel of a server
    without one (JupyterHub's way 2) opens the store itself and keeps everything."""
    if not env.get("MOTIVES_STORE_SERVICE"):
        return dict(env)
    return {name: value for name, value in env.items() if name != "MOTIVES_DB" and not name.startswith("PG")}


def page_environment(env: Mapping[str, str], added: Mapping[str, str], render: Render | None) -> dict[str, str]:
    """The environment a page's kernel starts with: Voilà's (the server's and the request's), the app's
    ``added`` settings, what the server knows of the render, and nothing a page may not have: a team
    page no way to the database. A kernel the server did not announce (``render`` None) gets what a
    team page gets."""
    env = {name: value for name, value in env.items() if name not in _SERVERS_OWN}
    env = {name: value for name, value in {**env, **added}.items() if name not in _SERVER_ONLY}
    if render is not None:
        env[CLIENT_VARIABLE] = render.address
        if render.trainer:
            env[TRAINER_VARIABLE] = "1"
    # The team pages reach the store through the server alone; the trainer's pages (home, overview,
    # projector) open it themselves, behind their key.
    return without_the_database(env) if render is None or render.page == TEAM_PAGE else env


class PageKernels(AsyncMappingKernelManager):
    """The kernel manager of ``motives serve``: Jupyter Server's, with every page's kernel started with
    :func:`page_environment` and announced to ``started`` once it runs."""

    environment = Dict(Unicode(), help="What every page's kernel is given: the app's settings (motives.settings).")
    renders = Dict(help="The renders announced (Render, by token), until their kernel starts.")
    started = AnyTrait(
        None, allow_none=True, help="Called with the Render and the kernel id once a page's kernel runs."
    )

    def announce(self, render: Render) -> str:
        """The token that names ``render``: the render handler hands it to Voilà as :data:`RENDER_HEADER`."""
        token = secrets.token_urlsafe(16)
        self.renders[token] = render
        return token

    def forget(self, token: str) -> None:
        self.renders.pop(token, None)

    def claimed(self, kernel_id: str, request: dict[str, str]) -> dict[str, str]:
        """A warm kernel (Voilà's preheat pool, motives.server.pool) taken by a page: what the page's
        request (``request``: the variables Voilà sends the kernel) becomes for it, as a kernel started
        for the page would have had them (:func:`page_environment`): the device that asked, never the
        render's token nor anything a browser sent under the server's own names. The render is
        announced to ``started`` as a started kernel's is: counted against its device, freed by the reaper."""
        token = request.get(_RENDER_ENV, "")
        given = {name: value for name, value in request.items() if name not in _SERVERS_OWN}
        render = self.renders.pop(token, None) if token else None
        if render is None or render.page != TEAM_PAGE:
            return given  # only team pages are kept warm; anything else learns nothing of who asked
        given[CLIENT_VARIABLE] = render.address
        self._started(render, kernel_id)
        return given

    def _started(self, render: Render, kernel_id: str) -> None:
        """``render``'s kernel runs (started for it, or taken from the pool): said to ``started``."""
        render.kernel_id = kernel_id
        started: Callable[[Render, str], None] | None = self.started
        if started is not None:
            started(render, kernel_id)

    # Jupyter Server makes it a coroutine (AsyncMappingKernelManager); its base class declares it plain.
    async def start_kernel(self, *args: Any, **kwargs: Any) -> str:  # type: ignore[override]
        env = kwargs.get("env")
        if env is None:
            # Voilà passes the page's whole environment. Without one the kernel would inherit the
            # server's, database and all: then it is not started (a Voilà that changed this fails
            # the tests, not silently).
            raise RuntimeError("motives: Voilà started a page's kernel without its environment")
        render = self.renders.pop(env.get(_RENDER_ENV, ""), None)
        kwargs["env"] = page_environment(env, self.environment, render)
        # jupyter_client's start_kernel keyword: arguments added to the kernel's command line.
        quiet = KERNEL_LOG_LEVEL if render is not None else WARM_KERNEL_LOG_LEVEL
        kwargs["extra_arguments"] = [*kwargs.get("extra_arguments", []), quiet]
        kernel_id = await super().start_kernel(*args, **kwargs)
        # jupyter_client interrupts every kernel it shuts down, by a signal unless the kernel's spec says
        # "message": a kernel still importing (a warm one when the server stops, motives.server.pool) died
        # of that signal with a KeyboardInterrupt traceback on the trainer's terminal. A message it ignores.
        spec = self.get_kernel(kernel_id).kernel_spec
        if spec is not None:
            spec.interrupt_mode = "message"
        if render is not None:
            self._started(render, kernel_id)
        return kernel_id
