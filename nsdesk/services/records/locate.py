"""Where a record is shown: the register that lists it, and the key that register
selects. A part of another record (a progress entry, a target, a milestone) is
shown with its owner.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from nsdesk.services.desk import Desk
from nsdesk.services.records.register_loaders import LoadContext
from nsdesk.services.records.registers import REGISTERS
from nsdesk.store import tables as t

_SHOWN_WITH: dict[str, tuple[str, str]] = {
    "status_entry": ("commitment", "commitment_id"),
    "target": ("commitment", "commitment_id"),
    "agency_contact": ("agency", "agency_id"),
    "participation": ("instrument", "instrument_id"),
    "membership_snapshot": ("gift_basket", "gift_basket_id"),
}
_REGISTER_OF_KIND = {d.kind: d.name for d in REGISTERS.values()}


def locate(desk: Desk, kind: str, key: str) -> tuple[str, str] | None:
    """The register that shows record ``key`` (its key or UUID) of ``kind``, and the
    key that register selects; a part of a record (a progress entry, a milestone)
    is shown with its owner. None when no register shows it."""
    with desk.connect() as connection:
        if kind == "milestone":
            m = t.milestone
            participation = connection.execute(
                select(m.c.participation_id).where(m.c.uuid == key)
            ).scalar()
            if participation is None:
                return None
            kind, key = (
                "participation",
                connection.execute(
                    select(t.participation.c.uuid).where(t.participation.c.id == participation)
                ).scalar_one(),
            )
        if kind in _SHOWN_WITH:
            owner, column = _SHOWN_WITH[kind]
            table = t.metadata.tables[kind]
            owner_id = connection.execute(
                select(table.c[column]).where(table.c.uuid == key)
            ).scalar()
            if owner_id is None:
                return None
            owner_table = t.metadata.tables[owner]
            kind, key = (
                owner,
                connection.execute(
                    select(owner_table.c.uuid).where(owner_table.c.id == owner_id)
                ).scalar_one(),
            )
        name = _REGISTER_OF_KIND.get(kind)
        if name is None:
            return None
        definition = REGISTERS[name]
        rows = definition.loader(connection, LoadContext(date.today()), [key])
    return (name, rows[0].key) if rows else None


__all__ = ["locate"]
