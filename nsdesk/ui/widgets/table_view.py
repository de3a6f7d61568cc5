"""How nsdesk shows a list of records: whole rows selected, one line per row,
alternating colours, and column widths taken from the font rather than the data
(measuring every cell would cost seconds on an archive-sized register)."""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import QAbstractItemModel
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView


def list_table(
    model: QAbstractItemModel,
    *,
    name: str,
    samples: Mapping[int, str],
    stretch: int,
    single_selection: bool = False,
) -> QTableView:
    """A read-only table over ``model``: column ``c`` is as wide as ``samples[c]``
    in the table's font; the ``stretch`` column takes the width that remains.
    ``name`` is what a screen reader says the table is."""
    table = QTableView()
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    if single_selection:
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    # Tab leaves the list (arrows move in it): no keyboard trap, no record changed by Tab.
    table.setTabKeyNavigation(False)
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)  # one line per row; tooltips carry the rest
    table.verticalHeader().hide()
    # Dense rows, as in a spreadsheet: the style's default leaves a register half empty.
    table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 8)
    table.setAccessibleName(name)
    header = table.horizontalHeader()
    metrics = table.fontMetrics()
    for column, sample in samples.items():
        header.resizeSection(column, metrics.horizontalAdvance(sample) + 18)
    header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    return table
