"""Automatic backups while a desk is open: once on opening, then every few minutes
while it has changes that no backup holds yet.

The check and the backup run in the background (:mod:`nsdesk.ui.background`):
the user never waits for them. A failure is logged and reported through
:attr:`AutoBackup.failed`; it never interrupts the user's work.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal

from nsdesk.ui.wording import error_text

if TYPE_CHECKING:
    from nsdesk.services.backups.backups import BackupInfo, BackupReason
    from nsdesk.ui.background import Background


def backup_if_changed(
    desk_path: Path, reason: BackupReason, root: Path | None = None
) -> BackupInfo | None:
    """Take a backup if the desk changed since its newest one; the new backup or None.
    Runs in the background."""
    # lazy: the backups' services (SQLAlchemy) load after the first paint, in the background
    from nsdesk.services.backups.backups import needs_backup, take_backup

    if not needs_backup(desk_path, root=root):
        return None
    return take_backup(desk_path, reason, root=root)


class AutoBackup(QObject):
    """Backs up the desk it watches: on opening, then every ``PERIODIC_MINUTES``
    (writable desks only: a read-only session changes nothing), each time only
    if the desk changed since its newest backup."""

    backed_up = Signal(object)
    """A backup was taken (its :class:`~nsdesk.services.backups.backups.BackupInfo`)."""
    failed = Signal(str)
    """A backup failed; the sentence to show. The details are in the log
    (:func:`nsdesk.diagnostics.log_file`)."""

    def __init__(
        self,
        background: Background,
        parent: QObject | None = None,
        *,
        interval_ms: int | None = None,
        backups_root: Path | None = None,
    ):
        super().__init__(parent)
        # lazy: made before the first paint, which the backups' services (SQLAlchemy) would slow
        from nsdesk.services.backups.backups import PERIODIC_MINUTES

        self.background = background
        self.backups_root = backups_root
        self.desk_path: Path | None = None
        self._checking = False
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms or PERIODIC_MINUTES * 60_000)
        self.timer.timeout.connect(self.check_periodically)

    def watch(self, desk_path: Path, *, read_only: bool) -> None:
        """Start on the desk just shown: a backup now if it changed, then periodic
        checks unless it is read-only."""
        # lazy: the backups' services (SQLAlchemy) load after the first paint
        from nsdesk.services.backups.backups import BackupReason

        self.stop()
        self.desk_path = desk_path
        self._check(BackupReason.ON_OPEN)
        if not read_only:
            self.timer.start()

    def stop(self) -> None:
        """Stop watching (the desk is being closed or replaced)."""
        self.timer.stop()
        self.desk_path = None

    def check_periodically(self) -> None:
        """The timer's check: back up if the desk changed since its newest backup."""
        # lazy: the backups' services (SQLAlchemy) load after the first paint
        from nsdesk.services.backups.backups import BackupReason

        self._check(BackupReason.PERIODIC)

    def _check(self, reason: BackupReason) -> None:
        path = self.desk_path
        if path is None or self._checking:  # one check at a time; the next tick catches up
            return
        self._checking = True
        root = self.backups_root

        def done(info: BackupInfo | None) -> None:
            self._checking = False
            if info is not None:
                self.backed_up.emit(info)

        def failed(error: BaseException) -> None:
            # lazy: the log's handlers load only when a backup fails
            from nsdesk.diagnostics import log_unexpected

            self._checking = False
            log_unexpected(error, f"backing up {path} automatically ({reason})")
            self.failed.emit(
                f"The automatic backup of {path.name} failed: {error_text(error)}. "
                "The desk itself is unchanged."
            )

        self.background.run(lambda: backup_if_changed(path, reason, root), done, failed)
