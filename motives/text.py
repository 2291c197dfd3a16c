"""Texts compared as people write them: normalised, and similar when they say the same thing.

Plain Python and rapidfuzz only, so that the catalogue (which grows from own
motives) and the grouping of own motives (which compares them with the catalogue)
both build on it without importing each other.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING

from rapidfuzz.distance import Indel

if TYPE_CHECKING:
    import numpy as np

# Two normalised texts are similar when (1) their characters agree for at least
# SIMILARITY_PERCENT (Indel similarity: 2 × longest common subsequence / both
# lengths) and (2) their words differ only by typos, inflections and small
# words added on one side. The threshold was chosen again on the Dutch and
# English pairs in tests/test_grouping.py (SAME_MOTIVE, OTHER_MOTIVE): every pair
# that should group scores 0.89 or more (a typo, capitals, accents, plural, one
# small word added: 0.91–1.00; other framing words: 0.89), so 85 leaves room for
# a typo *and* a dropped word in a short text. (rapidfuzz's Indel ratio equals
# difflib's ratio on all these pairs, so 85 means what it meant before.)
# Characters alone cannot keep the pairs apart that must not
# group: "We willen (geen) beleid over foto's van cliënten" scores 0.94,
# "bewoners"/"bezoekers" in the same sentence 0.92, "cliënten"/"collega's" 0.90.
# The word rule does: a word of one text that has no near twin in the other
# (WORD_PERCENT, or one is the other plus an ending) counts as a difference; a
# negation that differs, or different content words on both sides (one word put
# in place of another), make the texts different motives. Words of up to
# SMALL_WORD letters (de, het, te, our, the) and the words teams use to frame a
# motive (FRAMING: "Ons team wil …", "Volgens ons moeten we …", "We need …") are
# not content: they are left to the character score.
SIMILARITY_PERCENT = 85
WORD_PERCENT = 75
SMALL_WORD = 3
NEGATIONS = frozenset(
    {"geen", "niet", "nooit", "niets", "niemand", "nergens", "zonder"}
    | {"no", "not", "never", "none", "nothing", "nobody", "nowhere", "without", "cannot"}
    | {"ne", "pas", "aucun", "aucune", "jamais", "rien", "sans"}
)
FRAMING = frozenset(
    {"deze", "zijn", "wordt", "worden", "onze", "jullie", "willen", "wilt", "moet", "moeten", "zouden"}
    | {"kunnen", "mogen", "vinden", "vind", "denken", "denk", "lijkt", "nodig", "eigenlijk", "volgens", "team"}
    | {"graag", "echt", "vooral", "that", "this", "they", "their", "them", "would", "should", "must", "need"}
    | {"needs", "want", "wants", "think", "feel", "really", "also"}
)
_NON_WORD = re.compile(r"[^\w]+")
_FEW = 64  # up to this many candidates, texts are compared one by one rather than in a batch


def normalise(text: str) -> str:
    """Lower case, no accents, no punctuation, single spaces: 'Privé!' and 'prive' are equal."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    bare = decomposed if decomposed.isascii() else "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(_NON_WORD.sub(" ", bare).split())


def _close_enough(distance: np.ndarray | int, total: np.ndarray | int) -> np.ndarray | bool:
    # Integer arithmetic, so that one pair gets the same answer whether it is
    # compared alone or in a batch (a float32 score could fall either side).
    return distance * 100 <= (100 - SIMILARITY_PERCENT) * total


# Prefixes that turn a word around: "onveilig" is not a typo of "veilig", nor "inacceptable" of "acceptable".
OPPOSITE_PREFIXES = ("on", "un", "in", "im", "il", "ir", "dis", "non", "niet")


def opposites(a: str, b: str) -> bool:
    """Whether one word is the other with a prefix that turns it around."""
    longer, shorter = (a, b) if len(a) > len(b) else (b, a)
    return any(longer == prefix + shorter for prefix in OPPOSITE_PREFIXES)


def _twins(a: str, b: str) -> bool:
    if opposites(a, b):
        return False
    if min(len(a), len(b)) >= 4 and (a.startswith(b) or b.startswith(a)):
        return True
    return Indel.normalized_similarity(a, b) * 100 >= WORD_PERCENT


def negated(words: list[str]) -> bool:
    """Whether normalised words say no: a negation word, or English "n't" ("don t", "isn t")."""
    return any(word in NEGATIONS for word in words) or any(
        first.endswith("n") and second == "t" for first, second in itertools.pairwise(words)
    )


def _same_words(a: str, b: str) -> bool:
    """The word rule: no differing negation, and no content word replaced by another."""
    if negated(a.split()) != negated(b.split()):
        return False
    if {w for w in a.split() if w.isdigit()} != {w for w in b.split() if w.isdigit()}:
        return False  # "2 uur per dag" is not "8 uur per dag"
    words_a, words_b = Counter(a.split()), Counter(b.split())
    only_a = list((words_a - words_b).elements())
    only_b = list((words_b - words_a).elements())
    for word in list(only_a):
        twin = next((other for other in only_b if _twins(word, other)), None)
        if twin is not None:
            only_a.remove(word)
            only_b.remove(twin)
    if any(word in NEGATIONS for word in only_a + only_b):
        return False
    content_a = [word for word in only_a if len(word) > SMALL_WORD and word not in FRAMING]
    content_b = [word for word in only_b if len(word) > SMALL_WORD and word not in FRAMING]
    return not (content_a and content_b)


def similar(a: str, b: str) -> bool:
    """Two normalised texts that differ only by a typo, an inflection or a small word."""
    if a == b:
        return True
    if not a or not b:
        return False
    return bool(_close_enough(Indel.distance(a, b), len(a) + len(b))) and _same_words(a, b)


def first_similar_in(text: str, candidates: list[str], lengths: np.ndarray | Sequence[int]) -> int | None:
    """The index of the first candidate similar to ``text``: one batch comparison, then the word rule.

    ``lengths`` are the candidates' lengths (kept beside a growing list of candidates by its owner).
    """
    if not candidates:
        return None
    if len(candidates) <= _FEW:
        # One call per pair costs about 1 µs; a batch call about 30 µs before its first pair.
        for index, candidate in enumerate(candidates):
            total = len(text) + len(candidate)
            limit = (100 - SIMILARITY_PERCENT) * total // 100
            if _close_enough(Indel.distance(text, candidate, score_cutoff=limit), total) and (
                candidate == text or (text and candidate and _same_words(text, candidate))
            ):
                return index
        return None
    # numpy only here: the team page checks a new motive against a catalogue's few texts, and
    # importing numpy would cost each of its kernels 0.2 s and 10 MB.
    import numpy as np
    from rapidfuzz.process import cdist

    lengths = np.asarray(lengths, dtype=np.int64)
    # No pair can pass beyond this distance; rapidfuzz stops early there.
    cutoff = (100 - SIMILARITY_PERCENT) * (len(text) + int(lengths.max())) // 100
    distances = cdist([text], candidates, scorer=Indel.distance, score_cutoff=cutoff, dtype=np.int32)[0]
    for near in np.flatnonzero(_close_enough(distances, lengths + len(text))):
        candidate = candidates[near]
        if candidate == text or (text and candidate and _same_words(text, candidate)):
            return int(near)
    return None


def first_similar(text: str, candidates: Sequence[str]) -> int | None:
    """The index of the first normalised candidate that ``text`` (normalised) is similar to, or None."""
    return first_similar_in(text, list(candidates), [len(c) for c in candidates])


def slug(text: str, words: int = 6) -> str:
    """The first ``words`` words of ``text`` as an id: 'Privé-foto's!' gives 'prive-foto-s'."""
    return "-".join(re.sub(r"[^a-z0-9]+", " ", normalise(text)).split()[:words]) or "motive"
