"""Copying a desk safely with SQLite's online backup API, and checking the copy.

A backup is written under a temporary name, verified (SQLite's quick_check of
every page, that it is an nsdesk desk, the same schema revision, the same row
counts as the snapshot it copied), and only then given its final name: a backup
that exists is a backup that opens.
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass, replace
from pathlib import Path

from nsdesk.domain.errors import DeskError
from nsdesk.domain.private_files import create_private_file, make_private_folders
from nsdesk.store.desk_file import (
    APPLICATION_ID,
    fsync_directory,
    fsync_file,
    raw_connect,
    read_application_id,
)


class BackupError(DeskError):
    """A backup could not be written or did not verify; no backup file was left."""


def table_counts(connection: sqlite3.Connection) -> dict[str, int]:
    """Rows per table (the full-text index's own tables excepted)."""
    names = [
        row[0]
        for row in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' "
            "AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'fts_%' ORDER BY name"
        )
    ]
    return {
        name: connection.execute(f'SELECT COUNT(*) FROM "{name}"').fetchone()[0] for name in names
    }


def _revision(connection: sqlite3.Connection) -> str | None:
    row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    return row[0] if row else None


#: quick_check reads the copy through a memory map this large (a cap, not an allocation).
_VERIFY_MMAP_BYTES = 1 << 30


@dataclass(frozen=True, slots=True)
class BackupCopy:
    """A copy of a desk: where it is, and what the snapshot it copied held."""

    path: Path
    schema_revision: str | None
    counts: dict[str, int]
    audit_high_water: int


def newest_audit_id(connection: sqlite3.Connection) -> int:
    """The newest audit entry's id: it grows with every change made to the desk."""
    return connection.execute("SELECT COALESCE(MAX(id), 0) FROM audit_entry").fetchone()[0]


def copy_snapshot(source: sqlite3.Connection, target: Path) -> BackupCopy:
    """Copy what ``source`` sees to ``target`` (a new file, owner-only) with the online
    backup API, as a standalone file synced to disk; unverified. ``source`` may be a connection to a
    desk whose file was moved or deleted: it still reaches the data."""
    # One read transaction: the copy and the facts it is checked against come from
    # the same snapshot even if another process is writing.
    source.execute("BEGIN")
    try:
        # Created owner-only before SQLite writes a byte: a backup holds the register.
        create_private_file(target)
        destination = sqlite3.connect(target)
        try:
            # The copy is thrown away unless it verifies, so it needs no journal of
            # its own while it is written; it is synced once, below.
            destination.execute("PRAGMA journal_mode = OFF")
            destination.execute("PRAGMA synchronous = OFF")
            source.backup(destination)
            # A backup is a standalone file: no WAL beside it to lose.
            destination.execute("PRAGMA journal_mode = DELETE")
        finally:
            destination.close()
        copy = BackupCopy(target, _revision(source), table_counts(source), newest_audit_id(source))
    finally:
        source.execute("COMMIT")
    fsync_file(target)
    return copy


def backup_desk(source: Path, target: Path) -> BackupCopy:
    """Copy the desk at ``source`` to ``target`` (which must not exist) and verify it:
    integrity, an nsdesk desk, the same schema revision and row counts as the desk
    had in the very snapshot that was copied."""
    if target.exists():
        raise BackupError(target, "a file of that name already exists")
    make_private_folders(target.parent)
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    try:
        connection = raw_connect(source, mode="read")
        try:
            copy = copy_snapshot(connection, partial)
        finally:
            connection.close()
        problem = verify_copy(partial, expected=copy)
        if problem:
            raise BackupError(target, f"the copy did not verify ({problem}); it was discarded")
        os.replace(partial, target)
        fsync_directory(target.parent)
        return replace(copy, path=target)
    except sqlite3.Error as error:
        raise BackupError(target, f"the desk could not be copied ({error})") from error
    finally:
        partial.unlink(missing_ok=True)


def verify_copy(copy: Path, *, expected: BackupCopy | None = None) -> str | None:
    """Why a backup file cannot be trusted, or ``None`` when it is a sound desk (and,
    with ``expected``, holds that schema revision and those row counts)."""
    try:
        if read_application_id(copy) != APPLICATION_ID:
            return "not an nsdesk desk"
        connection = sqlite3.connect(f"file:{copy}?mode=ro", uri=True)
        try:
            connection.execute(f"PRAGMA mmap_size = {_VERIFY_MMAP_BYTES}")  # no page-cache copies
            # quick_check reads every page, b-tree and record: what a copy can damage.
            # (integrity_check also cross-checks indexes against tables — five times
            # slower, and a page-for-page copy of a sound desk cannot break that.)
            result = connection.execute("PRAGMA quick_check").fetchone()[0]
            if result != "ok":
                return f"integrity check: {result}"
            revision = _revision(connection)
            if expected is not None and (revision, table_counts(connection)) != (
                expected.schema_revision,
                expected.counts,
            ):
                return "row counts or schema differ from the desk"
        finally:
            connection.close()
    except (OSError, sqlite3.Error) as error:
        return str(error)
    return None
