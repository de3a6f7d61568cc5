"""Opening a desk in the window: where the faults of issue 6 meet the user.

A desk open for editing elsewhere is offered read-only; a damaged desk, or one
that lost work in a crash, is offered its newest good backup
(:mod:`nsdesk.ui.backups.recovery_dialog`). On refusal or cancel the desk that was open
stays as it was.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QDialog

from nsdesk.domain.errors import (
    DeskDamagedError,
    DeskError,
    DeskLockedError,
    EmptyDeskFileError,
    NotADeskError,
    NsdeskError,
)
from nsdesk.domain.location import DeskLocation, ServerAddress
from nsdesk.ui import wording
from nsdesk.ui.desk.connection_watch import watch_connection
from nsdesk.ui.workspace.desk_watch import follow_desk

if TYPE_CHECKING:
    from nsdesk.services.backups.backups import BackupInfo
    from nsdesk.services.backups.crash_check import CrashCheck
    from nsdesk.services.desk import Desk
    from nsdesk.services.records.record_service import RecordService
    from nsdesk.ui.context import AppContext
    from nsdesk.ui.main_window import MainWindow


def open_desk_into(context: AppContext, window: MainWindow, path: DeskLocation) -> bool:
    """Open ``path`` and show it. A desk open for editing elsewhere is offered
    read-only; a damaged desk (or one that lost work in a crash) is offered its
    newest good backup. On refusal or cancel the previous desk stays as it was."""
    # lazy: the store (SQLAlchemy) loads after the first paint, with a desk
    from nsdesk.services.desk import DeskNeedsRecoveryError, open_desk

    if isinstance(path, ServerAddress) and not _logged_in(window, path):
        if not window.back_to_desk():
            window.show_message(f"The register on {path.register} was not opened.")
        return False
    window.show_opening(path)
    try:
        desk = open_desk(
            path, read_only=context.read_only, read_only_reason="you opened it read-only"
        )
    except DeskLockedError as error:
        holder = wording.holder_text(error.holder)
        if not window.ask_open_read_only(path, holder):
            if not window.back_to_desk():
                window.show_message(
                    f"{path.name} was not opened: it is open for editing by {holder}."
                )
            return False
        return open_plain(
            context,
            window,
            path,
            read_only=True,
            reason=f"this desk is open for editing by {holder}",
        )
    except DeskNeedsRecoveryError as error:
        if not isinstance(path, Path):  # a crash check is a file desk's alone
            raise
        return _recover(context, window, path, error, check=error.check)
    except (DeskDamagedError, EmptyDeskFileError, NotADeskError) as error:
        # a server desk has no backups of its own (they are IT's pg_dump)
        backup = _newest_good_backup(path) if isinstance(path, Path) else None
        if backup is None or not isinstance(path, Path):
            _refuse(window, path, error)
            return False
        return _recover(context, window, path, error, backup=backup)
    except (DeskError, OSError) as error:
        _refuse(window, path, error)
        return False
    _show_desk(context, window, desk)
    return True


def open_plain(
    context: AppContext,
    window: MainWindow,
    path: DeskLocation,
    *,
    read_only: bool = False,
    reason: str | None = None,
) -> bool:
    """Open without offering anything (after the user chose read-only, or restored)."""
    # lazy: the store (SQLAlchemy) loads after the first paint, with a desk
    from nsdesk.services.desk import open_desk

    try:
        desk = open_desk(path, read_only=read_only, read_only_reason=reason)
    except (DeskError, OSError) as error:
        _refuse(window, path, error)
        return False
    _show_desk(context, window, desk)
    return True


def _show_desk(context: AppContext, window: MainWindow, desk: Desk) -> None:
    """Make ``desk`` the open desk and show it; backups start once it has painted."""
    # lazy: the record actions and the desk's read models (SQLAlchemy) load with a desk
    from nsdesk.ui.records.commands import RecordActions
    from nsdesk.ui.records.desk_data import DeskData

    context.close_desk()
    context.desk = desk
    context.settings.remember_desk(desk.location)  # a shared register too (no password)
    warnings = desk.notes.warnings(holder_text=wording.holder_text)
    actions = RecordActions(lambda: _record_service(desk), window.undo_stack, window)
    context.data = DeskData(desk, actions)
    window.show_desk(
        context.data, desk.location, warnings=warnings, read_only_reason=context.read_only_reason
    )
    watch_connection(window, desk)  # a shared register's lost connection, and its return
    follow_desk(window.workspace, desk)  # other officers' changes shown as they commit
    auto_backup = context.auto_backup
    if auto_backup is not None and desk.is_file:  # a server's backups are IT's

        def start_backups() -> None:
            if context.desk is desk:  # still the open desk once painted
                auto_backup.watch(desk.path, read_only=desk.read_only)

        (context.after_paint or _now)(start_backups)


def _logged_in(window: MainWindow, address: ServerAddress) -> bool:
    """Ask for the login's password while the server wants one that neither libpq's
    pgpass file nor this session has (kept in memory only); False if the officer
    cancels. Any other refusal is left to opening the desk, which says it."""
    # lazy: psycopg loads with a server desk
    from nsdesk.services.connection import password_wanted, use_password
    from nsdesk.ui.desk.shared_register_dialog import ask_password

    typed = False
    while (refusal := password_wanted(address)) is not None:
        why = (
            f"the server {address.server} refused that password"
            if typed
            else wording.error_text(refusal)
        )
        password = ask_password(window, address, why)
        if password is None:
            use_password(address, None)
            return False
        use_password(address, password)
        typed = True
    return True


def open_shared_register_flow(context: AppContext, window: MainWindow) -> bool:
    """File ▸ Open a shared register…: the dialog (filled with the register opened
    last), then the register, asking for its password if the server wants one."""
    # lazy: the dialog loads when the menu is first used
    from nsdesk.ui.desk.shared_register_dialog import SharedRegisterDialog

    last = next((p for p in context.settings.recent_desks() if isinstance(p, ServerAddress)), None)
    dialog = SharedRegisterDialog(last, window)
    accepted = dialog.exec() == QDialog.DialogCode.Accepted
    address = dialog.address() if accepted else None
    dialog.deleteLater()
    if address is None:
        return False
    return open_desk_into(context, window, address)


def _record_service(desk: Desk) -> RecordService:
    # lazy: the record service imports the ORM, which the first sight of a desk does without
    from nsdesk.services.records.record_service import RecordService

    return RecordService(desk)


def _now(callback: Callable[[], None]) -> None:
    callback()


def _refuse(window: MainWindow, path: DeskLocation, error: DeskError | OSError) -> None:
    """Say why the desk was not opened, and go back to the desk that was open."""
    where = path if isinstance(error, OSError) else error.path
    said = wording.as_sentence(wording.error_text(error))
    window.show_error("The desk could not be opened", f"{where}\n\n{said}")
    window.back_to_desk()


def _newest_good_backup(path: Path) -> BackupInfo | None:
    # lazy: the backups' services (SQLAlchemy) load only for a desk that needs one
    from nsdesk.services.backups.backups import list_backups

    try:
        return next((b for b in list_backups(path) if b.verified), None)
    except (OSError, NsdeskError):
        return None


def _recover(
    context: AppContext,
    window: MainWindow,
    path: Path,
    error: DeskError,
    *,
    check: CrashCheck | None = None,
    backup: BackupInfo | None = None,
) -> bool:
    """Offer the newest good backup of a desk that cannot be opened as it is; open
    the desk once it is restored."""
    # lazy: the recovery dialog loads only for a desk that needs it
    from nsdesk.ui.backups.recovery_dialog import RecoveryDialog

    dialog = RecoveryDialog(
        path,
        reason=wording.error_text(error),
        check=check,
        backup=backup,
        background=context.background,
        parent=window,
    )
    window.show_message(f"{path.name} was not opened.\n\n{dialog.heading_label.text()}")
    accepted = dialog.exec() == QDialog.DialogCode.Accepted
    report, heading = dialog.report, dialog.heading_label.text()
    dialog.deleteLater()
    if not accepted or report is None:
        if not window.back_to_desk():
            window.show_message(
                f"{path.name} was not opened, and nothing was changed.\n\n{heading}\n"
                "Open it again (File ▸ Open desk…) to see what can be restored."
            )
        return False
    if not open_plain(context, window, path):
        return False
    window.show_status(wording.restored_message(report, short=True))
    return True
