"""Files from the dashboard, downloaded by the browser: the report opens offline and prints on A4."""

from __future__ import annotations

import json
import math
import re

import docx
from pictures import picture_path
from playwright.sync_api import expect


def test_the_trainer_downloads_the_report_and_the_archive(server, workshop, new_page, screenshot, tmp_path):
    board = new_page()
    board.goto(f"{server.base}{workshop['dashboard_path']}")
    expect(board.get_by_text("Meegedaan: 5 · Geantwoord: 5")).to_be_visible(timeout=60_000)
    board.get_by_role("tab", name="Exporteren").click()

    # One click per file: the link is the file, made by the server when the browser asks for it.
    with board.expect_download() as download:
        board.get_by_role("link", name="Back-up van de hele sessie (om terug te zetten)").click()
    assert download.value.suggested_filename == f"motieven-{workshop['code']}-archief.json"
    archive = json.loads(download.value.path().read_text(encoding="utf-8"))
    assert archive["format"] == "motives-archive" and len(archive["teams"]) == 5

    with board.expect_download() as download:
        board.get_by_role("link", name="Beleidsaanzet om verder te schrijven (Word)").click()
    assert download.value.suggested_filename == f"motieven-{workshop['code']}-beleidsaanzet.docx"
    draft = docx.Document(download.value.path())
    assert draft.paragraphs[0].text == "Een eerste stap naar beleid" and len(draft.tables) == 3

    with board.expect_download() as download:
        board.get_by_role("link", name="Verslag om af te drukken of te mailen").click()
    assert download.value.suggested_filename == f"motieven-{workshop['code']}-verslag.html"
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

    # Printed as a browser prints it, on the report's own page rule: the test asks for Letter, and the
    # report's `@page { size: A4 }` wins, so every page is A4 (595 × 842 points).
    assert "@page { size: A4;" in path.read_text(encoding="utf-8")
    pdf = picture_path("report.pdf")
    report.pdf(path=str(pdf), format="Letter", prefer_css_page_size=True, print_background=True)
    data = pdf.read_bytes()
    boxes = [(float(w), float(h)) for w, h in re.findall(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", data)]
    assert boxes and all(abs(w - 595.3) < 2 and abs(h - 841.9) < 2 for w, h in boxes), boxes
    # As many pages as the content needs: its printed height over a page's (A4 less the margins, at 96 px
    # an inch), and at most two more where a table or a chart moved whole to the next page.
    report.emulate_media(media="print")
    report.set_viewport_size({"width": round((210 - 28) / 25.4 * 96), "height": 1000})
    height = report.evaluate("document.documentElement.scrollHeight")
    needed = math.ceil(height / ((297 - 32) / 25.4 * 96))
    assert needed >= 2 and needed <= len(boxes) <= needed + 2, (height, needed, len(boxes))
