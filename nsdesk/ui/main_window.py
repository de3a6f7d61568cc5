"""The main window: shows at once, then the desk when it has been opened.

It imports only Qt and the lightweight UI modules, so it can paint before the
store (SQLAlchemy) is even imported; :mod:`nsdesk.app` opens the desk after the
first paint. The desk's workspace (navigation, registers, dashboard) is built the
first time a desk is shown. Every action is in the menus, with its shortcut, and
the frequent ones in the toolbar (:mod:`nsdesk.ui.actions`).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QFileDialog, QLabel, QMainWindow, QMessageBox, QStackedWidget

from nsdesk.domain.errors import NsdeskError
from nsdesk.domain.location import DeskLocation, existing_desk_location
from nsdesk.ui.actions import WindowActions
from nsdesk.ui.undo_keys import UndoKeys
from nsdesk.ui.widgets.elided_label import ElidedLabel
from nsdesk.ui.wording import desk_name, error_text

if TYPE_CHECKING:
    from nsdesk.ui.records.desk_data import DeskData
    from nsdesk.ui.workspace.workspace_view import DeskWorkspace

APP_TITLE = "nsdesk"


class MainWindow(QMainWindow):
    """The one main window of the app."""

    desk_requested = Signal(object)
    """The user chose a desk to open (a file's Path, or a shared register's address)."""
    shared_register_requested = Signal()
    """File ▸ Open a shared register…"""
    backups_requested = Signal()
    """The user asked for the open desk's backups (File ▸ Backups…)."""
    about_requested = Signal()
    """Help ▸ About nsdesk"""
    new_desk_requested = Signal()
    """File ▸ New desk…"""
    demo_requested = Signal()
    """File ▸ Open the demo desk"""
    settings_requested = Signal()
    """File ▸ Desk settings…"""
    briefing_requested = Signal()
    """File ▸ Briefing pack… (Ctrl+P)"""
    export_requested = Signal()
    """File ▸ Export workbook… (Ctrl+E)"""
    import_requested = Signal()
    """File ▸ Import workbook… (Ctrl+I)"""
    import_history_requested = Signal()
    """File ▸ Import history…"""
    send_changes_requested = Signal()
    """File ▸ Send changes…"""
    merge_changes_requested = Signal()
    """File ▸ Merge changes…"""
    conflicts_requested = Signal()
    """File ▸ Conflicts… (and the status bar's badge)"""
    merge_history_requested = Signal()
    """File ▸ Merge history…"""
    search_requested = Signal()
    """Edit ▸ Search the desk… (Ctrl+K)"""
    desk_shown = Signal()
    """A desk has just been shown (the recent desks may have changed)."""

    def __init__(self, *, shortcuts: bool = True) -> None:
        """``shortcuts=False`` leaves the keyboard shortcuts to :meth:`add_shortcuts`:
        the first shortcut set wakes PySide6's Qt namespace (~25 ms), which the app
        would rather pay after the first paint, when the desk's views pay it anyway."""
        super().__init__()
        self.setWindowTitle(APP_TITLE)
        self.resize(1280, 800)
        self.message_label = QLabel()
        # Set through Qt properties rather than Qt.AlignmentFlag/Qt.TextFormat: the
        # first use of PySide6's Qt namespace costs 16 ms, and this label is what
        # the first paint shows. Plain text: a path is never read as markup.
        self.message_label.setStyleSheet(
            "QLabel { qproperty-alignment: AlignCenter; qproperty-textFormat: PlainText; "
            "qproperty-wordWrap: true; }"
        )
        self._workspace: DeskWorkspace | None = None
        self._desk_title: str | None = None  # the window title while a desk is shown
        self.undo_stack = QUndoStack(self)
        self.pages = QStackedWidget()
        self.pages.addWidget(self.message_label)
        self.setCentralWidget(self.pages)
        self.actions_ = WindowActions(self)
        self.undo_keys = UndoKeys(self)  # Ctrl+Z is the desk's where a field has none to undo
        if shortcuts:
            self.add_shortcuts()
        # Elided in the middle when the status bar is short of room (a long path on a
        # small screen, beside the badge of open conflicts); the whole in its tooltip.
        self.desk_status = ElidedLabel()
        self.desk_status.setAccessibleName("Desk")
        self.statusBar().addPermanentWidget(self.desk_status)
        self._set_desk_actions(False)

    # the actions under their usual names, for the flows and the tests
    @property
    def open_action(self):
        return self.actions_.open_desk

    @property
    def backups_action(self):
        return self.actions_.backups

    @property
    def quit_action(self):
        return self.actions_.quit

    def add_shortcuts(self) -> None:
        self.actions_.add_shortcuts()

    @property
    def has_workspace(self) -> bool:
        """Whether a desk has been shown in this window (its workspace built)."""
        return self._workspace is not None

    @property
    def workspace(self) -> DeskWorkspace:
        """The open desk's pages, built the first time a desk is shown."""
        if self._workspace is None:
            # lazy: the workspace brings the store and SQLAlchemy, which wait for the first paint
            from nsdesk.ui.workspace.workspace_view import DeskWorkspace

            self._workspace = DeskWorkspace()
            self._workspace.status_message.connect(self.show_status)
            self.pages.addWidget(self._workspace)
        return self._workspace

    def show_message(self, text: str) -> None:
        """Show a full-window message (opening…, no desk, could not open)."""
        self.message_label.setText(text)
        self.pages.setCurrentWidget(self.message_label)

    def show_opening(self, path: DeskLocation) -> None:
        self.setWindowTitle(f"{desk_name(path)} — {APP_TITLE}")
        self.show_message(f"Opening {path}…")

    def show_desk(
        self,
        data: DeskData,
        path: DeskLocation,
        *,
        warnings: Sequence[str] = (),
        read_only_reason: str | None = None,
    ) -> None:
        """Show a desk. ``warnings`` are the sentences the user must see about how it
        was opened (network share, unclean shutdown); ``read_only_reason`` says why
        a read-only desk is read-only."""
        info = data.info()
        read_only = data.read_only
        marks = (" [DEMO]" if info.is_demo else "") + (" [read-only]" if read_only else "")
        self._desk_title = f"{desk_name(path)} — {info.own_state_name} — {APP_TITLE}{marks}"
        self.setWindowTitle(self._desk_title)
        self.desk_status.setText(
            f"{path}  ·  {info.own_state_code}"
            + ("  ·  DEMO" if info.is_demo else "")
            + ("  ·  read-only" if read_only else "")
        )
        self.undo_stack.clear()  # undo steps belong to the desk they were made on
        data.actions.action_failed.connect(self.show_status)
        data.actions.records_changed.connect(self.workspace.records_changed)
        data.actions.revisited.connect(self.workspace.open_record)
        self.workspace.show_desk(data, path, warnings=warnings, read_only_reason=read_only_reason)
        self.pages.setCurrentWidget(self.workspace)
        self._set_desk_actions(True, read_only=read_only)
        self.statusBar().clearMessage()  # what was said was about the desk shown before
        self.statusBar().setToolTip("")
        self._data = data
        self._path = path
        self.desk_shown.emit()

    def desk_settings_changed(self) -> None:
        """The delegation or the marking scheme changed: show them anew."""
        data = self._workspace.data if self._workspace is not None else None
        if data is None:
            return
        data.forget({"marking_level"})
        self.workspace.banner.show_desk(
            self._path,
            data.info(),
            read_only=data.read_only,
            read_only_reason=None,
            warnings=self.workspace.banner.warnings(),
        )
        self.workspace.reload()

    def _set_desk_actions(self, shown: bool, *, read_only: bool = False) -> None:
        self.actions_.desk_shown(shown, read_only=read_only)

    def back_to_desk(self) -> bool:
        """Show again the desk shown before (another open was refused or cancelled);
        False, changing nothing, if no desk was shown."""
        if self._desk_title is None:
            return False
        self.setWindowTitle(self._desk_title)
        self.pages.setCurrentWidget(self.workspace)
        return True

    def desk_closed(self, message: str) -> None:
        """The desk was closed (to be restored): say what is happening instead."""
        self._desk_title = None
        self.undo_stack.clear()
        self._set_desk_actions(False)
        self.show_message(message)

    def show_status(self, text: str, *, more: str = "") -> None:
        """A sentence in the status bar, kept until the next one; ``more`` (where
        the details are) shows when the pointer rests on it."""
        self.statusBar().showMessage(text)
        self.statusBar().setToolTip(f"{text}\n{more}" if more else text)

    def ask_open_read_only(self, path: DeskLocation, holder: str) -> bool:
        """The desk is open for editing elsewhere: may nsdesk open it read-only?"""
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
        self.show_message(f"{title}\n\n{text}")
        QMessageBox.warning(self, title, text)

    def choose_desk(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self,
            "Open desk",
            "",
            "nsdesk desks and shared registers (*.nsdesk *.nsdesk-server);;All files (*)",
        )
        if not path:
            return
        try:  # a connection file names a shared register
            self.desk_requested.emit(existing_desk_location(Path(path)))
        except NsdeskError as error:
            QMessageBox.warning(self, "The desk could not be opened", error_text(error))
