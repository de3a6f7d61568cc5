"""Screens that follow other officers' changes.

Every few seconds the open desk's commit-order revision is read (one small
``SELECT``; :meth:`~nsdesk.services.desk.Desk.changed_elsewhere`). When it moved
past the revision this window last saw, and not only by this window's own writes
(which already showed themselves), the change log says which records changed
(:mod:`nsdesk.services.records.followed_changes`) and only their rows are read
again; a change that other records show (an agency renamed), or one too large to
pick apart, reads the workspace again the way View ▸ Reload (F5) does. Either way
the registers keep their filters, the selected record and its place on screen, the
dashboard and the open record are read afresh, and a field being typed in keeps
what the user typed (:meth:`RegisterView.follow`, :meth:`RegisterView.load`).

One way for both kinds of desk: a shared register on a server, and a desk file
opened by two processes (another officer's window on a shared drive, or the
command line). A desk that is closed, or whose connection is lost (the connection
bar says so), is not read.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer

from nsdesk.domain.errors import NsdeskError

if TYPE_CHECKING:
    from nsdesk.services.desk import Desk
    from nsdesk.ui.workspace.workspace_view import DeskWorkspace

#: How often the desk's revision is read (ms).
FOLLOW_MS = 2_000


class DeskWatch(QObject):
    """Reads ``desk``'s revision every ``interval_ms`` and reloads ``workspace`` when
    another connection committed a change; stopped by :meth:`stop`."""

    def __init__(self, workspace: DeskWorkspace, desk: Desk, *, interval_ms: int = FOLLOW_MS):
        super().__init__(workspace)
        self.workspace = workspace
        self.desk = desk
        self.seen = self._revision() or 0
        """The revision the window shows (its own writes included)."""
        self.reloads = 0
        """How many times other officers' changes were read in (for the status and tests)."""
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.check)
        self.timer.start(interval_ms)

    def _revision(self) -> int | None:
        try:
            return self.desk.revision()
        except NsdeskError:
            return None  # unreachable now: the connection bar says so; read next time

    def check(self) -> bool:
        """Read the desk's revision now (what the timer does); True if the workspace
        was read again because another connection changed the desk."""
        desk = self.desk
        data = self.workspace.data
        if desk.closed or data is None or data.desk is not desk:
            self.stop()  # another desk is shown, or none
            return False
        if desk.connection is not None and desk.connection.lost:
            return False  # the connection watch probes; nothing to read meanwhile
        # lazy: the window paints before the store and SQLAlchemy load (start-up)
        from nsdesk.services.records.followed_changes import changes_between

        before = self.seen
        try:
            now, others = desk.changed_elsewhere(before)
            changes = changes_between(desk, before, now) if others else None
        except NsdeskError:
            return False  # a lost connection is noticed (and shown) by the desk itself
        self.seen = max(before, now)
        if changes is None:
            return False
        self.reloads += 1
        self.workspace.follow(changes)
        return True

    def stop(self) -> None:
        """No more reads (the desk is closed or another is shown)."""
        self.timer.stop()


def follow_desk(workspace: DeskWorkspace, desk: Desk, *, interval_ms: int = FOLLOW_MS) -> DeskWatch:
    """Make ``workspace`` follow the changes other connections commit to ``desk``
    (the desk just shown), after stopping the watch of the desk shown before."""
    previous: DeskWatch | None = getattr(workspace, "desk_watch", None)
    if previous is not None:
        previous.stop()
        previous.deleteLater()
    watch = DeskWatch(workspace, desk, interval_ms=interval_ms)
    workspace.desk_watch = watch  # type: ignore[attr-defined]
    return watch
