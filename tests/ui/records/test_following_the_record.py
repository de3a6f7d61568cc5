"""The selected record stays selected, shown and on screen through everything that
changes the list around it: sorting, filtering, creating, retiring, undo, redo, an
import and a reload (F5) — on the demo desk, with real widgets. A record that leaves
the list (retired, or its creation undone) is never left in the editor as if it
were still there."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from nsdesk.services.records.registers import REGISTERS
from nsdesk.ui.desk.opening_flow import open_desk_into
from nsdesk.ui.records.new_record_dialog import NewRecordDialog
from nsdesk.ui.records.register_view import RegisterView
from nsdesk.ui.workspace.workspace_view import _commitment_panel
from tests.conftest import DEMO_DAY


@pytest.fixture
def commitments(qtbot, demo_data):
    """The Commitments register with its panel, too short to show every row."""
    view = RegisterView(REGISTERS["commitments"], panel_factory=_commitment_panel)
    qtbot.addWidget(view)
    view.set_data(demo_data)
    view.resize(1200, 520)
    view.show()
    qtbot.waitExposed(view)
    demo_data.actions.records_changed.connect(view.records_changed)
    return view


def listed(view) -> list[str]:
    return [view.model.key_at(r) for r in range(view.model.rowCount())]


def highlighted(view) -> list[str]:
    """The keys of the rows the table highlights."""
    return [view.model.key_at(i.row()) for i in view.table.selectionModel().selectedRows()]


def current_row(view) -> str | None:
    index = view.table.currentIndex()
    return view.model.key_at(index.row()) if index.isValid() else None


def title_of(data, key: str) -> str:
    return data.values("commitment", key)["title"]


def editing(view) -> str:
    """What the editor beside the list shows: the title field's text."""
    return view.editor.fields["title"].widget.text()


def assert_shows(view, data, key: str) -> None:
    """``key`` is highlighted, current, in the editor and in the pane's heading."""
    assert highlighted(view) == [key]
    assert current_row(view) == key
    assert view.current_key() == key
    assert editing(view) == title_of(data, key)
    assert view.detail_title.text().startswith(key)
    assert view.detail_scroll.isVisible()


def place_of(view, key: str) -> int:
    """Where ``key``'s row is drawn, in pixels from the top of the table's viewport."""
    return view.table.rowViewportPosition(view.model.row_of(key))


def on_screen(view, key: str) -> bool:
    y = place_of(view, key)
    return 0 <= y <= view.table.viewport().height() - view.table.rowHeight(0)


def test_sorting_keeps_the_selected_record_highlighted_and_in_view(commitments, demo_data):
    assert commitments.select_key("C-0040")
    before = place_of(commitments, "C-0040")
    commitments.table.sortByColumn(1, Qt.SortOrder.AscendingOrder)  # by title
    assert listed(commitments)[0] != "C-0001"  # the rows did move
    assert_shows(commitments, demo_data, "C-0040")
    assert place_of(commitments, "C-0040") == before  # where the eye left it
    commitments.table.sortByColumn(5, Qt.SortOrder.DescendingOrder)  # by deadline
    assert_shows(commitments, demo_data, "C-0040")
    assert on_screen(commitments, "C-0040")


def test_a_filter_keeps_the_record_and_brings_it_back_when_cleared(qtbot, commitments, demo_data):
    commitments.select_key("C-0021")
    qtbot.keyClicks(commitments.filter_bar.text_edit, "forensics")
    assert_shows(commitments, demo_data, "C-0021")
    qtbot.keyClicks(commitments.filter_bar.text_edit, " museum")  # hides it
    assert "C-0021" not in listed(commitments)
    assert highlighted(commitments) == []
    assert editing(commitments) == title_of(demo_data, "C-0021")  # still in hand
    commitments.clear_filters()
    assert_shows(commitments, demo_data, "C-0021")
    assert on_screen(commitments, "C-0021")


def create_commitment(qtbot, view, data, title: str):
    dialog = NewRecordDialog(view.spec, data, parent=view)
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.editor.fields["title"].widget, title)
    dialog.create()
    assert dialog.created is not None
    return dialog.created


def test_creating_keeps_the_record_selected_before_and_undo_goes_back_to_it(
    qtbot, commitments, demo_data
):
    commitments.select_key("C-0012")
    created = create_commitment(qtbot, commitments, demo_data, "Host a regional table-top exercise")
    assert created.key == "C-0061"
    assert "C-0012" in listed(commitments)  # it vanished before
    assert len(listed(commitments)) == 61
    assert commitments.filter_bar.count_label.text() == "61 commitments"
    assert_shows(commitments, demo_data, "C-0061")

    demo_data.actions.undo_stack.undo()  # the creation: the new record is retired
    assert "C-0061" not in listed(commitments)
    assert commitments.filter_bar.count_label.text() == "60 commitments"
    assert_shows(commitments, demo_data, "C-0012")  # not the retired one, editable

    demo_data.actions.undo_stack.redo()
    assert_shows(commitments, demo_data, "C-0061")
    assert commitments.filter_bar.count_label.text() == "61 commitments"


def test_retiring_goes_back_to_the_record_selected_before(commitments, demo_data):
    commitments.select_key("C-0010")
    commitments.select_key("C-0011")
    commitments.retire_button.click()
    assert "C-0011" not in listed(commitments)
    assert_shows(commitments, demo_data, "C-0010")
    demo_data.actions.undo_stack.undo()
    assert_shows(commitments, demo_data, "C-0011")
    demo_data.actions.undo_stack.redo()
    assert_shows(commitments, demo_data, "C-0010")


def test_retiring_the_only_record_ever_selected_shows_none(commitments, demo_data):
    commitments.select_key("C-0011")
    commitments.retire_button.click()
    assert commitments.current_key() is None
    assert highlighted(commitments) == []
    assert not commitments.detail_scroll.isVisible()  # no retired record left editable
    assert commitments.empty_label.isVisible()
    assert commitments.empty_label.text() == "Select a commitment to see and edit it."


def test_an_edit_that_moves_the_row_keeps_it_selected(qtbot, commitments, demo_data):
    commitments.table.sortByColumn(1, Qt.SortOrder.AscendingOrder)
    commitments.select_key("C-0030")
    title = commitments.editor.fields["title"].widget
    title.setFocus()
    title.selectAll()
    qtbot.keyClicks(title, "Zero in on the national progress report")
    qtbot.keyClick(title, Qt.Key.Key_Return)
    assert listed(commitments)[-1] == "C-0030"  # sorted by title, it moved to the end
    assert_shows(commitments, demo_data, "C-0030")
    assert on_screen(commitments, "C-0030")


@pytest.fixture
def shown(qtbot, window, context, demo_desk_path):
    """The demo desk in the real window, active (its shortcuts answer), on the
    Commitments page."""
    window.resize(1280, 800)
    assert open_desk_into(context, window, demo_desk_path)
    context.data.as_of = DEMO_DAY
    window.workspace.show_page("commitments")
    with qtbot.waitActive(window):
        window.activateWindow()
    view = window.workspace.current_register()
    assert view is not None
    return view


def test_reload_keeps_the_record_its_panel_and_its_place(qtbot, window, context, shown):
    view = shown
    assert view.select_key("C-0045")
    before = place_of(view, "C-0045")
    qtbot.keyClick(view.table, Qt.Key.Key_F5)
    assert_shows(view, context.data, "C-0045")
    assert place_of(view, "C-0045") == before
    assert view.panel.status_label.text() == "Status now: Completed"


def test_an_import_keeps_the_record_and_shows_what_it_changed(
    qtbot, window, context, shown, tmp_path
):
    from nsdesk.ui.exchange.exchange_flow import ExchangeFlow
    from tests.ui.exchange.test_exchange_flow import edit_workbook, mfa_return

    view = shown
    view.select_key("C-0002")
    before = place_of(view, "C-0002")
    edited = edit_workbook(
        mfa_return(context.desk, tmp_path),
        tmp_path / "MFA return.xlsx",
        {("C-0002", "Status"): "In progress"},
    )
    flow = ExchangeFlow(context, window)
    flow.choose_open_file = lambda *_: edited
    window.actions_.import_workbook.trigger()
    wizard = flow.wizard
    assert wizard is not None
    qtbot.mouseClick(wizard.choose_page.browse_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(wizard.apply_button, Qt.MouseButton.LeftButton)
    wizard.close()
    assert_shows(view, context.data, "C-0002")
    assert place_of(view, "C-0002") == before
    assert view.panel.status_label.text() == "Status now: In progress"
    assert view.model.row_at(view.model.row_of("C-0002")).cells[2] == "In progress"


def test_undo_and_redo_of_a_creation_in_the_window(qtbot, window, context, shown):
    """Through the window's own undo (which also brings the record acted on forward):
    the record whose creation is undone is not brought back as a retired one."""
    view = shown
    view.select_key("C-0032")
    qtbot.keyClicks(view.filter_bar.text_edit, "IPPAS")
    created = create_commitment(qtbot, view, context.data, "Host a regional table-top exercise")
    assert view.filter_bar.current().is_empty  # cleared, so the new record shows
    assert_shows(view, context.data, created.key)
    window.actions_.undo.trigger()
    assert created.key not in listed(view)
    assert not view.filter_bar.retired_check.isChecked()
    assert_shows(view, context.data, "C-0032")
    window.actions_.redo.trigger()
    assert_shows(view, context.data, created.key)
