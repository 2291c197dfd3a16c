"""Files from the dashboard, downloaded by the browser: the report opens offline and prints on A4."""

from __future__ import annotations

import json
import re

from pictures import picture_path
from playwright.sync_api import expect


def test_the_trainer_downloads_the_report_and_the_archive(server, workshop, new_page, screenshot, tmp_path):
    board = new_page()
    board.goto(f"{server.base}{workshop['dashboard_path']}")
    expect(board.get_by_text("Meegedaan: 5 · Geantwoord: 5")).to_be_visible(timeout=60_000)
    board.get_by_role("tab", name="Exporteren").click()

    board.get_by_role("button", name="Volledige sessie (JSON, voor motives import)").click()
    with board.expect_download() as download:
        board.get_by_role("link", name=re.compile(r"Download motives-\w+-archive\.json")).click()
    archive = json.loads(download.value.path().read_text(encoding="utf-8"))
    assert archive["format"] == "motives-archive" and len(archive["teams"]) == 5

    board.get_by_role("button", name="Verslag (HTML, afdrukbaar)").click()
    with board.expect_download() as download:
        board.get_by_role("link", name=re.compile(r"Download motives-\w+-report\.html")).click()
    assert download.value.suggested_filename == f"motives-{workshop['code']}-report.html"
    path = tmp_path / download.value.suggested_filename
    download.value.save_as(path)

    # Opened as a file, the report asks nothing of any server: it is self-contained.
    report = new_page(width=900, height=1200)
    requests = []
    report.on("request", lambda request: requests.append(request.url))
    report.goto(f"file://{path}")
    expect(report.get_by_role("heading", name="Een eerste stap naar beleid")).to_be_visible()
    expect(report.get_by_role("img", name=re.compile("Staafdiagram"))).to_be_visible()
    assert [url for url in requests if not url.startswith(("file:", "data:"))] == []
    screenshot(report, "report-screen")
    pdf = picture_path("report.pdf")
    report.pdf(path=str(pdf), format="A4", print_background=True)
    assert pdf.read_bytes()[:5] == b"%PDF-" and pdf.stat().st_size > 20_000
