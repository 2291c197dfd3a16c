"""The documents a trainer prints, printed as Chromium prints them to PDF on A4, and read back page by page.

The report starts with what matters (the session, its teams, what they concluded, the conversation); a
handout is one page per team; the paper worksheet is one page with circles a pen can fill; no page holds
only a title or the source's credit, and nothing is cut off at the right edge. Checked at five teams and at
forty, in Dutch and French (the longer language).
"""

from __future__ import annotations

import io
import random
import re
import unicodedata

import pypdf
import pytest
from joining import FIVE_TEAMS, answer_five_teams

from motives import report
from motives.catalogue import default_catalogue
from motives.store import Store

CATALOGUE = default_catalogue()
MM = 96 / 25.4  # CSS pixels per millimetre


OWN_MOTIVES = [
    "Nos jeunes nous écrivent le soir sur Instagram",
    "Les parents demandent ce que nous publions",
    "Un collègue a partagé une photo d'un usager",
    "La direction veut une ligne claire avant l'été",
    "Nous ne savons pas qui répond aux commentaires",
    "Les stagiaires utilisent leur propre téléphone",
    "Le conseil d'administration pose des questions",
    "Notre page Facebook est gérée par un bénévole",
    "Les usagers nous envoient des demandes d'amitié",
    "Le service communication est débordé",
    "Une plainte est arrivée par Messenger",
]


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    store = Store(tmp_path_factory.mktemp("printing") / "motives.db")
    yield store
    store.close()


def five_teams(store, language: str):
    session = store.create_session("Workshop Gent", CATALOGUE, language)
    answer_five_teams(store, session)
    store.add_own_motive(store.find_team(session, "Jeugdwerk"), "for", "Jongeren sturen ons 's avonds berichten", 5)
    store.add_own_motive(store.find_team(session, "Buurtwerk"), "against", "Beleid op papier verandert weinig.", 2)
    return session


# What forty teams write themselves: a handful of ideas, each in a few phrasings (the report shows them by group).
FORTY_OWN = [
    ("for", "Jongeren sturen ons 's avonds berichten"),
    ("for", "Privacy van cliënten beschermen"),
    ("for", "bescherming privacy clienten"),
    ("for", "Imagoschade voorkomen"),
    ("for", "Schade aan het imago van de organisatie voorkomen"),
    ("against", "Geen tijd voor een beleid"),
    ("against", "We hebben geen tijd om een beleid uit te werken"),
    ("against", "Beleid op papier verandert weinig."),
]


def forty_teams(store, language: str):
    session = store.create_session("Grote groep", CATALOGUE, language)
    pick = random.Random(40)
    motives = [motive.id for motive in CATALOGUE.motives]
    for number in range(1, 41):
        team = store.join(session, f"Team {number:02d}")
        for motive_id in pick.sample(motives, 5):
            store.set_answer(team, motive_id, True, pick.randint(1, 5))
        side, text = pick.choice(FORTY_OWN)
        store.add_own_motive(team, side, text, 3)
        store.set_conclusion(team, pick.choice(["yes", "no", "not_yet"]), "Omdat het zo is. " * pick.randint(0, 3))
    return session


@pytest.fixture(scope="module")
def sessions(store):
    return {
        (size, language): make(store, language)
        for size, make in ((5, five_teams), (40, forty_teams))
        for language in ("nl", "fr")
    }


@pytest.fixture
def printer(browser):
    page = browser.new_page(viewport={"width": 794, "height": 1123})  # A4 at 96 dpi

    def print_pdf(html: str) -> pypdf.PdfReader:
        page.set_content(html)
        return pypdf.PdfReader(io.BytesIO(page.pdf(format="A4", print_background=True, prefer_css_page_size=True)))

    yield print_pdf, page
    page.close()


def words(page: pypdf.PageObject) -> list[str]:
    # NFKC: the PDF's "ﬁ" ligature is "fi" again.
    return unicodedata.normalize("NFKC", page.extract_text()).split()


def credit_words(session) -> set[str]:
    lines = [*session.catalogue.credit_lines(session.language), "Bron", "Source", "Bron:", "Source :"]
    return {word for line in lines for word in line.split()}


def substance(page: pypdf.PageObject, session, headings: list[str]) -> int:
    """How many words a page holds besides headings and the source's credit; a page with a chart counts as full."""
    if page.images:
        return 1_000
    skip = credit_words(session) | {word for heading in headings for word in heading.split()}
    return sum(1 for word in words(page) if word not in skip)


def headings_of(html: str) -> list[str]:
    return [re.sub(r"<[^>]+>", "", text) for text in re.findall(r"<h[1-3][^>]*>(.*?)</h[1-3]>", html)]


def nothing_past_the_right_edge(page) -> list[str]:
    """Elements wider than the printed page's text area (print media)."""
    page.emulate_media(media="print")
    return page.evaluate(
        """() => { const right = document.body.getBoundingClientRect().right + 1;
                   return [...document.querySelectorAll('table, img, .columns, .summary')]
                     .filter(e => e.getBoundingClientRect().right > right).map(e => e.outerHTML.slice(0, 80)); }"""
    )


@pytest.mark.parametrize("language", ["nl", "fr"])
# Forty teams: the comparison in parts of ten teams, and "who thinks alike" (its sentences; the matrix
# past ten teams is the overview's) take the French report to thirteen pages.
@pytest.mark.parametrize(("size", "most_pages"), [(5, 5), (40, 13)])
def test_the_report_starts_with_what_matters_and_no_page_holds_only_a_title_or_the_credit(
    store, sessions, printer, language, size, most_pages
):
    print_pdf, page = printer
    session = sessions[(size, language)]
    html = report.report_html(store.records(session))
    pdf = print_pdf(html)
    assert len(pdf.pages) <= most_pages
    first = " ".join(words(pdf.pages[0]))
    teams_word, conclusions_word, talk = {
        "nl": ("Teams", "Besluiten", "Wat de teams delen en wat hen verdeelt"),
        "fr": ("Équipes", "Décisions", "Ce que les équipes partagent et ce qui les divise"),
    }[language]
    assert f"{teams_word} ({size})" in first and conclusions_word in first and talk in first
    if size == 5:
        assert ", ".join(FIVE_TEAMS) in first  # every team by name, on the first page
    assert len(words(pdf.pages[0])) >= 300  # the first page is full, not a title above an empty category
    thin = [number for number, p in enumerate(pdf.pages, 1) if substance(p, session, headings_of(html)) < 15]
    assert thin == []
    assert nothing_past_the_right_edge(page) == []


@pytest.mark.parametrize("language", ["nl", "fr"])
@pytest.mark.parametrize("size", [5, 40])
def test_a_handout_is_one_a4_page_per_team(store, sessions, printer, language, size):
    print_pdf, page = printer
    session = sessions[(size, language)]
    html = report.handouts_html(store.records(session))
    pdf = print_pdf(html)
    names = [team.name for team in store.records(session).teams]
    assert len(pdf.pages) == size
    assert [words(p)[: len(name.split())] for p, name in zip(pdf.pages, names, strict=True)] == [
        n.split() for n in names
    ]
    thin = [number for number, p in enumerate(pdf.pages, 1) if substance(p, session, headings_of(html)) < 60]
    assert thin == []
    assert nothing_past_the_right_edge(page) == []


def test_a_team_that_chose_the_whole_worksheet_still_gets_one_page_and_past_it_is_told_why_not(store, printer):
    print_pdf, _page = printer
    session = store.create_session("Alles gekozen", CATALOGUE, "fr")
    everything, more = store.join(session, "Tout coché"), store.join(session, "Encore plus")
    for team in (everything, more):
        for motive in CATALOGUE.motives:
            store.set_answer(team, motive.id, True, 5)
    for number in range(report.HANDOUT_OWN):
        store.add_own_motive(everything, "for", OWN_MOTIVES[number], 4)
    for number in range(report.HANDOUT_OWN + 6):
        store.add_own_motive(more, "against", OWN_MOTIVES[number], 3)
    html = report.handouts_html(store.records(session))
    pdf = print_pdf(html)
    pages = [" ".join(words(p)) for p in pdf.pages]
    assert pages[0].startswith("Tout coché") and pages[1].startswith("Encore plus")  # the whole worksheet: one page
    room = len(CATALOGUE.motives) + report.HANDOUT_OWN
    chosen = len(CATALOGUE.motives) + report.HANDOUT_OWN + 6
    assert f"Vous avez choisi {chosen} motifs, plus que les {room} qui tiennent sur une feuille" in pages[1]
    assert len(pdf.pages) == 3


@pytest.mark.parametrize("language", ["nl", "fr", "en"])
def test_the_paper_worksheet_is_one_page_with_circles_a_pen_can_fill(store, printer, language):
    print_pdf, page = printer
    session = store.create_session("Op papier", CATALOGUE, language)
    html = report.worksheet_html(session)
    pdf = print_pdf(html)
    assert len(pdf.pages) == 1  # own-motive lines, the conclusion and the credit on the same page
    text = " ".join(words(pdf.pages[0]))
    joined = text.replace("- ", "-")  # a line broken after "eux-" reads back as "eux- mêmes"
    assert all(" ".join(motive.text(language).split()).replace("- ", "-") in joined for motive in CATALOGUE.motives)
    assert nothing_past_the_right_edge(page) == []
    circles = page.evaluate(
        "() => [...document.querySelectorAll('.circle')].map(c => c.getBoundingClientRect()).map(r => [r.width, r.height])"
    )
    assert len(circles) == 5 * (len(CATALOGUE.motives) + 2 * report.WORKSHEET_OWN)
    assert min(min(size) for size in circles) >= 8 * MM
    # Each side's own-motive rows are in that side's table, after its motives: they stay with their column.
    rows = page.evaluate(
        "() => [...document.querySelectorAll('table.sheet')].map(t => [...t.rows].map(r => r.className))"
    )
    assert rows == [[""] * len(CATALOGUE.side(side)) + ["own"] * report.WORKSHEET_OWN for side in ("against", "for")]
    sheet = {"nl": "Geef het daarna aan de trainer", "fr": "Remettez-la ensuite au formateur", "en": "Then give it"}
    assert sheet[language] in text
