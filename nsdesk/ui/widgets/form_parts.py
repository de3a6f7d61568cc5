"""Small pieces the dialogs' forms share: labelled fields, stacked cells, combo
choices, and the output-file field with its file dialog and the checks made before
anything is written."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from nsdesk.ui.widgets.inline_error import InlineError

#: Chooses the file to write: (parent, title, suggested path) -> the path, or None.
SaveChooser = Callable[[QWidget, str, Path], Path | None]


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


class OutputFileField:
    """The output-file field of a dialog that writes one file (a briefing pack, a
    workbook): the line edit and its inline error, the button that opens the file
    dialog, a default name that follows the dialog's choices until the user types
    or chooses a path, and the checks made before the dialog may close.
    ``confirmed`` paths came from a file dialog that already asked about replacing
    the file. :attr:`chooser` replaces the file dialog (tests; None: Qt's)."""

    def __init__(
        self,
        *,
        desk_folder: Path,
        remembered_folder: str | None,
        suffix: str,
        noun: str,
        description: str,
        button_text: str = "C&hoose…",
        file_filter: str = "",
        chooser: SaveChooser | None = None,
    ):
        self.desk_folder = desk_folder
        self._remembered_folder = remembered_folder
        self.suffix = suffix
        self.noun = noun
        self.file_filter = file_filter or f"*{suffix}"
        self.chooser = chooser
        self.is_default = True  # follows the dialog's choices until the user edits it
        self.replace_confirmed = False
        self.edit = QLineEdit()
        self.edit.setAccessibleName("Output file")
        self.edit.setAccessibleDescription(description)
        self.edit.textEdited.connect(self._edited)
        self.error = InlineError(self.edit, "Output file")
        self.button = QPushButton(button_text)
        self.button.setAccessibleDescription(f"Choose {noun} to write")
        self.button.setAutoDefault(False)
        self.button.clicked.connect(self.choose)

    def folder(self) -> Path:
        """Where a default name goes: the folder used last time, else the desk's."""
        folder = Path(self._remembered_folder or self.desk_folder)
        return folder if folder.is_dir() else self.desk_folder

    def propose(self, name: str) -> None:
        """Offer ``name`` in :meth:`folder`, unless the user has chosen a path."""
        if self.is_default:
            self.edit.setText(str(self.folder() / name))

    def choose(self) -> None:
        """Ask where to write (the file dialog asks before replacing a file)."""
        parent, title = self.edit.window(), f"Write {self.noun} to"
        if self.chooser is not None:
            chosen = self.chooser(parent, title, self.path())
        else:
            text, _ = QFileDialog.getSaveFileName(parent, title, str(self.path()), self.file_filter)
            chosen = Path(text) if text else None
        if chosen:
            self.set_path(Path(chosen), confirmed=True)

    def _edited(self) -> None:
        self.is_default = False
        self.replace_confirmed = False
        self.error.clear_message()

    def set_path(self, path: Path, *, confirmed: bool = False) -> None:
        self.is_default = False
        self.replace_confirmed = confirmed
        self.edit.setText(str(path))
        self.error.clear_message()

    def has_text(self) -> bool:
        return bool(self.edit.text().strip())

    def path(self) -> Path:
        """The file to write: a relative path is in the desk's folder, and the suffix
        is added when the name has no such ending."""
        return resolve_output_path(self.edit.text(), self.desk_folder, self.suffix)

    def checked_path(self, parent: QWidget) -> Path | None:
        """The file, once it can be written and replacing it is agreed; None (with
        the reason shown beside the field) otherwise."""
        path = self.path()
        problem = output_file_problem(path, self.noun)
        if problem is not None:
            self.error.show_message(problem)
            self.edit.setFocus()
            return None
        if not self.replace_confirmed and not replace_confirmed(parent, path):
            return None
        return path
