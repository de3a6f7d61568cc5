"""The change history (the audit log) as a list a person reads: newest first,
filtered in SQL and read a page at a time, because a desk kept for years holds
hundreds of thousands of entries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, String, cast, or_, select

from nsdesk.domain.enums import AuditAction, Channel, MilestoneKind
from nsdesk.domain.records import RECORD_SPECS
from nsdesk.services.desk import Desk
from nsdesk.store import tables as t
from nsdesk.store.replicas import known_replica_id as replica_id_for
from nsdesk.store.replicas import origin_replica_id

PAGE = 500
"""Entries read at a time."""


@dataclass(frozen=True, slots=True)
class HistoryRow:
    """One field of one record changed, or a record created, retired or restored."""

    id: int
    at: datetime
    actor: str
    channel: Channel
    action: AuditAction
    kind: str
    kind_label: str
    record_uuid: str
    record_label: str
    field: str
    old_value: str
    new_value: str
    operation_id: str
    #: The laptop the change was made on (its label, or its replica id's beginning;
    #: "this desk" for a change made here, or before laptops kept copies apart).
    laptop: str = ""


def _shown(value: Any, kind: str = "") -> str:
    """A stored value as the history shows it; the fields of a record created in one
    go by their labels ("As of: 2014-03-24"), not their names ("as_of")."""
    if value is None:
        return ""
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    if isinstance(value, dict):
        return ", ".join(
            f"{_field_label(kind, k) if kind else k}: {_shown(v)}" for k, v in value.items()
        )
    return " ".join(str(value).split())


def _field_label(kind: str, name: str | None) -> str:
    if not name:
        return ""
    spec = RECORD_SPECS.get(kind)
    if spec is None:
        return name
    stored = name.removesuffix("_id")
    found = next((f.label for f in spec.fields if f.name in (name, stored)), None)
    return found or name.replace("_", " ").capitalize()


def _record_label(kind: str, label: str) -> str:
    """A record's label as people read it: a step's kind by its name ("milestone
    mission_hosted" → "milestone Mission hosted"), not the value stored."""
    if kind == "milestone":
        head, _, value = label.partition(" ")
        if value in MilestoneKind._value2member_map_:
            return f"{head} {MilestoneKind(value).label}"
    return label


def load_history(
    desk: Desk,
    *,
    text: str = "",
    kind: str | None = None,
    before_id: int | None = None,
    limit: int = PAGE,
) -> list[HistoryRow]:
    """The newest ``limit`` entries (older than ``before_id`` when paging on) whose
    record, field, actor or values contain every word of ``text``, of ``kind``."""
    a = t.audit_entry
    query = select(a).order_by(a.c.id.desc()).limit(limit)
    if before_id is not None:
        query = query.where(a.c.id < before_id)
    if kind:
        query = query.where(a.c.record_table == kind)
    for word in text.split():
        pattern = "%" + word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        query = query.where(
            or_(
                *(
                    column.ilike(pattern, escape="\\")
                    for column in (
                        a.c.record_label,
                        a.c.field,
                        a.c.actor,
                        cast(a.c.old_value, String),
                        cast(a.c.new_value, String),
                    )
                )
            )
        )
    with desk.connect() as connection:
        rows = connection.execute(query).mappings().all()
        laptops = _laptops(connection)
    return [
        HistoryRow(
            id=row["id"],
            at=row["at"],
            actor=row["actor"],
            channel=row["channel"],
            action=row["action"],
            kind=row["record_table"],
            kind_label=RECORD_SPECS[row["record_table"]].label
            if row["record_table"] in RECORD_SPECS
            else row["record_table"].replace("_", " ").capitalize(),
            record_uuid=row["record_uuid"],
            record_label=_record_label(row["record_table"], row["record_label"] or ""),
            field=_field_label(row["record_table"], row["field"]),
            old_value=_shown(row["old_value"], row["record_table"]),
            new_value=_shown(row["new_value"], row["record_table"]),
            operation_id=row["operation_id"],
            laptop=laptops.get(row["replica_id"], f"laptop {str(row['replica_id'])[:8]}"),
        )
        for row in rows
    ]


def _laptops(connection: Connection) -> dict[str, str]:
    """Each replica that changed the desk, by the name a person reads: this laptop's
    own replica and the history from before the change log as "this desk"."""
    found: dict[str, str] = {}
    settings = connection.execute(select(t.desk_settings.c.uuid)).scalar()
    own = replica_id_for(settings) if settings is not None else None
    if settings is not None:
        found[origin_replica_id(settings)] = "this desk"
    for replica_id, role, label in connection.execute(
        select(t.desk_replica.c.replica_id, t.desk_replica.c.role, t.desk_replica.c.label)
    ):
        if role == "origin" or replica_id == own:
            found[replica_id] = "this desk"
        else:
            found[replica_id] = label or f"laptop {replica_id[:8]}"
    return found
