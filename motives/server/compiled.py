"""Voilà's page templates compiled once per server, not once per page.

Voilà renders every page with an nbconvert exporter of its own, and every exporter makes a Jinja
environment of its own: each page parsed and compiled the same templates again (``index.html.j2``
and everything it extends and includes), about a third of the server's CPU for a page from the warm
pool (docs/benchmarks.md, "The first minute"). This loader, first among the exporters' loaders
(nbconvert's ``TemplateExporter.extra_loaders``, a configuration option), finds a template where the
exporter's own loaders find it and compiles its source once; every environment then makes its
template from that code, with its own globals and filters (Jinja's ``Template.from_code``, as its
bytecode cache does).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, MutableMapping
from types import CodeType
from typing import Any

from jinja2 import BaseLoader, Environment, Template, TemplateNotFound

# (file, source's digest, how the environment compiles): the code. Module-wide, so that a copy of the
# loader (a configuration is copied when it is merged) shares it.
_CODE: dict[tuple[str, str, str, tuple[Any, ...]], CodeType] = {}


class CompiledOnce(BaseLoader):
    """A Jinja loader that compiles each template once for every environment of this process."""

    def get_source(self, environment: Environment, template: str) -> tuple[str, str | None, Callable[[], bool] | None]:
        for loader in getattr(environment.loader, "loaders", ()):
            if loader is self or isinstance(loader, CompiledOnce):
                continue
            try:
                return loader.get_source(environment, template)
            except TemplateNotFound:
                continue
        raise TemplateNotFound(template)

    def load(self, environment: Environment, name: str, globals: MutableMapping[str, Any] | None = None) -> Template:
        source, filename, uptodate = self.get_source(environment, name)
        if callable(environment.autoescape) or environment.finalize is not None:
            # Decided per environment when it compiles: no code of another environment will do.
            return environment.template_class.from_code(
                environment, environment.compile(source, name, filename), environment.make_globals(globals), uptodate
            )
        key = (name, filename or "", hashlib.sha256(source.encode()).hexdigest(), _compiled_by(environment))
        code = _CODE.get(key)
        if code is None:
            code = _CODE[key] = environment.compile(source, name, filename)
        return environment.template_class.from_code(environment, code, environment.make_globals(globals), uptodate)


def _compiled_by(environment: Environment) -> tuple[Any, ...]:
    """What makes two environments compile one source to different code."""
    # Whether a filter or a test exists, and what it is passed (Jinja's pass_context and the like), is
    # decided when the code is made; which function it is, when the template runs.
    filters = tuple(sorted((name, repr(getattr(f, "jinja_pass_arg", None))) for name, f in environment.filters.items()))
    tests = tuple(sorted((name, repr(getattr(t, "jinja_pass_arg", None))) for name, t in environment.tests.items()))
    return (
        environment.is_async,
        environment.optimized,
        environment.autoescape,
        environment.block_start_string,
        environment.block_end_string,
        environment.variable_start_string,
        environment.variable_end_string,
        environment.comment_start_string,
        environment.comment_end_string,
        environment.line_statement_prefix,
        environment.line_comment_prefix,
        environment.trim_blocks,
        environment.lstrip_blocks,
        environment.newline_sequence,
        environment.keep_trailing_newline,
        tuple(sorted(environment.extensions)),
        filters,
        tests,
    )
