"""The desk with the keyboard alone, in the real window on the demo desk: Tab in
and out of a list, a visible focus on the filters, Ctrl+Z for the desk wherever
no field has typing to undo, F6 between the panes, and a toolbar that keeps its
words."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QToolButton

from nsdesk.ui.desk.opening_flow import open_desk_into
from tests.conftest import DEMO_DAY

CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.fixture
def commitments(qtbot, window, context, demo_desk_path):
    """The Commitments page of the demo desk in the active window (shortcuts answer)."""
    window.resize(1280, 800)
    assert open_desk_into(context, window, demo_desk_path)
    context.data.as_of = DEMO_DAY
    window.workspace.show_page("commitments")
    with qtbot.waitActive(window):
        window.activateWindow()
    view = window.workspace.current_register()
    assert view is not None
    return view


def focus() -> object:
    return QApplication.focusWidget()


def press(qtbot, key, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    """A key pressed where the focus is, as a person would."""
    widget = focus()
    assert widget is not None, "no widget has the focus"
    qtbot.keyClick(widget, key, modifier)


def test_tab_enters_the_list_and_leaves_it_without_changing_the_record(qtbot, commitments):
    view = commitments
    view.select_key("C-0007")
    view.focus_filter()
    for _ in range(12):  # the filters, then the list
        press(qtbot, Qt.Key.Key_Tab)
        if focus() is view.table:
            break
    assert focus() is view.table
    press(qtbot, Qt.Key.Key_Down)  # arrows move in the list
    assert view.current_key() == "C-0008"
    press(qtbot, Qt.Key.Key_Tab)  # and Tab leaves it at once
    assert focus() is not view.table
    assert view.current_key() == "C-0008"
    press(qtbot, Qt.Key.Key_Backtab)
    assert focus() is view.table
    assert view.current_key() == "C-0008"


def test_the_focused_filter_is_ringed_in_the_highlight_colour(qtbot, window, commitments):
    bar = commitments.filter_bar
    bar.text_edit.setFocus()
    ring = bar.focus_ring
    highlight = window.palette().color(QPalette.ColorRole.Highlight)
    press(qtbot, Qt.Key.Key_Backtab)  # the other filters are just before the text
    assert focus() is commitments.new_button
    ringed = []
    for _ in range(4):
        press(qtbot, Qt.Key.Key_Backtab)
        control = focus()
        assert bar.isAncestorOf(control)
        assert ring.isVisible()
        at = control.mapTo(ring.parentWidget(), QPoint(0, 0))
        assert ring.geometry().contains(at)
        assert ring.geometry().contains(at + QPoint(control.width() - 1, control.height() - 1))
        image = window.grab().toImage()
        middle = ring.mapTo(window, QPoint(ring.width() // 2, 1))  # the ring's top edge
        drawn = QColor(image.pixel(middle.x(), middle.y()))
        assert abs(drawn.hue() - highlight.hue()) < 20
        assert drawn.saturation() > 60
        ringed.append(control.accessibleName())
    assert ringed == ["Marking", "Due before an event", "Late or at risk", "Agency"]
    bar.clear_button.setFocus(Qt.FocusReason.TabFocusReason)
    assert ring.geometry().contains(bar.clear_button.mapTo(ring.parentWidget(), QPoint(2, 2)))
    commitments.table.setFocus()
    assert not ring.isVisible()


def test_ctrl_z_after_add_entry_undoes_the_entry_not_the_date(qtbot, window, commitments):
    view = commitments
    view.select_key("C-0007")
    panel = view.panel
    stack = window.undo_stack
    panel.date_edit.setFocus()
    panel.date_edit.selectAll()
    qtbot.keyClicks(panel.date_edit, "2026-11-20")  # the date field has typing of its own
    press(qtbot, Qt.Key.Key_Tab)
    press(qtbot, Qt.Key.Key_Tab)  # to Progress
    qtbot.keyClicks(focus(), "Report adopted by the cabinet")
    press(qtbot, Qt.Key.Key_Return, CTRL)
    assert stack.undoText() == "Record progress on C-0007 (in progress)"
    assert focus() is panel.date_edit
    steps = stack.index()

    press(qtbot, Qt.Key.Key_Z, CTRL)
    assert stack.index() == steps - 1  # the entry is undone
    assert "Report adopted by the cabinet" not in panel.timeline.item(0).text()
    assert panel.date_edit.text() == "2026-11-20"  # the date is as it was

    qtbot.keyClicks(panel.evidence_edit, "Cabinet")
    panel.evidence_edit.setFocus()
    press(qtbot, Qt.Key.Key_Z, CTRL)  # typing of its own: the field undoes it
    assert panel.evidence_edit.text() == ""
    assert stack.index() == steps - 1
    view.table.setFocus()
    press(qtbot, Qt.Key.Key_Y, CTRL)  # redo, from the list
    assert stack.index() == steps
    assert "Report adopted by the cabinet" in panel.timeline.item(0).text()


def test_f6_moves_between_the_list_the_fields_and_the_panel(qtbot, commitments):
    view = commitments
    view.select_key("C-0021")
    view.table.setFocus()
    press(qtbot, Qt.Key.Key_F6)
    assert focus() is view.editor.fields["title"].widget
    press(qtbot, Qt.Key.Key_F6)
    assert view.panel.isAncestorOf(focus())
    assert focus() is view.panel.date_edit  # the panel's first control
    press(qtbot, Qt.Key.Key_F6)
    assert focus() is view.table
    assert view.current_key() == "C-0021"
    press(qtbot, Qt.Key.Key_F6, Qt.KeyboardModifier.ShiftModifier)
    assert focus() is view.panel.date_edit
    press(qtbot, Qt.Key.Key_F6, Qt.KeyboardModifier.ShiftModifier)
    assert focus() is view.editor.fields["title"].widget


def test_the_toolbar_keeps_its_words_and_the_edit_menu_names_the_step(
    qtbot, window, commitments, context
):
    toolbar = window.actions_.toolbar
    button = toolbar.widgetForAction(window.actions_.toolbar_undo)
    assert isinstance(button, QToolButton)
    before = (button.text(), button.sizeHint().width())
    assert before[0] == "Undo"
    assert not button.isEnabled()
    context.data.actions.record_progress(
        "C-0021", status="ongoing", narrative="Library extended to industrial sources"
    )
    assert (button.text(), button.sizeHint().width()) == before  # the toolbar did not jump
    assert button.isEnabled()
    assert button.toolTip() == "Undo Record progress on C-0021 (ongoing) (Ctrl+Z)"
    assert window.actions_.undo.text() == "&Undo Record progress on C-0021 (ongoing)"
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert not window.undo_stack.canUndo()
    redo = toolbar.widgetForAction(window.actions_.toolbar_redo)
    assert redo.text() == "Redo"
    assert redo.toolTip().startswith("Redo Record progress on C-0021")


def test_a_new_commitment_from_the_keyboard_alone(qtbot, window, commitments):
    """Ctrl+N, the form, the possible duplicate said, Ctrl+Return twice, then Ctrl+Z:
    the list keeps the record selected before, and gets it back after the undo."""
    from PySide6.QtCore import QTimer

    from nsdesk.ui.records.new_record_dialog import NewRecordDialog

    view = commitments
    view.select_key("C-0012")
    view.table.setFocus()
    said = {}

    def fill() -> None:
        form = QApplication.activeModalWidget()
        assert isinstance(form, NewRecordDialog)
        try:
            type_in(form)
        finally:
            if form.isVisible():  # never left open: exec() would wait forever
                form.done(0)

    def type_in(form: NewRecordDialog) -> None:
        qtbot.waitUntil(form.isActiveWindow)  # as the window manager makes it
        assert focus() is form.editor.fields["title"].widget  # the form starts at its title
        qtbot.keyClicks(focus(), "Set up a national nuclear forensics library")
        for _ in range(5):  # Title → … → Pledged; leaving the title looked for close ones
            press(qtbot, Qt.Key.Key_Tab)
        said["warned"] = [b.text() for b in form.duplicate_buttons]
        said["button"] = form.create_button.text()
        qtbot.keyClicks(focus(), "2026-05")
        form.target_due.setFocus()  # the target's fields, below the commitment's
        qtbot.keyClicks(focus(), "2027")
        press(qtbot, Qt.Key.Key_Tab)
        qtbot.keyClicks(focus(), "para. 3")
        press(qtbot, Qt.Key.Key_Return, CTRL)  # create anyway

    QTimer.singleShot(0, fill)
    press(qtbot, Qt.Key.Key_N, CTRL)
    assert said["warned"] == ["Open C-0021 instead — Build a national nuclear forensics library"]
    assert said["button"] == "Create anyway"
    assert view.current_key() == "C-0061"
    assert "C-0012" in [view.model.key_at(r) for r in range(view.model.rowCount())]
    assert view.model.row_at(view.model.row_of("C-0061")).cells[4] == "2027"
    assert window.undo_stack.undoText() == "Add commitment C-0061 with a target due 2027"
    with qtbot.waitActive(window):  # back from the form (offscreen, nothing does it)
        window.activateWindow()
    view.table.setFocus()
    press(qtbot, Qt.Key.Key_Z, CTRL)
    assert view.current_key() == "C-0012"
    assert view.detail_title.text().startswith("C-0012")
    assert view.model.total == 60
