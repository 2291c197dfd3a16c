"""Every sentence a participant or trainer reads, in the session's language: gettext catalogues.

The messages live in ``motives/locale/<lang>/LC_MESSAGES/motives.po``, one file per
language in :data:`LANGUAGES`, which translators edit with their usual tools (Poedit,
Weblate, a text editor). ``make i18n`` (scripts/i18n-update) extracts the keys the code
uses with ``pybabel extract`` into ``motives/locale/motives.pot`` and updates every
catalogue. The keywords are ``message:2``, ``N_``, the errors of :mod:`motives.errors` and
their ``Phrase`` (``InvalidInput("too_long", …)``) and a few shorthands, read from the syntax
tree by :mod:`motives.i18n_extract`. A key the code passes through a variable needs an
``N_("key")`` marker (the list below).

The msgids are short keys (``"saved_at"``), not English sentences: the call sites
across ``motives/`` and ``widgets/`` stay as they were (``message(language, key, **params)``),
and rewording a sentence in one language never invalidates the others. So that a
translator still sees the source sentence, ``make i18n`` writes the Dutch original and
the English text above every entry of every catalogue (``#. nl: …`` and ``#. en: …``).

Dutch is the default and the fallback: a message a language lacks is said in Dutch
(gettext's ``add_fallback``), and an unknown language is Dutch. ``tests/test_i18n.py``
fails when a catalogue lacks a message, has one that nothing uses, or changes a
``{placeholder}``.

The ``.mo`` files are never committed. A wheel carries them, compiled when it was built
(setup.py), and no ``.po`` files. In a checkout the first message a process needs compiles the
catalogue beside its ``.po`` file (or, where that folder is read-only, into the user's cache
folder), again whenever the ``.po`` file is newer.

Numbers, dates and times go through :func:`decimal`, :func:`time_of_day` and
:func:`day`, which format them as the session's language does (Babel's CLDR data):
"3,5" and 14:05 in Dutch and French, "3.5" in English.
"""

from __future__ import annotations

import functools
import gettext
import hashlib
import os
import tempfile
from datetime import date, datetime
from pathlib import Path

LANGUAGES: tuple[str, ...] = ("nl", "en", "fr")
"""Every language the app speaks, the default first. Validation, the store, the CLI and catalogues use this."""

DEFAULT_LANGUAGE = "nl"
NAMES = {"nl": "Nederlands", "en": "English", "fr": "Français"}

# The locale a language's numbers and times follow: the teams sit in Belgium (and the
# English-speaking ones in Europe): 24-hour clocks everywhere, a decimal comma in nl and fr.
LOCALES = {"nl": "nl_BE", "en": "en_GB", "fr": "fr_BE"}

DOMAIN = "motives"
LOCALE_DIR = Path(__file__).parent / "locale"


def N_(key: str) -> str:
    """Mark a key that reaches :func:`message` through a variable, so that ``pybabel extract`` sees it."""
    return key


# Keys the code builds at run time or passes through a variable (f"side_{side}", a button's
# label from a table, a banner's name): marked here so that extraction finds them. The test
# that every key is used also checks that each still appears in the code, or its family's prefix.
_RUN_TIME_KEYS = (
    # render.py, report.py, notebook.py, dashboard.py: f"side_{side}", f"origin_{origin}"
    N_("side_for"),
    N_("side_against"),
    N_("origin_catalogue"),
    N_("origin_own"),
    # team.py, render.py, charts.py, notebook.py: f"conclusion_{conclusion}", and models.NO_CONCLUSION's
    N_("conclusion_yes"),
    N_("conclusion_no"),
    N_("conclusion_not_yet"),
    N_("conclusion_none"),
    # notebook.py: f"lean_{lean}", the way a team's balance leans
    N_("lean_for"),
    N_("lean_even"),
    N_("lean_against"),
    # render.py: f"category_{category}"
    N_("category_shared"),
    N_("category_split"),
    N_("category_single"),
    N_("category_none"),
    # dashboard.py: f"tab_{tab}"
    N_("tab_talk"),
    N_("tab_comparison"),
    N_("tab_balance"),
    N_("tab_own"),
    N_("tab_sessions"),
    N_("tab_export"),
    # team.py: the banners of a page whose session or team is gone, its forms' buttons
    N_("session_deleted_banner"),
    N_("team_removed_banner"),
    N_("locked_banner"),
    N_("join_team"),
    # team.py: the default of _form's button
    N_("go"),
    # dashboard.py: the lock and reveal buttons' two states
    N_("lock"),
    N_("locked"),
    N_("reveal"),
    N_("revealed"),
    # cli.py: the labels _labelled aligns
    N_("cli_join_code"),
    N_("cli_trainer_key"),
    N_("cli_team_page"),
    N_("cli_dashboard"),
    # validate.py: _required(value, limit, key)
    N_("empty_team_name"),
    N_("empty_session_name"),
    N_("empty_catalogue_name"),
    N_("empty_motive"),
    # validate.in_file: "file_" + the key of the InvalidInput it explains
    N_("file_not_text"),
    N_("file_control_characters"),
    N_("file_too_long"),
    N_("file_empty_team_name"),
    N_("file_empty_session_name"),
    N_("file_empty_motive"),
    N_("file_bad_importance"),
    N_("file_bad_conclusion"),
    N_("file_bad_side"),
)


def _cache_dir() -> Path:
    from motives.system import cache_folder

    return cache_folder() / "locale"


def _compile(po: Path, mo: Path) -> Path:
    """Write ``po`` compiled to ``mo`` atomically (two kernels may compile at the same moment)."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with po.open("rb") as fh:
        catalog = read_po(fh, locale=po.parent.parent.name, domain=DOMAIN)
    mo.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=mo.parent, prefix=".motives-", suffix=".mo")
    try:
        with os.fdopen(fd, "wb") as fh:
            write_mo(fh, catalog)
        os.replace(tmp, mo)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return mo


def compiled(language: str, locale_dir: Path | None = None) -> Path:
    """The ``.mo`` file of ``language``'s catalogue, compiled now if it is missing or older than the ``.po``."""
    po = (locale_dir or LOCALE_DIR) / language / "LC_MESSAGES" / f"{DOMAIN}.po"
    mo = po.with_suffix(".mo")
    if not po.exists():  # an installed wheel: it carries the catalogues compiled when it was built (setup.py)
        return mo
    try:
        if mo.stat().st_mtime >= po.stat().st_mtime:
            return mo
    except FileNotFoundError:
        pass
    try:
        return _compile(po, mo)
    except OSError:
        # A package installed read-only: compile into the user's cache, named by the catalogue's content.
        digest = hashlib.sha256(po.read_bytes()).hexdigest()[:16]
        cached = _cache_dir() / digest / language / f"{DOMAIN}.mo"
        return cached if cached.exists() else _compile(po, cached)


@functools.cache
def translations(language: str, locale_dir: Path | None = None) -> gettext.NullTranslations:
    """``language``'s catalogue, falling back to Dutch for a message it lacks; Dutch for an unknown language."""
    with compiled(DEFAULT_LANGUAGE, locale_dir).open("rb") as fh:
        dutch = gettext.GNUTranslations(fh)
    if language == DEFAULT_LANGUAGE or language not in LANGUAGES:
        return dutch
    with compiled(language, locale_dir).open("rb") as fh:
        chosen = gettext.GNUTranslations(fh)
    chosen.add_fallback(dutch)
    return chosen


def message(language: str, key: str, /, **params: object) -> str:
    """The message ``key`` in ``language`` with ``params`` filled in; the key itself if no catalogue has it."""
    template = translations(language).gettext(key)
    return template.format(**params) if params else template


def has_message(key: str) -> bool:
    return translations(DEFAULT_LANGUAGE).gettext(key) != key


def teams(language: str, n: int) -> str:
    """'1 team', '3 teams': the count of teams with the right plural."""
    return message(language, "team_one") if n == 1 else message(language, "team_many", n=n)


def translation_note(session) -> str:
    """'Translated from the Dutch worksheet.' where the session reads a Dutch source in another language; else ''.

    The worksheet (and a catalogue with Dutch texts) is written in Dutch: a page, report or
    handout in English or French says that its motives are a translation.
    """
    language = session.language
    if language == DEFAULT_LANGUAGE or not any(m.texts.get(DEFAULT_LANGUAGE) for m in session.catalogue.motives):
        return ""
    return message(language, "translation_note")


def colon(language: str) -> str:
    """The colon after a label: French puts a no-break space before it ("Décision\u00a0:")."""
    return "\u00a0:" if language == "fr" else ":"


def language_or_default(language: object) -> str:
    return language if isinstance(language, str) and language in LANGUAGES else DEFAULT_LANGUAGE


# Babel's number and date modules are imported when first needed: a team page starts without them.


def decimal(language: str, value: float, digits: int = 1) -> str:
    """``value`` with ``digits`` decimals as ``language`` writes it: "3,5" in nl and fr, "3.5" in en."""
    from babel.numbers import format_decimal

    pattern = "#,##0." + "0" * digits if digits else "#,##0"
    return format_decimal(value, format=pattern, locale=LOCALES[language_or_default(language)])


def time_of_day(language: str, moment: datetime | None = None, seconds: bool = True) -> str:
    """The local time of ``moment`` (now by default): 14:05:09, or 14:05 without ``seconds``."""
    from babel.dates import format_time

    moment = (moment or datetime.now()).astimezone()
    pattern = "HH:mm:ss" if seconds else "HH:mm"
    return format_time(moment, pattern, tzinfo=moment.tzinfo, locale=LOCALES[language_or_default(language)])


def day(language: str, moment: date | datetime) -> str:
    """A date as ``language`` writes it in full: "26 november 2026", "26 November 2026", "26 novembre 2026"."""
    from babel.dates import format_date

    if isinstance(moment, datetime):
        moment = moment.astimezone().date()
    return format_date(moment, "long", locale=LOCALES[language_or_default(language)])
