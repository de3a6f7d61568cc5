"""A history of what came into the desk from a file — the imports, the merges —
newest first, and undoing one of them.

The import history and the merge history are the same window with other words:
a table of past operations (when, the file, what it did, when it was undone), the
chosen one undone after a question, in the background, the window busy meanwhile
(Close waits), the outcome said under the table, the list read again with the same
row chosen, and a refusal said in a sentence and in a message box. On a desk open
read-only nothing can be undone, and the window says why.

:class:`UndoHistoryDialog` is that window. Each history says, in a subclass, what
differs: its :class:`UndoWords`, its columns, how a row reads, the question asked,
how many changes an undo took back, what a refusal says, and the signal that tells
the app the desk changed. It reads and undoes through the callables it is given
(bound to the open desk by the capability's flow), so it never holds a desk itself.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, ClassVar, Generic, Protocol, TypeVar

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
from nsdesk.ui.message_box import confirm as ask
from nsdesk.ui.message_box import open_message
from nsdesk.ui.widgets.dialog_style import heading_label, note_label, text_label
from nsdesk.ui.widgets.list_table import list_table
from nsdesk.ui.widgets.sizing import fit_to_screen

if TYPE_CHECKING:
    from nsdesk.ui.background import Background


class Undoable(Protocol):
    """What the window reads of every past operation, whatever it was."""

    @property
    def file_name(self) -> str:
        """The file it came from, as the user named it."""
        ...

    @property
    def undone_at(self) -> datetime | None:
        """When it was undone (None: it stands)."""
        ...


R = TypeVar("R", bound=Undoable)
"""A row of the history (an import, a merge)."""
K = TypeVar("K")
"""What identifies a row to the service that undoes it (an import's UUID, a merge's number)."""


@dataclass(frozen=True, slots=True)
class UndoWords:
    """The words of one history. ``noun`` ("import") makes the rest: the button
    "Undo import…", the question "Undo this import?", the sentences "Undoing the
    import of FILE…", "The import of FILE was undone: 3 changes taken back.", the
    title "Import not undone — nsdesk" and "Import history of DESK — nsdesk"."""

    noun: str
    """What one row is, in lower case: "import", "merge"."""
    a_noun: str
    """The same with its article, for "Undoing an import needs…"."""
    heading: str
    """The window's first line; ``{desk}`` is the desk's name."""
    note: str
    """What the list is and what undoing does, under the heading."""
    table_name: str
    """The table, as assistive technology says it."""
    undo_description: str
    """What the Undo button does, as assistive technology says it."""
    nothing_yet: str
    """Said under an empty list."""


@dataclass(frozen=True, slots=True)
class Refusal:
    """What the window says when an undo is refused: ``status`` under the table;
    ``text``, ``informative`` and ``details`` in the message box."""

    status: str
    text: str
    informative: str
    details: str = ""


class UndoHistoryDialog(QDialog, Generic[R, K]):
    """Past operations, newest first, with "Undo …" on a desk open for editing.

    The first column says when each was made, the last when it was undone; the
    column :attr:`counts_column` (what it did) takes the spare width and is struck
    through once undone. A subclass sets the class attributes and the methods under
    "what each history says"."""

    words: ClassVar[UndoWords]
    headers: ClassVar[Sequence[str]]
    """The columns' titles, the first for when, the last for when undone."""
    samples: ClassVar[Mapping[int, str]]
    """The widest text a column usually holds (the column is made as wide)."""
    counts_column: ClassVar[int]
    spacing: ClassVar[int | None] = None
    """Room between the window's parts (None: the style's)."""
    snug_rows: ClassVar[bool] = False
    """Rows one line of text tall, rather than the style's default height."""

    def __init__(
        self,
        load: Callable[[], Sequence[R]],
        undo: Callable[[K], Any],
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
        self.records: list[R] = []
        self.message_box: QMessageBox | None = None
        words = self.words
        noun = words.noun
        self.setWindowTitle(f"{noun.capitalize()} history of {desk_name} — nsdesk")

        self.table = list_table(self.headers, self.samples, self.counts_column, words.table_name)
        if self.snug_rows:
            self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 8)
        self.table.itemSelectionChanged.connect(self._update_buttons)

        self.status_label = text_label()
        self.status_label.setAccessibleName(f"{noun.capitalize()} history status")
        self.undo_button = QPushButton(f"&Undo {noun}…")
        self.undo_button.setAccessibleDescription(words.undo_description)
        self.undo_button.clicked.connect(self.ask_undo)
        self.close_button = QPushButton("Close")
        self.close_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.undo_button)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)

        layout = QVBoxLayout(self)
        if self.spacing is not None:
            layout.setSpacing(self.spacing)
        layout.addWidget(heading_label(words.heading.format(desk=desk_name)))
        layout.addWidget(note_label(words.note))
        layout.addWidget(self.table, 1)
        layout.addWidget(self.status_label)
        layout.addLayout(buttons)
        fit_to_screen(self, 1180, 460)
        self.refresh()
        if read_only_reason:
            self._say(
                f"Undoing {words.a_noun} needs the desk open for editing, and it is read-only: "
                f"{read_only_reason.rstrip('.')}."
            )

    # -- what each history says ---------------------------------------------------------------
    def key(self, record: R) -> K:
        """What identifies ``record`` to the undo callable."""
        raise NotImplementedError

    def made_at(self, record: R) -> datetime:
        """When the operation was made (the first column)."""
        raise NotImplementedError

    def cells(self, record: R) -> dict[int, str]:
        """The texts of the columns between the first and the last."""
        raise NotImplementedError

    def question(self, record: R) -> str:
        """What undoing ``record`` does, for the confirmation."""
        raise NotImplementedError

    def taken_back(self, outcome: Any) -> int:
        """How many changes the undo callable's ``outcome`` took back."""
        raise NotImplementedError

    def refusal(self, record: R, error: BaseException) -> Refusal:
        """What to say when undoing ``record`` was refused with ``error`` (a refusal
        nsdesk made on purpose, or the system's)."""
        raise NotImplementedError

    def announce(self, record: R, taken_back: int) -> None:
        """Tell the app ``record`` was undone (the desk changed), by a signal."""
        raise NotImplementedError

    # -- the list -------------------------------------------------------------------------------
    def refresh(self, select: K | None = None) -> None:
        """Read the history again; select the row whose key is ``select``, or the newest."""
        self.records = list(self._load())
        table = self.table
        last = len(self.headers) - 1
        table.setRowCount(len(self.records))
        for row, record in enumerate(self.records):
            made = self.made_at(record)
            undone = record.undone_at
            cells = {0: wording.sentence_case(wording.when(made))}
            cells.update(self.cells(record))
            cells[last] = wording.sentence_case(wording.when(undone)) if undone else ""
            for column, text in cells.items():
                item = QTableWidgetItem(text)
                item.setToolTip(wording.full_when(made) if column == 0 else text)
                if undone is not None and column == self.counts_column:
                    font = item.font()
                    font.setStrikeOut(True)
                    item.setFont(font)
                table.setItem(row, column, item)
        if self.records:
            keys = [self.key(r) for r in self.records]
            table.selectRow(keys.index(select) if select in keys else 0)
        elif not self.status_label.text():
            self._say(self.words.nothing_yet)
        self._update_buttons()

    def selected(self) -> R | None:
        """The row chosen (None when the list is empty)."""
        rows = self.table.selectionModel().selectedRows()
        return self.records[rows[0].row()] if rows else None

    # -- undoing --------------------------------------------------------------------------------
    def ask_undo(self, *, confirm: bool = True) -> None:
        """Confirm undoing the chosen row (unless ``confirm`` is False), then undo it
        in the background."""
        record = self.selected()
        if record is None or not self.undo_button.isEnabled():
            return
        noun = self.words.noun
        if confirm and not ask(self, f"Undo this {noun}?", self.question(record), f"Undo {noun}"):
            return
        self.busy = True
        self._say(f"Undoing the {noun} of {record.file_name}…")
        self._update_buttons()
        key = self.key(record)
        self.background.run(
            lambda: self._undo(key),
            lambda outcome: self._undone(record, outcome),
            lambda error: self._refused(record, error),
        )

    def _undone(self, record: R, outcome: Any) -> None:
        self.busy = False
        taken_back = self.taken_back(outcome)
        self._say(
            f"The {self.words.noun} of {record.file_name} was undone: "
            f"{wording.count(taken_back, 'change')} taken back."
        )
        self.refresh(select=self.key(record))
        self.announce(record, taken_back)

    def _refused(self, record: R, error: BaseException) -> None:
        self.busy = False
        self._update_buttons()
        noun = self.words.noun
        if not wording.is_refusal(error):
            self._say(f"The {noun} of {record.file_name} was not undone: an unexpected error.")
            sys.excepthook(type(error), error, error.__traceback__)
            return
        said = self.refusal(record, error)
        self._say(said.status)
        self.message_box = open_message(
            self,
            f"{noun.capitalize()} not undone — nsdesk",
            said.text,
            said.informative,
            details=said.details,
        )

    # -- the window -----------------------------------------------------------------------------
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
            tip = f"Undoing {self.words.a_noun} needs the desk open for editing."
        elif record is not None and record.undone_at is not None:
            tip = f"This {self.words.noun} was undone already."
        else:
            tip = ""
        self.undo_button.setToolTip(tip)
        self.close_button.setEnabled(not self.busy)

    def reject(self) -> None:
        """Close, unless an undo is under way (it finishes first)."""
        if self.busy:
            return
        super().reject()
