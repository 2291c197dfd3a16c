"""Limits that keep one team from hurting the room: own motives per team, a pause between adds."""

from __future__ import annotations

import pytest
from pages import Clock, joined_page

from motives.errors import InvalidInput
from motives.settings import Settings
from motives.store import Store


def test_a_team_writes_at_most_the_own_motive_limit(tmp_path, catalogue):
    store = Store(tmp_path / "own.db", max_own=3)
    session = store.create_session("S", catalogue)
    north, south = store.join(session, "Noord"), store.join(session, "Zuid")
    for n in range(3):
        store.add_own_motive(north, "for" if n % 2 else "against", f"Motief {n}")
    with pytest.raises(InvalidInput) as caught:
        store.add_own_motive(north, "for", "Motief 4")
    assert caught.value.key == "too_many_own" and caught.value.params == {"limit": 3}
    store.add_own_motive(south, "for", "Een ander team heeft zijn eigen plaats")
    store.remove_own_motive(north, store.team_answers(north).own[0].id)
    store.add_own_motive(north, "for", "Na een verwijderd motief mag er weer een bij")
    assert [len([o for o in store.records(session).own if o["team_id"] == t.id]) for t in (north, south)] == [3, 1]
    store.close()


def test_the_own_motive_limit_comes_from_motives_max_own(tmp_path, monkeypatch):
    assert Store(tmp_path / "a.db").max_own == 100
    monkeypatch.setenv("MOTIVES_MAX_OWN", "12")
    assert Store(tmp_path / "b.db", settings=Settings.from_env()).max_own == 12


def test_the_page_says_the_limit_in_the_teams_language_and_keeps_the_text(tmp_path, catalogue):
    store = Store(tmp_path / "page.db", max_own=1)
    session = store.create_session("S", catalogue, "en")
    sheet = joined_page(store, session, "North").worksheet
    own = sheet.own["for"]
    sheet.pace.clock = clock = Clock()
    own.new_text.value = "First"
    own.add_button.click()
    clock.now += 60
    own.new_text.value = "Second, kept on screen"
    own.add_button.click()
    assert "Your team already has 1 own motives: that is the most." in own.status.value
    assert own.new_text.value == "Second, kept on screen"
    assert [o["text"] for o in store.records(session).own] == ["First"]
    store.close()


def test_adds_from_one_page_wait_a_moment_whichever_column(store, session):
    sheet = joined_page(store, session, "Noord").worksheet
    clock = Clock()
    sheet.pace.clock = clock  # one pace for the page, whichever column adds
    sheet.own["for"].new_text.value = "Eerste"
    sheet.own["for"].add_button.click()
    clock.now += 1
    sheet.own["against"].new_text.value = "Te snel"
    sheet.own["against"].add_button.click()
    assert "Even geduld: voeg het volgende motief over 2 seconden toe." in sheet.own["against"].status.value
    assert sheet.own["against"].new_text.value == "Te snel"  # kept, nothing lost
    clock.now += 2
    sheet.own["against"].add_button.click()
    assert [o["text"] for o in store.records(session).own] == ["Eerste", "Te snel"]


def test_forged_clicks_in_a_burst_add_one_motive(store, session):
    own = joined_page(store, session, "Noord").worksheet.own["for"]
    for n in range(400):
        own.new_text.value = f"Motief nummer {n} " + "lang " * 80
        own.add_button.click()
    assert len(store.records(session).own) == 1


def test_a_double_click_adds_once_and_says_nothing_odd(store, session):
    own = joined_page(store, session, "Noord").worksheet.own["for"]
    own.new_text.value = "Eén keer"
    own.add_button.click()
    own.add_button.click()  # the box is empty now: the second click of a double click
    assert [o["text"] for o in store.records(session).own] == ["Eén keer"]
    assert "Motief toegevoegd." in own.status.value
