"""Escaping user text for the formats the app writes. User text is data, never markup.

No imports beyond the standard library: the team page uses this too.
"""

from __future__ import annotations

import html
import re

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|>~])")


def esc(text: object) -> str:
    """Text for HTML: an element's content or a quoted attribute value."""
    return html.escape(str(text), quote=True)


def md_escape(text: object) -> str:
    """Text for Markdown: no emphasis, links, headings or table cells, and no raw HTML either."""
    escaped = _MD_SPECIAL.sub(r"\\\1", html.escape(str(text), quote=False))
    return " ".join(escaped.split())  # a newline would end a table row
