"""Every word on screen in the session's language: team page and dashboard in Dutch, English and French.

For each language a session with one team that has answered is opened as a team and as the
trainer. Nothing the page shows (its text, its tooltips and accessible names, Voilà's loading
text, the tab's title) may hold a word from the other languages' lists below; ``<html lang>``
names the language; decimals are written as the language writes them; axe-core stays clean.
"""

from __future__ import annotations

import re

import pytest
from joining import choose_tab, open_team_page, own_link
from playwright.sync_api import Page, expect

from motives.i18n import message
from motives.store import Store

# Words each language's UI uses and the others never do (a word in two languages is in neither list).
# The source credit names its works by their own (Dutch) titles in every language: no word of those here.
WORDS = {
    "nl": [
        "Belang",
        "Toevoegen",
        "Verwijderen",
        "Bewaard",
        "Jullie",
        "Besluit",
        "Toelichting",
        "Gespreksstof",
        "Vergelijking",
        "Balans",
        "Sessie",
        "Overzicht",
        "Projectorscherm",
        "Vergrendel",
        "Exporteren",
        "Meegedaan",
        "Geantwoord",
        "Doe mee",
        "beleid",
        "Eigen motieven",
        "Motieven",
        "werkblad",
        "Nog niet",
        "Bron",
        "geladen",
        "Gemiddeld",
        "Kant",
        "Herkomst",
        "Even geduld",
    ],
    "en": [
        "Own motives",
        "Add",
        "Remove",
        "Saved",
        "Your",
        "conclusion",
        "Short explanation",
        "To talk about",
        "Comparison",
        "Balance",
        "Projector",
        "Lock",
        "Join",
        "Joined",
        "Answered",
        "Manage",
        "Whole group",
        "Mean",
        "worksheet",
        "Loading",
        "loading",
        "Running",
        "Executing",
        "Reading",
        "Motives",
        "policy",
        "Not yet",
        "Yes",
        "Side",
        "Origin",
        "Overview",
        "Paused",
        "One moment",
    ],
    "fr": [
        "Motifs",
        "motifs",
        "Ajouter",
        "Supprimer",
        "Enregistré",
        "Votre",
        "Vos",
        "décision",
        "Brève",
        "discuter",
        "Comparaison",
        "Bilan",
        "Projecteur",
        "Verrouiller",
        "Rejoindre",
        "Équipe",
        "équipe",
        "équipes",
        "formateur",
        "Exporter",
        "Chargement",
        "politique",
        "Oui",
        "Pas encore",
        "Côté",
        "Origine",
        "Vue d'ensemble",
        "moyenne",
        "Traduction",
        "En direct",
        "Un instant",
    ],
}
LANGUAGES = tuple(WORDS)
# The page's own words while Voilà starts the kernel (templates/motives/index.html.j2).
LOADING = {
    "nl": "Even geduld, de pagina wordt geladen…",
    "en": "One moment, the page is loading…",
    "fr": "Un instant, la page se charge…",
}
TEAM = {"nl": "Noord", "en": "North", "fr": "Nord"}
OWN = {
    "nl": "Jongeren sturen ons 's avonds berichten",
    "en": "Young people message us at night",
    "fr": "Les jeunes nous écrivent le soir",
}
# One team gave the worksheet's "prevention" motive importance 4 and 'organisation responsible' 3.
MEAN = {"nl": "4,0", "en": "4.0", "fr": "4,0"}

# Everything Voilà's loading screen said, from the first byte of the page on.
RECORD_LOADING = """
window.motivesLoadingSeen = [];
new MutationObserver(() => {
  const text = document.getElementById('loading_text');
  const seen = window.motivesLoadingSeen;
  if (text && text.textContent && seen[seen.length - 1] !== text.textContent) { seen.push(text.textContent); }
}).observe(document, { childList: true, subtree: true, characterData: true });
"""

SHOWN = """() => [
  document.body.innerText,
  ...[...document.querySelectorAll('[title], [aria-label], [placeholder], [alt]')].map(e =>
    [e.getAttribute('title'), e.getAttribute('aria-label'), e.getAttribute('placeholder'), e.getAttribute('alt')]
      .filter(Boolean).join(' ')),
].join('\\n')"""


def foreign_words(text: str, language: str) -> list[str]:
    """The words of the other languages' lists that ``text`` holds."""
    return [
        word
        for other in LANGUAGES
        if other != language
        for word in WORDS[other]
        if re.search(rf"(?<!\w){re.escape(word)}(?!\w)", text)
    ]


def session_in(server, language: str) -> dict:
    session = server.new_session("Gent 2026", lang=language)
    store = Store(server.db)
    try:
        s = store.session(session["code"])
        team = store.join(s, TEAM[language])
        store.set_answer(team, "for-prevention", True, 4)
        store.set_answer(team, "for-organisation-responsible", True, 3)
        store.add_own_motive(team, "for", OWN[language], 5)
        store.set_conclusion(team, "not_yet", OWN[language])
    finally:
        store.close()
    return session


def check_language(page: Page, language: str, title: str, where: str) -> None:
    expect(page).to_have_title(title, timeout=10_000)
    assert page.evaluate("() => document.documentElement.lang") == language, where
    assert foreign_words(page.evaluate(SHOWN), language) == [], where
    seen = page.evaluate("() => window.motivesLoadingSeen")
    assert seen and set(seen) == {LOADING[language]}, (where, seen)


def test_the_word_lists_hold_no_word_of_their_own_languages_catalogue():
    """A sanity check on the lists: no word of one language is a word its own catalogue uses."""
    from babel.messages.pofile import read_po

    from motives.i18n import LOCALE_DIR

    for language in LANGUAGES:
        with (LOCALE_DIR / language / "LC_MESSAGES" / "motives.po").open("rb") as fh:
            own = "\n".join(m.string for m in read_po(fh) if m.id)
        assert foreign_words(own, language) == [], language


@pytest.mark.parametrize("language", LANGUAGES)
def test_team_page_and_dashboard_speak_only_the_sessions_language(server, new_page, axe, screenshot, language):
    session = session_in(server, language)
    code = session["code"]

    # A new team's first sight: the form that asks for its name.
    form = new_page()
    form.add_init_script(RECORD_LOADING)
    form.goto(f"{server.base}{session['team_path']}")
    expect(form.get_by_role("textbox", name=message(language, "team_name"))).to_be_visible(timeout=60_000)
    check_language(form, language, message(language, "page_join"), f"name form {language}")
    assert axe(form) == [], f"name form {language}"

    team = new_page()
    team.add_init_script(RECORD_LOADING)
    # The team's own link as the app gives it (on its page, on the dashboard): with `lang`.
    open_team_page(team, own_link(server, code, TEAM[language]))
    expect(team).to_have_url(re.compile(f"lang={language}" if language != "nl" else "teamkey="))
    expect(team.get_by_role("checkbox", name=re.compile(".")).first).to_be_visible()
    check_language(team, language, message(language, "page_team", team=TEAM[language]), f"team page {language}")
    assert axe(team) == [], f"team page {language}"
    screenshot(team, f"languages-team-{language}")

    board = new_page()
    board.add_init_script(RECORD_LOADING)
    board.goto(f"{server.base}{session['dashboard_path']}")
    heading = message(language, "dashboard_title")
    expect(board.get_by_role("heading", name=re.compile(re.escape(heading)))).to_be_visible(timeout=60_000)
    title = message(language, "page_dashboard", session="Gent 2026")
    check_language(board, language, title, f"dashboard {language}")
    assert axe(board) == [], f"dashboard {language}"
    screenshot(board, f"languages-dashboard-{language}")
    for tab in ("talk", "comparison", "balance", "own", "alike", "sessions", "export"):
        choose_tab(board, message(language, f"tab_{tab}"))
        assert foreign_words(board.evaluate(SHOWN), language) == [], f"dashboard {language}, tab {tab}"
        if tab == "comparison":
            expect(board.locator(".motives-heatmap")).to_contain_text(MEAN[language])
    assert code in board.evaluate("() => document.body.innerText")

    # The group's picture on the team page once revealed, and every view of the projector window.
    board.get_by_role("button", name=message(language, "reveal")).click()
    expect(team.locator(".motives-group-picture")).to_be_visible(timeout=10_000)
    assert foreign_words(team.evaluate(SHOWN), language) == [], f"revealed team page {language}"
    assert axe(team) == [], f"revealed team page {language}"
    screenshot(team, f"languages-revealed-{language}")
    with board.expect_popup() as opened:
        board.get_by_role("link", name=message(language, "projector_open")).click()
    wall = opened.value
    expect(wall.locator(".motives-slide")).to_be_visible(timeout=60_000)
    views = int(wall.locator(".motives-screen-where").inner_text().split("/")[1].split(" ")[0])
    for view in range(views):
        expect(wall.locator(".motives-screen-where")).to_contain_text(f" {view + 1}/{views} ")
        assert foreign_words(wall.evaluate(SHOWN), language) == [], f"projector {language}, view {view + 1}"
        wall.keyboard.press("ArrowRight")
