"""The few building blocks the dialogs share, so they read alike: a heading, a
paragraph of plain text, a note in a quieter colour."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QLabel, QWidget


def heading_label(text: str) -> QLabel:
    """A dialog's first line, in bold and a little larger."""
    label = text_label(text)
    font = label.font()
    font.setPointSizeF(font.pointSizeF() * 1.15)
    font.setBold(True)
    label.setFont(font)
    return label


def fit_to_text(dialog: QWidget, width: int) -> None:
    """Size a dialog of wrapped text to ``width`` and the height its text needs there.
    (Qt's size hint measures wrapped labels at a narrow width, which leaves the
    dialog too tall once it is widened.)"""
    dialog.resize(width, max(dialog.heightForWidth(width), dialog.minimumSizeHint().height()))


def section_label(text: str) -> QLabel:
    """The title of a part of a dialog, in bold."""
    label = text_label(text)
    font = label.font()
    font.setBold(True)
    label.setFont(font)
    return label


def text_label(text: str = "") -> QLabel:
    """A paragraph: plain text (a path is never read as markup), wrapped, selectable."""
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


def note_label(text: str = "") -> QLabel:
    """A secondary remark under a table or beside buttons."""
    label = text_label(text)
    palette = label.palette()
    palette.setColor(
        QPalette.ColorRole.WindowText, palette.color(QPalette.ColorRole.PlaceholderText)
    )
    label.setPalette(palette)
    return label
