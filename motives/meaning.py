"""Own motives that say the same thing in other words: what a text says, and when two texts say it alike.

Teams write one idea in many ways: "Privacy van cliënten beschermen",
"bescherming privacy clienten", "De privacy van onze bewoners moet beschermd
worden". :func:`read` keeps what a text says (its content words, each with its
stem and, where the domain list knows it, its concept) and whether it is turned
around by a negation; :func:`same_meaning` compares two readings. It is offline,
deterministic and small: Snowball stemmers (pure Python) and the word lists in
motives/words.py.

What two texts must share to be grouped (precision first: a wrong merge in
front of a room costs more than a missed one):

- the same negation: "geen tijd" is never "tijd", "pas de règles" never "des règles";
- no subject put in place of another ("privacy van cliënten" / "privacy van medewerkers",
  "geen tijd" / "geen geld"): the domain list says which concepts are subjects, and
  which only frame one ("voorkomen", "beschermen");
- most of what they say: the words they share weigh at least SAME_SHARE of all their
  words (a concept the whole worksheet speaks of, such as the policy or social
  media, weighs GENERIC_WEIGHT), and at least one shared word is not generic;
- when each says something the other does not, they share at least BOTH_SHARE, two
  words, and one of them is a subject other than someone ("medewerkers beschermen" is
  not enough); when that is one word each, and one the domain list does not know
  ("beschermen" / "schenden"), three words and SWAP_SHARE.

Two words are the same when they have the same concept, the same stem, differ by
a typo, or when one is a Dutch compound of two words of the other text
(imagoschade / schade aan het imago).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

import snowballstemmer
from rapidfuzz.distance import Indel

from motives.i18n import DEFAULT_LANGUAGE, LANGUAGES
from motives.text import normalise, opposites
from motives.words import ACTORS, CONCEPTS, FRAMING, GENERIC, NEGATIONS, NEGATIONS_ANYWHERE, SMALL_WORDS, SUBJECTS

_STEMMERS = {"nl": "dutch", "fr": "french", "en": "english"}
SAME_SHARE = 0.4  # the share of two texts' weight their shared words must carry
GENERIC_WEIGHT = 0.4
BOTH_SHARE = 0.5  # the share when each text says something the other does not
SWAP_SHARE = 0.65  # the share when that is one word each, and one the domain list does not know
COMPOUND_WORDS = 40
TYPO_PERCENT = 80  # two words of five letters or more this similar are one word with a typo
_LINKS = ("en", "s", "e", "")  # what joins the parts of a Dutch compound: vriendschap-s-verzoek
_ELISION = re.compile(r"\b(n|l|d|qu|s|c|j|m|t)['’]", re.IGNORECASE)
# "… of niet?", "… ou pas ?", "… or not?" asks a question; it does not turn the motive around.
_OR_NOT = re.compile(r"\b(?:of\s+niet|ou\s+pas|ou\s+non|or\s+not)\W*$", re.IGNORECASE)
_NOT = re.compile(r"(?:(?<=\bca)|(?<=\bwo))?n['’]t\b", re.IGNORECASE)  # don't, isn't, can't, won't


@dataclass(frozen=True)
class Word:
    """One content word of a text: as written (normalised), its stem and its concept, if the domain list knows it."""

    text: str
    stem: str
    concept: str | None
    label: str = ""  # as the team wrote it (accents and all), for the overview to show

    @property
    def weight(self) -> float:
        return GENERIC_WEIGHT if self.concept in GENERIC else 1.0


@dataclass(frozen=True)
class Reading:
    """What a text says, as the grouping compares it."""

    words: tuple[Word, ...]
    negated: bool
    language: str
    text: str = ""  # the text as given


@cache
def _stemmer(language: str) -> Any:
    return snowballstemmer.stemmer(_STEMMERS[language])


@functools.lru_cache(maxsize=65536)
def _stem(word: str, language: str) -> str:
    return str(_stemmer(language).stemWord(word))


@cache
def _concepts(language: str) -> tuple[dict[tuple[str, ...], str], dict[str, str], dict[str, str]]:
    """The domain list of ``language``: phrases of several words, single words as listed, and by stem.

    A word as listed wins over a stem another listed word shares ("bereikbaar" is reachable,
    though Snowball stems it as "bereiken" is stemmed).
    """
    phrases: dict[tuple[str, ...], str] = {}
    listed: dict[str, str] = {}
    stems: dict[str, str] = {}
    for concept, forms in CONCEPTS.items():
        for form in forms.get(language, "").split(","):
            words = tuple(normalise(form).split())
            if len(words) == 1:
                listed.setdefault(words[0], concept)
                stems.setdefault(_stem(words[0], language), concept)
            elif words:
                # a form of several words ("service users", "heures de travail") is matched before its words
                phrases.setdefault(words, concept)
    return phrases, listed, stems


def _inflected(word: str, stems: dict[str, str]) -> str | None:
    """The concept of a listed stem that ``word`` is an inflection of, which Snowball does not undo
    ("beschermd", "beschermde": bescherm-): the stem of five letters or more, and an ending of at most three."""
    for cut in range(1, 4):
        if len(word) - cut >= 5 and (concept := stems.get(word[:-cut])) is not None:
            return concept
    return None


@cache
def _own_words(language: str) -> frozenset[str]:
    """The small words and negations of ``language`` that no other language lists ("we", "want" and
    "of" are Dutch words too: they tell nothing)."""
    mine = SMALL_WORDS[language] | NEGATIONS[language]
    others = frozenset().union(*(SMALL_WORDS[o] | NEGATIONS[o] for o in LANGUAGES if o != language))
    return mine - others


def language_of(text: str, default: str = DEFAULT_LANGUAGE) -> str:
    """The language whose own small words ``text`` uses most; ``default`` when none stands out."""
    words = normalise(text).split()
    hits = {lang: sum(word in _own_words(lang) for word in words) for lang in LANGUAGES}
    best = max(hits.values())
    if best == 0 or (list(hits.values()).count(best) > 1 and hits.get(default, 0) == best):
        return default
    return max(LANGUAGES, key=lambda lang: (hits[lang], lang == default))


@functools.lru_cache(maxsize=8192)
def read(text: str, language: str | None = None) -> Reading:
    """What ``text`` says: its content words (small and framing words left out) and whether it is negated."""
    language = language if language is not None and language in LANGUAGES else language_of(text)
    plain = _NOT.sub(" not", _OR_NOT.sub("", text))
    if language == "fr":
        plain = _ELISION.sub(lambda m: m.group(1) + " ", plain)
    words = normalise(plain).split()
    # Where each word stands in the text, to show it as written ("collega's", "vie privée").
    spans = [match.span() for match in re.finditer(r"\w+", plain)]
    if len(spans) != len(words):  # a character that normalises to two words, or none: show the normalised words
        spans = []

    def shown(start: int, end: int) -> str:
        return plain[spans[start][0] : spans[end - 1][1]].casefold() if spans else " ".join(words[start:end])

    phrases, listed, stems = _concepts(language)
    small, negations = SMALL_WORDS[language], NEGATIONS[language] | NEGATIONS_ANYWHERE
    negated = False
    found: list[Word] = []
    index = 0
    while index < len(words):
        word = words[index]
        phrase = next(
            (words[index : index + n] for n in (3, 2) if tuple(words[index : index + n]) in phrases),
            None,
        )
        if phrase is not None and word not in negations:
            known = phrases[tuple(phrase)]
            found.append(Word(" ".join(phrase), known, known, shown(index, index + len(phrase))))
            index += len(phrase)
            continue
        index += 1
        if word in negations:
            negated = True
            continue
        if word in small or (len(word) < 2 and not word.isdigit()):
            continue  # a number stays: "2 uur per dag" is not "8 uur per dag"
        stem = _stem(word, language)
        concept = listed.get(word) or stems.get(stem) or _inflected(word, stems)
        found.append(Word(word, concept or stem, concept, shown(index - 1, index)))
    return Reading(tuple(found), negated, language, text)


def _typo(a: str, b: str) -> bool:
    # The cheap tests first: most pairs of words are not alike at all.
    if min(len(a), len(b)) < 5 or Indel.normalized_similarity(a, b) * 100 < TYPO_PERCENT:
        return False
    return not opposites(a, b)


def _same_word(a: Word, b: Word) -> bool:
    if a.stem == b.stem:
        return True
    if a.concept is not None or b.concept is not None:
        # a word of the domain list is not a typo of another word: "bewoners" is not "bezoekers"
        return False
    return _typo(a.text, b.text) or _typo(a.stem, b.stem)


def _compound(word: Word, others: Sequence[Word], language: str) -> tuple[Word, Word] | None:
    """Two words of ``others`` that ``word`` is a compound of (imagoschade: imago + schade), if any."""
    if len(word.text) < 7:
        return None
    for first in others:
        for head in {first.text, first.stem}:
            if len(head) < 3 or not word.text.startswith(head):
                continue
            for link in _LINKS:
                rest = word.text[len(head) :]
                if not rest.startswith(link) or len(rest) - len(link) < 3:
                    continue
                rest = rest[len(link) :]
                tail = _stem(rest, language)
                for second in others:
                    if second is not first and (second.stem == tail or second.text == rest or _typo(second.text, rest)):
                        return first, second
    return None


@dataclass(frozen=True)
class Overlap:
    """How two readings compare: the share of their weight in words they share, and those words."""

    share: float
    shared: tuple[str, ...]  # the shared words as the first text writes them
    same_negation: bool
    specific: int  # how many shared words are not generic

    replaced: bool  # an actor or a resource on one side stands where another is on the other
    more: int  # how many of the two say something (not generic) the other does not: 0, 1 or 2
    core: int = 0  # how many shared words are neither generic, nor someone, nor a framing
    swapped: bool = False  # each says one word the other does not, and nothing else

    @property
    def same(self) -> bool:
        if not self.same_negation or self.replaced:
            return False
        if self.more == 2:
            # Each says something the other does not: they must share two words, one of them what the
            # motive is about, not only who and what is done ("medewerkers beschermen" is not enough).
            if self.swapped:
                return self.specific >= 3 and self.share >= SWAP_SHARE
            return self.specific >= 2 and self.core >= 1 and self.share >= BOTH_SHARE
        return self.specific >= (1, 2)[self.more] and self.share >= SAME_SHARE


def _actors(reading: Reading) -> tuple[str, ...]:
    """Who the text names first: "usagers envoient … aux intervenants" is not "intervenants envoient … aux usagers"."""
    return tuple(dict.fromkeys(w.concept for w in reading.words if w.concept in ACTORS))[:1]


def _replaced(a: Reading, b: Reading, left_a: Sequence[Word], left_b: Sequence[Word]) -> bool:
    """Whether the words two readings do not share put one subject, someone or number in place of another."""
    # One subject put in place of another: "privacy van cliënten" is not "privacy van medewerkers",
    # "geen tijd" not "geen geld", "privacy van medewerkers" not "medewerkers beschermen tegen haters".
    subjects_a, subjects_b = ({w.concept for w in left} & SUBJECTS - GENERIC for left in (left_a, left_b))
    if subjects_a and subjects_b:
        return True
    # Someone the domain list knows, in place of a word it does not ("bewoners" / "bezoekers").
    actor_a, actor_b = ({w.concept for w in left} & ACTORS for left in (left_a, left_b))
    specific_a, specific_b = (any(w.concept not in GENERIC for w in left) for left in (left_a, left_b))
    if (actor_a and specific_b) or (actor_b and specific_a):
        return True
    # Another number: "2 uur per dag" is not "8 uur per dag".
    if any(w.text.isdigit() for w in left_a) and any(w.text.isdigit() for w in left_b):
        return True
    first_a, first_b = _actors(a), _actors(b)
    return bool(first_a and first_b and first_a != first_b)


def compare(a: Reading, b: Reading) -> Overlap:
    """How alike two readings are (see the module's docstring for the rule)."""
    matched_a: set[int] = set()
    matched_b: set[int] = set()
    shared: list[str] = []
    specific = 0
    core = 0
    for i, word in enumerate(a.words):
        j = next((j for j, other in enumerate(b.words) if j not in matched_b and _same_word(word, other)), None)
        if j is not None:
            matched_a.add(i)
            matched_b.add(j)
            shared.append(word.label)
            specific += word.concept not in GENERIC
            core += word.concept not in GENERIC | ACTORS | FRAMING
    # Compounds, both ways: a word left over on one side may be two words of the other. Not between
    # texts of more than COMPOUND_WORDS words together: the search grows with the cube of their length.
    for mine, theirs, mine_matched, theirs_matched, language in (
        (a.words, b.words, matched_a, matched_b, b.language),
        (b.words, a.words, matched_b, matched_a, a.language),
    ):
        for i, word in enumerate(mine):
            if i in mine_matched or len(mine) + len(theirs) > COMPOUND_WORDS:
                continue
            parts = _compound(word, theirs, language)
            if parts is not None:
                mine_matched.add(i)
                for part in parts:
                    theirs_matched.add(theirs.index(part))
                shared.append(word.label)
                specific += 1
                core += 1
    left_a = [w for i, w in enumerate(a.words) if i not in matched_a]
    left_b = [w for j, w in enumerate(b.words) if j not in matched_b]
    replaced = _replaced(a, b, left_a, left_b)
    specific_a, specific_b = (any(w.concept not in GENERIC for w in left) for left in (left_a, left_b))
    # One word put in place of one other, and nothing else: "beschermen" / "schenden", "winnen" / "verliezen".
    swapped = [sum(w.concept not in GENERIC for w in left) for left in (left_a, left_b)] == [1, 1] and any(
        w.concept is None for w in left_a + left_b
    )
    # Something said on both sides that the other does not say: the texts must share more.
    total = sum(w.weight for w in a.words) + sum(w.weight for w in b.words)
    common = sum(a.words[i].weight for i in matched_a) + sum(b.words[j].weight for j in matched_b)
    share = common / total if total else 1.0
    return Overlap(
        share,
        tuple(dict.fromkeys(shared)),
        a.negated == b.negated,
        specific,
        replaced,
        specific_a + specific_b,
        core,
        swapped,
    )


def same_meaning(a: Reading, b: Reading) -> bool:
    """Whether two readings say the same thing."""
    if a.negated != b.negated:
        return False  # what compare() would find last, found first: most pairs end here
    return compare(a, b).same
