"""Backups, restore, and the check after an unclean shutdown.

Backups are taken with SQLite's online backup API (consistent while the desk is
in use), verified before they count (integrity, schema revision, row counts), and
only then allowed to rotate older ones out. They live in the user data folder,
one folder per desk (by the desk's UUID), never beside the desk: a desk in a
synced folder must not fill it with copies. Each backup has a small manifest
(``.json``) saying when, why, and what it holds, so listing them opens no desk.

Retention keeps disk use bounded: the ``KEEP_RECENT`` newest backups, the newest
of each of the last ``KEEP_DAILY`` days, the newest of each of the last
``KEEP_MONTHLY`` months, and everything taken in the last day for a reason other
than the periodic one (before an import, a migration, a restore).

Restore never overwrites: the current desk is first kept aside in the backups
folder — as a verified backup when it is sound, so that restoring it undoes the
restore; byte for byte with its journal when it is damaged — then the backup is
copied in under a temporary name, checked, and renamed into place.

After an unclean shutdown the desk is checked, and compared with its newest
backup: nsdesk never deletes a record (it retires them) and never an audit entry,
so a table holding fewer rows than the backup has lost committed work (a damaged
journal can drop transactions while the integrity check still says "ok").
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

from nsdesk import __version__, locations
from nsdesk.domain.enums import Channel
from nsdesk.domain.errors import DeskError, NsdeskError
from nsdesk.store.backup import backup_desk, table_counts, verify_copy
from nsdesk.store.desk_file import fsync_directory, probe_desk, quick_check, raw_connect
from nsdesk.store.lock import acquire

if TYPE_CHECKING:
    from nsdesk.services.desk import Desk

KEEP_RECENT = 8
KEEP_DAILY = 14
KEEP_MONTHLY = 12
PERIODIC_MINUTES = 5
"""How often the app backs up a desk that has changed since its last backup."""

# Tables whose rows are never deleted (records are retired, audit entries kept):
# fewer rows than in a backup means lost work. Link tables may shrink legitimately.
_LINK_TABLES = frozenset(
    {
        "theme_mapping", "gift_basket_lead", "gift_basket_theme", "membership_snapshot_party",
        "commitment_theme", "commitment_agency", "commitment_instrument",
        "commitment_gift_basket", "alembic_version", "sequence_counter",
    }
)  # fmt: skip


class BackupReason(StrEnum):
    ON_OPEN = "on-open"
    PERIODIC = "periodic"
    MANUAL = "manual"
    BEFORE_IMPORT = "before-import"
    BEFORE_MIGRATION = "before-migration"
    BEFORE_RESTORE = "before-restore"
    KEPT_ASIDE = "replaced-by-restore"
    EMERGENCY = "emergency"


class RestoreRefusedError(NsdeskError):
    """The backup cannot be restored (not a sound desk, or another desk's backup)."""


@dataclass(frozen=True, slots=True)
class BackupInfo:
    """One backup, as its manifest describes it."""

    path: Path
    taken_at: datetime
    reason: str
    size: int
    schema_revision: str | None
    counts: dict[str, int]
    audit_high_water: int
    desk_uuid: str | None
    desk_path: str
    verified: bool = True

    @property
    def record_count(self) -> int:
        return sum(n for table, n in self.counts.items() if table not in _LINK_TABLES)


def _manifest(path: Path) -> Path:
    return path.with_name(path.name + ".json")


def _write_manifest(info: BackupInfo) -> None:
    data = asdict(info)
    data.update(path=info.path.name, taken_at=info.taken_at.isoformat(), version=__version__)
    _manifest(info.path).write_text(json.dumps(data, indent=1, sort_keys=True), "utf-8")


def _read_manifest(path: Path) -> BackupInfo | None:
    try:
        data = json.loads(_manifest(path).read_text("utf-8"))
        return BackupInfo(
            path=path,
            taken_at=datetime.fromisoformat(data["taken_at"]),
            reason=data["reason"],
            size=path.stat().st_size,
            schema_revision=data.get("schema_revision"),
            counts=data.get("counts", {}),
            audit_high_water=int(data.get("audit_high_water", 0)),
            desk_uuid=data.get("desk_uuid"),
            desk_path=data.get("desk_path", ""),
            verified=bool(data.get("verified", True)),
        )
    except (OSError, ValueError, KeyError):
        return None


def backup_folder(desk_uuid: str | None, desk_path: Path, root: Path | None = None) -> Path:
    """Where the backups of a desk live: the user data folder, one folder per desk."""
    return (root or locations.backups_dir()) / (desk_uuid or f"by-name-{desk_path.stem}")


def _stamp(moment: datetime) -> str:
    return moment.strftime("%Y%m%dT%H%M%S") + f"{moment.microsecond // 1000:03d}Z"


def take_backup(
    desk_path: Path,
    reason: BackupReason = BackupReason.MANUAL,
    *,
    root: Path | None = None,
    to: Path | None = None,
    now: datetime | None = None,
) -> BackupInfo:
    """Back up the desk at ``desk_path`` (online: it may be open and in use).

    Without ``to`` the backup goes to the desk's backups folder, and older backups
    are rotated out once this one has verified. With ``to`` it is written there
    (the file must not exist) and nothing is rotated.
    """
    probe = probe_desk(desk_path)
    moment = now or datetime.now(UTC)
    folder = backup_folder(probe.desk_uuid, desk_path, root)
    target = to or folder / f"{desk_path.stem}-{_stamp(moment)}-{reason}.nsdesk"
    copy = backup_desk(desk_path, target)
    info = BackupInfo(
        path=copy.path,
        taken_at=moment,
        reason=str(reason),
        size=copy.path.stat().st_size,
        schema_revision=copy.schema_revision,
        counts=copy.counts,
        audit_high_water=copy.audit_high_water,
        desk_uuid=probe.desk_uuid,
        desk_path=str(desk_path.resolve()),
    )
    _write_manifest(info)
    if to is None:
        rotate(folder, now=moment)
    return info


def list_backups(
    desk_path: Path, *, root: Path | None = None, desk_uuid: str | None = None
) -> list[BackupInfo]:
    """The backups of a desk, newest first. Works for a damaged desk too (found by
    its UUID when readable, else by the path recorded in the manifests)."""
    if desk_uuid is None:
        try:
            desk_uuid = probe_desk(desk_path).desk_uuid
        except DeskError:
            desk_uuid = None
    base = root or locations.backups_dir()
    folders = [backup_folder(desk_uuid, desk_path, root)] if desk_uuid else []
    if not folders and base.is_dir():
        folders = [f for f in base.iterdir() if f.is_dir()]
    found = []
    wanted = str(desk_path.resolve())
    for folder in folders:
        for path in folder.glob("*.nsdesk"):
            info = _read_manifest(path)
            if info is not None and (desk_uuid or info.desk_path == wanted):
                found.append(info)
    return sorted(found, key=lambda i: i.taken_at, reverse=True)


def _retained(backups: list[BackupInfo], now: datetime) -> set[Path]:
    keep = {b.path for b in backups[:KEEP_RECENT]}
    days, months = set(), set()
    for backup in backups:  # newest first: the first seen in a day/month is its newest
        age = now - backup.taken_at
        day, month = backup.taken_at.date(), (backup.taken_at.year, backup.taken_at.month)
        if age <= timedelta(days=KEEP_DAILY) and day not in days:
            days.add(day)
            keep.add(backup.path)
        if age <= timedelta(days=31 * KEEP_MONTHLY) and month not in months:
            months.add(month)
            keep.add(backup.path)
        if age <= timedelta(days=1) and backup.reason != BackupReason.PERIODIC:
            keep.add(backup.path)
    return keep


def rotate(folder: Path, *, now: datetime | None = None) -> list[Path]:
    """Remove the backups the retention policy no longer keeps; returns them.
    Only verified backups are counted and removed; anything else is left alone."""
    backups = sorted(
        (i for i in (_read_manifest(p) for p in folder.glob("*.nsdesk")) if i and i.verified),
        key=lambda i: i.taken_at,
        reverse=True,
    )
    keep = _retained(backups, now or datetime.now(UTC))
    removed = []
    for backup in backups:
        if backup.path not in keep:
            backup.path.unlink(missing_ok=True)
            _manifest(backup.path).unlink(missing_ok=True)
            removed.append(backup.path)
    return removed


def audit_high_water(desk_path: Path) -> int:
    """The newest audit entry's id: it grows with every change made to the desk."""
    connection = raw_connect(desk_path, mode="read")
    try:
        return connection.execute("SELECT COALESCE(MAX(id), 0) FROM audit_entry").fetchone()[0]
    finally:
        connection.close()


def needs_backup(desk_path: Path, *, root: Path | None = None) -> bool:
    """Whether the desk has changed since its newest backup (or has none)."""
    backups = list_backups(desk_path, root=root)
    return not backups or audit_high_water(desk_path) > backups[0].audit_high_water


def emergency_backup(desk: Desk) -> Path:
    """Save what an open desk's connection still sees — even when its file was moved
    or deleted meanwhile — to the desk's backups folder; returns the copy's path."""
    moment = datetime.now(UTC)
    source = desk.driver_connection()
    desk_uuid = source.execute("SELECT uuid FROM desk_settings").fetchone()[0]
    folder = backup_folder(desk_uuid, desk.path, desk.backups_root)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{desk.path.stem}-{_stamp(moment)}-{BackupReason.EMERGENCY}.nsdesk"
    copy = sqlite3.connect(target)
    try:
        source.backup(copy)
        copy.execute("PRAGMA journal_mode = DELETE")
        counts = table_counts(copy)
        high_water = copy.execute("SELECT COALESCE(MAX(id), 0) FROM audit_entry").fetchone()[0]
        revision = copy.execute("SELECT version_num FROM alembic_version").fetchone()[0]
    finally:
        copy.close()
    _write_manifest(
        BackupInfo(
            target,
            moment,
            str(BackupReason.EMERGENCY),
            target.stat().st_size,
            revision,
            counts,
            high_water,
            desk_uuid,
            str(desk.path),
            verified=verify_copy(target) is None,
        )
    )
    return target


# -- after an unclean shutdown --------------------------------------------------------


@dataclass(frozen=True)
class CrashCheck:
    """What the check after an unclean shutdown found."""

    problems: tuple[str, ...]
    lost: dict[str, tuple[int, int]] = field(default_factory=dict)  # table: (backup, desk)
    newest_backup: BackupInfo | None = None
    changes_since_backup: int | None = None  # audit entries a restore would drop

    @property
    def sound(self) -> bool:
        return not self.problems and not self.lost

    def describe(self) -> str:
        """What was found and what restoring the newest backup would cost, in words."""
        lines = list(self.problems)
        for table, (before, now) in sorted(self.lost.items()):
            lines.append(
                f"{table}: {before - now} rows that the backup of "
                f"{self.newest_backup.taken_at:%d %b %Y %H:%M} UTC holds are missing"
            )
        if self.newest_backup is not None:
            when = f"{self.newest_backup.taken_at:%d %b %Y %H:%M} UTC"
            if self.changes_since_backup:
                lines.append(
                    f"Restoring the backup of {when} would lose the "
                    f"{self.changes_since_backup} changes recorded after it."
                )
            else:
                lines.append(f"The newest good backup is of {when}.")
        else:
            lines.append("There is no backup of this desk.")
        return "\n".join(lines)


def _last_restore(connection: sqlite3.Connection) -> datetime | None:
    row = connection.execute(
        "SELECT MAX(at) FROM audit_entry WHERE channel = 'restored'"
    ).fetchone()
    return datetime.fromisoformat(row[0]).replace(tzinfo=UTC) if row and row[0] else None


def _baseline(backups: list[BackupInfo], since: datetime | None) -> BackupInfo | None:
    """The newest backup of the desk as it now stands: verified, of this desk's own
    history (taken after its last restore), not a copy of a replaced desk."""
    for backup in backups:  # newest first
        if not backup.verified or backup.reason in (
            BackupReason.KEPT_ASIDE,
            BackupReason.EMERGENCY,
        ):
            continue
        if since is not None and backup.taken_at < since:
            return None
        return backup
    return None


def check_after_crash(desk_path: Path, *, root: Path | None = None) -> CrashCheck:
    """Check a desk whose last session did not close it: integrity, foreign keys,
    and no fewer rows than its newest backup."""
    backups = list_backups(desk_path, root=root)
    problems = tuple(quick_check(desk_path))
    if problems:
        restorable = [b for b in backups if b.verified and b.reason != BackupReason.EMERGENCY]
        return CrashCheck(problems, {}, restorable[0] if restorable else None, None)
    connection = raw_connect(desk_path, mode="read")
    try:
        counts = table_counts(connection)
        newest = _baseline(backups, _last_restore(connection))
        changes = None
        if newest is not None:
            changes = connection.execute(
                "SELECT COUNT(*) FROM audit_entry WHERE id > ?", (newest.audit_high_water,)
            ).fetchone()[0]
    finally:
        connection.close()
    lost: dict[str, tuple[int, int]] = {}
    if newest is not None:
        for table, before in newest.counts.items():
            if table not in _LINK_TABLES and counts.get(table, 0) < before:
                lost[table] = (before, counts.get(table, 0))
    return CrashCheck((), lost, newest, changes)


# -- restore -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RestoreReport:
    restored_from: BackupInfo
    kept_aside: Path | None  # the desk as it was, restorable (None if there was none)
    kept_aside_restorable: bool


def _companions(path: Path) -> list[Path]:
    return [path.with_name(path.name + suffix) for suffix in ("-wal", "-shm")]


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
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{desk_path.stem}-{_stamp(now)}-damaged.nsdesk"
    shutil.copy2(desk_path, target)
    for companion in _companions(desk_path):
        if companion.exists():
            shutil.copy2(companion, target.with_name(target.name + companion.name[-4:]))
    _write_manifest(
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
    backup_info = _read_manifest(backup_path) or BackupInfo(
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
            shutil.copyfile(backup_path, partial)
            connection = sqlite3.connect(partial, isolation_level=None)
            try:
                connection.execute("PRAGMA journal_mode = WAL")
            finally:
                connection.close()
            _record_restore(partial, backup_info, kept, moment)  # before it takes the desk's place
            for companion in _companions(desk_path):
                companion.unlink(missing_ok=True)  # an old journal must never meet the new file
            os.replace(partial, desk_path)
            fsync_directory(desk_path.parent)
        finally:
            for leftover in (partial, *_companions(partial)):
                leftover.unlink(missing_ok=True)
    finally:
        lock.release()
    return RestoreReport(backup_info, kept, restorable)


def _record_restore(
    desk_path: Path, backup: BackupInfo, kept: Path | None, moment: datetime
) -> None:
    """Restoring changes the register: it gets its audit entry, in the restored desk."""
    from sqlalchemy import select

    from nsdesk.services.audit import Actor, AuditContext, creation_rows
    from nsdesk.store import tables as t
    from nsdesk.store.bulk import insert_rows
    from nsdesk.store.desk_file import create_desk_engine

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
