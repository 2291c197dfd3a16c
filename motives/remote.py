"""The store as a team page's kernel reaches it under ``motives serve``: through the server, which
holds the one store (and its pool of database connections) for every page it serves.

A team page opens no database connection and imports no SQLAlchemy: each call is one HTTP request
over loopback to the server's store service (:class:`motives.service.StoreService`), which runs the
:class:`motives.store.Store` method of that name and sends back its answer or its refusal
(:mod:`motives.wire`). Only the calls of :class:`motives.wire.TeamPageStore` (and of the keyed pages'
forms, :class:`motives.wire.FormStore`) are served; every SQL statement
stays in :mod:`motives.store`.
"""

from __future__ import annotations

import http.client
import threading
from datetime import datetime, timedelta
from typing import Any

from motives import models, wire
from motives.errors import StoreError

PATH = "/store"
TOKEN_HEADER = "X-Motives-Store-Token"
# A call waits this long for the server (a save behind a full pool waits its turn there).
CALL_SECONDS = 90.0
# How a kept-alive connection that the server had closed fails as the next request goes out.
_CLOSED_WHILE_IDLE = (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError)


class RemoteStore:
    """The team page's calls of :class:`motives.store.Store`, made in the server that serves the page.

    ``service`` is the service's ``host:port`` on loopback, ``token`` the secret the server gave its
    kernels. A refusal of the store (locked, unknown team, invalid input, the database away) is raised
    here as the store raised it there; a server that cannot be reached is a :class:`StoreError`.
    """

    def __init__(self, service: str, token: str, display_url: str = "") -> None:
        host, _, port = service.rpartition(":")
        self._address = (host.strip("[]"), int(port))
        self._token = token
        self.display_url = display_url
        # Each thread its own kept-alive connection: a page's poll looks at the store in a thread of its
        # own (motives.widgets.timing.every), and a save never waits behind a slow look, nor a look behind it.
        self._local = threading.local()
        self._opened: set[http.client.HTTPConnection] = set()
        self._lock = threading.Lock()  # guards _opened

    def __repr__(self) -> str:
        return f"RemoteStore({self._address[0]}:{self._address[1]})"

    # The contract (motives.wire.TeamPageStore), each call sent as it was made.
    def session(self, code: str) -> models.Session:
        return self._call("session", (code,), {})

    def find_team(self, session: models.Session, name: str) -> models.Team | None:
        return self._call("find_team", (session, name), {})

    def new_team(self, session: models.Session, name: str, client: str = "") -> models.Team:
        return self._call("new_team", (session, name, client), {})

    def team_answers(self, team: models.Team) -> models.TeamAnswers:
        return self._call("team_answers", (team,), {})

    def set_answer(
        self, team: models.Team, motive_id: str, applies: bool, importance: int | None = None
    ) -> models.Answer:
        return self._call("set_answer", (team, motive_id, applies, importance), {})

    def add_own_motive(
        self, team: models.Team, side: str, text: str, importance: int | None = None
    ) -> models.OwnMotive:
        return self._call("add_own_motive", (team, side, text, importance), {})

    def update_own_motive(
        self, team: models.Team, own_id: int, *, text: str | None = None, importance: int | None = None
    ) -> models.OwnMotive:
        return self._call("update_own_motive", (team, own_id), {"text": text, "importance": importance})

    def remove_own_motive(self, team: models.Team, own_id: int) -> None:
        return self._call("remove_own_motive", (team, own_id), {})

    def set_conclusion(
        self,
        team: models.Team,
        conclusion: str | models.Unset | None = models.UNSET,
        explanation: str | models.Unset = models.UNSET,
    ) -> None:
        # A field not given stays out of the call: the store leaves it as it is.
        given = {"conclusion": conclusion, "explanation": explanation}
        return self._call("set_conclusion", (team,), {k: v for k, v in given.items() if v is not models.UNSET})

    def state(self, session: models.Session) -> models.SessionState:
        return self._call("state", (session,), {})

    def records(self, session: models.Session) -> models.SessionRecords:
        return self._call("records", (session,), {})

    def record_failed_join(self, client: str) -> None:
        return self._call("record_failed_join", (client,), {})

    def failed_joins(self, client: str, within: timedelta) -> list[datetime]:
        return self._call("failed_joins", (client, within), {})

    def key_fits(self, code: str, key: str, which: str = "trainer") -> bool:
        return self._call("key_fits", (code, key, which), {})

    def group_picture(self, session: models.Session, team: str) -> models.GroupPicture:
        """The revealed picture, worked out by the server once per change for all its pages."""
        return self._call("group_picture", (session, team), {})

    def _call(self, method: str, args: tuple, kwargs: dict[str, Any]) -> Any:
        body = wire.call(method, args, kwargs)
        reused = self._connection is not None
        try:
            try:
                data = self._post(body)
            except _CLOSED_WHILE_IDLE:
                if not reused:
                    raise
                # The kept-alive connection was closed by the server while this page was idle: the
                # call never reached it (asking again cannot write twice), so ask once more, anew.
                self._drop()
                data = self._post(body)
        except (OSError, http.client.HTTPException) as exc:
            self._drop()
            raise StoreError("store_unusable", where="motives serve", detail=exc) from None
        except BaseException:  # an interrupt between request and answer: the connection is half-used
            self._drop()
            raise
        return wire.read_answer(data)

    @property
    def _connection(self) -> http.client.HTTPConnection | None:
        return getattr(self._local, "connection", None)

    def _post(self, body: bytes) -> bytes:
        connection = self._connection
        if connection is None:
            connection = self._local.connection = http.client.HTTPConnection(*self._address, timeout=CALL_SECONDS)
        with self._lock:  # again after a close(): http.client opens a closed connection anew
            self._opened.add(connection)
        connection.request(
            "POST", PATH, body=body, headers={TOKEN_HEADER: self._token, "Content-Type": "application/json"}
        )
        response = connection.getresponse()
        data = response.read()
        if response.status != 200:
            raise http.client.HTTPException(f"the store service answered {response.status}")
        return data

    def _drop(self) -> None:
        connection = self._connection
        if connection is not None:
            connection.close()
            self._local.connection = None
            with self._lock:
                self._opened.discard(connection)

    def close(self) -> None:
        """Close every thread's connection."""
        with self._lock:
            opened, self._opened = self._opened, set()
        for connection in opened:
            connection.close()
        self._local.connection = None
