"""Team pages from a warm pool: kernels that have imported the team page and wait for their request.

When a whole room opens its link in the same second, forty kernels starting together on two cores
take a minute (docs/benchmarks.md). Voilà's preheated kernels (``VoilaConfiguration.preheat_kernel``)
start the page's kernel before anyone asks: the kernel runs the team page's notebook up to the point
where it reads its request (``voila.utils.wait_for_request``, motives.request.wait_for_the_request)
and the page that arrives takes one that is ready. The pool decides how many and when, where Voilà
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
from typing import Any

from motives import upstream
from motives.server.pages import TEAM_PAGE

# How often the pool looks whether to fill or give back.
TICK_SECONDS = 1.0
# No team page opened for this long: the room's rush is over, refilling may begin.
QUIET_SECONDS = 10.0
# No team page opened and no trainer's page for this long: the pool gives its kernels back.
IDLE_SECONDS = 20 * 60.0
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
        size: int,
        quiet: float = QUIET_SECONDS,
        idle: float = IDLE_SECONDS,
        at_once: int = 2,
    ) -> None:
        self.kernels = kernels
        self.log = log
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

    def warm(self) -> tuple[list[str], int]:
        """The ids of the warm kernels ready for a page, and how many are still starting."""
        return upstream.pooled_kernels(self.kernels, TEAM_PAGE)

    def tick(self) -> None:
        now = time.monotonic()
        ready, starting = self.warm()
        if now - max(self.last_taken, self.last_asked) >= self.idle:
            if not self.given_back:
                self.given_back = True
                self.log.info("motives: nobody opened a page for a while: %d warm team pages given back", len(ready))
            for kernel_id in ready:
                self._give_back(kernel_id)
            return
        if self.given_back or now - self.last_taken < self.quiet:
            return  # given back, or a room is joining: the pages it opens have the cores
        missing = self.size - len(ready) - starting
        room_to_start = self.at_once - starting
        if missing > 0 and room_to_start > 0:
            upstream.warm_more(self.kernels, TEAM_PAGE, min(missing, room_to_start))

    def _give_back(self, kernel_id: str) -> None:
        from jupyter_core.utils import ensure_async
        from tornado.ioloop import IOLoop

        async def shut() -> None:
            try:
                await ensure_async(self.kernels.shutdown_kernel(kernel_id))
            except Exception as exc:  # gone meanwhile
                self.log.debug("motives: warm kernel %s was already gone: %s", kernel_id, exc)

        IOLoop.current().add_callback(shut)
