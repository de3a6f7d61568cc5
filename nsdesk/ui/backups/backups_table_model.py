"""A desk's backups as a Qt table model, newest first, in words a user reads."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt

from nsdesk.ui import wording
from nsdesk.ui.widgets.rows_table_model import Index, RowsTableModel

if TYPE_CHECKING:
    from nsdesk.services.backups.backups import BackupInfo

COL_TAKEN, COL_REASON, COL_SIZE, COL_RECORDS, COL_CHECKED = range(5)
HEADERS = ("Taken", "Why", "Size", "Records", "Checked")

BACKUP_ROLE = Qt.ItemDataRole.UserRole + 1
"""The row's :class:`~nsdesk.services.backups.backups.BackupInfo`."""

_DISPLAY: dict[int, Callable[[BackupInfo], str]] = {
    COL_TAKEN: lambda b: wording.sentence_case(wording.when(b.taken_at)),
    COL_REASON: lambda b: wording.reason_text(b.reason),
    COL_SIZE: lambda b: wording.size_text(b.size),
    COL_RECORDS: lambda b: f"{b.record_count:,}" if b.counts else "–",
    COL_CHECKED: lambda b: "Verified" if b.verified else "Not verified",
}


class BackupsTableModel(RowsTableModel["BackupInfo"]):
    """Rows of :class:`~nsdesk.services.backups.backups.BackupInfo`, read-only, in the order
    given (``list_backups`` gives them newest first)."""

    headers = HEADERS
    right_aligned = frozenset({COL_SIZE, COL_RECORDS})

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        backup, column = self._rows[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return _DISPLAY[column](backup)
        if role == BACKUP_ROLE:
            return backup
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return self.alignment(column)
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == COL_TAKEN:
                return f"{wording.full_when(backup.taken_at)}\n{backup.path}"
            if column == COL_CHECKED and not backup.verified:
                return (
                    "This copy did not pass its check when it was taken. nsdesk checks it "
                    "again before restoring it, and refuses it if it is still unsound."
                )
        return None
