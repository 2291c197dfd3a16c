"""The projector window without a browser: it opens with the session's screen key, never the trainer
key; it shows slides and nothing a room must not see; the slide on it is kept in the store, so the
trainer's overview and a reload agree. tests/ui/test_projector.py looks at it in Chromium."""

from __future__ import annotations

import re

import pytest
from pages import TRAINER_CONTROLS, board_for, shown_text

from motives import projector, tally
from motives.errors import InvalidInput
from motives.grouping import Grouper
from motives.i18n import LANGUAGES, message
from motives.request import Request
from motives.urls import projector_path
from motives.widgets.guessing import CLIENT_FAILURES, CLIENT_WINDOW
from motives.widgets.keyed import ProjectorPage


def fill(store, session):
    north, south, west = (store.join(session, name) for name in ("Noord", "Zuid", "West"))
    store.set_answer(north, "for-prevention", True, 5)
    store.set_answer(south, "for-prevention", True, 3)
    store.set_answer(west, "for-prevention", True, 4)
    store.set_answer(south, "against-no-priority", True, 2)
    store.add_own_motive(north, "for", "Ouders vragen ernaar", 4)
    store.add_own_motive(south, "for", "ouders vragen ernaar!", 3)
    store.set_conclusion(north, "yes", "")
    return north, south, west


def screen_of(store, session, key: str | None = None):
    return ProjectorPage({"session": session.code, "screen": session.screen_key if key is None else key}, store=store)


def test_the_screen_key_opens_the_projector_and_is_not_the_trainer_key(store, session):
    assert session.screen_key != session.trainer_key and len(session.screen_key) == 16
    assert session.screen_key == store.session(session.code).screen_key  # the same after a reload
    page = screen_of(store, session)
    assert page.screen is not None
    assert session.code in page.screen.view.value  # the join slide: the code in large type
    assert projector_path(session.code, session.screen_key) == (
        f"/voila/render/projector.ipynb?session={session.code}&screen={session.screen_key}"
    )


def test_a_wrong_screen_key_shows_no_session_and_counts_as_a_wrong_guess(store, session):
    fill(store, session)
    for key in ("", "wrong", session.trainer_key):
        page = screen_of(store, session, key)
        assert page.screen is None
        shown = shown_text(page)
        assert message("nl", "projector_wrong") in shown
        for secret in ("Noord", "Ouders vragen ernaar", session.name, session.code):
            assert secret not in shown, (key, secret)


def test_a_devices_wrong_screen_keys_count_with_its_wrong_join_codes(store, session):
    def device(**params: str) -> Request:  # what motives serve passes each page's kernel
        return Request(params=params, client="192.0.2.7")

    for n in range(CLIENT_FAILURES):
        ProjectorPage(device(session=session.code, screen=f"guess{n}"), store=store)
    assert len(store.failed_joins("192.0.2.7", CLIENT_WINDOW)) == CLIENT_FAILURES
    # Now this device waits, with the right key too, and on the team page's code form.
    page = ProjectorPage(device(session=session.code, screen=session.screen_key), store=store)
    assert page.screen is None and "Te veel foute codes." in shown_text(page)


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_slide_carries_a_key_a_team_link_or_a_trainer_control(store, catalogue, language):
    session = store.create_session("Workshop", catalogue, language)
    teams = fill(store, session)
    page = screen_of(store, session)
    screen = page.screen
    seen = set()
    for _slide in screen.slides:
        shown = shown_text(page)
        seen.add(store.state(session).screen or "join")
        for secret in (session.trainer_key, session.screen_key, *(team.key for team in teams), "teamkey", "key="):
            assert secret not in shown, secret
        for control in TRAINER_CONTROLS:
            assert message(language, control) not in shown, control
        screen.move(1)
    assert seen == {slide.key for slide in screen.slides}  # every slide was looked at


def test_the_slide_is_kept_in_the_store_and_followed_by_the_overview_and_a_reload(store, session):
    fill(store, session)
    page = screen_of(store, session)
    page.screen.move(1)
    page.screen.move(1)
    assert store.state(session).screen == "talk-split-1"
    again = screen_of(store, session)  # a reload of the projector window
    assert projector.pick(again.screen.slides, store.state(session).screen).key == "talk-split-1"
    assert message("nl", "category_split") in again.screen.view.value
    board = board_for(store, session)
    assert board.remote.picked.value == "talk-split-1"
    # The trainer moves it from the overview; the projector follows at its next poll.
    board.remote.next.click()
    assert store.state(session).screen == "talk-single-1"
    again.screen.poll()
    assert message("nl", "category_single") in again.screen.view.value
    # A move does not count as a change of the answers: no page redraws for it.
    revision = store.state(session).revision
    board.remote.previous.click()
    assert store.state(session).revision == revision


def test_the_store_takes_only_a_slides_key(store, session):
    for made_up in ("", "<script>", "x" * 33, "Talk-1", 7, None, "talk split"):
        with pytest.raises(InvalidInput):
            store.set_screen(session, made_up)
    store.set_screen(session, "own-2")
    assert store.state(session).screen == "own-2"


def test_a_slide_that_is_gone_falls_back_to_its_kind_and_moves_stop_at_the_ends(store, session):
    fill(store, session)
    frames = tally.Frames.of(store.records(session), Grouper(session.catalogue))
    shown = projector.slides(frames)
    keys = [slide.key for slide in shown]
    assert keys[0] == "join" and keys[-1] == "own-1"
    assert [s.kind for s in shown] == sorted((s.kind for s in shown), key=projector.KINDS.index)
    assert projector.pick(shown, "heat-for-9").key == "heat-for-1"
    assert projector.pick(shown, "own-5").key == "own-1"
    assert projector.pick(shown, "nonsense").key == "join"
    assert projector.step(shown, "join", -1) == "join"
    assert projector.step(shown, "own-1", 1) == "own-1"
    assert projector.step(shown, "", 1) == keys[1]


def test_forty_teams_get_pages_of_ten_teams_and_every_motive_and_team_is_on_one(store, session):
    for number in range(40):
        team = store.join(session, f"Team {number:02d}")
        store.set_answer(team, "for-prevention", True, 1 + number % 5)
        store.add_own_motive(team, "against" if number % 2 else "for", f"Eigen motief van team {number:02d}", 3)
    frames = tally.Frames.of(store.records(session), Grouper(session.catalogue))
    heat = [slide for slide in projector.slides(frames) if slide.kind == "heat"]
    teams_shown, rows_shown = set(), set()
    for slide in heat:
        side, _n, _of, first, last, team_first, team_last = slide.part
        assert team_last - team_first <= projector.HEAT_TEAMS
        teams_shown.update(range(team_first, team_last))
        rows_shown.update((side, row) for row in range(first, last))
    assert teams_shown == set(range(40))
    sides = frames.comparison.index.get_level_values("side")
    assert len(rows_shown) == len(sides)
    balance = [slide for slide in projector.slides(frames) if slide.kind == "balance"]
    assert len(balance) == 4


def test_pack_fills_pages_up_to_the_budget():
    assert projector.pack([], 10) == [(0, 0)]
    assert projector.pack([4, 4, 4], 10) == [(0, 2), (2, 3)]
    assert projector.pack([12, 1], 10) == [(0, 1), (1, 2)]  # an item larger than a page gets one of its own


def test_pack_stops_at_the_most_items_a_page_takes():
    assert projector.pack([1] * 25, 100, most=10) == [(0, 10), (10, 20), (20, 25)]


def test_the_room_sees_which_teams_think_alike_as_boxes_with_the_sentences_under_them(store, session):
    prevention = {"for-prevention": 5, "for-support-staff": 4, "against-no-priority": 2}
    priority = {"against-no-priority": 5, "against-professional-enough": 4, "for-prevention": 1}
    for name, choices in (("Noord", prevention), ("Oost", priority), ("Zuid", prevention), ("West", priority)):
        team = store.join(session, name)
        for motive, importance in choices.items():
            store.set_answer(team, motive, True, importance)
    store.set_answer(store.join(session, "<b>Apart</b>"), "for-public-communication", True, 5)
    frames = tally.Frames.of(store.records(session))
    shown = projector.slides(frames)
    alike = next(slide for slide in shown if slide.kind == "alike")
    assert shown.index(alike) == max(i for i, s in enumerate(shown) if s.kind == "balance") + 1
    html = projector.slide_html(alike, frames, projector.Join("http://x", "http://x"), "nl")
    boxes = re.findall(r'<div class="motives-slide-alike-box[^"]*"><h3>(.*?)</h3><p>(.*?)</p></div>', html)
    assert boxes == [
        ("Groep 1 · kiezen en wegen gelijk", "Noord, Zuid"),
        ("Groep 2 · kiezen en wegen gelijk", "Oost, West"),
        ("Staat alleen", "&lt;b&gt;Apart&lt;/b&gt;"),
    ]
    # The boxes say the groups; the sentences under them say the rest.
    assert "kozen grotendeels dezelfde motieven" not in html
    assert "&lt;b&gt;Apart&lt;/b&gt; staat alleen: geen ander team kiest en weegt zo." in html
    assert "<b>Apart" not in html


def test_a_box_of_more_team_names_than_the_slide_holds_says_how_many_more_there_are(store, session):
    # Ten teams with long names, each choosing a motive no other team chose: all ten stand alone.
    for number, motive in enumerate(sorted(session.catalogue.ids)):
        team = store.join(session, f"Team {number} van de dienst Jeugdhulp en Gezinsondersteuning Oost")
        store.set_answer(team, motive, True, 3)
    frames = tally.Frames.of(store.records(session))
    alike = next(slide for slide in projector.slides(frames) if slide.kind == "alike")
    html = projector.slide_html(alike, frames, projector.Join("http://x", "http://x"), "nl")
    box = re.search(r'<div class="motives-slide-alike-box motives-slide-alike-alone"><h3>(.*?)</h3><p>(.*?)</p>', html)
    shown, more = re.fullmatch(r"(.*) en nog (\d+)", box.group(2)).groups()
    assert box.group(1) == "Staan elk alleen"
    assert len(shown.split(", ")) + int(more) == 10 and int(more) > 0
    assert "Geen twee teams kiezen en wegen grotendeels hetzelfde: elk team staat alleen." in html
