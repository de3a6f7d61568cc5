"""Composition: builds the app's context (settings, the open desk, its services)
and the UI, and wires them together.

The window is shown first; the desk is opened once the window has painted, so
the user sees nsdesk at once even on a slow laptop, and automatic backups start
only once the desk's data has painted. The controllers that answer the menus are
made right after the first paint too, and the cyclic garbage collector waits for
the data (see :func:`_resume_collecting`): ``bench/README.md`` says what each costs.
``NSDESK_STARTUP_PROBE=1`` makes the app print when it first painted and when it
first showed the desk's data, then quit (``make bench`` measures start-up this way,
on the real app).

What happens when a desk is opened, and how its backups are shown, live in
:mod:`nsdesk.ui.desk.opening_flow` and :mod:`nsdesk.ui.backups.backup_flow`.
"""

from __future__ import annotations

import gc
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtGui import QFileOpenEvent
from PySide6.QtWidgets import QApplication, QMessageBox

from nsdesk import APP_NAME
from nsdesk.domain.location import DeskLocation
from nsdesk.ui.background import Background
from nsdesk.ui.context import AppContext
from nsdesk.ui.desk.opening_flow import open_desk_into
from nsdesk.ui.display_check import display_problem
from nsdesk.ui.icons import app_icon
from nsdesk.ui.main_window import MainWindow
from nsdesk.ui.settings import AppSettings

if TYPE_CHECKING:
    from nsdesk.ui.desk.desk_wiring import DeskWiring
    from nsdesk.ui.desk.opening_flow import open_plain

PROBE_ENV = "NSDESK_STARTUP_PROBE"

FILE_OPEN_EVENTS = sys.platform == "darwin"
"""Whether the desktop hands desks over as file-open events (macOS only; elsewhere a
double-clicked desk is an argument). Only then is :class:`DeskFileOpener` installed:
an application-wide event filter takes every event of every widget through Python,
which cost the first paint about 20 ms on Linux for nothing."""


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
    from nsdesk.ui.about_dialog import (
        show_about,  # lazy: About reads the backups folder; built when asked
    )

    show_about(context, window)


def _answer_the_menus(context: AppContext, window: MainWindow, *, probe: bool) -> DeskWiring:
    """The controllers that answer the window's menus (New desk…, Backups…, Search…,
    Briefing pack…, Export and Import workbook…, Send and Merge changes…, About) and
    the automatic backups. Made once the window has painted: their imports (~12 ms) are
    not what the first paint shows, and nothing can ask for them before it. (Opening a
    desk is wired before: the desktop may hand one over at any moment.)"""
    # lazy: see the docstring
    from nsdesk.ui.backups.backup_flow import auto_backup_for, show_backups
    from nsdesk.ui.briefing.briefing_flow import BriefingFlow
    from nsdesk.ui.desk.desk_wiring import DeskWiring
    from nsdesk.ui.exchange.exchange_flow import ExchangeFlow
    from nsdesk.ui.merge.merge_flow import MergeFlow
    from nsdesk.ui.workspace.search_flow import search_desk_flow

    if not probe:  # the probe quits once the data has painted: a backup would only delay it
        context.auto_backup = auto_backup_for(window, context.background)
    window.backups_requested.connect(
        lambda: show_backups(context, window, lambda path: open_plain(context, window, path))
    )
    window.about_requested.connect(lambda: _show_about(context, window))
    window.search_requested.connect(lambda: search_desk_flow(context, window))
    BriefingFlow(context, window)
    ExchangeFlow(context, window)
    MergeFlow(context, window)
    return DeskWiring(context, window)


def _log_and_show_unexpected_errors(window: MainWindow) -> None:
    """From now on an error nothing else caught is logged and shown in a dialog. The
    log's handlers and the dialog are imported with the first such error (~6 ms that
    opening the desk need not wait for)."""

    def first_error(
        kind: type[BaseException], error: BaseException, trace: TracebackType | None
    ) -> None:
        from nsdesk import diagnostics  # lazy: see the docstring
        from nsdesk.ui.error_dialog import UnexpectedErrors

        diagnostics.install_excepthook(UnexpectedErrors(window))
        sys.excepthook(kind, error, trace)

    sys.excepthook = first_error


def refuse_to_start(text: str) -> None:
    """Tell the user, in a window when one can open, that this installation is
    broken and nsdesk will not start (the start-up self-check's refusal)."""
    if QApplication.instance() is None and display_problem():
        return  # no window can open: the refusal printed on stderr is all there is
    application()
    QMessageBox.critical(None, "nsdesk cannot start", text)


def _resume_collecting() -> None:
    """The cyclic garbage collector back on, once the first desk's data has painted,
    with everything start-up made frozen out of its way.

    Start-up makes objects that live as long as the app: modules (SQLAlchemy's are
    many), classes, the schema, the window. Collecting while they are made only
    walks them again and again (~40 ms before the data shows, where a bare window
    plus SQLAlchemy collects for ~18). Frozen, later full collections skip them
    too. What is frozen is never collected as a cycle: the ~130 KiB of start-up's
    cyclic garbage, and, should another desk be opened, whatever of the first desk's
    objects only a cycle holds (its files and connections are closed all the same)."""
    gc.freeze()
    gc.enable()


def run_app(path: DeskLocation | None, *, read_only: bool = False) -> int:
    """Open the desktop app on ``path`` — a desk file or a server desk — (or the last
    desk); returns the exit status."""
    if QApplication.instance() is None and (problem := display_problem()):
        print(problem, file=sys.stderr)
        return 1
    collecting = gc.isenabled()
    gc.disable()  # until the first desk's data has painted: see _resume_collecting
    app = application()
    probe = bool(os.environ.get(PROBE_ENV))
    window = MainWindow(shortcuts=False)  # added once the window has painted
    opener = DeskFileOpener(app, window) if FILE_OPEN_EVENTS else None
    context = AppContext(settings=AppSettings(), read_only=read_only, background=Background(window))
    after_paint = _AfterPaint(window, probe=probe)
    context.after_paint = after_paint.then
    if geometry := context.settings.window_geometry():
        window.restoreGeometry(geometry)
    if (state := context.settings.window_state()) is not None:
        window.restoreState(state)
    app.processEvents()  # a desk double-clicked in the macOS Finder arrives as an event
    handed_over = opener.take_waiting() if opener is not None else None
    target = path or handed_over or context.settings.last_desk
    if target is not None:
        window.show_opening(target)  # what the first paint shows

    def open_first() -> None:
        try:
            _open_first()
        finally:
            if collecting:
                after_paint.then(_resume_collecting)

    def _open_first() -> None:
        _log_and_show_unexpected_errors(window)
        wiring = _answer_the_menus(context, window, probe=probe)
        window.add_shortcuts()
        wiring.refresh_recent()
        if target is None:
            wiring.show_welcome()
        elif open_desk_into(context, window, target) and probe:
            after_paint.then(QApplication.quit, probe_label="data_shown")

    after_paint.then(open_first, probe_label="first_paint")
    window.desk_requested.connect(lambda chosen: open_desk_into(context, window, chosen))
    window.show()
    previous_hook = sys.excepthook
    try:
        return app.exec()
    finally:
        if collecting:
            gc.enable()  # in case the app quit before the first desk showed
        sys.excepthook = previous_hook
        context.settings.set_window_geometry(window.saveGeometry())
        context.settings.set_window_state(window.saveState())
        if window.has_workspace:
            window.workspace.save_layout(context.settings)
        if context.auto_backup is not None:
            context.auto_backup.stop()
        context.background.wait()  # a backup or restore under way is finished, not cut off
        context.close_desk()
