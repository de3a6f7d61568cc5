"""The import preview with long values, as a person reads it: a narrative of 3,412
characters shows its beginning and its length, cut only where its column has no
room; a short value is never cut when there is room; the whole of a value is a
double-click or Enter away; a long refused value is shortened with its length."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QStyleOptionViewItem, QTreeWidgetItem

from nsdesk.ui.desk.opening_flow import open_desk_into
from nsdesk.ui.exchange.exchange_flow import ExchangeFlow
from nsdesk.ui.exchange.import_wizard import PREVIEW
from nsdesk.ui.exchange.preview_page import PreviewPage
from nsdesk.ui.exchange.preview_tree import COL_CONFLICT, COL_NEW, COL_OLD, COL_WHAT, PreviewTree
from tests.conftest import DEMO_DAY
from tests.ui.exchange.test_exchange_flow import edit_workbook, grab, mfa_return, record_item

NARRATIVE = ("The regulator reported the draft to the council of ministers. " * 60)[:3_412]
NEXT_STEPS = "Bill sent to parliament on 3 November, adoption expected in spring."


@pytest.fixture
def screens(tmp_path: Path) -> Path:
    wanted = os.environ.get("NSDESK_SCREENSHOTS")
    target = Path(wanted) if wanted else tmp_path / "screens"
    target.mkdir(parents=True, exist_ok=True)
    return target


@pytest.fixture
def flow(window, context, demo_desk_location) -> ExchangeFlow:
    """The demo desk open in the window, with the exchange flow."""
    assert open_desk_into(context, window, demo_desk_location)
    context.data.as_of = DEMO_DAY
    return ExchangeFlow(context, window)


def drawn(tree: PreviewTree, item: QTreeWidgetItem, column: int) -> str:
    """The text the tree paints in ``item``'s cell at the column's present width."""
    index = tree.indexFromItem(item, column)
    option = QStyleOptionViewItem()
    tree.initViewItemOption(option)
    option.rect = tree.visualRect(index)
    tree.itemDelegateForColumn(column).initStyleOption(option, index)
    return option.text


def field_row(tree: PreviewTree, record: QTreeWidgetItem, header: str) -> QTreeWidgetItem:
    return next(
        record.child(i)
        for i in range(record.childCount())
        if record.child(i).text(COL_WHAT) == header
    )


def tip_text(html: str) -> str:
    document = QTextDocument()
    document.setHtml(html)
    return document.toPlainText()


def preview_of(qtbot, window, flow, workbook: Path):
    flow.choose_open_file = lambda *_: workbook
    window.actions_.import_workbook.trigger()
    wizard = flow.wizard
    qtbot.mouseClick(wizard.choose_page.browse_button, Qt.MouseButton.LeftButton)
    assert wizard.page() == PREVIEW
    return wizard


def test_a_long_narrative_shows_its_beginning_and_length_and_opens_whole(
    qtbot, window, context, flow, tmp_path, screens
):
    edited = edit_workbook(
        mfa_return(context.desk, tmp_path),
        tmp_path / "back.xlsx",
        {
            ("C-0002", "Status"): "In progress",
            ("C-0002", "Progress since last update"): NARRATIVE,
            ("C-0006", "Next steps"): NEXT_STEPS,
        },
    )
    wizard = preview_of(qtbot, window, flow, edited)
    wizard.resize(1120, 720)
    qtbot.wait(10)
    tree = wizard.preview_page.tree
    narrative = field_row(tree, record_item(wizard, "C-0002"), "Progress since last update")
    steps = field_row(tree, record_item(wizard, "C-0006"), "Next steps")

    # its beginning and its length, never the 3,412 characters on one line
    text = narrative.text(COL_NEW)
    assert text.startswith("The regulator reported the draft to the council of ministers.")
    assert text.endswith("… (3,412 characters)")
    assert len(text) < 450
    assert narrative.text(COL_OLD) == "(added to the history)"
    shown = drawn(tree, narrative, COL_NEW)
    assert shown.startswith("The regulator reported")
    assert shown.endswith("… (3,412 characters)")
    tip = tip_text(narrative.toolTip(COL_NEW))
    assert tip.startswith(NARRATIVE[:500])
    assert "(3,412 characters)" in tip
    assert "Double-click the row, or press Enter, to read it whole." in tip
    assert len(tip) < 800

    # room: no conflicts, no Conflict column; a value that fits is not cut
    assert tree.isColumnHidden(COL_CONFLICT)
    assert drawn(tree, steps, COL_NEW) == NEXT_STEPS
    grab(wizard, screens, "preview_long_values")

    # a narrow window cuts it, and still says how long it is
    wizard.resize(800, 600)
    qtbot.wait(10)
    narrow = drawn(tree, steps, COL_NEW)
    assert narrow.startswith("Bill sent")
    assert narrow.endswith("… (67 characters)")
    assert tree.fontMetrics().horizontalAdvance(narrow) <= tree.columnWidth(COL_NEW)
    assert drawn(tree, narrative, COL_NEW).endswith("… (3,412 characters)")
    grab(wizard, screens, "preview_long_values_narrow")

    # Enter on the row: both values whole
    tree.setFocus()
    tree.setCurrentItem(narrative)
    qtbot.keyClick(tree, Qt.Key.Key_Return)
    dialog = tree.value_dialog
    assert dialog is not None
    assert dialog.isVisible()
    assert dialog.windowTitle() == "Progress since last update — Commitments!E4"
    assert dialog.new_box.toPlainText() == NARRATIVE
    assert dialog.old_box.toPlainText() == ""
    assert dialog.old_box.placeholderText() == "(added to the history)"
    assert dialog.captions() == ["In the desk now", "In the workbook (3,412 characters)"]
    assert wizard.page() == PREVIEW  # Enter in the list never imports
    grab(dialog, screens, "preview_value_whole")
    dialog.close()
    # a record's row has nothing to open
    assert tree.show_values(record_item(wizard, "C-0002")) is None


def test_a_long_refused_value_is_listed_short_with_its_length(
    qtbot, window, context, flow, tmp_path
):
    status = ("Nearly there, " * 30)[:300]
    edited = edit_workbook(
        mfa_return(context.desk, tmp_path), tmp_path / "back.xlsx", {("C-0002", "Status"): status}
    )
    wizard = preview_of(qtbot, window, flow, edited)
    page: PreviewPage = wizard.preview_page
    assert page.refused_list.rowCount() == 1
    value = page.refused_list.item(0, 2)
    assert value.text().startswith("Nearly there, Nearly there,")
    assert value.text().endswith("… (300 characters)")
    assert len(value.text()) < 110
    assert tip_text(value.toolTip()) == status
    assert not wizard.apply_button.isEnabled()
