"""The open desk's backups in the window: the backups dialog, restoring from it,
and the automatic backups that report in the status bar."""

from __future__ import annotations

from typing import TYPE_CHECKING

from nsdesk.ui import wording

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from nsdesk.services.backups.backups import BackupInfo
    from nsdesk.services.backups.restore import RestoreReport
    from nsdesk.ui.background import Background
    from nsdesk.ui.backups.auto_backup import AutoBackup
    from nsdesk.ui.backups.backups_dialog import BackupsDialog
    from nsdesk.ui.context import AppContext
    from nsdesk.ui.main_window import MainWindow


def show_backups(
    context: AppContext, window: MainWindow, reopen: Callable[[Path], bool]
) -> BackupsDialog | None:
    """File ▸ Backups…: the open desk's backups, in a dialog over the window.
    ``reopen`` opens a desk again after a restore (the desk flows' plain open: the
    backups know nothing of how a desk is shown)."""
    # lazy: the dialog and the backups' services load when first asked for
    from nsdesk.ui.backups.backups_dialog import BackupsDialog

    desk = context.desk
    if desk is None:
        return None
    dialog = BackupsDialog(
        desk.path,
        background=context.background,
        desk_uuid=desk.info().uuid,
        read_only_reason=context.read_only_reason,
        parent=window,
    )
    dialog.restore_requested.connect(
        lambda backup: restore_backup(context, window, dialog, backup, reopen)
    )
    dialog.backed_up.connect(lambda info: _say_backed_up(window, info))
    dialog.finished.connect(dialog.deleteLater)
    dialog.open()
    return dialog


def restore_backup(
    context: AppContext,
    window: MainWindow,
    dialog: BackupsDialog,
    backup: BackupInfo,
    reopen: Callable[[Path], bool],
) -> None:
    """Close the desk, restore ``backup`` over it in the background, and open it
    again (restored, or as it was if the restore was refused)."""
    # lazy: the restore's services load when first asked for
    from nsdesk.services.backups.restore import restore_desk
    from nsdesk.ui.backups.backup_words import refusal_text

    desk = context.desk
    if desk is None:
        return
    path = desk.path
    context.close_desk()
    window.desk_closed(
        f"Restoring {path.name} from the backup of {wording.full_when(backup.taken_at)}…"
    )

    def restored(report: RestoreReport) -> None:
        if reopen(path):
            window.show_status(wording.restored_message(report, short=True))
        dialog.restore_finished(wording.restored_message(report))

    def refused(error: BaseException) -> None:
        message = f"The backup was not restored: {refusal_text(error)}"
        reopen(path)
        window.show_status(message)
        dialog.restore_finished(message)

    context.background.run(lambda: restore_desk(path, backup.path), restored, refused)


def auto_backup_for(
    window: MainWindow, background: Background, *, interval_ms: int | None = None
) -> AutoBackup:
    """Automatic backups that report in the window's status bar."""
    # lazy: the start-up probe (make bench) runs without automatic backups
    from nsdesk.ui.backups.auto_backup import AutoBackup

    auto_backup = AutoBackup(background, window, interval_ms=interval_ms)
    auto_backup.backed_up.connect(lambda info: _say_backed_up(window, info))

    def failed(message: str) -> None:
        # lazy: the log's handlers load after the first paint
        from nsdesk.diagnostics import log_file

        window.show_status(message, more=f"The details are in {log_file()}")

    auto_backup.failed.connect(failed)
    return auto_backup


def _say_backed_up(window: MainWindow, info: BackupInfo) -> None:
    window.show_status(f"Backed up at {wording.clock(info.taken_at)}")
