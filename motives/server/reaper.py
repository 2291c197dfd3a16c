"""Kernels are freed when their page is gone: a few seconds after its last websocket closed, a
minute after its HTML was sent when it never connected, never while it is still loading."""

from __future__ import annotations

import logging

# A reload or a Wi-Fi blip reconnects well within this; a page that is gone for longer releases its kernel.
GRACE_SECONDS = 10.0

# From the moment the whole page was sent: the browser only has to load the page's scripts.
UNCLAIMED_SECONDS = 60.0

# The last resort, Jupyter Server's culler, for a kernel whose page is gone without a trace: idle this
# long without a browser (motives serve --cull-idle), looked at this often. Long enough for a page
# that is still loading: with twenty pages opening at once on two cores a kernel may wait more than a
# minute for its browser (docs/benchmarks.md), and culling it then leaves that team with a blank page.
CULL_IDLE_SECONDS = 300
CULL_INTERVAL_SECONDS = 15


class Reaper:
    """Shuts kernels down whose page is gone, and never one whose page is still loading.

    A page's kernel is started before its HTML is sent, and the page connects its websocket only
    once the HTML has arrived; so a kernel is only ever timed from one of two moments: its page's
    HTML was sent in full (``rendered``), or its page's last websocket closed (``closed``).
    """

    def __init__(self, kernel_manager, log: logging.Logger, grace: float, unclaimed: float) -> None:
        self.kernel_manager = kernel_manager
        self.log = log
        self.grace = grace
        self.unclaimed = unclaimed
        self.sockets: dict[str, int] = {}
        self.claimed: set[str] = set()
        self.timers: dict[str, object] = {}

    def rendered(self, kernel_id: str) -> None:
        if kernel_id not in self.claimed:
            self._later(kernel_id, self.unclaimed, "its page never connected")

    def seen(self, kernel_id: str) -> None:
        """The page's own script asked for its kernel: a browser has the page, however slowly it
        goes on to connect (on two busy cores that took more than a minute). Left to the culler."""
        if kernel_id not in self.claimed:
            self.claimed.add(kernel_id)
            self._cancel(kernel_id)

    def abandoned(self, kernel_id: str) -> None:
        """The browser went away before the page was sent: nobody will ever connect."""
        self._cancel(kernel_id)
        self._spawn(kernel_id, "its page was left while loading")

    def opened(self, kernel_id: str) -> None:
        self.claimed.add(kernel_id)
        self.sockets[kernel_id] = self.sockets.get(kernel_id, 0) + 1
        self._cancel(kernel_id)

    def closed(self, kernel_id: str) -> None:
        left = self.sockets.get(kernel_id, 1) - 1
        self.sockets[kernel_id] = left
        if left <= 0:
            self._later(kernel_id, self.grace, "its page is gone")

    def _later(self, kernel_id: str, seconds: float, reason: str) -> None:
        from tornado.ioloop import IOLoop

        self._cancel(kernel_id)
        self.timers[kernel_id] = IOLoop.current().call_later(seconds, self._spawn, kernel_id, reason)

    def _cancel(self, kernel_id: str) -> None:
        from tornado.ioloop import IOLoop

        timer = self.timers.pop(kernel_id, None)
        if timer is not None:
            IOLoop.current().remove_timeout(timer)

    def _spawn(self, kernel_id: str, reason: str) -> None:
        from tornado.ioloop import IOLoop

        self.timers.pop(kernel_id, None)
        IOLoop.current().add_callback(self._shut, kernel_id, reason)

    async def _shut(self, kernel_id: str, reason: str) -> None:
        self.sockets.pop(kernel_id, None)
        self.claimed.discard(kernel_id)
        if kernel_id not in self.kernel_manager:  # already gone: the page's own beacon, or the culler
            return
        self.log.info("motives: shutting down a kernel: %s (%s)", reason, kernel_id)
        from jupyter_core.utils import ensure_async

        try:
            await ensure_async(self.kernel_manager.shutdown_kernel(kernel_id))
        except Exception as exc:  # gone meanwhile
            self.log.debug("motives: kernel %s was already gone: %s", kernel_id, exc)
