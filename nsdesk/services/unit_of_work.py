"""The unit of work: an ORM session that audits every change it writes.

:class:`DeskSession` inspects every flush and writes, in the same transaction,
one audit entry per created, retired, restored or deleted record and one per
changed field, with the old and the new value. A flush without an audit context
(a session opened for reading) is refused, so no code path can change the
register silently. Foreign keys are recorded as the referenced record's human key
(an agency code, a commitment ref) or UUID, never as a row id: row ids differ
between desks, keys do not. The entry's ``refs`` carries the referenced records'
UUIDs besides (a key can be renumbered when two copies of a desk meet; a UUID
cannot): for a reference ``{"old": uuid, "new": uuid}``, for a set the two lists,
for a creation or deletion ``{field: uuid or [uuids]}``. A marking level is named by
its code, which never changes, and needs no UUID.

A created record's ``created_at`` is the moment of its creation entry, so every copy
of the desk that receives it orders it the same (progress entries of one day
follow the order they were recorded in).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import Column, event, inspect
from sqlalchemy.orm import Session, UOWTransaction
from sqlalchemy.orm.attributes import get_history

from nsdesk.domain.enums import AuditAction
from nsdesk.services.audit import AuditContext, to_json
from nsdesk.store.base import Base
from nsdesk.store.ids import new_uuid
from nsdesk.store.models import AuditEntry, SequenceCounter
from nsdesk.store.types import utcnow

#: Columns whose changes are bookkeeping, not content.
_UNAUDITED = frozenset({"id", "created_at", "updated_at", "catalogue_values"})
#: Rows that are bookkeeping: the audit log itself, and id counters (an allocated
#: id shows in the audit entry of the record that received it).
_NOT_AUDITED_TYPES = (AuditEntry, SequenceCounter)


def _record_key(obj: Any) -> str:
    for attribute in ("ref", "code"):
        value = getattr(obj, attribute, None)
        if isinstance(value, str):
            return value
    return obj.uuid


def _referenced(session: Session, column: Any, value: Any) -> tuple[Any, str | None]:
    """A foreign-key value as the referenced record's human key (code, ref) or UUID,
    and the record's UUID (``None`` for a marking level, named by its code):
    row ids are not stable across desks, keys and UUIDs are."""
    if value is None:
        return None, None
    target_table = next(iter(column.foreign_keys)).column.table
    mapper = next((m for m in Base.registry.mappers if m.local_table is target_table), None)
    if mapper is None:
        return value, None
    with session.no_autoflush:
        target = session.get(mapper.class_, value)
    if target is None:
        return value, None
    uuid = None if target_table.name == "marking_level" else target.uuid
    return _record_key(target), uuid


def _entry(ctx: AuditContext, obj: Any, action: AuditAction, **values: Any) -> AuditEntry:
    return AuditEntry(
        actor=ctx.actor.name,
        channel=ctx.actor.channel,
        action=action,
        record_table=obj.__table__.name,
        record_uuid=obj.uuid,
        record_label=obj.audit_label()[:200],
        operation_id=ctx.operation_id,
        note=ctx.note,
        **values,
    )


def _own_columns(state: Any) -> Iterable[tuple[str, Column[Any]]]:
    """The record's own stored columns (not computed ones such as a commitment's
    status, which is derived from its history)."""
    for attr in state.mapper.column_attrs:
        column = attr.columns[0]
        if attr.key in _UNAUDITED or not isinstance(column, Column):
            continue
        if column.table is state.mapper.local_table:
            yield attr.key, column


def _snapshot(session: Session, obj: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    """A record's values as a creation (or deletion) entry records them, and the
    UUIDs of the records they name; a new record's sets are part of it."""
    values: dict[str, Any] = {}
    refs: dict[str, Any] = {}
    state = inspect(obj)
    for key, column in _own_columns(state):
        value = getattr(obj, key)
        if column.foreign_keys:
            value, uuid = _referenced(session, column, value)
            key = key.removesuffix("_id")
            if uuid is not None:
                refs[key] = uuid
        values[key] = to_json(value)
    for rel in state.mapper.relationships:
        if rel.secondary is None or rel.key not in state.dict:
            continue
        members = list(state.dict[rel.key] or ())
        if members:
            values[rel.key] = sorted(_record_key(o) for o in members)
            refs[rel.key] = sorted(o.uuid for o in members)
    return values, refs


def _changes(session: Session, ctx: AuditContext, obj: Any) -> list[AuditEntry]:
    state = inspect(obj)
    entries = []
    for key, column in _own_columns(state):
        history = get_history(obj, key)
        if not history.has_changes():
            continue
        old = history.deleted[0] if history.deleted else None
        new = history.added[0] if history.added else None
        if old == new:
            continue
        if key == "retired_at":
            action = AuditAction.RETIRE if new is not None else AuditAction.RESTORE
            # A retirement is dated by its entry: the copies that merge it give the
            # record the same moment, so every copy holds the same row.
            moment = {"at": new} if new is not None else {}
            entries.append(_entry(ctx, obj, action, **moment))
            continue
        field_name = key
        refs = None
        if column.foreign_keys:
            (old, old_uuid), (new, new_uuid_) = (
                _referenced(session, column, old),
                _referenced(session, column, new),
            )
            field_name = key.removesuffix("_id")  # the reference, as editors name it
            if old_uuid or new_uuid_:
                refs = {"old": old_uuid, "new": new_uuid_}
        entries.append(
            _entry(
                ctx,
                obj,
                AuditAction.UPDATE,
                field=field_name,
                old_value=to_json(old),
                new_value=to_json(new),
                refs=refs,
            )
        )
    for rel in state.mapper.relationships:
        if rel.secondary is None:
            continue  # one-to-many changes are audited on the child records
        if rel.key not in state.dict:
            continue  # never loaded, so never changed: do not load it just to ask
        history = get_history(obj, rel.key)
        if not history.has_changes():
            continue
        current = [*history.unchanged, *history.added]
        before = [*history.unchanged, *history.deleted]
        entries.append(
            _entry(
                ctx,
                obj,
                AuditAction.UPDATE,
                field=rel.key,
                old_value=sorted(_record_key(o) for o in before),
                new_value=sorted(_record_key(o) for o in current),
                refs={
                    "old": sorted(o.uuid for o in before),
                    "new": sorted(o.uuid for o in current),
                },
            )
        )
    return entries


class UnauditedChangeError(RuntimeError):
    """A write was attempted outside a unit of work (a programming error)."""


class DeskSession(Session):
    """A session that audits every flush (see module docstring)."""


@event.listens_for(DeskSession, "before_flush")
def _audit_flush(session: Session, _flush: UOWTransaction, _instances: object) -> None:
    ctx: AuditContext | None = session.info.get("audit")
    pending = [
        o
        for o in (*session.new, *session.dirty, *session.deleted)
        if not isinstance(o, _NOT_AUDITED_TYPES)
    ]
    if not pending:
        return
    if ctx is None:
        raise UnauditedChangeError("a desk was about to change outside a unit of work")
    entries: list[AuditEntry] = []
    now = utcnow()
    for obj in session.new:
        if isinstance(obj, _NOT_AUDITED_TYPES):
            continue
        if getattr(obj, "uuid", None) is None:
            obj.uuid = new_uuid()
        if hasattr(obj, "created_at") and obj.created_at is None:
            obj.created_at = obj.updated_at = now  # the creation entry's moment
        values, refs = _snapshot(session, obj)
        entries.append(
            _entry(ctx, obj, AuditAction.CREATE, new_value=values, refs=refs or None, at=now)
        )
    for obj in session.dirty:
        if isinstance(obj, _NOT_AUDITED_TYPES) or not session.is_modified(obj):
            continue
        entries.extend(_changes(session, ctx, obj))
    for obj in session.deleted:
        if isinstance(obj, _NOT_AUDITED_TYPES):
            continue
        values, refs = _snapshot(session, obj)
        entries.append(_entry(ctx, obj, AuditAction.DELETE, old_value=values, refs=refs or None))
    session.add_all(entries)
