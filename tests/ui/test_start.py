"""What a trainer types, ``motives``, and the app's own address: its start page, never Voilà's file
list or a notebook that is not one of the app's pages."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest
from playwright.sync_api import expect
from processes import answering, free_port, wait_until_answering
from servers import fetch

from motives import resources
from motives.store import Store
from motives.system import room_addresses

VOILA_FILE_LIST = "Select items to open with Voilà"
DEFAULT = "http://127.0.0.1:8866"


def test_motives_alone_makes_a_demo_opens_the_start_page_and_stops_on_ctrl_c(tmp_path: Path, new_page):
    assert not answering(DEFAULT), "something already listens on 8866, where `motives` alone serves"
    opened = tmp_path / "opened.txt"
    browser = tmp_path / "browser"
    # A stand-in for the default browser (Python's webbrowser honours BROWSER): it notes what it was asked to open.
    browser.write_text(f'#!/bin/sh\nprintf "%s\\n" "$1" >> "{opened}"\n')
    browser.chmod(0o755)
    db = tmp_path / "motives.db"
    env = {**os.environ, "BROWSER": str(browser), "MOTIVES_DB": str(db)}
    with (tmp_path / "motives.log").open("w") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "motives"], cwd=tmp_path, env=env, stdout=log, stderr=subprocess.STDOUT
        )
    try:
        deadline = time.monotonic() + 90
        while not opened.exists():
            assert process.poll() is None and time.monotonic() < deadline, (tmp_path / "motives.log").read_text()
            time.sleep(0.3)
        assert opened.read_text() == f"{DEFAULT}/\n"

        # The start page a trainer's browser lands on: the trainer's home, in Dutch, with the demo in it.
        page = new_page()
        page.goto(f"{DEFAULT}/")
        expect(page.get_by_role("heading", name="Mijn workshops")).to_be_visible(timeout=60_000)
        expect(page.locator(".motives-session-table")).to_contain_text("DEMO – voorbeeldsessie")
        assert VOILA_FILE_LIST not in page.content()

        store = Store(db)
        try:
            assert [s.name for s in store.sessions()] == ["DEMO – voorbeeldsessie"]
        finally:
            store.close()
        children = psutil.Process(process.pid).children(recursive=True)
        assert any("ipykernel" in " ".join(child.cmdline()) for child in children), "the page's kernel"
    finally:
        process.send_signal(signal.SIGINT)  # what Ctrl+C in the terminal sends
        try:
            returncode = process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            raise
    assert returncode == 0
    _gone, alive = psutil.wait_procs(children, timeout=20)
    assert alive == []
    assert not answering(DEFAULT)
    said = (tmp_path / "motives.log").read_text()
    assert "Traceback" not in said
    assert "Demo session created" in said
    # The link the room joins at (tests/ui/test_room.py opens it from a phone), and no trainer key:
    # the home, which the browser opened, has the overview.
    room = room_addresses()
    joined_at = f"http://{room[0]}:8866" if room else DEFAULT
    assert f"team page:   {joined_at}/voila/render/team.ipynb?session=" in said
    assert "trainer key" not in said and "key=" not in said


def test_no_browser_opens_none_ctrl_c_stops_it_even_started_deaf_to_sigint_and_makes_one_demo(
    tmp_path: Path,
):
    opened, browser = tmp_path / "opened.txt", tmp_path / "browser"
    browser.write_text(f'#!/bin/sh\nprintf "%s\\n" "$1" >> "{opened}"\n')
    browser.chmod(0o755)
    db = tmp_path / "motives.db"
    env = {**os.environ, "BROWSER": str(browser), "MOTIVES_DB": str(db)}
    for _start in range(2):
        port = free_port()
        process = subprocess.Popen(
            [sys.executable, "-m", "motives", "--no-browser", "--port", str(port)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            # Started as a shell's background job or some launchers start it: with SIGINT ignored.
            # Ctrl+C must stop it all the same.
            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_IGN),
        )
        wait_until_answering(process, f"http://127.0.0.1:{port}")
        time.sleep(1)  # the browser would have been asked at once, as the server began to listen
        process.send_signal(signal.SIGINT)
        said, _ = process.communicate(timeout=30)
        assert process.returncode == 0, said
    assert not opened.exists()
    store = Store(db)
    try:
        assert len(store.sessions()) == 1
    finally:
        store.close()


def test_the_start_page_is_the_trainers_home_on_the_laptop_and_the_code_form_elsewhere(server, browser):
    for headers, url, field in (
        ({}, "/voila/render/home.ipynb?lang=fr", "Nom"),
        # A phone, as a proxy on this laptop forwards it: where a team starts.
        ({"X-Forwarded-For": "192.0.2.7"}, "/voila/render/team.ipynb?lang=fr", "Code de la session"),
    ):
        context = browser.new_context(extra_http_headers=headers)
        try:
            page = context.new_page()
            page.goto(server.base + "/?lang=fr")
            expect(page.get_by_role("textbox", name=field, exact=True)).to_be_visible(timeout=60_000)
            assert page.url == server.base + url
            assert VOILA_FILE_LIST not in page.content()
        finally:
            context.close()


@pytest.mark.parametrize(
    "path",
    [
        "/voila/render/reflect.ipynb",
        "/voila/render/reflect-en.ipynb",
        "/voila/render/reflect-fr.ipynb",
        "/voila/render/conftest.py",
        "/voila/render/team.ipynb/",
        "/voila/render/team.ipynb%2f",
        "/voila/render/team.ipynb/.",
        "/voila/render/team.ipynb//",
        "/voila/render/./team.ipynb",
        "/voila/render//team.ipynb",
        "/voila/render/TEAM.ipynb",
        "/voila/render/notebooks/team.ipynb",
        "/voila/tree",
        "/voila/tree/",
        "/voila/tree/notebooks",
        "/voila/api/contents",
        "/voila/api/contents/team.ipynb",
        "/tree",
        "/nothing-here",
    ],
)
def test_no_other_notebook_and_no_file_list_is_served(server, path):
    status, body = fetch(server.base + path)
    assert status == 404
    assert "Niet gevonden · Not found · Introuvable" in body  # the app's own page in its three languages
    for never in (VOILA_FILE_LIST, "reflect", "Traceback", "Voilà", '"cells"', "Kernel"):
        assert never not in body, never


def test_motives_lab_opens_a_folder_of_the_trainers_own_with_copies_of_the_reflection_notebooks(tmp_path: Path):
    home = tmp_path / "home"
    (home / "Documents").mkdir(parents=True)
    env = {**os.environ, "HOME": str(home), "MOTIVES_DB": str(tmp_path / "motives.db"), "JUPYTER_TOKEN": "t"}
    env |= {name: str(tmp_path / name.lower()) for name in ("JUPYTER_CONFIG_DIR", "JUPYTER_RUNTIME_DIR")}
    folder = home / "Documents" / "motives"

    def lab() -> subprocess.CompletedProcess:
        port = free_port()
        process = subprocess.Popen(
            [sys.executable, "-m", "motives", "lab", "--port", str(port), "--no-browser"],
            cwd=tmp_path,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        wait_until_answering(process, f"http://127.0.0.1:{port}", seconds=120)
        status, _body = fetch(f"http://127.0.0.1:{port}/api/contents?token=t")
        assert status == 200
        process.send_signal(signal.SIGINT)  # once: no "Shut down this Jupyter server (y/[n])?" to answer
        output, _ = process.communicate(timeout=30)
        assert process.returncode == 0, output
        return output

    said = lab()
    assert f"JupyterLab on {folder}" in said
    assert sorted(p.name for p in folder.iterdir()) == ["reflect-en.ipynb", "reflect-fr.ipynb", "reflect.ipynb"]
    # The trainer's copy, never the installed file; and an edited copy is the trainer's to keep.
    assert (folder / "reflect.ipynb").read_bytes() == (resources.NOTEBOOKS / "reflect.ipynb").read_bytes()
    (folder / "reflect.ipynb").write_text('{"cells": [], "mine": true}')
    lab()
    assert (folder / "reflect.ipynb").read_text() == '{"cells": [], "mine": true}'
