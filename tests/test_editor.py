"""The catalogue editor: the seed's instruction ("Vul onderstaande lijstjes verder aan met motieven uit
jouw organisatie") in the browser. A draft is checked as a catalogue file is, saved by name in the
store, and picked for a new session."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pages import inputs, picked_file

from motives.catalogue import default_catalogue
from motives.editing import Draft
from motives.errors import CatalogueError, InvalidInput
from motives.request import Request
from motives.widgets.home import TrainerHome

SEED = default_catalogue()


def test_a_draft_rewords_adds_removes_reorders_and_moves_motives():
    draft = Draft.of(SEED, "fr")
    first_for, second_for = (m.id for m in SEED.side("for")[:2])
    draft.reword("for", 0, "Mieux vaut prévenir, chez nous aussi.")
    draft.add("against", "Nous n'avons pas le temps.")
    draft.remove("against", 0)
    draft.move("for", 1)  # the second 'for' motive goes to the end of 'against'
    draft.up("against", len(draft.motives["against"]) - 1)
    made = draft.catalogue()
    against = made.side("against")
    assert made.side("for")[0].texts == {"fr": "Mieux vaut prévenir, chez nous aussi."}  # its translations went
    assert made.side("for")[0].id == first_for
    assert [m.id for m in against[-2:]] == [second_for, "against-nous-n-avons-pas-le-temps"]
    assert len(made.motives) == len(SEED.motives)
    assert made.id == "sociale-mediabeleid-adapted" and made.source == SEED.source  # the credit stays


def test_an_empty_column_is_refused_and_named():
    draft = Draft.of(SEED, "nl")
    while draft.motives["against"]:
        draft.remove("against", 0)
    with pytest.raises(CatalogueError) as refused:
        draft.catalogue("Ons werkblad")
    heading = SEED.heading("against", "nl")
    assert refused.value.say("nl") == f"Ons werkblad: de kolom '{heading}' heeft nog geen motief"


def test_two_motives_with_one_text_are_refused_naming_the_motive():
    draft = Draft.of(SEED, "nl")
    draft.add("for", draft.text("for", 0).upper())
    with pytest.raises(CatalogueError) as refused:
        draft.catalogue("Ons werkblad")
    assert "repeats the nl text of motive" in refused.value.say("en")
    assert refused.value.say("en").startswith("Ons werkblad: motive ")


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.tuples(st.sampled_from(["add", "remove", "up", "move", "reword"]), st.text(max_size=600)), max_size=12)
)
def test_whatever_the_trainer_does_the_draft_is_a_catalogue_or_a_catalogue_refusal(steps):
    draft = Draft.of(SEED, "nl")
    for action, text in steps:
        side = "for" if len(text) % 2 else "against"
        column = draft.motives[side]
        if action == "add":
            draft.add(side, text)
        elif column:
            index = len(text) % len(column)
            if action == "reword":
                draft.reword(side, index, text)
            else:
                {"remove": draft.remove, "up": draft.up, "move": draft.move}[action](side, index)
    try:
        made = draft.catalogue()
    except CatalogueError as refused:
        assert refused.say("nl")  # one sentence, nothing else
        return
    assert {m.side for m in made.motives} == {"for", "against"}
    assert len({m.id for m in made.motives}) == len(made.motives)


def test_catalogues_are_saved_by_name_and_replaced_under_the_same_name(store):
    draft = Draft.of(SEED, "nl")
    assert store.save_catalogue("  Jeugdwerk  ", draft.catalogue()) == "Jeugdwerk"
    draft.add("for", "Jongeren verwachten het.")
    store.save_catalogue("Jeugdwerk", draft.catalogue())
    store.save_catalogue("Thuiszorg", SEED)
    assert store.catalogue_names() == ["Thuiszorg", "Jeugdwerk"]
    assert store.saved_catalogue("Jeugdwerk").side("for")[-1].texts == {"nl": "Jongeren verwachten het."}
    with pytest.raises(InvalidInput) as unknown:
        store.saved_catalogue("Bestaat niet")
    assert unknown.value.key == "unknown_catalogue"
    with pytest.raises(InvalidInput) as nameless:
        store.save_catalogue("   ", SEED)
    assert nameless.value.key == "empty_catalogue_name"


def home(store, language: str = "fr") -> TrainerHome:
    return TrainerHome(Request(params={"lang": language}, client="127.0.0.1"), store=store)


def test_a_saved_worksheet_opens_again_in_the_editor_and_each_message_shows_where_the_trainer_acted(store):
    page = home(store, "nl")
    editor = page.editor
    assert editor.reopen_button.disabled  # nothing saved yet
    editor.name.value = "Gent 2026"
    editor.new_text["for"].value = "Ouders vragen ernaar."
    editor.add["for"].click()
    editor.save_button.click()
    # Under the save button, and the name once: it said "Werkblad Werkblad Gent 2026 is bewaard" at the foot.
    children = list(editor.children)
    buttons = next(child for child in children if editor.save_button in getattr(child, "children", ()))
    assert children.index(editor.save_status) == children.index(buttons) + 1
    assert editor.save_status.value == (
        '<p class="motives-ok" role="status">“Gent 2026” is bewaard. Kies het bij een nieuwe sessie.</p>'
    )
    assert editor.status.value == ""
    # The editor starts over from the seed on the next visit; the saved worksheet opens again from the list.
    again = home(store, "nl").editor
    assert [m.text("nl") for m in again.checked().motives] == [m.text("nl") for m in SEED.motives]
    assert (again.saved.options, again.reopen_button.disabled) == ((("Gent 2026", "Gent 2026"),), False)
    again.reopen_button.click()
    assert again.name.value == "Gent 2026"
    assert again.columns["for"].children[-1].children[0].value == "Ouders vragen ernaar."
    assert again.file_status.value == (
        '<p class="motives-ok" role="status">“Gent 2026” staat open: pas het aan en bewaar het opnieuw.</p>'
    )
    # The message sits under where the worksheet was opened, not under the save button a screen below.
    order = list(again.children)
    assert order.index(again.file_status) < order.index(again.save_status)
    # The browser may set any value: a name that is not a saved worksheet opens nothing.
    again.saved.options = (("Gent 2026", "Gent 2026"), ("Bestaat niet", "Bestaat niet"))
    again.saved.value = "Bestaat niet"
    again.reopen_button.click()
    assert "Bestaat niet" in again.file_status.value and again.name.value == "Gent 2026"


def test_an_edited_worksheet_saved_on_the_home_makes_a_french_session_with_exactly_those_motives(store):
    page = home(store)
    editor = page.editor
    editor.name.value = "Atelier Namur"
    first, *_ = editor.columns["for"].children
    first.children[0].value = "Prévenir vaut mieux que guérir, ici aussi."  # reworded
    editor.new_text["against"].value = "Personne n'a le temps."
    editor.add["against"].click()  # added
    editor.columns["against"].children[0].children[1].children[2].click()  # the first 'against' motive removed
    editor.columns["for"].children[1].children[1].children[1].click()  # the second 'for' motive to the other column
    editor.save_button.click()
    assert editor.save_status.value == (
        '<p class="motives-ok" role="status">« Atelier Namur » est enregistrée.'
        " Choisissez-la pour une nouvelle session.</p>"
    )
    assert 'download="Atelier Namur.toml"' in editor.download.value
    form = page.new_session
    assert form.catalogue.value == "Atelier Namur"
    form.name.value, form.session_language.value = "Namur, décembre", "fr"
    form.create.click()
    (made,) = store.sessions()
    session = store.session(made.code)
    assert [m.text("fr") for m in session.catalogue.motives] == [m.text("fr") for m in editor.checked().motives]
    assert "Prévenir vaut mieux que guérir, ici aussi." in [m.text("fr") for m in session.catalogue.side("for")]
    moved = SEED.side("for")[1].text("fr")
    assert [m.text("fr") for m in session.catalogue.side("against")[-2:]] == ["Personne n'a le temps.", moved]
    assert SEED.side("against")[0].text("fr") not in [m.text("fr") for m in session.catalogue.motives]


def test_a_refused_worksheet_names_the_motive_keeps_every_text_and_saves_nothing(store):
    editor = home(store, "nl").editor
    editor.name.value = "Dubbel"
    editor.new_text["for"].value = editor.draft.text("for", 0)
    editor.add["for"].click()
    typed = [row.children[0].value for row in editor.columns["for"].children]
    editor.save_button.click()
    twin = editor.draft.motives["for"][-1].id  # made from the text: 'for-professioneel-communiceren-…'
    assert editor.save_status.value == (
        f'<p class="motives-error" role="alert">Dubbel: motief 11 (&#x27;{twin}&#x27;):'
        " herhaalt de nl-tekst van motief &#x27;for-support-staff&#x27;</p>"
    )
    assert [row.children[0].value for row in editor.columns["for"].children] == typed
    assert store.catalogue_names() == []


def test_the_preview_shows_the_columns_as_a_team_sees_them_and_saves_nothing(store):
    editor = home(store, "en").editor
    editor.preview_button.click()
    shown = [choice.applies.description for choice in _choices(editor.preview)]
    assert shown == [m.text("en") for m in SEED.side("against")] + [m.text("en") for m in SEED.side("for")]
    assert all(widget.disabled for widget in inputs(editor.preview))
    assert store.catalogue_names() == []


def _choices(widget):
    from motives.widgets.team import MotiveChoice

    found = [widget] if isinstance(widget, MotiveChoice) else []
    for child in getattr(widget, "children", ()):
        found += _choices(child)
    return found


def test_a_session_on_an_adapted_worksheet_keeps_the_credit_and_says_it_was_adapted(store):
    from motives.widgets.page import source_note

    adapted = Draft.of(SEED, "nl")
    adapted.add("for", "Ouders vragen ernaar.")
    session = store.create_session("Aangepast", adapted.catalogue(), "nl")
    note = source_note(session).value
    assert "Philippe Bocklandt" in note and "Cera" in note
    assert note.endswith("<br>Aangepast door de trainer voor deze workshop.</p>")
    assert "Aangepast door de trainer" not in source_note(store.create_session("Zoals het is", SEED, "nl")).value


def test_the_trainer_adds_a_line_to_the_credit_and_the_seeds_stays(store):
    from motives.report import report_md
    from motives.widgets.page import source_note

    editor = home(store, "nl").editor
    assert "Philippe Bocklandt" in editor.credit.value and "Cera" in editor.credit.value  # shown, not editable
    editor.adaptation.value = "Team Vorming, voor de workshop van maart 2027"
    catalogue = editor.checked()
    assert catalogue.source == SEED.source | {"adaptation": {"nl": "Team Vorming, voor de workshop van maart 2027"}}
    session = store.create_session("Met eigen credit", catalogue, "nl")
    assert source_note(session).value.endswith(
        "<br>Aangepast door de trainer voor deze workshop.<br>Team Vorming, voor de workshop van maart 2027</p>"
    )
    assert "Team Vorming, voor de workshop van maart 2027" in report_md(store.records(session))


def upload(editor, content: bytes, name: str = "ons-werkblad.toml") -> None:
    editor.file.value = picked_file(content, name, "application/toml")


def test_a_catalogue_file_uploads_into_the_editor_and_a_damaged_one_changes_nothing(store, tmp_path):
    from motives.catalogue import catalogue_to_toml

    page = home(store, "en")
    editor = page.editor
    theirs = Draft.of(SEED, "en")
    theirs.add("against", "We have no time for it.")
    theirs.title = "Our worksheet"
    upload(editor, catalogue_to_toml(theirs.catalogue()).encode())
    assert editor.file_status.value == (
        '<p class="motives-ok" role="status">ons-werkblad.toml is open. Adapt it and save it under a name.</p>'
    )
    assert (editor.name.value, editor.title.value) == ("ons-werkblad", "Our worksheet")
    assert editor.columns["against"].children[-1].children[0].value == "We have no time for it."
    editor.new_text["for"].value = "Parents ask for it."
    editor.add["for"].click()
    kept = editor.checked()
    for content, said in (
        (b"title = [", "ons-werkblad.toml: not valid TOML (Invalid value (at end of document))"),
        (b"\xff\xfe", "ons-werkblad.toml: not UTF-8 text (byte 0)"),
        (b"x" * 1_100_000, "ons-werkblad.toml: too large for a worksheet (more than 1,000,000 bytes)"),
        (b"a = " + b"[" * 5000 + b"]" * 5000, "ons-werkblad.toml: nested too deeply to be a worksheet"),
        (
            b'id = "x"\n',
            "ons-werkblad.toml: title: expected texts per language, such as nl = &quot;…&quot; and en = &quot;…&quot;",
        ),
    ):
        upload(editor, content)
        assert editor.file_status.value == f'<p class="motives-error" role="alert">{said}</p>', content[:20]
        assert editor.checked() == kept  # what the trainer had is still there
    assert store.catalogue_names() == []


def test_grow_from_sessions_offers_the_teams_own_motives_counted_and_adds_the_ticked_ones(store):
    page = home(store, "nl")
    gent = store.create_session("Gent", SEED, "nl")
    brugge = store.create_session("Brugge", SEED, "nl")
    for session, team, text in (
        (gent, "Noord", "Ouders vragen ernaar"),
        (gent, "Zuid", "ouders vragen ernaar!"),
        (brugge, "Oost", "Ouders vragen ernaar"),
        (brugge, "West", "Geen tijd voor"),
    ):
        store.add_own_motive(
            store.join(session, team), "for" if "Ouders" in text or "ouders" in text else "against", text, 3
        )
    page.refresh()
    editor = page.editor
    assert [label for label, _code in editor.grow_sessions.options] == [
        f"Brugge · {brugge.code}",
        f"Gent · {gent.code}",
    ]
    editor.grow_button.click()
    assert "Kies eerst een of meer sessies." in editor.grow_status.value
    editor.grow_sessions.value = (brugge.code, gent.code)
    editor.grow_button.click()
    offered = [tick.description for tick in editor.candidates.children]
    # Grouped as the overview groups own motives (capitals, punctuation), and across the two sessions: three teams.
    assert offered == ["Ouders vragen ernaar · Wel beleid · teams: 3", "Geen tijd voor · Geen beleid · teams: 1"]
    editor.candidates.children[0].value = True
    editor.take_button.click()
    assert "Toegevoegd aan het werkblad: 1." in editor.grow_status.value
    assert editor.columns["for"].children[-1].children[0].value == "Ouders vragen ernaar"
    assert [tick.description for tick in editor.candidates.children] == ["Geen tijd voor · Geen beleid · teams: 1"]
    assert editor.checked().side("for")[-1].texts == {"nl": "Ouders vragen ernaar"}


def test_a_cleared_adaptation_line_is_gone_from_the_catalogue():
    from dataclasses import replace

    adapted = replace(SEED, source={"adaptation": {"nl": "Team Vorming"}})
    draft = Draft.of(adapted, "nl")
    assert draft.adaptation == "Team Vorming"
    draft.adaptation = ""
    assert draft.catalogue().source == {}


def test_what_the_draft_has_is_not_offered_again_from_sessions(store):
    from motives.editing import Candidate

    editor = home(store, "nl").editor
    editor.draft.add("for", "Ouders vragen ernaar")
    editor.show_candidates(
        [Candidate("for", "ouders vragen ernaar!", "nl", 2), Candidate("against", "Geen tijd voor", "nl", 1)]
    )
    assert [tick.description for tick in editor.candidates.children] == ["Geen tijd voor · Geen beleid · teams: 1"]
