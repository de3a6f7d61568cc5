"""The merge is usable from the keyboard alone: Return moves on, Alt and the
underlined letter decide a conflict, Tab walks the send dialog in reading order,
Escape closes."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from nsdesk.ui.merge.merge_pages import COL_DECISION
from nsdesk.ui.merge.merge_wizard import CONFLICTS, PREVIEW, RESULT, VERIFY

# Laptops keep desk files: these tests copy one desk file to each officer's laptop.
# A travel copy merged back into a register on a server is tested beside them
# (test_register_merge.py, in the server-desk run).
pytestmark = pytest.mark.file_desk


def alt(window, key: Qt.Key) -> None:
    """Alt and a letter, as typed where the focus is in ``window``."""
    QTest.keyClick(QApplication.focusWidget() or window, key, Qt.KeyboardModifier.AltModifier)


def test_the_wizard_is_walked_with_return_alt_keys_and_escape(pair, bens_app, qtbot):
    anna, _ben = pair
    anna.edit("commitment", "C-0003", {"title": "Anna's title"})
    app = bens_app
    app.context.data.actions.update("commitment", "C-0003", {"title": "Ben's title"})
    path = anna.send()
    wizard = app.flow.start_merge()
    assert wizard is not None
    qtbot.waitExposed(wizard)
    wizard.activateWindow()
    qtbot.waitUntil(wizard.isActiveWindow)
    verify = wizard.verify_page
    verify.path_edit.setFocus()
    QTest.keyClicks(verify.path_edit, str(path))
    QTest.keyClick(verify.path_edit, Qt.Key.Key_Return)  # read the file
    assert verify.sender_label.text().startswith("anna, on ")
    QTest.keyClick(wizard, Qt.Key.Key_Return)  # Next, the default button
    assert wizard.page() == PREVIEW
    # An Alt key clicks its button as a click shows (a moment later).
    alt(wizard, Qt.Key.Key_N)  # Next
    qtbot.waitUntil(lambda: wizard.page() == CONFLICTS)
    alt(wizard, Qt.Key.Key_T)  # Take theirs
    table = wizard.conflicts_page.table
    qtbot.waitUntil(lambda: table.item(0, COL_DECISION).text() == "Take theirs")
    QTest.keyClick(wizard, Qt.Key.Key_Return)  # Return in the list does not merge
    assert wizard.page() == CONFLICTS
    alt(wizard, Qt.Key.Key_A)  # Apply
    qtbot.waitUntil(lambda: wizard.page() == RESULT)
    QTest.keyClick(wizard, Qt.Key.Key_Escape)
    assert not wizard.isVisible()


def test_escape_closes_the_wizard_before_anything_is_merged(bens_app, qtbot):
    wizard = bens_app.flow.start_merge()
    qtbot.waitExposed(wizard)
    assert wizard.page() == VERIFY
    QTest.keyClick(wizard, Qt.Key.Key_Escape)
    assert not wizard.isVisible()


def test_tab_walks_the_send_dialog_in_reading_order(bens_app, qtbot):
    dialog = bens_app.flow.start_send()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    dialog.unseen_radio.setFocus()
    order = [dialog.unseen_radio]
    for _ in range(7):
        QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        order.append(QApplication.focusWidget())
    assert order == [
        dialog.unseen_radio,
        dialog.ceiling_combo,  # the second radio of a group is reached with the arrows
        dialog.passphrase_edit,
        dialog.again_edit,
        dialog.output.edit,
        dialog.output.button,
        dialog.save_button,
        dialog.buttons.button(dialog.buttons.StandardButton.Cancel),
    ]
    QTest.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible()
