"""A Babel extraction method for the app's message keys, used by ``make i18n`` (see babel.cfg).

Babel's own Python extractor reads tokens. On Python 3.11 an f-string is one token, so the
keys in ``f"<h3>{esc(message(language, 'source_heading'))}</h3>"`` stay unseen, and the
strings of ``message(lang, "live" if on else "paused")`` come out joined as "livepaused".
This one reads the syntax tree instead: a call to a keyword function anywhere (inside
f-strings too) yields the string at the keyword's argument position, and both strings of a
conditional expression there. Keys held in variables still need an ``N_`` marker.
"""

from __future__ import annotations

import ast
import itertools
from collections.abc import Iterable, Iterator
from typing import IO, Any


def _strings(node: ast.AST) -> Iterator[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        yield node.value
    elif isinstance(node, ast.IfExp):
        yield from _strings(node.body)
        yield from _strings(node.orelse)


def _name(func: ast.AST) -> str:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return ""


def extract(
    fileobj: IO[bytes], keywords: Iterable[str], comment_tags: Any, options: dict[str, Any]
) -> Iterator[tuple[int, str, tuple[str | None, ...], list[str]]]:
    """Babel's extraction interface: (line, function name, arguments, comments) per keyword call.

    Babel picks the key from the arguments by the keyword's spec (``message:2``); an argument
    that is no string is None, and a conditional expression gives one call per branch.
    """
    names = set(keywords)
    for node in ast.walk(ast.parse(fileobj.read())):
        if isinstance(node, ast.Call) and _name(node.func) in names:
            choices: list[list[str | None]] = [[*_strings(arg)] or [None] for arg in node.args]
            for arguments in itertools.product(*choices):
                yield node.lineno, _name(node.func), arguments, []
