"""File ▸ Merge history…: every changes file merged into the desk, newest first —
when, from which laptop, what it did — and undoing one.

Undoing a merge writes new changes that put back every value it replaced (they
travel like any other change). It is refused, changing nothing, where later work on
the same fields or records would be overwritten: the message names them. The dialog
reads and undoes through the callables it is given (bound to the open desk by
:mod:`nsdesk.ui.merge.merge_flow`)."""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Signal
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
from nsdesk.ui.merge.merge_words import applied_text
from nsdesk.ui.message_box import confirm as ask
from nsdesk.ui.message_box import open_message
from nsdesk.ui.widgets.dialog_style import heading_label, note_label, text_label
from nsdesk.ui.widgets.list_table import list_table
from nsdesk.ui.widgets.sizing import fit_to_screen

if TYPE_CHECKING:
    from nsdesk.services.merge.merges import MergeRecord
    from nsdesk.ui.background import Background

COL_WHEN, COL_FILE, COL_LAPTOP, COL_ACTOR, COL_COUNTS, COL_UNDONE = range(6)
HEADERS = ("Merged", "File", "From laptop", "By", "What it did", "Undone")
_SAMPLES = {
    COL_WHEN: "Wed 30 Sep 2026, 23:59",
    COL_FILE: "delegation-officer-2026-11-22.nsdesk-changes",
    COL_LAPTOP: "officer@laptop-7",
    COL_ACTOR: "officer@laptop-7",
    COL_UNDONE: "Wed 30 Sep 2026, 23:59",
}


def merge_counts_text(counts: dict[str, Any]) -> str:
    """What a merge did, from the counts it recorded."""
    applied = counts.get("applied") or {}
    parts = [f"applied {applied_text(applied)}" if applied else "nothing new applied"]
    # What needs a person first; what was already here last (the cell may be cut there).
    for key, one, many in (
        ("conflicts", "conflict", "conflicts"),
        ("clashes", "identity clash", "identity clashes"),
        ("reviews", "record to review", "records to review"),
        ("merged", "field merged", "fields merged"),
    ):
        if counts.get(key):
            parts.append(wording.count(int(counts[key]), one, many))
    if counts.get("known"):
        parts.append(f"{counts['known']:,} already here")
    return "; ".join(parts)


class MergeHistoryDialog(QDialog):
    """The merges into one desk, with "Undo merge…" on a desk open for editing."""

    merge_undone = Signal(int, int)
    """(merge number, values put back): the desk changed."""

    def __init__(
        self,
        load: Callable[[], Sequence[MergeRecord]],
        undo: Callable[[int], Any],
        *,
        background: Background,
        desk_name: str,
        read_only_reason: str | None = None,
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self._load, self._undo = load, undo
        self.background = background
        self.read_only_reason = read_only_reason
        self.busy = False
        self.records: list[MergeRecord] = []
        self.message_box: QMessageBox | None = None
        self.setWindowTitle(f"Merge history of {desk_name} — nsdesk")
        self.table = list_table(
            HEADERS, _SAMPLES, COL_COUNTS, "Merges into this desk, newest first"
        )
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.status_label = text_label()
        self.status_label.setAccessibleName("Merge history status")
        self.undo_button = QPushButton("&Undo merge…")
        self.undo_button.setAccessibleDescription(
            "Put back every value the chosen merge replaced, after confirming"
        )
        self.undo_button.clicked.connect(self.ask_undo)
        self.close_button = QPushButton("Close")
        self.close_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.undo_button)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(heading_label(f"Changes merged into {desk_name}"))
        layout.addWidget(
            note_label(
                "Every changes file merged into this desk, newest first. Undoing a merge "
                "puts back what it replaced, as new changes that travel to the other "
                "laptops; it is refused where later work would be overwritten."
            )
        )
        layout.addWidget(self.table, 1)
        layout.addWidget(self.status_label)
        layout.addLayout(buttons)
        fit_to_screen(self, 1180, 460)
        self.refresh()

    def refresh(self, select: int | None = None) -> None:
        """Read the history again; select merge ``select`` or the newest."""
        self.records = list(self._load())
        table = self.table
        table.setRowCount(len(self.records))
        for row, record in enumerate(self.records):
            cells = {
                COL_WHEN: wording.sentence_case(wording.when(record.received_at)),
                COL_FILE: record.file_name,
                COL_LAPTOP: record.laptop,
                COL_ACTOR: record.actor,
                COL_COUNTS: merge_counts_text(record.counts or {}),
                COL_UNDONE: wording.sentence_case(wording.when(record.undone_at))
                if record.undone_at
                else "",
            }
            for column, text in cells.items():
                item = QTableWidgetItem(text)
                item.setToolTip(
                    wording.full_when(record.received_at) if column == COL_WHEN else text
                )
                if record.undone_at is not None and column == COL_COUNTS:
                    font = item.font()
                    font.setStrikeOut(True)
                    item.setFont(font)
                table.setItem(row, column, item)
        if self.records:
            ids = [r.id for r in self.records]
            table.selectRow(ids.index(select) if select in ids else 0)
        elif not self.status_label.text():
            self._say("No changes file has been merged into this desk yet.")
        if self.read_only_reason:
            self._say(
                "Undoing a merge needs the desk open for editing, and it is read-only: "
                f"{self.read_only_reason.rstrip('.')}."
            )
        self._update_buttons()

    def selected(self) -> MergeRecord | None:
        rows = self.table.selectionModel().selectedRows()
        return self.records[rows[0].row()] if rows else None

    def ask_undo(self, *, confirm: bool = True) -> None:
        """Confirm undoing the chosen merge, then undo it in the background."""
        record = self.selected()
        if record is None or not self.undo_button.isEnabled():
            return
        question = (
            f"Undo the merge of {record.file_name} from {record.laptop}, made "
            f"{wording.when(record.received_at)}?\n\nEvery value it replaced is put "
            "back and the records it added are removed, as new changes that travel to "
            "the other laptops. It is refused if something it changed was changed "
            "again since."
        )
        if confirm and not ask(self, "Undo this merge?", question, "Undo merge"):
            return
        self.busy = True
        self._say(f"Undoing the merge of {record.file_name}…")
        self._update_buttons()
        self.background.run(
            lambda: self._undo(record.id),
            lambda undone: self._undone(record, undone),
            lambda error: self._refused(record, error),
        )

    def _undone(self, record: MergeRecord, undone: Any) -> None:
        self.busy = False
        values = int(getattr(undone, "values", 0)) + int(getattr(undone, "deleted", 0))
        self._say(
            f"The merge of {record.file_name} was undone: "
            f"{wording.count(values, 'change')} taken back."
        )
        self.refresh(select=record.id)
        self.merge_undone.emit(record.id, values)

    def _refused(self, record: MergeRecord, error: BaseException) -> None:
        self.busy = False
        self._update_buttons()
        if not wording.is_refusal(error):
            self._say(f"The merge of {record.file_name} was not undone: an unexpected error.")
            sys.excepthook(type(error), error, error.__traceback__)
            return
        reason = wording.error_text(error)
        self._say(f"The merge of {record.file_name} was not undone; nothing was changed.")
        self.message_box = open_message(
            self,
            "Merge not undone — nsdesk",
            f"The merge of {record.file_name} was not undone.",
            wording.as_sentence(wording.sentence_case(reason)),
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
        self.undo_button.setToolTip(
            "Undoing a merge needs the desk open for editing."
            if self.read_only_reason
            else "This merge was undone already."
            if record is not None and record.undone_at is not None
            else ""
        )
        self.close_button.setEnabled(not self.busy)

    def reject(self) -> None:
        if self.busy:
            return
        super().reject()
