"""The part every read-only table of nsdesk shares: one Python object per row,
fixed column headers, and numbers aligned right under their headers.

A subclass names its ``headers`` (and ``right_aligned`` columns), is given its
rows by :meth:`RowsTableModel.set_rows` and says in ``data`` how a cell shows.
Rows are read models from the services, never store objects.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

Index = QModelIndex | QPersistentModelIndex
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter

RowT = TypeVar("RowT")


class RowsTableModel(QAbstractTableModel, Generic[RowT]):
    """A read-only table over a list of rows, in the order the list has."""

    #: The column headers: the class's own, or an instance's (a register's columns).
    headers: tuple[str, ...] = ()
    #: Columns of numbers: right-aligned, header and cells alike.
    right_aligned: ClassVar[frozenset[int]] = frozenset()

    def __init__(self, parent: Any = None):
        super().__init__(parent)
        self._rows: list[RowT] = []

    def set_rows(self, rows: Sequence[RowT]) -> None:
        """Show ``rows`` in place of what was shown (a model reset: views re-read)."""
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row_at(self, row: int) -> RowT:
        """The object shown in row ``row`` (as the view numbers rows now)."""
        return self._rows[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's default argument
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's default argument
        return 0 if parent.isValid() else len(self.headers)

    def headerData(
        self,
        section: int,
        orientation: Qt.Orientation,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        if orientation is Qt.Orientation.Horizontal:
            if role == Qt.ItemDataRole.DisplayRole:
                return self.headers[section]
            if role == Qt.ItemDataRole.TextAlignmentRole and section in self.right_aligned:
                return RIGHT
        return None

    def alignment(self, column: int) -> Any:
        """What ``data`` answers for TextAlignmentRole in ``column``."""
        return RIGHT if column in self.right_aligned else None
