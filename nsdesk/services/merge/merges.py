"""The merges a desk received, and undoing one.

Every merge is recorded with the changes file it read (``changes_received``): who
sent it, when it was merged and by whom, what it did, and the values it replaced.
Undoing a merge does not take its entries out of the history (the other copies hold
them too, and would send them back): it writes new changes that put back every value
the merge replaced and delete the records it created — changes of this desk that
travel like any other, so the other copies follow. It is refused, naming the
records, where later work on the same fields or records would be overwritten, and
for a merge that deleted records (their values cannot be put back as they were).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from nsdesk.domain.changes_errors import MergeUndoRefusedError
from nsdesk.domain.enums import AuditAction, Channel
from nsdesk.domain.wording import count as said_count
from nsdesk.services.audit import Actor, AuditContext, to_json
from nsdesk.services.desk import Desk
from nsdesk.services.merge.codec import TableCodec, codecs, key_of, row_snapshot
from nsdesk.services.merge.engine import laptop_names
from nsdesk.store import tables as t
from nsdesk.store.bulk import insert_rows
from nsdesk.store.change_log import take_revision
from nsdesk.store.types import utcnow

_R = t.changes_received


@dataclass(frozen=True, slots=True)
class MergeRecord:
    """One changes file merged into the desk."""

    id: int
    file_id: str
    file_name: str
    laptop: str
    fingerprint: str
    received_at: datetime
    actor: str
    counts: dict[str, Any]
    undone_at: datetime | None
    undone_by: str | None

    def describe(self) -> str:
        """One line a person reads."""
        counts = self.counts or {}
        applied = sum((counts.get("applied") or {}).values())
        said = (
            f"merge {self.id}: {self.file_name} from {self.laptop}, "
            f"{self.received_at:%Y-%m-%d %H:%M} UTC by {self.actor}: {applied:,} applied, "
            f"{counts.get('known', 0):,} already here, "
            f"{said_count(counts.get('conflicts', 0), 'conflict')}"
        )
        if self.undone_at is not None:
            said += f"; undone {self.undone_at:%Y-%m-%d %H:%M} UTC by {self.undone_by}"
        return said


def list_merges(desk: Desk) -> list[MergeRecord]:
    """Every merge of the desk, newest first."""
    with desk.connect() as connection:
        names = laptop_names(connection)
        rows = connection.execute(select(_R).order_by(_R.c.id.desc())).mappings().all()
    return [
        MergeRecord(
            id=row["id"],
            file_id=row["file_id"],
            file_name=row["file_name"],
            laptop=names.get(row["sender_replica"], f"laptop {row['sender_replica'][:8]}"),
            fingerprint=row["fingerprint"],
            received_at=row["received_at"],
            actor=row["actor"],
            counts=dict(row["counts"] or {}),
            undone_at=row["undone_at"],
            undone_by=row["undone_by"],
        )
        for row in rows
    ]


def find_merge(connection: Connection, which: int | str) -> Any:
    """The merge ``which`` names: its number, or its file id (or the file id's first
    eight characters or more)."""
    text = str(which).strip()
    if text.isdigit():
        row = connection.execute(select(_R).where(_R.c.id == int(text))).mappings().first()
    elif len(text) >= 8:
        rows = (
            connection.execute(select(_R).where(_R.c.file_id.like(f"{text.lower()}%")))
            .mappings()
            .all()
        )
        row = rows[0] if len(rows) == 1 else None
    else:
        row = None
    if row is None:
        raise MergeUndoRefusedError(
            f"no merge {text} in this desk (nsdesk changes merges DESK lists them); "
            "nothing was changed"
        )
    return row


@dataclass(frozen=True, slots=True)
class UndoneMerge:
    """What undoing a merge did."""

    merge_id: int
    values: int
    deleted: int


def _line(codec: TableCodec, name: str) -> str:
    """The line of the history a journal's column belongs to."""
    if name == "retired_at":
        return "retired"
    for reference in codec.references.values():
        if reference.column == name:
            return f"field:{reference.field}"
    return f"field:{name}"


def _entry_line(action: Any, field_name: str | None) -> str | None:
    action = str(getattr(action, "value", action))
    if action in ("retire", "restore"):
        return "retired"
    if action == "update":
        return f"field:{field_name}"
    return None


def undo_merge(desk: Desk, which: int | str, *, actor: Actor | None = None) -> UndoneMerge:
    """Undo the merge ``which`` (see module docstring). Raises
    :class:`MergeUndoRefusedError`, changing nothing, where later work would be
    overwritten."""
    actor = actor or Actor.local(Channel.TYPED)
    with desk.transaction(actor) as (connection, ctx):
        row = find_merge(connection, which)
        name = f"merge {row['id']} ({row['file_name']})"
        ctx.note = f"undo of {name}"
        if row["undone_at"] is not None:
            raise MergeUndoRefusedError(
                f"{name} was undone already ({row['undone_at']:%Y-%m-%d %H:%M} UTC by "
                f"{row['undone_by']}); nothing was changed"
            )
        journal = row["journal"] or {}
        values = [tuple(v) for v in journal.get("values", [])]
        created = [tuple(c) for c in journal.get("created", [])]
        deleted = [v for v in values if v[2] == "(deleted)"]
        if deleted:
            raise MergeUndoRefusedError(
                f"{name} deleted {said_count(len(deleted), 'record')}, which an undo cannot put "
                "back as "
                "they were; restore the backup taken before it instead. Nothing was changed"
            )
        _refuse_later_work(connection, row["revision"], name, values, created)
        all_codecs = codecs()
        made = {(table, record) for table, record in created}
        count = 0
        audit: list[dict[str, Any]] = []
        for table, record, column, before in values:
            if (table, record) in made:
                continue
            codec = all_codecs[table]
            audit.append(_put_back(connection, ctx, codec, record, column, before))
            count += 1
        if audit:
            insert_rows(connection, t.audit_entry, _uniform(audit))
        removed = 0
        for table, record in reversed(created):
            codec = all_codecs[table]
            removed += _remove(connection, ctx, codec, record, name)
        connection.execute(
            update(t.changes_conflict)
            .where(
                t.changes_conflict.c.received_id == row["id"],
                t.changes_conflict.c.resolved_at.is_(None),
            )
            .values(resolved_at=utcnow(), resolved_by=actor.name, resolution="undone")
        )
        revision = take_revision(connection)
        connection.execute(
            update(_R)
            .where(_R.c.id == row["id"])
            .values(undone_at=utcnow(), undone_by=actor.name[:120], undo_revision=revision)
        )
    return UndoneMerge(row["id"], count, removed)


def _refuse_later_work(
    connection: Connection,
    revision: int | None,
    name: str,
    values: list[tuple[Any, ...]],
    created: list[tuple[Any, ...]],
) -> None:
    if revision is None:
        raise MergeUndoRefusedError(
            f"{name} kept no record of what it changed; nothing was changed"
        )
    all_codecs = codecs()
    lines: dict[str, set[str]] = {}
    for table, record, column, _before in values:
        lines.setdefault(record, set()).add(_line(all_codecs[table], column))
    made = {record for _table, record in created}
    records = sorted(set(lines) | made)
    a = t.audit_entry
    later: list[str] = []
    for start in range(0, len(records), 500):
        rows = connection.execute(
            select(a.c.record_uuid, a.c.record_label, a.c.action, a.c.field, a.c.actor, a.c.at)
            .where(a.c.record_uuid.in_(records[start : start + 500]), a.c.revision > revision)
            .order_by(a.c.revision, a.c.id)
        ).all()
        for found in rows:
            line = _entry_line(found.action, found.field)
            if found.record_uuid in made or line in lines.get(found.record_uuid, set()):
                what = found.field or str(getattr(found.action, "value", found.action))
                later.append(
                    f"{found.record_label or found.record_uuid} ({what}, by {found.actor} on "
                    f"{found.at:%Y-%m-%d %H:%M} UTC)"
                )
    if later:
        shown = "; ".join(later[:8]) + (f"; and {len(later) - 8} more" if len(later) > 8 else "")
        raise MergeUndoRefusedError(
            f"undoing {name} would overwrite later work: {shown}. Nothing was changed"
        )


def _put_back(
    connection: Connection,
    ctx: AuditContext,
    codec: TableCodec,
    record: str,
    column: str,
    before: Any,
) -> dict[str, Any]:
    """Put one value back, and the entry that says so."""
    table = codec.table
    label = _label(connection, codec, record)
    base = {
        "uuid": None,
        "at": utcnow(),
        "actor": ctx.actor.name,
        "channel": ctx.actor.channel,
        "record_table": codec.name,
        "record_uuid": record,
        "record_label": label[:200],
        "operation_id": ctx.operation_id,
        "note": ctx.note,
    }
    if column == "retired_at":
        moment = datetime.fromisoformat(before) if isinstance(before, str) else None
        connection.execute(
            update(table)
            .where(table.c.uuid == record)
            .values(retired_at=moment, updated_at=utcnow())
        )
        action = AuditAction.RETIRE if moment else AuditAction.RESTORE
        return {**base, "action": action, "field": None, "old_value": None, "new_value": None}
    if column in codec.sets:
        link = codec.sets[column]
        row_id = connection.execute(select(table.c.id).where(table.c.uuid == record)).scalar()
        now = _members(connection, link, row_id)
        wanted = [str(u) for u in before or []]
        ids = dict(
            connection.execute(
                select(link.target.c.uuid, link.target.c.id).where(link.target.c.uuid.in_(wanted))
            ).all()
        )
        connection.execute(delete(link.link).where(link.link.c[link.own] == row_id))
        if ids:
            connection.execute(
                insert(link.link), [{link.own: row_id, link.other: i} for i in sorted(ids.values())]
            )
        keys = _keys(connection, link.target, wanted)
        return {
            **base,
            "action": AuditAction.UPDATE,
            "field": column,
            "old_value": sorted(_keys(connection, link.target, now)),
            "new_value": sorted(keys),
            "refs": {"old": sorted(now), "new": sorted(wanted)},
        }
    reference = next((r for r in codec.references.values() if r.column == column), None)
    current = connection.execute(select(table.c[column]).where(table.c.uuid == record)).scalar()
    if reference is not None:
        connection.execute(
            update(table)
            .where(table.c.uuid == record)
            .values({column: before, "updated_at": utcnow()})
        )
        if reference.by_code:
            return {
                **base,
                "action": AuditAction.UPDATE,
                "field": reference.field,
                "old_value": current,
                "new_value": before,
            }
        old_key, old_uuid = _named(connection, reference.target, current)
        new_key, new_uuid = _named(connection, reference.target, before)
        return {
            **base,
            "action": AuditAction.UPDATE,
            "field": reference.field,
            "old_value": old_key,
            "new_value": new_key,
            "refs": {"old": old_uuid, "new": new_uuid},
        }
    value = codec.decode(column, before)
    connection.execute(
        update(table).where(table.c.uuid == record).values({column: value, "updated_at": utcnow()})
    )
    return {
        **base,
        "action": AuditAction.UPDATE,
        "field": column,
        "old_value": to_json(current),
        "new_value": before,
    }


def _remove(
    connection: Connection, ctx: AuditContext, codec: TableCodec, record: str, name: str
) -> int:
    """Delete a record the merge created, with the entry that says so."""
    table = codec.table
    row = connection.execute(select(table).where(table.c.uuid == record)).mappings().first()
    if row is None:
        return 0
    values, refs = row_snapshot(connection, codec, dict(row))
    try:
        for link in codec.sets.values():
            connection.execute(delete(link.link).where(link.link.c[link.own] == row["id"]))
        connection.execute(delete(table).where(table.c.id == row["id"]))
    except IntegrityError:
        raise MergeUndoRefusedError(
            f"undoing {name} would delete {_label(connection, codec, record)}, which later "
            "records of this desk belong to. Nothing was changed"
        ) from None
    insert_rows(
        connection,
        t.audit_entry,
        [
            {
                "uuid": None,
                "at": utcnow(),
                "actor": ctx.actor.name,
                "channel": ctx.actor.channel,
                "action": AuditAction.DELETE,
                "record_table": codec.name,
                "record_uuid": record,
                "record_label": _label(connection, codec, record)[:200],
                "field": None,
                "old_value": values,
                "new_value": None,
                "refs": refs or None,
                "operation_id": ctx.operation_id,
                "note": ctx.note,
            }
        ],
    )
    return 1


def _members(connection: Connection, link: Any, row_id: Any) -> list[str]:
    return list(
        connection.execute(
            select(link.target.c.uuid)
            .join(link.link, link.link.c[link.other] == link.target.c.id)
            .where(link.link.c[link.own] == row_id)
        ).scalars()
    )


def _keys(connection: Connection, target: Any, uuids: Iterable[str]) -> list[Any]:
    key = key_of(target)
    wanted = list(uuids)
    if key is None:
        return wanted
    return list(
        connection.execute(select(target.c[key]).where(target.c.uuid.in_(wanted))).scalars()
    )


def _named(connection: Connection, target: Any, row_id: Any) -> tuple[Any, Any]:
    if row_id is None:
        return None, None
    key = key_of(target)
    columns = [target.c.uuid] + ([target.c[key]] if key else [])
    found = connection.execute(select(*columns).where(target.c.id == row_id)).first()
    if found is None:
        return row_id, None
    return (found[1] if key else found[0]), found[0]


def _label(connection: Connection, codec: TableCodec, record: str) -> str:
    a = t.audit_entry
    label = connection.execute(
        select(a.c.record_label)
        .where(a.c.record_uuid == record, a.c.record_label.is_not(None))
        .order_by(a.c.revision.desc(), a.c.id.desc())
        .limit(1)
    ).scalar()
    return str(label or f"{codec.name} {record}")


def _uniform(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    names = set().union(*(r.keys() for r in rows))
    return [{n: r.get(n) for n in names} for r in rows]
