"""What a browser can reach: only the app's pages and static files, nothing from other hosts, no injected script."""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest
from joining import open_team_page
from playwright.sync_api import expect
from processes import listening_on
from servers import fetch

EVIL_NAME = '<img src=x onerror="window.__pwned=1;alert(1)">'
EVIL_TEXT = "<script>window.__pwned=2</script><b onmouseover=alert(2)>vet</b>"


@pytest.mark.parametrize(
    "path",
    [
        "/voila/files/../pyproject.toml",
        "/voila/files/%2e%2e/pyproject.toml",
        "/voila/files/%2e%2e/%2e%2e/.git/config",
        "/voila/files/team.ipynb",
        "/voila/files/.hidden",
        "/voila/render/../motives/store.py",
        "/voila/render/%2e%2e/motives/store.py",
        "/voila/static/../../../pyproject.toml",
        "/voila/static/%2e%2e/%2e%2e/pyproject.toml",
        "/voila/templates/lab/static/../../../../../../pyproject.toml",
        "/.git/config",
        "/pyproject.toml",
        "/files/pyproject.toml",
        "/api/contents",
        "/api/kernels",
        "/api/sessions",
        "/notebooks/team.ipynb",
    ],
)
def test_nothing_but_the_app_is_served(server, path):
    status, body = fetch(server.base + path)
    refused = {302, 400, 403, 404, 405}
    if path.startswith("/voila/templates/"):
        # Voilà's template-static handler refuses a path outside its folder by failing its own
        # check: a bare 500 page, no traceback and no file (seen with voila 0.5.13).
        refused.add(500)
    assert status in refused, status
    for secret in ("[project]", "[core]", "import sqlalchemy", '"cells"', "SQLite format"):
        assert secret not in body


def test_the_store_file_is_not_served(server):
    for path in (f"/voila/files/{server.db}", f"/voila/files/{quote(str(server.db), safe='')}", f"/files{server.db}"):
        status, body = fetch(server.base + path)
        assert status in (403, 404) and "SQLite format" not in body


def test_an_unknown_page_shows_no_traceback(server):
    status, body = fetch(server.base + "/voila/render/nope.ipynb")
    assert status == 404 and "Traceback" not in body and 'File "' not in body


def test_no_page_asks_anything_of_another_host(server, workshop, new_page):
    """Every page fully loaded, widgets and all: the trainer's home, the code form, a worksheet that
    joins and ticks, the dashboard with five teams' answers and the revealed comparison on a team page."""
    elsewhere = []

    def watched():
        page = new_page()
        page.on(
            "request",
            lambda request: (
                elsewhere.append(request.url) if not request.url.startswith((server.base, "data:", "blob:")) else None
            ),
        )
        return page

    start = watched()  # on the laptop itself: the trainer's home, with its QR code and the editor's preview
    start.goto(f"{server.base}/")
    expect(start.get_by_role("heading", name="Mijn workshops")).to_be_visible(timeout=60_000)
    start.get_by_role("button", name="Voorbeeld zoals de teams het zien").click()
    expect(start.get_by_text("Voorbeeld: zo ziet een team het werkblad")).to_be_visible()
    form = watched()
    form.goto(f"{server.base}/voila/render/team.ipynb")
    expect(form.get_by_role("textbox", name="Sessiecode")).to_be_visible(timeout=60_000)
    team = watched()
    open_team_page(team, f"{server.base}/voila/render/team.ipynb?session={workshop['code']}&team=Nieuw")
    team.get_by_role("checkbox", name="Beter voorkomen dan genezen.", exact=True).check()
    expect(team.locator(".motives-save-status")).to_contain_text("Bewaard om")
    board = watched()
    board.goto(f"{server.base}{workshop['dashboard_path']}")
    expect(board.get_by_text("Meegedaan: 6 · Geantwoord: 6")).to_be_visible(timeout=60_000)
    for tab in ("Vergelijking", "Balans", "Eigen motieven"):
        board.get_by_role("tab", name=tab).click()
    expect(board.locator(".motives-heatmap")).to_contain_text("Straathoekwerk")
    board.get_by_role("button", name="Toon vergelijking aan de teams").click()
    expect(team.get_by_role("heading", name="Wat alle teams kozen")).to_be_visible(timeout=10_000)
    expect(team.locator(".motives-revealed-view")).to_contain_text("Straathoekwerk")
    for page in (start, form, team, board):
        page.wait_for_load_state("networkidle")
    assert elsewhere == []


def test_markup_typed_by_a_team_never_runs_anywhere(server, new_page):
    session = server.new_session("Onveilig")
    dialogs = []
    team = new_page()
    team.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    open_team_page(team, f"{server.base}/voila/render/team.ipynb?session={session['code']}&team={quote(EVIL_NAME)}")
    expect(team.get_by_role("heading", name=EVIL_NAME)).to_be_visible(timeout=60_000)
    column = team.locator(".motives-side-for")
    column.get_by_role("textbox", name="Nieuw motief").fill(EVIL_TEXT)
    column.get_by_role("button", name="Toevoegen").click()
    expect(column.locator(".motives-own textarea")).to_have_value(EVIL_TEXT)
    team.get_by_role("textbox", name="Korte toelichting").fill(EVIL_TEXT)
    board = new_page()
    board.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    board.goto(f"{server.base}{session['dashboard_path']}")
    expect(board.get_by_text("Meegedaan: 1 · Geantwoord: 1")).to_be_visible(timeout=60_000)
    board.get_by_role("button", name="Toon vergelijking aan de teams").click()
    for tab in ("Gespreksstof", "Vergelijking", "Balans", "Eigen motieven"):
        board.get_by_role("tab", name=tab).click()
        board.mouse.move(300, 500)
    expect(board.locator(".motives-dashboard")).to_contain_text(EVIL_TEXT)  # shown as the text it is
    expect(team.get_by_role("heading", name="Wat alle teams kozen")).to_be_visible(timeout=6_000)
    expect(team.locator(".motives-revealed-view")).to_contain_text(EVIL_TEXT)
    for page in (team, board):
        assert page.evaluate("() => window.__pwned") is None
        assert page.locator("b:has-text('vet'), img[src='x']").count() == 0
    assert dialogs == []
    assert re.search(r"&lt;script&gt;", board.locator(".motives-dashboard").inner_html())


def test_the_server_listens_on_this_laptop_only_by_default(server):
    port = server.base.rsplit(":", 1)[1]
    assert listening_on(port) == [f"127.0.0.1:{port}"]


def test_the_trainer_key_leaves_the_address_bar_and_a_reload_keeps_the_dashboard(server, new_page):
    session = server.new_session("Projector")
    board = new_page()
    board.goto(f"{server.base}{session['dashboard_path']}")
    expect(board.get_by_role("heading", name=re.compile("Overzicht voor de trainer"))).to_be_visible(timeout=60_000)
    assert "key=" not in board.url and session["trainer_key"] not in board.url
    assert board.url.endswith(f"/voila/render/dashboard.ipynb?session={session['code']}")
    board.reload()  # the tab remembers the key for itself (sessionStorage), the address bar never shows it
    expect(board.get_by_role("heading", name=re.compile("Overzicht voor de trainer"))).to_be_visible(timeout=60_000)
    assert "key=" not in board.url
    other = new_page()  # another tab, or someone else's browser: the address alone opens nothing
    other.goto(board.url)
    expect(other.get_by_text("Deze pagina is voor de trainer.")).to_be_visible(timeout=60_000)
