"""Finding the record a detail pane shows, by its key (ref, code) or UUID."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Table, or_, select

from nsdesk.domain.errors import RecordNotFoundError
from nsdesk.domain.records import spec_for
from nsdesk.store import tables as t


def find_record(connection: Connection, table: Table, key_column: str, key: str, kind: str) -> Any:
    """The row of ``table`` whose UUID or ``key_column`` is ``key``;
    :class:`RecordNotFoundError` (naming ``kind``) when none is."""
    key = key.strip()
    # Refs and agency codes are upper case, catalogue keys lower case (as typed).
    wanted = key.upper() if key_column == "ref" or table is t.agency else key.lower()
    row = connection.execute(
        select(table).where(or_(table.c.uuid == key, table.c[key_column] == wanted))
    ).first()
    if row is None:
        raise RecordNotFoundError(spec_for(kind).label.lower(), key)
    return row
