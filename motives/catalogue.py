"""The catalogue: the worksheet's motives, read from a human-editable TOML file.

A session keeps a frozen copy of its catalogue (:meth:`Catalogue.to_dict`), so
editing a file later never changes past results.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from motives import validate
from motives.errors import CatalogueError, Count, InvalidInput, Phrase
from motives.i18n import DEFAULT_LANGUAGE, LANGUAGES
from motives.models import SIDES, SOURCE_FIELDS, Catalogue, Motive, Side
from motives.reading import Reader, shown
from motives.text import first_similar, normalise, slug

DEFAULT_CATALOGUE = Path(__file__).parent / "catalogues" / "sociale-mediabeleid.toml"

_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")


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
    return catalogue_from_bytes(raw, str(path))


def catalogue_from_bytes(raw: bytes, origin: str) -> Catalogue:
    """A catalogue file's bytes (read from disk, or uploaded on the trainer's home) read and checked;
    ``origin`` names the file in a refusal."""
    limit = validate.MAX_CATALOGUE_BYTES
    if len(raw) > limit:
        raise CatalogueError.at(origin, Phrase("cat_too_large", limit=Count(limit)))
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise CatalogueError.at(origin, Phrase("cat_not_utf8", byte=exc.start)) from None
    check_toml_shape(text, origin)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise CatalogueError.at(origin, Phrase("cat_not_toml", detail=exc)) from None
    except RecursionError:
        # tomllib reads nested arrays and tables by recursion: thousands deep exhaust the stack.
        raise CatalogueError.at(origin, Phrase("cat_too_deep")) from None
    except ValueError as exc:  # e.g. an integer of more digits than Python converts
        raise CatalogueError.at(origin, Phrase("cat_not_toml", detail=exc)) from None
    return catalogue_from_dict(data, origin=origin, limits=True)


# Python's TOML reader takes time quadratic in a key's parts ("a.a.….a = 1": 16,000 parts 1.8 s,
# 200,000 not done in a minute), so the shape of the text is checked first, in one pass: no line longer
# than a catalogue's longest text could need, and no key of more parts than a catalogue has.
MAX_TOML_LINE = 20_000
MAX_KEY_PARTS = 16
# What the pass skips (strings, comments) and what it counts: a dot outside them, and each line's end.
# A string that never ends runs to the end of the text (or of its line) once: every alternative
# matches where it starts, so the pass never reads the rest of the text again from a later place
# (with closing quotes required, a file of unclosed strings was read once per string).
_TOML_TOKENS = re.compile(
    r'"""(?:\\[\s\S]|[^\\])*?(?:"""|\Z)|\'\'\'[\s\S]*?(?:\'\'\'|\Z)|"(?:\\.|[^"\\\n])*"?|\'[^\'\n]*\'?'
    r"|#[^\n]*|(\.)|(\n)"
)


def check_toml_shape(text: str, origin: str) -> None:
    """Refuse, before parsing, a catalogue text with an over-long line or a key path of too many parts."""
    if max(map(len, text.splitlines()), default=0) > MAX_TOML_LINE:
        raise CatalogueError.at(origin, Phrase("cat_line_too_long", limit=Count(MAX_TOML_LINE)))
    dots = 0
    for match in _TOML_TOKENS.finditer(text):
        if match.group(2):
            dots = 0
        elif match.group(1):
            dots += 1
            if dots >= MAX_KEY_PARTS:
                raise CatalogueError.at(origin, Phrase("cat_key_too_long", limit=MAX_KEY_PARTS))


def default_catalogue() -> Catalogue:
    return load_catalogue(DEFAULT_CATALOGUE)


@dataclass(frozen=True)
class CatalogueReader(Reader):
    """A catalogue being read; with ``limits`` its texts and counts are held to :mod:`motives.validate`'s limits."""

    error: type[CatalogueError] = CatalogueError
    origin: object = "catalogue"
    limits: bool = False

    def line(self, text: str, limit: int) -> str:
        """A text on one line, NFC; held to ``limit`` characters (and refused with control characters) under limits."""
        if self.limits:
            return validate.line(text, limit)
        return unicodedata.normalize("NFC", " ".join(text.split()))


def catalogue_from_dict(data: Any, origin: str | Phrase = "catalogue", *, limits: bool = False) -> Catalogue:
    """Build a catalogue from parsed data, checking every entry.

    ``origin`` names the file in messages (a path, or a :class:`Phrase` such as "session ABC234"),
    so that a trainer knows where to look.
    With ``limits`` (for files people bring: a catalogue file, an archive) texts and
    counts are held to the limits in :mod:`motives.validate` too; a session's frozen
    copy, already in the store, is read without them, so that no past session
    becomes unreadable.
    """
    file = CatalogueReader(origin=origin, limits=limits)
    file.table(data, Phrase("entry_top_level"), Phrase("cat_not_table"))
    # In this order: a file with many problems is refused for the first of them.
    return Catalogue(
        id=read_id(file, data.get("id", "")),
        title=read_texts(file, data.get("title"), "title", required=True),
        instruction=read_texts(file, data.get("instruction"), "instruction", limit=validate.MAX_EXPLANATION),
        headings=read_headings(file, data.get("heading", {})),
        source=read_source(file, data.get("source", {})),
        motives=read_motives(file, data.get("motive")),
    )


def read_id(file: CatalogueReader, value: Any) -> str:
    if not isinstance(value, str) or not _ID.fullmatch(value):
        raise file.fail("id", Phrase("cat_bad_id"))
    return value


def read_texts(
    file: CatalogueReader, value: Any, where: object, *, required: bool = False, limit: int = validate.MAX_TITLE
) -> dict[str, str]:
    """A text per language (a bare string is Dutch), each on one line; the empty ones left out."""
    if value is None and not required:
        return {}
    if isinstance(value, str):
        value = {DEFAULT_LANGUAGE: value}
    file.table(value, where, Phrase("cat_not_texts"))
    unknown = sorted(set(value) - set(LANGUAGES))
    if unknown:
        raise file.fail(where, Phrase("cat_unknown_language", language=repr(str(unknown[0])[:40])))
    out = {}
    for lang, text in value.items():
        if not isinstance(text, str):
            raise file.fail(where, Phrase("cat_text_not_string", lang=lang))
        try:
            text = file.line(text, limit)
        except InvalidInput as exc:
            raise file.fail(where, Phrase("cat_text_problem", lang=lang, problem=validate.in_file(exc))) from None
        if text:
            out[lang] = text
    if required and not out:
        raise file.fail(where, Phrase("cat_needs_text"))
    return out


def read_headings(file: CatalogueReader, value: Any) -> dict[str, dict[str, str]]:
    """The heading of each side's column: ``[heading.against]`` and ``[heading.for]``."""
    file.table(value, "heading", Phrase("cat_bad_headings"))
    return {side: read_texts(file, value.get(side), f"heading.{side}", required=True) for side in SIDES}


def read_source(file: CatalogueReader, value: Any) -> dict[str, Any]:
    """The source attribution: each known field a text, or a text per language."""
    file.table(value, "source", Phrase("cat_bad_source"))
    clean: dict[str, Any] = {}
    for key, field_value in value.items():
        if key not in SOURCE_FIELDS:
            raise file.fail(
                f"source.{str(key)[:40]}", Phrase("cat_unknown_source_field", known=", ".join(SOURCE_FIELDS))
            )
        where = f"source.{key}"
        if isinstance(field_value, dict):
            clean[key] = read_texts(file, field_value, where, limit=validate.MAX_SOURCE_FIELD)
        elif isinstance(field_value, str):
            clean[key] = file.checked(lambda text: file.line(text, validate.MAX_SOURCE_FIELD), field_value, where)
        else:
            raise file.fail(where, Phrase("file_not_text"))
    return clean


def read_motives(file: CatalogueReader, value: Any) -> tuple[Motive, ...]:
    """The ``[[motive]]`` entries: ids and texts unique, in the file's order."""
    if not isinstance(value, list) or not value:
        raise file.fail("motive", Phrase("cat_no_motives"))
    if file.limits and len(value) > validate.MAX_CATALOGUE_MOTIVES:
        raise file.fail(
            "motive", Phrase("cat_too_many_motives", count=len(value), limit=validate.MAX_CATALOGUE_MOTIVES)
        )
    found: dict[str, Motive] = {}
    seen_texts: dict[tuple[str, str], str] = {}  # (language, casefolded text): the motive that has it
    for number, entry in enumerate(value, start=1):
        where = motive_place(number, entry)
        motive = read_motive(file, entry, where, taken=found.keys())
        for lang, text in motive.texts.items():
            twin = seen_texts.setdefault((lang, text.casefold()), motive.id)
            if twin != motive.id:
                raise file.fail(where, Phrase("cat_repeats_text", lang=lang, motive=repr(twin)))
        found[motive.id] = motive
    return tuple(found.values())


def motive_place(number: int, entry: Any) -> Phrase:
    """Where a motive is in the file, for messages: its number, and its id if it has one."""
    motive_id = entry.get("id") if isinstance(entry, dict) else None
    if isinstance(motive_id, str) and motive_id:
        return Phrase("entry_motive_id", number=number, id=repr(motive_id[:70]))
    return Phrase("entry_motive", number=number)


def read_motive(file: CatalogueReader, entry: Any, where: object, taken: Collection[str] = ()) -> Motive:
    """One ``[[motive]]`` table: an id not in ``taken``, a side and a text in at least one language."""
    file.table(entry, where, Phrase("cat_not_motive_table"))
    motive_id = entry.get("id")
    if not isinstance(motive_id, str) or not _ID.fullmatch(motive_id):
        raise file.fail(where, Phrase("cat_bad_motive_id"))
    if motive_id in taken:
        raise file.fail(where, Phrase("cat_id_twice"))
    side = entry.get("side")
    if side not in SIDES:
        raise file.fail(where, Phrase("cat_bad_side", value=shown(side)))
    unknown = sorted(set(entry) - {"id", "side", *LANGUAGES})
    if unknown:
        raise file.fail(where, Phrase("cat_unknown_field", field=repr(str(unknown[0])[:40])))
    languages = {k: entry[k] for k in LANGUAGES if k in entry}
    return Motive(motive_id, side, read_texts(file, languages, where, required=True, limit=validate.MAX_MOTIVE_TEXT))


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
        for key in SOURCE_FIELDS:
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
