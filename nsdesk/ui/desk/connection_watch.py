"""The bar that says a shared register's connection was lost, and the timer that
brings it back.

A server desk's connection is noticed lost when a read, a save or the heartbeat
fails (:class:`~nsdesk.services.connection.ConnectionState`). The bar then shows, at
the top of the desk, when it was lost and that edits are refused until it is back;
a timer probes the server every few seconds (off the GUI thread: an unreachable
server makes a probe wait for its connect timeout), and when it answers the bar goes
and the status bar says the register is back. A desk file has no connection: no bar, no
timer.
"""

from __future__ import annotations

import sys
from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QVBoxLayout

from nsdesk.domain.errors import NsdeskError
from nsdesk.ui.background import Background

if TYPE_CHECKING:
    from nsdesk.services.desk import Desk
    from nsdesk.ui.main_window import MainWindow

#: How often a connected register is checked (ms): a loss shows even while nobody edits.
HEARTBEAT_MS = 15_000
#: How often a lost register is probed (ms) until it answers.
PROBE_MS = 3_000


class ConnectionBar(QFrame):
    """A full-width red bar: the connection to the register was lost, when, and what
    that means for edits."""

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("connection_bar")
        self.setAccessibleName("Connection lost")
        self.setStyleSheet(
            "QFrame#connection_bar { background: #a50e0e; }"
            "QFrame#connection_bar QLabel { color: white; font-weight: bold; }"
        )
        self.label = QLabel()
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.label.setWordWrap(True)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 6)
        layout.addWidget(self.label, 1)
        self.hide()


class ConnectionWatch(QObject):
    """Shows and hides ``bar`` as ``desk``'s connection is lost and back, probing the
    server with a timer. Stopped (and the bar hidden) by :meth:`stop`."""

    state_changed = Signal(bool)
    """Lost (True) or back (False); emitted on whichever thread noticed, received here."""

    def __init__(
        self,
        desk: Desk,
        bar: ConnectionBar,
        window: MainWindow,
        *,
        heartbeat_ms: int = HEARTBEAT_MS,
        probe_ms: int = PROBE_MS,
    ) -> None:
        super().__init__(window)
        self.desk = desk
        self.bar = bar
        self.window = window
        self.heartbeat_ms = heartbeat_ms
        self.probe_ms = probe_ms
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.probe)
        self.background = Background(self)
        self._probing = False
        self.state_changed.connect(self._show_state, Qt.ConnectionType.QueuedConnection)
        state = desk.connection
        self._unsubscribe = state.subscribe(self.state_changed.emit) if state else None
        self._show_state(bool(state and state.lost))

    def probe(self) -> None:
        """Check the server now (what the timer does), off the GUI thread: a server
        that does not answer makes a probe wait for its connect timeout, and the
        window must stay readable meanwhile. One probe at a time; what it finds
        reaches the bar through the connection state (:meth:`_show_state`)."""
        if self._probing:
            return
        self._probing = True
        self.background.run(self.desk.probe_connection, self._probed, self._probe_failed)

    def _probed(self, _answered: object) -> None:
        self._probing = False

    def _probe_failed(self, error: BaseException) -> None:
        self._probing = False
        if not isinstance(error, NsdeskError):  # a fault, not a server away: say it
            sys.excepthook(type(error), error, error.__traceback__)

    def stop(self) -> None:
        """The desk is no longer shown: no more probes, no bar."""
        self.timer.stop()
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
        self.bar.hide()

    def _show_state(self, _lost: bool) -> None:
        state = self.desk.connection
        if state is None or self._unsubscribe is None:
            return
        if state.lost:
            self.bar.label.setText(state.sentence() + ".")
            self.bar.show()
            self.timer.start(self.probe_ms)
        else:
            was_shown = self.bar.isVisible()
            self.bar.hide()
            self.timer.start(self.heartbeat_ms)
            if was_shown:
                self.window.show_status(
                    f"The connection to the register on {state.address.register} is back "
                    f"({datetime.now():%H:%M}); edits are saved again."
                )


def watch_connection(window: MainWindow, desk: Desk) -> ConnectionWatch | None:
    """Watch the connection of the desk just shown in ``window`` (a server desk's;
    a desk file's: nothing), after stopping the watch of the desk shown before."""
    previous: ConnectionWatch | None = getattr(window, "connection_watch", None)
    if previous is not None:
        previous.stop()
        previous.deleteLater()
    window.connection_watch = None  # type: ignore[attr-defined]
    if desk.connection is None:
        return None
    banner = window.workspace.banner
    bar: ConnectionBar | None = getattr(banner, "connection_bar", None)
    if bar is None:
        bar = ConnectionBar()
        layout = banner.layout()
        assert isinstance(layout, QVBoxLayout)  # the banner's rows, top to bottom
        layout.insertWidget(1, bar)  # under the desk's name, above everything
        banner.connection_bar = bar  # type: ignore[attr-defined]
    watch = ConnectionWatch(desk, bar, window)
    window.connection_watch = watch  # type: ignore[attr-defined]
    return watch
