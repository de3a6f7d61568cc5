"""What merges left for a person: open conflicts, identity clashes, records to review.

Each is a row of ``changes_conflict`` in this copy of the desk (never sent). Settling
one is a change of the register that *does* travel:

* a conflict is settled by an entry of the change log that replaces every competing
  value (:meth:`~nsdesk.services.merge.engine.Merge.settle`): keep the desk's value,
  take the other, or write a new one. Wherever that entry arrives, it replaces the
  same values, so the same conflict closes there without a second decision;
* an identity clash (two records with one key) is settled as *different records* —
  one is renumbered (a new number from the desk's series, or a code the person
  gives) and keeps its old key as an alias that search, imports and lookups still
  find — or as *the same record* — the other one's progress entries, targets and
  other records that belong to it move to the one kept, and it is retired under a
  new number. Nothing is ever renumbered without a person deciding it;
* a record to review is marked looked at.

Editing a field that has an open conflict also settles it (the change log makes the
edit replace every side). The counts and fields here feed the app's badge, filter
and editor marker.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, ForeignKey, func, select, update

from nsdesk.domain.changes_errors import ConflictNotFoundError
from nsdesk.domain.enums import Channel
from nsdesk.domain.errors import ValidationError
from nsdesk.domain.records import RECORD_SPECS
from nsdesk.services.audit import Actor
from nsdesk.services.desk import Desk
from nsdesk.services.merge.engine import FileFacts, Merge
from nsdesk.services.merge.merging import conflict_item, plain_item
from nsdesk.services.merge.outcome import ItemKind, MergeReport, OpenItem
from nsdesk.store import tables as t
from nsdesk.store.types import utcnow

_C = t.changes_conflict


def _item(connection: Connection, row: Any) -> OpenItem:
    if row["kind"] == ItemKind.CONFLICT.value:
        return conflict_item(connection, row)
    return plain_item(connection, row)


def list_items(
    desk: Desk, *, kinds: tuple[ItemKind, ...] | None = None, include_settled: bool = False
) -> list[OpenItem]:
    """The conflicts, identity clashes and review items of ``desk`` (open ones only
    unless ``include_settled``), oldest first."""
    query = select(_C).order_by(_C.c.id)
    if not include_settled:
        query = query.where(_C.c.resolved_at.is_(None))
    if kinds:
        query = query.where(_C.c.kind.in_([k.value for k in kinds]))
    with desk.connect() as connection:
        rows = connection.execute(query).mappings().all()
        return [_item(connection, row) for row in rows]


def open_counts(desk: Desk) -> dict[ItemKind, int]:
    """How many of each kind are open (the status bar's badge)."""
    with desk.connect() as connection:
        found = connection.execute(
            select(_C.c.kind, func.count()).where(_C.c.resolved_at.is_(None)).group_by(_C.c.kind)
        ).all()
    return {ItemKind(kind): count for kind, count in found}


def open_fields(desk: Desk, record_table: str) -> dict[str, set[str]]:
    """The fields with an open conflict or clash of each record of ``record_table``
    (record UUID → field names): the register's "Conflicts" filter and the editor's
    marker."""
    with desk.connect() as connection:
        rows = connection.execute(
            select(_C.c.record_uuid, _C.c.field).where(
                _C.c.resolved_at.is_(None),
                _C.c.record_table == record_table,
                _C.c.kind.in_([ItemKind.CONFLICT.value, ItemKind.IDENTITY.value]),
            )
        ).all()
    found: dict[str, set[str]] = {}
    for record, field_name in rows:
        found.setdefault(record, set()).add(field_name or "")
    return found


def _row(connection: Connection, item_id: int) -> Any:
    row = connection.execute(select(_C).where(_C.c.id == item_id)).mappings().first()
    if row is None:
        raise ConflictNotFoundError(f"there is no conflict, clash or review item {item_id}")
    if row["resolved_at"] is not None:
        raise ConflictNotFoundError(
            f"item {item_id} was settled already ({row['resolution']}, "
            f"{row['resolved_at']:%Y-%m-%d %H:%M} UTC)"
        )
    return row


def _merge_for(connection: Connection, actor: Actor) -> Merge:
    return Merge(
        connection,
        FileFacts(Path(""), "", "", "", {}),
        actor=actor,
        report=MergeReport(Path(""), "", "", "", "", ""),
    )


@dataclass(frozen=True, slots=True)
class Settled:
    """What settling one item did, in words."""

    item_id: int
    said: str


def resolve_conflict(
    desk: Desk, item_id: int, decision: str | tuple[str, Any], *, actor: Actor | None = None
) -> Settled:
    """Settle the open conflict ``item_id``: ``"keep"`` the desk's value, ``"take"``
    the other one (the newest, when several), or ``("value", V)`` a new value (a
    reference as the key a person types). The resolution is a change that travels."""
    actor = actor or Actor.local(Channel.TYPED)
    with desk.transaction(actor) as (connection, _ctx):
        row = _row(connection, item_id)
        if row["kind"] != ItemKind.CONFLICT.value:
            raise ConflictNotFoundError(f"item {item_id} is not a conflict but {row['kind']}")
        merge = _merge_for(connection, actor)
        entry = merge.settle(row, decision)
        merge.finish()
    label = entry.get("record_label") or row["record_uuid"]
    return Settled(item_id, f"{label}, {row['field']}: {entry['note']}")


def mark_reviewed(desk: Desk, item_id: int, *, actor: Actor | None = None) -> Settled:
    """Mark the review item ``item_id`` as looked at."""
    actor = actor or Actor.local(Channel.TYPED)
    with desk.transaction(actor) as (connection, _ctx):
        row = _row(connection, item_id)
        if row["kind"] != ItemKind.REVIEW.value:
            raise ConflictNotFoundError(f"item {item_id} is not a review item but {row['kind']}")
        connection.execute(
            update(_C)
            .where(_C.c.id == item_id)
            .values(resolved_at=utcnow(), resolved_by=actor.name, resolution="reviewed")
        )
    return Settled(item_id, "marked as reviewed")


def settle_clash(
    desk: Desk,
    item_id: int,
    *,
    same: bool,
    renumber_other: bool = False,
    new_key: str | None = None,
    actor: Actor | None = None,
) -> Settled:
    """Settle the identity clash ``item_id``.

    Different records (``same=False``): the record holding the provisional key is
    renumbered (the other one with ``renumber_other``) — the next number of the desk's
    series for a ref (``C-0061``), ``new_key`` for a code — keeping its old key as an
    alias. The same record (``same=True``): the record holding the provisional key is
    folded into the other (what belongs to it moves there) and retired under a new
    number. Every step is a change of the register that travels."""
    # lazy: the mapped classes load only when the desk is written to
    from nsdesk.services.records.record_service import MODELS, RecordWriter
    from nsdesk.store.models import RecordAlias

    actor = actor or Actor.local(Channel.TYPED)
    with desk.writing(actor, note="identity clash settled") as session:
        connection = session.connection()
        row = _row(connection, item_id)
        if row["kind"] != ItemKind.IDENTITY.value:
            raise ConflictNotFoundError(f"item {item_id} is not an identity clash")
        table = row["record_table"]
        model = MODELS.get(table)
        if model is None:
            raise ValidationError("record", f"a kind of record with a key ({table} has none)")
        column = (row["heads"] or {}).get("column") or row["field"]
        key = (row["heads"] or {}).get("key")
        holder = session.scalars(select(model).where(model.uuid == row["record_uuid"])).one()
        other = session.scalars(select(model).where(model.uuid == row["other_uuid"])).one()
        moved, kept = (other, holder) if renumber_other and not same else (holder, other)
        spec = RECORD_SPECS.get(table)
        writer = RecordWriter(session, desk.info(), actor, utcnow().date())
        if spec is not None and spec.allocated_key:
            fresh = writer.allocate(spec.allocated_key)
        elif new_key and new_key.strip():
            fresh = new_key.strip()
        else:
            raise ValidationError(
                spec.field(column).label if spec else column,
                f"a new {column} for the record renumbered (--key)",
            )
        clash = session.scalars(select(model).where(getattr(model, column) == fresh)).first()
        if clash is not None and clash is not moved:
            raise ValidationError(column, f"a {column} no other record has", fresh)
        setattr(moved, column, fresh)
        session.flush()
        if getattr(kept, column) != key:
            # It takes back the key its history already gives it: the provisional one
            # was this copy's alone, so this is no change to send.
            connection.execute(
                update(kept.__table__).where(kept.__table__.c.id == kept.id).values({column: key})
            )
            session.expire(kept)
        if same:
            _fold(session, table, moved, kept)
            if hasattr(moved, "retired_at") and moved.retired_at is None:
                moved.retired_at = utcnow()
            said = f"{key}: one record; the other copy is retired as {fresh}"
        else:
            session.add(
                RecordAlias(
                    record_table=table,
                    record_uuid=moved.uuid,
                    alias=str(key),
                    note=f"renumbered {fresh} when an identity clash was settled",
                )
            )
            said = f"{key}: two records; one is now {fresh} (also found as {key})"
        session.flush()
        connection.execute(
            update(_C)
            .where(_C.c.id == item_id)
            .values(
                resolved_at=utcnow(),
                resolved_by=actor.name,
                resolution="same" if same else "different",
            )
        )
    return Settled(item_id, said)


def _fold(session: Any, table: str, moved: Any, kept: Any) -> None:
    """Move what belongs to ``moved`` (records whose required reference names it) to
    ``kept``, through the unit of work, so the moves travel."""
    # lazy: the mapped classes load only when the desk is written to
    from nsdesk.store.base import Base

    target = t.metadata.tables[table]
    for mapper in Base.registry.mappers:
        local = mapper.local_table
        for column in local.c:
            if column.nullable or not column.foreign_keys:
                continue
            fk: ForeignKey = next(iter(column.foreign_keys))
            if fk.column.table is not target or local is target:
                continue
            children = session.scalars(select(mapper.class_).where(column == moved.id)).all()
            for child in children:
                setattr(child, str(column.name), kept.id)
    session.flush()


def settle_all(desk: Desk, decision: str, *, actor: Actor | None = None) -> list[Settled]:
    """Settle every open conflict the same way (``"keep"`` or ``"take"``)."""
    return [
        resolve_conflict(desk, item.id, decision, actor=actor)
        for item in list_items(desk, kinds=(ItemKind.CONFLICT,))
        if item.id is not None
    ]


def items_by_record(items: list[OpenItem]) -> Mapping[str, list[OpenItem]]:
    """Items grouped by the record they concern."""
    grouped: dict[str, list[OpenItem]] = {}
    for item in items:
        grouped.setdefault(item.record_uuid, []).append(item)
    return grouped
