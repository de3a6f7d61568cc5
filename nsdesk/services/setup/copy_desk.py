"""Between the two kinds of desk: a server desk saved as a desk file, a desk file
published to a server.

*Save a copy as desk file* is the travel copy: an officer takes the register, as
it stands, on a laptop with no network. *Publish to a server* makes a delegation's
desk file the ministry's shared register. Either way the copy is the same desk —
the same records with the same ids and UUIDs, the same settings and marking scheme,
and the whole audit history — read from one consistent snapshot of the source (on a
server, other officers may go on writing meanwhile), written in one transaction,
and checked row for row before it is given its place: a new file under its final
name, or a commit in the server's empty database. A failure leaves no file and an
empty database.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Table, select, update

from nsdesk.domain.errors import DeskError, DeskExistsError
from nsdesk.domain.location import DeskLocation, ServerAddress
from nsdesk.services.desk import open_desk
from nsdesk.services.setup.new_desk import _place, _require_checkpointed
from nsdesk.store import tables as t
from nsdesk.store.bulk import insert_rows
from nsdesk.store.change_log import VERBATIM
from nsdesk.store.desk_file import create_desk_engine, initialise_new_file, journal_files
from nsdesk.store.migrate import upgrade

#: Rows read and written at a time (a scale-100 desk has a few hundred thousand).
BATCH = 5_000
#: Tables the migrations fill themselves.
_SCHEMA_ONLY = frozenset({"alembic_version"})
#: Single-row tables the migrations make, whose row the copy takes the values of (the
#: change log's commit counter: the copy goes on from the source's last revision).
_MADE_BY_MIGRATION = frozenset({"desk_revision"})


@dataclass(frozen=True, slots=True)
class CopiedDesk:
    """What a copy made: where from and to, and what it holds."""

    source: DeskLocation
    target: DeskLocation
    records: int
    audit_entries: int


def _tables() -> list[Table]:
    return [table for table in t.metadata.sorted_tables if table.name not in _SCHEMA_ONLY]


def _rows(connection: Connection, table: Table) -> Iterator[list[dict[str, Any]]]:
    """The rows of ``table`` in batches, parents before the children that point at them
    within the table (a revised target after the target it revises)."""
    order = list(table.primary_key.columns)
    rows = [dict(row._mapping) for row in connection.execute(select(table).order_by(*order))]
    own = [
        (fk.parent.name, fk.column.name) for fk in table.foreign_keys if fk.column.table is table
    ]
    if own:
        rows = _parents_first(rows, own)
    for start in range(0, len(rows), BATCH):
        yield rows[start : start + BATCH]


def _parents_first(
    rows: list[dict[str, Any]], links: list[tuple[str, str]]
) -> list[dict[str, Any]]:
    placed: set[Any] = set()
    ordered: list[dict[str, Any]] = []
    waiting = rows
    while waiting:
        ready = [r for r in waiting if all(r[col] is None or r[col] in placed for col, _ in links)]
        if not ready:  # a cycle cannot be stored either; let the database say so
            ordered += waiting
            break
        for row in ready:
            placed.update(row[key] for _, key in links)
        ordered += ready
        ready_ids = {id(r) for r in ready}
        waiting = [r for r in waiting if id(r) not in ready_ids]
    return ordered


def _digest(connection: Connection) -> tuple[dict[str, int], str]:
    """Rows per table and a digest of every row, in primary-key order."""
    counts, digest = {}, hashlib.sha256()
    for table in _tables():
        order = list(table.primary_key.columns)
        n = 0
        for row in connection.execute(select(table).order_by(*order)):
            digest.update(repr(tuple(row)).encode("utf-8"))
            n += 1
        counts[table.name] = n
    return counts, digest.hexdigest()


def _fill(source: Connection, target: Connection) -> tuple[dict[str, int], str]:
    """Copy every row from ``source`` to ``target`` (whose schema is at head and empty)
    and check that the target now holds exactly what the source does."""
    target.execution_options(**{VERBATIM: True})  # the same history, stamps and all
    for table in _tables():
        for batch in _rows(source, table):
            if table.name in _MADE_BY_MIGRATION:
                key = next(iter(table.primary_key.columns))
                for row in batch:
                    target.execute(update(table).where(key == row[key.name]).values(**row))
            else:
                insert_rows(target, table, batch)
    if target.dialect.name == "postgresql":
        from nsdesk.store.server import set_sequences, settle_bulk_load  # lazy: a server's side

        set_sequences(target, [tb.name for tb in _tables() if "id" in tb.c and tb.c.id.primary_key])
        settle_bulk_load(target, [tb.name for tb in _tables()])
    expected = _digest(source)
    if _digest(target) != expected:
        raise DeskError(target_name(target), "the copy does not hold what the desk holds")
    return expected


def target_name(connection: Connection) -> str:
    """How a connection's database is named in a message."""
    return str(connection.engine.url.database or "the copy")


def copy_desk(source: DeskLocation, target: DeskLocation) -> CopiedDesk:
    """Copy the whole desk at ``source`` to ``target``: a new desk file (refused if the
    file exists) or an existing, empty database on a server (refused if it holds
    anything). Returns what was copied."""
    with open_desk(source, read_only=True) as desk:
        engine = desk.engine
        with engine.connect() as reading:
            if reading.dialect.name == "postgresql":
                reading = reading.execution_options(isolation_level="REPEATABLE READ")
            with reading.begin():  # one snapshot: the copy and its check see the same desk
                if isinstance(target, ServerAddress):
                    counts = _copy_to_server(reading, target)
                else:
                    counts = _copy_to_file(reading, target)
    return CopiedDesk(
        source,
        target,
        records=sum(n for name, n in counts.items() if name != "audit_entry"),
        audit_entries=counts.get("audit_entry", 0),
    )


def _copy_to_server(source: Connection, address: ServerAddress) -> dict[str, int]:
    from nsdesk.store.server import creating_desk  # lazy: a server desk's side

    desk_uuid = source.execute(select(t.desk_settings.c.uuid)).scalar_one()
    with creating_desk(address, desk_uuid=desk_uuid) as connection:
        counts, _ = _fill(source, connection)
    return counts


def _copy_to_file(source: Connection, path: Path) -> dict[str, int]:
    if path.exists():
        raise DeskExistsError(path, "a file of that name already exists; nothing was changed")
    if not path.parent.is_dir():
        raise DeskError(path, f"the folder {path.parent} does not exist")
    temporary = path.with_name(f".{path.name}.copying-{os.getpid()}")
    for leftover in (temporary, *journal_files(temporary)):
        leftover.unlink(missing_ok=True)
    try:
        initialise_new_file(temporary)
        upgrade(temporary)
        engine = create_desk_engine(temporary)
        try:
            with engine.begin() as connection:
                counts, _ = _fill(source, connection)
        finally:
            engine.dispose()
        _require_checkpointed(temporary)
        _place(temporary, path)
    finally:
        for leftover in (temporary, *journal_files(temporary)):
            leftover.unlink(missing_ok=True)
    return counts


def grant_server_roles(address: ServerAddress) -> list[str]:
    """Give the server desk's group roles their rights on every table again; returns
    the roles granted to (none when the roles script has not been run)."""
    from nsdesk.store.server import regrant  # lazy: a server desk's side

    return regrant(address)
