"""File ▸ Export workbook…: the register, or one ministry's return; for whom; where.

The dialog only asks. :meth:`ExportDialog.request` and
:meth:`ExportDialog.output_path` give the answer to
:mod:`nsdesk.ui.exchange.exchange_flow`, which writes the workbook in the background.
The file name follows the choices (``NLD-return-MFA-2026-11-22.xlsx``) until the
user types or chooses another.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import date
from itertools import pairwise
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from nsdesk.services.exchange.export import ExportRequest
from nsdesk.ui.widgets.dialog_style import fit_to_text, heading_label, note_label
from nsdesk.ui.widgets.form_parts import OutputFileField, SaveChooser, buddy, choose, stacked
from nsdesk.ui.widgets.inline_error import InlineError

if TYPE_CHECKING:
    from nsdesk.services.exchange.export import ExportRequest
    from nsdesk.services.records.choices import Choice

REGISTER, RETURN = "register", "return"
CEILING_NOTE = (
    "Nothing marked above this level leaves the desk; the workbook is marked with the "
    "highest level it contains."
)
KIND_NOTES = {
    REGISTER: "Every register, a sheet each; the yellow columns can be edited and imported back.",
    RETURN: "Only the commitments the ministry leads; only what it reports on can be edited.",
}
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f\s]+')


def default_file_name(state: str, agency: str | None, today: date) -> str:
    """``NLD-register-2026-11-22.xlsx`` or ``NLD-return-MFA-2026-11-22.xlsx``."""
    words = [state or "desk", RETURN if agency else REGISTER, *([agency] if agency else [])]
    name = "-".join(_UNSAFE.sub("_", w).strip("._") or "_" for w in words)
    return f"{name}-{today.isoformat()}.xlsx"


class ExportDialog(QDialog):
    """What to export (register or return, which ministry), the audience ceiling
    and the file, starting from what was ``remembered`` from the last export."""

    def __init__(
        self,
        *,
        agencies: Sequence[Choice],
        levels: Sequence[tuple[str, str]],
        default_ceiling: str,
        state: str,
        today: date,
        folder: Path,
        remembered: Mapping[str, Any] | None = None,
        choose_file: SaveChooser | None = None,
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.state = state
        self.today = today
        self.desk_folder = folder
        self._remembered = dict(remembered or {})
        self.setWindowTitle("Export workbook — nsdesk")

        self.register_radio = QRadioButton("&Register (every sheet)")
        self.register_radio.setAccessibleDescription(KIND_NOTES[REGISTER])
        self.return_radio = QRadioButton("Return for one &ministry")
        self.return_radio.setAccessibleDescription(KIND_NOTES[RETURN])
        self.kind_group = QButtonGroup(self)
        self.kind_group.addButton(self.register_radio)
        self.kind_group.addButton(self.return_radio)
        self.kind_note = note_label()
        self.kind_note.setAccessibleName("What the workbook holds")

        self.agency_combo = QComboBox()
        self.agency_combo.setAccessibleName("Ministry")
        self.agency_combo.setAccessibleDescription("The ministry the return is for")
        for choice in agencies:
            self.agency_combo.addItem(choice.label, choice.key)
        self.agency_combo.setMinimumContentsLength(28)
        self.agency_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.agency_label = buddy("Mi&nistry", self.agency_combo)

        self.ceiling_combo = QComboBox()
        self.ceiling_combo.setAccessibleName("Audience ceiling")
        self.ceiling_combo.setAccessibleDescription(CEILING_NOTE)
        for code, label in levels:
            self.ceiling_combo.addItem(f"{label} ({code})", code)
        choose(self.ceiling_combo, default_ceiling)

        self.output = OutputFileField(  # its default name follows the kind and the ministry
            desk_folder=folder,
            remembered_folder=self._remembered.get("folder"),
            suffix=".xlsx",
            noun="the workbook",
            description="The workbook (.xlsx) to write",
            button_text="&Browse…",
            file_filter="Excel workbooks (*.xlsx)",
            chooser=choose_file,
        )
        self.output_edit, self.output_error = self.output.edit, self.output.error
        self.output_edit.textChanged.connect(lambda *_: self._update_buttons())
        self.browse_button = self.output.button
        self.agency_error = InlineError(self.agency_combo, "Ministry")

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.export_button = self.buttons.addButton(
            "&Export", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.export_button.setAccessibleDescription("Write the workbook")
        self.export_button.setDefault(True)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        self._lay_out()
        self._apply_remembered()
        self.register_radio.toggled.connect(self._kind_changed)
        self.agency_combo.currentIndexChanged.connect(lambda *_: self._update_default_path())
        self._kind_changed()
        fit_to_text(self, 720)

    def _lay_out(self) -> None:
        kinds = QVBoxLayout()
        kinds.setSpacing(4)
        kinds.addWidget(self.register_radio)
        kinds.addWidget(self.return_radio)
        kinds.addWidget(self.kind_note)
        kinds_cell = QWidget()
        kinds_cell.setLayout(kinds)
        kinds.setContentsMargins(0, 0, 0, 0)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        what = QLabel("What")
        what.setAccessibleName("What to export")
        what.setBuddy(self.register_radio)
        form.addRow(what, kinds_cell)
        form.addRow(self.agency_label, stacked(self.agency_combo, self.agency_error))
        ceiling_cell = stacked(self.ceiling_combo, note_label(CEILING_NOTE))
        form.addRow(buddy("Audience &ceiling", self.ceiling_combo), ceiling_cell)
        output_row = QHBoxLayout()
        output_row.addWidget(self.output_edit, 1)
        output_row.addWidget(self.browse_button)
        form.addRow(buddy("&Output file", self.output_edit), stacked(output_row, self.output_error))

        layout = QVBoxLayout(self)
        layout.addWidget(heading_label("Export a workbook"))
        layout.addWidget(
            note_label(
                "An Excel workbook (it opens in Excel and LibreOffice) to send to a ministry "
                "or to keep: what comes back is imported with File ▸ Import workbook…"
            )
        )
        layout.addSpacing(4)
        layout.addLayout(form)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        order = [
            self.register_radio,
            self.return_radio,
            self.agency_combo,
            self.ceiling_combo,
            self.output_edit,
            self.browse_button,
            self.export_button,
            self.buttons.button(QDialogButtonBox.StandardButton.Cancel),
        ]
        for first, second in pairwise(order):
            QWidget.setTabOrder(first, second)

    # -- the choices ------------------------------------------------------------------------
    def _apply_remembered(self) -> None:
        last = self._remembered
        choose(self.ceiling_combo, last.get("ceiling"))
        choose(self.agency_combo, last.get("agency"))
        wants_return = last.get("kind") == RETURN and self.agency_combo.count() > 0
        (self.return_radio if wants_return else self.register_radio).setChecked(True)

    def remembered(self) -> dict[str, Any]:
        """The choices to start from next time on this desk (plain values, for settings)."""
        return {
            "kind": self.kind(),
            "agency": self.agency_combo.currentData(),
            "ceiling": self.ceiling_combo.currentData(),
            "folder": str(self.output_path().parent) if self.output_edit.text().strip() else "",
        }

    def kind(self) -> str:
        """``register`` or ``return``."""
        return RETURN if self.return_radio.isChecked() else REGISTER

    def agency(self) -> str | None:
        """The ministry a return is for (None for the register)."""
        return self.agency_combo.currentData() if self.kind() == RETURN else None

    def choose_kind(self, kind: str, agency: str | None = None) -> None:
        """Choose the register, or a return for ``agency``, as the radio buttons do."""
        (self.return_radio if kind == RETURN else self.register_radio).setChecked(True)
        if agency is not None:
            choose(self.agency_combo, agency)
        self._kind_changed()

    def _kind_changed(self) -> None:
        is_return = self.kind() == RETURN
        self.agency_combo.setEnabled(is_return)
        self.agency_label.setEnabled(is_return)
        self.kind_note.setText(KIND_NOTES[self.kind()])
        if is_return and self.agency_combo.count() == 0:
            self.agency_error.show_message(
                "This desk has no ministries yet: add them under Agencies first."
            )
        else:
            self.agency_error.clear_message()
        self._update_default_path()
        self._update_buttons()

    def request(self) -> ExportRequest:
        """What to export, as the export service takes it."""
        return ExportRequest(agency=self.agency(), ceiling=self.ceiling_combo.currentData())

    # -- the output file --------------------------------------------------------------------
    def _update_default_path(self) -> None:
        self.output.propose(default_file_name(self.state, self.agency(), self.today))

    def set_output_path(self, path: Path, *, confirmed: bool = False) -> None:
        """Write the workbook to ``path``; ``confirmed``: the user already agreed to
        replace it if it exists."""
        self.output.set_path(path, confirmed=confirmed)

    def output_path(self) -> Path:
        """The workbook to write: relative paths are in the desk's folder, and
        ".xlsx" is added when the name has no such ending."""
        return self.output.path()

    def _update_buttons(self) -> None:
        has_path = bool(self.output_edit.text().strip())
        has_agency = self.kind() == REGISTER or self.agency_combo.count() > 0
        self.export_button.setEnabled(has_path and has_agency)
        self.export_button.setToolTip(
            ""
            if has_path and has_agency
            else "Choose the file to write"
            if not has_path
            else "The desk has no ministry to export a return for"
        )

    def accept(self) -> None:
        """Close with the choices, once the output file can be written."""
        if not self.export_button.isEnabled():
            return
        if self.output.checked_path(self) is not None:
            super().accept()
