"""Every control has one shape: ``show(stored)`` puts what the store holds on screen and reports
nothing; a person's change reaches the page's callback once; ``disabled`` greys every input.

The controls get no store at all, so these tests give them none: a control that tried to save
would fail here. What the page does with a report is tested in test_team_page.py and
test_dashboard.py.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from motives.catalogue import default_catalogue
from motives.models import Answer, OwnMotive
from motives.widgets.team import ConclusionForm, MotiveChoice, OtherDevice, OwnMotiveList, OwnMotiveRow

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
MOTIVE = default_catalogue().motives[0]


class Heard:
    """A callback that keeps what it heard: ``heard.calls`` is one tuple of arguments per call."""

    def __init__(self) -> None:
        self.calls: list[tuple] = []

    def __call__(self, *args, **kwargs) -> None:
        self.calls.append((*args, *sorted(kwargs.items())))


def own(number: int, text: str, importance: int = 3, side: str = "for") -> OwnMotive:
    return OwnMotive(id=number, side=side, text=text, importance=importance, updated_at=NOW)


def test_a_motive_choice_shows_a_stored_answer_without_reporting_it():
    heard = Heard()
    choice = MotiveChoice("en", MOTIVE, heard)
    choice.show(Answer(MOTIVE.id, applies=True, importance=5, updated_at=NOW))
    assert (choice.value, heard.calls) == ((True, 5), [])
    assert "motives-chosen" in choice._dom_classes
    choice.show(None)
    assert (choice.value, heard.calls) == ((False, None), [])
    assert "motives-chosen" not in choice._dom_classes


def test_a_tick_and_an_importance_each_reach_the_page_once():
    heard = Heard()
    choice = MotiveChoice("en", MOTIVE, heard)
    choice.applies.value = True
    assert heard.calls == [(choice, True, 3)] and choice.value == (True, 3)
    choice.importance.value = 4
    assert heard.calls == [(choice, True, 3), (choice, True, 4)] and choice.value == (True, 4)


def test_an_own_motive_row_shows_the_stored_text_unless_a_refused_one_is_in_its_box():
    edited, removed = Heard(), Heard()
    row = OwnMotiveRow("en", own(1, "Ours"), edited, removed)
    row.show(own(1, "Ours, changed on the phone", importance=5))
    assert (row.text.value, row.importance.value, edited.calls) == ("Ours, changed on the phone", 5, [])
    row.unsaved = True  # the page marks a text the store refused
    row.text.value = "Typed, not saved"
    row.show(own(1, "Stored", importance=2))
    assert (row.text.value, row.importance.value) == ("Typed, not saved", 2)
    assert "motives-unsaved" in row._dom_classes


def test_an_own_motive_rows_changes_reach_the_page_once_each():
    edited, removed = Heard(), Heard()
    row = OwnMotiveRow("en", own(1, "Ours"), edited, removed)
    row.text.value = "Ours, better"
    row.importance.value = 1
    row.text.value = "Ours"  # back to what the store holds: nothing to save
    row.remove.click()
    assert edited.calls == [(row, ("text", "Ours, better")), (row, ("importance", 1))]
    assert removed.calls == [(row,)]


def test_an_own_motive_list_follows_the_store_row_by_row():
    added, edited, removed = Heard(), Heard(), Heard()
    column = OwnMotiveList("en", "for", added, edited, removed)
    column.show([own(1, "One"), own(2, "Against", side="against"), own(3, "Three")])
    first, third = column.rows.children
    assert column.texts == ["One", "Three"]
    column.show([own(1, "One, edited"), own(4, "Four")])
    assert column.texts == ["One, edited", "Four"] and column.rows.children[0] is first
    assert third.comm is None  # the removed row is closed, out of reach of the websocket
    assert (added.calls, edited.calls, removed.calls) == ([], [], [])


def test_the_add_button_reaches_the_page_once_and_the_page_says_what_came_of_it():
    added, edited, removed = Heard(), Heard(), Heard()
    column = OwnMotiveList("en", "for", added, edited, removed)
    column.new_text.value = "Our reason"
    column.add_button.click()
    assert added.calls == [(column, "Our reason")]
    column.show_added(own(7, "Our reason"))
    assert (column.texts, column.new_text.value) == (["Our reason"], "")
    assert column.status.value == '<p class="motives-ok" role="status">Motive added.</p>'


def test_a_conclusion_form_shows_the_stored_conclusion_without_reporting_it():
    chose, explained = Heard(), Heard()
    form = ConclusionForm("en", chose, explained)
    form.show("not_yet", "We need to ask the board.")
    assert (form.choice.value, form.explanation.value, form.stored_choice) == (
        "not_yet",
        "We need to ask the board.",
        "not_yet",
    )
    assert (chose.calls, explained.calls) == ([], [])


def test_a_conclusion_and_its_explanation_reach_the_page_once_each():
    chose, explained = Heard(), Heard()
    form = ConclusionForm("en", chose, explained)
    form.choice.value = "yes"
    form.explanation.value = "Because."  # outside a kernel's event loop the pause for typing is nil
    assert (chose.calls, explained.calls) == ([(form, "yes")], [(form, "Because.")])


@pytest.mark.parametrize(
    "control",
    [
        lambda: MotiveChoice("en", MOTIVE, Heard()),
        lambda: OwnMotiveRow("en", own(1, "Ours"), Heard(), Heard()),
        lambda: ConclusionForm("en", Heard(), Heard()),
        lambda: OtherDevice("en", "http://127.0.0.1:8866/voila/render/team.ipynb?session=ABC234"),
    ],
    ids=["choice", "own row", "conclusion", "other device"],
)
def test_disabled_greys_every_input_of_a_control_and_back(control):
    made = control()
    made.disabled = True
    assert [widget.disabled for widget in made.inputs()] == [True] * len(made.inputs())
    made.disabled = False
    assert [widget.disabled for widget in made.inputs()] == [False] * len(made.inputs())


def test_a_row_drawn_in_a_disabled_list_is_greyed_as_the_others():
    column = OwnMotiveList("en", "for", Heard(), Heard(), Heard())
    column.show([own(1, "One")])
    column.disabled = True
    column.show([own(1, "One"), own(2, "Two, from the phone")])
    assert [row.disabled for row in column.rows.children] == [True, True]
    assert column.new_text.disabled and column.add_button.disabled
    assert column.rows.children[1].text.disabled


# --- the dashboard's parts: they draw the frames and report; the dashboard writes -------------


def test_removing_a_team_takes_two_clicks_and_reaches_the_dashboard_once(store, session):
    from motives import tally
    from motives.widgets.dashboard_tabs import TeamRemoval

    store.join(session, "Noord")
    removed = Heard()
    box = TeamRemoval(session, removed, lambda name: f"/team?{name}")
    box.update(tally.Frames.of(store.records(session)))
    assert box.team_link.value.count("/team?Noord") == 2  # the link's text and its target
    box.remove_team.click()
    assert removed.calls == []  # the first click asks
    box.remove_team.click()
    assert removed.calls == [("Noord", False)]  # not barred unless the trainer ticks it


def test_a_refusal_the_dashboard_raises_is_said_on_the_parts_own_line(session):
    from motives.errors import UnknownSession
    from motives.widgets.dashboard_tabs import SessionsTab

    def add(tab, code, key):
        raise UnknownSession(code)

    tab = SessionsTab(session, add)
    tab.other_code.value, tab.other_key.value = "ZZZ234", "wrong"
    tab.add_session.click()
    assert (
        tab.status.value
        == '<p class="motives-error" role="alert">Er is geen sessie met code ZZZ234. Kijk de code na bij je trainer.</p>'
    )
    assert (tab.other_code.value, tab.other_key.value) == ("ZZZ234", "wrong")  # kept, to correct


def test_an_export_button_asks_the_dashboard_for_its_file_once(session):
    from motives.export import SessionFile
    from motives.widgets.dashboard_tabs import ExportTab

    asked = []

    def make(fmt, table, document):
        asked.append((fmt, table, document))
        return SessionFile("motives.csv", "text/csv", "session,team\n")

    tab = ExportTab(session, make)
    tab.buttons["dl_csv_comparison"].click()
    assert asked == [("csv", "comparison", "report")]
    assert 'download="motives.csv"' in tab.downloads.value
