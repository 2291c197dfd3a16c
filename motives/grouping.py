"""Own motives that say the same thing, grouped as one row.

Teams write the same motive in different words, capitals, accents or spacing.
Matching is deterministic: normalised text, then string similarity, never a
cloud service. The trainer's merges and splits are stored as *links* and win
over the automatic matching.

A group key is a catalogue motive id (the own motive says what the worksheet
already says), ``g-…`` (a group the trainer made), or ``own-<id>`` (an own
motive that stands alone or heads an automatic group).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache

from motives.catalogue import LANGUAGES, Catalogue
from motives.errors import InvalidInput

SIMILARITY = 0.85
_NON_WORD = re.compile(r"[^\w]+")


@lru_cache(maxsize=16384)
def normalise(text: str) -> str:
    """Lower case, no accents, no punctuation, single spaces: 'Privé!' and 'prive' are equal."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(_NON_WORD.sub(" ", bare).split())


@lru_cache(maxsize=65536)
def similar(a: str, b: str) -> bool:
    """Two normalised texts that differ only by a typo or a small word."""
    if a == b:
        return True
    if not a or not b:
        return False
    return SequenceMatcher(None, a, b, autojunk=False).ratio() >= SIMILARITY


def own_key(own_id: int) -> str:
    return f"own-{own_id}"


@dataclass(frozen=True)
class OwnText:
    id: int
    side: str
    text: str


def group_keys(catalogue: Catalogue, own: Iterable[OwnText], links: Mapping[int, str]) -> dict[int, str]:
    """The group key of every own motive.

    ``links`` maps an own motive id to the key the trainer chose for it; an
    empty key means the trainer split it off to stand alone. Links to a key
    that does not fit (unknown catalogue id, other side) are ignored.
    """
    own = sorted(own, key=lambda o: o.id)
    catalogue_texts = [
        (m.id, m.side, normalise(m.texts[lang])) for m in catalogue.motives for lang in LANGUAGES if lang in m.texts
    ]
    sides = {m.id: m.side for m in catalogue.motives}
    keys: dict[int, str] = {}
    heads: list[tuple[str, str, str]] = []  # (key, side, normalised text) of automatic groups so far
    for motive in own:
        link = links.get(motive.id)
        if link is not None:
            if link == "":
                keys[motive.id] = own_key(motive.id)
                continue
            if link.startswith("g-") or sides.get(link) == motive.side:
                keys[motive.id] = link
                continue
        text = normalise(motive.text)
        match = next(
            (mid for mid, side, ctext in catalogue_texts if side == motive.side and similar(text, ctext)), None
        )
        if match is None:
            match = next((key for key, side, htext in heads if side == motive.side and similar(text, htext)), None)
        if match is None:
            match = own_key(motive.id)
            heads.append((match, motive.side, text))
        keys[motive.id] = match
    return keys


def merge_plan(keys: Mapping[int, str], a: str, b: str, catalogue: Catalogue) -> tuple[list[int], str]:
    """The links that merge row ``b`` into row ``a``: which own motives, and the key they get.

    A catalogue motive absorbs the own motives merged into it; two own rows
    become a group of the trainer's (``g-<first id>``). Two catalogue motives
    are different motives by definition and cannot be merged.
    """
    if a == b:
        return [], a
    if a in catalogue.ids and b in catalogue.ids:
        raise InvalidInput("merge_catalogue")
    members = sorted(own_id for own_id, key in keys.items() if key in (a, b))
    if not members:
        raise InvalidInput("unknown_motive")
    if a in catalogue.ids or a.startswith("g-"):
        target = a
    elif b in catalogue.ids or b.startswith("g-"):
        target = b
    else:
        target = f"g-{members[0]}"
    return members, target


def split_plan(keys: Mapping[int, str], key: str) -> list[int]:
    """The own motives to stand alone again when the trainer splits the row ``key``."""
    return sorted(own_id for own_id, k in keys.items() if k == key)
