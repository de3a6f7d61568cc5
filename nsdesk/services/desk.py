"""Opening a desk, and the open desk — a file or a server.

Opening imports as little as it can (no catalogue, no ORM): it is on the path to
the first window's data. A *file desk* is checked before SQLAlchemy sees it (see
:mod:`nsdesk.store.desk_file`); its lock is taken for editing, read-only media and
network shares are noticed, the desk is checked after an unclean shutdown, and an
older desk is migrated after taking a verified backup. A *server desk* (a
PostgreSQL database, :mod:`nsdesk.store.server`) has none of that — the server
serialises writers, survives crashes, and IT backs it up — so it is recognised,
migrated under the server's advisory lock if older, and opened. Both refuse desks
written by a newer nsdesk. Creating a desk is :mod:`nsdesk.services.setup.new_desk`.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, select
from sqlalchemy.exc import DBAPIError

from nsdesk import locations
from nsdesk.domain.dates import PartialDate
from nsdesk.domain.errors import (
    DeskDamagedError,
    DeskError,
    DeskMovedError,
    DeskReadOnlyError,
    LockHolder,
    ServerUnreachableError,
)
from nsdesk.domain.location import DeskLocation, ServerAddress, desk_location
from nsdesk.domain.marking import MarkingLevel, MarkingScheme
from nsdesk.domain.private_files import make_private_folders
from nsdesk.services.audit import Actor, AuditContext
from nsdesk.services.backups.backups import BackupReason, emergency_backup, take_backup
from nsdesk.services.backups.crash_check import CrashCheck, check_after_crash
from nsdesk.services.connection import ConnectionState
from nsdesk.store import tables as t
from nsdesk.store.change_log import desk_revision, own_revisions_in
from nsdesk.store.desk_file import create_desk_engine, probe_desk
from nsdesk.store.failures import storage_error
from nsdesk.store.lock import DeskLock, acquire
from nsdesk.store.migrate import SCHEMA_HEAD, needs_migration, upgrade
from nsdesk.store.storage import storage_facts

if TYPE_CHECKING:
    from nsdesk.services.unit_of_work import DeskSession


@dataclass(frozen=True, slots=True)
class DeskInfo:
    """Whose desk it is and how it is marked: what every screen and export shows."""

    uuid: str
    own_state_id: int
    own_state_code: str
    own_state_name: str
    delegation: str | None
    is_demo: bool
    marking: MarkingScheme
    default_sensitivity: str
    catalogue_version: str | None
    catalogue_as_of: PartialDate | None


@dataclass(frozen=True, slots=True)
class OpenNotes:
    """What the user should be told about how the desk was opened."""

    read_only_reason: str | None = None
    network_fs: str | None = None
    #: The session that last had the desk and did not close it (crash, power loss).
    unclean: LockHolder | None = None
    #: The check made after that unclean shutdown (sound, or it would have refused).
    crash_check: CrashCheck | None = None

    def warnings(self, holder_text: Callable[[LockHolder], str] = LockHolder.describe) -> list[str]:
        """What the user must know before relying on the desk, in plain sentences
        (why it is read-only is said apart: ``read_only_reason``). ``holder_text``
        names a session (the app says its time in local time)."""
        said = []
        if self.network_fs:
            said.append(
                f"This desk is on a network share ({self.network_fs}). SQLite's write-ahead "
                "log is not safe there: a dropped connection or a second writer can damage "
                "the desk. Keep desks on this laptop's own disk."
            )
        if self.unclean is not None:
            said.append(
                "This desk was not closed properly last time: it was open for editing by "
                f"{holder_text(self.unclean)} when that session stopped. It has been checked "
                "and is sound."
            )
        return said


class DeskNeedsRecoveryError(DeskDamagedError):
    """After an unclean shutdown the desk is damaged or has lost work; ``check``
    says what, and which backup can replace it at what cost."""

    def __init__(self, path: Path, check: CrashCheck):
        self.check = check
        super().__init__(path, "after an unclean shutdown, the check found:\n" + check.describe())


def _identity(path: Path) -> tuple[int, int] | None:
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return stat.st_dev, stat.st_ino


class Desk:
    """An open desk: where it lives, its engine, and the ways in for reads and writes.

    Reads use SQLAlchemy Core (:meth:`connect`); edits go through an audited ORM
    unit of work (:meth:`writing`), whose mapped classes are imported only then,
    so opening a desk and showing it never waits for the ORM. ``kind`` says whether
    it is a ``"file"`` or a ``"server"`` desk; what only a file has (its path, lock,
    kept-open connection, "moved or deleted" check) is refused or absent on a server.
    """

    def __init__(
        self,
        location: DeskLocation,
        engine: Engine,
        *,
        read_only: bool,
        schema_revision: str,
        lock: DeskLock | None = None,
        notes: OpenNotes | None = None,
        backups_root: Path | None = None,
    ):
        self.location = location
        self.engine = engine
        self.read_only = read_only
        self.schema_revision = schema_revision
        self.notes = notes or OpenNotes()
        self.backups_root = backups_root
        self._lock = lock
        self._identity = _identity(location) if isinstance(location, Path) else None
        self._info: DeskInfo | None = None
        #: Closed (:meth:`close`): nothing more is read from it, not even a revision.
        self.closed = False
        #: A server desk's connection: lost (since when) or not; None for a file.
        self.connection = ConnectionState(location) if isinstance(location, ServerAddress) else None
        # A writable desk file keeps one connection open for its lifetime: if the file
        # is moved or deleted while open, that connection still reaches the data, and
        # the emergency backup can save it. (A server's database cannot be moved away.)
        self._keeper = (
            engine.raw_connection() if not read_only and isinstance(location, Path) else None
        )

    @property
    def kind(self) -> str:
        """``"file"`` for a desk file, ``"server"`` for a database on a server."""
        return "server" if isinstance(self.location, ServerAddress) else "file"

    @property
    def is_file(self) -> bool:
        """Whether the desk is a file (lock, backups, crash check are a file's)."""
        return isinstance(self.location, Path)

    @property
    def path(self) -> Path:
        """The desk file's path; a server desk has none (:class:`DeskError`)."""
        if isinstance(self.location, ServerAddress):
            raise DeskError(self.location, "a desk on a server has no file")
        return self.location

    @property
    def name(self) -> str:
        """The desk's short name for titles and messages: the file's or the database's."""
        return self.location.name

    def describe(self) -> str:
        """Where the desk lives, in words: its file's path, or the database and server."""
        if isinstance(self.location, ServerAddress):
            return self.location.describe()
        return str(self.location)

    def files_folder(self) -> Path:
        """Where files made from this desk (packs, workbooks) are proposed: beside a
        desk file, or in the user's nsdesk documents folder for a server desk."""
        if isinstance(self.location, Path):
            return self.location.parent
        folder = locations.desks_dir()
        make_private_folders(folder)  # as the app makes it to propose a new desk file
        return folder

    def reconnect(self) -> None:
        """Drop every pooled connection, so the next read or write connects afresh
        (after a server restart or a lost network; a file desk needs nothing)."""
        if isinstance(self.location, ServerAddress):
            self.engine.dispose()

    def probe_connection(self) -> bool:
        """Whether the server answers now (a server desk; a file desk always does).
        While the connection is known lost, a quick new connection is tried, and on
        success the pool starts afresh and edits are accepted again; otherwise the
        pool's own connection is tried, and a failure marks the connection lost."""
        if self.connection is None or not isinstance(self.location, ServerAddress):
            return True
        if self.connection.lost:
            # lazy: psycopg loads with a server desk
            from nsdesk.store.server import server_answers

            if not server_answers(self.location):
                return False
            self.engine.dispose()  # every pooled connection is from before the loss
            self.connection.mark_back()
            return True
        try:
            with self.connect() as connection:
                connection.exec_driver_sql("SELECT 1")
        except ServerUnreachableError:
            return False
        return True

    def revision(self) -> int:
        """The desk's commit-order revision now (one cheap read): it grows with every
        committed change, whoever made it."""
        with self.connect() as connection:
            return desk_revision(connection)

    def changed_elsewhere(self, seen: int) -> tuple[int, bool]:
        """The desk's revision now, and whether a change after revision ``seen`` was
        committed by another connection (another officer, another process) rather
        than through this desk's own writes."""
        now = self.revision()
        if now <= seen:
            return now, False
        return now, own_revisions_in(self.engine, seen, now) < now - seen

    def __enter__(self) -> Desk:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close every connection (SQLite then checkpoints and removes the WAL) and
        give back the lock: a clean close."""
        self.closed = True
        if self._keeper is not None:
            self._keeper.close()  # back to the pool, which dispose() then closes
            self._keeper = None
        self.engine.dispose()
        if self._lock is not None:
            self._lock.release()
            self._lock = None

    def driver_connection(self) -> sqlite3.Connection:
        """The SQLite connection kept open for the desk's lifetime (writable desk files)."""
        if self._keeper is None:
            why = "a read-only desk" if self.is_file else "a desk on a server"
            raise DeskReadOnlyError(self.location, f"{why} keeps no connection open")
        return self._keeper.driver_connection  # type: ignore[return-value]

    @contextlib.contextmanager
    def connect(self) -> Iterator[Connection]:
        """A connection for reading with SQLAlchemy Core."""
        with self._storage_errors(), self.engine.connect() as connection:
            yield connection

    @contextlib.contextmanager
    def reading(self) -> Iterator[DeskSession]:
        """An ORM session for reading; any attempt to write through it is refused."""
        # lazy: the mapped classes load at the first ORM session, never to show a desk
        from nsdesk.services.unit_of_work import DeskSession

        with self._storage_errors(), DeskSession(self.engine) as session:
            yield session

    def _check_writable(self) -> None:
        if self.connection is not None and self.connection.lost and not self.probe_connection():
            raise self.connection.refusal()  # before any transaction: nothing is started
        if self.read_only:
            raise DeskReadOnlyError(
                self.location,
                f"the desk is read-only ({self.notes.read_only_reason}); nothing was changed",
            )
        if isinstance(self.location, Path) and _identity(self.location) != self._identity:
            self._refuse_moved()

    def _refuse_moved(self) -> None:
        """The file was moved or deleted while open: save what the open connection still
        sees to the backups folder, and write nothing more to a file nobody will find."""
        kept = emergency_backup(self)
        raise DeskMovedError(
            self.path,
            "the desk file was moved or deleted while nsdesk had it open, so nothing more "
            f"can be saved to it. Everything saved so far is kept in {kept}. Reopen the desk "
            "where it is now, or restore that copy.",
        )

    @contextlib.contextmanager
    def _storage_errors(self) -> Iterator[None]:
        """Turn the disk's or the server's refusals into sentences (the transaction is
        already rolled back); anything else goes through as it is."""
        try:
            yield
        except ServerUnreachableError as error:  # raised while connecting
            raise self._lost(error) from error
        except DBAPIError as error:
            refusal = storage_error(error, self.location)
            if refusal is None:
                raise
            if isinstance(refusal, ServerUnreachableError):
                refusal = self._lost(refusal)
            raise refusal from error

    def _lost(self, error: ServerUnreachableError) -> ServerUnreachableError:
        """Mark the connection lost; the first failure says what the server said, the
        later ones (until a probe finds it back) the bar's sentence."""
        if self.connection is None:
            return error
        if self.connection.lost:
            return self.connection.refusal()
        self.connection.mark_lost()
        return error

    @contextlib.contextmanager
    def writing(self, actor: Actor, note: str | None = None) -> Iterator[DeskSession]:
        """One unit of work: one transaction, audited, committed on success and
        rolled back whole on any error."""
        # lazy: the mapped classes load at the first edit, never to show a desk
        from nsdesk.services.unit_of_work import DeskSession

        self._check_writable()
        ctx = AuditContext(actor, note=note)
        with (
            self._storage_errors(),
            DeskSession(self.engine, info={"audit": ctx}) as session,
            session.begin(),
        ):
            yield session
        self._info = None  # settings may have changed

    @contextlib.contextmanager
    def transaction(
        self, actor: Actor, note: str | None = None
    ) -> Iterator[tuple[Connection, AuditContext]]:
        """One transaction for bulk work with SQLAlchemy Core; the caller writes its
        own audit entries with the context it is given."""
        self._check_writable()
        with self._storage_errors(), self.engine.begin() as connection:
            yield connection, AuditContext(actor, note=note)
        self._info = None

    def info(self) -> DeskInfo:
        """The desk's identity and marking scheme (cached until the next write)."""
        if self._info is None:
            with self.connect() as connection:
                self._info = read_desk_info(connection)
        return self._info


def read_desk_info(connection: Connection) -> DeskInfo:
    """The desk's identity and marking scheme."""
    settings = connection.execute(select(t.desk_settings)).first()
    if settings is None:
        raise DeskDamagedError("desk", "its settings are missing")
    levels = connection.execute(select(t.marking_level).order_by(t.marking_level.c.rank)).all()
    scheme = MarkingScheme(
        tuple(MarkingLevel(row.code, row.label, row.description or "") for row in levels)
    )
    state = connection.execute(
        select(t.party.c.code, t.party.c.name).where(t.party.c.id == settings.own_state_id)
    ).one()
    return DeskInfo(
        uuid=settings.uuid,
        own_state_id=settings.own_state_id,
        own_state_code=state.code,
        own_state_name=state.name,
        delegation=settings.delegation,
        is_demo=settings.is_demo,
        marking=scheme,
        default_sensitivity=settings.default_sensitivity,
        catalogue_version=settings.catalogue_version,
        catalogue_as_of=settings.catalogue_as_of,
    )


def desk_path(text: str | Path) -> DeskLocation:
    """The desk a user means: ``mydesk`` is ``mydesk.nsdesk``; a ``postgresql://``
    address or a ``*.nsdesk-server`` connection file is a server desk."""
    return desk_location(text)


def open_desk(
    path: DeskLocation | str,
    *,
    read_only: bool = False,
    read_only_reason: str | None = None,
    backups_root: Path | None = None,
) -> Desk:
    """Open an existing desk, a file or a server's database.

    For editing a desk file, its lock is taken (:class:`DeskLockedError` when another
    live session has it: open read-only instead). A desk on a read-only medium, or in
    a folder this user cannot write, opens read-only and says why. After an unclean
    shutdown the desk is checked first (:class:`DeskNeedsRecoveryError` when it is
    damaged or lost work). An older desk is migrated after a verified backup (on a
    server: in one transaction, under the server's advisory lock; IT's dumps are its
    backups). Never creates, empties or downgrades a desk.
    """
    if isinstance(path, str):
        path = desk_location(path)
    if isinstance(path, ServerAddress):
        return _open_server_desk(path, read_only=read_only, read_only_reason=read_only_reason)
    probe = probe_desk(path)
    if probe.schema_revision is None:
        raise DeskDamagedError(path, "it holds no schema version (it was never completed)")
    facts = storage_facts(path.parent)
    reason = (read_only_reason or "it was opened read-only") if read_only else None
    if facts.read_only and not read_only:
        read_only, reason = True, "the desk is on a read-only medium"
    lock, unclean, check = None, None, None
    if not read_only:
        try:
            lock = acquire(path)
        except PermissionError:
            read_only, reason = True, "this user may not change files in its folder"
    try:
        if lock is not None and lock.took_over is not None:
            unclean = lock.took_over
            check = check_after_crash(path, root=backups_root)
            if not check.sound:
                raise DeskNeedsRecoveryError(path, check)
        if needs_migration(path, probe.schema_revision):
            if read_only:
                raise DeskError(
                    path,
                    f"this desk is from an older nsdesk (schema {probe.schema_revision}) and "
                    "must be updated first, which needs write access; nothing was changed",
                )
            take_backup(path, BackupReason.BEFORE_MIGRATION, root=backups_root)
            upgrade(path)
        engine = create_desk_engine(path, read_only=read_only)
    except BaseException:  # the desk is not opened: nobody holds it
        if lock is not None:
            lock.release()
        raise
    notes = OpenNotes(reason, facts.network_fs, unclean, check)
    return Desk(
        path,
        engine,
        read_only=read_only,
        schema_revision=SCHEMA_HEAD,
        lock=lock,
        notes=notes,
        backups_root=backups_root,
    )


def _open_server_desk(
    address: ServerAddress, *, read_only: bool, read_only_reason: str | None
) -> Desk:
    """Open the desk in the database at ``address`` (see :func:`open_desk`)."""
    # lazy: the server's side (and psycopg) load only for a server desk
    from nsdesk.store.server import create_server_engine, probe_server, upgrade_server

    probe = probe_server(address)
    if probe.schema_revision is None:
        raise DeskDamagedError(address, "it holds no schema version (it was never completed)")
    if needs_migration(address, probe.schema_revision):
        if read_only:
            raise DeskError(
                address,
                f"this register is from an older nsdesk (schema {probe.schema_revision}) and "
                "must be updated first, by a login allowed to change its schema; nothing was "
                "changed",
            )
        upgrade_server(address)
    reason = (read_only_reason or "it was opened read-only") if read_only else None
    engine = create_server_engine(address, read_only=read_only)
    return Desk(
        address,
        engine,
        read_only=read_only,
        schema_revision=SCHEMA_HEAD,
        notes=OpenNotes(reason),
    )
