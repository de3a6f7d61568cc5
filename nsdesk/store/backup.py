"""Copying a desk safely with SQLite's online backup API, and checking the copy.

A backup is written under a temporary name, verified (SQLite's quick_check of
every page, that it is an nsdesk desk, the same schema revision, the same row
counts as the snapshot it copied), and only then given its final name: a backup
that exists is a backup that opens.
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from nsdesk.domain.errors import DeskError
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
    """A verified copy: where it is, and what it was checked to contain."""

    path: Path
    schema_revision: str | None
    counts: dict[str, int]
    audit_high_water: int


def backup_desk(source: Path, target: Path) -> BackupCopy:
    """Copy the desk at ``source`` to ``target`` (which must not exist) and verify it:
    integrity, an nsdesk desk, the same schema revision and row counts as the desk
    had in the very snapshot that was copied."""
    if target.exists():
        raise BackupError(target, "a file of that name already exists")
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    try:
        src = raw_connect(source, mode="read")
        try:
            # One read transaction: the copy and the counts it is checked against
            # come from the same snapshot even if another process is writing.
            src.execute("BEGIN")
            dst = sqlite3.connect(partial)
            try:
                # The partial file is thrown away unless it verifies, so it needs no
                # journal of its own while it is written; it is synced once, below.
                dst.execute("PRAGMA journal_mode = OFF")
                dst.execute("PRAGMA synchronous = OFF")
                src.backup(dst)
                # A backup is a standalone file: no WAL beside it to lose.
                dst.execute("PRAGMA journal_mode = DELETE")
            finally:
                dst.close()
            expected = (_revision(src), table_counts(src))
            high_water = src.execute("SELECT COALESCE(MAX(id), 0) FROM audit_entry").fetchone()[0]
            src.execute("COMMIT")
        finally:
            src.close()
        fsync_file(partial)
        problem = _verify(partial, expected)
        if problem:
            raise BackupError(target, f"the copy did not verify ({problem}); it was discarded")
        os.replace(partial, target)
        fsync_directory(target.parent)
        return BackupCopy(target, expected[0], expected[1], high_water)
    except sqlite3.Error as error:
        raise BackupError(target, f"the desk could not be copied ({error})") from error
    finally:
        partial.unlink(missing_ok=True)


def verify_copy(copy: Path) -> str | None:
    """Why a backup file cannot be trusted, or ``None`` when it is a sound desk."""
    try:
        if read_application_id(copy) != APPLICATION_ID:
            return "not an nsdesk desk"
        connection = sqlite3.connect(f"file:{copy}?mode=ro", uri=True)
        try:
            result = connection.execute("PRAGMA quick_check").fetchone()[0]
            _revision(connection)
        finally:
            connection.close()
    except (OSError, sqlite3.Error) as error:
        return str(error)
    return None if result == "ok" else f"integrity check: {result}"


def _verify(copy: Path, expected: tuple[str | None, dict[str, int]]) -> str | None:
    if read_application_id(copy) != APPLICATION_ID:
        return "not marked as a desk"
    connection = sqlite3.connect(f"file:{copy}?mode=ro", uri=True)
    try:
        connection.execute(f"PRAGMA mmap_size = {_VERIFY_MMAP_BYTES}")  # no page-cache copies
        # quick_check reads every page, b-tree and record: what a copy can damage.
        # (integrity_check also cross-checks indexes against tables — five times
        # slower, and a page-for-page copy of a sound desk cannot break that.)
        result = connection.execute("PRAGMA quick_check").fetchone()[0]
        if result != "ok":
            return f"integrity check: {result}"
        if (_revision(connection), table_counts(connection)) != expected:
            return "row counts or schema differ from the desk"
    finally:
        connection.close()
    return None
