"""What changed since a baseline, as the dashboard and the Baselines page show it:
the pack's figures in a sentence (completed, status changes, new) and every
commitment that moved, each opening in the Commitments register.

The view only shows a :class:`~nsdesk.services.overview.progress.BaselineProgress`;
reading it is the caller's work.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QVBoxLayout, QWidget

from nsdesk.ui.widgets.dialog_style import text_label
from nsdesk.ui.widgets.table_view import list_table

if TYPE_CHECKING:
    from nsdesk.services.overview.progress import BaselineProgress

_KEY = Qt.ItemDataRole.UserRole + 1
#: Rows the list shows before it scrolls.
VISIBLE_ROWS = 8


def progress_sentence(progress: BaselineProgress) -> str:
    """ "Since “As reported at The Hague 2014” (24 Mar 2014), as of 22 Nov 2026:
    21 completed, 19 status changes, 30 new." """
    day = progress.as_of
    return (
        f"Since “{progress.baseline.name}” ({progress.baseline.as_of.day} "
        f"{progress.baseline.as_of:%b %Y}), as of {day.day} {day:%b %Y}: "
        f"{progress.summary()}."
    )


class BaselineProgressView(QWidget):
    """The figures and the list of what changed since one baseline."""

    record_requested = Signal(str, str)
    """(register, key): the user opened a commitment listed here."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.progress: BaselineProgress | None = None
        self.summary_label = text_label()
        self.summary_label.setAccessibleName("Progress since the baseline")
        self.model = QStandardItemModel(0, 3, self)
        self.model.setHorizontalHeaderLabels(["Id", "Commitment", "Change"])
        self.table = list_table(
            self.model,
            name="Commitments changed since the baseline",
            samples={0: "C-00000", 2: "Partially completed → Completed"},
            stretch=1,
            single_selection=True,
        )
        self.table.setToolTip("Double-click or press Enter to open the commitment")
        self.table.activated.connect(self._open)
        rows = self.table.verticalHeader().defaultSectionSize() * VISIBLE_ROWS
        self.table.setFixedHeight(rows + self.table.horizontalHeader().sizeHint().height() + 4)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.summary_label)
        layout.addWidget(self.table)
        self.show_progress(None)

    def show_progress(self, progress: BaselineProgress | None, *, empty: str = "") -> None:
        """Show ``progress`` (None: say ``empty``, or that there is no baseline)."""
        self.progress = progress
        self.model.removeRows(0, self.model.rowCount())
        if progress is None:
            self.summary_label.setText(
                empty or "No baseline to compare with: freeze one on the Baselines page."
            )
            self.table.hide()
            return
        self.summary_label.setText(progress_sentence(progress))
        for line in progress.lines():
            cells = [QStandardItem(text) for text in (line.ref, line.title, line.change)]
            for cell in cells:
                cell.setEditable(False)
                cell.setToolTip(f"{line.ref} {line.title}\n{line.change}")
            if line.completed:
                font = cells[2].font()
                font.setBold(True)
                cells[2].setFont(font)
            cells[0].setData(line.ref, _KEY)
            self.model.appendRow(cells)
        self.table.setVisible(bool(progress.lines()))

    def _open(self, index: QModelIndex) -> None:
        ref = self.model.index(index.row(), 0).data(_KEY)
        if ref:
            self.record_requested.emit("commitments", ref)
