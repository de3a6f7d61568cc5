"""The numbers of the human-readable id series (C-0001, A-0001), taken without races.

Several officers creating commitments at once on a server register must never be
given the same number (the reference is unique: the second save would fail). A
number is taken with one ``UPDATE sequence_counter SET next_value = next_value + 1``
in the transaction that inserts the record: the row stays locked until that
transaction ends, so another writer's UPDATE waits and then sees the number moved
on (PostgreSQL's READ COMMITTED re-reads the row it waited for); on a desk file
SQLite's one writer at a time gives the same order. A series that has no row yet
gets one with ``INSERT … ON CONFLICT DO NOTHING`` first, so two first takers do not
collide on the counter itself either. A rolled-back transaction gives its number
back with everything else it wrote; a committed one never does (numbers are never
reused).
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Connection, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from nsdesk.store import tables as t


def take_number(connection: Connection, series: str, first: Callable[[], int]) -> int:
    """The next number of ``series``, taken in ``connection``'s transaction (the counter
    row stays locked until it ends). ``first`` gives the number a series without a
    counter yet starts at (asked only then)."""
    c = t.sequence_counter
    moved = connection.execute(
        update(c).where(c.c.name == series).values(next_value=c.c.next_value + 1)
    )
    if moved.rowcount == 0:
        insert = postgresql_insert if connection.dialect.name == "postgresql" else sqlite_insert
        connection.execute(
            insert(c).values(name=series, next_value=first()).on_conflict_do_nothing()
        )
        connection.execute(
            update(c).where(c.c.name == series).values(next_value=c.c.next_value + 1)
        )
    taken = connection.execute(select(c.c.next_value).where(c.c.name == series)).scalar_one()
    return taken - 1
