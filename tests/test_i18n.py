"""Every word in the team's language: gettext catalogues for Dutch, English and French.

The catalogues (motives/locale/<lang>/LC_MESSAGES/motives.po) hold exactly the keys the code
uses, found by the same extraction as `make i18n`; every language has every message, with
the same {placeholders}; Dutch is the fallback. Numbers and times follow the language.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from motives import i18n
from motives.i18n import DEFAULT_LANGUAGE, LANGUAGES, LOCALE_DIR, decimal, message, time_of_day

ROOT = Path(__file__).resolve().parent.parent


def catalogue(language: str, locale_dir: Path = LOCALE_DIR) -> dict[str, str]:
    with (locale_dir / language / "LC_MESSAGES" / "motives.po").open("rb") as fh:
        return {m.id: m.string for m in read_po(fh) if m.id}


def test_the_app_speaks_dutch_english_and_french_dutch_first():
    # What the app holds for each language it names, Dutch first: a catalogue, and the CLI's choice.
    assert LANGUAGES[0] == DEFAULT_LANGUAGE == "nl"
    assert sorted(p.parent.parent.name for p in LOCALE_DIR.glob("*/LC_MESSAGES/motives.po")) == sorted(LANGUAGES)
    assert [message(language, "session_code") for language in LANGUAGES] == [
        "Sessiecode",
        "Session code",
        "Code de la session",
    ]


def test_every_catalogue_has_exactly_the_keys_the_code_uses():
    """The extraction `make i18n` runs (pybabel extract), compared with every catalogue: no key
    missing, none that nothing uses, none left empty."""
    checked = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "i18n-update"), "--check"], capture_output=True, text=True, cwd=ROOT
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_every_language_has_the_same_keys():
    keys = {language: set(catalogue(language)) for language in LANGUAGES}
    assert keys["en"] == keys["nl"] and keys["fr"] == keys["nl"]


def test_every_translation_keeps_the_placeholders_of_the_dutch_original():
    placeholders = re.compile(r"\{(\w*)\}")
    dutch = catalogue("nl")
    for language in LANGUAGES:
        for key, text in catalogue(language).items():
            assert sorted(placeholders.findall(text)) == sorted(placeholders.findall(dutch[key])), (language, key)
            message(language, key, **dict.fromkeys(placeholders.findall(text), "x"))  # fills in without error


def test_keys_made_at_run_time_still_appear_in_the_code():
    """A key marked with N_ in motives/i18n.py counts as used: its name (or its family's prefix,
    as in f"side_{side}") must still be in the code outside that list."""
    source = (ROOT / "motives" / "i18n.py").read_text(encoding="utf-8")
    marked = re.findall(r'N_\("(\w+)"\)', source.split("_RUN_TIME_KEYS = (")[1].split("\n)\n")[0])
    code = "\n".join(
        p.read_text(encoding="utf-8")
        for folder in ("motives", "widgets")
        for p in (ROOT / folder).rglob("*.py")
        if p.name != "i18n.py"
    )
    for key in marked:
        prefix = key.split("_")[0] + "_"
        assert re.search(rf"""["']{key}["']|f["']{prefix}\{{|["']{prefix}["'] \+""", code), key


def test_the_sentence_behind_each_key_is_shown_to_translators():
    """Keys are the msgids; each entry carries the Dutch source and the English as comments."""
    with (LOCALE_DIR / "fr" / "LC_MESSAGES" / "motives.po").open("rb") as fh:
        saved = next(m for m in read_po(fh) if m.id == "saved_at")
    assert saved.auto_comments == ["nl: Bewaard om {time}.", "en: Saved at {time}."]
    assert saved.string == "Enregistré à {time}."


def test_messages_in_each_language():
    assert message("nl", "add") == "Toevoegen"
    assert message("en", "add") == "Add"
    assert message("fr", "add") == "Ajouter"
    assert message("fr", "page_team", team="Nord") == "Motifs — équipe Nord"
    assert message("nl", "page_team", team="Noord") == "Motieven — team Noord"


def test_an_unknown_language_is_dutch_and_an_unknown_key_is_itself():
    assert message("de", "add") == "Toevoegen"
    assert message("fr", "no_such_key") == "no_such_key"


def test_a_message_a_language_lacks_is_said_in_dutch(tmp_path):
    locale = tmp_path / "locale"
    shutil.copytree(LOCALE_DIR, locale, ignore=shutil.ignore_patterns("*.mo"))
    po = locale / "fr" / "LC_MESSAGES" / "motives.po"
    text = po.read_text(encoding="utf-8")
    po.write_text(text.replace('msgstr "Ajouter"', 'msgstr ""'), encoding="utf-8")
    french = i18n.translations("fr", locale)
    assert french.gettext("add") == "Toevoegen"
    assert french.gettext("remove") == "Supprimer"
    assert (locale / "fr" / "LC_MESSAGES" / "motives.mo").exists()  # compiled at first use


def test_the_bad_language_message_names_all_three():
    for language in LANGUAGES:
        assert all(code in message(language, "bad_language") for code in LANGUAGES), language


def test_decimals_and_times_are_written_as_the_language_writes_them():
    assert [decimal(lang, 3.5) for lang in LANGUAGES] == ["3,5", "3.5", "3,5"]
    moment = datetime(2026, 11, 26, 14, 5, 9, tzinfo=UTC).astimezone()
    local = f"{moment:%H:%M}"
    assert {time_of_day(lang, moment, seconds=False) for lang in LANGUAGES} == {local}  # a 24-hour clock everywhere
    assert time_of_day("fr", moment) == f"{moment:%H:%M:%S}"
    assert i18n.day("fr", date(2026, 11, 26)) == "26 novembre 2026"
    assert i18n.day("nl", date(2026, 11, 26)) == "26 november 2026"


def test_refusals_say_what_was_refused():
    """Reveal and lock have their own messages, not the tick's "yes or no"."""
    from motives.errors import InvalidInput
    from motives.store import Store

    assert message("en", "bad_revealed") != message("en", "bad_applies") != message("en", "bad_locked")
    store = Store("sqlite://")
    from motives.catalogue import default_catalogue

    session = store.create_session("Refusals", default_catalogue(), "fr")
    with pytest.raises(InvalidInput) as revealed:
        store.set_revealed(session, "yes")
    with pytest.raises(InvalidInput) as locked:
        store.set_locked(session, 1)
    assert (revealed.value.key, locked.value.key) == ("bad_revealed", "bad_locked")
    store.close()


def test_a_catalogue_or_archive_problem_is_not_called_a_store_failure():
    from motives.errors import ArchiveError, CatalogueError
    from motives.widgets.feedback import explain

    said = explain(CatalogueError("too many motives"), "fr")
    assert said.startswith("Cette fiche de travail ne peut pas être utilisée") and "200" in said
    assert explain(ArchiveError("broken"), "en").startswith("This archive cannot be read")
    assert "saved" not in explain(CatalogueError("x"), "en")


def test_the_team_page_imports_no_babel_number_or_date_module_before_it_needs_one():
    """motives.i18n itself stays light: babel.numbers and babel.dates come when a number is shown."""
    code = "import sys, motives.i18n; print('babel.numbers' in sys.modules, 'babel.dates' in sys.modules)"
    shown = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert shown.split() == ["False", "False"]


def test_a_french_session_reports_hands_out_and_prints_in_french_crediting_the_source():
    from motives import report
    from motives.catalogue import default_catalogue
    from motives.store import Store

    store = Store("sqlite://")
    session = store.create_session("Atelier Namur", default_catalogue(), "fr")
    team = store.join(session, "Nord")
    store.set_answer(team, "for-prevention", True, 4)
    store.set_answer(team, "against-no-priority", True, 3)
    records = store.records(session)
    documents = {
        "report": report.report_html(records),
        "handouts": report.handouts_html(records),
        "worksheet": report.worksheet_html(session),
        "markdown": report.report_md(records),
    }
    for name, text in documents.items():
        text = text.replace("\\", "")  # Markdown escapes its punctuation
        assert "Mieux vaut prévenir que guérir." in text, name
        assert "Philippe Bocklandt" in text and "Cera" in text and "Arteveldehogeschool" in text, name
        assert "Traduction de la fiche de travail originale en néerlandais." in text, name
        assert "Beter voorkomen" not in text, name
    assert '<html lang="fr">' in documents["report"] and "Un premier pas vers une politique" in documents["report"]
    assert "<h1>Nord</h1>" in documents["handouts"] and "Fiche d&#x27;équipe" in documents["handouts"]
    assert "Vos motifs" in documents["handouts"]
    assert "Cochez ce qui joue dans votre organisation" in documents["worksheet"]
    store.close()


def test_a_dutch_report_is_no_translation():
    from motives import report
    from motives.catalogue import default_catalogue
    from motives.store import Store

    store = Store("sqlite://")
    session = store.create_session("Gent", default_catalogue(), "nl")
    assert "Vertaling" not in report.report_html(store.records(session))
    store.close()


def test_the_worksheet_has_every_motive_in_french_beside_the_dutch_original():
    from motives.catalogue import default_catalogue
    from motives.models import SIDES

    catalogue = default_catalogue()
    assert len(catalogue.motives) == 10
    for motive in catalogue.motives:
        assert set(motive.texts) == set(LANGUAGES), motive.id
    assert all(catalogue.heading(side, "fr").startswith("Motifs pour") for side in SIDES)
    assert catalogue.source_in("fr")["date"] == "Octobre 2015"
    assert "Cera" in catalogue.source_in("fr")["credits"]
    seed = (ROOT / "tests" / "data" / "worksheet-seed.txt").read_text(encoding="utf-8")
    assert all(motive.texts["nl"] in " ".join(seed.split()) for motive in catalogue.motives)
