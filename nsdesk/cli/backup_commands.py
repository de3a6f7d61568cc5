"""``nsdesk backup`` and ``nsdesk restore``: verified copies of a desk, and putting
one back (the desk it replaces is kept aside)."""

from __future__ import annotations

import argparse
from pathlib import Path

from nsdesk.cli.terminal import refuse, say
from nsdesk.cli.usage import EXIT_OK, EXIT_USAGE, UsageError
from nsdesk.domain.location import ServerAddress, existing_desk_location
from nsdesk.services.backups.backups import BackupReason, list_backups, take_backup
from nsdesk.services.backups.restore import restore_desk


def run_backup(args: argparse.Namespace) -> int:
    """``nsdesk backup DESK [--to FILE]``: take a backup and say what was verified."""
    desk = existing_desk_location(args.desk)
    if isinstance(desk, ServerAddress):
        raise UsageError(server_backup_refusal(desk))
    target = Path(args.to) if args.to else None
    if target is not None and target.exists():
        raise UsageError(f"--to {target}: a file of that name already exists")
    info = take_backup(desk, BackupReason.MANUAL, to=target)
    say(f"Backed up {args.desk} to {info.path}")
    say(
        f"Verified: integrity ok, schema {info.schema_revision}, "
        f"{info.record_count:,} records, {info.size / 1e6:.1f} MB."
    )
    return EXIT_OK


def _list_backups(desk: Path) -> None:
    backups = list_backups(desk)
    if not backups:
        say(f"There are no backups of {desk}.")
        return
    say(f"Backups of {desk}, newest first:")
    for info in backups:
        when = info.taken_at.astimezone().strftime("%d %b %Y %H:%M")
        say(
            f"  {when}  {info.reason:<20} {info.size / 1e6:6.1f} MB  {info.record_count:>8,} "
            f"records  {info.path}"
        )


def run_restore(args: argparse.Namespace) -> int:
    """``nsdesk restore DESK --from FILE``; without ``--from`` it lists the desk's
    backups and asks for one (status 2)."""
    desk = existing_desk_location(args.desk)
    if isinstance(desk, ServerAddress):
        raise UsageError(server_backup_refusal(desk))
    if args.source is None:
        _list_backups(desk)
        refuse("choose the backup to restore with --from FILE")
        return EXIT_USAGE
    report = restore_desk(desk, Path(args.source))
    say(
        f"Restored {args.desk} from {report.restored_from.path.name} "
        f"(taken {report.restored_from.taken_at:%d %b %Y %H:%M} UTC)."
    )
    if report.kept_aside is not None:
        kind = "To undo, restore it" if report.kept_aside_restorable else "It is damaged"
        say(f"The desk it replaced is kept as {report.kept_aside}. {kind}.")
    return EXIT_OK


RUNNERS = {"backup": run_backup, "restore": run_restore}
"""The function that runs each command of this group."""


def server_backup_refusal(address: ServerAddress) -> str:
    """Why nsdesk neither backs up nor restores a desk on a server, and who does."""
    return (
        f"{address}: a desk on a server is backed up by the server's administrators, not "
        f"by nsdesk: pg_dump --format=custom --file=REGISTER.dump {address.database} (and "
        "pg_restore to put one back; see the README's 'Backing up a server desk'). To take "
        f"a copy for yourself, save it as a desk file: nsdesk copy {address} COPY.nsdesk"
    )
