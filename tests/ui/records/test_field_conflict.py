"""Two officers on one record, in the window: a field someone else saved since it was
shown is not overwritten — the editor shows theirs and yours, who and when, with Keep
mine, Take theirs and Edit; a different field of the same record saves as usual."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from nsdesk.domain.enums import Channel
from nsdesk.services.audit import Actor
from nsdesk.services.records.record_service import RecordService
from nsdesk.services.records.registers import REGISTERS
from nsdesk.ui.records.register_view import RegisterView
from tests.support.desks import raw_query

KEY = "C-0007"


@pytest.fixture
def commitments(qtbot, demo_data):
    view = RegisterView(REGISTERS["commitments"])
    qtbot.addWidget(view)
    view.set_data(demo_data)
    view.resize(1200, 700)
    view.show()
    demo_data.actions.records_changed.connect(view.records_changed)
    said: list[str] = []
    view.status_message.connect(said.append)
    view.said = said  # type: ignore[attr-defined]
    assert view.select_key(KEY)
    return view


def bob(demo_desk) -> RecordService:
    """Another officer, saving through his own service (his own session and login)."""
    return RecordService(demo_desk, Actor("bob@ministry", Channel.TYPED))


def type_into(qtbot, view, name: str, text: str) -> None:
    widget = view.editor.fields[name].widget
    widget.setFocus()
    widget.selectAll()
    qtbot.keyClicks(widget, text)
    qtbot.keyClick(widget, Qt.Key.Key_Return)


def title_entries(desk) -> int:
    sql = "SELECT COUNT(*) FROM audit_entry WHERE field = 'title' AND action = 'update'"
    return raw_query(desk.location, sql)[0][0]


def test_a_field_saved_by_another_officer_is_shown_with_mine_and_keep_mine_saves_mine(
    qtbot, commitments, demo_data, demo_desk
):
    bob(demo_desk).update("commitment", KEY, {"title": "Bob's title"})
    before = title_entries(demo_desk)
    type_into(qtbot, commitments, "title", "Alice's title")

    bar = commitments.editor.conflict("title")
    assert bar.isVisible()
    said = bar.label.text()
    assert "Changed by bob@ministry at " in said
    assert "“Bob's title”" in said
    assert "Yours, not saved: “Alice's title”" in said
    assert title_entries(demo_desk) == before  # nothing written
    assert demo_data.values("commitment", KEY)["title"] == "Bob's title"
    assert "Not saved: Title was changed by bob@ministry" in commitments.said[-1]
    assert commitments.editor.fields["title"].widget.text() == "Alice's title"  # mine kept

    bar.keep_button.click()
    assert demo_data.values("commitment", KEY)["title"] == "Alice's title"
    assert not bar.isVisible()
    assert title_entries(demo_desk) == before + 1
    assert demo_data.actions.undo_stack.undoText() == f"Edit Title of {KEY}"


def test_take_theirs_shows_their_value_and_writes_nothing(qtbot, commitments, demo_data, demo_desk):
    bob(demo_desk).update("commitment", KEY, {"title": "Bob's title"})
    before = title_entries(demo_desk)
    type_into(qtbot, commitments, "title", "Alice's title")
    bar = commitments.editor.conflict("title")
    bar.take_button.click()
    assert not bar.isVisible()
    assert commitments.editor.fields["title"].widget.text() == "Bob's title"
    assert title_entries(demo_desk) == before
    row = commitments.model.row_at(commitments.model.row_of(KEY))
    assert row.cells[1] == "Bob's title"  # the list says what the desk holds
    assert demo_data.actions.undo_stack.count() == 0  # nothing of Alice's to undo


def test_edit_goes_back_into_the_field_and_leaving_it_saves_over_theirs(
    qtbot, commitments, demo_data, demo_desk
):
    bob(demo_desk).update("commitment", KEY, {"title": "Bob's title"})
    type_into(qtbot, commitments, "title", "Alice's title")
    bar = commitments.editor.conflict("title")
    bar.edit_button.click()
    assert not bar.isVisible()
    type_into(qtbot, commitments, "title", "Alice's and Bob's title")
    assert demo_data.values("commitment", KEY)["title"] == "Alice's and Bob's title"


def test_different_fields_of_one_record_never_conflict(qtbot, commitments, demo_data, demo_desk):
    bob(demo_desk).update("commitment", KEY, {"title": "Bob's title"})
    type_into(qtbot, commitments, "pledged_on", "2016-03")
    assert not commitments.editor.conflict("pledged_on").isVisible()
    values = demo_data.values("commitment", KEY)
    assert (values["title"], str(values["pledged_on"])) == ("Bob's title", "2016-03")
