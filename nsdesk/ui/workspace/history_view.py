"""The History page: every change to the desk, newest first, filtered in SQL and
read a page at a time; opening an entry shows the record it changed."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from nsdesk.domain.records import RECORD_SPECS
from nsdesk.services.records.history import PAGE
from nsdesk.ui import wording
from nsdesk.ui.widgets.rows_table_model import Index, RowsTableModel
from nsdesk.ui.widgets.table_view import list_table

if TYPE_CHECKING:
    from nsdesk.services.records.history import HistoryRow

HistoryLoader = Callable[..., "Sequence[HistoryRow]"]


def _action_text(row: HistoryRow) -> str:
    return {
        "create": "Created",
        "update": "Changed",
        "retire": "Retired",
        "restore": "Restored",
    }.get(row.action.value, row.action.label)


def _record_text(row: HistoryRow) -> str:
    label = row.record_label
    # Audit labels often start with their kind ("milestone deposit"): say it once.
    if label.casefold().startswith(row.kind_label.casefold() + " "):
        label = label[len(row.kind_label) + 1 :]
    return f"{row.kind_label}: {label}"


class HistoryTableModel(RowsTableModel["HistoryRow"]):
    """Audit entries as the user reads them: when, who, on which laptop, what, from → to."""

    headers = ("When", "Who", "Laptop", "Record", "What", "Field", "Was", "Now", "Channel")

    def append_rows(self, rows: Sequence[HistoryRow], *, replace: bool) -> None:
        self.beginResetModel()
        self._rows = list(rows) if replace else self._rows + list(rows)
        self.endResetModel()

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            cells = (
                wording.local(row.at).strftime("%Y-%m-%d %H:%M"),
                row.actor,
                row.laptop,
                _record_text(row),
                _action_text(row),
                row.field,
                row.old_value,
                row.new_value,
                row.channel.label,
            )
            text = cells[index.column()]
            if role == Qt.ItemDataRole.ToolTipRole:
                return text if len(text) > 30 else None
            return text
        return None


class HistoryView(QWidget):
    """The audit log with a text filter, a kind filter and "Show older"."""

    record_requested = Signal(str, str)
    """(record kind, record UUID): the user opened an entry."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._load: HistoryLoader | None = None
        self.text_edit = QLineEdit()
        self.text_edit.setPlaceholderText("Filter the history by record, field, person or value")
        self.text_edit.setClearButtonEnabled(True)
        self.text_edit.setAccessibleName("Filter the history")
        self.kind_combo = QComboBox()
        self.kind_combo.setAccessibleName("Kind of record")
        self.kind_combo.addItem("Every kind of record", None)
        for kind, spec in RECORD_SPECS.items():
            self.kind_combo.addItem(spec.plural, kind)
        self.count_label = QLabel()
        self.more_button = QPushButton("Show older")
        self.more_button.clicked.connect(self.show_older)
        self.model = HistoryTableModel(self)
        self.table = list_table(
            self.model,
            name="Change history",
            samples={
                0: "2026-12-31 23:59",
                1: "officer@laptop",
                2: "a laptop",
                4: "Restored",
                5: "Lead agency",
                8: "Imported",
            },
            stretch=3,
            single_selection=True,
        )
        self.table.doubleClicked.connect(lambda index: self._open(index.row()))
        self.table.activated.connect(lambda index: self._open(index.row()))
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(250)
        self._debounce.timeout.connect(self.reload)
        self.text_edit.textChanged.connect(lambda _: self._debounce.start())
        self.kind_combo.activated.connect(lambda _=0: self.reload())
        bar = QHBoxLayout()
        bar.addWidget(self.text_edit, 2)
        bar.addWidget(self.kind_combo)
        bar.addStretch(1)
        bar.addWidget(self.count_label)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)
        bottom = QHBoxLayout()
        bottom.addStretch(1)
        bottom.addWidget(self.more_button)
        layout.addLayout(bottom)
        self._stale = True

    def set_loader(self, load: HistoryLoader | None) -> None:
        """``load(text=, kind=, before=)`` reads a page of the open desk's history."""
        self._load = load
        self._stale = True
        self.model.append_rows([], replace=True)
        if self.isVisible():
            self.reload()

    def records_changed(self) -> None:
        if self.isVisible():
            self.reload()
        else:
            self._stale = True

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self._stale:
            self.reload()

    def reload(self) -> None:
        self._stale = False
        self._read(replace=True)

    def show_older(self) -> None:
        self._read(replace=False)

    def _read(self, *, replace: bool) -> None:
        if self._load is None:
            return
        before = None
        if not replace and self.model.rowCount():
            before = self.model.row_at(self.model.rowCount() - 1).position
        rows = self._load(
            text=self.text_edit.text(), kind=self.kind_combo.currentData(), before=before
        )
        self.model.append_rows(rows, replace=replace)
        self.more_button.setEnabled(len(rows) == PAGE)
        shown = wording.count(self.model.rowCount(), "change")
        self.count_label.setText(f"{shown} shown, newest first")

    def _open(self, row: int) -> None:
        entry = self.model.row_at(row)
        self.record_requested.emit(entry.kind, entry.record_uuid)
