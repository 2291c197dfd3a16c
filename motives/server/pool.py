"""Team pages from a warm pool: kernels that have imported the team page and wait for their request.

When a whole room opens its link in the same second, forty kernels starting together on two cores
take a minute (docs/benchmarks.md). Voilà's preheated kernels (``VoilaConfiguration.preheat_kernel``)
start the page's kernel before anyone asks: the kernel imports the team page and shows it without
its request, and Voilà renders that page's HTML before anyone asks for it; the page that arrives
takes a kernel that is ready, gets that HTML at once, and its widgets fill in over the websocket once
the kernel has its request (motives.widgets.page.AppPage.waiting_for_its_request, as Voilà's
``wait_for_request`` would hand it over). The pool decides how many and when, where Voilà
alone would refill the pool one second after every page it served, in the middle of the room's rush:

- it fills up to its size at start, and again when the trainer opens a page of theirs (the home, an
  overview, the projector's join screen) after the pool was given back;
- it refills only once no team page was opened for ``quiet`` seconds, a few kernels at a time (one
  per core), so that refilling never competes with the pages the room is opening;
- once no team page was opened and no trainer's page asked for ``idle`` seconds, it gives its kernels
  back (their memory), until a trainer's page asks again.

A warm kernel's environment is a team page's (motives.server.kernels: no database, no password's
hash); what its request says reaches it only when a page takes it, through the server
(motives.server.handlers.PoolRequestHandler), which also counts it against the device that asked.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Collection
from typing import Any

from motives import upstream
from motives.server.pages import TEAM_PAGE

# How often the pool looks whether to fill or give back.
TICK_SECONDS = 1.0
# No team page opened for this long: the room's rush is over, refilling may begin.
QUIET_SECONDS = 10.0
# No team page opened and no trainer's page for this long: the pool gives its kernels back.
IDLE_SECONDS = 20 * 60.0
# A warm kernel whose page does not wait for its request this long after its process started is given back.
STUCK_SECONDS = 180.0
# What one warm team-page kernel holds: 58 MB RSS measured while it waits (docs/benchmarks.md, "The first minute").
KERNEL_BYTES = 64 * 1024 * 1024
# The pool takes at most this share of the memory the machine has free when it fills.
MEMORY_SHARE = 0.5


def memory_allows(wanted: int, available: int | None = None) -> int:
    """How many of ``wanted`` warm kernels fit in MEMORY_SHARE of the memory free now (``available`` bytes)."""
    if available is None:
        import psutil

        available = psutil.virtual_memory().available
    return max(0, min(wanted, int(available * MEMORY_SHARE) // KERNEL_BYTES))


class TeamPool:
    """How many team-page kernels are kept warm, and when they are started and given back."""

    def __init__(
        self,
        kernels: Any,
        log: logging.Logger,
        waiting: Callable[[], Collection[str]],
        size: int,
        quiet: float = QUIET_SECONDS,
        idle: float = IDLE_SECONDS,
        at_once: int = 2,
    ) -> None:
        self.kernels = kernels
        self.log = log
        self.waiting = waiting  # the kernels whose page waits for its request (motives.upstream.waiting_kernels)
        self.first_seen: dict[str, float] = {}  # a kernel whose page does not wait yet: since when
        self.size = size  # warm kernels wanted when no room is joining
        self.quiet = quiet
        self.idle = idle
        self.at_once = max(1, at_once)  # kernels started together while filling
        now = time.monotonic()
        self.last_taken = float("-inf")  # a team page opened (from the pool or not)
        self.last_asked = now  # a trainer's page opened, or the server started
        self.given_back = False
        self.callback: Any = None

    def start(self) -> None:
        """Look every TICK_SECONDS on the running loop; the first fill goes at once."""
        if self.size <= 0:
            return
        from tornado.ioloop import PeriodicCallback

        self.callback = PeriodicCallback(self.tick, TICK_SECONDS * 1000)
        self.callback.start()
        self.tick()

    def stop(self) -> None:
        if self.callback is not None:
            self.callback.stop()
            self.callback = None

    def taken(self) -> None:
        """A team page was opened: the room may be joining."""
        self.last_taken = time.monotonic()

    def asked(self) -> None:
        """A trainer's page was opened: a workshop is on, the pool is wanted (again)."""
        self.last_asked = time.monotonic()
        self.given_back = False

    def warm(self) -> tuple[list[str], list[str], int]:
        """The ids of the warm kernels whose page waits for its request, of those still making their page,
        and how many processes are still starting (motives.upstream.pooled_kernels)."""
        return upstream.pooled_kernels(self.kernels, TEAM_PAGE, self.waiting())

    def tick(self) -> None:
        now = time.monotonic()
        ready, running, starting = self.warm()
        self.first_seen = {kernel: self.first_seen.get(kernel, now) for kernel in running}
        for kernel, since in self.first_seen.items():
            if now - since >= STUCK_SECONDS:  # its page never came to wait (it cannot reach the server)
                self.log.warning("motives: a warm team page did not get ready; its kernel is given back")
                self._give_back(kernel)
        if now - max(self.last_taken, self.last_asked) >= self.idle:
            if not self.given_back:
                self.given_back = True
                self.log.info("motives: nobody opened a page for a while: %d warm team pages given back", len(ready))
            for kernel in ready + running:
                self._give_back(kernel)
            return
        if self.given_back or now - self.last_taken < self.quiet:
            return  # given back, or a room is joining: the pages it opens have the cores
        busy = len(running) + starting  # kernels that still import and make their page
        missing = self.size - len(ready) - busy
        if missing > 0 and busy < self.at_once:
            upstream.warm_more(self.kernels, TEAM_PAGE, min(missing, self.at_once - busy))

    def _give_back(self, kernel_id: str) -> None:
        from jupyter_core.utils import ensure_async
        from tornado.ioloop import IOLoop

        async def shut() -> None:
            # Still waiting in the pool? A page may have taken it since the tick. Voilà's shutdown_kernel
            # takes it out of the pool before its first await: nothing can take it in between.
            ready, running, _starting = self.warm()
            if kernel_id not in ready + running:
                return
            try:
                await ensure_async(self.kernels.shutdown_kernel(kernel_id))
            except Exception as exc:  # gone meanwhile
                self.log.debug("motives: warm kernel %s was already gone: %s", kernel_id, exc)

        IOLoop.current().add_callback(shut)
