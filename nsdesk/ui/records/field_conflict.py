"""What a field shows when saving it found that another officer changed it since it
was shown: their value and yours, who changed it and when, and three ways on.

Nothing was written (the desk checked, in the save's own transaction, that the field
still held what the editor showed). The bar sits under the field, in place of its
error line, and offers:

* **Keep mine** — save my value over theirs, knowingly (the next save expects theirs);
* **Take theirs** — show their value and save nothing;
* **Edit** — go back into the field, with my value in it, to write something that
  takes both into account (leaving it saves, expecting theirs).
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from nsdesk.domain.errors import ChangedField, shown_value

CONFLICT_STYLE = (
    "QFrame#fieldConflict { border: 1px solid palette(highlight); border-radius: 3px; }"
)


def local_time(moment: datetime) -> str:
    """A stored moment (UTC) in this computer's time, as the bar says it."""
    return moment.astimezone().strftime("%d %b %Y %H:%M")


def conflict_text(changed: ChangedField, mine: str) -> str:
    """``Changed by bob at 06 Dec 2026 14:05 since you opened it: “B”. Yours: “A”.``"""
    who = f" by {changed.changed_by}" if changed.changed_by else ""
    when = f" at {local_time(changed.changed_at)}" if changed.changed_at else ""
    return (
        f"Changed{who}{when} since it was shown to you: “{shown_value(changed.current)}”. "
        f"Yours, not saved: “{mine}”."
    )


class FieldConflictBar(QFrame):
    """The bar under one field (see module docstring); the owner acts on its signals."""

    keep_mine = Signal()
    take_theirs = Signal()
    edit = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("fieldConflict")
        self.setStyleSheet(CONFLICT_STYLE)
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.keep_button = QPushButton("&Keep mine")
        self.take_button = QPushButton("&Take theirs")
        self.edit_button = QPushButton("&Edit")
        self.keep_button.clicked.connect(self.keep_mine)
        self.take_button.clicked.connect(self.take_theirs)
        self.edit_button.clicked.connect(self.edit)
        buttons = QHBoxLayout()
        buttons.setContentsMargins(0, 0, 0, 0)
        for button in (self.keep_button, self.take_button, self.edit_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        column = QVBoxLayout(self)
        column.setContentsMargins(6, 4, 6, 4)
        column.addWidget(self.label)
        column.addLayout(buttons)
        self.changed: ChangedField | None = None
        self.mine = ""
        self.hide()

    def show_conflict(self, label: str, changed: ChangedField, mine: str) -> None:
        """Say that field ``label`` holds ``changed.current`` now, not what was shown."""
        self.changed, self.mine = changed, mine
        self.label.setText(conflict_text(changed, mine))
        self.setAccessibleName(f"{label}: changed by someone else")
        self.show()

    def clear(self) -> None:
        """The conflict is settled (or the record left): hide the bar."""
        self.changed, self.mine = None, ""
        self.hide()
