"""A labelled set of own motives, and how well the grouping agrees with it, pair by pair.

A labelled set is a CSV file (UTF-8) with the columns ``language,side,group,text``:
one own motive per row, as a team would write it; rows with the same ``group``
say the same thing. tests/data/own-motives-labelled.csv is the project's;
a trainer can measure the grouping on a set of their own the same way
(``python benchmarks/grouping.py --labelled FILE``).

Every two motives of one language and one side are a pair. The grouping puts a
pair together or not; the labels say whether it should. Precision is the share
of the pairs put together that should be; recall the share of the pairs that
should be together that are.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path

from motives.catalogue import default_catalogue
from motives.grouping import Grouper, OwnText
from motives.models import SIDES

COLUMNS = ("language", "side", "group", "text")


@dataclass(frozen=True)
class Labelled:
    language: str
    side: str
    group: str
    text: str


@dataclass(frozen=True)
class PairScores:
    together: int  # pairs the grouping put together that the labels put together
    wrongly_together: int
    wrongly_apart: int

    @property
    def precision(self) -> float:
        put = self.together + self.wrongly_together
        return self.together / put if put else 1.0

    @property
    def recall(self) -> float:
        should = self.together + self.wrongly_apart
        return self.together / should if should else 1.0


def read_labelled(path: Path) -> list[Labelled]:
    """The rows of a labelled set; a row without its four columns, or with an unknown side, is refused."""
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        if tuple(reader.fieldnames or ()) != COLUMNS:
            raise ValueError(f"{path}: the columns must be {', '.join(COLUMNS)}")
        rows = [Labelled(**{name: (row[name] or "").strip() for name in COLUMNS}) for row in reader]
    for line, row in enumerate(rows, start=2):
        if row.side not in SIDES or not row.text or not row.group:
            raise ValueError(f"{path}, line {line}: a side (for or against), a group and a text are needed")
    return rows


def group_labelled(rows: Iterable[Labelled], language: str) -> tuple[list[Labelled], dict[int, str]]:
    """The rows of ``language`` and the group key each gets (by position), as a session in that language groups them."""
    chosen = [row for row in rows if row.language == language]
    own = [OwnText(number, row.side, row.text) for number, row in enumerate(chosen)]
    return chosen, Grouper(default_catalogue(), language).keys(own, {})


def pair_scores(rows: Iterable[Labelled], language: str) -> PairScores:
    """How the grouping of ``language``'s rows agrees with their labels, counted over pairs."""
    chosen, keys = group_labelled(rows, language)
    counts = {"together": 0, "wrongly_together": 0, "wrongly_apart": 0}
    for (i, a), (j, b) in combinations(enumerate(chosen), 2):
        if a.side != b.side:
            continue
        should, put = a.group == b.group, keys[i] == keys[j]
        if should and put:
            counts["together"] += 1
        elif put:
            counts["wrongly_together"] += 1
        elif should:
            counts["wrongly_apart"] += 1
    return PairScores(**counts)
