"""The import history, and undoing a whole import.

Every applied import is a row of the history (file, ministry, counts, who and
when) and one operation in the audit trail. Undo replays that operation's audit
entries backwards, as one new operation, and refuses (naming them) when a field
was changed again after the import: undoing it would overwrite later work.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Connection, delete, select

from nsdesk.domain.enums import AuditAction, Channel
from nsdesk.domain.errors import NsdeskError, ValidationError
from nsdesk.domain.records import spec_for
from nsdesk.services.audit import Actor
from nsdesk.services.desk import Desk
from nsdesk.services.records.record_service import MODELS, RecordWriter
from nsdesk.store import tables as t
from nsdesk.store.models import ImportBatch
from nsdesk.store.types import utcnow


class UndoBlockedError(NsdeskError):
    """An import cannot be undone because later edits touched what it changed."""

    def __init__(self, later: list[str]):
        self.later = later
        shown = "; ".join(later[:8]) + (f"; and {len(later) - 8} more" if len(later) > 8 else "")
        super().__init__(
            "changed again after the import, so undoing it would overwrite later work: " + shown
        )


@dataclass(frozen=True, slots=True)
class ImportRecord:
    """One line of the import history."""

    uuid: str
    file_name: str
    kind: str
    agency: str | None
    imported_at: Any
    actor: str
    counts: Mapping[str, int]
    undone_at: Any


def list_imports(desk: Desk) -> tuple[ImportRecord, ...]:
    """Every import into this desk, newest first."""
    b, a = t.import_batch, t.agency
    with desk.connect() as connection:
        rows = connection.execute(
            select(b, a.c.code.label("agency_code"))
            .outerjoin(a, a.c.id == b.c.agency_id)
            .order_by(b.c.imported_at.desc(), b.c.id.desc())
        ).all()
    return tuple(
        ImportRecord(
            r.uuid,
            r.file_name,
            r.workbook_kind,
            r.agency_code,
            r.imported_at,
            r.actor,
            dict(r.counts or {}),
            r.undone_at,
        )
        for r in rows
    )


def _field_label(kind: str, name: str | None) -> str:
    """A field as the editor names it ("Next steps"), or "the record" itself."""
    if name is None:
        return "the record"
    try:
        return spec_for(kind).field(name).label
    except KeyError:
        return name.replace("_", " ")


_REFERENCES = ("citation", "source")
"""What a depositary's list adds beside records: its source and the citations of it.
They cannot be retired; undo removes them (a source only once nothing cites it)."""


def _remove_reference(connection: Connection, table: str, uuid: str) -> int:
    """Remove a citation an import made, or its source once nothing cites it; 1 if
    removed."""
    if table == "citation":
        return connection.execute(delete(t.citation).where(t.citation.c.uuid == uuid)).rowcount
    source_id = connection.execute(select(t.source.c.id).where(t.source.c.uuid == uuid)).scalar()
    cited = connection.execute(
        select(t.citation.c.id).where(t.citation.c.source_id == source_id).limit(1)
    ).first()
    if source_id is None or cited is not None:
        return 0
    return connection.execute(delete(t.source).where(t.source.c.id == source_id)).rowcount


def undo_import(desk: Desk, batch_uuid: str, actor: Actor | None = None) -> int:
    """Undo a whole import as one new operation; returns how many changes were undone.

    ``UndoBlockedError`` (nothing changed) when a record or field the import
    changed was changed again afterwards."""
    actor = actor or Actor.local(Channel.TYPED)
    ae = t.audit_entry
    with desk.connect() as connection:
        batch = connection.execute(
            select(t.import_batch).where(t.import_batch.c.uuid == batch_uuid)
        ).first()
        if batch is None:
            raise ValidationError("Import", "an import of this desk's history", batch_uuid)
        if batch.undone_at is not None:
            raise ValidationError(
                "Import", "an import that has not been undone already", batch.file_name
            )
        entries = connection.execute(
            select(ae)
            .where(ae.c.operation_id == batch.operation_id, ae.c.record_table != "import_batch")
            .order_by(ae.c.id.desc())
        ).all()
        # Changed again afterwards: in a later revision (commit order, not row ids,
        # which a server may commit out of order).
        last_own = max((e.revision for e in entries), default=0)
        touched = {(e.record_uuid, e.field) for e in entries}
        records = {e.record_uuid for e in entries}
        later = connection.execute(
            select(
                ae.c.record_uuid, ae.c.record_table, ae.c.field, ae.c.record_label, ae.c.at
            ).where(ae.c.revision > last_own, ae.c.record_uuid.in_(records))
        ).all()
    blocked = [
        f"{row.record_label}: {_field_label(row.record_table, row.field)}, changed on "
        f"{row.at:%Y-%m-%d}"
        for row in later
        if (row.record_uuid, row.field) in touched or (row.record_uuid, None) in touched
    ]
    if blocked:
        raise UndoBlockedError(blocked)
    with desk.writing(actor, note=f"Undo of the import of {batch.file_name}") as session:
        writer = RecordWriter(session, desk.info(), actor, date.today())
        undone = 0
        connection = session.connection()
        for entry in entries:
            if entry.record_table in _REFERENCES and entry.action == AuditAction.CREATE:
                undone += _remove_reference(connection, entry.record_table, entry.record_uuid)
                continue
            model = MODELS.get(entry.record_table)
            if model is None:
                continue
            obj = session.scalars(select(model).where(model.uuid == entry.record_uuid)).first()
            if obj is None:
                continue
            if entry.action == AuditAction.CREATE:
                writer.set_retired(obj, True)
            elif entry.action == AuditAction.UPDATE and entry.field:
                writer.update(obj, {entry.field: entry.old_value})
            else:
                continue
            undone += 1
        record = session.scalars(select(ImportBatch).where(ImportBatch.uuid == batch_uuid)).one()
        record.undone_at = utcnow()
        record.undo_operation_id = session.info["audit"].operation_id
    return undone
