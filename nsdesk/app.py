"""Composition: builds the app's context (settings, the open desk, its services)
and the UI, and wires them together.

The window is shown first; the desk is opened once the window has painted, so
the user sees nsdesk at once even on a slow laptop, and automatic backups start
only once the desk's data has painted. ``NSDESK_STARTUP_PROBE=1`` makes the app
print when it first painted and when it first showed the desk's data, then quit
(``make bench`` measures start-up this way, on the real app).

What happens when a desk is opened, and how its backups are shown, live in
:mod:`nsdesk.ui.desk.opening_flow` and :mod:`nsdesk.ui.backups.backup_flow`.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtGui import QFileOpenEvent
from PySide6.QtWidgets import QApplication, QMessageBox

from nsdesk import APP_NAME
from nsdesk.domain.location import DeskLocation
from nsdesk.ui.background import Background
from nsdesk.ui.backups.backup_flow import auto_backup_for, show_backups
from nsdesk.ui.briefing.briefing_flow import BriefingFlow
from nsdesk.ui.context import AppContext
from nsdesk.ui.desk.desk_wiring import DeskWiring
from nsdesk.ui.desk.opening_flow import open_desk_into
from nsdesk.ui.display_check import display_problem
from nsdesk.ui.exchange.exchange_flow import ExchangeFlow
from nsdesk.ui.icons import app_icon
from nsdesk.ui.main_window import MainWindow
from nsdesk.ui.settings import AppSettings
from nsdesk.ui.workspace.search_flow import search_desk_flow

PROBE_ENV = "NSDESK_STARTUP_PROBE"


class _AfterPaint(QObject):
    """Runs callbacks right after the window's next paint, so that what follows
    (opening the desk, starting backups) never delays what the user is about to
    see. With the start-up probe on, it prints the moments it was asked to."""

    def __init__(self, window: MainWindow, *, probe: bool):
        super().__init__(window)
        self.window = window
        self.probe = probe
        self._pending: list[tuple[str | None, Callable[[], None]]] = []
        window.installEventFilter(self)

    def then(self, callback: Callable[[], None], *, probe_label: str | None = None) -> None:
        """Call ``callback`` once the window has next painted."""
        self._pending.append((probe_label, callback))
        self.window.update()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.Paint or not self._pending:
            return False
        pending, self._pending = self._pending, []
        for label, callback in pending:
            if label and self.probe:
                print(f"nsdesk-probe {label} {time.time():.6f}", flush=True)
            QTimer.singleShot(0, callback)
        return False


class DeskFileOpener(QObject):
    """Opens the desks the desktop hands over: on macOS a double-clicked ``.nsdesk``
    file arrives as a file-open event, not as an argument (Linux and Windows start
    ``nsdesk PATH``). A desk handed over before the window is ready waits for it."""

    def __init__(self, app: QApplication, window: MainWindow):
        super().__init__(window)
        self.window = window
        self.ready = False
        self.waiting: Path | None = None
        app.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.FileOpen or not isinstance(event, QFileOpenEvent):
            return False
        path = Path(event.file())
        if self.ready:
            self.window.desk_requested.emit(path)
        else:
            self.waiting = path
        return True

    def take_waiting(self) -> Path | None:
        """The desk handed over before the window was ready (then: hand them on)."""
        self.ready = True
        waiting, self.waiting = self.waiting, None
        return waiting


def application() -> QApplication:
    """The one QApplication, named and wearing nsdesk's icon (made if need be)."""
    app = QApplication.instance()
    if not isinstance(app, QApplication):  # none yet; a bare QCoreApplication makes Qt refuse
        app = QApplication(sys.argv[:1])
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName("nsdesk")
    app.setWindowIcon(app_icon())
    return app


def _show_about(context: AppContext, window: MainWindow) -> None:
    from nsdesk.ui.about_dialog import show_about  # reads the desk's backups folder: later

    show_about(context, window)


def refuse_to_start(text: str) -> None:
    """Tell the user, in a window when one can open, that this installation is
    broken and nsdesk will not start (the start-up self-check's refusal)."""
    if QApplication.instance() is None and display_problem():
        return  # no window can open: the refusal printed on stderr is all there is
    application()
    QMessageBox.critical(None, "nsdesk cannot start", text)


def run_app(path: DeskLocation | None, *, read_only: bool = False) -> int:
    """Open the desktop app on ``path`` — a desk file or a server desk — (or the last
    desk); returns the exit status."""
    if QApplication.instance() is None and (problem := display_problem()):
        print(problem, file=sys.stderr)
        return 1
    app = application()
    probe = bool(os.environ.get(PROBE_ENV))
    window = MainWindow(shortcuts=False)  # added once the window has painted
    opener = DeskFileOpener(app, window)
    context = AppContext(settings=AppSettings(), read_only=read_only, background=Background(window))
    after_paint = _AfterPaint(window, probe=probe)
    context.after_paint = after_paint.then
    if not probe:  # the probe quits once the data has painted: a backup would only delay it
        context.auto_backup = auto_backup_for(window, context.background)
    if geometry := context.settings.window_geometry():
        window.restoreGeometry(geometry)
    if (state := context.settings.window_state()) is not None:
        window.restoreState(state)
    app.processEvents()  # a desk double-clicked in the macOS Finder arrives as an event
    target = path or opener.take_waiting() or context.settings.last_desk
    if target is not None:
        window.show_opening(target)  # what the first paint shows

    def open_first() -> None:
        from nsdesk import diagnostics
        from nsdesk.ui.error_dialog import UnexpectedErrors

        diagnostics.install_excepthook(UnexpectedErrors(window))
        window.add_shortcuts()
        wiring.refresh_recent()
        if target is None:
            wiring.show_welcome()
        elif open_desk_into(context, window, target) and probe:
            after_paint.then(QApplication.quit, probe_label="data_shown")

    after_paint.then(open_first, probe_label="first_paint")
    window.desk_requested.connect(lambda chosen: open_desk_into(context, window, chosen))
    window.backups_requested.connect(lambda: show_backups(context, window))
    window.about_requested.connect(lambda: _show_about(context, window))
    window.search_requested.connect(lambda: search_desk_flow(context, window))
    BriefingFlow(context, window)  # a child of the window: answers File ▸ Briefing pack…
    ExchangeFlow(context, window)  # File ▸ Export workbook…, Import workbook…, Import history…
    wiring = DeskWiring(context, window)
    window.show()
    previous_hook = sys.excepthook
    try:
        return app.exec()
    finally:
        sys.excepthook = previous_hook
        context.settings.set_window_geometry(window.saveGeometry())
        context.settings.set_window_state(window.saveState())
        if window.has_workspace:
            window.workspace.save_layout(context.settings)
        if context.auto_backup is not None:
            context.auto_backup.stop()
        context.background.wait()  # a backup or restore under way is finished, not cut off
        context.close_desk()
