"""A list's columns within its width: the main (title) column takes what the others
leave, and when the list is narrow the others give up width before it does."""

from __future__ import annotations

from PySide6.QtGui import QStandardItemModel
from PySide6.QtWidgets import QApplication

from nsdesk.ui.widgets.table_view import MAIN_COLUMN_CHARS, MAIN_COLUMN_LEAST, list_table

HEADERS = ["Id", "Commitment", "Status", "Lead", "Target", "Deadline"]
SAMPLES = {
    0: "C-00000",
    2: "Partially completed",
    3: "Lead",
    4: "31 Dec 2026",
    5: "Late (999 days)",
}


def table_of_width(qtbot, width: int):
    model = QStandardItemModel(3, len(HEADERS))
    model.setHorizontalHeaderLabels(HEADERS)
    table = list_table(model, name="Commitments", samples=SAMPLES, stretch=1)
    qtbot.addWidget(table)
    table.resize(width, 300)
    table.show()
    qtbot.waitExposed(table)
    return table


def widths(table) -> list[int]:
    header = table.horizontalHeader()
    return [header.sectionSize(c) for c in range(header.count())]


def test_a_wide_list_gives_each_column_its_sample_and_the_rest_to_the_title(qtbot):
    table = table_of_width(qtbot, 1100)
    sizes = widths(table)
    metrics = table.fontMetrics()
    assert sizes[2] >= metrics.horizontalAdvance("Partially completed")
    assert sizes[1] == table.viewport().width() - sum(sizes) + sizes[1]
    assert sizes[1] > 400


def test_a_narrow_list_keeps_the_title_readable(qtbot):
    table = table_of_width(qtbot, 480)
    sizes = widths(table)
    chars = table.fontMetrics().averageCharWidth()
    assert sizes[1] >= chars * MAIN_COLUMN_CHARS  # it was 60 px: three letters
    assert sizes[0] >= table.fontMetrics().horizontalAdvance("C-0042")  # a short id stays whole
    assert not table.horizontalScrollBar().isVisible()


def test_even_narrower_the_others_give_up_their_content_down_to_their_titles(qtbot):
    table = table_of_width(qtbot, 380)
    sizes = widths(table)
    header_metrics = table.horizontalHeader().fontMetrics()
    assert sizes[1] >= table.fontMetrics().averageCharWidth() * MAIN_COLUMN_LEAST
    for column, title in enumerate(HEADERS):
        assert sizes[column] >= header_metrics.horizontalAdvance(title), title


def test_a_column_the_user_widened_keeps_its_width_when_there_is_room(qtbot):
    table = table_of_width(qtbot, 1100)
    table.horizontalHeader().resizeSection(2, 260)
    table.resize(1200, 300)
    QApplication.processEvents()
    assert widths(table)[2] == 260
