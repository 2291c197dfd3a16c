"""The reflection notebooks in every language come from one template, speak their language, and stay short.

scripts/make-reflect writes notebooks/reflect.ipynb (nl), reflect-en.ipynb (en) and reflect-fr.ipynb (fr)
from scripts/reflect.template.toml; a committed notebook that differs from what it makes fails here.
The analysis and the words of the tables and charts are in motives.notebook, motives.charts and the
message catalogues, so a notebook is its narrative and a short call per section.
"""

from __future__ import annotations

import doctest
import importlib.machinery
import importlib.util
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from motives import charts, notebook, resources
from motives.i18n import LANGUAGES, message

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "make-reflect"


def make_reflect():
    loader = importlib.machinery.SourceFileLoader("make_reflect", str(SCRIPT))
    spec = importlib.util.spec_from_loader("make_reflect", loader)
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module


def made() -> dict[str, nbformat.NotebookNode]:
    return {name: nbformat.reads(text, as_version=4) for name, text in make_reflect().made().items()}


def by_language() -> dict[str, nbformat.NotebookNode]:
    template = make_reflect().read()
    notebooks = made()
    return {language: notebooks[table["notebook"]] for language, table in template["languages"].items()}


@pytest.mark.slow
def test_every_committed_reflection_notebook_is_what_the_template_makes():
    checked = subprocess.run([sys.executable, str(SCRIPT), "--check"], capture_output=True, text=True, cwd=ROOT)
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_the_check_names_a_notebook_that_drifted_one_that_is_missing_and_one_the_template_does_not_make(tmp_path):
    script = make_reflect()
    script.write(tmp_path)
    assert script.stale(tmp_path) == []
    edited = tmp_path / "reflect-en.ipynb"
    edited.write_text(edited.read_text(encoding="utf-8").replace("Run all cells", "Run every cell"), encoding="utf-8")
    (tmp_path / "reflect-fr.ipynb").unlink()
    (tmp_path / "reflect-de.ipynb").write_text("{}", encoding="utf-8")
    problems = script.stale(tmp_path)
    assert [problem.split(":")[0] for problem in problems] == [
        "reflect-en.ipynb",
        "reflect-fr.ipynb",
        "reflect-de.ipynb",
    ]
    assert "differs" in problems[0] and "missing" in problems[1] and "no such notebook" in problems[2]


def test_there_is_one_reflection_notebook_per_language_and_motives_lab_copies_each():
    assert list(by_language()) == list(LANGUAGES)
    assert sorted(made()) == sorted(resources.REFLECTION)
    assert resources.REFLECTION[0] == "reflect.ipynb"  # Dutch, the source language, first
    for name in resources.REFLECTION:
        assert (resources.NOTEBOOKS / name).is_file()


def code_of(nb: nbformat.NotebookNode) -> list[str]:
    return [cell.source for cell in nb.cells if cell.cell_type == "code"]


def markdown_of(nb: nbformat.NotebookNode) -> list[str]:
    return [cell.source for cell in nb.cells if cell.cell_type == "markdown"]


def test_a_reflection_notebook_is_its_narrative_and_short_calls():
    notebooks = by_language()
    for language, nb in notebooks.items():
        code = code_of(nb)
        assert all(len(source.splitlines()) <= 6 for source in code), language
        assert sum(len(source.splitlines()) for source in code) <= 20, language
        assert f'LANGUAGE = "{language}"' in code[0]
        assert not any(cell.get("outputs") or cell.get("execution_count") for cell in nb.cells if "outputs" in cell)
    # The same calls in every language: only the language and the catalogue's file name differ.
    same = {
        language: [re.sub(r'"[\w-]+(\.toml)?"', '"…"', source) for source in code_of(nb)]
        for language, nb in notebooks.items()
    }
    assert same["nl"] == same["en"] == same["fr"]
    # The narrative is translated, cell by cell, never left in another language.
    for a, b in (("nl", "en"), ("nl", "fr"), ("en", "fr")):
        pairs = zip(markdown_of(notebooks[a]), markdown_of(notebooks[b]), strict=True)
        assert all(x != y for x, y in pairs if x.strip("-\n")), (a, b)


def prose(text: str) -> str:
    """Markdown without its code spans."""
    return re.sub(r"`[^`]*`", "", text)


def test_the_french_notebook_reads_like_the_french_team_page():
    french = "\n".join(prose(text) for text in markdown_of(by_language()["fr"]))
    # No-break spaces before : ; ? ! (docs/glossary.md, "Typography and formats").
    assert not re.search(r" [:;?!]", french), re.findall(r".{20} [:;?!]", french)
    assert "\u00a0:" in french and "\u00a0?" in french
    # The glossary's words: fiche de travail, motifs propres, formateur, équipe, décision, bilan, base de données.
    for word in ("fiche de travail", "motifs propres", "formateur", "équipes", "décid", "bilan", "base de données"):
        assert word in french, word
    for avoided in ("conclusion", "tableau de bord", "collaborateur", "feuille", "charte"):
        assert avoided not in french.lower(), avoided
    assert message("fr", "translation_note").removesuffix(".").lower() in french.lower()


@pytest.mark.slow
def test_the_sections_speak_the_notebooks_language():
    store = notebook.example_store()
    for language in LANGUAGES:
        chosen = notebook.load(store, language=language)
        motives = notebook.motives_view(chosen).parts[0].data
        assert motives.columns.tolist() == [message(language, key) for key in notebook.MOTIVE_COLUMNS.values()]
        assert set(motives[message(language, "col_side")]) == {
            message(language, "side_for"),
            message(language, "side_against"),
        }
        own = notebook.own_motives_view(chosen).parts[0].data
        assert own.columns.tolist() == [message(language, key) for key in notebook.OWN_COLUMNS.values()]
        table, chart = notebook.conclusions_view(chosen).parts
        assert table.data.index.tolist() == [message(language, f"lean_{lean}") for lean in notebook.LEANS]
        assert table.data.columns.tolist() == [
            message(language, f"conclusion_{c}") for c in notebook.CONCLUSIONS_OR_NONE
        ]
        assert chart.data[:4] == b"\x89PNG"
        summary = notebook.chosen_summary(chosen).parts[0].data
        assert message(language, "session_many", n=2) in summary


def test_an_empty_store_says_so_in_every_section(tmp_path):
    store = notebook.open_store(tmp_path / "empty.db")
    for language in LANGUAGES:
        everything = notebook.sessions(store)
        chosen = notebook.load(store, notebook.session_picker(everything, language).value, language=language)
        said = [
            notebook.store_summary(everything, language),
            notebook.motives_view(chosen),
            notebook.splits_view(chosen),
            notebook.own_motives_view(chosen),
            notebook.conclusions_view(chosen),
        ]
        keys = [
            "reflect_empty_store",
            "reflect_no_choices",
            "reflect_no_splits",
            "reflect_no_own",
            "reflect_no_answers",
        ]
        assert [shown.parts[0].data for shown in said] == [message(language, key) for key in keys]
        written = notebook.next_catalogue_view(chosen, tmp_path / f"{language}.toml").parts[0].data
        assert "**0**" in written and str((tmp_path / f"{language}.toml").resolve()) in written


def test_what_teams_wrote_is_escaped_in_the_tables(store, session):
    team = store.join(session, "Markup")
    store.add_own_motive(team, "for", "<script>alert(1)</script> & <b>vet</b>", 3)
    store.set_answer(team, "for-prevention", True, 3)
    html = notebook.own_motives_view(notebook.load(store, language="fr")).parts[0].to_html()
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;vet&lt;/b&gt;" in html
    assert "<script>" not in html and "<b>" not in html


def test_the_notebooks_output_folder_is_motives_output_else_its_own(monkeypatch, tmp_path):
    monkeypatch.delenv("MOTIVES_OUTPUT", raising=False)
    assert notebook.output_path("next.toml") == Path(".") / "next.toml"
    monkeypatch.setenv("MOTIVES_OUTPUT", str(tmp_path))
    assert notebook.output_path("next.toml") == tmp_path / "next.toml"


def test_the_examples_in_the_charts_docstrings_run():
    results = doctest.testmod(charts, optionflags=doctest.ELLIPSIS)
    assert results.failed == 0 and results.attempted >= 4


@pytest.mark.parametrize("side", ["for", "against"])
def test_a_side_has_one_colour_in_the_charts_and_on_the_pages(side):
    css = (ROOT / "widgets" / "app.css").read_text(encoding="utf-8")
    assert re.search(rf"\.motives-side-{side} \{{[^}}]*{charts.SIDE_COLOURS[side]}", css), side
