"""The merge wizard's first page: the changes file, who sent it, and whether this
desk may read it — the sending laptop's key fingerprint, confirmed on first contact
as SSH does; a revoked key, or a laptop now signing with another key, refused in a
sentence; the passphrase of an encrypted file.

It only shows and asks: :mod:`nsdesk.ui.merge.merge_wizard` moves on, and
:mod:`nsdesk.ui.merge.merge_flow` reads the file (``examine_changes``)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from nsdesk.domain.changes_errors import PassphraseError, UnknownKeyError
from nsdesk.exchange.changes import SUFFIX, KeyState
from nsdesk.ui import wording
from nsdesk.ui.merge.merge_words import counts_text
from nsdesk.ui.widgets.dialog_style import heading_label, note_label, section_label, text_label
from nsdesk.ui.widgets.form_parts import buddy, stacked
from nsdesk.ui.widgets.inline_error import InlineError

if TYPE_CHECKING:
    from nsdesk.services.merge.changes_files import ChangesReport

REFUSED_STYLE = "QLabel { color: #d93025; }"  # readable on light and dark backgrounds

#: Chooses a changes file to read: (parent, title, folder) -> the path, or None.
OpenChooser = Callable[[QWidget, str, Path], Path | None]


def fingerprint_font_label() -> QLabel:
    """A fingerprint, large and in a fixed-width font, to compare group by group."""
    label = text_label()
    font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
    font.setPointSizeF(label.font().pointSizeF() * 1.3)
    font.setBold(True)
    label.setFont(font)
    return label


class VerifyPage(QWidget):
    """Page 1: the file, its sender, its key and its counts (see module docstring)."""

    changed = Signal()
    """What the page allows may have changed (a path typed, the trust box ticked)."""
    chosen = Signal()
    """The user chose a file in the file dialog (Return in a field is the wizard's
    default button, Next, which reads it)."""

    def __init__(self, *, folder: Path, choose_file: OpenChooser | None = None):
        super().__init__()
        self.folder = folder
        self._choose_file = choose_file
        self.report: ChangesReport | None = None
        self.earlier: Sequence[str] = ()
        self.path_edit = QLineEdit()
        self.path_edit.setAccessibleName("Changes file to merge")
        self.path_edit.setAccessibleDescription(f"The {SUFFIX} file another laptop sent")
        self.path_edit.textEdited.connect(self._path_edited)
        self.browse_button = QPushButton("&Browse…")
        self.browse_button.setAutoDefault(False)
        self.browse_button.clicked.connect(self.browse)
        self.refusal = InlineError(self.path_edit, "Changes file")
        row = QHBoxLayout()
        row.addWidget(self.path_edit, 1)
        row.addWidget(self.browse_button)

        self.passphrase_edit = QLineEdit()
        self.passphrase_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase_edit.setAccessibleName("Passphrase of the changes file")
        self.passphrase_edit.textEdited.connect(lambda _: self.changed.emit())
        self.passphrase_label = buddy("&Passphrase:", self.passphrase_edit)
        self.passphrase_note = note_label(
            "The file is encrypted: type the passphrase its sender chose (they tell it to "
            "you apart from the file)."
        )

        self.sender_label = text_label()
        self.sender_label.setAccessibleName("Who sent the file")
        self.fingerprint_label = fingerprint_font_label()
        self.fingerprint_label.setAccessibleName("The sending laptop's key fingerprint")
        self.trust_label = text_label()
        self.trust_label.setAccessibleName("What this desk says of the key")
        self._plain_style = self.trust_label.styleSheet()
        self.trust_check = QCheckBox(
            "I &compared this fingerprint with the one the sender's nsdesk shows, group by "
            "group: trust this laptop"
        )
        self.trust_check.toggled.connect(lambda _: self.changed.emit())
        self.counts_label = text_label()
        self.counts_label.setAccessibleName("What the file holds")

        form = QFormLayout()
        form.addRow(buddy("Changes &file:", self.path_edit), stacked(row, self.refusal))
        form.addRow(self.passphrase_label, stacked(self.passphrase_edit, self.passphrase_note))
        self.details = QWidget()
        details = QVBoxLayout(self.details)
        details.setContentsMargins(0, 8, 0, 0)
        details.addWidget(section_label("Who sent it"))
        details.addWidget(self.sender_label)
        details.addWidget(section_label("The sending laptop's key"))
        details.addWidget(self.fingerprint_label)
        details.addWidget(self.trust_label)
        details.addWidget(self.trust_check)
        details.addWidget(section_label("What it holds"))
        details.addWidget(self.counts_label)

        layout = QVBoxLayout(self)
        layout.addWidget(heading_label("Merge changes from another laptop"))
        layout.addWidget(
            note_label(
                "Choose the changes file another officer sent. nsdesk checks who signed it "
                "and shows what it would change before anything is merged."
            )
        )
        layout.addLayout(form)
        layout.addWidget(self.details)
        layout.addStretch(1)
        self._show_passphrase(False)
        self.details.hide()

    # -- the file -----------------------------------------------------------------------
    def path(self) -> Path:
        return Path(self.path_edit.text().strip()).expanduser()

    def has_path(self) -> bool:
        return bool(self.path_edit.text().strip())

    def set_path(self, path: Path) -> None:
        self.path_edit.setText(str(path))
        self._forget()

    def browse(self) -> None:
        """Choose the file in a file dialog, then read it."""
        folder = self.path().parent if self.has_path() else self.folder
        if self._choose_file is not None:
            chosen = self._choose_file(self, "Merge changes from", folder)
        else:
            text, _ = QFileDialog.getOpenFileName(
                self, "Merge changes from", str(folder), f"Changes files (*{SUFFIX});;All files (*)"
            )
            chosen = Path(text) if text else None
        if chosen:
            self.set_path(Path(chosen))
            self.chosen.emit()

    def _path_edited(self) -> None:
        self._forget()

    def _forget(self) -> None:
        self.report = None
        self.refusal.clear_message()
        self.details.hide()
        self.passphrase_edit.clear()
        self._show_passphrase(False)
        self.trust_check.setChecked(False)
        self.changed.emit()

    def passphrase(self) -> str | None:
        """The passphrase typed for an encrypted file (None: none, or not encrypted)."""
        report = self.report
        encrypted = (
            report is not None
            and report.envelope is not None
            and (report.envelope.encryption is not None)
        )
        return (self.passphrase_edit.text() or None) if encrypted else None

    def _show_passphrase(self, shown: bool) -> None:
        for widget in (self.passphrase_label, self.passphrase_edit, self.passphrase_note):
            widget.setVisible(shown)

    # -- what the file is ----------------------------------------------------------------
    def show_refusal(self, text: str) -> None:
        """The file cannot be read at all: say why, under the field."""
        self.report = None
        self.details.hide()
        self.refusal.show_message(wording.as_sentence(text))
        self.changed.emit()

    def show_examined(self, report: ChangesReport, earlier: Sequence[str]) -> None:
        """Show what ``report`` found; ``earlier`` are the keys the sending laptop
        signed this desk's earlier merges with (a different one now is refused)."""
        self.report = report
        self.earlier = tuple(earlier)
        self.refusal.clear_message()
        envelope = report.envelope
        if envelope is None:  # not intact: nothing it says is believed
            self.show_refusal(str(report.refusal or "the file cannot be read"))
            return
        self.details.show()
        encrypted = envelope.encryption is not None
        self._show_passphrase(encrypted)
        summary = report.summary
        sent = envelope.created_at.replace("T", " ").split("+")[0]
        if summary is not None:
            self.sender_label.setText(
                f"{summary.sender_label}, on {sent} UTC"
                + (" (encrypted with a passphrase)" if encrypted else "")
            )
            self.counts_label.setText(
                f"{wording.sentence_case(counts_text(summary.counts))}. It carries records "
                f"marked up to {envelope.marking}."
            )
        else:
            self.sender_label.setText(f"A laptop, on {sent} UTC (encrypted: its name is inside)")
            self.counts_label.setText(
                f"Encrypted: the counts are inside. It carries records marked up to "
                f"{envelope.marking}."
            )
        self.fingerprint_label.setText(report.fingerprint or "")
        self.trust_check.setVisible(False)
        refused = self.changed_key() or self.revoked()
        self.trust_label.setStyleSheet(REFUSED_STYLE if refused else self._plain_style)
        if self.changed_key():
            self.trust_label.setText(
                "This laptop signed the files merged before with another key "
                f"({', '.join(self.earlier)}). nsdesk does not accept a changed key from "
                "here: if the laptop was really replaced, revoke its old key and trust the "
                "new one deliberately (nsdesk changes trust). Nothing was changed."
            )
        elif report.trust is not None and report.trust.state is KeyState.TRUSTED:
            self.trust_label.setText(f"This desk knows this key: {report.trust.said}.")
        elif report.trust is not None and report.trust.state is KeyState.REVOKED:
            self.trust_label.setText(
                f"This key was revoked in this desk ({report.trust.said}): nothing it signs "
                "is accepted. Nothing was changed."
            )
        elif self.unknown_key():
            self.trust_label.setText(
                "This desk has never received a file signed by this key. Ask the sender to "
                "read out the fingerprint their nsdesk shows (File ▸ Send changes…), and "
                "compare. Trust it only if every group is the same."
            )
            self.trust_check.setVisible(True)
        refusal = report.refusal
        if refusal is not None and not self.unknown_key() and not refused:
            self.refusal.show_message(wording.as_sentence(refusal.problem))
        self.changed.emit()

    def unknown_key(self) -> bool:
        """Whether the file is refused only until its key is trusted."""
        return self.report is not None and isinstance(self.report.refusal, UnknownKeyError)

    def revoked(self) -> bool:
        report = self.report
        return bool(report and report.trust and report.trust.state is KeyState.REVOKED)

    def changed_key(self) -> bool:
        """Whether a laptop heard from before now signs with another key."""
        report = self.report
        return bool(
            report is not None
            and self.unknown_key()
            and self.earlier
            and report.fingerprint not in self.earlier
        )

    def needs_passphrase(self) -> bool:
        """Whether the file is encrypted and not yet opened with its passphrase."""
        report = self.report
        if report is None or report.envelope is None or report.envelope.encryption is None:
            return False
        return report.summary is None or isinstance(report.refusal, PassphraseError)

    def problem(self) -> str | None:
        """Why the file cannot be merged as it stands (None: it can)."""
        report = self.report
        if report is None:
            return "Choose the changes file first."
        if self.needs_passphrase():
            if isinstance(report.refusal, PassphraseError):
                return report.refusal.problem
            return None if self.passphrase_edit.text() else "Type the passphrase."
        if self.changed_key():
            return "the sending laptop signs with another key than before"
        if self.unknown_key():
            return None if self.trust_check.isChecked() else "Confirm the fingerprint first."
        if report.refusal is not None:
            return report.refusal.problem
        return None

    def trust_to_confirm(self) -> str | None:
        """The fingerprint the user confirmed, to trust before merging (None: none)."""
        report = self.report
        if report is None or not self.unknown_key() or not self.trust_check.isChecked():
            return None
        return report.fingerprint

    def sender_name(self) -> str | None:
        report = self.report
        return report.summary.sender_label if report and report.summary else None

    def set_busy(self, busy: bool) -> None:
        for widget in (self.path_edit, self.browse_button, self.passphrase_edit, self.trust_check):
            widget.setEnabled(not busy)
