"""The store service of ``motives serve`` (motives.service), run on a loop of its own in a thread of
the test, as the server runs it on its loop: real HTTP over loopback, a real store behind it."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from tornado.ioloop import IOLoop

from motives.remote import RemoteStore
from motives.service import StoreService
from motives.settings import Settings


@contextmanager
def store_service(settings: Settings) -> Iterator[StoreService]:
    """A listening service for ``settings``' store; stopped, with its store closed, when the block ends."""
    ready, running = threading.Event(), {}

    def run() -> None:
        asyncio.set_event_loop(asyncio.new_event_loop())
        loop = IOLoop.current()
        service = StoreService(settings)
        service.listen()
        running.update(service=service, loop=loop)
        ready.set()
        loop.start()
        loop.close(all_fds=True)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    assert ready.wait(10), "the store service did not start"
    try:
        yield running["service"]
    finally:
        running["loop"].add_callback(running["service"].close)
        running["loop"].add_callback(running["loop"].stop)
        thread.join(10)


def remote(service: StoreService) -> RemoteStore:
    """The store as a team page's kernel of that server reaches it."""
    environ = service.environ()
    return RemoteStore(environ["MOTIVES_STORE_SERVICE"], environ["MOTIVES_STORE_TOKEN"])
