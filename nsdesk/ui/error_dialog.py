"""What the user sees when nsdesk meets an error it did not expect.

A calm sentence, where the log is, the details in a box that can be read and
copied (for whoever helps the delegation), and nothing that needs a decision.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QFontDatabase, QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from nsdesk.diagnostics import log_file
from nsdesk.ui.widgets.dialog_style import heading_label, text_label

MESSAGE = (
    "nsdesk met an error it did not expect. Changes saved before it are safe; "
    "the last thing you did may not have been completed, so please check it."
)


class ErrorDialog(QDialog):
    """The unexpected-error message: a sentence, the log's place, copyable details."""

    def __init__(self, details: str, log_path: Path, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Unexpected error — nsdesk")
        self.setMinimumWidth(620)
        self.message_label = heading_label("Something went wrong")
        self.text_label = text_label(MESSAGE)
        self.log_label = text_label(
            f"The details have been written to the log file:\n{log_path}\n"
            "If you ask for help, copy them and send them with a line on what you were doing."
        )
        self.details_edit = QPlainTextEdit(details)
        self.details_edit.setReadOnly(True)
        self.details_edit.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.details_edit.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.details_edit.setAccessibleName("Error details")
        self.details_edit.setMinimumHeight(180)
        self.copy_button = QPushButton("Copy details")
        self.copy_button.clicked.connect(self.copy_details)
        self.copied_label = QLabel()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        layout.addWidget(self.message_label)
        layout.addWidget(self.text_label)
        layout.addWidget(self.log_label)
        layout.addWidget(self.details_edit, 1)
        layout.addWidget(self.copied_label)
        layout.addWidget(buttons)

    def add_details(self, details: str) -> None:
        """Another error arrived while this one is shown: add it below."""
        self.details_edit.appendPlainText("\n" + "—" * 40 + "\n" + details)

    def copy_details(self) -> None:
        QGuiApplication.clipboard().setText(self.details_edit.toPlainText())
        self.copied_label.setText("The details are on the clipboard.")


class UnexpectedErrors:
    """The app's ``show`` for :func:`nsdesk.diagnostics.install_excepthook`: one
    dialog at a time; errors that come while it is open are added to it."""

    def __init__(self, parent: QWidget | None = None):
        self.parent = parent
        self.dialog: ErrorDialog | None = None

    def __call__(self, details: str) -> None:
        if self.dialog is not None and self.dialog.isVisible():
            self.dialog.add_details(details)
            return
        self.dialog = ErrorDialog(details, log_file(), self.parent)
        self.dialog.open()
