"""Small pieces the dialogs' forms share: labelled fields, stacked cells, combo
choices and the checks made on an output file before anything is written."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)


def buddy(text: str, widget: QWidget) -> QLabel:
    """A label whose mnemonic moves the focus to ``widget``."""
    label = QLabel(text)
    label.setBuddy(widget)
    return label


def stacked(*parts: QWidget | QHBoxLayout) -> QWidget:
    """Widgets and rows stacked in one form cell, so a hidden error takes no room."""
    cell = QWidget()
    column = QVBoxLayout(cell)
    column.setContentsMargins(0, 0, 0, 0)
    column.setSpacing(2)
    for part in parts:
        if isinstance(part, QWidget):
            column.addWidget(part)
        else:
            column.addLayout(part)
    return cell


def choose(combo: QComboBox, value: Any) -> None:
    """Choose the entry holding ``value``; a value no longer offered changes nothing."""
    index = combo.findData(value)
    if index >= 0:
        combo.setCurrentIndex(index)


def resolve_output_path(text: str, folder: Path, suffix: str) -> Path:
    """The file an output field names: a relative path is in ``folder``, and
    ``suffix`` (".pdf") is added when the name has no such ending."""
    path = Path(text.strip()).expanduser()
    if not path.is_absolute():
        path = folder / path
    return path if path.suffix.casefold() == suffix else path.with_name(path.name + suffix)


def output_file_problem(path: Path, noun: str) -> str | None:
    """Why ``path`` cannot be written as the output (``noun``: "the workbook"), or None."""
    if not path.parent.is_dir():
        return f"The folder {path.parent} does not exist."
    if path.is_dir():
        return f"That is a folder; give the name of {noun}."
    return None


def replace_confirmed(parent: QWidget, path: Path) -> bool:
    """Whether an existing ``path`` may be replaced (asks the user; True if none)."""
    if not path.exists():
        return True
    answer = QMessageBox.question(
        parent,
        "Replace file — nsdesk",
        f"{path.name} already exists in {path.parent}. Replace it?",
    )
    return answer == QMessageBox.StandardButton.Yes
