"""Time on a page: the polling clock, debounced typing, paces and back-offs, the phase timer's text."""

from __future__ import annotations

import asyncio
import logging
import math
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TypeVar

from motives.backoff import backoff_seconds
from motives.i18n import message, time_of_day

T = TypeVar("T")
log = logging.getLogger("motives")
# A kernel's sys.stderr goes to the page, which shows nothing after the cell ran;
# the process's own stderr ends up in the terminal of `motives serve`.
if not log.handlers:
    log.addHandler(logging.StreamHandler(sys.__stderr__))
log.propagate = False


class Debounce:
    """Run ``action`` once typing pauses, not at every keystroke.

    Inside a kernel (a running event loop) the call waits ``delay`` seconds
    for the next one; without a loop, as in tests, it runs at once.
    """

    def __init__(self, action: Callable[[], None], delay: float = 0.8) -> None:
        self.action = action
        self.delay = delay
        self._handle: asyncio.TimerHandle | None = None

    def __call__(self, *_args: object) -> None:
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            self.action()
            return
        if self._handle is not None:
            self._handle.cancel()
        self._handle = loop.call_later(self.delay, self.flush)

    @property
    def pending(self) -> bool:
        """Typing that is not saved yet."""
        return self._handle is not None

    def flush(self) -> None:
        self._handle = None
        self.action()


class Pace:
    """At most one action every ``seconds`` (say, adding a motive), whatever the page sends."""

    def __init__(self, seconds: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.seconds = seconds
        self.clock = clock
        self._last = -math.inf

    def wait(self) -> float:
        """Seconds still to wait before the next action (0 when it may go ahead)."""
        return max(0.0, self._last + self.seconds - self.clock())

    def done(self) -> None:
        self._last = self.clock()


class Backoff:
    """Free tries, then the app's back-off (:func:`motives.backoff.backoff_seconds`): 2, 4, 8 … seconds."""

    def __init__(self, free: int, longest: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.free = free
        self.longest = longest
        self.clock = clock
        self.failures = 0
        self._until = -math.inf

    def wait(self) -> float:
        return max(0.0, self._until - self.clock())

    def failed(self) -> None:
        self.failures += 1
        self._until = self.clock() + backoff_seconds(self.failures, self.free, self.longest)


def every(seconds: float, look: Callable[[], T], show: Callable[[T], None]) -> asyncio.Task | None:
    """Every few seconds for as long as the kernel lives (the page is open): ``look()`` at the store off
    the kernel's event loop, in a thread (a store that is slow or away must not hold up the widgets'
    messages, the team's ticks among them), then ``show(what it found)`` on the loop, where widgets change.

    Returns None outside a running event loop (tests call ``look`` and ``show`` themselves).
    A failing look or show is skipped, never the end of the loop: the next one may work.
    """
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        return None

    async def run() -> None:
        while True:
            await asyncio.sleep(seconds)
            try:
                show(await loop.run_in_executor(None, look))
            except Exception:
                # A poll that fails (say the store is busy) must not stop the page's clock;
                # the kernel's log (Voilà's terminal) says what happened.
                log.exception("polling failed")

    return loop.create_task(run())


def time_left(ends_at: datetime | None, now: datetime | None = None) -> int | None:
    """Whole seconds until ``ends_at`` (0 once past); None without a timer."""
    if ends_at is None:
        return None
    now = now or datetime.now(UTC)
    return max(0, int((ends_at - now).total_seconds() + 0.999))


def timer_text(language: str, ends_at: datetime | None, now: datetime | None = None, *, minutes: bool = False) -> str:
    """The phase timer as text; ``minutes`` changes it once a minute instead of every second.

    The team page uses whole minutes: a page that sends nothing while nothing changes lets an
    abandoned page's kernel go idle and be culled.
    """
    seconds = time_left(ends_at, now)
    if seconds is None:
        return ""
    if seconds == 0:
        return message(language, "timer_done")
    if minutes:
        until = time_of_day(language, ends_at, seconds=False)
        return message(language, "timer_minutes", minutes=(seconds + 59) // 60, until=until)
    return message(language, "timer_left", time=f"{seconds // 60}:{seconds % 60:02d}")
