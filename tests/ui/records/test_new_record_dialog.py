"""The New commitment form on the demo desk: its first target, the commitments
whose title is close to the one typed, and a draft that is not thrown away
without asking."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from nsdesk.services.records.registers import REGISTERS, load_register
from nsdesk.store import tables as t
from nsdesk.ui.records.new_record_dialog import NewRecordDialog
from nsdesk.ui.records.register_view import RegisterView
from tests.conftest import DEMO_DAY
from tests.ui.records.details.test_panels import rows


@pytest.fixture
def commitments(qtbot, demo_data):
    view = RegisterView(REGISTERS["commitments"])
    qtbot.addWidget(view)
    view.set_data(demo_data)
    view.show()
    demo_data.actions.records_changed.connect(view.records_changed)
    return view


@pytest.fixture
def dialog(qtbot, commitments, demo_data):
    form = NewRecordDialog(commitments.spec, demo_data, parent=commitments)
    # Put away without the question a draft asks: no one is there to answer it.
    qtbot.addWidget(form, before_close_func=lambda w: w.done(0))
    form.show()
    return form


def field(dialog, name):
    return dialog.editor.fields[name].widget


def test_a_commitment_and_its_target_are_created_as_one_undo_step(qtbot, dialog, demo_data):
    qtbot.keyClicks(field(dialog, "title"), "Ratify the Treaty of Pelindaba")
    qtbot.keyClicks(field(dialog, "pledged_on"), "2026-03")
    qtbot.keyClicks(dialog.target_due, "2026-12")
    qtbot.keyClicks(dialog.target_clause, "para. 7 of the national statement")
    qtbot.keyClick(dialog.target_clause, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert dialog.created is not None
    ref = dialog.created.key
    (row,) = load_register(demo_data.desk, "commitments", as_of=DEMO_DAY, keys=[ref])
    assert row.cells[4:6] == ("Dec 2026", "At risk")
    stack = demo_data.actions.undo_stack
    assert stack.count() == 1
    assert stack.undoText() == f"Add commitment {ref} with a target due Dec 2026"
    stack.undo()
    (row,) = load_register(demo_data.desk, "commitments", as_of=DEMO_DAY, keys=[ref])
    assert row.retired
    assert row.cells[4] == ""  # its target went with it


def test_a_target_before_the_pledge_is_refused_before_anything_is_written(qtbot, dialog, demo_data):
    commitments_before = rows(demo_data.desk, t.commitment)
    qtbot.keyClicks(field(dialog, "title"), "Ratify the Treaty of Pelindaba")
    qtbot.keyClicks(field(dialog, "pledged_on"), "2026-03")
    qtbot.keyClicks(dialog.target_due, "2025")
    dialog.create_button.click()
    assert dialog.created is None
    assert dialog.target_box.error_for("Due") == (
        "Expected a date on or after the pledge (2026-03); got “2025”."
    )
    assert rows(demo_data.desk, t.commitment) == commitments_before
    assert demo_data.actions.undo_stack.count() == 0


def test_a_title_close_to_an_existing_commitment_is_said_before_saving(
    qtbot, commitments, dialog, demo_data
):
    title = field(dialog, "title")
    qtbot.keyClicks(title, "Establish a national nuclear forensics library")
    qtbot.keyClick(title, Qt.Key.Key_Tab)  # leaving the title looks
    assert dialog.duplicates_box.isVisible()
    assert "The desk already has this commitment" in dialog.duplicates_note.text()
    (button,) = dialog.duplicate_buttons
    assert button.text() == "Open C-0021 instead — Build a national nuclear forensics library"
    assert dialog.create_button.text() == "Create anyway"
    dialog.create_button.click()  # the user may still create it
    assert dialog.created is not None
    assert dialog.created.key == "C-0061"


def test_create_says_so_even_when_the_title_was_never_left(qtbot, dialog, demo_data):
    qtbot.keyClicks(field(dialog, "title"), "Build a national nuclear forensics library")
    qtbot.keyClick(dialog, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert dialog.created is None  # said first, nothing written
    assert dialog.duplicates_box.isVisible()
    assert demo_data.actions.undo_stack.count() == 0
    qtbot.keyClick(dialog, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert dialog.created is not None


def test_opening_the_close_one_instead_shows_it_and_creates_nothing(
    qtbot, commitments, demo_data, modal
):
    commitments.select_key("C-0005")
    opened = []

    def fill_then_open(form):
        qtbot.keyClicks(form.editor.fields["title"].widget, "Build a national forensics library")
        form.look_for_duplicates()
        opened.extend(b.text() for b in form.duplicate_buttons)
        form.duplicate_buttons[0].click()

    from PySide6.QtCore import QTimer

    QTimer.singleShot(0, lambda: fill_then_open(commitments.findChild(NewRecordDialog)))
    commitments.new_record()
    assert opened[0].startswith("Open C-0021 instead")
    assert commitments.current_key() == "C-0021"
    assert demo_data.actions.undo_stack.count() == 0


def test_escape_in_a_draft_with_typed_text_asks_before_discarding_it(
    qtbot, dialog, demo_data, modal
):
    qtbot.keyClicks(field(dialog, "title"), "Ratify the Treaty of Pelindaba")
    modal.click("Keep editing")
    qtbot.keyClick(field(dialog, "title"), Qt.Key.Key_Escape)
    assert modal.seen[0][0] == "Discard the new commitment?"
    assert dialog.isVisible()
    assert field(dialog, "title").text() == "Ratify the Treaty of Pelindaba"
    modal.click("Discard")
    qtbot.keyClick(field(dialog, "title"), Qt.Key.Key_Escape)
    assert not dialog.isVisible()
    assert dialog.created is None


def test_escape_in_an_empty_draft_closes_it_at_once(qtbot, dialog):
    qtbot.keyClick(field(dialog, "title"), Qt.Key.Key_Escape)  # no question: nothing typed
    assert not dialog.isVisible()


def test_a_form_whose_lists_open_on_a_first_choice_closes_at_once_when_untouched(qtbot, demo_data):
    """A new instrument's form shows a kind, a mechanism and "binding" already chosen in
    its lists; nothing was typed, so Escape closes it without asking."""
    from nsdesk.domain.records import spec_for

    form = NewRecordDialog(spec_for("instrument"), demo_data)
    qtbot.addWidget(form)
    form.show()
    qtbot.keyClick(form.editor.fields["name"].widget, Qt.Key.Key_Escape)
    assert not form.isVisible()
    assert form.created is None
