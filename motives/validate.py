"""Checks on every value that comes from a person before it reaches the store.

The browser can set any synced widget value, even on a disabled widget, so the
store calls these itself rather than trusting the page.
"""

from __future__ import annotations

import re
import unicodedata

from motives import lookalike
from motives.errors import InvalidInput, Phrase
from motives.models import CONCLUSIONS, SIDES

MAX_TEAM_NAME = 60
MAX_MOTIVE_TEXT = 500
MAX_EXPLANATION = 2000
IMPORTANCE_RANGE = range(1, 6)
DEFAULT_IMPORTANCE = 3
TIMER_MINUTES = range(1, 181)

# Files people bring (motives/archive.py, motives/catalogue.py) are held to these as well as
# to the limits above: a catalogue of 10,000 motives made a team page take a minute to draw.
MAX_TITLE = 200  # a catalogue's title and its two headings
MAX_SOURCE_FIELD = 500
MAX_CATALOGUE_MOTIVES = 200
MAX_OWN_MOTIVES = 100  # one team's own motives in an archive
MAX_ARCHIVE_TEAMS = 500
MAX_CATALOGUE_BYTES = 1_000_000
MAX_ARCHIVE_BYTES = 20_000_000


# Characters that reorder the text around them: they make one text look like another.
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def _noncharacter(ch: str) -> bool:
    point = ord(ch)
    return 0xFDD0 <= point <= 0xFDEF or point & 0xFFFE == 0xFFFE


def _clean(value: object, limit: int, *, multiline: bool) -> str:
    if not isinstance(value, str):
        raise InvalidInput("not_text")
    text = unicodedata.normalize("NFC", value.replace("\r\n", "\n").replace("\r", "\n"))
    if multiline:
        text = "\n".join(line.rstrip() for line in text.strip().split("\n"))
    else:
        text = " ".join(text.split())
    # A lone surrogate ("\ud800", which JSON can spell) is no character at all: the store cannot encode it.
    # A noncharacter (U+FFFE, U+FDD0…) is none either, and no document format may hold it (a .docx refuses it).
    if any(
        (unicodedata.category(ch) == "Cc" and ch not in "\n\t")
        or ch in _BIDI_CONTROLS
        or "\ud800" <= ch <= "\udfff"
        or _noncharacter(ch)
        for ch in text
    ):
        raise InvalidInput("control_characters")
    if len(text) > limit:
        raise InvalidInput("too_long", limit=limit, length=len(text))
    return text


def line(value: object, limit: int) -> str:
    """One line of text from a file (it may be empty): spaces folded, no control characters."""
    return _clean(value, limit, multiline=False)


def in_file(exc: InvalidInput) -> Phrase:
    """The problem ``exc`` names, said of an entry in a file rather than to a person at a page."""
    from motives.i18n import has_message

    key = "file_" + exc.key
    return Phrase(key if has_message(key) else exc.key, **exc.params)


# A phone keyboard puts one after a heart or a thumb ("❤️"): shown as the emoji itself, so allowed in a
# name, though never part of its key.
_EMOJI_PRESENTATION = frozenset("\ufe0e\ufe0f")


def team_name(value: object) -> str:
    name = _required(value, MAX_TEAM_NAME, "empty_team_name")
    # A name must not hide characters: "Jeugd\u200bwerk" would look like "Jeugdwerk" and be another team,
    # and so would "Noord" with a Hangul filler or a braille blank after it.
    if any(
        unicodedata.category(ch) == "Cf" or (lookalike.invisible(ch) and ch not in _EMOJI_PRESENTATION) for ch in name
    ):
        raise InvalidInput("control_characters")
    return name


def _required(value: object, limit: int, empty: str) -> str:
    text = _clean(value, limit, multiline=False)
    if not text:
        raise InvalidInput(empty)
    return text


def session_name(value: object) -> str:
    return _required(value, MAX_TEAM_NAME, "empty_session_name")


def catalogue_name(value: object) -> str:
    return _required(value, MAX_TEAM_NAME, "empty_catalogue_name")


def team_name_key(name: str) -> str:
    """Names that differ only in capitals, spacing or look-alike letters are the same team.

    NFKC folds compatibility forms ("Ｎoord" in full-width letters, the ligature "ﬁ") into
    their plain letters, case folding makes "noord" and "NOORD" one name, and Unicode's
    confusable skeleton (motives/lookalike.py) makes "Nооrd" with Cyrillic о and "Noord"
    one name too, and drops the letters that show nothing. The name as first typed is what
    pages show.
    """
    # The skeleton before case folding (a Cyrillic "Н" looks like an "H"; folded first it would be an
    # "н", which looks like nothing Latin), and again after it; a prototype may be a capital ("0"
    # looks like "O"), so folded once more: "0", "O" and "o" are one.
    alike = lookalike.skeleton(unicodedata.normalize("NFKC", name), keep_ascii_letters=True)
    folded = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", alike).casefold())
    alike = unicodedata.normalize("NFKC", lookalike.skeleton(folded, keep_ascii_letters=True)).casefold()
    return " ".join(alike.split())


def motive_text(value: object) -> str:
    return _required(value, MAX_MOTIVE_TEXT, "empty_motive")


def explanation(value: object) -> str:
    return _clean(value, MAX_EXPLANATION, multiline=True)


def importance(value: object) -> int:
    # bool is an int in Python; a forged True must not pass as importance 1.
    if isinstance(value, bool) or not isinstance(value, int) or value not in IMPORTANCE_RANGE:
        raise InvalidInput("bad_importance")
    return value


def conclusion(value: object) -> str | None:
    if value is None:
        return None
    if value not in CONCLUSIONS:
        raise InvalidInput("bad_conclusion")
    return value


def side(value: object) -> str:
    if value not in SIDES:
        raise InvalidInput("bad_side")
    return value


SCREEN_LENGTH = 32
_SCREEN = re.compile(rf"[a-z0-9-]{{1,{SCREEN_LENGTH}}}")


def screen(value: object) -> str:
    """A projector slide's key (motives.projector): short, lower-case letters, digits and dashes. The
    browser can send anything over the trainer's page's websocket: nothing else reaches the store."""
    if not isinstance(value, str) or not _SCREEN.fullmatch(value):
        raise InvalidInput("bad_screen")
    return value


def timer_minutes(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value not in TIMER_MINUTES:
        raise InvalidInput("bad_timer", low=TIMER_MINUTES.start, high=TIMER_MINUTES.stop - 1)
    return value
