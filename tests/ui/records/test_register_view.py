"""A register on screen: filter, select, edit in place with inline errors, create,
retire and undo — on a real desk, with real widgets."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from nsdesk.services.records.register_rows import RegisterFilter
from nsdesk.services.records.registers import REGISTERS, load_register
from nsdesk.ui.records.register_table_model import RegisterTableModel
from nsdesk.ui.records.register_view import RegisterView
from tests.conftest import DEMO_DAY


@pytest.fixture
def commitments(qtbot, demo_data):
    view = RegisterView(REGISTERS["commitments"])
    qtbot.addWidget(view)
    view.set_data(demo_data)
    view.resize(1200, 700)
    view.show()
    demo_data.actions.records_changed.connect(view.records_changed)
    return view


def shown_keys(view):
    return [view.model.key_at(r) for r in range(view.model.rowCount())]


@pytest.mark.parametrize("name", sorted(REGISTERS))
def test_every_register_model_behaves_as_qt_expects(qtmodeltester, demo_data, name):
    model = RegisterTableModel(REGISTERS[name])
    model.set_rows(demo_data.rows(name), as_of=DEMO_DAY)
    model.sort(1, Qt.SortOrder.DescendingOrder)
    model.set_filter(RegisterFilter(text="a"))
    qtmodeltester.check(model)


def test_typing_in_the_filter_narrows_the_list_and_says_how_many(qtbot, commitments):
    qtbot.keyClicks(commitments.filter_bar.text_edit, "forensics")
    titles = [commitments.model.row_at(r).cells[1] for r in range(commitments.model.rowCount())]
    assert titles
    assert all("forensics" in t.lower() for t in titles)
    assert commitments.filter_bar.count_label.text() == f"{len(titles)} of 60 commitments"
    commitments.clear_filters()
    assert commitments.model.rowCount() == 60


def test_choosing_late_in_the_filter_shows_only_late_items(commitments):
    bar = commitments.filter_bar
    bar.deadline_combo.setCurrentIndex(bar.deadline_combo.findData("late"))
    bar.deadline_combo.activated.emit(bar.deadline_combo.currentIndex())
    cells = [commitments.model.row_at(r).cells[5] for r in range(commitments.model.rowCount())]
    assert cells
    assert all(c.startswith("Late") for c in cells)


def test_sorting_by_a_column_header(commitments):
    commitments.table.sortByColumn(0, Qt.SortOrder.DescendingOrder)
    assert shown_keys(commitments)[0] == "C-0060"
    commitments.table.sortByColumn(5, Qt.SortOrder.AscendingOrder)
    assert commitments.model.row_at(0).cells[5].startswith("Late")


def test_selecting_a_row_shows_its_editor_and_an_edit_is_saved_at_once(
    qtbot, commitments, demo_data
):
    assert commitments.select_key("C-0007")
    title = commitments.editor.fields["title"].widget
    assert title.text() == commitments.model.row_at(commitments.model.row_of("C-0007")).cells[1]
    title.setFocus()
    title.selectAll()
    qtbot.keyClicks(title, "Establish a national nuclear forensics library")
    qtbot.keyClick(title, Qt.Key.Key_Return)
    assert demo_data.values("commitment", "C-0007")["title"] == (
        "Establish a national nuclear forensics library"
    )
    row = commitments.model.row_at(commitments.model.row_of("C-0007"))
    assert row.cells[1] == "Establish a national nuclear forensics library"
    stack = demo_data.actions.undo_stack
    assert stack.count() == 1
    assert stack.undoText() == "Edit Title of C-0007"
    stack.undo()
    assert demo_data.values("commitment", "C-0007")["title"] != (
        "Establish a national nuclear forensics library"
    )
    assert title.text() == demo_data.values("commitment", "C-0007")["title"]


def test_a_bad_date_is_shown_beside_the_field_and_nothing_is_written(qtbot, commitments, demo_data):
    commitments.select_key("C-0008")
    before = demo_data.values("commitment", "C-0008")
    pledged = commitments.editor.fields["pledged_on"]
    pledged.widget.setFocus()
    pledged.widget.selectAll()
    qtbot.keyClicks(pledged.widget, "31/02/2014")
    qtbot.keyClick(pledged.widget, Qt.Key.Key_Return)
    assert pledged.error.isVisible()
    assert "a date like 2026-03-31" in pledged.error.text()
    assert demo_data.values("commitment", "C-0008") == before
    assert demo_data.actions.undo_stack.count() == 0


def test_an_unknown_agency_is_refused_inline(qtbot, commitments, demo_data):
    commitments.select_key("C-0009")
    lead = commitments.editor.fields["lead_agency"]
    line = lead.widget.lineEdit()
    line.setFocus()
    line.selectAll()
    qtbot.keyClicks(line, "NOSUCH")
    qtbot.keyClick(line, Qt.Key.Key_Return)
    assert lead.error.isVisible()
    assert "an existing agency" in lead.error.text()
    assert demo_data.values("commitment", "C-0009")["lead_agency"] != "NOSUCH"


def test_an_empty_required_field_is_refused_inline(qtbot, commitments, demo_data):
    commitments.select_key("C-0010")
    title = commitments.editor.fields["title"]
    title.widget.setFocus()
    title.widget.clear()
    qtbot.keyClick(title.widget, Qt.Key.Key_Return)
    assert "required" in title.error.text()
    assert demo_data.values("commitment", "C-0010")["title"]


def test_a_target_before_the_pledge_is_refused_next_to_the_pledge(qtbot, commitments, demo_data):
    rows = load_register(demo_data.desk, "commitments", as_of=DEMO_DAY)
    with_target = next(r for r in rows if r.due is not None and r.due.year < 2030)
    commitments.select_key(with_target.key)
    pledged = commitments.editor.fields["pledged_on"]
    pledged.widget.setFocus()
    pledged.widget.selectAll()
    qtbot.keyClicks(pledged.widget, str(with_target.due.year + 3))
    qtbot.keyClick(pledged.widget, Qt.Key.Key_Return)
    assert pledged.error.isVisible()
    assert demo_data.values("commitment", with_target.key)["pledged_on"] != str(
        with_target.due.year + 3
    )


def test_retiring_asks_nothing_and_undo_brings_it_back(qtbot, commitments, demo_data):
    commitments.select_key("C-0011")
    commitments.retire_button.click()  # no dialog: a modal would block this test
    assert "C-0011" not in shown_keys(commitments)
    assert commitments.model.total == 59
    demo_data.actions.undo_stack.undo()
    assert "C-0011" in shown_keys(commitments)
    demo_data.actions.undo_stack.redo()
    assert "C-0011" not in shown_keys(commitments)


def test_a_new_commitment_is_created_from_its_form_and_undo_retires_it(
    qtbot, commitments, demo_data
):
    from nsdesk.ui.records.new_record_dialog import NewRecordDialog

    dialog = NewRecordDialog(commitments.spec, demo_data, parent=commitments)
    qtbot.addWidget(dialog)
    dialog.create_button.click()  # nothing typed yet
    assert "required" in dialog.editor.fields["title"].error.text()
    assert dialog.created is None
    qtbot.keyClicks(dialog.editor.fields["title"].widget, "Host a regional IPPAS workshop")
    lead = dialog.editor.fields["lead_agency"].widget
    lead.setCurrentIndex(lead.findData("MFA"))
    qtbot.keyClicks(dialog.editor.fields["pledged_on"].widget, "2026-04")
    dialog.create_button.click()
    assert dialog.created is not None
    assert dialog.created.key == "C-0061"
    values = demo_data.values("commitment", "C-0061")
    assert values["lead_agency"] == "MFA"
    assert str(values["pledged_on"]) == "2026-04"
    assert "C-0061" in shown_keys(commitments)
    assert commitments.current_key() == "C-0061"
    demo_data.actions.undo_stack.undo()
    assert "C-0061" not in shown_keys(commitments)


def test_a_read_only_desk_shows_but_does_not_edit(qtbot, demo_desk_path):
    from PySide6.QtGui import QUndoStack

    from nsdesk.services.desk import open_desk
    from nsdesk.services.records.record_service import RecordService
    from nsdesk.ui.records.commands import RecordActions
    from nsdesk.ui.records.desk_data import DeskData

    with open_desk(demo_desk_path, read_only=True) as desk:
        data = DeskData(desk, RecordActions(RecordService(desk), QUndoStack()))
        view = RegisterView(REGISTERS["commitments"])
        qtbot.addWidget(view)
        view.set_data(data)
        view.show()
        view.select_key("C-0001")
        assert view.editor.fields["title"].widget.isReadOnly()
        assert not view.new_button.isEnabled()
        assert not view.retire_button.isEnabled()


def test_column_choices_and_pane_sizes_are_kept(qtbot, commitments, demo_data):
    header = commitments.table.horizontalHeader()
    header.setSectionHidden(3, True)
    saved = commitments.save_layout()
    again = RegisterView(REGISTERS["commitments"])
    qtbot.addWidget(again)
    again.restore_layout(saved)
    assert again.table.horizontalHeader().isSectionHidden(3)


def test_a_new_baseline_is_marked_with_the_desks_default_or_the_level_chosen(
    qtbot, demo_data, tmp_path
):
    import os
    from pathlib import Path

    from nsdesk.domain.records import spec_for
    from nsdesk.ui.records.new_record_dialog import NewRecordDialog

    baselines = RegisterView(REGISTERS["baselines"])
    qtbot.addWidget(baselines)
    baselines.set_data(demo_data)
    dialog = NewRecordDialog(spec_for("baseline"), demo_data, parent=baselines)
    qtbot.addWidget(dialog)
    level = dialog.editor.fields["sensitivity"].widget
    assert level.currentData() == "INTERNAL"  # the desk's default marking
    level.setCurrentIndex(level.findData("RESTRICTED"))
    qtbot.keyClicks(dialog.editor.fields["name"].widget, "Before the Vienna ministerial")
    qtbot.keyClicks(dialog.editor.fields["as_of"].widget, "2026-11-01")
    shots = Path(os.environ.get("NSDESK_SCREENSHOTS") or tmp_path)
    shots.mkdir(parents=True, exist_ok=True)
    assert dialog.grab().save(str(shots / "new_baseline.png"))
    dialog.create_button.click()
    assert dialog.created is not None
    values = demo_data.values("baseline", "Before the Vienna ministerial")
    assert values["sensitivity"] == "RESTRICTED"
