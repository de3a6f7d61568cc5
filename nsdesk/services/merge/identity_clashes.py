"""Identity clashes: a record arriving with a human key (``C-0043``, a code) another
record of this desk already holds keeps a provisional key that says so
(``C-0043~1a2b``) and a clash is recorded for a person to settle; nothing is
renumbered for good silently. A record whose key changes leaves the clashes it was in.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import insert, select, update

from nsdesk.services.merge.codec import TableCodec
from nsdesk.services.merge.outcome import ItemKind
from nsdesk.services.merge.reviews import Reviews
from nsdesk.store import tables as t
from nsdesk.store.types import utcnow


class IdentityClashes(Reviews):
    """Keys given to arriving records, and the clashes between them."""

    def _claim_keys(
        self, codec: TableCodec, record: str, values: dict[str, Any], change: dict[str, Any]
    ) -> None:
        for name in codec.keys:
            if values.get(name) is not None:
                values[name] = self._key_value(codec, record, name, values[name], change)

    def _key_value(
        self, codec: TableCodec, record: str, name: str, value: Any, change: dict[str, Any]
    ) -> Any:
        """``value`` if no other record holds it as its key; otherwise a provisional key
        that says so, and an identity clash for a person to settle."""
        table = codec.table
        other = self.c.execute(
            select(table.c.uuid, table.c.id).where(table.c[name] == value, table.c.uuid != record)
        ).first()
        self._close_clashes(codec, record, name)
        if other is None:
            return value
        provisional = self._provisional(codec, name, str(value), record)
        self.c.execute(
            insert(t.changes_conflict).values(
                kind=ItemKind.IDENTITY.value,
                record_table=codec.name,
                record_uuid=record,
                field=name,
                heads={"column": name, "key": value},
                other_uuid=other.uuid,
                provisional=provisional,
                note=f"created on {self._laptop(change['replica_id'])} as {value}, "
                f"which a record of this desk already is",
                detected_at=utcnow(),
                received_id=self.received_id,
            )
        )
        return provisional

    def _provisional(self, codec: TableCodec, name: str, value: str, record: str) -> str:
        column = codec.table.c[name]
        limit = getattr(column.type, "length", None) or 80
        for width in range(4, 33):
            suffix = "~" + record.replace("-", "")[:width]
            candidate = value[: max(1, limit - len(suffix))] + suffix
            taken = self.c.execute(select(codec.table.c.id).where(column == candidate)).first()
            if taken is None:
                return candidate
        raise self.refuse(f"no provisional key is free for {value}")

    def _close_clashes(self, codec: TableCodec, record: str, name: str) -> None:
        """A record whose key changes leaves the clashes it was in. A record that held a
        provisional key because of it takes its own key back — one record only: when
        several arrived with that key, the others now clash with the one that took it
        (their clashes stay open, pointing at it)."""
        c = t.changes_conflict
        rows = self.c.execute(
            select(c)
            .where(
                c.c.kind == ItemKind.IDENTITY.value,
                c.c.resolved_at.is_(None),
                c.c.field == name,
                (c.c.record_uuid == record) | (c.c.other_uuid == record),
            )
            .order_by(c.c.id)
        ).all()
        for row in rows:
            holder = None
            key = (row.heads or {}).get("key")
            if row.record_uuid != record:
                holder = self._holder(codec, name, key, besides=(row.record_uuid, record))
            if holder is not None:
                self.c.execute(update(c).where(c.c.id == row.id).values(other_uuid=holder))
                continue
            self.c.execute(
                update(c)
                .where(c.c.id == row.id)
                .values(resolved_at=utcnow(), resolution="renumbered")
            )
            if row.record_uuid != record:
                self.restores.append((codec, row.record_uuid, name, key))

    def _holder(
        self, codec: TableCodec, name: str, key: Any, *, besides: tuple[str, str]
    ) -> str | None:
        """The record that holds ``key`` now, or is about to take it back, other than
        those ``besides``."""
        for other_codec, other, column, taken in self.restores:
            if other_codec.name == codec.name and column == name and taken == key:
                return other
        self._flush_updates()
        found = self.c.execute(
            select(codec.table.c.uuid).where(
                codec.table.c[name] == key, codec.table.c.uuid.not_in(besides)
            )
        ).first()
        return found.uuid if found is not None else None
