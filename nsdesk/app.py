"""Composition: builds the app's context (settings, the open desk, its services)
and the UI, and wires them together.

The window is shown first; the desk is opened once the window has painted, so
the user sees nsdesk at once even on a slow laptop. ``NSDESK_STARTUP_PROBE=1``
makes the app print when it first painted and when it first showed the desk's
data, then quit (``make bench`` measures start-up this way, on the real app).
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication

from nsdesk import APP_NAME
from nsdesk.ui.display_check import display_problem
from nsdesk.ui.main_window import MainWindow
from nsdesk.ui.settings import AppSettings

if TYPE_CHECKING:
    from nsdesk.services.desk import Desk

PROBE_ENV = "NSDESK_STARTUP_PROBE"


@dataclass
class AppContext:
    """The one explicit context passed around instead of globals."""

    settings: AppSettings
    desk: Desk | None = None
    read_only: bool = False
    probes: list[str] = field(default_factory=list)

    def close_desk(self) -> None:
        if self.desk is not None:
            self.desk.close()
            self.desk = None


class _AfterFirstPaint(QObject):
    """Calls ``then`` once, right after the window has first painted, so the user
    sees nsdesk before any desk is read. With the start-up probe on, it also
    prints that moment, and the moment the desk's data was first painted."""

    def __init__(self, window: MainWindow, then: Callable[[], None], *, probe: bool):
        super().__init__(window)
        self.window = window
        self.then = then
        self.probe = probe
        self.painted = False
        self.data_ready = False
        window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.Paint:
            return False
        if not self.painted:
            self.painted = True
            if self.probe:
                print(f"nsdesk-probe first_paint {time.time():.6f}", flush=True)
            QTimer.singleShot(0, self.then)
        elif self.data_ready:
            self.data_ready = False
            print(f"nsdesk-probe data_shown {time.time():.6f}", flush=True)
            QTimer.singleShot(0, QApplication.quit)
        return False

    def mark_data_ready(self) -> None:
        """The desk's data is in the widgets; the probe reports its first paint."""
        if self.probe:
            self.data_ready = True
            self.window.update()


def open_desk_into(context: AppContext, window: MainWindow, path: Path) -> bool:
    """Open ``path`` and show it; on refusal show why and keep the previous state."""
    from nsdesk.domain.errors import DeskError
    from nsdesk.services.desk import open_desk
    from nsdesk.services.overview import load_overview

    window.show_opening(path)
    try:
        desk = open_desk(path, read_only=context.read_only)
    except DeskError as error:
        window.show_error("The desk could not be opened", f"{error.path}\n\n{error.reason}")
        return False
    context.close_desk()
    context.desk = desk
    context.settings.last_desk = path.resolve()
    window.show_overview(load_overview(desk))
    return True


def run_app(path: Path | None, *, read_only: bool = False) -> int:
    """Open the desktop app on ``path`` (or the last desk); returns the exit status."""
    if QApplication.instance() is None and (problem := display_problem()):
        print(problem, file=sys.stderr)
        return 1
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName("nsdesk")
    context = AppContext(settings=AppSettings(), read_only=read_only)
    window = MainWindow()
    if geometry := context.settings.window_geometry():
        window.restoreGeometry(geometry)
    target = path or context.settings.last_desk
    if target is not None:
        window.show_opening(target)  # what the first paint shows

    def open_first() -> None:
        if target is None:
            window.show_message(
                "No desk is open.\n\nUse File ▸ Open desk… (Ctrl+O), or create one with\n"
                "nsdesk init NAME.nsdesk --state ISO3   or   nsdesk demo NAME.nsdesk"
            )
        elif open_desk_into(context, window, target):
            after_paint.mark_data_ready()

    after_paint = _AfterFirstPaint(window, open_first, probe=bool(os.environ.get(PROBE_ENV)))
    window.desk_requested.connect(lambda chosen: open_desk_into(context, window, chosen))
    window.show()
    try:
        return app.exec()
    finally:
        context.settings.set_window_geometry(window.saveGeometry())
        context.close_desk()
