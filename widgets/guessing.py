"""Wrong join codes and trainer keys: every way a page can be handed one counts against one limit.

A page gets a few free tries, then waits that double (2, 4, 8 … up to a minute). A device gets at
most :data:`CLIENT_FAILURES` wrong tries in :data:`CLIENT_WINDOW` over all its pages: those are
kept in the store, so every page's kernel (and every server on the same store) counts them. The
team page's code form, a team link's ``?session=``, and the dashboard's code and key form all
count here, and the dashboard says the same thing for a code that does not exist and a key that
does not fit, so that neither form tells a guesser which codes are real.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from motives.errors import UnknownSession
from motives.i18n import message
from motives.models import normalise_code
from motives.widgets.feedback import Refusal
from motives.widgets.timing import Backoff

if TYPE_CHECKING:
    from motives.models import Session
    from motives.wire import TeamPageStore

# After this many wrong tries on one page, each further try waits longer (2, 4, … 60 s).
FREE_CODE_TRIES = 5
MAX_CODE_WAIT_SECONDS = 60
# Across every page from one address (a script opens many pages): at most this many wrong tries
# in this window. Generous for a room of people who mistype, hopeless for a guesser: with 1,000
# sessions of 6-character codes a hit is expected after about 200 days (README, "Safe in a room").
CLIENT_FAILURES = 30
CLIENT_WINDOW = timedelta(minutes=10)


class Guesses:
    """One page's wrong tries, and its device's in the store."""

    def __init__(self, store: Callable[[], TeamPageStore], client: str) -> None:
        self.tries = Backoff(FREE_CODE_TRIES, MAX_CODE_WAIT_SECONDS)
        self._store = store  # the page's, opened on first use
        self.client = client  # the device, as motives serve passed it (Request.device: an IPv6 /64); "" elsewhere
        self._seen: set[str] = set()

    def wait(self) -> float:
        """Seconds before this page may try again (0: now)."""
        return max(self.tries.wait(), self._client_wait())

    def wrong(self, attempt: str) -> None:
        """``attempt`` was wrong. The same attempt twice (a field left, then its button) counts once."""
        if attempt in self._seen:
            return
        self._seen.add(attempt)
        self.tries.failed()
        if self.client:
            self._store().record_failed_join(self.client)

    def with_wait(self, language: str, text: str) -> str:
        """``text`` about a wrong try, and how long to wait now if the page has to."""
        wait = self.wait()
        return f"{text} {message(language, 'code_wait', seconds=math.ceil(wait))}" if wait else text

    def session(
        self, language: str, code: str, key: str, fits: Callable[[Session, str], bool], wrong: str
    ) -> Session | str:
        """Session ``code`` if ``key`` ``fits`` it; else what to say, in ``language``: the same ``wrong``
        sentence for a code that does not exist and a key that does not fit (neither tells a guesser
        which codes are real), and the wait, which counts this try as a wrong join code counts."""
        wait = self.wait()
        if wait:
            return message(language, "code_wait", seconds=math.ceil(wait))
        with Refusal(language) as refused:
            session = self._store().session(code)
            fitted = fits(session, key)
        if refused and not isinstance(refused.error, UnknownSession):
            return refused.text
        if refused or not fitted:
            self.wrong(f"{normalise_code(code)} {key}")
            return self.with_wait(language, message(language, wrong))
        return session

    def _client_wait(self) -> float:
        if not self.client:
            return 0.0
        recent = self._store().failed_joins(self.client, CLIENT_WINDOW)
        if len(recent) < CLIENT_FAILURES:
            return 0.0
        return max(1.0, (recent[-CLIENT_FAILURES] + CLIENT_WINDOW - datetime.now(UTC)).total_seconds())
