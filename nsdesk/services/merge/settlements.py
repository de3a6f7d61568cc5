"""Settling open conflicts: by the merge's policy (``--on-conflict keep|take``) or a
person's decision, each settlement an entry of the change log replacing every side, so
it travels and closes the same conflict wherever it arrives; and a conflict's sides as
a person reads them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import datetime
from typing import Any

from sqlalchemy import select

from nsdesk.domain.enums import AuditAction, Channel
from nsdesk.services.merge.codec import TableCodec
from nsdesk.services.merge.line_settling import LineSettling
from nsdesk.services.merge.lineage import CREATE, Entry, RecordHistory, load_histories
from nsdesk.services.merge.merge_state import as_moment, field_label
from nsdesk.services.merge.outcome import (
    ItemKind,
    OnConflict,
    OpenItem,
    Side,
)
from nsdesk.store.change_log import RETIRED_LINE
from nsdesk.store.ids import new_uuid
from nsdesk.store.types import utcnow


class Settlements(LineSettling):
    """Conflicts settled, and their sides shown."""

    def _settle_policy(self) -> None:
        """Settle the conflicts this merge left open as decided (per conflict, or by the
        policy); ``fail`` is the caller's (it refuses when any is left)."""
        for record, field_name in list(self.touched_conflicts):
            row = self.open_conflict(record, field_name)
            if row is None:
                continue
            decision = self.decisions.get((record, field_name))
            if decision is None:
                if self.on_conflict is OnConflict.KEEP:
                    decision = "keep"
                elif self.on_conflict is OnConflict.TAKE:
                    decision = "take"
            if decision is None:
                continue
            entry = self.settle(row, decision)
            self.report.settled.append(
                OpenItem(
                    id=row["id"],
                    kind=ItemKind.CONFLICT,
                    record_table=row["record_table"],
                    record_uuid=record,
                    record_label=self._label(entry),
                    field=field_name,
                    field_label=field_label(row["record_table"], field_name),
                    note=f"settled: {decision if isinstance(decision, str) else 'edited'}",
                )
            )

    def settle(self, row: Mapping[str, Any], decision: Any) -> dict[str, Any]:
        """Settle the open conflict ``row``: keep the desk's value, take the newest
        competing one, or write ``("value", V)``; the resolution is an entry of the
        change log replacing every side, so it travels and settles the same conflict
        wherever it arrives. Returns the entry written."""
        record, field_name = row["record_uuid"], row["field"]
        table = row["record_table"]
        codec = self.codecs[table]
        history = self.histories.get(record)
        if history is None:
            history = self.histories[record] = load_histories(self.c, [record])[record]
        line = "retired" if field_name == RETIRED_LINE else f"field:{field_name}"
        heads = history.heads(line)
        kept = row["kept_uuid"] if row["kept_uuid"] in heads else heads[-1]
        if decision == "keep":
            chosen, refs_new = self._value_on(codec, line, kept)
            how = "kept this desk's value"
        elif decision == "take":
            others = [h for h in heads if h != kept]
            newest = max(others, key=lambda h: (history.entries[h].hlc, h))
            chosen, refs_new = self._value_on(codec, line, newest)
            how = f"took the value from {self._laptop(history.entries[newest].replica)}"
        elif isinstance(decision, tuple) and decision[0] == "value":
            chosen, refs_new = decision[1], None
            if line != "retired" and field_name in codec.references:
                chosen, refs_new = self._reference_by_key(codec, field_name, chosen)
            how = "a new value"
        else:
            raise ValueError(f"not a decision: {decision!r}")
        shown, shown_ref = self._value_on(codec, line, kept)
        newest_head = max(heads, key=lambda h: history.entries[h].order)
        entry_uuid = new_uuid()
        label = self._label(self.values.get(newest_head))
        at = utcnow()
        if line == "retired":
            action = AuditAction.RETIRE if chosen else AuditAction.RESTORE
            field_value = None
        else:
            action = AuditAction.UPDATE
            field_value = field_name
        refs = None
        if line != "retired" and (shown_ref is not None or refs_new is not None):
            refs = {"old": shown_ref, "new": refs_new}
        row_out = {
            "uuid": entry_uuid,
            "at": at,
            "actor": self.actor.name,
            "channel": Channel.MERGED,
            "action": action,
            "record_table": table,
            "record_uuid": record,
            "record_label": label[:200],
            "field": field_value,
            "old_value": None if line == "retired" else shown,
            "new_value": None if line == "retired" else chosen,
            "operation_id": self.operation_id,
            "note": f"conflict settled: {how}",
            "parent_uuid": newest_head,
            "also_replaces": [h for h in heads if h != newest_head],
            "refs": refs,
        }
        self.audit.append(row_out)
        stored = {
            **row_out,
            "action": str(action.value),
            "at": at.isoformat(),
            "replica_id": "",
            "hlc": "",
        }
        self.values.run[entry_uuid] = stored
        self.position += 1
        history.add(
            Entry(
                uuid=entry_uuid,
                action=str(action.value),
                field=field_value,
                parents=(newest_head, *row_out["also_replaces"]),
                hlc="~",  # newer than every stamp: it is written now
                replica="",
                order=(1, self.position),
            )
        )
        self._apply(codec, history, line, entry_uuid)
        self._close(
            row,
            "kept" if decision == "keep" else "taken" if decision == "take" else "value",
            entry_uuid,
        )
        return stored

    def _reference_by_key(self, codec: TableCodec, name: str, key: Any) -> tuple[Any, Any]:
        reference = codec.references[name]
        if key is None or reference.by_code:
            return key, None
        found = self.rows.id_by_key(reference.target, key)
        if found is None:
            raise self.refuse(f"{key!r} names no record this desk has")
        uuid = self.c.execute(
            select(reference.target.c.uuid).where(reference.target.c.id == found)
        ).scalar()
        return key, uuid

    def open_conflicts(self) -> list[tuple[str, str]]:
        """The conflicts this merge touched that are still open."""
        return [key for key in self.touched_conflicts if self.open_conflict(*key) is not None]

    def base_side(
        self, history: RecordHistory, base_uuid: str, codec: TableCodec, line: str
    ) -> Side:
        """The value every side of a conflict replaced. A record made by a bulk writer
        (the demo, an import, an old desk) has a creation entry without its fields:
        then the value an entry replacing that creation says it found (its old value)
        is what both sides started from, not "nothing"."""
        found = self.side(base_uuid, codec, line)
        change = self.values.get(base_uuid)
        name = line.removeprefix("field:")
        if line == "retired" or change["action"] != CREATE:
            return found
        if name in (change.get("new_value") or {}):
            return found
        for entry in history.entries.values():
            if base_uuid in entry.parents and entry.line == line:
                child = self.values.get(entry.uuid)
                if "old_value" in child:
                    return replace(found, value=child.get("old_value"))
        return found

    def side(self, uuid: str, codec: TableCodec, line: str) -> Side:
        """One value of a conflict as a person reads it."""
        change = self.values.get(uuid)
        value, _ = self._value_on(codec, line, uuid)
        at = change.get("at")
        return Side(
            entry_uuid=uuid,
            value=value,
            actor=str(change.get("actor") or ""),
            at=as_moment(at) if isinstance(at, str | datetime) and at else None,
            replica_id=str(change.get("replica_id") or ""),
            laptop=self._laptop(str(change.get("replica_id") or "")),
        )
