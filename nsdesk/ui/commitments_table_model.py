"""The commitments list as a Qt table model (one ``set_rows`` call per refresh)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from nsdesk.domain.enums import DeadlineState

if TYPE_CHECKING:
    from nsdesk.services.overview import CommitmentRow

SORT_ROLE = Qt.ItemDataRole.UserRole + 1
"""A value that sorts correctly (ids, dates, deadline severity) where the text would
not. Always a plain string or number: Qt cannot compare Python tuples."""

COL_REF, COL_TITLE, COL_STATUS, COL_LEAD, COL_TARGET, COL_DEADLINE, COL_UPDATED, COL_MARKING = (
    range(8)
)
HEADERS = ("Id", "Commitment", "Status", "Lead", "Target", "Deadline", "Last update", "Marking")

_DEADLINE_ORDER = {
    DeadlineState.LATE: 0,
    DeadlineState.AT_RISK: 1,
    DeadlineState.ON_TRACK: 2,
    DeadlineState.NO_TARGET: 3,
    DeadlineState.CLOSED: 4,
}
_DEADLINE_COLOURS = {
    DeadlineState.LATE: QColor("#b3261e"),
    DeadlineState.AT_RISK: QColor("#8a5300"),
}

Index = QModelIndex | QPersistentModelIndex


def deadline_text(row: CommitmentRow) -> str:
    state = row.deadline.state
    if state is DeadlineState.LATE:
        return f"Late ({row.deadline.days_overdue} days)"
    if state is DeadlineState.AT_RISK:
        return "At risk"
    return {DeadlineState.ON_TRACK: "On track", DeadlineState.CLOSED: "Closed"}.get(state, "")


_DISPLAY = {
    COL_REF: lambda r: r.ref,
    COL_TITLE: lambda r: r.title,
    COL_STATUS: lambda r: r.status.label,
    COL_LEAD: lambda r: r.lead_agency or "",
    COL_TARGET: lambda r: r.target.display() if r.target else "",
    COL_DEADLINE: deadline_text,
    COL_UPDATED: lambda r: r.last_progress.isoformat() if r.last_progress else "",
    COL_MARKING: lambda r: r.sensitivity,
}


class CommitmentsTableModel(QAbstractTableModel):
    """Rows of :class:`~nsdesk.services.overview.CommitmentRow`, read-only."""

    def __init__(self, parent: Any = None):
        super().__init__(parent)
        self._rows: list[CommitmentRow] = []

    def set_rows(self, rows: Sequence[CommitmentRow]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row_at(self, row: int) -> CommitmentRow:
        return self._rows[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's default argument
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's default argument
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(
        self,
        section: int,
        orientation: Qt.Orientation,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        if orientation is Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, column = self._rows[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, column)
        if role == SORT_ROLE:
            return self._sort_key(row, column)
        if role == Qt.ItemDataRole.ForegroundRole and column == COL_DEADLINE:
            return _DEADLINE_COLOURS.get(row.deadline.state)
        if role == Qt.ItemDataRole.ToolTipRole and column == COL_DEADLINE:
            return row.deadline.reason or None
        if role == Qt.ItemDataRole.ToolTipRole and column == COL_TITLE:
            return row.title
        return None

    @staticmethod
    def _display(row: CommitmentRow, column: int) -> str:
        return _DISPLAY[column](row)

    @classmethod
    def _sort_key(cls, row: CommitmentRow, column: int) -> str | int:
        if column == COL_REF:  # C-0100 before C-10000
            return f"{len(row.ref):03d}{row.ref}"
        if column == COL_TARGET:
            return row.target.latest().isoformat() if row.target else "9999"
        if column == COL_DEADLINE:  # most overdue first, then at risk, on track…
            return _DEADLINE_ORDER[row.deadline.state] * 1_000_000 - row.deadline.days_overdue
        return cls._display(row, column).casefold()
