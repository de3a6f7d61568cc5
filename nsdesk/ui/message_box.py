"""The one way the app says something that needs reading: a window-modal message
box over its window, in plain text (a user's text is never read as markup),
that does not block the event loop and deletes itself when closed. And the one
way a list asks before doing what it offers (undo an import or a merge, restore
a backup): a question whose default answer is Cancel."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget


def open_message(
    parent: QWidget,
    title: str,
    text: str,
    informative: str = "",
    *,
    details: str = "",
    warning: bool = True,
    actions: Sequence[str] = (),
) -> QMessageBox:
    """Show the message and return the box (callers keep it, so tests can read it).
    ``actions`` are buttons offered before Close (say what each does: "Show the
    folder"); without them the box has OK only."""
    icon = QMessageBox.Icon.Warning if warning else QMessageBox.Icon.Information
    box = QMessageBox(icon, title, text, QMessageBox.StandardButton.NoButton, parent)
    for action in actions:
        box.addButton(action, QMessageBox.ButtonRole.ActionRole)
    closing = box.addButton(
        QMessageBox.StandardButton.Close if actions else QMessageBox.StandardButton.Ok
    )
    box.setDefaultButton(closing)
    box.setEscapeButton(closing)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setInformativeText(informative)
    if details:
        box.setDetailedText(details)
    box.setWindowModality(Qt.WindowModality.WindowModal)
    box.finished.connect(box.deleteLater)
    box.open()
    return box


def confirm(parent: QWidget, title: str, question: str, action: str) -> bool:
    """Ask ``question`` (plain text) before something that cannot be taken back in a
    click; True only when the user pressed the button ``action`` ("Undo import"):
    Cancel is the default, so Return or Escape leaves everything as it is."""
    box = QMessageBox(QMessageBox.Icon.Question, title, question, parent=parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    chosen = box.addButton(action, QMessageBox.ButtonRole.AcceptRole)
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(QMessageBox.StandardButton.Cancel)
    box.exec()
    return box.clickedButton() is chosen
