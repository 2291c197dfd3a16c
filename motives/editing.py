"""A catalogue being edited in one language: reworded, grown, trimmed, reordered, motives moved.

The trainer's home edits a :class:`Draft`; :meth:`Draft.catalogue` checks it as a catalogue file is
checked (the same limits and messages, :func:`motives.catalogue.catalogue_from_dict`), and
both columns need a motive. A reworded or added motive keeps only the text the trainer wrote:
the other languages' texts were translations of the old words.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from motives.catalogue import catalogue_from_dict
from motives.errors import CatalogueError, Phrase
from motives.models import ADAPTED, SIDES, Catalogue, Side
from motives.text import slug


@dataclass
class DraftMotive:
    id: str
    texts: dict[str, str]

    def text_in(self, language: str) -> str:
        """Its text in ``language``, else in the language it has."""
        return self.texts.get(language) or next(iter(self.texts.values()), "")


@dataclass(frozen=True)
class Candidate:
    """An own motive that teams wrote in past sessions, offered for the next catalogue ("grow from sessions")."""

    side: Side
    text: str
    language: str  # its session's
    teams: int  # how many teams wrote it (grouped as the dashboard groups own motives)


@dataclass
class Draft:
    """A catalogue's editable copy; ``language`` is the one the trainer writes in."""

    base: Catalogue
    language: str
    title: str = ""
    instruction: str = ""
    motives: dict[Side, list[DraftMotive]] = field(default_factory=dict)
    adaptation: str = ""  # the credit's own line: who adapted the worksheet, for whom (the source's stays)

    @classmethod
    def of(cls, catalogue: Catalogue, language: str) -> Draft:
        motives = {side: [DraftMotive(m.id, dict(m.texts)) for m in catalogue.side(side)] for side in SIDES}
        adaptation = catalogue.source_in(language).get("adaptation", "")
        title, instruction = catalogue.title_in(language), catalogue.instruction_in(language)
        return cls(catalogue, language, title, instruction, motives, adaptation)

    def text(self, side: Side, index: int) -> str:
        return self.motives[side][index].text_in(self.language)

    def reword(self, side: Side, index: int, text: str) -> None:
        motive = self.motives[side][index]
        if text != self.text(side, index):
            motive.texts = {self.language: text}

    def add(self, side: Side, text: str, language: str | None = None) -> None:
        """A new motive at the end of ``side``, written in ``language`` (the trainer's unless said)."""
        taken = {m.id for column in self.motives.values() for m in column}
        base = f"{side}-{slug(text)}"[:56].rstrip("-")
        motive_id, number = base, 2
        while motive_id in taken:
            motive_id, number = f"{base}-{number}", number + 1
        self.motives[side].append(DraftMotive(motive_id, {language or self.language: text}))

    def remove(self, side: Side, index: int) -> None:
        del self.motives[side][index]

    def up(self, side: Side, index: int) -> None:
        column = self.motives[side]
        if index > 0:
            column[index - 1], column[index] = column[index], column[index - 1]

    def move(self, side: Side, index: int) -> None:
        """The motive goes to the end of the other column."""
        other = SIDES[1 - SIDES.index(side)]
        self.motives[other].append(self.motives[side].pop(index))

    def to_dict(self) -> dict[str, Any]:
        data = self.base.to_dict()
        title, instruction = dict(self.base.title), dict(self.base.instruction)
        if self.title != self.base.title_in(self.language):
            title = {self.language: self.title}
        if self.instruction != self.base.instruction_in(self.language):
            instruction = {self.language: self.instruction} if self.instruction else {}
        motives = [{"id": m.id, "side": side, **m.texts} for side in SIDES for m in self.motives[side]]
        identity = data["id"] if data["id"].endswith(ADAPTED) else f"{data['id'][: 64 - len(ADAPTED)]}{ADAPTED}"
        source = dict(data.get("source", {}))
        if self.adaptation.strip() != self.base.source_in(self.language).get("adaptation", ""):
            source.pop("adaptation", None)
            if self.adaptation.strip():
                source["adaptation"] = {self.language: self.adaptation.strip()}
        return data | {"id": identity, "title": title, "instruction": instruction, "motive": motives, "source": source}

    def catalogue(self, origin: str | Phrase = "catalogue") -> Catalogue:
        """The draft as a catalogue, checked as a catalogue file is; a :class:`CatalogueError` names
        the motive and what is wrong with it."""
        for side in SIDES:
            if not self.motives[side]:
                raise CatalogueError.at(
                    origin, Phrase("editor_side_empty", heading=self.base.heading(side, self.language))
                )
        return catalogue_from_dict(self.to_dict(), origin, limits=True)
