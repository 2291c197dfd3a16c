"""The room joins without a terminal: ``motives``, as a trainer types it, opens the team pages to the
laptop's network, and every link it shows is the address a phone in the room reaches.

The room is real (tests/ui/room.py): ``motives`` runs in a network namespace whose only network is
a cable to a second namespace, where a Chromium plays a participant's phone. Both browsers, the
trainer's and the phone's, live in those namespaces; nothing reaches this machine's own network.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from joining import join_if_new
from playwright.sync_api import expect
from processes import free_port, listening_on, wait_until_answering
from room import LAPTOP_ADDRESS, Room, namespaces_or_skip, stop
from servers import Server, get

from motives.catalogue import default_catalogue
from motives.i18n import message
from motives.store import Store
from motives.system import network_addresses


def _session(db: Path, name: str, language: str = "nl") -> str:
    store = Store(db)
    try:
        return store.create_session(name, default_catalogue(), language).code
    finally:
        store.close()


def _compressed_or_cached(responses: list) -> list[str]:
    """The scripts and styles over 1 kB that came over the network without compression (none is the goal)."""
    plain = []
    for response in responses:
        headers = response.headers
        kind = headers.get("content-type", "")
        if ("javascript" in kind or "css" in kind) and response.status == 200 and not response.from_service_worker:
            size = response.request.sizes()["responseBodySize"]
            if size > 1000 and "content-encoding" not in headers:
                plain.append(response.url)
    return plain


@pytest.fixture
def room(tmp_path: Path):
    namespaces_or_skip()
    made = Room(f"mo-laptop-{os.getpid()}", f"mo-phone-{os.getpid()}").make()
    yield made
    made.remove()


def test_phones_in_the_room_join_with_what_the_laptop_shows_on_the_home_and_the_projector(
    room: Room, tmp_path: Path, browser_in, screenshot
):
    db, port = tmp_path / "motives.db", free_port()
    code = _session(db, "Workshop Gent")
    room.add_decoys()
    process = room.start_motives(db, tmp_path / "motives.log", port)
    joined_at = f"http://{LAPTOP_ADDRESS}:{port}"
    # The room's address is the one shown and answered; a decoy's (Docker's, a virtual bridge's) neither.
    assert room.status_for_host(port, f"{LAPTOP_ADDRESS}:{port}") == 302
    assert room.status_for_host(port, f"192.168.2.1:{port}") == 403
    assert room.status_for_host(port, f"172.17.0.1:{port}") == 403
    try:
        laptop, phone = browser_in(room.laptop), browser_in(room.phone)
        # The trainer's browser on the laptop: the home says where the room joins, and the session's link is that address.
        home = laptop.new_page(viewport={"width": 1280, "height": 900}, locale="nl-BE")
        home.goto(f"http://127.0.0.1:{port}/")
        expect(home.get_by_role("heading", name="Mijn workshops")).to_be_visible(timeout=90_000)
        expect(home.locator(".motives-room")).to_have_text(
            message("nl", "home_room_open", address=joined_at), timeout=30_000
        )
        home.get_by_role("combobox", name=message("nl", "home_pick"), exact=True).select_option(
            label=f"Workshop Gent · {code}"
        )
        link = home.locator(".motives-home-team-link a")
        expect(link).to_have_text(re.compile("^" + re.escape(joined_at)))
        href = link.get_attribute("href")
        assert href == f"{joined_at}/voila/render/team.ipynb?session={code}"
        screenshot(home, "room-home-nl-1280")

        # A phone on the room's network opens that link, joins under a team name and ticks a motive.
        context = phone.new_context(viewport={"width": 390, "height": 844}, locale="nl-BE", is_mobile=True)
        team = context.new_page()
        responses: list = []
        team.on("response", lambda response: responses.append(response))
        team.goto(href)
        team.get_by_role("textbox", name=message("nl", "team_name")).fill("Gsm-team")
        team.get_by_role("button", name=message("nl", "go")).click()
        join_if_new(team, 90_000)
        team.locator(".motives-side-for .motives-tick input").first.check()
        expect(team.locator(".motives-save-status")).to_contain_text("Bewaard")
        screenshot(team, "room-phone-nl-390")
        # Scripts and styles crossed the room's Wi-Fi compressed.
        assert _compressed_or_cached(responses) == []
        assert any(r.headers.get("content-encoding") == "gzip" for r in responses)

        # The trainer opens the session's overview from the home, and from it the projector window: the
        # room reads the address and the code off the wall. A tablet types them and joins too.
        row = home.locator(".motives-session-table tr", has_text="Workshop Gent")
        with home.expect_popup() as opened:
            row.get_by_role("link", name=message("nl", "home_open_dashboard")).click()
        board = opened.value
        with board.expect_popup() as opened:
            board.get_by_role("link", name=message("nl", "projector_open")).click(timeout=90_000)
        wall = opened.value
        wall.set_viewport_size({"width": 1920, "height": 1080})
        expect(wall.locator(".motives-slide-code")).to_have_text(code, timeout=90_000)
        address = wall.locator(".motives-slide-address").inner_text()
        assert address == joined_at
        expect(wall.locator(".motives-slide-progress")).to_have_text("Meegedaan: 1 · Geantwoord: 1")
        screenshot(wall, "room-projector-join-nl-1920")
        tablet = phone.new_context(viewport={"width": 820, "height": 1180}, locale="nl-BE").new_page()
        tablet.goto(address)
        assert "home.ipynb" not in tablet.url  # the app's address: where a team starts, never the trainer's home
        tablet.get_by_role("textbox", name=message("nl", "join_code")).fill(code.lower())
        tablet.get_by_role("button", name=message("nl", "go")).click()
        tablet.get_by_role("textbox", name=message("nl", "team_name")).fill("Tablet-team", timeout=90_000)
        tablet.get_by_role("button", name=message("nl", "go")).click()
        join_if_new(tablet, 90_000)
        expect(wall.locator(".motives-slide-progress")).to_have_text("Meegedaan: 2 · Geantwoord: 1", timeout=30_000)
        wall.set_viewport_size({"width": 1280, "height": 720})
        screenshot(wall, "room-projector-join-nl-1280")

        # The plenary, through motives as the trainer started it: the reveal reaches the phone, the
        # group's picture at the top of its screen and nothing sideways; then the lock.
        board.get_by_role("button", name=message("nl", "reveal")).click()
        picture = team.locator(".motives-group-picture")
        expect(picture).to_be_visible(timeout=10_000)
        assert picture.bounding_box()["y"] < 844
        assert team.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        screenshot(team, "room-phone-revealed-nl-390")
        board.get_by_role("button", name=message("nl", "lock")).click()
        expect(team.get_by_text(message("nl", "locked_banner"))).to_be_visible(timeout=10_000)
    finally:
        stop(process)
    store = Store(db)
    try:
        session = store.session(code)
        team_record = store.find_team(session, "Gsm-team")
        assert team_record is not None
        assert [a.applies for a in store.team_answers(team_record).answers.values()].count(True) == 1
        assert store.find_team(session, "Tablet-team") is not None
    finally:
        store.close()
    said = (tmp_path / "motives.log").read_text()
    assert message("en", "cli_room_open", url=f"{joined_at}/") in said
    assert "without encryption" not in said and "is not trusted" not in said  # nothing a trainer cannot act on


def test_a_laptop_on_no_network_says_so_and_the_link_follows_once_it_joins_one(tmp_path: Path, browser_in):
    namespaces_or_skip()
    room = Room(f"mo-alone-{os.getpid()}", f"mo-none-{os.getpid()}", networked=False).make()
    db, port = tmp_path / "motives.db", free_port()
    _session(db, "Zonder netwerk")
    try:
        process = room.start_motives(db, tmp_path / "motives.log", port)
        try:
            laptop = browser_in(room.laptop)
            for language in ("nl", "fr"):
                home = laptop.new_page()
                home.goto(f"http://127.0.0.1:{port}/?lang={language}")
                expect(home.locator(".motives-room-closed")).to_have_text(
                    message(language, "home_room_none"), timeout=90_000
                )
            # The trainer turns on a phone's hotspot while motives runs: a reload of the home shows
            # where the room joins, and a device on that network gets an answer there.
            room.connect()
            home.goto(f"http://127.0.0.1:{port}/?lang=nl")
            joined_at = f"http://{LAPTOP_ADDRESS}:{port}"
            expect(home.locator(".motives-room")).to_have_text(
                message("nl", "home_room_open", address=joined_at), timeout=90_000
            )
            phone = browser_in(room.phone).new_page()
            phone.goto(f"{joined_at}/")
            expect(phone.get_by_role("textbox", name=message("nl", "join_code"))).to_be_visible(timeout=90_000)
        finally:
            stop(process)
    finally:
        room.remove()
    assert message("en", "cli_room_none") in (tmp_path / "motives.log").read_text()


def test_motives_serves_the_room_and_local_keeps_it_on_the_laptop(tmp_path: Path):
    """Over loopback only: the laptop's network address travels as the ``Host`` a phone would send."""
    addresses = network_addresses()
    if not addresses:
        pytest.fail("this machine has no network address besides loopback: the room's host check cannot be tested")
    for extra, bound, answered in (((), "0.0.0.0", 302), (("--local",), "127.0.0.1", 403)):
        port, log = free_port(), tmp_path / f"motives{''.join(extra)}.log"
        with log.open("w") as out:
            process = subprocess.Popen(
                [sys.executable, "-m", "motives", "--no-browser", "--port", str(port), *extra],
                env={**os.environ, "MOTIVES_DB": str(tmp_path / "m.db")},
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        try:
            wait_until_answering(process, f"http://127.0.0.1:{port}", log=log)
            assert listening_on(port) == [f"{bound}:{port}"]
            server = Server(f"http://127.0.0.1:{port}", tmp_path / "m.db", log)
            assert get(server, "/", host=f"{addresses[0]}:{port}")[0] == answered
        finally:
            stop(process)


def test_a_reload_takes_the_scripts_from_the_browsers_cache(server, new_page):
    """What a phone that wakes up (or a team that reloads) pulls over the room's Wi-Fi: the page and a few
    small files, compressed; the scripts come from its cache (benchmarks/bytes.py measures the same)."""
    code = server.new_session("Cache")["code"]
    page = new_page(390, 844)
    received: dict[str, int] = {}
    client = page.context.new_cdp_session(page)
    client.send("Network.enable")
    client.on(
        "Network.loadingFinished", lambda event: received.update({event["requestId"]: event["encodedDataLength"]})
    )
    page.goto(f"{server.base}/voila/render/team.ipynb?session={code}")
    expect(page.get_by_role("textbox", name=message("nl", "team_name"))).to_be_visible(timeout=90_000)
    first = sum(received.values())
    received.clear()
    page.reload()
    expect(page.get_by_role("textbox", name=message("nl", "team_name"))).to_be_visible(timeout=90_000)
    again = sum(received.values())
    assert first > 1_000_000 // 2 and again < first / 20, (first, again)
