"""The comparison as the teams see it once the trainer reveals it (read-only).

Imported only at that moment: the team page starts without pandas.
"""

from __future__ import annotations

import ipywidgets as w

from motives import tally
from motives.i18n import message
from motives.markup import esc
from motives.models import Session, SessionRecords
from motives.render import group_picture_html


def revealed_comparison(records: SessionRecords, session: Session, team: str) -> w.HTML:
    """What ``team`` sees once the trainer reveals the comparison (of ``records``, the store's), made
    for a phone (:func:`motives.render.group_picture_html`): no trainer controls, no keys."""
    language = session.language
    frames = tally.Frames.of(records)
    view = w.HTML(
        f"<h3>{esc(message(language, 'revealed_heading'))}</h3>"
        f'<p class="motives-help">{esc(message(language, "revealed_help"))}</p>'
        + group_picture_html(frames, team, language)
    )
    view.add_class("motives-revealed-view")
    return view
