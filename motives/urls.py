"""The app's paths under Voilà, shared by the CLI and the pages."""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urlencode, urlsplit

from motives import system
from motives.i18n import DEFAULT_LANGUAGE

if TYPE_CHECKING:
    from motives.settings import Settings

PAGES = "/voila/render"  # where `motives serve` renders the notebooks folder


def pages_path(script_name: str = "") -> str:
    """The folder the pages are served from, as the server saw this page's request.

    Voilà gives a page's kernel the request's path as ``SCRIPT_NAME``: ``/voila/render/team.ipynb``
    under ``motives serve``, ``/user/NAME/voila/render/notebooks/team.ipynb`` under Voilà's Jupyter
    Server extension in a JupyterHub single-user server. The other page sits beside it. Without a
    request (the CLI, tests) it is ``motives serve``'s folder. :class:`motives.request.Request` reads it.
    """
    folder, _, page = script_name.rpartition("/")
    return folder if folder.startswith("/") and page.endswith(".ipynb") else PAGES


def _lang(language: str | None) -> dict[str, str]:
    """A link to a session not in Dutch says its language: the page speaks it before its kernel runs
    (the loading text, ``<html lang>``: templates/motives/index.html.j2). Dutch links stay as they were."""
    return {"lang": language} if language and language != DEFAULT_LANGUAGE else {}


TEAM_KEY = "teamkey"  # the query parameter of a team's own link: its key (models.Team.key)


def team_path(
    code: str, team: str | None = None, pages: str = PAGES, language: str | None = None, key: str = ""
) -> str:
    """The team page: the session's (the code form asks the name), or with ``team`` and its ``key``
    that team's own link, which opens its worksheet on any device."""
    params = {"session": code} | ({"team": team} if team else {}) | ({TEAM_KEY: key} if key else {}) | _lang(language)
    return f"{pages}/team.ipynb?{urlencode(params)}"


def dashboard_path(code: str, key: str, pages: str = PAGES, language: str | None = None) -> str:
    return f"{pages}/dashboard.ipynb?{urlencode({'session': code, 'key': key} | _lang(language))}"


def projector_path(code: str, screen_key: str, pages: str = PAGES, language: str | None = None) -> str:
    """The projector's view of a session: the slides a room may see, opened with the session's screen
    key (models.Session.screen_key), never with the trainer key."""
    return f"{pages}/projector.ipynb?{urlencode({'session': code, 'screen': screen_key} | _lang(language))}"


def public_url(base: str, path: str) -> str:
    """``path``, as the server sees it, on the address teams reach the server at (``base``).

    ``base`` is a scheme, host and port (``https://hub.example.org``). A path in it is kept as a
    prefix a proxy adds in front of the server, unless ``path`` already starts with it
    (``https://hub.example.org/user/trainer`` and ``/user/trainer/voila/render/…``).
    """
    base = base.rstrip("/")
    prefix = urlsplit(base).path
    if prefix and (path == prefix or path.startswith(prefix + "/")):
        base = base[: len(base) - len(prefix)]
    return base + path


LOOPBACK_NAMES = ("127.0.0.1", "localhost", "::1")


def reachable_base(settings: Settings) -> str:
    """Where the devices in the room reach the server: ``settings.base_url``; when ``motives`` serves
    the room (``settings.room``), the laptop's network address as it is now, on the same port: the
    trainer may have joined the venue's Wi-Fi after starting the app. On no network it stays the
    loopback address, and :func:`off_the_network` says so."""
    addresses = system.room_addresses() if settings.room else []
    if not addresses:
        return settings.base_url
    parts = urlsplit(settings.base_url)
    return f"{parts.scheme}://{addresses[0]}" + (f":{parts.port}" if parts.port else "")


def off_the_network(settings: Settings) -> bool:
    """Whether no other device can open the links :func:`reachable_base` starts: the laptop serves the
    room but is on no network, or serves itself only (``motives --local``; ``motives serve`` without
    ``--lan`` and without a proxy's address). A deployment whose teams open another server's page
    (``settings.team_url``) is reachable by definition."""
    if settings.team_url:
        return False
    return (urlsplit(reachable_base(settings)).hostname or "") in LOOPBACK_NAMES
