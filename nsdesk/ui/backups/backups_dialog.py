"""File ▸ Backups…: the open desk's backups, a backup on demand, and restore.

Restoring replaces the open desk, so the dialog only asks for it
(:attr:`BackupsDialog.restore_requested`, after the user confirmed); the app
closes the desk, restores in the background, reopens it and reports back with
:meth:`BackupsDialog.restore_finished`.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from nsdesk.domain.private_files import make_private_folders
from nsdesk.services.backups.backups import (
    PERIODIC_MINUTES,
    BackupReason,
    audit_high_water,
    backup_folder,
    list_backups,
    take_backup,
)
from nsdesk.ui import wording
from nsdesk.ui.backups.backup_words import refusal_text
from nsdesk.ui.backups.backups_table_model import (
    COL_CHECKED,
    COL_REASON,
    COL_RECORDS,
    COL_SIZE,
    COL_TAKEN,
    BackupsTableModel,
)
from nsdesk.ui.message_box import confirm
from nsdesk.ui.widgets.dialog_style import heading_label, note_label, text_label
from nsdesk.ui.widgets.sizing import fit_to_screen
from nsdesk.ui.widgets.table_view import list_table

if TYPE_CHECKING:
    from nsdesk.services.backups.backups import BackupInfo
    from nsdesk.ui.background import Background

# The widest text each column normally holds.
_COLUMN_SAMPLES = {
    COL_TAKEN: "Wed 30 Sep 2026, 23:59",
    COL_SIZE: "1,000.0 MB",
    COL_RECORDS: "Records 000,000",
    COL_CHECKED: "Not verified",
}


def restore_question(backup: BackupInfo, changes: int | None) -> str:
    """What restoring ``backup`` does, for the confirmation."""
    moment = wording.full_when(backup.taken_at)
    if changes:
        lost = (
            f"The {wording.count(changes, 'change')} recorded after {moment} are not in this "
            "backup; they stay in the copy kept aside."
        )
    else:
        lost = "Nothing recorded in the desk since then is missing from this backup."
    return (
        f"Replace the desk with the backup of {moment}?\n\n"
        "nsdesk first keeps the desk as it is now as a backup of its own, listed here as "
        f"“{wording.reason_text('replaced-by-restore')}”: restoring that one undoes this "
        f"restore.\n\n{lost}\n\n"
        "The desk is closed while the backup is restored, then opened again."
    )


class BackupsDialog(QDialog):
    """The backups of one desk, newest first, with "Back up now", "Restore…" and
    "Show folder". Restore is offered only on a desk open for editing."""

    restore_requested = Signal(object)
    """The user confirmed restoring this :class:`~nsdesk.services.backups.backups.BackupInfo`."""
    backed_up = Signal(object)
    """"Back up now" took this :class:`~nsdesk.services.backups.backups.BackupInfo`."""

    def __init__(
        self,
        desk_path: Path,
        *,
        background: Background,
        desk_uuid: str | None = None,
        read_only_reason: str | None = None,
        backups_root: Path | None = None,
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.desk_path = desk_path
        self.background = background
        self.backups_root = backups_root
        self.read_only_reason = read_only_reason
        self.folder = backup_folder(desk_uuid, desk_path, backups_root)
        self.busy = False
        self.setWindowTitle(f"Backups of {desk_path.name} — nsdesk")
        fit_to_screen(self, 760, 460)

        self.heading_label = heading_label(f"Backups of {desk_path.name}")
        self.intro_label = text_label(
            f"nsdesk backs up this desk when it is opened and every {PERIODIC_MINUTES} minutes "
            "while it has changes. Each backup is checked when it is taken. Older ones are "
            "thinned out over time (recent, then one a day, then one a month)."
        )
        self.folder_label = note_label(f"Kept in {self.folder}")

        self.model = BackupsTableModel(self)
        self.table = list_table(
            self.model,
            name="Backups",
            samples=_COLUMN_SAMPLES,
            stretch=COL_REASON,
            single_selection=True,
        )
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        self.table.doubleClicked.connect(lambda _index: self.ask_restore())

        self.status_label = text_label()
        self.status_label.setAccessibleName("Backup status")

        self.backup_button = QPushButton("Back up now")
        self.backup_button.clicked.connect(self.back_up_now)
        self.restore_button = QPushButton("Restore…")
        self.restore_button.clicked.connect(self.ask_restore)
        self.folder_button = QPushButton("Show folder")
        self.folder_button.clicked.connect(self.show_folder)
        self.close_button = QPushButton("Close")
        self.close_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.backup_button)
        buttons.addWidget(self.restore_button)
        buttons.addWidget(self.folder_button)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)

        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        layout.addWidget(self.heading_label)
        layout.addWidget(self.intro_label)
        layout.addWidget(self.folder_label)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.status_label)
        layout.addLayout(buttons)
        self.refresh()
        if read_only_reason:
            self._say(
                "Restoring needs the desk open for editing, and it is read-only: "
                f"{read_only_reason.rstrip('.')}."
            )

    def refresh(self) -> None:
        """Read the list of backups again and select the newest."""
        self.model.set_rows(list_backups(self.desk_path, root=self.backups_root))
        if self.model.rowCount():
            self.table.selectRow(0)
        elif not self.status_label.text():
            self._say("This desk has no backup yet.")
        self._update_buttons()

    def selected_backup(self) -> BackupInfo | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

    def back_up_now(self) -> None:
        """Take a verified backup in the background; the list shows it when done."""
        path, root = self.desk_path, self.backups_root
        self._set_busy("Backing up…")
        self.background.run(
            lambda: take_backup(path, BackupReason.MANUAL, root=root),
            self._backed_up,
            self._backup_failed,
        )

    def _backed_up(self, info: BackupInfo) -> None:
        self.busy = False
        self._say(
            f"Backed up at {wording.clock(info.taken_at)}: "
            f"{wording.count(info.record_count, 'record')}, checked and sound."
        )
        self.refresh()
        self.backed_up.emit(info)

    def _backup_failed(self, error: BaseException) -> None:
        self.busy = False
        self._say(f"No backup was taken: {refusal_text(error)}")
        self._update_buttons()

    def ask_restore(self) -> None:
        """Confirm restoring the selected backup, then ask the app to do it."""
        backup = self.selected_backup()
        if backup is None or not self.restore_button.isEnabled():
            return
        try:
            changes: int | None = max(0, audit_high_water(self.desk_path) - backup.audit_high_water)
        except Exception:  # the question is still worth asking without the number
            changes = None
        if not confirm(self, "Restore this backup?", restore_question(backup, changes), "Restore"):
            return
        self._set_busy(
            f"Restoring the backup of {wording.full_when(backup.taken_at)}: the desk is "
            "closed, replaced, and opened again…"
        )
        self.restore_requested.emit(backup)

    def restore_finished(self, message: str) -> None:
        """The app restored (or could not): say so and show the list as it is now."""
        self.busy = False
        self._say(message)
        self.refresh()

    def show_folder(self) -> None:
        make_private_folders(self.folder)  # where the desk's copies go: owner-only
        if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.folder))):
            self._say(f"The folder could not be opened here; it is {self.folder}")

    def _set_busy(self, text: str) -> None:
        self.busy = True
        self._say(text)
        self._update_buttons()

    def _say(self, text: str) -> None:
        self.status_label.setText(text)

    def _update_buttons(self) -> None:
        self.backup_button.setEnabled(not self.busy)
        can_restore = not self.busy and not self.read_only_reason
        self.restore_button.setEnabled(can_restore and self.selected_backup() is not None)
        self.restore_button.setToolTip(
            "Restoring needs the desk open for editing." if self.read_only_reason else ""
        )
