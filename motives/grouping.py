"""Own motives that say the same thing, grouped as one row.

Teams write the same motive in different words, capitals, accents or spacing.
Matching is deterministic: normalised text, then string similarity, never a
cloud service. The trainer's merges and splits are stored as *links* and win
over the automatic matching.

A group key is a catalogue motive id (the own motive says what the worksheet
already says), ``g-…`` (a group the trainer made), or ``own-<id>`` (an own
motive that stands alone or heads an automatic group).

Two steps find the group of an own motive: first the same text with another
spelling (motives/text.py: a typo, accents, a small word), against the worksheet
and the heads of the automatic groups; then the same thing in other words
(motives/meaning.py: stems, compounds, the domain's synonyms), against the
members of the automatic groups, joining a group only when its text says the
same as at least half of the group's members: a text that says what one member
of a larger group says, and not what the others say, does not drag its idea in.

Similarity (motives/text.py) is computed by rapidfuzz (C++), one own motive against all
candidates of its side at once, and a :class:`Grouper` keeps what it worked
out between calls, so that a long-lived dashboard compares only what is new.
"""

from __future__ import annotations

import copy
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from motives.errors import InvalidInput
from motives.i18n import LANGUAGES
from motives.meaning import Reading, compare, read, same_meaning
from motives.models import Catalogue, group_id, is_group_id, own_motive_id
from motives.text import first_similar_in, normalise
from motives.words import GENERIC


@dataclass(frozen=True)
class OwnText:
    id: int
    side: str
    text: str
    language: str | None = None  # its session's, when sessions of several languages are grouped together


class _Texts:
    """Texts of one side in the order that decides which match wins, with their keys."""

    def __init__(self) -> None:
        self.keys: list[str] = []
        self.ids: list[int] = []
        self.texts: list[str] = []
        # The texts' lengths for the batch comparison, in an array that doubles when full: appending
        # to an array copies it, and a notebook grouping 1,000 sessions appends 20,000 times.
        self._lengths = np.zeros(16, dtype=np.int64)
        self._size = 0
        # text → key of the first similar text. Texts are only appended after the
        # others, so a first match stays the first until texts are dropped.
        self._found: dict[str, str] = {}

    def append(self, key: str, own_id: int, text: str) -> None:
        self.keys.append(key)
        self.ids.append(own_id)
        self.texts.append(text)
        if self._size == len(self._lengths):
            self._lengths = np.concatenate([self._lengths, np.zeros_like(self._lengths)])
        self._lengths[self._size] = len(text)
        self._size += 1

    def drop_from(self, own_id: int) -> None:
        """Forget the texts of own motives with this id or a later one."""
        keep = next((i for i, other in enumerate(self.ids) if other >= own_id), len(self.ids))
        del self.keys[keep:], self.ids[keep:], self.texts[keep:]
        self._size = keep
        self._found.clear()

    def first(self, text: str) -> str | None:
        if text in self._found:
            return self._found[text]
        index = first_similar_in(text, self.texts, self._lengths[: self._size])
        if index is None:
            return None
        self._found[text] = self.keys[index]
        return self.keys[index]


class _Meanings:
    """The automatic groups of one side, by what their members say, indexed by the words they say it with."""

    def __init__(self) -> None:
        self.members: dict[str, list[tuple[int, Reading]]] = {}  # key → members (own id, reading), by id
        self._index: dict[str, set[str]] = {}  # a word's stem or concept → keys of the groups that use it

    def append(self, key: str, own_id: int, reading: Reading) -> None:
        self.members.setdefault(key, []).append((own_id, reading))
        for word in reading.words:
            if word.concept not in GENERIC:
                self._index.setdefault(word.stem, set()).add(key)

    def drop_from(self, own_id: int) -> None:
        """Forget the own motives with this id or a later one."""
        kept = {key: [m for m in members if m[0] < own_id] for key, members in self.members.items()}
        self.members, self._index = {}, {}
        for key, members in kept.items():
            for member_id, reading in members:
                self.append(key, member_id, reading)

    def first(self, reading: Reading, same: Callable[[Reading, Reading], bool] = same_meaning) -> str | None:
        """The first group (by its head's id) whose members mostly say what ``reading`` says (``same``)."""
        # Only groups that share a word with the text, one that is not generic, can say the same thing
        # (motives/meaning.py); a word shared only through a typo or a compound is left to the spelling.
        candidates = {key for word in reading.words for key in self._index.get(word.stem, ())}
        for key in sorted(candidates, key=lambda k: self.members[k][0][0]):
            members = self.members[key]
            needed = (len(members) + 1) // 2  # at least half, and at least one
            agree = 0
            for done, (_id, other) in enumerate(members, start=1):
                agree += same(reading, other)
                if agree >= needed or agree + len(members) - done < needed:
                    break  # decided either way: the rest cannot change it
            if agree >= needed:
                return key
        return None


@dataclass(frozen=True)
class _Done:
    # what decided the key (id, side, text, link) and the key it got
    given: tuple[int, str, str, str | None, str | None]
    key: str


class Grouper:
    """Group keys of own motives, remembered between calls.

    The key of an own motive depends only on the motives with a smaller id
    (the earlier heads) and its own side, text and link. So when :meth:`keys`
    is called again, everything before the first motive that is new, edited,
    removed or linked differently is kept as it was, and only the rest is
    grouped again: a new motive (the largest id) costs one comparison with the
    catalogue and the heads of its side; a tick elsewhere costs none. The
    result always equals :func:`group_keys` on the same input and language.
    """

    def __init__(self, catalogue: Catalogue, language: str | None = None) -> None:
        self.catalogue = catalogue
        self.language = language  # the session's: own motives are read in it (None: each text's own)
        self._sides = {m.id: m.side for m in catalogue.motives}
        self._catalogue: dict[str, _Texts] = {}
        for m in catalogue.motives:
            for lang in LANGUAGES:
                if lang in m.texts:
                    self._catalogue.setdefault(m.side, _Texts()).append(m.id, -1, normalise(m.texts[lang]))
        self._forget()

    def fresh(self, language: str | None = None) -> Grouper:
        """A grouper for another session on the same catalogue, for one call of :meth:`keys`.

        It shares what depends on the catalogue alone (normalised texts, matches with
        the catalogue) with this one and never forgets it: a notebook that reads
        1,000 sessions compares each recurring text with the catalogue once.
        """
        other = copy.copy(self)
        other._forget()
        other._normal, other._matches, other._shared = self._normal, self._matches, True
        other._readings, other.language = self._readings, language
        return other

    def _forget(self) -> None:
        """Forget every own motive: what is left depends on the catalogue only."""
        self._done: list[_Done] = []
        self._heads: dict[str, _Texts] = {}
        self._meanings: dict[str, _Meanings] = {}
        # (text, text) → whether they say the same: an edit or a merge early in the session groups
        # every later motive again, and compares the same pairs as before.
        self._pairs: dict[tuple[str, str, str, str], bool] = {}
        self._normal: dict[str, str] = {}  # text → normalised, for the texts present
        self._readings: dict[tuple[str, str | None], Reading] = {}  # (text, language) → what it says
        self._matches: dict[tuple[str, str], str | None] = {}  # (side, normalised) → catalogue id
        self._shared = False  # whether the two caches above are shared with other groupers (see fresh)
        self.compared = 0  # own motives grouped by comparison so far (tests read it)

    def keys(self, own: Iterable[OwnText], links: Mapping[int, str]) -> dict[int, str]:
        """The group key of every own motive; see :func:`group_keys`."""
        given = [
            (o.id, o.side, o.text, links.get(o.id), o.language or self.language)
            for o in sorted(own, key=lambda o: o.id)
        ]
        kept = next(
            (i for i, (done, now) in enumerate(zip(self._done, given, strict=False)) if done.given != now),
            min(len(self._done), len(given)),
        )
        if kept < len(self._done):
            first = self._done[kept].given[0]
            if kept < len(given):
                first = min(first, given[kept][0])
            del self._done[kept:]
            for heads in self._heads.values():
                heads.drop_from(first)
            for meanings in self._meanings.values():
                meanings.drop_from(first)
            present = {item[2] for item in given}
            self._pairs = {
                pair: same for pair, same in self._pairs.items() if pair[0] in present and pair[2] in present
            }
        for item in given[kept:]:
            self._done.append(self._group(*item))
        if self._shared:
            return {done.given[0]: done.key for done in self._done}
        texts = {item[2] for item in given}
        self._normal = {text: normal for text, normal in self._normal.items() if text in texts}
        self._readings = {pair: reading for pair, reading in self._readings.items() if pair[0] in texts}
        normals = {(item[1], self._normal.get(item[2])) for item in given}
        self._matches = {pair: match for pair, match in self._matches.items() if pair in normals}
        return {done.given[0]: done.key for done in self._done}

    def _same(self, a: Reading, b: Reading) -> bool:
        pair = (a.text, a.language, b.text, b.language)
        same = self._pairs.get(pair)
        if same is None:
            same = self._pairs[pair] = same_meaning(a, b)
        return same

    def _group(self, own_id: int, side: str, text: str, link: str | None, language: str | None) -> _Done:
        given = (own_id, side, text, link, language)
        if link is not None:
            if link == "":
                return _Done(given, own_motive_id(own_id))
            if is_group_id(link) or self._sides.get(link) == side:
                return _Done(given, link)
        self.compared += 1
        normal = self._normal.get(text)
        if normal is None:
            normal = self._normal[text] = normalise(text)
        if (side, normal) not in self._matches:
            catalogue = self._catalogue.get(side)
            self._matches[side, normal] = catalogue.first(normal) if catalogue else None
        match = self._matches[side, normal]
        if match is not None:
            return _Done(given, match)
        reading = self._readings.get((text, language))
        if reading is None:
            reading = self._readings[text, language] = read(text, language)
        meanings = self._meanings.setdefault(side, _Meanings())
        heads = self._heads.setdefault(side, _Texts())
        match = heads.first(normal)
        if match is None:
            match = meanings.first(reading, self._same)
        if match is not None:
            meanings.append(match, own_id, reading)
            return _Done(given, match)
        heads.append(own_motive_id(own_id), own_id, normal)
        meanings.append(own_motive_id(own_id), own_id, reading)
        return _Done(given, own_motive_id(own_id))


def group_keys(
    catalogue: Catalogue, own: Iterable[OwnText], links: Mapping[int, str], language: str | None = None
) -> dict[int, str]:
    """The group key of every own motive.

    ``links`` maps an own motive id to the key the trainer chose for it; an
    empty key means the trainer split it off to stand alone. Links to a key
    that does not fit (unknown catalogue id, other side) are ignored. Without
    a link, an own motive joins the first catalogue motive of its side that it
    is similar to, else the first earlier automatic group (by id) of its side.
    """
    return Grouper(catalogue, language).keys(own, links)


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
    if a in catalogue.ids or is_group_id(a):
        target = a
    elif b in catalogue.ids or is_group_id(b):
        target = b
    else:
        target = group_id(members[0])
    return members, target


def split_plan(keys: Mapping[int, str], key: str) -> list[int]:
    """The own motives to stand alone again when the trainer splits the row ``key``."""
    return sorted(own_id for own_id, k in keys.items() if k == key)


def shared_words(label: str, texts: Sequence[str], language: str | None = None, most: bool = False) -> list[str]:
    """Why texts were grouped with ``label``: the words of ``label`` that every other text says too
    (``most``: at least half of them).

    A word counts when another text says it in another form or with a synonym of the domain list
    (motives/meaning.py): "privacy, cliënten, beschermen" for "bescherming privacy clienten". The
    words in ``label``'s order, as written there (a compound another text splits, as that text
    writes it); none when the texts share no word with it.
    """
    others = [text for text in texts if text != label]
    if not others:
        return []
    head = read(label, language)
    counts = Counter(word for text in others for word in compare(head, read(text, language)).shared)
    needed = (len(others) + 1) // 2 if most else len(others)
    return [word for word, count in counts.items() if count >= needed]
