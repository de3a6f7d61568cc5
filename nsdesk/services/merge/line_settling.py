"""Settling one line of a record's history (a field, or its retirements) from its heads:
one head is a fast-forward and its value applies; several with one value, or a set
(merged three-way against their common ancestor), merge silently; different values
are an open conflict, the desk keeping the value it shows. Opening, updating and
closing the conflict rows is here too.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import insert, select, update

from nsdesk.services.merge.codec import (
    WITHHELD_FIELDS,
    TableCodec,
    reference_id,
    scalar_identity,
    set_identity,
)
from nsdesk.services.merge.identity_clashes import IdentityClashes
from nsdesk.services.merge.lineage import (
    CREATE,
    RETIRE,
    Entry,
    RecordHistory,
)
from nsdesk.services.merge.merge_state import as_moment, utc_moment
from nsdesk.services.merge.outcome import ItemKind, MergedField
from nsdesk.store import tables as t
from nsdesk.store.change_log import conflict_field
from nsdesk.store.types import utcnow


class LineSettling(IdentityClashes):
    """How each line a change lands on is settled, and the value it then shows."""

    def _settle(self, codec: TableCodec, history: RecordHistory, line: str, entry: Entry) -> None:
        record = history.record_uuid
        field_name = conflict_field(line)
        heads = history.heads(line)
        open_row = self.open_conflict(record, field_name)
        if heads == [entry.uuid]:
            self._apply(codec, history, line, entry.uuid)
            if open_row is not None:
                self._close(open_row, "superseded", entry.uuid)
            self.report.count(codec.name)
            return
        if entry.uuid not in heads:
            return  # a creation another entry already replaced here (same record twice)
        name = line.removeprefix("field:")
        if line != "retired" and name in codec.sets:
            merged = self._merged_set(codec, history, line, heads)
            self._apply_set(codec, record, name, merged)
            self._merged(codec, history, field_name, "sets merged", entry.uuid)
            if open_row is not None:
                self._close(open_row, "merged", entry.uuid)
            return
        identities = {self._identity(codec, line, h) for h in heads}
        if len(identities) == 1:
            kept = open_row["kept_uuid"] if open_row is not None else None
            if line == "retired":
                # Retired on several laptops: since the first of them, in every copy.
                first = min(heads, key=lambda h: (utc_moment(self.values.get(h)["at"]), h))
                self._apply(codec, history, line, first)
            elif kept is not None and kept not in heads:
                self._apply(codec, history, line, entry.uuid)
            self._merged(codec, history, field_name, "same value", entry.uuid)
            if open_row is not None:
                self._close(open_row, "merged", entry.uuid)
            return
        if open_row is not None:
            kept = open_row["kept_uuid"]
        else:
            before = [h for h in heads if h != entry.uuid]
            kept = before[-1] if before else entry.uuid
        if kept not in heads:
            kept = entry.uuid  # the desk follows its own line to the change that replaced it
            self._apply(codec, history, line, entry.uuid)
        self._open(codec, history, field_name, heads, kept, open_row)

    def _identity(self, codec: TableCodec, line: str, uuid: str) -> Any:
        value, ref = self._value_on(codec, line, uuid)
        return scalar_identity(value, ref)

    def _value_on(self, codec: TableCodec, line: str, uuid: str) -> tuple[Any, Any]:
        """(value, referenced UUID or set of UUIDs) entry ``uuid`` gives ``line``."""
        change = self.values.get(uuid)
        action = change["action"]
        refs = change.get("refs") or {}
        if line == "retired":
            if action == CREATE:
                snapshot = change.get("new_value") or {}
                return snapshot.get("retired_at") is not None, None
            return action == RETIRE, None
        name = line.removeprefix("field:")
        if action == CREATE:
            snapshot = change.get("new_value") or {}
            ref = refs.get(name) if isinstance(refs, dict) else None
            return snapshot.get(name), ref
        ref = refs.get("new") if isinstance(refs, dict) else None
        return change.get("new_value"), ref

    def _merged_set(
        self, codec: TableCodec, history: RecordHistory, line: str, heads: list[str]
    ) -> frozenset[str]:
        """The three-way merge of the set ``heads`` hold: a member is in if it was in
        the value they all started from and no side took it out, or a side put it in."""
        base_uuid = history.common_ancestor(heads)
        base = self._base_set(codec, history, line, base_uuid) if base_uuid else frozenset()
        added: set[str] = set()
        removed: set[str] = set()
        for head in heads:
            value = self._set_value(codec, line, head)
            added |= value - base
            removed |= base - value
        return frozenset((base - removed) | added)

    def _base_set(
        self, codec: TableCodec, history: RecordHistory, line: str, base_uuid: str
    ) -> frozenset[str]:
        """The set both sides started from. A record made by a bulk writer (the demo, an
        old desk) has a creation entry without its sets: then the set an entry replacing
        that creation says it found there (its old value) is the base."""
        change = self.values.get(base_uuid)
        name = line.removeprefix("field:")
        if change["action"] == CREATE and name not in (change.get("new_value") or {}):
            for entry in history.entries.values():
                if base_uuid in entry.parents and entry.line == line:
                    child = self.values.get(entry.uuid)
                    given = child.get("refs")
                    refs = given if isinstance(given, dict) else {}
                    old = child.get("old_value")
                    return set_identity(old if isinstance(old, list) else [], refs.get("old"))
        return self._set_value(codec, line, base_uuid)

    def _set_value(self, codec: TableCodec, line: str, uuid: str) -> frozenset[str]:
        value, ref = self._value_on(codec, line, uuid)
        return set_identity(value if isinstance(value, list) else [], ref)

    # -- applying values -----------------------------------------------------------------
    def _apply(self, codec: TableCodec, history: RecordHistory, line: str, uuid: str) -> None:
        """Give the record the value entry ``uuid`` gives ``line``."""
        record = history.record_uuid
        if self.rows.id_of(codec.table, record) is None:
            return  # deleted here: the entry is kept, there is no row to change
        value, ref = self._value_on(codec, line, uuid)
        change = self.values.get(uuid)
        if line == "retired":
            moment = as_moment(change["at"]) if value else None
            if change["action"] == CREATE:
                moment = self._decode_moment((change.get("new_value") or {}).get("retired_at"))
            self._set_column(codec, record, "retired_at", moment)
            return
        name = line.removeprefix("field:")
        if name in codec.sets:
            members = self._members(codec, name, value, ref, change)
            self._apply_set(codec, record, name, members)
            return
        if name in codec.references:
            reference = codec.references[name]
            found, ok = reference_id(self.rows, reference, value, ref)
            if not ok:
                withheld = isinstance(change.get("refs"), dict) and (
                    change["refs"].get("withheld")
                    or name in (change["refs"].get(WITHHELD_FIELDS) or ())
                )
                if withheld:
                    self._review(codec, change, f"its {name} names a record withheld from you")
                    found = None
                else:
                    raise self.refuse(
                        f"its {name} names a record this desk does not have ({value!r})"
                    )
            self._set_column(codec, record, reference.column, found)
            return
        checked = self.checked
        if checked is not None and checked[0] == uuid:
            decoded = checked[1]  # the value its change was checked with, decoded then
        else:
            decoded = self._decode(codec, name, value)
        if name in codec.keys:
            decoded = self._key_value(codec, record, name, decoded, change)
        self._set_column(codec, record, name, decoded)
        restores, self.restores = self.restores, []
        for other_codec, other, column, key in restores:
            self._set_column(other_codec, other, column, key)

    def open_conflict(self, record: str, field_name: str) -> Any:
        """The open conflict row of ``field_name`` of ``record``, or None."""
        c = t.changes_conflict
        if self.maybe_open is None:
            # Read once: most fields a merge touches have none, and asking the desk
            # for each of 10,000 changes was most of a merge's time.
            self.maybe_open = {
                (record_uuid, name)
                for record_uuid, name in self.c.execute(
                    select(c.c.record_uuid, c.c.field).where(
                        c.c.kind == ItemKind.CONFLICT.value, c.c.resolved_at.is_(None)
                    )
                )
            }
        if (record, field_name) not in self.maybe_open:
            return None
        return (
            self.c.execute(
                select(c).where(
                    c.c.kind == ItemKind.CONFLICT.value,
                    c.c.record_uuid == record,
                    c.c.field == field_name,
                    c.c.resolved_at.is_(None),
                )
            )
            .mappings()
            .first()
        )

    def _open(
        self,
        codec: TableCodec,
        history: RecordHistory,
        field_name: str,
        heads: list[str],
        kept: str,
        open_row: Any,
    ) -> None:
        c = t.changes_conflict
        if open_row is not None:
            self.c.execute(
                update(c).where(c.c.id == open_row["id"]).values(heads=heads, kept_uuid=kept)
            )
        else:
            self.c.execute(
                insert(c).values(
                    kind=ItemKind.CONFLICT.value,
                    record_table=codec.name,
                    record_uuid=history.record_uuid,
                    field=field_name,
                    heads=heads,
                    kept_uuid=kept,
                    detected_at=utcnow(),
                    received_id=self.received_id,
                )
            )
            if self.maybe_open is not None:
                self.maybe_open.add((history.record_uuid, field_name))
        self.touched_conflicts[(history.record_uuid, field_name)] = None

    def _close(self, row: Any, resolution: str, entry_uuid: str | None) -> None:
        c = t.changes_conflict
        self.c.execute(
            update(c)
            .where(c.c.id == row["id"])
            .values(resolved_at=utcnow(), resolution=resolution, resolution_uuid=entry_uuid)
        )

    def _merged(
        self, codec: TableCodec, history: RecordHistory, field_name: str, how: str, uuid: str
    ) -> None:
        change = self.values.get(uuid)
        self.report.merged.append(
            MergedField(
                codec.name,
                history.record_uuid,
                str(change.get("record_label") or history.record_uuid),
                field_name,
                how,
            )
        )
