"""Growing the worksheet from past sessions: one rule (motives.tally.catalogue_growth), whoever asks.

The trainer's home ("grow from sessions"), ``motives catalogue add-from`` and the reflection
notebooks offer the same new motives, counted the same way, from the same sessions.
"""

from __future__ import annotations

import pytest
from processes import motives

from motives import notebook, tally
from motives.catalogue import default_catalogue, load_catalogue
from motives.models import SIDES, Catalogue
from motives.request import Request
from motives.widgets.home import TrainerHome

SEED = default_catalogue()
# (session, team, side, own motive): the same motive in other spellings and in other words across
# sessions (motives/meaning.py), a motive the worksheet already has, and one that a single team wrote.
WRITTEN = [
    ("Gent", "Noord", "for", "Ouders vragen ernaar"),
    ("Gent", "Zuid", "for", "ouders vragen ernaar!"),
    ("Gent", "Zuid", "against", "Geen tijd"),
    ("Brugge", "Oost", "for", "Ouders vragen er naar."),
    ("Brugge", "Oost", "for", "Beter voorkomen dan genezen"),
    ("Brugge", "West", "against", "We hebben geen tijd om een beleid uit te werken"),
    ("Kortrijk", "Zee", "against", "Niemand leest het beleid"),
]
# What every way of growing adds, per side, most teams first.
ADDED = {
    "against": ["Geen tijd", "Niemand leest het beleid"],
    "for": ["Ouders vragen ernaar"],
}


@pytest.fixture
def sessions(store) -> list[str]:
    made = {name: store.create_session(name, SEED, "nl") for name in dict.fromkeys(name for name, *_ in WRITTEN)}
    for name, team, side, text in WRITTEN:
        session = made[name]
        found = store.find_team(session, team) or store.join(session, team)
        store.add_own_motive(found, side, text, 3)
    return [session.code for session in made.values()]


def added(grown: Catalogue) -> dict[str, list[str]]:
    """The motives ``grown`` has beyond the worksheet, per side, in their order."""
    new = [m for m in grown.motives if m.id not in SEED.ids]
    return {side: [m.texts["nl"] for m in new if m.side == side] for side in sorted(SIDES)}


def test_the_one_rule_counts_a_motive_once_across_sessions_and_leaves_out_the_worksheets(store, sessions):
    records = [store.records(store.session(code)) for code in sessions]
    growth = tally.catalogue_growth(records, SEED)
    assert growth[["side", "text", "teams", "sessions"]].to_dict("records") == [
        {"side": "for", "text": "Ouders vragen ernaar", "teams": 3, "sessions": 2},
        {"side": "against", "text": "Geen tijd", "teams": 2, "sessions": 2},
        {"side": "against", "text": "Niemand leest het beleid", "teams": 1, "sessions": 1},
    ]
    assert added(tally.grown_catalogue(SEED, growth, min_teams=2)) == {"against": ["Geen tijd"], "for": ADDED["for"]}


@pytest.mark.slow  # the CLI in a process of its own
def test_the_home_the_cli_and_the_notebook_grow_the_worksheet_alike(store, sessions, database_url, tmp_path):
    # The CLI, into a file a new session can start with.
    target = tmp_path / "next.toml"
    motives("catalogue", "add-from", *sessions, "-o", str(target), db=database_url)
    by_cli = added(load_catalogue(target))

    # The notebook, with every motive a team wrote.
    by_notebook = added(notebook.load(store, sessions).next_catalogue(top=100, min_teams=1))

    # The home: the sessions picked, every candidate ticked and taken into the worksheet being edited.
    editor = TrainerHome(Request(params={"lang": "nl"}, client="127.0.0.1"), store=store).editor
    editor.grow_sessions.value = tuple(sessions)
    editor.grow_button.click()
    assert [tick.description for tick in editor.candidates.children] == [
        "Ouders vragen ernaar · Wel beleid · teams: 3",
        "Geen tijd · Geen beleid · teams: 2",
        "Niemand leest het beleid · Geen beleid · teams: 1",
    ]
    for tick in editor.candidates.children:
        tick.value = True
    editor.take_button.click()
    by_home = added(editor.checked())

    assert by_cli == by_notebook == by_home == ADDED


def test_a_motive_grown_from_two_languages_is_kept_in_the_language_of_its_wording(store):
    dutch = store.create_session("Gent", SEED, "nl")
    french = store.create_session("Namur", SEED, "fr")
    store.add_own_motive(store.join(dutch, "Noord"), "for", "Instagram en TikTok", 3)
    for team in ("Est", "Ouest"):
        store.add_own_motive(store.join(french, team), "for", "Instagram et TikTok", 3)
    records = [store.records(dutch), store.records(french)]
    growth = tally.catalogue_growth(records, SEED)
    assert growth[["text", "teams", "language", "variants"]].to_dict("records") == [
        {
            "text": "Instagram et TikTok",
            "teams": 3,
            "language": "fr",
            "variants": ["Instagram en TikTok", "Instagram et TikTok"],
        }
    ]
    grown = tally.grown_catalogue(SEED, growth)
    assert grown.motives[-1].texts == {"fr": "Instagram et TikTok"}
