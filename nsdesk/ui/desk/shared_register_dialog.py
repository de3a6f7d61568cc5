"""File ▸ Open a shared register…: where the register is (a host or a socket folder,
port, database), who logs in, and how the connection is secured — never a password.

The password, when the server wants one and libpq's pgpass file has none, is asked
for each time the register is opened (:func:`ask_password`) and kept in memory only.
The dialog can also save what was entered as a connection file (``.nsdesk-server``)
to hand to colleagues. Every field is reached with Tab, every button has its
underlined letter; Return opens, Escape cancels.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QIntValidator
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from nsdesk.domain.errors import NsdeskError
from nsdesk.domain.location import SERVER_FILE_SUFFIX, ServerAddress, server_file_text
from nsdesk.ui.wording import as_sentence, error_text

#: The TLS modes offered, strictest first, with what each means to the officer.
TLS_MODES = (
    ("verify-full", "TLS, checking the certificate and the name (recommended)"),
    ("verify-ca", "TLS, and check the server's certificate"),
    ("require", "TLS, without checking the certificate"),
    ("prefer", "TLS when the server offers it"),
    ("disable", "No TLS (only on this computer or a trusted network)"),
)


class SharedRegisterDialog(QDialog):
    """Asks where a shared register is; :meth:`address` is what was entered."""

    def __init__(self, initial: ServerAddress | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Open a shared register")
        self.setMinimumWidth(620)
        self.host_edit = QLineEdit()
        self.host_edit.setPlaceholderText("registers.ministry.example, or /run/postgresql")
        self.port_edit = QLineEdit()
        self.port_edit.setValidator(QIntValidator(1, 65535, self))
        self.port_edit.setPlaceholderText("5432")
        self.database_edit = QLineEdit()
        self.database_edit.setPlaceholderText("nsdesk")
        self.user_edit = QLineEdit()
        self.user_edit.setPlaceholderText("your login name on this computer")
        self.tls_combo = QComboBox()
        for mode, words in TLS_MODES:
            self.tls_combo.addItem(f"{mode} — {words}", mode)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for text, widget in (
            ("&Host or socket folder:", self.host_edit),
            ("&Port:", self.port_edit),
            ("&Database:", self.database_edit),
            ("&User:", self.user_edit),
            ("&TLS:", self.tls_combo),
        ):
            label = QLabel(text)
            label.setBuddy(widget)
            form.addRow(label, widget)
        note = QLabel(
            "No password is asked for here, and none is ever stored: nsdesk asks for it "
            "each time you open the register, unless your pgpass file holds it."
        )
        note.setWordWrap(True)
        self.error_label = QLabel()
        self.error_label.setWordWrap(True)
        self.error_label.setTextFormat(Qt.TextFormat.PlainText)
        self.error_label.setStyleSheet("QLabel { color: #a50e0e; }")
        self.error_label.hide()
        buttons = QDialogButtonBox()
        self.open_button = buttons.addButton("&Open", QDialogButtonBox.ButtonRole.AcceptRole)
        self.save_button = buttons.addButton(
            "&Save as connection file…", QDialogButtonBox.ButtonRole.ActionRole
        )
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.open_button.setDefault(True)
        self.open_button.clicked.connect(self._open)
        self.save_button.clicked.connect(self._save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(self.error_label)
        layout.addWidget(buttons)
        self.saved_to: Path | None = None
        if initial is not None:
            self.show_address(initial)
        self.host_edit.setFocus()

    def show_address(self, address: ServerAddress) -> None:
        """Fill the fields from ``address`` (the register opened last)."""
        self.host_edit.setText(address.host or "")
        self.port_edit.setText(str(address.port) if address.port else "")
        self.database_edit.setText(address.database)
        self.user_edit.setText(address.user or "")
        index = self.tls_combo.findData(address.sslmode or "verify-full")
        self.tls_combo.setCurrentIndex(max(index, 0))

    def address(self) -> ServerAddress | None:
        """What was entered, or ``None`` with the reason shown when a field is missing."""
        database = self.database_edit.text().strip()
        if not database:
            self._say("Database: expected the register's database name (IT gives it).")
            self.database_edit.setFocus()
            return None
        self.error_label.hide()
        port = self.port_edit.text().strip()
        return ServerAddress(
            database,
            host=self.host_edit.text().strip() or None,
            port=int(port) if port else None,
            user=self.user_edit.text().strip() or None,
            sslmode=self.tls_combo.currentData(),
        )

    def _say(self, text: str) -> None:
        self.error_label.setText(text)
        self.error_label.show()

    def _open(self) -> None:
        if self.address() is not None:
            self.accept()

    def _save(self) -> None:
        address = self.address()
        if address is None:
            return
        name, _ = QFileDialog.getSaveFileName(
            self,
            "Save a connection file",
            f"{address.database}{SERVER_FILE_SUFFIX}",
            f"nsdesk connection files (*{SERVER_FILE_SUFFIX})",
        )
        if name:
            self.save_to(Path(name), address)

    def save_to(self, path: Path, address: ServerAddress) -> None:
        """Write ``address`` as a connection file at ``path`` (no password in it)."""
        if path.suffix != SERVER_FILE_SUFFIX:
            path = path.with_name(path.name + SERVER_FILE_SUFFIX)
        try:
            path.write_text(server_file_text(address), "utf-8")
        except (OSError, NsdeskError) as error:
            self._say(f"{path}: {as_sentence(error_text(error))}")
            return
        self.saved_to = path
        self._say(f"Saved {path}: open it in nsdesk, or hand it to a colleague.")
        self.error_label.setStyleSheet("QLabel { color: palette(text); }")


def ask_password(parent: QWidget, address: ServerAddress, why: str) -> str | None:
    """Ask for the password of ``address``'s login (hidden as typed); ``None`` when
    the officer cancels. ``why`` is what the server said."""
    who = address.user or "your login"
    text, ok = QInputDialog.getText(
        parent,
        "Password for the shared register",
        f"{as_sentence(why)}\n\nPassword of {who} for the register on {address.register} "
        "(kept only until nsdesk closes):",
        QLineEdit.EchoMode.Password,
    )
    return text if ok else None
