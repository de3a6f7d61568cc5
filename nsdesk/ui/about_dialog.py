"""Help ▸ About: what this copy of nsdesk is (version, catalogue, desk schema, the
libraries it runs on) and where it keeps the user's things (the desk's folder, its
backups, the log), each folder with a button that opens it.

"Copy details" puts the same lines ``nsdesk --version`` prints on the clipboard,
for a message to whoever helps the delegation.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QUrl, qVersion
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from nsdesk.domain.private_files import make_private_folders
from nsdesk.services.backups.backups import backup_folder
from nsdesk.services.install.about import AppFolders, AppIdentity, app_folders, app_identity
from nsdesk.ui.context import AppContext
from nsdesk.ui.icons import app_icon
from nsdesk.ui.message_box import open_message
from nsdesk.ui.widgets.dialog_style import (
    fit_to_text,
    heading_label,
    note_label,
    section_label,
    text_label,
)
from nsdesk.ui.wording import as_sentence, error_text

DESCRIPTION = (
    "An offline desk for a national delegation to the nuclear-security process: "
    "commitments, gift baskets, instruments, briefing packs and ministry workbooks."
)


class AboutDialog(QDialog):
    def __init__(self, identity: AppIdentity, folders: AppFolders, parent: QWidget | None = None):
        super().__init__(parent)
        self.identity = identity
        self.setWindowTitle("About nsdesk")
        self.open_buttons: dict[str, QPushButton] = {}

        logo = QLabel()
        logo.setPixmap(app_icon().pixmap(64, 64))
        title = QVBoxLayout()
        title.addWidget(heading_label(f"nsdesk {identity.version}"))
        title.addWidget(text_label(DESCRIPTION))
        top = QHBoxLayout()
        top.addWidget(logo)
        top.addLayout(title, 1)

        # One grid for both parts, so their labels and values line up.
        grid = QGridLayout()
        grid.setColumnStretch(1, 1)
        grid.addWidget(section_label("This copy"), 0, 0, 1, 3)
        row = 1
        for label, value in identity.facts():
            grid.addWidget(QLabel(f"{label}:"), row, 0)
            grid.addWidget(text_label(value), row, 1, 1, 2)
            row += 1
        grid.setRowMinimumHeight(row, 12)
        grid.addWidget(section_label("Where nsdesk keeps things"), row + 1, 0, 1, 3)
        row += 2
        for key, label, path in (
            ("desk", "Desk folder", folders.desks),
            ("backups", "Backups", folders.backups),
            ("logs", "Logs", folders.logs),
        ):
            shown = text_label(str(path))
            shown.setToolTip(str(path))
            button = QPushButton("Open")
            button.setToolTip(f"Open {path} in the file manager")
            button.clicked.connect(lambda _=False, p=path, what=label: self.open_folder(p, what))
            self.open_buttons[key] = button
            grid.addWidget(QLabel(f"{label}:"), row, 0)
            grid.addWidget(shown, row, 1)
            grid.addWidget(button, row, 2)
            row += 1

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.copy_button = buttons.addButton("Copy details", QDialogButtonBox.ButtonRole.ActionRole)
        self.copy_button.clicked.connect(self.copy_details)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addSpacing(6)
        layout.addLayout(grid)
        layout.addWidget(note_label("Backups and logs stay on this computer; nothing is sent."))
        layout.addWidget(buttons)
        fit_to_text(self, 620)

    def details_text(self) -> str:
        return "\n".join(self.identity.lines())

    def copy_details(self) -> None:
        QGuiApplication.clipboard().setText(self.details_text())
        self.copy_button.setText("Copied")

    def open_folder(self, path: Path, what: str) -> bool:
        """Open ``path`` in the file manager (made first if nothing was kept there yet)."""
        try:
            make_private_folders(path)  # it holds desks' copies and the log: owner-only
        except OSError as error:
            open_message(
                self, "Folder not available", f"{what}: {path}", as_sentence(error_text(error))
            )
            return False
        if QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))):
            return True
        open_message(
            self,
            "Folder not opened",
            f"No file manager opened {path}.",
            "The path can be selected and copied from this window.",
        )
        return False


def show_about(context: AppContext, parent: QWidget) -> AboutDialog:
    """Help ▸ About, for the desk open in ``context`` (if any)."""
    desk = context.desk
    file_desk = desk is not None and desk.is_file  # a server desk has no file or backups
    backups = (
        backup_folder(desk.info().uuid, desk.path, desk.backups_root)
        if desk is not None and file_desk
        else None
    )
    dialog = AboutDialog(
        app_identity(qt_version=qVersion()),
        app_folders(desk.path if desk is not None and file_desk else None, backups),
        parent,
    )
    dialog.finished.connect(dialog.deleteLater)
    dialog.open()
    return dialog
