"""The check after an unclean shutdown.

The desk is checked, and compared with its newest backup: nsdesk never deletes a
record (it retires them) and never an audit entry, so a table holding fewer rows
than the backup has lost committed work (a damaged journal can drop transactions
while the integrity check still says "ok").
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from nsdesk.services.backups.backups import LINK_TABLES, BackupInfo, BackupReason, list_backups
from nsdesk.store.backup import table_counts
from nsdesk.store.desk_file import quick_check, raw_connect


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
        if self.newest_backup is not None:
            when = f"{self.newest_backup.taken_at:%d %b %Y %H:%M} UTC"
            # rows are only ever found lost against a backup
            for table, (before, now) in sorted(self.lost.items()):
                lost = before - now
                rows = f"{lost:,} row" if lost == 1 else f"{lost:,} rows"
                lines.append(
                    f"{table}: {rows} that the backup of {when} holds "
                    f"{'is' if lost == 1 else 'are'} missing"
                )
            if self.changes_since_backup:
                changes = self.changes_since_backup
                lines.append(
                    f"Restoring the backup of {when} would lose the "
                    + ("change" if changes == 1 else f"{changes:,} changes")
                    + " recorded after it."
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


def _baseline(
    backups: list[BackupInfo], since: datetime | None, desk_path: Path
) -> BackupInfo | None:
    """The newest backup of the desk as it now stands: verified, of this file's own
    history (taken after its last restore), not a copy of a replaced desk. A copy
    of the desk file (same UUID, so the same backups folder) has a history of its
    own: its backups would make this file look as if it had lost work."""
    for backup in backups:  # newest first
        if not backup.verified or backup.reason in (
            BackupReason.KEPT_ASIDE,
            BackupReason.EMERGENCY,
        ):
            continue
        if not backup.of_file(desk_path):
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
    return compare_with_backups(desk_path, backups)


def compare_with_backups(desk_path: Path, backups: list[BackupInfo]) -> CrashCheck:
    """Compare a sound desk's row counts with the newest of ``backups`` (newest first)
    that belongs to its present history: fewer rows there means lost work."""
    connection = raw_connect(desk_path, mode="read")
    try:
        counts = table_counts(connection)
        newest = _baseline(backups, _last_restore(connection), desk_path)
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
            if table not in LINK_TABLES and counts.get(table, 0) < before:
                lost[table] = (before, counts.get(table, 0))
    return CrashCheck((), lost, newest, changes)
