"""Reading the changes a file carries out of the desk's change log, leanly.

A send reads every entry the receivers lack (tens of thousands after a day's work,
the whole history on a first send), so the entries are read by one Core query of
the change's keys, in the schema's order, and each row becomes a change with
:func:`dict` and ``zip``: no mapping per row, no enumeration member made and
unmade. Only what the database driver cannot give as the file carries it is
converted, column by column, as :func:`~nsdesk.services.merge.change_schema.to_change`
converts a row (a test holds the two to the same result): a moment becomes ISO
text, read by SQLAlchemy's own type so a desk file and a server desk give the same;
an enumeration is read as the text stored (the writer checks it is one of its
values). JSON values are decoded by SQLAlchemy's JSON type, as for any reader.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from sqlalchemy import (
    Column,
    Connection,
    DateTime,
    String,
    TypeDecorator,
    and_,
    func,
    not_,
    or_,
    select,
    type_coerce,
)
from sqlalchemy import Enum as SqlEnum
from sqlalchemy.sql.elements import ColumnElement

from nsdesk.services.merge.change_schema import LOCAL_TABLES, change_schema
from nsdesk.store import tables as t

_READ = 2000
"""Rows fetched from the database at a time."""


def stamp_text(number: int) -> str:
    """The beginning of a clock stamp (``ms-counter``) for a number of
    :func:`~nsdesk.services.merge.engine.hlc_number`."""
    return f"{number // 100_000:015d}-{number % 100_000:05d}"


def selection(since: Mapping[str, int]) -> ColumnElement[bool]:
    """The entries a file carries for receivers that hold ``since`` (replica ->
    newest stamp held): every replica's later entries, every entry of a replica
    they never heard of, never an entry of a table that stays with its copy."""
    a = t.audit_entry
    local = a.c.record_table.in_(sorted(LOCAL_TABLES))
    if not since:
        return not_(local)
    newer = [
        and_(a.c.replica_id == replica, func.substr(a.c.hlc, 1, 21) > stamp_text(number))
        for replica, number in since.items()
    ]
    return and_(not_(local), or_(a.c.replica_id.not_in(sorted(since)), *newer))


def _as_read(name: str) -> ColumnElement[Any]:
    column = t.audit_entry.c[name]
    if isinstance(column.type, SqlEnum):
        # The stored value itself (both kinds of desk store an enumeration as text):
        # the change carries that text, and the writer checks it is a choice.
        return type_coerce(column, String).label(name)
    return column


def read_changes(connection: Connection, since: Mapping[str, int]) -> Iterator[dict[str, Any]]:
    """Every change a file for receivers holding ``since`` carries, as the file
    carries it (a moment as ISO text, an enumeration as its value), in the order
    the desk committed them; before any ceiling's cut."""
    a = t.audit_entry
    names = change_schema().names
    moments = [(index, name) for index, name in enumerate(names) if _is_moment(a.c[name])]
    query = (
        select(*(_as_read(name) for name in names))
        .where(selection(since))
        .order_by(a.c.revision, a.c.id)
    )
    result = connection.execution_options(yield_per=_READ).execute(query)
    for rows in result.partitions():
        for row in rows:
            change = dict(zip(names, row, strict=True))
            for index, name in moments:
                moment = row[index]
                if moment is not None:
                    change[name] = moment.isoformat()
            yield change


def _is_moment(column: Column[Any]) -> bool:
    kind = column.type
    return isinstance(kind.impl if isinstance(kind, TypeDecorator) else kind, DateTime)
