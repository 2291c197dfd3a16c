"""The catalogue: the worksheet's motives, read from a human-editable TOML file.

A session keeps a frozen copy of its catalogue (:meth:`Catalogue.to_dict`), so
editing a file later never changes past results.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from motives import validate
from motives.errors import CatalogueError, Count, InvalidInput, Phrase
from motives.i18n import LANGUAGES  # re-exported: the languages a catalogue may hold
from motives.models import SIDES, Side  # re-exported: the sides a motive stands on
from motives.text import first_similar, normalise, slug

DEFAULT_CATALOGUE = Path(__file__).parent / "catalogues" / "sociale-mediabeleid.toml"

_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")
_SOURCE_FIELDS = ("author", "date", "publication", "credits", "reference", "website")


def shown(value: Any) -> str | Phrase:
    """A value from a file, short enough to quote in a message (a file may hold 20 MB in one string)."""
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > 10**60:
        return Phrase("shown_large_number")
    if isinstance(value, str | int | float | bool) or value is None:
        text = repr(value)
        return text if len(text) <= 60 else text[:57] + "…"
    return Phrase("shown_type", type=type(value).__name__)


def _in(texts: dict[str, str], language: str) -> str:
    """The text in ``language``, falling back to the other language rather than nothing."""
    if texts.get(language):
        return texts[language]
    return next((texts[lang] for lang in LANGUAGES if texts.get(lang)), "")


@dataclass(frozen=True)
class Motive:
    id: str
    side: Side
    texts: dict[str, str]

    def text(self, language: str) -> str:
        return _in(self.texts, language)


@dataclass(frozen=True)
class Catalogue:
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

    def heading(self, side: Side, language: str) -> str:
        return _in(self.headings.get(side, {}), language)

    def title_in(self, language: str) -> str:
        return _in(self.title, language)

    def instruction_in(self, language: str) -> str:
        return _in(self.instruction, language)

    def source_in(self, language: str) -> dict[str, str]:
        """The source attribution as plain strings, translated fields resolved."""
        out = {}
        for key in _SOURCE_FIELDS:
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


def load_catalogue(path: str | Path = DEFAULT_CATALOGUE) -> Catalogue:
    """Read and check a catalogue file; any problem raises :class:`CatalogueError`."""
    path = Path(path)
    limit = validate.MAX_CATALOGUE_BYTES
    try:
        with path.open("rb") as fh:
            raw = fh.read(limit + 1)  # never more: the path may name a device that never ends
    except FileNotFoundError:
        raise CatalogueError.at(path, Phrase("cat_no_file")) from None
    except OSError as exc:
        raise CatalogueError.at(path, Phrase("cat_unreadable", reason=exc.strerror or exc)) from None
    if len(raw) > limit:
        raise CatalogueError.at(path, Phrase("cat_too_large", limit=Count(limit)))
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise CatalogueError.at(path, Phrase("cat_not_utf8", byte=exc.start)) from None
    except tomllib.TOMLDecodeError as exc:
        raise CatalogueError.at(path, Phrase("cat_not_toml", detail=exc)) from None
    except RecursionError:
        # tomllib reads nested arrays and tables by recursion: thousands deep exhaust the stack.
        raise CatalogueError.at(path, Phrase("cat_too_deep")) from None
    except ValueError as exc:  # e.g. an integer of more digits than Python converts
        raise CatalogueError.at(path, Phrase("cat_not_toml", detail=exc)) from None
    return catalogue_from_dict(data, origin=str(path), limits=True)


def default_catalogue() -> Catalogue:
    return load_catalogue(DEFAULT_CATALOGUE)


def catalogue_from_dict(data: Any, origin: str | Phrase = "catalogue", *, limits: bool = False) -> Catalogue:
    """Build a catalogue from parsed data, checking every entry.

    ``origin`` names the file in messages (a path, or a :class:`Phrase` such as "session ABC234"),
    so that a trainer knows where to look.
    With ``limits`` (for files people bring: a catalogue file, an archive) texts and
    counts are held to the limits in :mod:`motives.validate` too; a session's frozen
    copy, already in the store, is read without them, so that no past session
    becomes unreadable.
    """

    def line(text: str, limit: int) -> str:
        if limits:
            return validate.line(text, limit)
        return unicodedata.normalize("NFC", " ".join(text.split()))

    def fail(where: object, problem: Phrase) -> CatalogueError:
        return CatalogueError.at(origin, problem, where)

    if not isinstance(data, dict):
        raise fail(Phrase("entry_top_level"), Phrase("cat_not_table"))
    catalogue_id = data.get("id", "")
    if not isinstance(catalogue_id, str) or not _ID.fullmatch(catalogue_id):
        raise fail("id", Phrase("cat_bad_id"))

    def texts(value: Any, where: str, required: bool, limit: int = validate.MAX_TITLE) -> dict[str, str]:
        if value is None and not required:
            return {}
        if isinstance(value, str):
            value = {"nl": value}
        if not isinstance(value, dict):
            raise fail(where, Phrase("cat_not_texts"))
        unknown = sorted(set(value) - set(LANGUAGES))
        if unknown:
            raise fail(where, Phrase("cat_unknown_language", language=repr(str(unknown[0])[:40])))
        out = {}
        for lang, text in value.items():
            if not isinstance(text, str):
                raise fail(where, Phrase("cat_text_not_string", lang=lang))
            try:
                text = line(text, limit)
            except InvalidInput as exc:
                raise fail(where, Phrase("cat_text_problem", lang=lang, problem=validate.in_file(exc))) from None
            if text:
                out[lang] = text
        if required and not out:
            raise fail(where, Phrase("cat_needs_text"))
        return out

    title = texts(data.get("title"), "title", required=True)
    instruction = texts(data.get("instruction"), "instruction", required=False, limit=validate.MAX_EXPLANATION)
    raw_headings = data.get("heading", {})
    if not isinstance(raw_headings, dict):
        raise fail("heading", Phrase("cat_bad_headings"))
    headings = {side: texts(raw_headings.get(side), f"heading.{side}", required=True) for side in SIDES}

    source = data.get("source", {})
    if not isinstance(source, dict):
        raise fail("source", Phrase("cat_bad_source"))
    clean_source: dict[str, Any] = {}
    for key, value in source.items():
        if key not in _SOURCE_FIELDS:
            raise fail(f"source.{str(key)[:40]}", Phrase("cat_unknown_source_field", known=", ".join(_SOURCE_FIELDS)))
        if isinstance(value, dict):
            clean_source[key] = texts(value, f"source.{key}", required=False, limit=validate.MAX_SOURCE_FIELD)
        elif isinstance(value, str):
            try:
                clean_source[key] = line(value, validate.MAX_SOURCE_FIELD)
            except InvalidInput as exc:
                raise fail(f"source.{key}", validate.in_file(exc)) from None
        else:
            raise fail(f"source.{key}", Phrase("file_not_text"))

    raw_motives = data.get("motive")
    if not isinstance(raw_motives, list) or not raw_motives:
        raise fail("motive", Phrase("cat_no_motives"))
    if limits and len(raw_motives) > validate.MAX_CATALOGUE_MOTIVES:
        raise fail(
            "motive", Phrase("cat_too_many_motives", count=len(raw_motives), limit=validate.MAX_CATALOGUE_MOTIVES)
        )
    motives: list[Motive] = []
    seen_ids: set[str] = set()
    seen_texts: dict[tuple[str, str], str] = {}
    for number, entry in enumerate(raw_motives, start=1):
        where = Phrase("entry_motive", number=number)
        if not isinstance(entry, dict):
            raise fail(where, Phrase("cat_not_motive_table"))
        motive_id = entry.get("id")
        if isinstance(motive_id, str) and motive_id:
            where = Phrase("entry_motive_id", number=number, id=repr(motive_id[:70]))
        if not isinstance(motive_id, str) or not _ID.fullmatch(motive_id):
            raise fail(where, Phrase("cat_bad_motive_id"))
        if motive_id in seen_ids:
            raise fail(where, Phrase("cat_id_twice"))
        side = entry.get("side")
        if side not in SIDES:
            raise fail(where, Phrase("cat_bad_side", value=shown(side)))
        unknown = sorted(set(entry) - {"id", "side", *LANGUAGES})
        if unknown:
            raise fail(where, Phrase("cat_unknown_field", field=repr(str(unknown[0])[:40])))
        motive_texts = texts(
            {k: entry[k] for k in LANGUAGES if k in entry}, where, required=True, limit=validate.MAX_MOTIVE_TEXT
        )
        for lang, text in motive_texts.items():
            twin = seen_texts.get((lang, text.casefold()))
            if twin:
                raise fail(where, Phrase("cat_repeats_text", lang=lang, motive=repr(twin)))
            seen_texts[(lang, text.casefold())] = motive_id
        seen_ids.add(motive_id)
        motives.append(Motive(motive_id, side, motive_texts))
    return Catalogue(
        id=catalogue_id,
        title=title,
        instruction=instruction,
        headings=headings,
        source=clean_source,
        motives=tuple(motives),
    )


def _toml_string(text: str) -> str:
    """A TOML basic string: quotes, backslashes and control characters escaped."""
    out = []
    for ch in text:
        if ch in '"\\':
            out.append("\\" + ch)
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{ord(ch):04X}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def catalogue_to_toml(catalogue: Catalogue) -> str:
    """The catalogue as a file a trainer can read, edit and start a session with."""
    lines = [
        "# A motives catalogue. Start a session with it: motives session new NAME --catalogue THIS_FILE",
        "",
        f"id = {_toml_string(catalogue.id)}",
        "",
    ]

    def texts(header: str, values: dict[str, str]) -> None:
        lines.append(f"[{header}]")
        lines.extend(f"{lang} = {_toml_string(values[lang])}" for lang in LANGUAGES if values.get(lang))
        lines.append("")

    texts("title", catalogue.title)
    if catalogue.instruction:
        texts("instruction", catalogue.instruction)
    for side in SIDES:
        texts(f"heading.{side}", catalogue.headings[side])
    if catalogue.source:
        lines.append("[source]")
        for key in _SOURCE_FIELDS:
            value = catalogue.source.get(key)
            if isinstance(value, dict):
                lines.extend(f"{key}.{lang} = {_toml_string(value[lang])}" for lang in LANGUAGES if value.get(lang))
            elif value:
                lines.append(f"{key} = {_toml_string(value)}")
        lines.append("")
    for motive in catalogue.motives:
        lines += ["[[motive]]", f"id = {_toml_string(motive.id)}", f"side = {_toml_string(motive.side)}"]
        lines += [f"{lang} = {_toml_string(motive.texts[lang])}" for lang in LANGUAGES if motive.texts.get(lang)]
        lines.append("")
    return "\n".join(lines)


def with_motives(catalogue: Catalogue, additions: list[tuple[Side, dict[str, str]]]) -> Catalogue:
    """The catalogue grown by new motives (side and texts per language), with fresh stable ids.

    A text the catalogue already holds (compared in normalised form) is not added twice.
    """
    motives = list(catalogue.motives)
    ids = {m.id for m in motives}
    known: dict[str, list[str]] = {}
    for m in motives:
        known.setdefault(m.side, []).extend(normalise(text) for text in m.texts.values())
    for side, texts in additions:
        words = [normalise(text) for text in texts.values()]
        if any(first_similar(word, known.get(side, [])) is not None for word in words):
            continue
        base = f"{side}-own-{slug(next(iter(texts.values())))}"[:60].rstrip("-")
        motive_id, number = base, 2
        while motive_id in ids:
            motive_id, number = f"{base}-{number}", number + 1
        ids.add(motive_id)
        known.setdefault(side, []).extend(words)
        motives.append(Motive(motive_id, side, dict(texts)))
    return Catalogue(
        id=catalogue.id,
        title=catalogue.title,
        instruction=catalogue.instruction,
        headings=catalogue.headings,
        source=catalogue.source,
        motives=tuple(motives),
    )
