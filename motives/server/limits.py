"""How much one device may ask of the server: renders per minute (a token bucket), live pages,
websockets, and wrong trainer passwords."""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass, field

from motives.backoff import backoff_seconds
from motives.request import device_of

# A page has one websocket to its kernel (two while it reconnects). Per address: motives serve
# --sockets-per-address (motives/cli.py).
SOCKETS_PER_KERNEL = 3

# A device holding as many pages as it may is told to try again after this (a page it closed frees one).
PAGES_FULL_WAIT_SECONDS = 30

# A request's headers or body must arrive within this; an idle kept-alive connection closes after it.
REQUEST_SECONDS = 20.0

# Password checks running at once, over every address: more are told to wait (each is some 50 ms of CPU).
PASSWORD_CHECKS_AT_ONCE = 2


@dataclass
class PasswordTries:
    """Wrong trainer passwords per device (:func:`motives.request.device_of`): ``free`` tries, then the
    app's back-off (:func:`motives.backoff.backoff_seconds`), up to ``most`` seconds. The right password
    clears the count, and so does a quiet spell of twice ``most`` (a typo next week starts afresh)."""

    free: int = 3
    most: float = 300.0
    checking: int = 0  # password checks running now (SignInHandler)
    _wrong: dict[str, tuple[int, float]] = field(default_factory=dict)  # device: (wrong tries, last)

    def _count(self, address: str, now: float) -> tuple[int, float]:
        wrong, last = self._wrong.get(device_of(address), (0, now))
        return (0, now) if now - last > 2 * self.most else (wrong, last)

    def wait(self, address: str, now: float | None = None) -> float:
        """0 if ``address`` may try now, else the seconds until it may."""
        now = time.monotonic() if now is None else now
        wrong, last = self._count(address, now)
        wait = backoff_seconds(wrong, self.free, self.most)
        return max(0.0, last + wait - now) if wait else 0.0

    def wrong(self, address: str, now: float | None = None) -> None:
        now = time.monotonic() if now is None else now
        if len(self._wrong) > 4096:  # devices whose wait has long passed need no entry
            self._wrong = {a: (n, t) for a, (n, t) in self._wrong.items() if now - t < self.most}
        self._wrong[device_of(address)] = (self._count(address, now)[0] + 1, now)

    def right(self, address: str) -> None:
        self._wrong.pop(device_of(address), None)


@dataclass
class RenderLimit:
    """A token bucket per client address: ``burst`` renders at once, then ``per_minute``."""

    burst: int
    per_minute: float
    _buckets: dict[str, tuple[float, float]] = field(default_factory=dict)

    def take(self, address: str, now: float | None = None) -> float:
        """0 if ``address`` may render now (and counts it), else the seconds until it may."""
        now = time.monotonic() if now is None else now
        rate = self.per_minute / 60
        tokens, since = self._buckets.get(address, (float(self.burst), now))
        tokens = min(float(self.burst), tokens + (now - since) * rate)
        if tokens >= 1:
            self._buckets[address] = (tokens - 1, now)
            self._forget_full(now)
            return 0.0
        self._buckets[address] = (tokens, now)
        return (1 - tokens) / rate

    def _forget_full(self, now: float) -> None:
        if len(self._buckets) > 4096:  # addresses whose bucket has refilled need no entry
            rate = self.per_minute / 60
            self._buckets = {a: (t, s) for a, (t, s) in self._buckets.items() if t + (now - s) * rate < self.burst}


class SocketCaps:
    """At most ``per_kernel`` websockets to one page's kernel and ``per_address`` from one device.

    A page holds one websocket to its kernel (two for a moment while it reconnects); each costs the
    server about nine open files, so a script that opens hundreds would leave none for the other
    teams' pages."""

    def __init__(self, per_kernel: int, per_address: int, kernels_per_address: int = 20) -> None:
        self.per_kernel = per_kernel
        self.per_address = per_address
        self.kernels: dict[str, int] = {}
        self.addresses: dict[str, int] = {}
        # Pages (kernels) one device may hold alive, connected or not: a form page kept connected by a
        # script held its kernel for good (on main three of them, 145 MB each, were alive after 7 minutes).
        self.kernels_per_address = kernels_per_address
        self.owners: dict[str, str] = {}  # kernel id: the device whose render started it

    def pages_full(self, device: str, alive: Iterable[str]) -> bool:
        """Whether ``device`` holds as many live kernels as it may (``alive``: the server's kernel ids)."""
        living = set(alive)
        self.owners = {kernel: owner for kernel, owner in self.owners.items() if kernel in living}
        return sum(owner == device for owner in self.owners.values()) >= self.kernels_per_address

    def page_started(self, kernel_id: str, device: str) -> None:
        self.owners[kernel_id] = device

    def admit(self, kernel_id: str, address: str) -> bool:
        if self.kernels.get(kernel_id, 0) >= self.per_kernel or self.addresses.get(address, 0) >= self.per_address:
            return False
        self.kernels[kernel_id] = self.kernels.get(kernel_id, 0) + 1
        self.addresses[address] = self.addresses.get(address, 0) + 1
        return True

    def release(self, kernel_id: str, address: str) -> None:
        for counts, key in ((self.kernels, kernel_id), (self.addresses, address)):
            left = counts.get(key, 1) - 1
            if left > 0:
                counts[key] = left
            else:
                counts.pop(key, None)
