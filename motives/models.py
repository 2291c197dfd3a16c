"""The app's records as plain frozen dataclasses: what the store hands out and what the tally reads.

No SQL here (that is :mod:`motives.store`) and no pandas (that is :mod:`motives.tally`),
so both can depend on this module without depending on each other.
"""

from __future__ import annotations

import hmac
import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:  # the catalogue builds on the names below, so it is not imported at run time
    from motives.catalogue import Catalogue

# The two columns of the worksheet, and the answers to its question: defined here once.
Side = Literal["against", "for"]
SIDES: tuple[Side, ...] = ("against", "for")
CONCLUSIONS = ("yes", "no", "not_yet")

# No look-alikes: 0/O, 1/I/L are left out, so a code read off a projector is typed right.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 6
# The key of a group of own motives the trainer merged (see motives.grouping.merge_plan).
GROUP_KEY = re.compile(r"^g-[a-z0-9]{1,32}$")


def link_fits(target: object, catalogue: Catalogue) -> bool:
    """Whether own motives may be linked to ``target``: a catalogue motive, a trainer's group, or "" (alone)."""
    return isinstance(target, str) and (target == "" or target in catalogue.ids or bool(GROUP_KEY.fullmatch(target)))


def normalise_code(code: str) -> str:
    """A join code as typed (spaces, lower case) in the form the store keeps."""
    return "".join(str(code).split()).upper()


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


@dataclass(frozen=True)
class SessionSummary:
    code: str
    name: str
    language: str
    created_at: datetime
    teams: int


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
class SessionArchive:
    """A whole session as plain data, read from an archive file (see motives.archive)."""

    name: str
    language: str
    trainer_key: str
    created_at: datetime
    revealed: bool
    catalogue: Catalogue
    teams: list[dict]
    links: dict[int, str]


@dataclass(frozen=True)
class SessionState:
    """What pages poll: a number that changes with every write, the reveal flag and the phase timer."""

    revision: int
    revealed: bool
    timer_started_at: datetime | None
    timer_ends_at: datetime | None
    locked: bool = False


@dataclass(frozen=True)
class SessionRecords:
    """All answers of a session as plain rows: the input of :mod:`motives.tally`."""

    session: Session
    teams: list[TeamRecord]
    answers: list[dict]
    own: list[dict]
    links: dict[int, str] = field(default_factory=dict)
    revision: int = 0
