"""What merges left open, record by record, as the registers and the editor ask:
which records of a kind have an open conflict, identity clash or review item (the
"Conflicts" filter), and the open items of one record (the marker on a field)."""

from __future__ import annotations

from sqlalchemy import select

from nsdesk.services.desk import Desk
from nsdesk.services.merge.merging import conflict_item, plain_item
from nsdesk.services.merge.outcome import ItemKind, OpenItem
from nsdesk.store import tables as t

_C = t.changes_conflict


def records_with_open_items(desk: Desk, record_table: str) -> frozenset[str]:
    """The UUIDs of the records of ``record_table`` with anything open."""
    with desk.connect() as connection:
        found = connection.execute(
            select(_C.c.record_uuid, _C.c.other_uuid).where(
                _C.c.resolved_at.is_(None), _C.c.record_table == record_table
            )
        ).all()
    # An identity clash concerns both records holding the number.
    return frozenset(u for pair in found for u in pair if u)


def open_items_of(desk: Desk, record_table: str, record_uuid: str) -> list[OpenItem]:
    """The open items of one record, oldest first (a clash where it is either side)."""
    with desk.connect() as connection:
        rows = (
            connection.execute(
                select(_C)
                .where(
                    _C.c.resolved_at.is_(None),
                    _C.c.record_table == record_table,
                    (_C.c.record_uuid == record_uuid) | (_C.c.other_uuid == record_uuid),
                )
                .order_by(_C.c.id)
            )
            .mappings()
            .all()
        )
        return [
            conflict_item(connection, row)
            if row["kind"] == ItemKind.CONFLICT.value
            else plain_item(connection, row)
            for row in rows
        ]
