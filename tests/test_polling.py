"""Nothing blocks a page's event loop while it follows the store: each poll looks at the store in a
thread of its own and shows what it found on the loop (motives.widgets.timing.every), so a store that
is slow to answer never holds up the widgets' messages, the team's ticks among them. And a page is
built first, then started: building a worksheet reads nothing."""

from __future__ import annotations

import asyncio
import threading
import time

from pages import board_for, joined_page

from motives.widgets.team import Worksheet
from motives.widgets.timing import every

# How long the store takes to answer a look: the loop must run on meanwhile.
STORE_WAIT = 0.4


class SlowToAnswer:
    """The page's real store, answering ``state`` a moment late, and noting the thread of every call."""

    def __init__(self, store, seconds: float) -> None:
        self._store, self.seconds, self.threads, self.waits = store, seconds, [], []

    def __getattr__(self, name: str):
        call = getattr(self._store, name)

        def noted(*args, **kwargs):
            self.threads.append((name, threading.current_thread()))
            if name == "state":
                began = time.monotonic()
                time.sleep(self.seconds)
                self.waits.append((began, time.monotonic()))
            return call(*args, **kwargs)

        return noted

    def loop_ran_during_every_wait(self, ticks: list[float]) -> bool:
        """Whether the loop ran (ticked) again and again while the store made each look wait (each that
        ended while the loop was watched: the last may still be on its way when the watch ends)."""
        watched = [(began, ended) for began, ended in self.waits if ended <= ticks[-1]]
        return bool(watched) and all(sum(began < tick < ended for tick in ticks) >= 5 for began, ended in watched)


def follow_for(seconds: float, look, show) -> list[float]:
    """Run ``every`` on a fresh event loop for ``seconds``; the moments the loop was free to run a tick."""

    async def run() -> list[float]:
        ticks: list[float] = []
        clock = every(0.05, look, show)
        started = time.monotonic()
        while time.monotonic() - started < seconds:
            ticks.append(time.monotonic())
            await asyncio.sleep(0.02)
        assert clock is not None
        clock.cancel()
        return ticks

    return asyncio.run(run())


def test_a_team_pages_poll_looks_at_the_store_off_the_loop_and_shows_on_it(store, session):
    page = joined_page(store, session, "Noord")
    sheet = page.worksheet
    slow = SlowToAnswer(store, STORE_WAIT)
    sheet.store = slow
    store.set_locked(session, True)
    ticks = follow_for(2.5 * STORE_WAIT, sheet.look, sheet.show_looked)
    # The store's calls ran in other threads than the loop's (this one) ...
    assert slow.threads and all(thread is not threading.main_thread() for _name, thread in slow.threads)
    # ... the loop kept running while each look waited ...
    assert slow.loop_ran_during_every_wait(ticks)
    # ... and what the looks found is on screen.
    assert "De sessie is vergrendeld." in sheet.locked.value


def test_the_overview_polls_the_same_way(store, session):
    board = board_for(store, session)
    slow = SlowToAnswer(store, STORE_WAIT)
    board.store = slow
    joined_page(store, session, "Zuid")
    ticks = follow_for(2.5 * STORE_WAIT, board.look, board.show_looked)
    # The looks (the session's state, and its records once a team joined) ran off the loop; what the
    # overview shows then may read one team's link as the trainer's own clicks do (find_team).
    looks = [thread for name, thread in slow.threads if name in ("state", "records")]
    assert len(looks) >= 3 and threading.main_thread() not in looks
    assert slow.loop_ran_during_every_wait(ticks)
    # The team that joined meanwhile is in what the overview shows.
    assert board.revision == store.state(session).revision
    assert board.frames is not None and board.frames.teams["team"].tolist() == ["Zuid"]


def test_a_worksheet_is_built_without_reading_the_store_and_started_after(store, session):
    team = store.join(session, "Oost")
    slow = SlowToAnswer(store, 0)
    sheet = Worksheet(slow, team, "/voila/render", "http://127.0.0.1:8866")
    assert slow.threads == []
    sheet.start()
    assert slow.threads  # the answers and the session's state, read once started


class Noted:
    """The page's real store, noting the name of every call a look makes."""

    def __init__(self, store) -> None:
        self._store, self.calls = store, []

    def __getattr__(self, name: str):
        if name == "group_picture":  # a store of its own: the page works the picture out itself
            raise AttributeError(name)
        self.calls.append(name)
        return getattr(self._store, name)


def test_a_team_page_that_sees_no_change_asks_the_store_one_thing(store, session):
    # Forty phones poll every two seconds: a look asks for the answers and the picture only when the
    # session changed, and for the picture only once the trainer revealed it.
    sheet = joined_page(store, session, "Noord").worksheet
    noted = Noted(store)
    sheet.store = noted
    sheet.poll()
    assert noted.calls == ["state"]
    store.set_answer(store.join(session, "Zuid"), "for-prevention", True, 3)
    noted.calls.clear()
    sheet.poll()
    assert noted.calls == ["state", "team_answers"]
    store.set_revealed(session, True)
    noted.calls.clear()
    sheet.poll()
    assert noted.calls[:2] == ["state", "team_answers"] and "records" in noted.calls  # the picture, worked out
    noted.calls.clear()
    sheet.poll()
    assert noted.calls == ["state"]  # the picture it shows is the store's: not asked for again


def test_a_store_that_cannot_be_reached_is_said_on_the_team_page_until_it_answers_again(store, catalogue):
    from motives.remote import RemoteStore

    session = store.create_session("Workshop", catalogue, "en")
    sheet = joined_page(store, session, "North").worksheet
    # A real store service's address with nobody listening: the server went away.
    sheet.store = RemoteStore("127.0.0.1:9", "token")
    sheet.poll()
    assert sheet.unreachable is True
    assert sheet.status.value == (
        '<p class="motives-error" role="alert">'
        "Your answers cannot be saved right now. Try again in a moment or tell your trainer.</p>"
    )
    sheet.store = store
    sheet.poll()
    assert (sheet.unreachable, sheet.status.value) == (False, "")


def test_a_team_removed_while_its_page_shows_the_group_ends_on_its_own_answers(store, session):
    sheet = joined_page(store, session, "Noord").worksheet
    store.set_revealed(session, True)
    sheet.poll()
    assert "motives-showing-group" in sheet._dom_classes
    store.remove_team(session, "Noord")
    sheet.poll()
    assert sheet.ended and sheet.revealed.children == ()
    assert "motives-hidden" in sheet.view_switch._dom_classes and sheet.view_switch.disabled
    assert "motives-showing-group" not in sheet._dom_classes


def test_the_groups_picture_speaks_the_sessions_language(store, catalogue):
    session = store.create_session("Workshop", catalogue, "en")
    sheet = joined_page(store, session, "North").worksheet
    store.set_revealed(session, True)
    sheet.poll()
    (view,) = sheet.revealed.children
    assert "What all teams chose" in view.value


def test_a_picture_taken_back_leaves_the_team_page_on_its_own_answers(store, session):
    sheet = joined_page(store, session, "Noord").worksheet
    store.set_revealed(session, True)
    sheet.poll()
    assert "motives-showing-group" in sheet._dom_classes
    store.set_revealed(session, False)
    sheet.poll()
    assert sheet.revealed.children == () and "motives-showing-group" not in sheet._dom_classes
    assert "motives-hidden" in sheet.view_switch._dom_classes


def test_a_look_that_began_before_the_teams_own_save_does_not_undo_it(store, session):
    # The look runs in a thread while the team ticks on the loop: answers it read before the tick
    # must not put the untick back on screen.
    sheet = joined_page(store, session, "Noord").worksheet
    store.set_answer(store.join(session, "Zuid"), "for-prevention", True, 3)  # the session moved on
    looked = sheet.look()
    assert looked.answers is not None and "for-support-staff" not in looked.answers.answers
    sheet.choices["for-support-staff"].applies.value = True  # the team's tick, saved at once
    sheet.show_looked(looked)
    assert sheet.choices["for-support-staff"].value == (True, 3)
    sheet.poll()  # the next look reads the answers again, the tick among them
    assert sheet.choices["for-support-staff"].value == (True, 3)
    assert "for-support-staff" in sheet.shown


def test_a_look_that_began_before_the_projectors_own_move_does_not_put_the_slide_back(store, session):
    # The projector window moves on from its keyboard while a look is on its way: the look read the
    # slide before, and must not put it back on the wall (a Chromium run of the projector caught it).
    from motives.widgets.keyed import ProjectorPage

    screen = ProjectorPage({"session": session.code, "screen": session.screen_key}, store=store).screen
    assert screen is not None
    looked = screen.look()
    screen.move(1)
    moved = store.state(session).screen
    screen.show_looked(looked)
    assert screen.stored == moved and moved != "join"
    screen.poll()
    assert screen.stored == moved


def test_a_look_that_began_before_the_trainers_own_reveal_does_not_undo_it(store, session):
    board = board_for(store, session)
    looked = board.look()
    board.reveal.value = True  # the trainer reveals: saved at once
    board.show_looked(looked)
    assert board.reveal.value is True and store.state(session).revealed
