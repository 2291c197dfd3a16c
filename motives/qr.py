"""QR codes made on this laptop, as inline SVG: no network, no image service."""

from __future__ import annotations

from motives.i18n import message
from motives.markup import esc


def qr_svg(url: str, scale: int = 5, fit: bool = False) -> str:
    """``url`` as a QR code in inline SVG (segno, imported when a code is drawn). ``fit``: without a
    size of its own, so that the page's style sizes it (the projector's fills a third of the screen)."""
    import segno

    return segno.make(url, error="m").svg_inline(scale=scale, dark="#1f2328", border=2, omitsize=fit)


def qr_image(url: str, language: str, css: str = "", fit: bool = False) -> str:
    """``url`` as a QR code that says what it is to a screen reader, in ``language`` (a ``css`` class on it)."""
    cls = f' class="{esc(css)}"' if css else ""
    return f'<div{cls} role="img" aria-label="{esc(message(language, "qr_label"))}">{qr_svg(url, fit=fit)}</div>'
