"""After the reveal: what one change in the session costs when forty team pages follow it.

The shape of issue 32's attack: 40 teams, ten of which wrote 100 own motives of 500 characters each
(every text its own), all revealed. Two ways of following one change are measured as CPU time of this
process, in the order a server and its kernels would do the work:

- every page for itself (before): each of the 40 pages fetches the whole session through the store
  service (the service encodes it, the page decodes it) and builds the frames and the picture;
- once for all (now): the service's :class:`motives.revealed.Pictures` builds the picture once for the
  revision, and each of the 40 pages gets its own projection over the wire.

    python benchmarks/revealed.py
"""

from __future__ import annotations

import random
import tempfile
import time
from pathlib import Path

from motives import tally, wire
from motives.catalogue import default_catalogue
from motives.revealed import Pictures
from motives.store import Store

PAGES = 40
WORDS = [f"woord{n}" for n in range(5000)]


def session_of_the_attack(store: Store):
    rng = random.Random(32)
    session = store.create_session("Onthuld", default_catalogue())
    for n in range(PAGES):
        team = store.join(session, f"Team {n:02}")
        for motive in list(session.catalogue.ids)[:6]:
            store.set_answer(team, motive, True, rng.randint(1, 5))
        if n < 10:
            for k in range(100):
                text = " ".join(rng.choice(WORDS) for _ in range(70))[:500]
                store.add_own_motive(team, ("for", "against")[k % 2], text, 5)
    store.set_revealed(session, True)
    return store.session(session.code)


def every_page_for_itself(store: Store, session) -> tuple[float, int]:
    start, sent = time.process_time(), 0
    for n in range(PAGES):
        body = wire.answer(store.records(session))
        sent += len(body)
        records = wire.read_answer(body)
        tally.shared_picture(tally.Frames.of(records)).for_team(f"Team {n:02}")
    return time.process_time() - start, sent


def once_for_all(store: Store, session) -> tuple[float, int]:
    pictures, start, sent = Pictures(), time.process_time(), 0
    for n in range(PAGES):
        body = wire.answer(pictures.for_team(store, session, f"Team {n:02}"))
        sent += len(body)
        wire.read_answer(body)
    return time.process_time() - start, sent


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        store = Store(Path(folder) / "revealed.db", max_teams=PAGES, max_own=100)
        session = session_of_the_attack(store)
        for name, way in (
            ("every page for itself (before)", every_page_for_itself),
            ("once for all (now)", once_for_all),
        ):
            seconds, sent = way(store, session)
            print(f"{name}: {seconds:.2f} s CPU and {sent / 1e6:.1f} MB over the wire for one change, {PAGES} pages")
        store.close()


if __name__ == "__main__":
    main()
