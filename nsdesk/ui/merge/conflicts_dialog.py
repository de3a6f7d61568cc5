"""The open conflicts, identity clashes and records to review of a desk, and
settling them: Keep mine, Take theirs, Edit…, Same record, Different records,
Reviewed. Each settlement is a change that travels with the next changes file, so
no one settles the same conflict twice. Opened from the status bar's badge or
File ▸ Conflicts…; the merge history is a button away."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from nsdesk.domain.errors import ValidationError
from nsdesk.domain.records import RECORD_SPECS
from nsdesk.ui import wording
from nsdesk.ui.merge.merge_pages import _ask_value, _typed
from nsdesk.ui.merge.merge_words import (
    item_kind_text,
    item_summary,
    item_tooltip,
    record_words,
    side_text,
    theirs_of,
    who_text,
)
from nsdesk.ui.message_box import open_message
from nsdesk.ui.widgets.dialog_style import heading_label, note_label, text_label
from nsdesk.ui.widgets.sizing import fit_to_screen

if TYPE_CHECKING:
    from nsdesk.services.desk import Desk
    from nsdesk.services.merge.outcome import OpenItem
    from nsdesk.ui.background import Background

COL_KIND, COL_WHAT, COL_MINE, COL_THEIRS = range(4)
HEADERS = ("Kind", "Record and field", "This desk (mine)", "Theirs")


class ConflictsDialog(QDialog):
    """What merges left open in one desk (see module docstring)."""

    settled = Signal()
    """An item was settled: the desk changed."""
    history_requested = Signal()
    """The user asked for the merge history."""

    def __init__(
        self,
        desk: Desk,
        *,
        background: Background,
        read_only_reason: str | None = None,
        ask_value: Callable[[QWidget, OpenItem, str], str | None] | None = None,
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.desk = desk
        self.background = background
        self.read_only_reason = read_only_reason
        self._ask_value = ask_value or _ask_value
        self._ask_key: Callable[[QWidget, OpenItem], str | None] = _ask_key
        self.items: list[OpenItem] = []
        self.busy = False
        self.message_box: QMessageBox | None = None
        self.setWindowTitle(f"Open conflicts of {desk.path.name} — nsdesk")
        self.table = QTableWidget(0, len(HEADERS))
        self.table.setHorizontalHeaderLabels(list(HEADERS))
        self.table.setAccessibleName("What merges left open, oldest first")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(True)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.resizeSection(
            COL_KIND, self.table.fontMetrics().horizontalAdvance("Identity clash") + 18
        )
        for column in (COL_WHAT, COL_MINE, COL_THEIRS):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        # Rows as tall as their wrapped text at the widths the columns end up with.
        header.sectionResized.connect(lambda *_: self.table.resizeRowsToContents())
        self.status_label = text_label()
        self.status_label.setAccessibleName("Conflicts status")
        self.keep_button = QPushButton("Keep &mine")
        self.take_button = QPushButton("Take &theirs")
        self.edit_button = QPushButton("&Edit…")
        self.same_button = QPushButton("&Same record")
        self.different_button = QPushButton("&Different records")
        self.reviewed_button = QPushButton("&Reviewed")
        self.history_button = QPushButton("Merge &history…")
        self.close_button = QPushButton("Close")
        self._actions: dict[QPushButton, str] = {
            self.keep_button: "keep",
            self.take_button: "take",
            self.edit_button: "edit",
            self.same_button: "same",
            self.different_button: "different",
            self.reviewed_button: "reviewed",
        }
        buttons = QHBoxLayout()
        for button, action in self._actions.items():
            button.setAutoDefault(False)
            button.clicked.connect(lambda _=False, a=action: self.settle(a))
            buttons.addWidget(button)
        buttons.addStretch(1)
        self.history_button.setAutoDefault(False)
        self.history_button.clicked.connect(self.history_requested)
        self.close_button.clicked.connect(self.reject)
        buttons.addWidget(self.history_button)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(heading_label("What merges left for you to decide"))
        layout.addWidget(
            note_label(
                "Until you decide, the desk keeps its own value and the field is flagged. "
                "What you decide travels with your next changes file, so the other laptops "
                "do not ask again."
            )
        )
        layout.addWidget(self.table, 1)
        layout.addWidget(self.status_label)
        layout.addLayout(buttons)
        fit_to_screen(self, 1180, 560)
        self.refresh()
        if read_only_reason:
            self._say(
                "Settling needs the desk open for editing, and it is read-only: "
                f"{read_only_reason.rstrip('.')}."
            )

    def refresh(self) -> None:
        """Read the open items again, keeping the selection where it can."""
        from nsdesk.services.merge.conflicts import list_items  # lazy: with the dialog

        chosen = self.selected()
        self.items = list_items(self.desk)
        table = self.table
        table.setRowCount(len(self.items))
        for number, item in enumerate(self.items):
            if item.kind.value == "conflict":
                theirs = theirs_of(item)
                cells = {
                    COL_WHAT: item_summary(item),
                    COL_MINE: f"{side_text(item.mine)}\n{who_text(item.mine)}",
                    COL_THEIRS: f"{side_text(theirs)}\n{who_text(theirs)}",
                }
                tip = item_tooltip(item)
            elif item.kind.value == "identity":
                cells = {
                    COL_WHAT: item_summary(item),
                    COL_MINE: f"{record_words(item.other_label)}\n(made here; keeps {item.key})",
                    COL_THEIRS: f"{record_words(item.record_label)}\n(from the other laptop)",
                }
                tip = item_summary(item)
            else:
                cells = {COL_WHAT: item_summary(item), COL_MINE: "", COL_THEIRS: ""}
                tip = item_summary(item)
            cells[COL_KIND] = item_kind_text(item)
            for column, text in cells.items():
                cell = QTableWidgetItem(text)
                cell.setToolTip(tip)
                table.setItem(number, column, cell)
        table.resizeRowsToContents()
        if self.items:
            ids = [item.id for item in self.items]
            table.selectRow(ids.index(chosen.id) if chosen and chosen.id in ids else 0)
        else:
            self._say("Nothing is open: every conflict is settled.")
        self._update_buttons()

    def selected(self) -> OpenItem | None:
        rows = self.table.selectionModel().selectedRows() if self.items else []
        return self.items[rows[0].row()] if rows else None

    def select_record(self, record_label: str) -> bool:
        """Select the first item about the record labelled ``record_label``."""
        for number, item in enumerate(self.items):
            if item.record_label.startswith(record_label):
                self.table.selectRow(number)
                return True
        return False

    def settle(self, action: str) -> None:
        """Settle the selected item as ``action`` says, in the background."""
        from nsdesk.services.merge import conflicts  # lazy: with the dialog

        item = self.selected()
        if item is None or item.id is None or self.busy or not _fits(item, action):
            return
        item_id = item.id
        work: Callable[[], Any]
        if action in ("keep", "take"):
            work = lambda: conflicts.resolve_conflict(self.desk, item_id, action)  # noqa: E731
        elif action == "edit":
            typed = self._ask_value(self, item, side_text(item.mine))
            if typed is None:
                return
            try:
                value = _typed(item, typed)
            except ValidationError as error:
                self._refused(error)
                return
            work = lambda: conflicts.resolve_conflict(  # noqa: E731
                self.desk, item_id, ("value", value)
            )
        elif action in ("same", "different"):
            same = action == "same"
            new_key = None
            if not _numbered(item):  # a code the desk cannot allocate: the user gives it
                new_key = self._ask_key(self, item)
                if not new_key:
                    return
            work = lambda: conflicts.settle_clash(  # noqa: E731
                self.desk, item_id, same=same, new_key=new_key
            )
        else:
            work = lambda: conflicts.mark_reviewed(self.desk, item_id)  # noqa: E731
        self.busy = True
        self._update_buttons()
        self.background.run(work, self._settled, self._refused)

    def _settled(self, done: Any) -> None:
        self.busy = False
        self._say(f"Settled: {wording.as_sentence(done.said)}")
        self.refresh()
        self.settled.emit()

    def _refused(self, error: BaseException) -> None:
        self.busy = False
        self._update_buttons()
        if not wording.is_refusal(error):
            self._say("Not settled: an unexpected error.")
            sys.excepthook(type(error), error, error.__traceback__)
            return
        reason = wording.error_text(error)
        self._say(f"Not settled: {reason}.")
        self.message_box = open_message(
            self, "Not settled — nsdesk", "This item was not settled.", wording.as_sentence(reason)
        )

    def _say(self, text: str) -> None:
        self.status_label.setText(text)

    def _update_buttons(self) -> None:
        item = self.selected()
        can = not self.busy and not self.read_only_reason and item is not None
        for button, action in self._actions.items():
            button.setEnabled(can and item is not None and _fits(item, action))
            button.setVisible(item is None or _fits(item, action) or not self.items)
        self.close_button.setEnabled(not self.busy)

    def reject(self) -> None:
        if self.busy:
            return
        super().reject()


def _numbered(item: OpenItem) -> bool:
    """Whether the desk numbers records of this kind itself (C-0061)."""
    spec = RECORD_SPECS.get(item.record_table)
    return spec is not None and spec.allocated_key is not None


def _ask_key(parent: QWidget, item: OpenItem) -> str | None:
    text, ok = QInputDialog.getText(
        parent,
        "A new code — nsdesk",
        f"Two records have the code {item.key}. The new code for the one from the other "
        "laptop (it is still found by the old one):",
    )
    return text.strip() if ok and text.strip() else None


def _fits(item: OpenItem, action: str) -> bool:
    kind = item.kind.value
    if kind == "identity":
        return action in ("same", "different")
    if kind == "review":
        return action == "reviewed"
    return action in ("keep", "take", "edit")
