"""Help ▸ Keyboard shortcuts (F1) lists every key as it reads in the menus, in two
aligned columns, with the keys no menu shows (Ctrl+Return, the Alt letters)."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication

from nsdesk.ui.actions import plain_text
from nsdesk.ui.shortcuts_dialog import ShortcutsDialog


def shown_dialog(window) -> ShortcutsDialog:
    window.actions_.by_name["shortcuts"].trigger()
    found = [w for w in QApplication.topLevelWidgets() if isinstance(w, ShortcutsDialog)]
    assert found
    dialog = found[-1]
    QApplication.processEvents()
    return dialog


def test_f1_lists_every_key_with_its_menu_words(qtbot, window):
    dialog = shown_dialog(window)
    rows = dict(dialog.rows())
    assert rows["Ctrl+5"] == "5 Events & documents"  # the & is kept, not eaten
    assert rows["Ctrl+E"] == "Export workbook…"
    assert rows["Ctrl+Z"] == "Undo"
    assert "Ctrl+Return" in rows
    assert rows["Alt+F"] == "Open the File menu"
    assert {"Alt+E", "Alt+V", "Alt+H"} <= rows.keys()
    assert "Alt+underlined letter" in rows
    dialog.reject()


def test_the_columns_line_up(qtbot, window):
    dialog = shown_dialog(window)
    tree = dialog.tree
    lefts = set()
    for number in range(tree.topLevelItemCount()):
        group = tree.topLevelItem(number)
        for child in range(group.childCount()):
            item = group.child(child)
            lefts.add(tree.visualItemRect(item).left() + tree.columnViewportPosition(1))
            assert tree.fontMetrics().horizontalAdvance(item.text(0)) <= tree.columnWidth(0)
    assert len(lefts) == 1  # every "what it does" starts at the same place
    dialog.reject()


def test_the_view_menu_says_events_and_documents(window):
    action = window.actions_.by_name["page_4"]
    assert plain_text(action.text()) == "5 Events & documents"
    assert action.toolTip() == "5 Events & documents"
