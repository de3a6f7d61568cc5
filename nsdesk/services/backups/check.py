"""``nsdesk check``: is this desk sound, which schema is it, what does it hold?

Reads only: the file is opened read-only, nothing is migrated, repaired or
written, so checking a doubtful file can never make it worse.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select

from nsdesk.domain.errors import LockHolder
from nsdesk.services.backups.backups import list_backups
from nsdesk.services.backups.crash_check import compare_with_backups
from nsdesk.services.desk import DeskInfo, read_desk_info
from nsdesk.services.overview.standings import RecordCount, record_counts
from nsdesk.store import tables as t
from nsdesk.store.desk_file import create_desk_engine, probe_desk, quick_check
from nsdesk.store.lock import lock_state
from nsdesk.store.migrate import SCHEMA_HEAD, needs_migration
from nsdesk.store.search import full_text_search_for


@dataclass(frozen=True, slots=True)
class CheckReport:
    """What ``check`` found; ``problems`` is empty for a sound desk."""

    path: Path
    schema_revision: str
    schema_head: str
    needs_migration: bool
    journal_mode: str
    problems: tuple[str, ...]
    info: DeskInfo | None
    counts: tuple[RecordCount, ...]
    #: The live session holding the desk for editing, if any.
    held_by: LockHolder | None = None
    #: The session that left the desk without closing it (crash, power loss), if any.
    left_open_by: LockHolder | None = None
    newest_backup: Path | None = None

    @property
    def sound(self) -> bool:
        return not self.problems


def check_desk(path: Path) -> CheckReport:
    """Check the desk at ``path`` without changing it.

    Refusals (not a desk, newer schema…) raise the usual ``DeskError``; damage
    found inside a readable desk is listed in ``problems``.
    """
    probe = probe_desk(path)
    revision = probe.schema_revision or "none"
    older = needs_migration(path, probe.schema_revision) if probe.schema_revision else False
    problems = list(quick_check(path))
    info, counts = None, ()
    if not problems and not older and probe.schema_revision:
        engine = create_desk_engine(path, read_only=True)
        try:
            with engine.connect() as connection:
                info = read_desk_info(connection)
                counts = record_counts(connection)
                problems += full_text_search_for(connection.dialect.name).problems(connection)
                c, entry = t.commitment, t.status_entry
                without_history = connection.scalar(
                    select(func.count())
                    .select_from(c)
                    .where(~select(entry.c.id).where(entry.c.commitment_id == c.c.id).exists())
                )
                if without_history:
                    problems.append(
                        f"{without_history} commitment has no history entry"
                        if without_history == 1
                        else f"{without_history} commitments have no history entry"
                    )
        finally:
            engine.dispose()
    held_by, left_open_by = lock_state(path)
    backups = list_backups(path, desk_uuid=probe.desk_uuid)
    newest = backups[0].path if backups else None
    if not problems and not older:  # quick_check passed above: compare the counts only
        crash = compare_with_backups(path, backups)
        problems += [
            f"{table}: {_rows(before - now)} that the newest backup holds "
            f"{'is' if before - now == 1 else 'are'} missing (committed work was lost)"
            for table, (before, now) in sorted(crash.lost.items())
        ]
        newest = crash.newest_backup.path if crash.newest_backup else None
    return CheckReport(
        path=path,
        schema_revision=revision,
        schema_head=SCHEMA_HEAD,
        needs_migration=older,
        journal_mode=probe.journal_mode,
        problems=tuple(problems),
        info=info,
        counts=counts,
        held_by=held_by,
        left_open_by=left_open_by,
        newest_backup=newest,
    )


def _rows(n: int) -> str:
    """ "1 row", "3 rows"."""
    return f"{n:,} row" if n == 1 else f"{n:,} rows"
