"""Inserting and updating many rows fast, with the same values SQLAlchemy would write.

``connection.execute(table.insert(), rows)`` handles every row's parameters one
dictionary key at a time; for a new desk's catalogue or a demo desk of 170,000
rows that bookkeeping costs more than SQLite's own work. :func:`insert_rows`
compiles the INSERT once, takes each column's default and bind processor from its
type (so values are stored exactly as through the ORM: UTC timestamps, partial
dates, enum values), applies them column by column, and hands plain tuples to the
driver's ``executemany`` inside the caller's transaction. Audit entries get their
stamps from the change log (:func:`nsdesk.store.change_log.stamp_columns`) as
extra columns, as every other way of writing them does. :func:`update_column` does
the same for one column of many rows, each found by a key (a merge's values).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from sqlalchemy import Column, Connection, Table, bindparam, update
from sqlalchemy.sql.schema import CallableColumnDefault, ScalarElementColumnDefault

from nsdesk.store.change_log import stamp_columns
from nsdesk.store.tables import audit_entry


def _default_of(column: Column[Any], *, on_update: bool = False) -> Callable[[], Any] | None:
    """The Python-side default of ``column`` (its ``onupdate`` with ``on_update``) as a
    zero-argument callable; ``None`` for none, or for a SQL expression the statement
    would have to evaluate."""
    default = column.onupdate if on_update else column.default
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


def update_column(
    connection: Connection,
    table: Table,
    column: str,
    rows: Sequence[tuple[Any, Any]],
    *,
    key: str = "uuid",
    also: Mapping[str, Any] | None = None,
) -> None:
    """Set ``column`` of the row of ``table`` whose ``key`` is each row's first item
    to its second (``(key, value)`` pairs), and the columns of ``also`` to the same
    value in every row, in one ``executemany`` inside the caller's transaction. Each
    value is bound as the column's type binds it (``connection.execute(update(...),
    rows)`` would do the same, one dictionary key at a time)."""
    if not rows:
        return
    also = dict(also or {})
    # Named apart from every column: SQLAlchemy keeps a column's own name for itself.
    binds = {column: bindparam("bulk_value"), **{n: bindparam(f"bulk_{n}") for n in also}}
    statement = update(table).where(table.c[key] == bindparam("bulk_key")).values(binds)
    dialect = connection.dialect
    compiled = statement.compile(dialect=dialect)

    def bound(name: str, values: list[Any]) -> list[Any]:
        processor = table.c[name].type._cached_bind_processor(dialect)
        return _processed(values, processor) if processor is not None else values

    count = len(rows)
    by_name: dict[str, list[Any]] = {
        "bulk_key": bound(key, [row[0] for row in rows]),
        "bulk_value": bound(column, [row[1] for row in rows]),
        **{f"bulk_{name}": bound(name, [value]) * count for name, value in also.items()},
    }
    # A column with an ``onupdate`` default the statement sets is bound by its own name.
    for name in compiled.binds:
        on_update = _default_of(table.c[name], on_update=True) if name in table.c else None
        if name not in by_name and on_update is not None:
            by_name[name] = bound(name, [on_update()]) * count
    order = list(compiled.positiontup or by_name)
    parameters: list[Any] = list(zip(*(by_name[name] for name in order), strict=True))
    if not compiled.positional:
        parameters = [dict(zip(order, p, strict=True)) for p in parameters]
    connection.exec_driver_sql(compiled.string, parameters)
