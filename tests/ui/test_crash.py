"""The lid closes, the power goes: what a page showed as saved is there after a restart."""

from __future__ import annotations

import os
import signal
from urllib.parse import quote

import pytest
from joining import BLUR, PREVENTION, open_team_page, own_link
from playwright.sync_api import expect

from motives.store import Store


@pytest.mark.slow
def test_every_change_shown_as_saved_survives_sigkill_of_server_and_kernels(tmp_path, new_page, launch):
    db, log = tmp_path / "crash.db", tmp_path / "serve.log"
    process, server = launch(db, log)
    base = server.base
    session = server.new_session("Stroompanne")
    page = new_page()
    open_team_page(page, f"{base}/voila/render/team.ipynb?session={session['code']}&team={quote('Team Noord')}")
    expect(page.get_by_role("heading", name="Team Noord")).to_be_visible(timeout=60_000)
    saved = page.locator(".motives-save-status")
    page.get_by_role("checkbox", name=PREVENTION, exact=True).check()
    expect(saved).to_contain_text("Bewaard om")
    page.get_by_role("checkbox", name=BLUR, exact=True).check()
    page.locator(".motives-choice").filter(has_text=BLUR).get_by_role("button", name="5", exact=True).click()
    column = page.locator(".motives-side-for")
    column.get_by_role("textbox", name="Nieuw motief").fill("Net voor de stroompanne")
    column.get_by_role("button", name="Toevoegen").click()
    expect(column.get_by_text("Motief toegevoegd.")).to_be_visible()
    expect(saved).to_contain_text("Bewaard om")
    before = saved.inner_text()
    # The saved line names the second of the last save: a second later, the conclusion's own save
    # shows another time. That new line, come back from the kernel, is the page saying "saved".
    page.wait_for_timeout(1_100)
    page.get_by_role("radio", name="Ja").check()
    expect(saved).not_to_have_text(before, timeout=10_000)
    expect(saved).to_contain_text("Bewaard om")

    os.killpg(process.pid, signal.SIGKILL)  # server and every kernel at once, no goodbye
    process.wait(timeout=10)

    process, server = launch(db, log)
    base = server.base
    store = Store(db)
    try:
        team = store.find_team(store.session(session["code"]), "Team Noord")
        answers = store.team_answers(team)
        assert {k: (a.applies, a.importance) for k, a in answers.answers.items()} == {
            "for-prevention": (True, 3),
            "for-work-private-blur": (True, 5),
        }
        assert [o.text for o in answers.own] == ["Net voor de stroompanne"] and answers.conclusion == "yes"
        again = new_page()
        again.goto(own_link(server, session["code"], "Team Noord"))
        expect(again.get_by_role("checkbox", name=BLUR, exact=True)).to_be_checked(timeout=60_000)
        expect(again.locator(".motives-side-for .motives-own textarea")).to_have_value("Net voor de stroompanne")
    finally:
        store.close()
