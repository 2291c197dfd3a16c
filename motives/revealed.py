"""The group's picture a team page shows once the trainer reveals the comparison, light enough for
every page: computed once per change of the session for all the pages that ask (:class:`Pictures`,
kept by ``motives serve``'s store service for every team page of the server), and drawn as HTML
from plain records (:func:`picture_html`), without pandas in the page's kernel.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

from motives.i18n import decimal, message
from motives.markup import esc
from motives.models import GroupPicture, PictureItem, Session, SessionRecords, SessionState

if TYPE_CHECKING:
    from motives.tally import SharedPicture


class Readable(Protocol):
    def state(self, session: Session) -> SessionState: ...
    def records(self, session: Session) -> SessionRecords: ...


# Sessions whose picture is kept: more than a server runs at once.
KEPT_SESSIONS = 64
# A picture younger than this is given out even when the session has moved on: forty pages that poll
# at their own moments while a team ticks on would each find a newer revision. A page whose picture is
# older than what it saw asks again at its next poll (motives.widgets.team), so the last change always shows.
FRESH_SECONDS = 2.0


class Pictures:
    """The revealed picture of each session, worked out once per revision whoever asks: forty team
    pages that see one change ask for it forty times, and the frames are built once."""

    def __init__(self, fresh_seconds: float = FRESH_SECONDS, clock: Callable[[], float] = time.monotonic) -> None:
        self.fresh_seconds, self.clock = fresh_seconds, clock
        # (session id, code): (when built, picture). The code too: a deleted session's id may be reused.
        self._kept: dict[tuple[int, str], tuple[float, SharedPicture]] = {}
        # The service answers on several threads: for one session one builds and the others wait; the
        # pages of another session are not held up.
        self._locks: dict[tuple[int, str], threading.Lock] = {}
        self._locking = threading.Lock()
        self.built = 0  # how many times a picture was worked out (tests count the work)

    def for_team(self, store: Readable, session: Session, team: str) -> GroupPicture:
        revision = store.state(session).revision
        key = (session.id, session.code)
        with self._locking:
            lock = self._locks.setdefault(key, threading.Lock())
        with lock:
            kept = self._kept.get(key)
            now = self.clock()
            if kept is None or (kept[1].revision < revision and now - kept[0] >= self.fresh_seconds):
                from motives import tally  # pandas: in the server (or a page without one), once per change

                records = store.records(session)
                kept = (now, tally.shared_picture(tally.Frames.of(records), records.revision))
                self.built += 1
                with self._locking:
                    if len(self._kept) >= KEPT_SESSIONS:
                        oldest = next(iter(self._kept))
                        self._kept.pop(oldest)
                        self._locks.pop(oldest, None)
                    self._kept[key] = kept
        return kept[1].for_team(team)


def picture_html(picture: GroupPicture, language: str) -> str:
    """The picture for a phone: per side the motives most teams chose first, how many teams chose each
    and how much weight it got, and where this team stands; then every team's conclusion. A list that
    wraps, never a table that scrolls sideways."""
    sections = []
    for side in ("for", "against"):
        items = "".join(_item(item, picture.total, language) for item in picture.items if item.side == side)
        left_out = dict(picture.more).get(side, 0)
        more = f'<p class="motives-help">{esc(message(language, "reveal_more", n=left_out))}</p>' if left_out else ""
        sections.append(
            f'<section class="motives-group-side motives-group-side-{side}">'
            f"<h4>{esc(message(language, f'side_{side}'))}</h4><ol>{items}</ol>{more}</section>"
        )
    us = ' class="motives-group-us"'
    conclusions = "".join(
        f"<li{us if team == picture.team else ''}><strong>{esc(team)}</strong>: "
        f"{esc(message(language, f'conclusion_{conclusion}' if conclusion else 'conclusion_none'))}</li>"
        for team, conclusion in picture.conclusions
    )
    return (
        f'<div class="motives-group-picture">{"".join(sections)}'
        f'<section class="motives-group-conclusions"><h4>{esc(message(language, "col_conclusion"))}</h4>'
        f"<ul>{conclusions}</ul></section></div>"
    )


def _item(item: PictureItem, total: int, language: str) -> str:
    share = 0 if not total else round(100 * item.chosen / total)
    counted = message(language, "n_of_teams", n=item.chosen, of=total)
    details = [counted] + (
        [] if item.mean is None else [message(language, "reveal_mean", mean=decimal(language, item.mean))]
    )
    if item.ours is None:
        us, mark = message(language, "reveal_us_not"), ""
    else:
        us, mark = message(language, "reveal_us_chosen", importance=item.ours), " motives-group-chosen"
    return (
        f'<li class="motives-group-item{mark}"><p class="motives-group-motive">{esc(item.text)}</p>'
        f'<div class="motives-meter" role="img" aria-label="{esc(counted)}"><span style="width:{share}%"></span></div>'
        f'<p class="motives-group-detail">{esc(" · ".join(details))}</p>'
        f'<p class="motives-group-us-line">{esc(us)}</p></li>'
    )
