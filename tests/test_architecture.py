"""The shape of the code, as rules a change cannot break unnoticed (the import contracts are in
pyproject.toml, checked by lint-imports in make check and make test).

- Only the pages hold a store: a control shows a value and reports a change (widgets/controls.py).
- Controls report values: no parent reads or writes a child's inner widgets.
- The environment is read in a few places: the settings, the request, the operating system, the CLI.
- Functions stay short enough to read in one screen.
- The views are imported as ``motives.widgets``, never as a top-level ``widgets``.
- The default language is spelled once (``motives.i18n.DEFAULT_LANGUAGE``).
"""

from __future__ import annotations

import ast
import json
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CODE = sorted(
    [*(ROOT / "motives").glob("*.py"), *(ROOT / "motives" / "server").glob("*.py"), *(ROOT / "widgets").glob("*.py")]
)
# The classes of widgets/ that hold the store: the pages' base (TeamPage and DashboardPage use its
# store), the worksheet and the dashboard they draw, and the count of wrong codes a page keeps.
# The projector's Screen reads the answers and keeps the slide on it, as the Dashboard does.
STORE_HOLDERS = {"AppPage", "Worksheet", "Dashboard", "Guesses", "Screen"}
# What reads os.environ: the settings, the request Voilà gives a page, the system's folders, and
# the CLI, which hands its settings on to the kernels it starts.
ENVIRONMENT_READERS = {"settings.py", "request.py", "system.py", "cli.py"}
LONGEST_FUNCTION = 60
# argparse declarations: one long list of options, each one line, nothing to untangle.
DECLARATIONS = {("cli.py", "build_parser"), ("cli.py", "serve_options")}


def parsed(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def holds_a_store(cls: ast.ClassDef) -> bool:
    """A class that keeps a store on itself, or takes one (or a way to one) as an argument."""
    for node in ast.walk(cls):
        if isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store) and node.attr in ("store", "_store"):
            return True
        if isinstance(node, ast.arg) and node.annotation is not None and "Store" in ast.unparse(node.annotation):
            return True
    return False


def test_only_the_pages_hold_a_store():
    holders = {
        node.name
        for path in (ROOT / "widgets").glob("*.py")
        for node in ast.walk(parsed(path))
        if isinstance(node, ast.ClassDef) and holds_a_store(node)
    }
    assert holders == STORE_HOLDERS
    assert len(holders) <= 6


def imported_modules(source: str) -> set[str]:
    """The modules a piece of Python imports, by the names it spells."""
    names = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
    return names


# A widget's shown state: what only the class that holds the widget reads or sets.
_INNER = re.compile(
    r"\bself\.\w+\.\w+\.(?:value|children|options|description)\b"  # self.actions.picked.value
    r"|(?<![\w.])(?!self\b)\w+\.\w+\.(?:value|children|options|description)\b"  # form.name.value
)


def test_controls_report_values_and_no_parent_reaches_into_a_childs_widgets():
    """``form.name.value`` or ``self.actions.picked.value`` in a page is a parent reading or setting a
    part of its child: the child reports values to its callbacks (``create(form, name, …)``) and has
    methods for what a parent may show (``actions.pick(code)``)."""
    reaches = [
        f"{path.name}:{number}: {line.strip()}"
        for path in sorted((ROOT / "widgets").glob("*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if _INNER.search(line.split("#")[0])
    ]
    assert reaches == []


def test_the_views_are_imported_as_motives_widgets_everywhere():
    """Code, tests, benchmarks and the pages' notebooks: a top-level ``widgets`` would be another copy
    of every view in a checkout, and in an installed app someone else's package."""
    sources = {
        path: path.read_text(encoding="utf-8")
        for folder in ("motives", "widgets", "tests", "benchmarks")
        for path in (ROOT / folder).rglob("*.py")
        if "node_modules" not in path.parts
    }
    scripts = [
        path
        for path in (ROOT / "scripts").iterdir()
        if path.read_text(encoding="utf-8").startswith("#!/usr/bin/env python")
    ]
    sources |= {path: path.read_text(encoding="utf-8") for path in scripts}
    for notebook in (ROOT / "notebooks").glob("*.ipynb"):
        cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
        sources[notebook] = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
    spelled = {path.relative_to(ROOT).as_posix(): imported_modules(source) for path, source in sources.items()}
    top_level = {path: names for path, names in spelled.items() if any(n.split(".")[0] == "widgets" for n in names)}
    assert top_level == {}
    assert sum("motives.widgets" in n for names in spelled.values() for n in names) > 50


def test_the_views_refuse_to_be_imported_as_a_top_level_widgets():
    done = subprocess.run([sys.executable, "-c", "import widgets"], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 1
    assert done.stderr.splitlines()[-1] == (
        "ImportError: the app's views are motives.widgets, not widgets: import them from there"
    )


def test_the_default_language_is_spelled_once():
    """Dutch is the default in i18n.py alone; elsewhere "nl" is only a key of a table per language."""
    spelled = []
    for path in CODE:
        if path.name == "i18n.py":
            continue
        tree = parsed(path)
        per_language = {
            id(k) for node in ast.walk(tree) if isinstance(node, ast.Dict) and len(node.keys) > 1 for k in node.keys
        }
        spelled += [
            f"{path.name}:{node.lineno}"
            for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and node.value == "nl" and id(node) not in per_language
        ]
    assert spelled == []


def test_the_environment_is_read_in_the_settings_the_request_the_system_and_the_cli():
    readers = {
        path.name
        for path in CODE
        if "os.environ" in path.read_text(encoding="utf-8") or "getenv" in path.read_text(encoding="utf-8")
    }
    assert readers == ENVIRONMENT_READERS


def test_no_function_is_longer_than_a_screen():
    long = [
        (path.name, node.name, node.end_lineno - node.lineno + 1)
        for path in CODE
        for node in ast.walk(parsed(path))
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and node.end_lineno - node.lineno + 1 > LONGEST_FUNCTION
        and (path.name, node.name) not in DECLARATIONS
    ]
    assert long == []


def test_no_view_overrides_a_name_of_ipywidgets_by_accident():
    """A page's own method named as one of ipywidgets' (the home's ``_compare`` was ``Widget._compare``,
    which syncs every value) broke the page in the browser and nowhere else: each name a view defines is
    its own, but for the few ipywidgets asks a subclass to override."""
    import importlib
    import inspect
    import pkgutil

    import ipywidgets

    import motives.widgets

    class Empty(ipywidgets.VBox):
        pass

    made = set(vars(Empty))  # what traitlets' metaclass writes into every subclass itself
    clashes = []
    for module_info in pkgutil.iter_modules(motives.widgets.__path__):
        module = importlib.import_module(f"motives.widgets.{module_info.name}")
        for name, cls in inspect.getmembers(module, inspect.isclass):
            if cls.__module__ != module.__name__ or not issubclass(cls, ipywidgets.Widget):
                continue
            theirs = {
                n for base in cls.__mro__ if base.__module__.startswith(("ipywidgets", "traitlets")) for n in vars(base)
            }
            mine = [attr for attr in vars(cls) if not (attr.startswith("__") and attr.endswith("__"))]
            clashes += [f"{name}.{attr}" for attr in mine if attr in theirs and attr not in made]
    assert clashes == []
