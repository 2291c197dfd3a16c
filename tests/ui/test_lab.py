"""The trainer's notebooks in a real JupyterLab, started by ``make lab``'s own command, in Chromium.

The reflection notebook runs from top to bottom on a store with two demo sessions,
shows its tables and charts and no error; the team and dashboard notebooks open
and show their forms; and nothing is asked of any host but this laptop.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from pictures import picture_path
from playwright.sync_api import expect
from processes import free_port, listening_on, motives
from servers import ROOT, stop_server

from motives.store import Store

EVIL = "<b>vet</b> en <img src=x onerror=window.__pwned=1>"


@dataclass
class Lab:
    base: str
    token: str
    output: Path


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    folder = tmp_path_factory.mktemp("lab")
    db = folder / "motives.db"
    for language in ("nl", "en"):
        motives("demo", "--lang", language, db=db)
    store = Store(db)
    try:
        for summary in store.sessions():
            team = store.join(store.session(summary.code), "Markup")
            store.add_own_motive(team, "for", EVIL, 4)
    finally:
        store.close()
    port = free_port()
    # Jupyter's own folders in the temporary place: no settings or workspaces of the person running the tests.
    jupyter = {
        name: str(folder / name.lower())
        for name in (
            "JUPYTER_CONFIG_DIR",
            "JUPYTER_RUNTIME_DIR",
            "JUPYTERLAB_SETTINGS_DIR",
            "JUPYTERLAB_WORKSPACES_DIR",
        )
    }
    # Every cell laid out, also those scrolled away (JupyterLab skips their layout by default), so that
    # the test can look at each output.
    tracker = Path(jupyter["JUPYTERLAB_SETTINGS_DIR"]) / "@jupyterlab" / "notebook-extension"
    tracker.mkdir(parents=True)
    (tracker / "tracker.jupyterlab-settings").write_text(json.dumps({"windowingMode": "none"}))
    # Never save the run notebooks (with their outputs) back into the repository.
    docmanager = Path(jupyter["JUPYTERLAB_SETTINGS_DIR"]) / "@jupyterlab" / "docmanager-extension"
    docmanager.mkdir(parents=True)
    (docmanager / "plugin.jupyterlab-settings").write_text(json.dumps({"autosave": False}))
    env = {**os.environ, **jupyter, "MOTIVES_DB": str(db), "MOTIVES_OUTPUT": str(folder)}
    env.pop("JUPYTER_TOKEN", None)
    log = folder / "lab.log"
    with log.open("w") as out:
        # make lab's very command; -o: use the .venv as it is, never reinstall in the middle of a test.
        process = subprocess.Popen(
            ["make", "-s", "-o", ".venv/.installed-run", "lab", f"LAB_PORT={port}"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    token = None
    while token is None:
        found = re.search(rf"{re.escape(base)}/lab\?token=(\w+)", log.read_text())
        if found:
            token = found.group(1)
        elif process.poll() is not None or time.monotonic() > deadline:
            os.killpg(process.pid, signal.SIGKILL)
            pytest.fail(f"make lab did not start:\n{log.read_text()}", pytrace=False)
        else:
            time.sleep(0.5)
    yield Lab(base, token, folder)
    stop_server(process)


def get_json(url: str) -> object:
    with urllib.request.urlopen(url, timeout=20) as response:
        return json.load(response)


def open_notebook(new_page, lab: Lab, name: str, elsewhere: list[str]):
    page = new_page(1280, 900)
    page.set_default_timeout(60_000)
    page.on(
        "request",
        lambda request: (
            elsewhere.append(request.url) if not request.url.startswith((lab.base, "data:", "blob:")) else None
        ),
    )
    # ?reset: a fresh workspace, not the tabs an earlier test left open on the server.
    page.goto(f"{lab.base}/lab/tree/{name}?reset&token={lab.token}")
    notebook = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden):has(.jp-Notebook) >> nth=0")
    expect(page.get_by_role("tab", name=name).first).to_be_visible(timeout=120_000)
    expect(notebook.locator(".jp-Cell").first).to_be_visible(timeout=120_000)
    # The kernel is ready when the toolbar says so ("Idle").
    expect(notebook.locator(".jp-Notebook-ExecutionIndicator[data-status='idle']")).to_be_attached(timeout=120_000)
    expect(page.get_by_text("Python 3 (ipykernel) | Idle")).to_be_visible(timeout=120_000)
    count = notebook.locator(".jp-CodeCell").count()

    def prompts() -> list[str]:
        return [p.strip() for p in notebook.locator(".jp-CodeCell .jp-InputArea-prompt").all_text_contents()]

    deadline = time.monotonic() + 300
    while True:
        # A Run All given while the kernel's connection is still settling is sometimes lost: give it again
        # as long as no cell has started.
        if all(p == "[ ]:" for p in prompts()):
            page.get_by_role("menuitem", name="Run", exact=True).click()
            page.get_by_role("menuitem", name="Run All Cells", exact=True).click()
            page.wait_for_timeout(5_000)
        shown = prompts()
        if len(shown) == count and all(re.fullmatch(r"\[\d+\]:", p) for p in shown):
            return page, notebook
        assert time.monotonic() < deadline, f"the notebook did not finish running: {shown}"
        page.wait_for_timeout(500)


def errors(notebook) -> list[str]:
    return notebook.locator(
        ".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']"
    ).all_text_contents()


def shoot(locator, name: str) -> None:
    """One output as a person sees it (JupyterLab scrolls inside its panel, so one output at a time)."""
    locator.scroll_into_view_if_needed()
    locator.screenshot(path=str(picture_path(f"{name}.png")))


def test_the_reflection_notebook_runs_in_jupyterlab_and_shows_its_tables_and_charts(lab, new_page):
    elsewhere: list[str] = []
    page, notebook = open_notebook(new_page, lab, "reflect.ipynb", elsewhere)
    outputs = notebook.locator(".jp-OutputArea")
    assert errors(notebook) == []
    expect(outputs.get_by_text("2 sessies", exact=False).first).to_be_attached()
    picker = notebook.locator(".jp-OutputArea .widget-select-multiple select")
    picker.scroll_into_view_if_needed()
    expect(picker).to_be_visible()
    assert picker.locator("option").count() == 2
    assert len(picker.evaluate("s => [...s.selectedOptions].map(o => o.value)")) == 2  # all by default
    charts = notebook.locator(".jp-OutputArea .jp-RenderedImage img")
    expect(charts).to_have_count(2)
    for chart in charts.all():
        chart.scroll_into_view_if_needed()
        assert chart.evaluate("img => img.naturalWidth") > 300
    tables = notebook.locator(".jp-OutputArea .jp-RenderedHTMLCommon table")
    assert tables.count() >= 4
    expect(tables.first).to_contain_text("Gemiddeld belang")
    # A team's own motive is shown as the text it is, never as markup.
    expect(outputs.get_by_text(EVIL, exact=False).first).to_be_attached()
    assert outputs.locator("b:has-text('vet'), img[src='x']").count() == 0
    assert page.evaluate("() => window.__pwned") is None
    assert (lab.output / "volgend-werkblad.toml").is_file()
    shoot(picker, "lab-reflect-1-picker")
    shoot(tables.first, "lab-reflect-2-table")
    shoot(charts.nth(0), "lab-reflect-3-motives-chart")
    shoot(tables.nth(2), "lab-reflect-4-own-motives")
    shoot(charts.nth(1), "lab-reflect-5-conclusions-chart")
    # No toast asks the trainer whether to fetch Jupyter news: the question covered the charts.
    expect(page.get_by_text("Jupyter news", exact=False)).to_have_count(0)
    assert elsewhere == []


@pytest.mark.parametrize(
    ("name", "said"), [("reflect-en.ipynb", "Mean importance"), ("reflect-fr.ipynb", "Importance moyenne")]
)
def test_the_english_and_french_twins_run_too(lab, new_page, name, said):
    elsewhere: list[str] = []
    _page, notebook = open_notebook(new_page, lab, name, elsewhere)
    assert errors(notebook) == []
    charts = notebook.locator(".jp-OutputArea .jp-RenderedImage img")
    expect(charts).to_have_count(2)
    expect(notebook.get_by_text("2 sessions", exact=False).first).to_be_attached()
    expect(notebook.locator(".jp-OutputArea .jp-RenderedHTMLCommon table").first).to_contain_text(said)
    shoot(charts.nth(0), f"lab-{name.removesuffix('.ipynb')}-motives-chart")
    assert elsewhere == []


@pytest.mark.parametrize("name", ["team.ipynb", "dashboard.ipynb"])
def test_the_team_and_dashboard_notebooks_show_their_forms_in_jupyterlab(lab, new_page, screenshot, name):
    elsewhere: list[str] = []
    page, notebook = open_notebook(new_page, lab, name, elsewhere)
    assert errors(notebook) == []
    form = notebook.locator(".jp-OutputArea .widget-text input, .jp-OutputArea .widget-password input")
    form.first.scroll_into_view_if_needed()
    expect(form.first).to_be_visible()
    expect(notebook.locator(".jp-OutputArea button").first).to_be_attached()
    screenshot(page, f"lab-{name.removesuffix('.ipynb')}")
    assert elsewhere == []


def test_jupyterlab_asks_nothing_of_the_internet_and_wants_its_token(lab):
    with urllib.request.urlopen(f"{lab.base}/lab?token={lab.token}", timeout=20) as response:
        page = response.read().decode()
    config = json.loads(re.search(r'id="jupyter-config-data"[^>]*>(.*?)</script>', page, re.S).group(1))
    assert "@jupyterlab/apputils-extension:announcements" in config["disabledExtensions"]
    assert get_json(f"{lab.base}/lab/api/news?token={lab.token}") == {"news": []}
    assert get_json(f"{lab.base}/lab/api/update?token={lab.token}") == {"notification": None}
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(f"{lab.base}/api/contents", timeout=20)
    assert refused.value.code == 403
    port = lab.base.rsplit(":", 1)[1]
    assert listening_on(port) == [f"127.0.0.1:{port}"]


@pytest.mark.parametrize("name", ["reflect.ipynb", "reflect-en.ipynb", "reflect-fr.ipynb"])
def test_the_served_pages_never_show_the_reflection(server, workshop, new_page, name):
    """The reflection reads every session: motives serve renders only the app's pages, so it is not found there."""
    page = new_page()
    response = page.goto(f"{server.base}/voila/render/{name}")
    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", name="Niet gevonden · Not found · Introuvable")).to_be_visible()
    shown = page.locator("body").inner_text()
    for secret in ("Plenaire sessie", "Jeugdwerk", workshop["code"], "Jongeren sturen"):
        assert secret not in shown
    assert page.locator("img, select").count() == 0


def test_the_home_opens_the_reflection_notebooks_in_jupyterlab_without_a_terminal(tmp_path, monkeypatch):
    """A click on the laptop's home starts motives lab on the same store, with a token of its own, on this
    laptop only; a second click finds it running. A browser elsewhere (the trainer password on a server)
    gets no such button."""
    from motives.request import Request
    from motives.settings import Settings
    from motives.widgets.home import TrainerHome

    db = tmp_path / "m.db"
    motives("demo", db=db)
    # The lab's folder of notebooks: the trainer's own, here the test's (never the real Documents folder).
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.delenv("XDG_DATA_HOME", raising=False)  # where it notes its lab: under this HOME
    # What the home's kernel holds under motives serve, for its own request and server: none of it may reach
    # the lab (its notebooks would believe they are a served page, or call the team pages' store service).
    served = {
        "VOILA_KERNEL_ID": "k",
        "VOILA_REQUEST_URL": "http://127.0.0.1:8866/voila/render/home.ipynb",
        "QUERY_STRING": "lang=nl",
        "SCRIPT_NAME": "/voila/render/home.ipynb",
        "HTTP_X_MOTIVES_CLIENT": "127.0.0.1",
        "MOTIVES_STORE_SERVICE": "127.0.0.1:1",
        "MOTIVES_STORE_TOKEN": "secret",
        "MOTIVES_FILES_PATH": "/motives/files",
    }
    for name, value in served.items():
        monkeypatch.setenv(name, value)
    store = Store(db)
    home = TrainerHome(Request(client="127.0.0.1"), store=store, settings=Settings(db=f"sqlite:///{db}"))
    try:
        home.reflection.open_button.click()
        lab = home.lab
        assert lab is not None and lab.running()
        assert home.reflection.status.value.startswith(
            '<p class="motives-ok" role="status">JupyterLab draait op deze laptop.'
        )
        (url,) = re.findall(r'href="([^"]+)"', home.reflection.link.value)
        assert url == lab.url and re.fullmatch(r"http://127\.0\.0\.1:\d+/lab\?token=[\w-]{32}", url)
        with urllib.request.urlopen(url, timeout=30) as response:
            assert response.status == 200 and "jupyter-config-data" in response.read().decode()
        base = url.split("/lab?")[0]
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(f"{base}/api/contents", timeout=20)  # no token, nothing
        assert refused.value.code == 403
        contents = get_json(f"{base}/api/contents?token={url.rsplit('=', 1)[1]}")
        assert {"reflect.ipynb", "reflect-en.ipynb", "reflect-fr.ipynb"} <= {
            item["name"] for item in contents["content"]
        }
        assert listening_on(base.rsplit(":", 1)[1]) == [base.removeprefix("http://")]
        environ = dict(
            entry.split("=", 1)
            for entry in Path(f"/proc/{lab.process.pid}/environ").read_bytes().decode().split("\0")
            if "=" in entry
        )
        assert [name for name in served if name in environ] == []
        assert environ["MOTIVES_DB"] == f"sqlite:///{db}"
        home.reflection.open_button.click()  # found running: the same lab
        assert home.lab is lab
        # The home reloaded (a kernel of its own) finds the lab that runs, and starts no other.
        reloaded = TrainerHome(Request(client="127.0.0.1"), store=store, settings=Settings(db=f"sqlite:///{db}"))
        reloaded.reflection.open_button.click()
        assert (reloaded.lab.url, reloaded.lab.pid) == (lab.url, lab.pid)
        assert oct((tmp_path / ".local/share/motives/lab.json").stat().st_mode & 0o777) == "0o600"
        elsewhere = TrainerHome(Request(client="192.0.2.7", trainer=True), store=store)
        assert elsewhere.reflection is None
    finally:
        if home.lab is not None:
            home.lab.stop()
        store.close()
