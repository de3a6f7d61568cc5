"""File ▸ Send changes…: what to send, up to which marking, an optional passphrase,
and where — with the warning, before anything is saved, that a changes file carries
records up to the highest marking inside, naming that marking.

The dialog only asks (and reads what a send would carry, through the ``preview``
callable it is given, in the background). :mod:`nsdesk.ui.merge.merge_flow` writes
the file. The name proposed is ``DESK-LAPTOP-DATE.nsdesk-changes`` in the documents
folder, until the user types or chooses another.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import date
from itertools import pairwise
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from nsdesk.exchange.changes import SUFFIX
from nsdesk.exchange.changes.model import MIN_PASSPHRASE
from nsdesk.ui import wording
from nsdesk.ui.merge.verify_page import fingerprint_font_label
from nsdesk.ui.widgets.dialog_style import fit_to_text, heading_label, note_label, text_label
from nsdesk.ui.widgets.form_parts import OutputFileField, SaveChooser, buddy, choose, stacked
from nsdesk.ui.widgets.inline_error import InlineError

if TYPE_CHECKING:
    from nsdesk.services.merge.send_preview import SendPreview
    from nsdesk.ui.background import Background

SendPreviewer = Callable[[bool, "str | None"], "SendPreview"]
"""(everything, ceiling or None for no ceiling) -> what a send would carry."""
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f\s@]+')


def default_file_name(desk_name: str, laptop: str, today: date) -> str:
    """``delegation-anna-laptop-2026-11-22.nsdesk-changes``."""
    words = [desk_name or "desk", laptop or "laptop"]
    name = "-".join(_UNSAFE.sub("-", w).strip(".-") or "desk" for w in words)
    return f"{name}-{today.isoformat()}{SUFFIX}"


class SendChangesDialog(QDialog):
    """What to send, the ceiling, a passphrase and the file (see module docstring)."""

    def __init__(
        self,
        *,
        preview: SendPreviewer,
        background: Background,
        levels: Sequence[tuple[str, str]],
        desk_name: str,
        laptop: str,
        today: date,
        folder: Path,
        choose_file: SaveChooser | None = None,
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self._preview = preview
        self.background = background
        self.levels = tuple(levels)
        self.found: SendPreview | None = None
        self._asked = 0  # the newest reading asked for: older answers are dropped
        self.setWindowTitle("Send changes — nsdesk")

        self.unseen_radio = QRadioButton("What the &others have not seen")
        self.unseen_radio.setAccessibleDescription(
            "The changes made since the other laptops last said what they hold"
        )
        self.everything_radio = QRadioButton("&Everything in the desk")
        self.everything_radio.setAccessibleDescription(
            "The whole history: for a laptop that starts from an older copy, or when unsure"
        )
        group = QButtonGroup(self)
        group.addButton(self.unseen_radio)
        group.addButton(self.everything_radio)
        self.unseen_radio.setChecked(True)

        self.ceiling_combo = QComboBox()
        self.ceiling_combo.setAccessibleName("Audience ceiling")
        for code, label in self.levels:
            self.ceiling_combo.addItem(f"{label} ({code})", code)
        if self.levels:
            choose(self.ceiling_combo, self.levels[-1][0])
        self.ceiling_note = note_label(
            "Records marked above this level stay on this laptop; a reference to one "
            "travels without its name."
        )

        self.passphrase_edit = QLineEdit()
        self.passphrase_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase_edit.setAccessibleName("Passphrase (optional)")
        self.again_edit = QLineEdit()
        self.again_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.again_edit.setAccessibleName("The passphrase again")
        self.passphrase_error = InlineError(self.again_edit, "Passphrase")
        self.passphrase_note = note_label(
            f"Optional, at least {MIN_PASSPHRASE} characters: the file is then encrypted. "
            "Tell it to the receiver apart from the file (by phone, not in the same e-mail)."
        )

        self.output = OutputFileField(
            desk_folder=folder,
            remembered_folder=None,
            suffix=SUFFIX,
            noun="the changes file",
            description=f"The changes file ({SUFFIX}) to write",
            button_text="&Browse…",
            file_filter=f"Changes files (*{SUFFIX})",
            chooser=choose_file,
        )
        self.output.propose(default_file_name(desk_name, laptop, today))
        self.output.edit.textChanged.connect(lambda *_: self._update_buttons())

        self.warning_label = text_label()
        self.warning_label.setAccessibleName("What the file will carry")
        font = self.warning_label.font()
        font.setBold(True)
        self.warning_label.setFont(font)
        self.fingerprint_label = fingerprint_font_label()
        self.fingerprint_label.setAccessibleName("This laptop's key fingerprint")

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.save_button = self.buttons.addButton("&Save", QDialogButtonBox.ButtonRole.AcceptRole)
        self.save_button.setAccessibleDescription("Write the changes file")
        self.save_button.setDefault(True)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self._lay_out()
        self.unseen_radio.toggled.connect(lambda _: self.read_again())
        self.ceiling_combo.currentIndexChanged.connect(lambda _: self.read_again())
        for edit in (self.passphrase_edit, self.again_edit):
            edit.textEdited.connect(lambda _: self.passphrase_error.clear_message())
        self.read_again()
        fit_to_text(self, 760)

    def _lay_out(self) -> None:
        what = QVBoxLayout()
        what.setContentsMargins(0, 0, 0, 0)
        what.addWidget(self.unseen_radio)
        what.addWidget(self.everything_radio)
        what_cell = QWidget()
        what_cell.setLayout(what)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        label = QLabel("What")
        label.setBuddy(self.unseen_radio)
        form.addRow(label, what_cell)
        form.addRow(
            buddy("Up to &marking", self.ceiling_combo),
            stacked(self.ceiling_combo, self.ceiling_note),
        )
        form.addRow(buddy("&Passphrase", self.passphrase_edit), self.passphrase_edit)
        form.addRow(
            buddy("Passphrase a&gain", self.again_edit),
            stacked(self.again_edit, self.passphrase_error, self.passphrase_note),
        )
        row = QHBoxLayout()
        row.addWidget(self.output.edit, 1)
        row.addWidget(self.output.button)
        form.addRow(buddy("Save &to", self.output.edit), stacked(row, self.output.error))
        layout = QVBoxLayout(self)
        layout.addWidget(heading_label("Send your changes to the other laptops"))
        layout.addWidget(
            note_label(
                "A changes file carries the edits made on this laptop (and those it merged) "
                "to the other copies of the desk, by USB stick or e-mail. The receiver "
                "merges it with File ▸ Merge changes…"
            )
        )
        layout.addLayout(form)
        layout.addWidget(self.warning_label)
        layout.addWidget(text_label("This laptop's key, which the receiver compares once:"))
        layout.addWidget(self.fingerprint_label)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        order = [
            self.unseen_radio,
            self.everything_radio,
            self.ceiling_combo,
            self.passphrase_edit,
            self.again_edit,
            self.output.edit,
            self.output.button,
            self.save_button,
            self.buttons.button(QDialogButtonBox.StandardButton.Cancel),
        ]
        for first, second in pairwise(order):
            QWidget.setTabOrder(first, second)

    # -- the choices ------------------------------------------------------------------------
    def everything(self) -> bool:
        return self.everything_radio.isChecked()

    def ceiling(self) -> str | None:
        """The ceiling chosen; None when it is the top level (nothing is left out)."""
        code = self.ceiling_combo.currentData()
        return None if not self.levels or code == self.levels[-1][0] else code

    def passphrase(self) -> str | None:
        return self.passphrase_edit.text() or None

    def output_path(self) -> Path:
        return self.output.path()

    def read_again(self) -> None:
        """Read what a send with these choices would carry (in the background)."""
        self._asked += 1
        asked = self._asked
        self.found = None
        self.warning_label.setText("Reading what the file would carry…")
        self._update_buttons()
        everything, ceiling = self.everything(), self.ceiling()
        self.background.run(
            lambda: self._preview(everything, ceiling),
            lambda found: self._read(asked, found),
            lambda error: self._not_read(asked, error),
        )

    def _read(self, asked: int, found: SendPreview) -> None:
        if asked != self._asked:
            return
        self.found = found
        self.fingerprint_label.setText(found.fingerprint)
        if not found.changes:
            self.warning_label.setText(
                "Nothing to send: the other laptops have said they hold every change of this "
                "desk. Choose “Everything in the desk” to send it all the same."
            )
        else:
            left = (
                f" {wording.count(found.withheld, 'record')} marked above the ceiling "
                f"{'stays' if found.withheld == 1 else 'stay'} here."
                if found.withheld
                else ""
            )
            self.warning_label.setText(
                f"This file will carry {wording.count(found.changes, 'change')} of records "
                f"marked up to {found.marking_label} ({found.marking}). Handle it, and the "
                f"stick or e-mail it travels on, as {found.marking_label}.{left}"
            )
        self._update_buttons()
        if self.isVisible():  # the warning's new text may need another line
            fit_to_text(self, max(self.width(), 760))

    def _not_read(self, asked: int, error: BaseException) -> None:
        if asked != self._asked:
            return
        reason = wording.error_text(error) if wording.is_refusal(error) else str(error)
        self.warning_label.setText(f"What the file would carry cannot be read: {reason}.")
        self._update_buttons()

    def _passphrase_problem(self) -> str | None:
        first, again = self.passphrase_edit.text(), self.again_edit.text()
        if not first and not again:
            return None
        if len(first) < MIN_PASSPHRASE:
            return f"A passphrase has at least {MIN_PASSPHRASE} characters."
        if first != again:
            return "The two passphrases differ: type the same one twice."
        return None

    def _update_buttons(self) -> None:
        ready = self.found is not None and self.found.changes > 0
        can = ready and self.output.has_text()
        self.save_button.setEnabled(can)
        self.save_button.setToolTip(
            ""
            if can
            else "Choose the file to write"
            if ready
            else "Nothing to send with these choices"
        )

    def accept(self) -> None:
        """Close with the choices, once the passphrase and the file are right."""
        if not self.save_button.isEnabled():
            return
        problem = self._passphrase_problem()
        if problem is not None:
            self.passphrase_error.show_message(problem)
            self.passphrase_edit.setFocus()
            return
        if self.output.checked_path(self) is not None:
            super().accept()
