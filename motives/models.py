"""The app's records as plain frozen dataclasses: what the store hands out and what the tally reads.

No SQL here (that is :mod:`motives.store`) and no pandas (that is :mod:`motives.tally`),
so both can depend on this module without depending on each other.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from dataclasses import dataclass, field
from datetime import datetime
from enum import Enum, auto
from typing import Any, Literal

from motives.i18n import LANGUAGES


class Unset(Enum):
    """The value of an argument not given, where None is a value (no conclusion): left as it is."""

    UNSET = auto()


UNSET = Unset.UNSET

# The two columns of the worksheet, and the answers to its question: defined here once.
Side = Literal["against", "for"]
SIDES: tuple[Side, ...] = ("against", "for")
CONCLUSIONS = ("yes", "no", "not_yet")
# Where a table counts the teams by conclusion, the teams that gave none yet (the reflection's).
NO_CONCLUSION = "none"

# No look-alikes: 0/O, 1/I/L are left out, so a code read off a projector is typed right.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 6
# An own motive's id where it stands among the worksheet's (the tallies, the group keys): "own-<number>",
# its number in the store.
OWN_PREFIX = "own-"
# The key of a group of own motives the trainer merged (see motives.grouping.merge_plan): "g-<number>".
GROUP_PREFIX = "g-"
GROUP_KEY = re.compile(rf"^{GROUP_PREFIX}[a-z0-9]{{1,32}}$")
# The fields a catalogue's source attribution may hold, in the order a report lists them. An adapted
# catalogue keeps its source's fields and adds its own line, "adaptation" (who adapted it, for whom).
SOURCE_FIELDS = ("author", "date", "publication", "credits", "reference", "website", "adaptation")
# What the id of a catalogue adapted from another ends in (the trainer's home's editor).
ADAPTED = "-adapted"


def normalise_code(code: str) -> str:
    """A join code as typed (spaces, lower case) in the form the store keeps."""
    return "".join(str(code).split()).upper()


def is_code(code: object) -> bool:
    """Whether ``code`` is a join code as the app makes them: its length, its letters and digits."""
    return isinstance(code, str) and len(code) == CODE_LENGTH and set(code) <= set(CODE_ALPHABET)


def own_motive_id(number: int) -> str:
    """The id of own motive ``number`` (the store's) beside the worksheet's motive ids: ``own-<number>``."""
    return f"{OWN_PREFIX}{number}"


def own_number(motive_id: str) -> int:
    """The store's number of the own motive :func:`own_motive_id` named; a ValueError for any other id."""
    if not motive_id.startswith(OWN_PREFIX):
        raise ValueError(f"not the id of an own motive: {motive_id!r}")
    return int(motive_id[len(OWN_PREFIX) :])


def group_id(number: int) -> str:
    """The key of the group the trainer made of own motives, named by its first own motive: ``g-<number>``."""
    return f"{GROUP_PREFIX}{number}"


def is_group_id(key: str) -> bool:
    """Whether ``key`` names a group of the trainer's (:func:`group_id`), rather than a motive."""
    return bool(GROUP_KEY.fullmatch(key))


def _in(texts: dict[str, str], language: str) -> str:
    """The text in ``language``, falling back to the other language rather than nothing."""
    if texts.get(language):
        return texts[language]
    return next((texts[lang] for lang in LANGUAGES if texts.get(lang)), "")


@dataclass(frozen=True)
class Motive:
    """One motive of the worksheet: its stable id, its side and its text per language."""

    id: str
    side: Side
    texts: dict[str, str]

    def text(self, language: str) -> str:
        return _in(self.texts, language)


@dataclass(frozen=True)
class Catalogue:
    """The worksheet's motives, headings and source (motives.catalogue reads and writes its files)."""

    id: str
    title: dict[str, str]
    instruction: dict[str, str]
    headings: dict[str, dict[str, str]]
    source: dict[str, Any]
    motives: tuple[Motive, ...]
    ids: frozenset[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "ids", frozenset(m.id for m in self.motives))

    def side(self, side: Side) -> list[Motive]:
        return [m for m in self.motives if m.side == side]

    def motive(self, motive_id: str) -> Motive:
        for m in self.motives:
            if m.id == motive_id:
                return m
        raise KeyError(motive_id)

    def link_fits(self, target: object) -> bool:
        """Whether own motives may be linked to ``target``: a motive here, a trainer's group, or "" (alone)."""
        return isinstance(target, str) and (target == "" or target in self.ids or is_group_id(target))

    def heading(self, side: Side, language: str) -> str:
        return _in(self.headings.get(side, {}), language)

    def title_in(self, language: str) -> str:
        return _in(self.title, language)

    def instruction_in(self, language: str) -> str:
        return _in(self.instruction, language)

    @property
    def adapted(self) -> bool:
        """Whether a trainer adapted this catalogue from another (whose credit it keeps)."""
        return self.id.endswith(ADAPTED)

    def credit_lines(self, language: str) -> list[str]:
        """The source credit as a page, a report or a handout shows it: a line each, in ``language``."""
        from motives.i18n import message

        source = self.source_in(language)
        lines = [" · ".join(source[k] for k in ("author", "date") if k in source)]
        lines += [source[k] for k in ("publication", "credits", "reference", "website") if k in source]
        if self.adapted:
            lines.append(message(language, "source_adapted"))
        lines.append(source.get("adaptation", ""))
        return [line for line in lines if line]

    def source_in(self, language: str) -> dict[str, str]:
        """The source attribution as plain strings, translated fields resolved."""
        out = {}
        for key in SOURCE_FIELDS:
            value = self.source.get(key)
            if isinstance(value, dict):
                value = _in(value, language)
            if value:
                out[key] = value
        return out

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready copy, the form in which a session freezes its catalogue."""
        return {
            "id": self.id,
            "title": dict(self.title),
            "instruction": dict(self.instruction),
            "heading": {side: dict(texts) for side, texts in self.headings.items()},
            "source": dict(self.source),
            "motive": [{"id": m.id, "side": m.side, **m.texts} for m in self.motives],
        }


@dataclass(frozen=True)
class Session:
    id: int
    code: str
    name: str
    language: str
    catalogue: Catalogue
    created_at: datetime
    trainer_key: str = field(repr=False)

    def key_matches(self, key: object) -> bool:
        """Constant-time comparison, so the key cannot be guessed by timing."""
        if not isinstance(key, str) or not key:
            return False
        return hmac.compare_digest(key.encode(), self.trainer_key.encode())

    @property
    def screen_key(self) -> str:
        """The projector's key: it opens the session's projector view (the slides a room may see)
        and nothing else. Made from the trainer key, which it does not give away (a keyed hash), so
        it needs no column of its own and an imported session's projector link works as before."""
        digest = hmac.new(self.trainer_key.encode(), b"motives projector screen", hashlib.sha256).digest()
        return base64.urlsafe_b64encode(digest[:12]).decode()

    def screen_key_matches(self, key: object) -> bool:
        if not isinstance(key, str) or not key:
            return False
        return hmac.compare_digest(key.encode(), self.screen_key.encode())


@dataclass(frozen=True)
class SessionSummary:
    code: str
    name: str
    language: str
    created_at: datetime
    teams: int
    # For the trainer's home (its dashboard link) only; never in a repr, a log or a listing.
    trainer_key: str = field(default="", repr=False)
    answered: int = 0  # teams that ticked, wrote or concluded something
    locked: bool = False


@dataclass(frozen=True)
class Team:
    id: int
    name: str
    session: Session
    # The team's own key: its link carries it, so that knowing a team's name (every team page shows
    # every name once the trainer reveals the comparison) is not enough to change its answers.
    key: str = field(default="", repr=False, compare=False)

    def key_matches(self, key: object) -> bool:
        return bool(self.key) and isinstance(key, str) and hmac.compare_digest(self.key.encode(), key.encode())


@dataclass(frozen=True)
class Answer:
    motive_id: str
    applies: bool
    importance: int | None
    updated_at: datetime


@dataclass(frozen=True)
class OwnMotive:
    id: int
    side: str
    text: str
    importance: int
    updated_at: datetime


@dataclass(frozen=True)
class TeamAnswers:
    """Everything one team has said, as the team page restores it."""

    answers: dict[str, Answer]
    own: list[OwnMotive]
    conclusion: str | None
    explanation: str


@dataclass(frozen=True)
class TeamRecord:
    id: int
    name: str
    joined_at: datetime
    conclusion: str | None
    explanation: str
    conclusion_updated_at: datetime | None


@dataclass(frozen=True)
class ArchivedAnswer:
    motive_id: str
    applies: bool
    importance: int | None
    updated_at: datetime


@dataclass(frozen=True)
class ArchivedOwnMotive:
    id: int  # local to the archive file: its links refer to own motives by this id
    side: str
    text: str
    importance: int
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True)
class ArchivedTeam:
    name: str
    joined_at: datetime
    conclusion: str | None
    explanation: str
    conclusion_updated_at: datetime | None
    answers: tuple[ArchivedAnswer, ...]
    own: tuple[ArchivedOwnMotive, ...]


@dataclass(frozen=True)
class SessionArchive:
    """A whole session as plain data, read from an archive file and checked by :func:`motives.archive.parse`."""

    name: str
    language: str
    trainer_key: str
    created_at: datetime
    revealed: bool
    catalogue: Catalogue
    teams: tuple[ArchivedTeam, ...]
    links: dict[int, str]  # an own motive's id in the file: the catalogue motive or group it is linked to
    # The session's state, as the trainer left it: an archive that lost the lock would open the session
    # to new teams again. (Archives written before these were kept read as open, no timer, first slide.)
    locked: bool = False
    timer_started_at: datetime | None = None
    timer_ends_at: datetime | None = None
    screen: str = ""


@dataclass(frozen=True)
class SessionState:
    """What pages poll: a number that changes with every write, the reveal flag and the phase timer."""

    revision: int
    revealed: bool
    timer_started_at: datetime | None
    timer_ends_at: datetime | None
    locked: bool = False
    screen: str = ""  # the projector's slide (motives.projector); "" the first


@dataclass(frozen=True)
class SessionRecords:
    """All answers of a session as plain rows: the input of :mod:`motives.tally`."""

    session: Session
    teams: list[TeamRecord]
    answers: list[dict]
    own: list[dict]
    links: dict[int, str] = field(default_factory=dict)
    revision: int = 0


@dataclass(frozen=True)
class PictureItem:
    """One motive of the group's picture a team page shows once the trainer reveals the comparison:
    how many teams chose it, the weight they gave it on average, and this team's own (None: not chosen)."""

    side: Side
    text: str
    chosen: int
    mean: float | None
    ours: int | None = None


@dataclass(frozen=True)
class GroupPicture:
    """What one team's page shows once the comparison is revealed: the motives most teams chose first,
    per side and at most a bounded number of them (``more``: how many of each side are left out), and
    every team's conclusion, this team's marked."""

    total: int  # teams in the session
    items: tuple[PictureItem, ...]
    more: tuple[tuple[str, int], ...]  # (side, motives left out)
    conclusions: tuple[tuple[str, str | None], ...]  # (team, conclusion)
    team: str = ""
    revision: int = 0  # the session's revision it shows
