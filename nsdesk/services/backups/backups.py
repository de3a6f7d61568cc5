"""Backups: taken, verified, described, listed and thinned out.

Backups are taken with SQLite's online backup API (consistent while the desk is
in use), verified before they count (integrity, schema revision, row counts), and
only then allowed to rotate older ones out. They live in the user data folder,
one folder per desk (by the desk's UUID), never beside the desk: a desk in a
synced folder must not fill it with copies. Each backup has a small manifest
(``.json``) saying when, why, and what it holds, so listing them opens no desk.
Backups, their manifests and the folders nsdesk makes for them are readable by
their owner only.

Retention keeps disk use bounded: the ``KEEP_RECENT`` newest backups, the newest
of each of the last ``KEEP_DAILY`` days, the newest of each of the last
``KEEP_MONTHLY`` months, and everything taken in the last day for a reason other
than the periodic one (before an import, a migration, a restore).

Restoring one is :mod:`nsdesk.services.backups.restore`; comparing a desk with its newest
backup after a crash is :mod:`nsdesk.services.backups.crash_check`.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

from nsdesk import __version__, locations
from nsdesk.domain.errors import DeskError
from nsdesk.domain.private_files import make_private_folders, write_private_bytes
from nsdesk.store.backup import backup_desk, copy_snapshot, newest_audit_id, verify_copy
from nsdesk.store.desk_file import probe_desk, raw_connect

if TYPE_CHECKING:
    from nsdesk.services.desk import Desk

KEEP_RECENT = 8
KEEP_DAILY = 14
KEEP_MONTHLY = 12
PERIODIC_MINUTES = 5
"""How often the app backs up a desk that has changed since its last backup."""

# Tables whose rows are never deleted (records are retired, audit entries kept):
# fewer rows than in a backup means lost work. Link tables may shrink legitimately,
# and do not count as records.
LINK_TABLES = frozenset(
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
    BEFORE_MERGE = "before-merge"
    BEFORE_MIGRATION = "before-migration"
    BEFORE_RESTORE = "before-restore"
    KEPT_ASIDE = "replaced-by-restore"
    EMERGENCY = "emergency"


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

    def of_file(self, desk_path: Path) -> bool:
        """Whether this is a backup of the file at ``desk_path``. Copies of a desk
        share its UUID, hence its backups folder, but each has its own history."""
        return self.desk_path == str(desk_path.resolve())

    @property
    def record_count(self) -> int:
        return sum(n for table, n in self.counts.items() if table not in LINK_TABLES)


def _manifest(path: Path) -> Path:
    return path.with_name(path.name + ".json")


def write_manifest(info: BackupInfo) -> None:
    """Describe the backup at ``info.path`` beside it (``NAME.nsdesk.json``)."""
    data = asdict(info)
    data.update(path=info.path.name, taken_at=info.taken_at.isoformat(), version=__version__)
    text = json.dumps(data, indent=1, sort_keys=True)
    write_private_bytes(_manifest(info.path), text.encode("utf-8"))  # it names the desk


def read_manifest(path: Path) -> BackupInfo | None:
    """The description beside a backup file, or ``None`` when it is missing or unreadable."""
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


def file_stamp(moment: datetime) -> str:
    """``moment`` as it appears in a backup's file name (UTC, to the millisecond)."""
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
    target = to or folder / f"{desk_path.stem}-{file_stamp(moment)}-{reason}.nsdesk"
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
    write_manifest(info)
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
    for folder in folders:
        for path in folder.glob("*.nsdesk"):
            info = read_manifest(path)
            if info is not None and (desk_uuid or info.of_file(desk_path)):
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
        (i for i in (read_manifest(p) for p in folder.glob("*.nsdesk")) if i and i.verified),
        key=lambda i: i.taken_at,
        reverse=True,
    )
    # Each file's backups are thinned on their own: a copy of the desk backed up
    # often must never push out the only backups of the other.
    by_file: dict[str, list[BackupInfo]] = {}
    for backup in backups:
        by_file.setdefault(backup.desk_path, []).append(backup)
    moment = now or datetime.now(UTC)
    keep = set().union(*(_retained(group, moment) for group in by_file.values()))
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
        return newest_audit_id(connection)
    finally:
        connection.close()


def needs_backup(desk_path: Path, *, root: Path | None = None) -> bool:
    """Whether the desk has changed since its newest backup (or has none)."""
    mine = [b for b in list_backups(desk_path, root=root) if b.of_file(desk_path)]
    return not mine or audit_high_water(desk_path) > mine[0].audit_high_water


def emergency_backup(desk: Desk) -> Path:
    """Save what an open desk's connection still sees — even when its file was moved
    or deleted meanwhile — to the desk's backups folder; returns the copy's path."""
    moment = datetime.now(UTC)
    source = desk.driver_connection()
    desk_uuid = source.execute("SELECT uuid FROM desk_settings").fetchone()[0]
    folder = backup_folder(desk_uuid, desk.path, desk.backups_root)
    make_private_folders(folder)
    target = folder / f"{desk.path.stem}-{file_stamp(moment)}-{BackupReason.EMERGENCY}.nsdesk"
    # Kept even if it does not verify: in an emergency, a doubtful copy beats none.
    copy = copy_snapshot(source, target)
    write_manifest(
        BackupInfo(
            target,
            moment,
            str(BackupReason.EMERGENCY),
            target.stat().st_size,
            copy.schema_revision,
            copy.counts,
            copy.audit_high_water,
            desk_uuid,
            str(desk.path.resolve()),
            verified=verify_copy(target, expected=copy) is None,
        )
    )
    return target
