"""The comparison as the teams see it once the trainer reveals it (read-only): the group's picture
the server worked out once for every page (motives.revealed), drawn without pandas.
"""

from __future__ import annotations

import ipywidgets as w

from motives.i18n import message
from motives.markup import esc
from motives.models import GroupPicture
from motives.revealed import picture_html


def revealed_comparison(picture: GroupPicture, language: str) -> w.HTML:
    """What a team sees once the trainer reveals the comparison, made for a phone
    (:func:`motives.revealed.picture_html`): no trainer controls, no keys."""
    view = w.HTML(
        f"<h3>{esc(message(language, 'revealed_heading'))}</h3>"
        f'<p class="motives-help">{esc(message(language, "revealed_help"))}</p>' + picture_html(picture, language)
    )
    view.add_class("motives-revealed-view")
    return view
