"""Restoring a backup over a desk, without ever losing the desk it replaces.

Restore never overwrites: the current desk is first kept aside in the backups
folder — as a verified backup when it is sound, so that restoring it undoes the
restore; byte for byte with its journal when it is damaged — then the backup is
copied in under a temporary name, given its audit entry, and renamed into place.
The restored desk and everything kept aside are readable by their owner only, as
every file nsdesk writes that holds the register.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select

from nsdesk.domain.enums import Channel
from nsdesk.domain.errors import DeskError, NsdeskError
from nsdesk.domain.private_files import make_private_folders, open_private_file
from nsdesk.services.audit import Actor, AuditContext, creation_rows
from nsdesk.services.backups.backups import (
    BackupInfo,
    BackupReason,
    backup_folder,
    file_stamp,
    read_manifest,
    take_backup,
    write_manifest,
)
from nsdesk.store import tables as t
from nsdesk.store.backup import verify_copy
from nsdesk.store.bulk import insert_rows
from nsdesk.store.desk_file import (
    create_desk_engine,
    fsync_directory,
    fsync_file,
    journal_files,
    probe_desk,
    quick_check,
)
from nsdesk.store.lock import acquire


class RestoreRefusedError(NsdeskError):
    """The backup cannot be restored (not a sound desk, or another desk's backup)."""


@dataclass(frozen=True, slots=True)
class RestoreReport:
    restored_from: BackupInfo
    kept_aside: Path | None  # the desk as it was, restorable (None if there was none)
    kept_aside_restorable: bool


def _keep_aside(
    desk_path: Path, desk_uuid: str | None, root: Path | None, now: datetime
) -> tuple[Path | None, bool]:
    """Put the current desk aside in its backups folder before it is replaced: as a
    verified backup when it is a sound desk (restoring it undoes the restore), byte
    for byte with its journal otherwise (an empty, foreign or damaged file)."""
    if not desk_path.exists():
        return None, False
    try:
        probe_desk(desk_path)
        sound = not quick_check(desk_path)
    except DeskError:
        sound = False
    if sound:
        info = take_backup(desk_path, BackupReason.KEPT_ASIDE, root=root, now=now)
        return info.path, True
    folder = backup_folder(desk_uuid, desk_path, root)
    make_private_folders(folder)
    target = folder / f"{desk_path.stem}-{file_stamp(now)}-damaged.nsdesk"
    _private_copy(desk_path, target)
    for companion in journal_files(desk_path):
        if companion.exists():
            _private_copy(companion, target.with_name(target.name + companion.name[-4:]))
    write_manifest(
        BackupInfo(
            target,
            now,
            str(BackupReason.KEPT_ASIDE),
            target.stat().st_size,
            None,
            {},
            0,
            desk_uuid,
            str(desk_path.resolve()),
            verified=False,
        )
    )
    return target, False


def _private_copy(source: Path, target: Path) -> None:
    """``source`` byte for byte in a new owner-only file, with its times (the copy
    holds the register: it does not take over the source's permissions)."""
    with source.open("rb") as reading, open_private_file(target) as writing:
        shutil.copyfileobj(reading, writing)
    stat = source.stat()
    os.utime(target, ns=(stat.st_atime_ns, stat.st_mtime_ns))


def restore_desk(
    desk_path: Path, backup_path: Path, *, root: Path | None = None, now: datetime | None = None
) -> RestoreReport:
    """Replace the desk at ``desk_path`` by the backup at ``backup_path``.

    The backup is checked first; the desk must not be open for editing elsewhere;
    the current desk is kept aside (see module docstring). Raises
    :class:`RestoreRefusedError` when the backup is not a sound desk of this desk.
    """
    moment = now or datetime.now(UTC)
    if desk_path.exists() and backup_path.resolve() == desk_path.resolve():
        raise RestoreRefusedError(f"{backup_path} is the desk itself, not a backup of it")
    problem = verify_copy(backup_path)
    if problem:
        raise RestoreRefusedError(f"{backup_path} cannot be restored: {problem}")
    backup_uuid = probe_desk(backup_path).desk_uuid
    try:
        current_uuid = probe_desk(desk_path).desk_uuid if desk_path.exists() else None
    except DeskError:
        current_uuid = None  # damaged beyond reading: any backup may replace it
    if current_uuid and backup_uuid != current_uuid:
        raise RestoreRefusedError(
            f"{backup_path.name} is a backup of another desk; restore it under a new file "
            "name instead (nothing was changed)"
        )
    backup_info = read_manifest(backup_path) or BackupInfo(
        backup_path,
        datetime.fromtimestamp(backup_path.stat().st_mtime, UTC),
        "external",
        backup_path.stat().st_size,
        None,
        {},
        0,
        backup_uuid,
        "",
    )
    lock = acquire(desk_path)
    try:
        kept, restorable = _keep_aside(desk_path, current_uuid or backup_uuid, root, moment)
        partial = desk_path.with_name(f".{desk_path.name}.restoring-{os.getpid()}")
        try:
            for leftover in (partial, *journal_files(partial)):
                leftover.unlink(missing_ok=True)
            with backup_path.open("rb") as reading, open_private_file(partial) as writing:
                shutil.copyfileobj(reading, writing)
            connection = sqlite3.connect(partial, isolation_level=None)
            try:
                connection.execute("PRAGMA journal_mode = WAL")
            finally:
                connection.close()
            _record_restore(partial, backup_info, kept, moment)  # before it takes the desk's place
            for companion in journal_files(desk_path):
                companion.unlink(missing_ok=True)  # an old journal must never meet the new file
            fsync_file(partial)
            os.replace(partial, desk_path)
            fsync_directory(desk_path.parent)
        finally:
            for leftover in (partial, *journal_files(partial)):
                leftover.unlink(missing_ok=True)
    finally:
        lock.release()
    return RestoreReport(backup_info, kept, restorable)


def _record_restore(
    desk_path: Path, backup: BackupInfo, kept: Path | None, moment: datetime
) -> None:
    """Restoring changes the register: it gets its audit entry, in the restored desk."""
    engine = create_desk_engine(desk_path)
    try:
        with engine.begin() as connection:
            # only columns every schema revision has: the backup may be an older one
            settings_uuid = connection.execute(select(t.desk_settings.c.uuid)).scalar_one()
            ctx = AuditContext(
                Actor.local(Channel.RESTORED),
                note=f"restored from {backup.path.name}"
                + (f"; the replaced desk is kept as {kept.name}" if kept else ""),
            )
            rows = creation_rows(
                ctx,
                "desk_settings",
                [
                    (
                        settings_uuid,
                        "Desk restored",
                        {
                            "backup": backup.path.name,
                            "backup_taken_at": backup.taken_at.isoformat(),
                            "kept_aside": kept.name if kept else None,
                        },
                    )
                ],
            )
            insert_rows(
                connection, t.audit_entry, [{**r, "action": "update", "at": moment} for r in rows]
            )
    finally:
        engine.dispose()
