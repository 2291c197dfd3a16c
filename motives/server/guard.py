"""What the server's handlers consult, one per server: the limits, the reaper, the trainer password
and the kernels of the trainer's home."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from motives.server.kernels import Render
from motives.server.limits import PasswordTries, RenderLimit, SocketCaps
from motives.server.pool import TeamPool
from motives.server.reaper import Reaper


@dataclass(frozen=True)
class Guard:
    """What the handlers consult; one per server (the application's ``motives_guard`` setting)."""

    limit: RenderLimit
    reaper: Reaper
    sockets: SocketCaps
    # The kernels of the trainer's home: their websockets are for the trainer only.
    home_kernels: set[str] = field(default_factory=set)
    # The hash of the trainer password (motives.password); empty: the home is the laptop's only.
    trainer_password_hash: str = field(default="", repr=False)
    tries: PasswordTries = field(default_factory=PasswordTries)
    # The warm team pages (motives.server.pool); None: none kept.
    pool: TeamPool | None = None

    def page_started(self, render: Render, kernel_id: str, alive: Iterable[str]) -> None:
        """A page's kernel runs (``alive``: every kernel of the server): count it against its device,
        and a home's before the page (and the kernel's id in it) reaches the browser."""
        if render.home:
            # The ids of home kernels that were shut down since (closed, culled) are forgotten: the set stays small.
            self.home_kernels.intersection_update(alive)
            self.home_kernels.add(kernel_id)
        self.sockets.page_started(kernel_id, render.device)
