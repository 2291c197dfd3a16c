"""Pictures and prints of pages, for a person to look at: in screenshots/ (git-ignored)."""

from __future__ import annotations

from pathlib import Path

from servers import ROOT

SCREENSHOTS = ROOT / "screenshots"


def picture_path(name: str) -> Path:
    """Where the picture (or print) ``name`` goes, its folder made."""
    SCREENSHOTS.mkdir(exist_ok=True)
    return SCREENSHOTS / name


def take_screenshot(page, name: str) -> Path:
    """A full-length picture of the page."""
    # Voilà scrolls inside its own container, so grow the viewport to the content instead.
    height = page.evaluate("() => Math.max(...[...document.querySelectorAll('body *')].map(e => e.scrollHeight))")
    width = page.viewport_size["width"]
    page.set_viewport_size({"width": width, "height": min(max(height + 40, 600), 8000)})
    path = picture_path(f"{name}.png")
    page.screenshot(path=str(path), full_page=True)
    return path
