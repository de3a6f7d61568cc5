"""Inserting many rows fast, with the same values SQLAlchemy would write.

``connection.execute(table.insert(), rows)`` handles every row's parameters one
dictionary key at a time; for a new desk's catalogue or a demo desk of 170,000
rows that bookkeeping costs more than SQLite's own work. :func:`insert_rows`
compiles the INSERT once, takes each column's default and bind processor from its
type (so values are stored exactly as through the ORM: UTC timestamps, partial
dates, enum values), applies them column by column, and hands plain tuples to the
driver's ``executemany`` inside the caller's transaction. Audit entries get their
stamps from the change log (:func:`nsdesk.store.change_log.stamp_columns`) as
extra columns, as every other way of writing them does.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from sqlalchemy import Column, Connection, Table, bindparam
from sqlalchemy.sql.schema import CallableColumnDefault, ScalarElementColumnDefault

from nsdesk.store.change_log import stamp_columns
from nsdesk.store.tables import audit_entry


def _default_of(column: Column[Any]) -> Callable[[], Any] | None:
    """The Python-side default of ``column`` as a zero-argument callable; ``None`` for
    none, or for a SQL expression the INSERT would have to evaluate."""
    default = column.default
    if isinstance(default, ScalarElementColumnDefault):
        value = default.arg
        return lambda: value
    if isinstance(default, CallableColumnDefault):
        # SQLAlchemy wraps a zero-argument default so it accepts an execution context,
        # which a bulk insert does not have; nsdesk declares no default that reads one.
        return lambda: default.arg(None)  # pyright: ignore[reportArgumentType]
    return None


def _processed(values: list[Any], processor: Callable[[Any], Any]) -> list[Any]:
    """``processor`` applied to each value, once per distinct value where values
    are hashable (dates, statuses and levels repeat across thousands of rows)."""
    seen: dict[Any, Any] = {None: None}
    try:
        return [seen[v] if v in seen else seen.setdefault(v, processor(v)) for v in values]
    except TypeError:  # unhashable values (JSON documents): one by one
        return [processor(v) if v is not None else None for v in values]


def insert_rows(connection: Connection, table: Table, rows: Sequence[Mapping[str, Any]]) -> None:
    """Insert ``rows`` (dictionaries keyed by column name) into ``table``.

    Columns a row leaves out get their default (a new UUID, now, a fixed value);
    every row must name the same columns, as ``executemany`` requires.
    """
    if not rows:
        return
    # Audit entries are stamped like every other (see change_log), as extra columns.
    stamps = stamp_columns(connection, rows) if table is audit_entry else {}
    given = [*rows[0], *(name for name in stamps if name not in rows[0])]
    names = [c.name for c in table.columns if c.name in given or _default_of(c) is not None]
    unknown = set(given) - {c.name for c in table.columns}
    if unknown:
        raise KeyError(f"{table.name} has no column(s) {sorted(unknown)}")
    dialect = connection.dialect
    statement = table.insert().values({name: bindparam(name) for name in names})
    compiled = statement.compile(dialect=dialect)
    positions = compiled.positiontup  # set for a positional paramstyle (SQLite's qmark)
    order = list(positions) if positions is not None else names

    columns = []
    for name in order:
        column = table.c[name]
        processor = column.type._cached_bind_processor(dialect)
        default = _default_of(column) if name not in given else None
        columns.append((name, default, processor))

    values_by_column = []
    for name, default, processor in columns:
        if name in stamps:
            values = stamps[name]
        elif default:
            values = [default() for _ in rows]
        else:
            values = [row[name] for row in rows]
        if processor is not None:
            values = _processed(values, processor)
        values_by_column.append(values)
    parameters = list(zip(*values_by_column, strict=True))
    if not compiled.positional:
        parameters = [dict(zip(order, p, strict=True)) for p in parameters]
    connection.exec_driver_sql(compiled.string, parameters)
