"""What merges left open, as the window asks at every turn: how many of each kind
(the status bar's badge), which records of a kind have an open conflict, identity
clash or review item (the "Conflicts" filter), and the open items of one record (the
marker on a field).

The first two are read on every register load and every edit, so they read the table
alone and import nothing of the merge engine (~90 ms to import, which opening a desk
would otherwise pay); the items of one record load it when first asked."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import func, select

from nsdesk.services.desk import Desk
from nsdesk.store import tables as t

if TYPE_CHECKING:
    from nsdesk.services.merge.outcome import OpenItem

_C = t.changes_conflict


def open_item_counts(desk: Desk) -> dict[str, int]:
    """How many items of each kind ("conflict", "identity", "review") are open."""
    with desk.connect() as connection:
        found = connection.execute(
            select(_C.c.kind, func.count()).where(_C.c.resolved_at.is_(None)).group_by(_C.c.kind)
        ).all()
    return {str(kind): int(n) for kind, n in found}


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
    # lazy: the merge engine loads with the first record shown that has something open
    from nsdesk.services.merge.merging import conflict_item, plain_item
    from nsdesk.services.merge.outcome import ItemKind

    if not records_with_open_items(desk, record_table) & {record_uuid}:
        return []
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
