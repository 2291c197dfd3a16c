"""QR codes made on this laptop, as inline SVG: no network, no image service."""

from __future__ import annotations


def qr_svg(url: str, scale: int = 5, fit: bool = False) -> str:
    """``url`` as a QR code in inline SVG (segno, imported when a code is drawn). ``fit``: without a
    size of its own, so that the page's style sizes it (the projector's fills a third of the screen)."""
    import segno

    return segno.make(url, error="m").svg_inline(scale=scale, dark="#1f2328", border=2, omitsize=fit)
