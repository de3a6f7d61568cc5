"""A list of past operations or open items as a table: one row chosen at a time,
nothing edited in place, alternating rows, columns sized from a sample of what they
hold and one column taking the spare width — the import history, the merge history
and the conflicts window all show their rows so."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget


def list_table(
    headers: Sequence[str], samples: Mapping[int, str], stretch: int, name: str
) -> QTableWidget:
    """A read-only, single-row-selection table of ``headers``; column ``n`` is as wide
    as ``samples[n]`` reads, column ``stretch`` takes the rest; ``name`` is said to
    assistive technology."""
    table = QTableWidget(0, len(headers))
    table.setAccessibleName(name)
    table.setHorizontalHeaderLabels(list(headers))
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    table.verticalHeader().hide()
    header = table.horizontalHeader()
    metrics = table.fontMetrics()
    for column, sample in samples.items():
        header.resizeSection(column, metrics.horizontalAdvance(sample) + 18)
    header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    return table
