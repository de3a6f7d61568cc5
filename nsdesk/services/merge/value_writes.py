"""Writing the values a merge decided: a field's column (batched, one UPDATE per
column for the lot through the store's bulk path, with the value it replaced kept
for undo), a set's links, and decoding what a change carries into what a column
holds (a refusal when it cannot be).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete, insert, select

from nsdesk.services.merge.codec import CodecError, TableCodec, set_identity
from nsdesk.services.merge.merge_state import MergeState, as_moment, journal_value, uuid_list
from nsdesk.store.bulk import update_column
from nsdesk.store.types import utcnow


class ValueWrites(MergeState):
    """Values written to the desk's rows, with what undoing them needs."""

    def _decode(self, codec: TableCodec, name: str, value: Any) -> Any:
        try:
            return codec.decode(name, value)
        except CodecError as error:
            raise self.refuse(str(error)) from None

    def _decode_moment(self, value: Any) -> datetime | None:
        if value is None:
            return None
        try:
            return as_moment(str(value))
        except ValueError:
            raise self.refuse(f"{value!r} is not a moment") from None

    def _set_column(self, codec: TableCodec, record: str, column: str, value: Any) -> None:
        table = codec.name
        key = (table, record, column)
        if key not in self.journal and (table, record) not in self.created_set:
            if key in self.prefetched:
                self.journal[key] = self.prefetched.pop(key)
            else:
                self.journal[key] = self._current(codec, record, column)
        self.pending.setdefault((table, column), []).append((record, value))

    def _current(self, codec: TableCodec, record: str, column: str) -> Any:
        self._flush_updates()
        value = self.c.execute(
            select(codec.table.c[column]).where(codec.table.c.uuid == record)
        ).scalar()
        return journal_value(value)

    def _flush_updates(self) -> None:
        if not self.pending:
            return
        pending, self.pending = self.pending, {}
        now = utcnow()
        for (table_name, column), rows in pending.items():
            table = self.codecs[table_name].table
            also = {"updated_at": now} if "updated_at" in table.c else None
            update_column(self.c, table, column, rows, also=also)

    def _members(
        self, codec: TableCodec, name: str, keys: Any, uuids: Any, change: dict[str, Any]
    ) -> frozenset[str]:
        """A set value as member identities (UUIDs; keys for an old entry)."""
        if keys is not None and not isinstance(keys, list):
            raise self.refuse(f"its {name} is not a list")
        if uuids is not None and not uuid_list(uuids):
            raise self.refuse(f"the records its {name} names are not a list of UUIDs")
        return set_identity(keys or [], uuids)

    def _apply_set(
        self, codec: TableCodec, record: str, name: str, members: frozenset[str]
    ) -> None:
        link = codec.sets[name]
        row_id = self.rows.id_of(codec.table, record)
        if row_id is None:
            return
        self._flush_updates()
        key = (codec.name, record, name)
        current = self._set_now(codec, name, row_id)
        if key not in self.journal:
            self.journal[key] = sorted(current)
        if current == members:
            return
        self._write_set(link, row_id, members, replace=True)

    def _set_now(self, codec: TableCodec, name: str, row_id: int) -> frozenset[str]:
        link = codec.sets[name]
        target = link.target
        return frozenset(
            self.c.execute(
                select(target.c.uuid)
                .join(link.link, link.link.c[link.other] == target.c.id)
                .where(link.link.c[link.own] == row_id)
            ).scalars()
        )

    def _write_set(
        self, link: Any, row_id: int | None, members: frozenset[str], *, replace: bool = False
    ) -> None:
        if row_id is None:
            return
        ids: list[int] = []
        by_uuid = [m for m in members if not m.startswith("key:")]
        found = self.rows.ids_of(link.target, by_uuid)
        for member in members:
            if member.startswith("key:"):
                member_id = self.rows.id_by_key(link.target, member[4:])
            else:
                member_id = found.get(member)
            if member_id is None:
                continue  # withheld from this desk, or retired away: not a member here
            ids.append(member_id)
        if replace:
            self.c.execute(delete(link.link).where(link.link.c[link.own] == row_id))
        if ids:
            self.c.execute(
                insert(link.link), [{link.own: row_id, link.other: i} for i in sorted(set(ids))]
            )
