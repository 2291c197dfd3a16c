"""Escaping user text for the formats the app writes. User text is data, never markup.

No imports beyond the standard library: the team page uses this too.
"""

from __future__ import annotations

import html
import re

# Characters that make Markdown wherever they stand: emphasis, code, links and images, raw HTML and
# entities, strikethrough, table cells. A sentence's full stop, brackets or dash make nothing there
# and stay as they are, so the file reads as plain text too: "netwerksites.", "(nog)", "-".
_MD_INLINE = re.compile(r"([\\`*_\[\]<>~|$])")  # $: maths on GitHub
# What GitHub-flavoured readers turn into a link by themselves: a scheme's "://", "www." and an address's "@".
_MD_AUTOLINK = re.compile(r"(?i)(?<=\w)(:)(?=//)|(?<![\w.])(www)(\.)|(@)(?=\w)")
_MD_ENTITY = re.compile(r"&(?=#?[0-9A-Za-z]+;)")
# What makes Markdown only at the start of a line: a heading, a quote, a list item or rule, a numbered item.
_MD_LINE_START = re.compile(r"^[#>+=-]")
_MD_NUMBERED = re.compile(r"^(\d+)([.)])")
# A heading's closing hashes: "Team #" would lose its "#".
_MD_CLOSING_HASHES = re.compile(r"(\s)(#+)$")


def esc(text: object) -> str:
    """Text for HTML: an element's content or a quoted attribute value."""
    return html.escape(str(text), quote=True)


def _unlinked(match: re.Match[str]) -> str:
    if match.group(1):
        return "\\:"
    if match.group(2):
        return match.group(2) + "\\."
    return "\\@"


def md_escape(text: object, links: bool = False) -> str:
    """Text for Markdown: no emphasis, links, headings, lists or table cells, and no raw HTML either; every
    other character as it was typed, so that the file reads well as plain text (a backslash only where
    a Markdown reader would make something of the character)."""
    line = " ".join(str(text).split())  # a newline would end a table row
    line = _MD_ENTITY.sub(r"\\&", _MD_INLINE.sub(r"\\\1", line))
    if not links:  # a team's text: its address is text too (``links`` for the source's own credit line)
        line = _MD_AUTOLINK.sub(_unlinked, line)
    line = _MD_NUMBERED.sub(r"\1\\\2", _MD_LINE_START.sub(r"\\\g<0>", line))
    return _MD_CLOSING_HASHES.sub(r"\1\\\2", line)
