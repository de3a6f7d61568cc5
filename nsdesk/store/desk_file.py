"""The desk file on disk: recognising it, refusing what it is not, opening it safely.

A desk is one SQLite file. Before SQLAlchemy touches a path we check it, because
SQLite will happily turn a missing or empty file into a new empty database — and
a user who opens the wrong file must get a refusal, never an empty desk.

Every connection gets foreign keys on, a busy timeout and ``synchronous=FULL``
(a committed edit survives power loss); desks are in WAL mode. Python's sqlite3
driver opens transactions lazily and lets DDL auto-commit in its legacy mode, so
the driver's own transaction handling is switched off and SQLAlchemy's ``begin``
emits a real ``BEGIN``: a migration or an import is then one transaction that a
crash rolls back whole.
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.pool import NullPool, QueuePool

from nsdesk.domain.errors import (
    DeskDamagedError,
    DeskError,
    DeskNotFoundError,
    EmptyDeskFileError,
    NotADeskError,
)
from nsdesk.domain.private_files import create_private_file
from nsdesk.store.change_log import install_change_log
from nsdesk.store.storage import storage_facts

SQLITE_HEADER = b"SQLite format 3\x00"
APPLICATION_ID = 0x4E534453  # "NSDS": written into every desk's header (PRAGMA application_id)
BUSY_TIMEOUT_MS = 5_000
DESK_SUFFIX = ".nsdesk"

_FOREIGN_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"PK\x03\x04", "a ZIP archive (perhaps an Excel workbook), not a desk"),
    (b"PK\x05\x06", "an empty ZIP archive, not a desk"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an Office file (legacy .xls or .doc), not a desk"),
    (b"%PDF", "a PDF document, not a desk"),
    (b"\x89PNG", "a PNG image, not a desk"),
    (b"\xff\xd8\xff", "a JPEG image, not a desk"),
)


def describe_foreign_file(head: bytes) -> str:
    """Say in plain words what a file that is not a desk seems to be."""
    for signature, description in _FOREIGN_SIGNATURES:
        if head.startswith(signature):
            return description
    sample = head.lstrip(b"\xef\xbb\xbf").lstrip()
    if sample[:1] == b"<":
        return "an HTML or XML file, not a desk"
    try:
        sample.decode("utf-8")
    except UnicodeDecodeError:
        return "not an nsdesk desk (unknown binary content)"
    return "a text file, not a desk"


def check_desk_file(path: Path) -> None:
    """Refuse a path that is not an existing, non-empty SQLite file.

    Reads only the first 100 bytes (the SQLite header); writes nothing.
    """
    if not path.exists():
        raise DeskNotFoundError(path, "no such file")
    if path.is_dir():
        raise NotADeskError(path, "this is a folder, not a desk file")
    size = path.stat().st_size
    if size == 0:
        raise EmptyDeskFileError(
            path,
            "the file is empty (0 bytes). It is not a desk and was left untouched; "
            "if this was your desk, restore it from a backup.",
        )
    try:
        with path.open("rb") as handle:
            head = handle.read(100)
    except PermissionError:
        raise DeskError(
            path,
            "this user may not read the file (ask whoever manages "
            "the folder, or copy the desk to a folder of yours)",
        ) from None
    if not head.startswith(SQLITE_HEADER):
        raise NotADeskError(path, describe_foreign_file(head))
    if len(head) < 100:
        raise DeskDamagedError(path, "the file is cut short (its header is incomplete)")


def _uri(path: Path, mode: str) -> str:
    return f"file:{quote(str(path.resolve()))}?mode={mode}"


def raw_connect(path: Path, *, mode: str = "rw") -> sqlite3.Connection:
    """A plain sqlite3 connection with the desk pragmas applied and the driver's
    implicit transactions switched off.

    ``mode`` is ``rw`` (write an existing desk), ``rwc`` (create one) or ``read``.
    A reading connection is opened read-write with ``query_only`` on: SQL can
    change nothing, yet on closing it removes the ``-wal``/``-shm`` files that
    any WAL reader creates (a ``mode=ro`` connection would leave them behind).
    Where the file or its folder cannot be written, it falls back to ``mode=ro``
    (``immutable`` on a read-only medium).
    """
    sqlite_mode, immutable = ("rw" if mode == "read" else mode), False
    if mode == "read" and not (os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)):
        sqlite_mode = "ro"
        # A read-only connection cannot create the WAL's shared-memory file, so
        # mode=ro alone fails on a desk nobody has open. With no journal left
        # behind there is nothing for it to read but the file: immutable is exact
        # on a read-only medium and right for a folder this user may not write.
        wal = wal_file(path)
        immutable = storage_facts(path.parent).read_only or not (
            wal.exists() and wal.stat().st_size > 0
        )
    connection = sqlite3.connect(
        _uri(path, sqlite_mode) + ("&immutable=1" if immutable else ""),
        uri=True,
        timeout=BUSY_TIMEOUT_MS / 1000,
        isolation_level=None,
        check_same_thread=False,
    )
    connection.execute("PRAGMA foreign_keys = ON")
    connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    if mode == "read":
        connection.execute("PRAGMA query_only = ON")
    else:
        connection.execute("PRAGMA synchronous = FULL")
    return connection


def read_application_id(path: Path) -> int:
    """The ``application_id`` in the desk's header (0 for a plain SQLite file)."""
    with path.open("rb") as handle:
        handle.seek(68)
        return int.from_bytes(handle.read(4), "big")


@dataclass(frozen=True, slots=True)
class DeskProbe:
    """What a read-only look at a desk file found."""

    schema_revision: str | None
    journal_mode: str
    #: The desk's own UUID (names its backup folder); ``None`` if unreadable.
    desk_uuid: str | None


def probe_desk(path: Path) -> DeskProbe:
    """Check that ``path`` is an nsdesk desk and read its schema revision.

    Opens the file read-only; a damaged file raises :class:`DeskDamagedError`,
    an SQLite file of another program :class:`NotADeskError`.
    """
    check_desk_file(path)
    if read_application_id(path) != APPLICATION_ID:
        raise NotADeskError(path, "an SQLite database of another program, not an nsdesk desk")
    try:
        connection = raw_connect(path, mode="read")
    except sqlite3.Error as error:
        raise _open_error(path, error) from error
    try:
        journal_mode = connection.execute("PRAGMA journal_mode").fetchone()[0]
        names = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
        revision = desk_uuid = None
        if "alembic_version" in names:
            row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
            revision = row[0] if row else None
        if "desk_settings" in names:
            row = connection.execute("SELECT uuid FROM desk_settings").fetchone()
            desk_uuid = row[0] if row else None
    except sqlite3.DatabaseError as error:
        raise _open_error(path, error) from error
    finally:
        connection.close()
    return DeskProbe(revision, journal_mode, desk_uuid)


def _open_error(path: Path, error: sqlite3.Error) -> DeskError:
    """Damage, or only a journal this user may not complete (never call that damage)."""
    writable = os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)
    if not writable and getattr(error, "sqlite_errorcode", None) in (
        sqlite3.SQLITE_READONLY,
        sqlite3.SQLITE_CANTOPEN,
    ):
        return DeskError(
            path,
            "the desk has changes in its journal that only someone allowed to write its "
            "folder can complete: ask them to open and close it once, or copy the desk "
            "together with its -wal and -shm files to a folder of yours",
        )
    return DeskDamagedError(path, f"SQLite reports damage ({error})")


def quick_check(path: Path) -> list[str]:
    """SQLite's ``quick_check`` plus a foreign-key check, read-only; [] when sound."""
    connection = raw_connect(path, mode="read")
    try:
        problems = [row[0] for row in connection.execute("PRAGMA quick_check")]
        problems = [] if problems == ["ok"] else problems
        for table, rowid, parent, _ in connection.execute("PRAGMA foreign_key_check"):
            problems.append(f"{table} row {rowid} points to a missing {parent}")
        return problems
    except sqlite3.DatabaseError as error:
        return [str(error)]
    finally:
        connection.close()


def _install_transaction_handling(engine: Engine) -> None:
    @event.listens_for(engine, "begin")
    def _begin(connection: Connection) -> None:
        connection.exec_driver_sql("BEGIN")


def create_desk_engine(
    path: Path, *, read_only: bool = False, desk_uuid: str | None = None
) -> Engine:
    """An engine on an existing desk (``check_desk_file`` first).

    ``read_only`` makes every connection a reading one: SQLite itself refuses
    every write (see :func:`raw_connect`). A writing engine stamps every audit
    entry written through it (:mod:`nsdesk.store.change_log`); ``desk_uuid`` names
    the desk while it has no settings yet (being created).
    """
    mode = "read" if read_only else "rw"
    engine = create_engine(
        "sqlite+pysqlite://",
        creator=lambda: raw_connect(path, mode=mode),
        # An explicit pool: with a ``creator`` SQLAlchemy cannot see the file name
        # and would otherwise pick the pool meant for in-memory databases.
        poolclass=NullPool if read_only else QueuePool,
    )
    _install_transaction_handling(engine)
    if not read_only:
        install_change_log(engine, desk_uuid=desk_uuid)
    return engine


def initialise_new_file(path: Path) -> None:
    """Create an empty SQLite file marked as an nsdesk desk, in WAL mode.

    ``path`` must not exist; the caller creates desks under a temporary name and
    renames them into place when complete. The file is created readable by its
    owner only before SQLite opens it (an empty file is a new database to SQLite),
    and SQLite gives the ``-wal`` and ``-shm`` files the desk's own mode.
    """
    create_private_file(path)
    connection = raw_connect(path, mode="rwc")
    try:
        connection.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        mode = connection.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        if mode.lower() != "wal":
            raise DeskDamagedError(path, f"the folder does not support WAL journaling ({mode})")
    finally:
        connection.close()


def wal_file(path: Path) -> Path:
    """The write-ahead log beside a desk: committed work not yet folded into the file."""
    return path.with_name(path.name + "-wal")


def journal_files(path: Path) -> list[Path]:
    """The files SQLite keeps beside a desk in WAL mode (they may not exist)."""
    return [wal_file(path), path.with_name(path.name + "-shm")]


def fsync_file(path: Path) -> None:
    """Make a file's bytes durable before it is given its final name."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_directory(directory: Path) -> None:
    """Make a rename in ``directory`` durable (no-op where the OS cannot)."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
