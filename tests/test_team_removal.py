"""The trainer removes a team: its answers go, its place under the cap is free, its page says so."""

from __future__ import annotations

import pytest
from pages import board_for, inputs, joined_page

from motives.cli import main
from motives.errors import InvalidInput, UnknownTeam
from motives.store import Store


def test_removing_a_team_removes_everything_it_wrote(store, session):
    north = store.join(session, "Noord")
    south = store.join(session, "Zuid")
    store.set_answer(north, "for-prevention", True, 5)
    own = store.add_own_motive(north, "for", "Ouders vragen ernaar")
    store.link_own_motives(session, [own.id], "g-1")
    store.set_conclusion(north, "yes", "Omdat")
    store.set_answer(south, "for-prevention", True, 2)

    store.remove_team(session, "noord")  # found as the page finds it: capitals do not matter

    records = store.records(session)
    assert [t.name for t in records.teams] == ["Zuid"]
    assert [(a["team_id"], a["motive_id"]) for a in records.answers] == [(south.id, "for-prevention")]
    assert records.own == [] and records.links == {}
    assert store.find_team(session, "Noord") is None


def test_a_removed_team_frees_its_place_under_the_team_cap(tmp_path, catalogue):
    store = Store(tmp_path / "cap.db", max_teams=2)
    session = store.create_session("Vol", catalogue)
    store.join(session, "Echt team")
    store.join(session, "asdfgh")
    with pytest.raises(InvalidInput) as full:
        store.join(session, "Tweede echt team")
    assert full.value.key == "session_full"
    store.remove_team(session, "asdfgh")
    assert store.join(session, "Tweede echt team").name == "Tweede echt team"
    store.close()


def test_a_removed_team_cannot_write_any_more(store, session):
    north = store.join(session, "Noord")
    own = store.add_own_motive(north, "for", "Eigen motief")
    store.remove_team(session, "Noord")
    writes = [
        lambda: store.set_answer(north, "for-prevention", True, 3),
        lambda: store.add_own_motive(north, "for", "Nog een"),
        lambda: store.update_own_motive(north, own.id, text="Anders"),
        lambda: store.remove_own_motive(north, own.id),
        lambda: store.set_conclusion(north, "yes"),
        lambda: store.team_answers(north),
    ]
    for write in writes:
        with pytest.raises(UnknownTeam):
            write()
    assert store.records(session).teams == [] and store.records(session).answers == []


def test_removing_a_team_that_is_not_there_says_so(store, session):
    with pytest.raises(UnknownTeam) as caught:
        store.remove_team(session, "Niemand")
    assert str(caught.value) == "no team 'Niemand' in this session"


def test_the_removed_teams_page_says_so_and_stops(store, session):
    page = joined_page(store, session, "Noord")
    sheet = page.worksheet
    sheet.choices["for-prevention"].applies.value = True
    store.remove_team(session, "Noord")
    sheet.poll()
    assert sheet.ended
    assert "De trainer heeft jullie team uit de sessie verwijderd." in sheet.locked.value
    assert all(control.disabled for control in inputs(sheet))
    assert "Bewaard" not in sheet.status.value  # nothing claims to be saved any more
    sheet.conclusion.choice.value = "yes"  # a forged change still reaches Python…
    assert store.find_team(session, "Noord") is None  # …and the store has nothing of it
    assert "Het team Noord bestaat niet (meer) in deze sessie." in sheet.conclusion.status.value


def test_the_trainer_removes_a_team_from_the_dashboard_with_two_clicks(store, session):
    store.join(session, "Noord")
    store.join(session, "spam")
    board = board_for(store, session)
    assert board.teams_box.team_pick.options == (("Noord", "Noord"), ("spam", "spam"))
    board.teams_box.team_pick.value = "spam"
    board.teams_box.remove_team.click()
    assert "Zeker? Klik nog eens om spam met al zijn antwoorden te verwijderen." in board.teams_box.remove_status.value
    assert [t.name for t in store.records(session).teams] == ["Noord", "spam"]  # one click removes nothing
    board.teams_box.remove_team.click()
    assert [t.name for t in store.records(session).teams] == ["Noord"]
    assert "spam is verwijderd." in board.teams_box.remove_status.value
    assert board.teams_box.team_pick.options == (("Noord", "Noord"),)


def test_the_trainer_removes_a_script_team_and_bars_its_name_from_the_dashboard(store, session):
    store.join(session, "Noord")
    store.join(session, "Bot 00")
    board = board_for(store, session)
    box = board.teams_box
    assert box.bar.description == "Deze naam weren: geen team kan er opnieuw mee meedoen" and box.bar.value is False
    box.team_pick.value = "Bot 00"
    box.bar.value = True
    box.remove_team.click()
    box.remove_team.click()
    assert "Bot 00 is verwijderd; die naam kan niet meer meedoen." in box.remove_status.value
    assert store.barred_teams(session) == ["Bot 00"] and box.bar.value is False  # the next removal starts unbarred
    with pytest.raises(InvalidInput):
        store.new_team(session, "Bot 00")


def test_changing_the_picked_team_cancels_the_first_click(store, session):
    store.join(session, "Noord")
    store.join(session, "Zuid")
    board = board_for(store, session)
    board.teams_box.team_pick.value = "Noord"
    board.teams_box.remove_team.click()
    board.teams_box.team_pick.value = "Zuid"
    board.teams_box.remove_team.click()  # a first click again, for Zuid
    assert [t.name for t in store.records(session).teams] == ["Noord", "Zuid"]


def test_a_forged_team_name_on_the_dashboard_is_refused(store, session):
    store.join(session, "Noord")
    board = board_for(store, session)
    board.teams_box.team_pick.options = [("Niemand", "Niemand")]  # options and value as a forged message could set them
    board.teams_box.team_pick.value = "Niemand"
    board.teams_box.remove_team.click()
    board.teams_box.remove_team.click()
    assert [t.name for t in store.records(session).teams] == ["Noord"]
    assert "Het team Niemand bestaat niet (meer) in deze sessie." in board.teams_box.remove_status.value


def test_motives_team_remove(tmp_path, catalogue, capsys):
    db = tmp_path / "cli.db"
    store = Store(db)
    session = store.create_session("CLI", catalogue)
    store.join(session, "Team Noord")
    assert main(["team", "remove", session.code, "team noord", "--db", str(db)]) == 0
    assert (
        capsys.readouterr().out == f"Removed team 'Team Noord' from session {session.code}; its place is free again.\n"
    )
    assert store.records(session).teams == []
    assert main(["team", "remove", session.code, "Team Noord", "--db", str(db)]) == 1
    assert capsys.readouterr().err == (
        f"motives: session {session.code} has no team 'Team Noord'; see the dashboard for the names\n"
    )
    store.close()


def test_a_barred_name_does_not_join_again_nor_one_that_looks_like_it(store, session):
    store.join(session, "Bot 00")
    store.join(session, "Bot 01")
    store.remove_team(session, "bot 00", bar=True)
    store.remove_team(session, "Bot 01")  # removed, not barred
    assert store.barred_teams(session) == ["Bot 00"]
    for name in ("Bot 00", "BOT  00", "Bоt 00"):  # the last with a Cyrillic o
        with pytest.raises(InvalidInput) as refused:
            store.new_team(session, name)
        assert refused.value.key == "team_barred"
    assert store.new_team(session, "Bot 01").name == "Bot 01"
    assert store.unbar_team(session, "bot 00") is True and store.unbar_team(session, "Bot 00") is False
    assert store.new_team(session, "Bot 00").name == "Bot 00"
    assert store.barred_teams(session) == []


def test_one_device_makes_ten_teams_in_two_minutes_and_then_waits(store, session):
    from motives.store import JOINS_PER_CLIENT

    for n in range(JOINS_PER_CLIENT):
        store.new_team(session, f"Team {n}", client="192.0.2.9")
    with pytest.raises(InvalidInput) as refused:
        store.new_team(session, "Nog een", client="192.0.2.9")
    assert refused.value.key == "joins_wait" and 100 < refused.value.params["seconds"] <= 120
    store.new_team(session, "Nog een", client="192.0.2.10")  # another device
    store.new_team(session, "En nog een")  # the trainer's own tools name no device
    assert len(store.records(session).teams) == JOINS_PER_CLIENT + 2
