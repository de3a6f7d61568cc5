"""File ▸ Desk settings…: the delegation, who prepared the desk, the default
marking and the marking scheme's levels.

The dialog does not write: on OK it hands the wanted values to ``apply`` (which
the window wraps in an undo command) and stays open, with the refusal said
beside the field at fault, if the service refuses them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from nsdesk.domain.errors import NsdeskError, ValidationError
from nsdesk.domain.marking import MarkingLevel
from nsdesk.ui.widgets.dialog_style import heading_label, note_label, section_label, text_label
from nsdesk.ui.widgets.sizing import fit_to_screen
from nsdesk.ui.wording import error_text, sentence_case

if TYPE_CHECKING:
    from nsdesk.services.setup.desk_settings import DeskSettingsView

Apply = Callable[[dict[str, Any]], object]
"""Applies the wanted values (``{field: value}``); what it returns (the window's gives
back the values replaced, for its undo step) is not the dialog's business."""
COL_CODE, COL_LABEL, COL_DESCRIPTION = range(3)


class DeskSettingsDialog(QDialog):
    """The desk's settings, editable unless ``read_only_reason`` says why not.

    After OK, :attr:`changes` holds the values as keyword arguments of
    :func:`~nsdesk.services.setup.desk_settings.update_desk_settings` (None after
    Cancel, or when nothing was changed).
    """

    def __init__(
        self,
        view: DeskSettingsView,
        *,
        apply: Apply | None = None,
        read_only_reason: str | None = None,
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.view = view
        self.apply = apply
        self.changes: dict[str, Any] | None = None
        self._known = {level.code for level in view.levels}
        self.setWindowTitle("Desk settings — nsdesk")
        fit_to_screen(self, 720, 500)

        demo = "  ·  DEMO desk" if view.is_demo else ""
        state = note_label(
            f"A desk for {view.own_state_name} ({view.own_state_code}){demo}. "
            "The state of a desk is fixed when it is created."
        )
        self.delegation_edit = QLineEdit(view.delegation or "")
        self.delegation_edit.setAccessibleName("Delegation")
        self.delegation_edit.setPlaceholderText("e.g. Delegation of the Netherlands")
        self.prepared_by_edit = QLineEdit(view.prepared_by or "")
        self.prepared_by_edit.setAccessibleName("Prepared by")
        self.prepared_by_edit.setPlaceholderText("Printed on the briefing pack's cover")
        self.default_combo = QComboBox()
        self.default_combo.setAccessibleName("Default marking")
        self.default_error = _error_label("Default marking")
        # The note and the error sit in the combo's cell, so a hidden error takes no room.
        default_cell = QWidget()
        default_column = QVBoxLayout(default_cell)
        default_column.setContentsMargins(0, 0, 0, 0)
        default_column.setSpacing(2)
        default_column.addWidget(self.default_combo)
        default_column.addWidget(note_label("Given to a new record when no marking is chosen."))
        default_column.addWidget(self.default_error)
        form = QFormLayout()
        form.addRow("&Delegation", self.delegation_edit)
        form.addRow("&Prepared by", self.prepared_by_edit)
        default_label = QLabel("Default &marking")
        default_label.setBuddy(self.default_combo)
        form.addRow(default_label, default_cell)

        self.levels_table = QTableWidget(0, 3)
        self.levels_table.setHorizontalHeaderLabels(["Code", "Label", "Description"])
        self.levels_table.setAccessibleName("Marking levels, highest first")
        self.levels_table.verticalHeader().hide()
        self.levels_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.levels_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.levels_table.setTabKeyNavigation(False)  # Tab leaves the table, arrows move in it
        header = self.levels_table.horizontalHeader()
        header.setSectionResizeMode(COL_DESCRIPTION, QHeaderView.ResizeMode.Stretch)
        header.resizeSection(COL_CODE, self.fontMetrics().horizontalAdvance("CONFIDENTIAL") + 28)
        header.resizeSection(COL_LABEL, self.fontMetrics().horizontalAdvance("Confidential") + 60)
        for level in reversed(view.levels):  # highest first: "Add level above" adds on top
            self._add_row(level, known=True)
        self.levels_table.itemChanged.connect(self._level_edited)
        self.levels_table.currentCellChanged.connect(lambda *_: self._update_buttons())
        self.add_button = QPushButton("&Add level above")
        self.add_button.setAccessibleDescription("A new level above the highest one")
        self.add_button.clicked.connect(self.add_level)
        self.remove_button = QPushButton("&Remove new level")
        self.remove_button.setAccessibleDescription("Remove a level added in this dialog")
        self.remove_button.clicked.connect(self.remove_new_level)
        self.levels_error = _error_label("Marking levels")
        self.general_error = _error_label("Desk settings")
        table_buttons = QHBoxLayout()
        table_buttons.addWidget(self.add_button)
        table_buttons.addWidget(self.remove_button)
        table_buttons.addStretch(1)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(heading_label("Desk settings"))
        layout.addWidget(state)
        layout.addLayout(form)
        layout.addSpacing(6)
        layout.addWidget(section_label("Marking levels"))
        layout.addWidget(
            text_label(
                "Highest first. Records are marked by these levels, so a level keeps its "
                "code and its place; you can rename it, describe it, or add a level above "
                "the highest."
            )
        )
        layout.addWidget(self.levels_table, 1)
        layout.addLayout(table_buttons)
        layout.addWidget(self.levels_error)
        if read_only_reason:
            layout.addWidget(note_label(f"Nothing can be changed: {read_only_reason}."))
            for widget in (self.delegation_edit, self.prepared_by_edit):
                widget.setReadOnly(True)
            self.default_combo.setEnabled(False)
            self.levels_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
            self.add_button.setEnabled(False)
            self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(False)
        layout.addWidget(self.general_error)
        layout.addWidget(self.buttons)
        self.read_only = bool(read_only_reason)
        self._fill_default_combo(view.default_sensitivity)
        self._update_buttons()

    # -- the levels ------------------------------------------------------------------
    def _add_row(
        self, level: MarkingLevel, *, known: bool, row: int | None = None
    ) -> QTableWidgetItem:
        """Put ``level`` in row ``row`` (default: last); returns the item of its code."""
        row = self.levels_table.rowCount() if row is None else row
        self.levels_table.insertRow(row)
        code = QTableWidgetItem(level.code)
        if known:
            # An existing level's code is what records hold: it stays.
            code.setFlags(code.flags() & ~Qt.ItemFlag.ItemIsEditable)
            code.setToolTip("Records are marked with this code, so it cannot change")
        self.levels_table.setItem(row, COL_CODE, code)
        self.levels_table.setItem(row, COL_LABEL, QTableWidgetItem(level.label))
        self.levels_table.setItem(row, COL_DESCRIPTION, QTableWidgetItem(level.description))
        return code

    def add_level(self) -> None:
        """Add an empty level above the highest and start typing its code."""
        self.levels_table.blockSignals(True)
        code = self._add_row(MarkingLevel("", "", ""), known=False, row=0)
        self.levels_table.blockSignals(False)
        self.levels_table.setCurrentCell(0, COL_CODE)
        self.levels_table.editItem(code)
        self._update_buttons()

    def remove_new_level(self) -> None:
        """Remove the chosen level if it was added in this dialog (the others stay)."""
        row = self.levels_table.currentRow()
        if row >= 0 and self._code(row) not in self._known:
            self.levels_table.removeRow(row)
            self._fill_default_combo(self.default_combo.currentData())
        self._update_buttons()

    def _code(self, row: int) -> str:
        return self._text(row, COL_CODE)

    def _text(self, row: int, column: int) -> str:
        # Every row gets its three items from _add_row; past the table there is none.
        item = self.levels_table.item(row, column)
        return item.text().strip() if item is not None else ""

    def _level_edited(self, item: QTableWidgetItem) -> None:
        if item.column() == COL_CODE and item.text() != item.text().strip().upper():
            item.setText(item.text().strip().upper())  # codes are capitals; this re-enters once
            return
        self._fill_default_combo(self.default_combo.currentData())
        self._update_buttons()

    def _update_buttons(self) -> None:
        row = self.levels_table.currentRow()
        removable = row >= 0 and self._code(row) not in self._known
        self.remove_button.setEnabled(removable and not self.read_only)

    def levels(self) -> tuple[MarkingLevel, ...]:
        """The levels as the table holds them, lowest first."""
        table = self.levels_table
        rows = range(table.rowCount() - 1, -1, -1)
        return tuple(
            MarkingLevel(
                self._code(row),
                self._text(row, COL_LABEL),
                self._text(row, COL_DESCRIPTION),
            )
            for row in rows
        )

    def _fill_default_combo(self, chosen: str | None) -> None:
        combo = self.default_combo
        combo.blockSignals(True)
        combo.clear()
        for level in self.levels():  # lowest first, as a choice reads best
            if level.code:
                combo.addItem(f"{level.label or level.code} ({level.code})", level.code)
        index = combo.findData(chosen)
        combo.setCurrentIndex(max(index, 0))
        combo.blockSignals(False)

    # -- OK --------------------------------------------------------------------------
    def wanted(self) -> dict[str, Any]:
        """The values as the dialog holds them, as update_desk_settings takes them."""
        return {
            "delegation": self.delegation_edit.text().strip() or None,
            "prepared_by": self.prepared_by_edit.text().strip() or None,
            "default_sensitivity": self.default_combo.currentData() or "",
            "levels": self.levels(),
        }

    def accept(self) -> None:
        """Hand the values to ``apply``; stay open and say why if it refuses them."""
        for label in (self.default_error, self.levels_error, self.general_error):
            label.hide()
        wanted = self.wanted()
        if wanted == self.view.changes():
            super().accept()  # nothing changed: nothing to apply or undo
            return
        if self.apply is not None:
            try:
                self.apply(wanted)
            except NsdeskError as error:
                self.show_refusal(error)
                return
        self.changes = wanted
        super().accept()

    def show_refusal(self, error: NsdeskError) -> None:
        """Say ``error`` beside the field it is about, and go there."""
        field = error.field.casefold() if isinstance(error, ValidationError) else ""
        if field == "default marking":
            _say(self.default_error, sentence_case(error_text(error, at_field=True)))
            self.default_combo.setFocus()
        elif "marking" in field or "level" in field:
            _say(self.levels_error, error_text(error))
            self.levels_table.setFocus()
        else:
            _say(self.general_error, sentence_case(error_text(error)))


def _error_label(name: str) -> QLabel:
    """A red sentence under a field, hidden while there is nothing to say."""
    label = text_label()
    label.setAccessibleName(f"{name}: problem")
    dark = label.palette().color(QPalette.ColorRole.Window).lightnessF() < 0.5
    # A red that stays readable on the theme's window colour.
    label.setStyleSheet(f"QLabel {{ color: {'#ff8a80' if dark else '#b3261e'}; }}")
    label.hide()
    return label


def _say(label: QLabel, text: str) -> None:
    label.setText(text)
    label.setAccessibleDescription(text)
    label.show()
