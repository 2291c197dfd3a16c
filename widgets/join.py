"""How teams get in: the join link, its code and QR code, made on this laptop (no image service).

The dashboard shows them large; the trainer's home shows them beside each session.
"""

from __future__ import annotations

import ipywidgets as w

from motives.i18n import message
from motives.markup import esc
from motives.models import Session, Team
from motives.qr import qr_image
from motives.settings import Settings
from motives.urls import PAGES, public_url, reachable_base, team_path


def join_url(
    settings: Settings, code: str, language: str | None = None, team: Team | None = None, pages: str = PAGES
) -> str:
    """The link teams open: the team page beside this dashboard (in ``pages``), on the address teams
    use (:func:`motives.urls.reachable_base`: ``motives serve`` tells its kernels, a deployment sets it); or
    ``settings.team_url`` (a team page's URL) when they open it on another server, such as a
    JupyterHub service while the trainer works in a single-user server. With ``team``, that
    team's own link (with its key), for a device of that team."""
    name, key = (team.name, team.key) if team is not None else (None, "")
    if settings.team_url:
        return f"{settings.team_url}?{team_path(code, name, language=language, key=key).partition('?')[2]}"
    return public_url(reachable_base(settings), team_path(code, name, pages, language, key))


def join_panel(session: Session, link: str) -> w.HTML:
    """The join link and code in large type, beside a QR code."""
    return w.HTML(join_panel_html(session, link))


def join_panel_html(session: Session, link: str) -> str:
    """What :func:`join_panel` shows, for a panel that follows the link as it changes."""
    language = session.language
    return (
        '<div class="motives-join-panel">'
        f'<div><p class="motives-join-label">{esc(message(language, "join_big"))}</p>'
        f'<p class="motives-join-url">{esc(link)}</p>'
        f'<p class="motives-join-label">{esc(message(language, "join_code"))}</p>'
        f'<p class="motives-join-code">{esc(session.code)}</p></div>'
        f"{qr_image(link, language, 'motives-qr')}</div>"
    )
