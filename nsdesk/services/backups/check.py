"""``nsdesk check``: is this desk sound, which schema is it, what does it hold?

Reads only: the file (or the server's database) is opened read-only, nothing is
migrated, repaired or written, so checking a doubtful desk can never make it worse.

On a desk file the check reads every page (SQLite's ``quick_check``), the keys,
the search index and the counts against the newest backup. On a server desk there
are no pages of nsdesk's to read — PostgreSQL enforces every key and constraint and
keeps its indexes itself, and page checks (``pg_amcheck``) and backups
(``pg_dump``) are IT's — so it checks the schema, the search index, the roles'
rights and the content, and says what the server is.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, func, select

from nsdesk.domain.errors import LockHolder
from nsdesk.domain.location import DeskLocation, ServerAddress
from nsdesk.services.backups.backups import list_backups
from nsdesk.services.backups.crash_check import compare_with_backups
from nsdesk.services.desk import DeskInfo, read_desk_info
from nsdesk.services.overview.standings import RecordCount, record_counts
from nsdesk.store import tables as t
from nsdesk.store.desk_file import create_desk_engine, probe_desk, quick_check
from nsdesk.store.lock import lock_state
from nsdesk.store.migrate import SCHEMA_HEAD, needs_migration
from nsdesk.store.search import full_text_search_for

if TYPE_CHECKING:
    from nsdesk.store.server import ServerFacts


@dataclass(frozen=True, slots=True)
class CheckReport:
    """What ``check`` found; ``problems`` is empty for a sound desk."""

    path: DeskLocation
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
    #: The server, its login and roles (server desks only).
    server: ServerFacts | None = None

    @property
    def sound(self) -> bool:
        return not self.problems


def check_desk(path: DeskLocation) -> CheckReport:
    """Check the desk at ``path`` (a file or a server's database) without changing it.

    Refusals (not a desk, newer schema…) raise the usual ``DeskError``; damage
    found inside a readable desk is listed in ``problems``.
    """
    if isinstance(path, ServerAddress):
        return _check_server_desk(path)
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
                problems += _content_problems(connection)
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


def _content_problems(connection: Connection) -> list[str]:
    """What is wrong inside a readable desk of either kind: its search index, and
    commitments without the history entry every commitment starts with."""
    problems = full_text_search_for(connection.dialect.name).problems(connection)
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
    return problems


def _check_server_desk(address: ServerAddress) -> CheckReport:
    """:func:`check_desk` for a desk in a PostgreSQL database (read-only transactions)."""
    # lazy: the server's side (and psycopg) load only for a server desk
    from nsdesk.store.server import (
        create_server_engine,
        probe_server,
        server_facts,
        server_problems,
    )

    probe = probe_server(address)
    revision = probe.schema_revision or "none"
    older = needs_migration(address, probe.schema_revision) if probe.schema_revision else False
    info, counts, problems, facts = None, (), [], None
    engine = create_server_engine(address, read_only=True, pooled=False)
    try:
        with engine.connect() as connection:
            facts = server_facts(connection)
            problems += server_problems(connection)
            if not older and probe.schema_revision:
                info = read_desk_info(connection)
                counts = record_counts(connection)
                problems += _content_problems(connection)
    finally:
        engine.dispose()
    return CheckReport(
        path=address,
        schema_revision=revision,
        schema_head=SCHEMA_HEAD,
        needs_migration=older,
        journal_mode=probe.journal_mode,
        problems=tuple(problems),
        info=info,
        counts=counts,
        server=facts,
    )
