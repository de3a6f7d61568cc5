"""The main window: shows at once, then the desk when it has been opened.

It imports only Qt and the lightweight UI modules, so it can paint before the
store (SQLAlchemy) is even imported; :mod:`nsdesk.app` opens the desk after the
first paint and hands the window a read model. The views that show a desk (and
the dialogs) are built when first needed: the first paint shows only a message.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QLabel, QMainWindow, QStackedWidget

from nsdesk import __version__

if TYPE_CHECKING:
    from nsdesk.services.overview import DeskOverview
    from nsdesk.ui.desk_overview_view import DeskOverviewView

APP_TITLE = "nsdesk"
NO_DESK_MESSAGE = (
    "No desk is open.\n\nUse File ▸ Open desk… (Ctrl+O), or create one with\n"
    "nsdesk init NAME.nsdesk --state ISO3   or   nsdesk demo NAME.nsdesk"
)


class MainWindow(QMainWindow):
    """The one main window of the app."""

    desk_requested = Signal(Path)
    """The user chose a desk file to open."""
    backups_requested = Signal()
    """The user asked for the open desk's backups (File ▸ Backups…)."""

    def __init__(self, *, shortcuts: bool = True) -> None:
        """``shortcuts=False`` leaves the keyboard shortcuts to :meth:`add_shortcuts`:
        the first shortcut set wakes PySide6's Qt namespace (~25 ms), which the app
        would rather pay after the first paint, when the desk's views pay it anyway."""
        super().__init__()
        self.setWindowTitle(APP_TITLE)
        self.resize(1180, 760)
        self.message_label = QLabel()
        # Set through Qt properties rather than Qt.AlignmentFlag/Qt.TextFormat: the
        # first use of PySide6's Qt namespace costs 16 ms, and this label is what
        # the first paint shows. Plain text: a path is never read as markup.
        self.message_label.setStyleSheet(
            "QLabel { qproperty-alignment: AlignCenter; qproperty-textFormat: PlainText; "
            "qproperty-wordWrap: true; }"
        )
        self._overview_view: DeskOverviewView | None = None
        self._desk_title: str | None = None  # the window title while a desk is shown
        self.pages = QStackedWidget()
        self.pages.addWidget(self.message_label)
        self.setCentralWidget(self.pages)
        self._build_menus()
        if shortcuts:
            self.add_shortcuts()
        self.desk_status = QLabel()
        self.statusBar().addPermanentWidget(self.desk_status)

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        self.open_action = QAction("&Open desk…", self)
        self.open_action.triggered.connect(self._choose_desk)
        file_menu.addAction(self.open_action)
        self.backups_action = QAction("&Backups…", self)
        self.backups_action.setStatusTip("The open desk's backups: back up now, or restore one")
        self.backups_action.setEnabled(False)
        self.backups_action.triggered.connect(lambda: self.backups_requested.emit())
        file_menu.addAction(self.backups_action)
        file_menu.addSeparator()
        self.quit_action = QAction("&Quit", self)
        self.quit_action.triggered.connect(self.close)
        file_menu.addAction(self.quit_action)
        help_menu = self.menuBar().addMenu("&Help")
        about_action = QAction("&About nsdesk", self)
        about_action.triggered.connect(self._about)
        help_menu.addAction(about_action)

    def add_shortcuts(self) -> None:
        self.open_action.setShortcut(QKeySequence.StandardKey.Open)
        self.backups_action.setShortcut(QKeySequence("Ctrl+Shift+B"))
        # Not StandardKey.Quit: it is empty on some Linux desktops, and the Quit
        # item should say its key everywhere.
        self.quit_action.setShortcut(QKeySequence("Ctrl+Q"))

    @property
    def overview_view(self) -> DeskOverviewView:
        """The desk overview, built the first time a desk is shown."""
        if self._overview_view is None:
            from nsdesk.ui.desk_overview_view import DeskOverviewView

            self._overview_view = DeskOverviewView()
            self.pages.addWidget(self._overview_view)
        return self._overview_view

    def show_message(self, text: str) -> None:
        """Show a full-window message (opening…, no desk, could not open)."""
        self.message_label.setText(text)
        self.pages.setCurrentWidget(self.message_label)

    def show_opening(self, path: Path) -> None:
        self.setWindowTitle(f"{path.name} — {APP_TITLE}")
        self.show_message(f"Opening {path}…")

    def show_overview(
        self,
        overview: DeskOverview,
        *,
        warnings: Sequence[str] = (),
        read_only_reason: str | None = None,
    ) -> None:
        """Show a desk. ``warnings`` are the sentences the user must see about how it
        was opened (network share, unclean shutdown); ``read_only_reason`` says why
        a read-only desk is read-only."""
        info = overview.info
        marks = (" [DEMO]" if info.is_demo else "") + (" [read-only]" if overview.read_only else "")
        self._desk_title = f"{overview.path.name} — {info.own_state_name} — {APP_TITLE}{marks}"
        self.setWindowTitle(self._desk_title)
        self.desk_status.setText(
            f"{overview.path}  ·  {info.own_state_code}"
            + ("  ·  DEMO" if info.is_demo else "")
            + ("  ·  read-only" if overview.read_only else "")
        )
        self.overview_view.show_overview(
            overview, warnings=warnings, read_only_reason=read_only_reason
        )
        self.pages.setCurrentWidget(self.overview_view)
        self.backups_action.setEnabled(True)
        self.statusBar().clearMessage()  # what was said was about the desk shown before
        self.statusBar().setToolTip("")

    def back_to_desk(self) -> bool:
        """Show again the desk shown before (another open was refused or cancelled);
        False, changing nothing, if no desk was shown."""
        if self._desk_title is None:
            return False
        self.setWindowTitle(self._desk_title)
        self.pages.setCurrentWidget(self.overview_view)
        return True

    def desk_closed(self, message: str) -> None:
        """The desk was closed (to be restored): say what is happening instead."""
        self._desk_title = None
        self.backups_action.setEnabled(False)
        self.show_message(message)

    def show_status(self, text: str, *, more: str = "") -> None:
        """A sentence in the status bar, kept until the next one; ``more`` (where
        the details are) shows when the pointer rests on it."""
        self.statusBar().showMessage(text)
        self.statusBar().setToolTip(f"{text}\n{more}" if more else text)

    def ask_open_read_only(self, path: Path, holder: str) -> bool:
        """The desk is open for editing elsewhere: may nsdesk open it read-only?"""
        from PySide6.QtWidgets import QMessageBox

        box = QMessageBox(
            QMessageBox.Icon.Question,
            "Desk open elsewhere",
            f"This desk is open for editing by {holder}.\n\nOpen it read-only? You can read "
            "everything in it, but nothing can be changed until it is closed there.",
            parent=self,
        )
        box.setInformativeText(str(path))
        read_only = box.addButton("Open read-only", QMessageBox.ButtonRole.AcceptRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(read_only)
        box.exec()
        return box.clickedButton() is read_only

    def show_error(self, title: str, text: str) -> None:
        from PySide6.QtWidgets import QMessageBox

        self.show_message(f"{title}\n\n{text}")
        QMessageBox.warning(self, title, text)

    def _choose_desk(self) -> None:
        from PySide6.QtWidgets import QFileDialog

        path, _ = QFileDialog.getOpenFileName(
            self, "Open desk", "", "nsdesk desks (*.nsdesk);;All files (*)"
        )
        if path:
            self.desk_requested.emit(Path(path))

    def _about(self) -> None:
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.about(
            self,
            "About nsdesk",
            f"nsdesk {__version__}\n\nAn offline desk for a national delegation to the "
            "nuclear-security process.",
        )
