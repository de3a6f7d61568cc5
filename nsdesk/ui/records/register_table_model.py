"""Any register as a Qt table model that filters and sorts itself.

The rows come from :mod:`nsdesk.services.records.registers` with their cells, sort keys
and filter facets already computed, so a filter is one pass over prepared strings
and a sort one ``list.sort`` on prepared keys — not a ``QSortFilterProxyModel``,
which calls back into Python for every comparison (seconds on 6,000 rows).

Whatever changes, the model tells Qt the least it can: the same rows with new
values are ``dataChanged``; the same rows in another order (a sort, an edit that
moves a row) are a layout change that carries Qt's persistent indexes — the
selection, the current row — along with their records; only a change of which
rows are shown (a filter, a record added or retired) resets the model, and the
view then selects its record again (:class:`~nsdesk.ui.records.register_view.RegisterView`).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QColor, QFont

from nsdesk.domain.enums import DeadlineState
from nsdesk.services.records.register_rows import RegisterFilter, filter_rows
from nsdesk.ui.widgets.rows_table_model import Index, RowsTableModel

if TYPE_CHECKING:
    from nsdesk.services.records.register_rows import RegisterRow
    from nsdesk.services.records.registers import RegisterDefinition

# Readable on light and dark backgrounds alike.
_DEADLINE_COLOURS = {
    DeadlineState.LATE: QColor("#d93025"),
    DeadlineState.AT_RISK: QColor("#c77700"),
}


class RegisterTableModel(RowsTableModel["RegisterRow"]):
    """The rows of one register, filtered (:meth:`set_filter`) and sorted (:meth:`sort`)."""

    def __init__(self, definition: RegisterDefinition, parent: Any = None):
        super().__init__(parent)
        self.definition = definition
        self.headers = tuple(column.header for column in definition.columns)
        self._deadline_column = self.headers.index("Deadline") if "Deadline" in self.headers else -1
        self._all: list[RegisterRow] = []
        self._filter = RegisterFilter()
        self._as_of: date | None = None
        self._sort: tuple[int, Qt.SortOrder] | None = None
        self._italic = QFont()
        self._italic.setItalic(True)

    # -- contents ------------------------------------------------------------------
    @property
    def total(self) -> int:
        """How many records the register holds (retired ones only when shown)."""
        if self._filter.include_retired:
            return len(self._all)
        return sum(1 for row in self._all if not row.retired)

    @property
    def current_filter(self) -> RegisterFilter:
        return self._filter

    def set_rows(self, rows: Sequence[RegisterRow], *, as_of: date | None = None) -> None:
        """Show ``rows`` (the whole register), keeping the filter and the sort."""
        self._all = list(rows)
        self._as_of = as_of
        self._refresh()

    def replace_rows(self, keys: Collection[str], rows: Sequence[RegisterRow]) -> None:
        """Put fresh ``rows`` in place of the records ``keys`` (keys or UUIDs) named,
        after an edit: a row is replaced by the fresh row of the same record (its
        UUID), even when its key was edited; a record asked for and not returned is
        gone; a new record is added at the end. The other rows stay as they are."""
        fresh = {row.identity: row for row in rows}
        asked = set(keys)
        kept = []
        for row in self._all:
            if row.identity in fresh:
                kept.append(fresh.pop(row.identity))
            elif row.key not in asked and row.uuid not in asked:
                kept.append(row)
        self._all = kept + list(fresh.values())
        self._refresh()

    def set_filter(self, wanted: RegisterFilter) -> None:
        self._filter = wanted
        self._refresh()

    def key_at(self, row: int) -> str:
        return self._rows[row].key

    def row_of(self, key: str) -> int | None:
        """The row showing ``key`` now, or None if it is filtered out."""
        for number, row in enumerate(self._rows):
            if row.key == key:
                return number
        return None

    def record(self, key: str) -> RegisterRow | None:
        """The row of the record ``key``, shown or not (None: not in the register)."""
        return next((row for row in self._all if row.key == key), None)

    def is_gone(self, key: str) -> bool:
        """Whether the record ``key`` has left the register as the user sees it: not
        in it at all, or retired while retired records are not shown. (A record
        the filters hide is not gone: clearing them shows it again.)"""
        row = self.record(key)
        return row is None or (row.retired and not self._filter.include_retired)

    def _sorted(self, rows: list[RegisterRow]) -> list[RegisterRow]:
        if self._sort is not None:
            column, order = self._sort
            rows.sort(
                key=lambda r: r.sort_keys[column], reverse=order == Qt.SortOrder.DescendingOrder
            )
        return rows

    def _refresh(self) -> None:
        rows = self._sorted(filter_rows(self._all, self._filter, as_of=self._as_of))
        before = [row.identity for row in self._rows]
        after = [row.identity for row in rows]
        if before == after:  # the same rows: only values changed
            self._rows = rows
            if rows:
                last = self.index(len(rows) - 1, len(self.headers) - 1)
                self.dataChanged.emit(self.index(0, 0), last)
        elif len(before) == len(after) and set(before) == set(after):  # the same, reordered
            self._relayout(rows)
        else:
            self.beginResetModel()
            self._rows = rows
            self.endResetModel()

    def _relayout(self, rows: list[RegisterRow]) -> None:
        """Show ``rows`` (the rows shown now, in another order), moving Qt's
        persistent indexes with their records."""
        self.layoutAboutToBeChanged.emit()
        old = self.persistentIndexList()
        held = [(self._rows[index.row()].identity, index.column()) for index in old]
        self._rows = rows
        where = {row.identity: number for number, row in enumerate(rows)}
        new: list[QModelIndex] = [
            self.index(where[identity], column) if identity in where else QModelIndex()
            for identity, column in held
        ]
        self.changePersistentIndexList(old, new)
        self.layoutChanged.emit()

    # -- Qt --------------------------------------------------------------------------
    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort by ``column``; the selection and the current row stay on their records."""
        if not 0 <= column < len(self.headers):
            return
        self._sort = (column, order)
        self._relayout(self._sorted(list(self._rows)))

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, column = self._rows[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return row.cells[column]
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == self._deadline_column and row.deadline_reason:
                return row.deadline_reason
            text = row.cells[column]
            tip = text if len(text) > 40 else None
            return f"{tip or text} (retired)" if row.retired else tip
        if role == Qt.ItemDataRole.ForegroundRole:
            if row.retired:
                return QColor(Qt.GlobalColor.gray)
            if column == self._deadline_column and row.deadline is not None:
                return _DEADLINE_COLOURS.get(row.deadline)
        if role == Qt.ItemDataRole.FontRole and row.retired:
            return self._italic
        return None
