"""File ▸ Import history…: every import into the desk, newest first, and undoing one.

Undo takes back a whole import as one new change in the history. It is refused,
changing nothing, when something the import changed was changed again since
(undoing would overwrite that later work): the message names what. The dialog
reads and undoes through the callables it is given (bound to the open desk by
:mod:`nsdesk.ui.exchange.exchange_flow`), so it never holds a desk itself.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QMessageBox,
    QPushButton,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from nsdesk.ui import wording
from nsdesk.ui.exchange.import_words import counts_text
from nsdesk.ui.message_box import confirm, open_message
from nsdesk.ui.widgets.dialog_style import heading_label, note_label, text_label
from nsdesk.ui.widgets.list_table import list_table
from nsdesk.ui.widgets.sizing import fit_to_screen

if TYPE_CHECKING:
    from nsdesk.services.exchange.import_history import ImportRecord
    from nsdesk.ui.background import Background

COL_WHEN, COL_FILE, COL_KIND, COL_AGENCY, COL_ACTOR, COL_COUNTS, COL_UNDONE = range(7)
HEADERS = ("Imported", "File", "Kind", "Ministry", "By", "What it changed", "Undone")
KIND_WORDS = {"return": "Return", "register": "Register", "foreign": "Other table"}
_SAMPLES = {
    COL_WHEN: "Wed 30 Sep 2026, 23:59",
    COL_FILE: "NLD-return-MFA-2026-11-22.xlsx",
    COL_KIND: "Other table",
    COL_AGENCY: "Ministry",
    COL_ACTOR: "officer@laptop",
    COL_UNDONE: "Wed 30 Sep 2026, 23:59",
}
MESSAGES_SHOWN = 12


def undo_question(record: ImportRecord) -> str:
    """What undoing ``record`` does, for the confirmation."""
    source = f" from {record.agency}" if record.agency else ""
    return (
        f"Undo the import of {record.file_name}{source}, made "
        f"{wording.when(record.imported_at)}?\n\n"
        f"It changed {counts_text(record.counts)}.\n\n"
        "Those fields go back to the values they had before the import; progress entries "
        "and records it added are retired. Everything else in the desk stays as it is. "
        "The undo is itself recorded in the history."
    )


class ImportHistoryDialog(QDialog):
    """The imports into one desk, with "Undo import…" on a desk open for editing."""

    import_undone = Signal(str, int)
    """(import UUID, how many changes were undone): the desk changed."""

    def __init__(
        self,
        load: Callable[[], Sequence[ImportRecord]],
        undo: Callable[[str], int],
        *,
        background: Background,
        desk_name: str,
        read_only_reason: str | None = None,
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self._load = load
        self._undo = undo
        self.background = background
        self.read_only_reason = read_only_reason
        self.busy = False
        self.records: list[ImportRecord] = []
        self.message_box: QMessageBox | None = None
        self.setWindowTitle(f"Import history of {desk_name} — nsdesk")

        self.table = list_table(
            HEADERS, _SAMPLES, COL_COUNTS, "Imports into this desk, newest first"
        )
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 8)
        self.table.itemSelectionChanged.connect(self._update_buttons)

        self.status_label = text_label()
        self.status_label.setAccessibleName("Import history status")
        self.undo_button = QPushButton("&Undo import…")
        self.undo_button.setAccessibleDescription(
            "Take back the chosen import as a whole, after confirming"
        )
        self.undo_button.clicked.connect(self.ask_undo)
        self.close_button = QPushButton("Close")
        self.close_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.undo_button)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)

        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        layout.addWidget(heading_label(f"Imports into {desk_name}"))
        layout.addWidget(
            note_label(
                "Every workbook imported into this desk, newest first. Undoing an import "
                "takes back all it changed, as one step; it is refused if something it "
                "changed was changed again since."
            )
        )
        layout.addWidget(self.table, 1)
        layout.addWidget(self.status_label)
        layout.addLayout(buttons)
        fit_to_screen(self, 1180, 460)
        self.refresh()
        if read_only_reason:
            self._say(
                "Undoing an import needs the desk open for editing, and it is read-only: "
                f"{read_only_reason.rstrip('.')}."
            )

    def refresh(self, select: str | None = None) -> None:
        """Read the history again; select ``select`` (an import UUID) or the newest."""
        self.records = list(self._load())
        table = self.table
        table.setRowCount(len(self.records))
        for row, record in enumerate(self.records):
            undone = (
                wording.sentence_case(wording.when(record.undone_at)) if record.undone_at else ""
            )
            cells = {
                COL_WHEN: wording.sentence_case(wording.when(record.imported_at)),
                COL_FILE: record.file_name,
                COL_KIND: KIND_WORDS.get(record.kind, record.kind),
                COL_AGENCY: record.agency or "",
                COL_ACTOR: record.actor,
                COL_COUNTS: counts_text(record.counts),
                COL_UNDONE: undone,
            }
            for column, text in cells.items():
                item = QTableWidgetItem(text)
                item.setToolTip(
                    wording.full_when(record.imported_at) if column == COL_WHEN else text
                )
                if column == COL_WHEN:  # the row's import, for undoing it
                    item.setData(Qt.ItemDataRole.UserRole, record.uuid)
                if record.undone_at is not None:
                    font = item.font()
                    font.setStrikeOut(column == COL_COUNTS)
                    item.setFont(font)
                table.setItem(row, column, item)
        if self.records:
            wanted = next((n for n, r in enumerate(self.records) if r.uuid == select), 0)
            table.selectRow(wanted)
        elif not self.status_label.text():
            self._say("Nothing has been imported into this desk yet.")
        self._update_buttons()

    def selected(self) -> ImportRecord | None:
        rows = self.table.selectionModel().selectedRows()
        return self.records[rows[0].row()] if rows else None

    def select_file(self, file_name: str) -> bool:
        """Select the newest import of ``file_name`` (as a click on its row does)."""
        for row, record in enumerate(self.records):
            if record.file_name == file_name:
                self.table.selectRow(row)
                return True
        return False

    def ask_undo(self) -> None:
        """Confirm undoing the chosen import, then undo it in the background."""
        record = self.selected()
        if record is None or not self.undo_button.isEnabled():
            return
        if not confirm(self, "Undo this import?", undo_question(record), "Undo import"):
            return
        self.busy = True
        self._say(f"Undoing the import of {record.file_name}…")
        self._update_buttons()
        self.background.run(
            lambda: self._undo(record.uuid),
            lambda undone: self._undone(record, undone),
            lambda error: self._refused(record, error),
        )

    def _undone(self, record: ImportRecord, undone: int) -> None:
        self.busy = False
        self._say(
            f"The import of {record.file_name} was undone: "
            f"{wording.count(undone, 'change')} taken back."
        )
        self.refresh(select=record.uuid)
        self.import_undone.emit(record.uuid, undone)

    def _refused(self, record: ImportRecord, error: BaseException) -> None:
        self.busy = False
        self._update_buttons()
        later = getattr(error, "later", None)
        if later is not None:  # UndoBlockedError: later work would be overwritten
            lines = [f"• {line}" for line in later]
            shown = "\n".join(lines[:MESSAGES_SHOWN])
            if len(lines) > MESSAGES_SHOWN:
                shown += f"\n… and {len(lines) - MESSAGES_SHOWN:,} more (see the details)."
            self._say(f"The import of {record.file_name} was not undone; nothing was changed.")
            self._message(
                f"The import of {record.file_name} cannot be undone: what it changed was "
                "changed again since, and undoing it would overwrite that later work.",
                f"Changed again after the import:\n{shown}\n\nNothing was changed. Undo or "
                "correct those later changes by hand if the import must go.",
                details="\n".join(later),
            )
            return
        if not wording.is_refusal(error):
            self._say(f"The import of {record.file_name} was not undone: an unexpected error.")
            sys.excepthook(type(error), error, error.__traceback__)
            return
        reason = wording.error_text(error)
        self._say(f"The import of {record.file_name} was not undone: {reason}.")
        self._message(
            f"The import of {record.file_name} was not undone.",
            f"{wording.sentence_case(reason)}. Nothing was changed.",
        )

    def _message(self, text: str, informative: str, *, details: str = "") -> None:
        self.message_box = open_message(
            self, "Import not undone — nsdesk", text, informative, details=details
        )

    def _say(self, text: str) -> None:
        self.status_label.setText(text)

    def _update_buttons(self) -> None:
        record = self.selected()
        can = (
            not self.busy
            and not self.read_only_reason
            and record is not None
            and record.undone_at is None
        )
        self.undo_button.setEnabled(can)
        if self.read_only_reason:
            tip = "Undoing an import needs the desk open for editing."
        elif record is not None and record.undone_at is not None:
            tip = "This import was undone already."
        else:
            tip = ""
        self.undo_button.setToolTip(tip)
        self.close_button.setEnabled(not self.busy)

    def reject(self) -> None:
        if self.busy:  # an undo under way finishes first
            return
        super().reject()
