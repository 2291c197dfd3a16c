"""motives.notebook: the trainer's notebook API agrees with the dashboard, and the reflection notebook runs."""

from __future__ import annotations

import doctest
import json
import os
from pathlib import Path

import nbformat
import pandas as pd
import pytest
from nbclient import NotebookClient

from motives import notebook
from motives.catalogue import load_catalogue
from motives.demo import create_demo
from motives.errors import MotivesError
from motives.report import Frames
from motives.store import Store

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"


@pytest.mark.slow
def test_the_examples_in_the_docstrings_run():
    results = doctest.testmod(notebook, optionflags=doctest.ELLIPSIS)
    assert results.failed == 0
    assert results.attempted >= 20


@pytest.fixture
def workshops(store: Store, catalogue):
    """Three sessions: the demo twice, and one with four teams, a team that never answered,
    an own motive that says a worksheet motive, the same own motive in other capitals, and a trainer's merge."""
    create_demo(store, "nl")
    create_demo(store, "en")
    session = store.create_session("Workshop Gent", catalogue, "nl")
    answers = {
        "Noord": ({"for-prevention": 5, "for-work-private-blur": 2, "against-no-priority": 4}, "no"),
        "Zuid": ({"for-prevention": 3, "against-no-priority": 5}, "yes"),
        "West": ({"for-prevention": 4, "for-support-staff": 1}, None),
    }
    for name, (ticks, conclusion) in answers.items():
        team = store.join(session, name)
        for motive_id, importance in ticks.items():
            store.set_answer(team, motive_id, True, importance)
        if conclusion:
            store.set_conclusion(team, conclusion, "")
    store.join(session, "Oost")  # joined, never answered
    noord, zuid = store.find_team(session, "Noord"), store.find_team(session, "Zuid")
    store.add_own_motive(noord, "for", "JONGEREN sturen ons 's avonds berichten via Instagram", 4)
    store.add_own_motive(zuid, "for", "Beter voorkomen dan genezen!", 2)  # the worksheet's own words
    a = store.add_own_motive(noord, "against", "Geen tijd", 3)
    b = store.add_own_motive(zuid, "against", "Te weinig mensen", 2)
    store.link_own_motives(session, [a.id, b.id], f"g-{a.id}")  # the trainer merged these two
    return store


def test_balance_and_consensus_are_the_dashboards_for_every_session(workshops):
    chosen = notebook.load(workshops)
    assert len(chosen.sessions) == 3
    balance, consensus = chosen.balance(), chosen.consensus()
    for records in chosen.records:
        code = records.session.code
        frames = Frames.of(records)
        mine = balance.xs(code, level="session")
        pd.testing.assert_frame_equal(
            mine.drop(columns=["conclusion", "explanation"]),
            frames.balance.drop(columns=["conclusion", "explanation"]),
            check_names=False,
        )
        assert mine["conclusion"].tolist() == frames.balance["conclusion"].tolist()
        theirs = frames.consensus.reset_index().set_index("group")
        theirs = theirs[theirs.index.isin(records.session.catalogue.ids)]
        ours = consensus.xs(code, level="session")
        for column in ("teams", "of", "lowest", "highest"):
            assert ours[column].reindex(theirs.index).tolist() == theirs[column].tolist(), column
        assert ours["category"].astype(str).reindex(theirs.index).tolist() == theirs["category"].astype(str).tolist()


def test_catalogue_counts_add_up_the_dashboards_comparisons(workshops):
    chosen = notebook.load(workshops)
    table = chosen.catalogue_motives()
    for motive_id in ("for-prevention", "against-no-priority", "for-work-private-blur"):
        teams = 0
        total = 0.0
        for records in chosen.records:
            summary = Frames.of(records).comparison["all"].xs(motive_id, level="group")
            teams += int(summary["teams"].iloc[0])
            total += float(summary["mean_importance"].fillna(0).iloc[0]) * int(summary["teams"].iloc[0])
        assert table.loc[motive_id, "teams"] == teams
        assert table.loc[motive_id, "mean_importance"] == round(total / teams, 2)
    # Zuid ticked 'prevention' (3) and also wrote it in its own words (2): it counts once, with 3.
    gent = chosen.session(chosen.sessions.loc[chosen.sessions["name"] == "Workshop Gent", "session"].iloc[0])
    assert gent.comparison[("all", "teams")].xs("for-prevention", level="group").iloc[0] == 3
    # Of: the teams that answered (Oost did not), 3 + 3 + 3.
    assert table.loc["for-prevention", "of"] == 9
    assert table.index[0] == "for-prevention"  # chosen most: 4 in the demos and 3 in Gent


def test_a_motive_splits_a_session_when_more_than_one_team_but_not_all_chose_it(workshops):
    splits = notebook.load(workshops).splits()
    assert splits.loc["for-prevention", ["split", "shared", "sessions"]].tolist() == [2, 1, 3]
    assert splits.loc["against-no-priority", "split"] == 1  # Noord and Zuid in Gent
    assert splits.index[0] == "for-prevention"


def test_own_motives_are_grouped_across_sessions_and_ranked_by_teams(workshops):
    own = notebook.load(workshops).own_motives()
    top = own.iloc[0]
    assert top["text"] == "Jongeren sturen ons 's avonds berichten via Instagram."
    assert (top["teams"], top["sessions"]) == (3, 3)
    assert any(v.startswith("JONGEREN") for v in top["variants"])
    merged = own[own["text"] == "Geen tijd"].iloc[0]
    assert (merged["teams"], merged["variants"]) == (2, ["Geen tijd", "Te weinig mensen"])
    # What the worksheet already says is not an own motive to add.
    assert not own["text"].str.contains("voorkomen", case=False).any()


def test_the_next_catalogue_grows_the_worksheet_as_catalogue_add_from_does(workshops, tmp_path):
    grown = notebook.load(workshops).next_catalogue(top=2, min_teams=2)
    added = [m for m in grown.motives if "-own-" in m.id]
    # Each under its session's language (the demo's English session holds the same Dutch texts).
    assert [list(m.texts.values()) for m in added] == [
        ["Jongeren sturen ons 's avonds berichten via Instagram."],
        ["Een buurtbewoner deelde foto's van een activiteit zonder toestemming."],
    ]
    path = notebook.write_catalogue(grown, tmp_path / "next.toml")
    assert load_catalogue(path).motives == grown.motives


def test_conclusions_against_balance(workshops):
    chosen = notebook.load(workshops)
    leaning = chosen.leaning()
    assert "Oost" not in leaning.index.get_level_values("team")  # never answered
    gent = leaning[leaning.index.get_level_values("team").isin(["Noord", "Zuid", "West"])]
    # Noord: for 5+2+4 (own) = 11, against 4+3 = 7; Zuid: for 3, against 5+2 = 7; West: for 5, nothing against.
    assert gent["lean"].astype(str).tolist() == ["for", "against", "for"]
    assert gent["conclusion"].astype(str).tolist() == ["no", "yes", "none"]
    table = chosen.conclusions_by_lean()
    assert table.loc["for"].to_dict() == {"yes": 4, "not_yet": 0, "no": 1, "none": 1}
    assert table.to_numpy().sum() == len(leaning) == 9


def test_sessions_are_filtered_by_date_and_name(workshops):
    everything = notebook.sessions(workshops)
    assert len(everything) == 3
    today = everything["created_at"].iloc[0].date()
    assert len(notebook.sessions(workshops, since=today, until=today)) == 3
    assert notebook.sessions(workshops, since=today.replace(year=today.year + 1)).empty
    assert notebook.sessions(workshops, name="gent")["name"].tolist() == ["Workshop Gent"]
    chosen = notebook.load(workshops, notebook.sessions(workshops, name="DEMO"))
    assert set(chosen.teams["session"]) == set(everything.loc[everything["name"].str.startswith("DEMO"), "session"])


def test_an_empty_store_gives_empty_tables(store):
    chosen = notebook.load(store)
    assert chosen.teams.empty and chosen.own_motives().empty
    assert chosen.catalogue_motives()["teams"].sum() == 0
    assert chosen.conclusions_by_lean().to_numpy().sum() == 0


def run_notebook(name: str, db: Path, tmp_path: Path) -> nbformat.NotebookNode:
    nb = nbformat.read(NOTEBOOKS / name, as_version=4)
    env = {**os.environ, "MOTIVES_DB": str(db), "MOTIVES_OUTPUT": str(tmp_path)}
    saved = os.environ.copy()
    os.environ.update(env)  # the kernel inherits this process's environment
    try:
        NotebookClient(
            nb, timeout=180, kernel_name="python3", resources={"metadata": {"path": str(NOTEBOOKS)}}
        ).execute()
    finally:
        os.environ.clear()
        os.environ.update(saved)
    return nb


def outputs(nb: nbformat.NotebookNode) -> list[dict]:
    return [output for cell in nb.cells if cell.cell_type == "code" for output in cell.get("outputs", [])]


@pytest.mark.slow
def test_the_notebook_says_so_on_an_empty_store_and_offers_the_demo(tmp_path):
    nb = run_notebook("reflect.ipynb", tmp_path / "empty.db", tmp_path)
    shown = json.dumps(outputs(nb), ensure_ascii=False)
    assert "nog geen sessies" in shown and "motives demo" in shown
    assert not any(o["output_type"] == "error" for o in outputs(nb))
    assert "image/png" not in shown


@pytest.mark.slow
@pytest.mark.parametrize(
    ("name", "written", "said"),
    [
        ("reflect.ipynb", "volgend-werkblad.toml", "Gemiddeld belang"),
        ("reflect-en.ipynb", "next-worksheet.toml", "Mean importance"),
        ("reflect-fr.ipynb", "prochaine-fiche-de-travail.toml", "Importance moyenne"),
    ],
)
def test_the_notebook_escapes_what_teams_wrote(workshops, tmp_path, name, written, said):
    session = workshops.session(notebook.sessions(workshops)["session"].iloc[0])
    workshops.add_own_motive(workshops.join(session, "Markup"), "for", "<script>alert(1)</script> <b>vet</b>", 3)
    nb = run_notebook(name, Path(workshops.engine.url.database), tmp_path)
    assert not any(o["output_type"] == "error" for o in outputs(nb))
    html = "".join(o.get("data", {}).get("text/html", "") for o in outputs(nb))
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &lt;b&gt;vet&lt;/b&gt;" in html
    assert "<script>alert" not in html and "<b>vet" not in html
    assert said in html  # the tables speak the notebook's language
    assert sum("image/png" in o.get("data", {}) for o in outputs(nb)) == 2
    assert (tmp_path / written).is_file()


@pytest.mark.parametrize("variable", ["VOILA_KERNEL_ID", "VOILA_REQUEST_URL", "VOILA_BASE_URL"])
def test_a_page_that_voila_serves_cannot_read_the_store(workshops, monkeypatch, variable):
    monkeypatch.setenv(variable, "/voila/render/reflect.ipynb")
    with pytest.raises(MotivesError, match="JupyterLab"):
        notebook.open_store(workshops.url)
    with pytest.raises(MotivesError, match="JupyterLab"):
        notebook.load(workshops)
