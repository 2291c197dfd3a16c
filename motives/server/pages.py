"""The app's own pages that Voilà does not render: not found, wait, not at this address, sign in;
and the language a request asks for."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

import jinja2
import tornado.web

from motives.i18n import DEFAULT_LANGUAGE, LANGUAGES, N_, NAMES, message

# The trainer's home hands out every session's trainer key: it is for the laptop itself only.
HOME_PAGE = "home.ipynb"

TEAM_PAGE = "team.ipynb"

_TEMPLATES = jinja2.Environment(
    loader=jinja2.FileSystemLoader(Path(__file__).parent / "templates"),
    autoescape=True,  # what a page shows is text, never markup (a sign-in problem, a link)
    undefined=jinja2.StrictUndefined,
    keep_trailing_newline=True,
    trim_blocks=True,
    lstrip_blocks=True,
)


@dataclass(frozen=True)
class Notice:
    """One language's sentence of a notice, and the words of its link (if it has one)."""

    language: str
    text: str
    link: str = ""


def _in_every_language(first: str) -> list[str]:
    """Every language the app speaks, ``first`` (the one the request asked for) first."""
    first = first if first in LANGUAGES else DEFAULT_LANGUAGE
    return [first, *(language for language in LANGUAGES if language != first)]


def _notice(
    language: str,
    title: str,
    body: str,
    link_words: str = "",
    link: str = "",
    refresh: int | None = None,
    **params: object,
) -> str:
    """A page whose reader's language the server may not know: the message keys ``title`` and ``body``
    (with ``params``) and ``link_words`` for a ``link``, in every language, the one asked for first."""
    languages = _in_every_language(language)
    return _TEMPLATES.get_template("notice.html").render(
        language=languages[0],
        refresh=refresh,
        title=" · ".join(message(lang, title) for lang in languages),
        notices=[
            Notice(lang, message(lang, body, **params), message(lang, link_words) if link_words else "")
            for lang in languages
        ],
        link=link,
    )


def limit_page(wait: int, language: str = "") -> str:
    """Too many pages from this device or network: the page tries again by itself in ``wait`` seconds."""
    return _notice(language, N_("wait_title"), N_("wait_body"), refresh=wait, seconds=wait)


def not_found_page(start: str, language: str = "") -> str:
    """Not one of the app's pages: a link to the start page ``start``."""
    return _notice(language, N_("not_found_title"), N_("not_found_body"), N_("not_found_link"), link=start)


def forbidden_host_page(language: str = "") -> str:
    """A request for a host the server is not meant for (a defence against DNS rebinding)."""
    return _notice(language, N_("wrong_host_title"), N_("wrong_host_body"))


def sign_in_page(language: str, xsrf: str = "", problem: str = "", form: bool = True) -> str:
    """The page that asks for the trainer password, in ``language``; ``problem``: why it asks again.
    ``xsrf``: Tornado's hidden form field (``xsrf_form_html``); without ``form`` the page only says ``problem``."""
    return _TEMPLATES.get_template("sign_in.html").render(
        language=language,
        refresh=None,
        title=message(language, "sign_in_title"),
        intro=message(language, "sign_in_intro"),
        problem=problem,
        xsrf=xsrf,  # Tornado's own markup, a hidden input with the token: the template marks it safe
        form={"label": message(language, "sign_in_password"), "button": message(language, "sign_in_button")}
        if form
        else None,
        others=[{"language": code, "name": NAMES[code]} for code in LANGUAGES if code != language],
    )


def language_query(language: str) -> str:
    """``?lang=…`` for a language the app speaks other than Dutch (the default); else nothing."""
    return f"?{urlencode({'lang': language})}" if language in LANGUAGES and language != DEFAULT_LANGUAGE else ""


# The language the trainer last chose on the home (its links to the other languages): the next
# visit to the home, or to the app's address, speaks it. A year, this site's pages only.
LANGUAGE_COOKIE = "motives-lang"


def chosen_language(handler: tornado.web.RequestHandler) -> str:
    """The language asked for (``?lang=``), else the one the trainer last chose, else ""."""
    asked = handler.get_query_argument("lang", "")
    if asked in LANGUAGES:
        return asked
    remembered = handler.get_cookie(LANGUAGE_COOKIE, "")
    return remembered if remembered in LANGUAGES else ""
