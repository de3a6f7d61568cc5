"""Apply a previewed import in one transaction, and keep it in the import history.

Everything one import does — field changes, progress entries, revised targets,
new records, and the import's own history row — is one transaction with one
operation id on every audit entry, whose note names the file and the ministry.
A crash leaves the desk as before or as after, never half. A backup is taken
first. A workbook that lowers a record's marking is applied only with a
confirmation, named in the audit entries of those changes. Listing and undoing
imports: :mod:`nsdesk.services.exchange.import_history`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum
from typing import Any

from sqlalchemy import Connection, select
from sqlalchemy.orm import Session

from nsdesk.domain.enums import Channel, CommitmentStatus
from nsdesk.domain.errors import NsdeskError, ValidationError
from nsdesk.domain.wording import count
from nsdesk.services.audit import Actor, AuditContext, creation_rows, to_json
from nsdesk.services.backups.backups import BackupReason, take_backup
from nsdesk.services.desk import Desk
from nsdesk.services.exchange.changes import (
    FieldChange,
    ImportPreview,
    LoweredMarking,
    RecordChange,
)
from nsdesk.services.exchange.sheet_specs import EVIDENCE, NARRATIVE, REVISED_TARGET, STATUS
from nsdesk.services.progress import Progress
from nsdesk.services.records.record_service import MODELS, RecordWriter
from nsdesk.store import tables as t
from nsdesk.store.bulk import insert_rows
from nsdesk.store.change_log import take_revision
from nsdesk.store.ids import new_uuid
from nsdesk.store.models import ColumnMapping, ImportBatch
from nsdesk.store.types import utcnow


class Side(StrEnum):
    """Which value wins a conflict: the desk's, or the workbook's."""

    DESK = "desk"
    WORKBOOK = "workbook"


class ImportConflictError(NsdeskError):
    """Conflicts are left and the caller asked to fail on them; nothing changed."""

    def __init__(self, conflicts: int):
        self.count = conflicts
        changed = "was" if conflicts == 1 else "were"
        super().__init__(
            f"{count(conflicts, 'field')} {changed} changed both in the desk and in the "
            "workbook since the export; choose which side to keep (--on-conflict keep|take)"
        )


class ImportRefusedError(NsdeskError):
    """The preview has refused cells (or nothing to apply); nothing changed."""


class MarkingLoweredError(ImportRefusedError):
    """The workbook lowers records' markings and nobody confirmed it; nothing changed."""

    def __init__(self, lowered: list[LoweredMarking]):
        self.lowered = lowered
        shown = "; ".join(f"{m.cell} {m.label}: {m.old} -> {m.new}" for m in lowered[:8])
        more = f"; and {len(lowered) - 8} more" if len(lowered) > 8 else ""
        super().__init__(
            f"the workbook lowers the marking of {count(len(lowered), 'record')} ({shown}{more}); "
            "nothing was imported: lowering a marking must be confirmed"
        )


class ImportStaleError(NsdeskError):
    """The desk changed after the preview was made; preview again."""

    def __init__(self) -> None:
        super().__init__("the desk changed after this preview was made; preview the import again")


@dataclass(frozen=True, slots=True)
class ImportResult:
    """What an applied import did."""

    batch: str  # the import's UUID in the history
    records: int
    fields: int
    progress_entries: int
    targets: int
    created: int
    conflicts_kept: int
    conflicts_taken: int


def chosen(
    preview: ImportPreview,
    resolutions: Mapping[tuple[str, str], Side],
    default: Side | None,
) -> tuple[list[tuple[RecordChange, list[FieldChange]]], int, int]:
    """The changes to apply once every conflict is settled; ``ImportConflictError``
    when a conflict has no resolution and no default."""
    picked, kept, taken, open_ = [], 0, 0, 0
    for record in preview.records:
        fields = []
        for change in record.changes:
            if change.conflict:
                side = resolutions.get((record.key, change.column), default)
                if side is None:
                    open_ += 1
                    continue
                if side is Side.DESK:
                    kept += 1
                    continue
                taken += 1
            fields.append(change)
        if fields:
            picked.append((record, fields))
    if open_:
        raise ImportConflictError(open_)
    return picked, kept, taken


def _source_text(preview: ImportPreview) -> str:
    who = f" from {preview.agency}" if preview.agency else ""
    return f"{preview.path.name}{who}"[:200]


def apply_import(
    desk: Desk,
    preview: ImportPreview,
    *,
    resolutions: Mapping[tuple[str, str], Side] | None = None,
    default: Side | None = None,
    actor: Actor | None = None,
    today: Callable[[], date] = date.today,
    progress: Progress | None = None,
    backup: bool = True,
    lowering_confirmed_by: str | None = None,
) -> ImportResult:
    """Apply ``preview`` in ONE transaction (after a backup), as chosen per conflict.

    A change that lowers a record's marking is refused (:class:`MarkingLoweredError`,
    nothing changed) unless ``lowering_confirmed_by`` says who confirmed it; its
    audit entry then says so."""
    if preview.refused:
        raise ImportRefusedError(
            f"{count(len(preview.refused), 'cell')} "
            f"{'was' if len(preview.refused) == 1 else 'were'} refused; "
            "correct the workbook and import again"
        )
    picked, kept, taken = chosen(preview, resolutions or {}, default)
    if not picked:
        raise ImportRefusedError("the workbook changes nothing in the desk")
    cells = {change.cell for _, fields in picked for change in fields}
    lowered = [m for m in preview.lowered if m.cell in cells]
    if lowered and not lowering_confirmed_by:
        raise MarkingLoweredError(lowered)
    actor = actor or Actor.local(Channel.IMPORTED)
    if progress is not None:
        progress.check_cancelled()
        progress.report(0, 3, "Backing up the desk")
    if backup:
        take_backup(desk.path, BackupReason.BEFORE_IMPORT, root=desk.backups_root)
    if progress is not None:
        progress.check_cancelled()
        progress.report(1, 3, "Applying the changes")
    source = _source_text(preview)
    with desk.writing(actor, note=f"Import of {source}") as session:
        connection = session.connection()
        # The import's own revision, taken first: it follows the preview's directly
        # unless another change was committed in between (on a server too, where the
        # revision row stays locked until this transaction ends).
        if take_revision(connection) - 1 != preview.desk_mark:
            raise ImportStaleError()
        ctx: AuditContext = session.info["audit"]
        agency_id = None
        if preview.agency:
            agency_id = connection.execute(
                select(t.agency.c.id).where(t.agency.c.code == preview.agency)
            ).scalar()
        batch = ImportBatch(
            file_name=preview.path.name[:260],
            file_sha256=preview.sha256,
            workbook_kind=preview.kind,
            agency_id=agency_id,
            export_id=preview.export_id,
            imported_at=utcnow(),
            actor=actor.name,
            operation_id=ctx.operation_id,
        )
        session.add(batch)
        session.flush()
        writer = RecordWriter(session, desk.info(), actor, today())
        objects = _load_objects(session, picked)
        entries: list[dict[str, Any]] = []
        counts: defaultdict[str, int] = defaultdict(int)
        created: dict[str, str] = {}  # "new:…" key of a record created here -> its UUID
        touched: list[tuple[str, str, bool]] = []  # (table, uuid, its date was set)
        for number, (record, fields) in enumerate(picked):
            if progress is not None and number % 200 == 0:
                progress.check_cancelled()
            fields = [_created_reference(change, created) for change in fields]
            if preview.target is not None and record.kind in ("participation", "milestone"):
                fields.append(_as_of_change(preview.target.as_of))
            obj = _apply_record(writer, objects, record, fields, entries, counts, batch.id, source)
            if record.is_new and obj is not None:
                created[record.key] = obj.uuid
            if preview.target is not None and obj is not None:
                touched.append((record.kind, obj.uuid, any(c.field == "actual" for c in fields)))
        session.flush()
        if preview.target is not None:
            batch.notes = _cite_list(connection, ctx, preview, touched)
        if lowered:
            _say_lowered(connection, ctx, lowered, preview.path.name, lowering_confirmed_by)
        if entries:
            _insert_progress(connection, ctx, entries)
        if preview.mapping_source and preview.mapping:
            _remember_mapping(session, preview.mapping_source, dict(preview.mapping))
        counts.update(conflicts_kept=kept, conflicts_taken=taken, records=len(picked))
        counts["fields"] = sum(len(fields) for _, fields in picked)
        batch.counts = dict(counts)
        session.flush()
        if progress is not None:
            progress.report(2, 3, "Saving")
        result = ImportResult(
            batch=batch.uuid,
            records=len(picked),
            fields=counts["fields"],
            progress_entries=counts["progress_entries"],
            targets=counts["targets"],
            created=counts["created"],
            conflicts_kept=kept,
            conflicts_taken=taken,
        )
    if progress is not None:
        progress.report(3, 3, "Done")
    return result


_ADDED_ONLY = frozenset({STATUS, NARRATIVE, EVIDENCE})


def _load_objects(
    session: Session, picked: list[tuple[RecordChange, list[FieldChange]]]
) -> dict[str, Any]:
    """The records the import changes: mapped objects for those whose fields change,
    plain rows (id, ref, sensitivity) for commitments that only gain a progress entry —
    a return touches thousands of those, and loading them into the ORM costs more than
    the rest of the apply."""
    wanted: dict[str, list[str]] = defaultdict(list)
    progress_only: list[str] = []
    for record, fields in picked:
        if record.is_new:
            continue
        if record.kind == "commitment" and {c.field for c in fields} <= _ADDED_ONLY:
            progress_only.append(record.key)
        else:
            wanted[record.kind].append(record.key)
    found: dict[str, Any] = {}
    for kind, uuids in wanted.items():
        model = MODELS[kind]
        for start in range(0, len(uuids), 500):
            chunk = uuids[start : start + 500]
            for obj in session.scalars(select(model).where(model.uuid.in_(chunk))):
                found[obj.uuid] = obj
    c = t.commitment
    connection = session.connection()
    for start in range(0, len(progress_only), 500):
        chunk = progress_only[start : start + 500]
        for row in connection.execute(
            select(c.c.uuid, c.c.id, c.c.ref, c.c.sensitivity).where(c.c.uuid.in_(chunk))
        ):
            found[row.uuid] = row
    return found


def _created_reference(change: FieldChange, created: Mapping[str, str]) -> FieldChange:
    """``change`` pointing to a record this import created earlier, by its UUID (a
    depositary's new party: its steps name it by its place in the list)."""
    if isinstance(change.value, str) and change.value in created:
        return replace(change, value=created[change.value])
    return change


def _as_of_change(as_of: Any) -> FieldChange:
    """The as-of date a depositary's list gives every record it sets."""
    return FieldChange("as_of", "as_of", "As of", "", "", str(as_of), as_of)


def _cite_list(
    connection: Connection,
    ctx: AuditContext,
    preview: ImportPreview,
    touched: list[tuple[str, str, bool]],
) -> str:
    """Record a depositary's list as a source, cited (with its as-of date) on every
    participation and step the import set; returns the import's note."""
    target = preview.target
    assert target is not None
    note = f"{preview.path.name}: {target.source}, as of {target.as_of}"
    s = t.source
    source_id = connection.execute(
        select(s.c.id).where(s.c.title == target.source, s.c.url.is_(target.url))
        if target.url is None
        else select(s.c.id).where(s.c.title == target.source, s.c.url == target.url)
    ).scalar()
    if source_id is None:
        source_uuid = new_uuid()
        insert_rows(
            connection, s, [{"uuid": source_uuid, "title": target.source, "url": target.url}]
        )
        insert_rows(
            connection,
            t.audit_entry,
            creation_rows(ctx, "source", [(source_uuid, target.source, None)]),
        )
        source_id = connection.execute(select(s.c.id).where(s.c.uuid == source_uuid)).scalar()
    rows = [
        {
            "uuid": new_uuid(),
            "source_id": source_id,
            "subject_table": table,
            "subject_uuid": uuid,
            "field": "actual" if dated else None,
            "note": note,
        }
        for table, uuid, dated in touched
    ]
    if rows:
        insert_rows(connection, t.citation, rows)
        insert_rows(
            connection,
            t.audit_entry,
            creation_rows(
                ctx,
                "citation",
                [(r["uuid"], f"source of {r['subject_table']}", None) for r in rows],
            ),
        )
    return f"Depositary's list for {target.instrument}: {note}"


def _apply_record(
    writer: RecordWriter,
    objects: Mapping[str, Any],
    record: RecordChange,
    fields: list[FieldChange],
    entries: list[dict[str, Any]],
    counts: defaultdict[str, int],
    batch_id: int,
    source: str,
) -> Any:
    """Apply one record's fields and return the record; a progress entry it adds is
    kept in ``entries`` for one bulk insert, what it did is counted in ``counts``."""
    plain = {
        c.field: c.value
        for c in fields
        if c.field not in (STATUS, NARRATIVE, EVIDENCE, REVISED_TARGET)
    }
    virtual = {
        c.field: c.value for c in fields if c.field in (STATUS, NARRATIVE, EVIDENCE, REVISED_TARGET)
    }
    if record.kind != "commitment" and STATUS in virtual:
        plain["status"] = virtual.pop(STATUS)  # action items store their status
    try:
        if record.is_new:
            obj = writer.create(record.kind, plain)
            counts["created"] += 1
        else:
            obj = objects[record.key]
            if plain:
                writer.update(obj, plain, flush=False)  # one flush for the whole import
    except ValidationError as error:
        raise ValidationError(
            error.field, error.expected, error.value, record=f"{record.sheet} row {record.row}"
        ) from None
    if record.kind != "commitment":
        return obj
    if virtual.get(STATUS) is not None or virtual.get(NARRATIVE) or virtual.get(EVIDENCE):
        status = virtual.get(STATUS) or _status_now(writer.session, obj.id)
        entries.append(
            {
                "commitment_id": obj.id,
                "label": obj.ref,
                "status": status,
                "narrative": virtual.get(NARRATIVE),
                "evidence": virtual.get(EVIDENCE),
                "sensitivity": obj.sensitivity,
                "entry_date": writer.today,
                "import_batch_id": batch_id,
                "source_ref": source,
                "recorded_by": writer.actor.name,
            }
        )
        counts["progress_entries"] += 1
    if virtual.get(REVISED_TARGET) is not None:
        current = list(obj.current_targets())
        revises = min(current, key=lambda target: target.due.latest()) if current else None
        writer.create(
            "target",
            {
                "commitment": obj.uuid,
                "due": virtual[REVISED_TARGET],
                "description": f"Revised in {source}",
                "revises": revises.uuid if revises is not None else None,
                "sensitivity": obj.sensitivity,
            },
        )
        counts["targets"] += 1
    return obj


def _status_now(session: Session, commitment_id: int) -> CommitmentStatus:
    entry = t.status_entry
    value = (
        session.connection()
        .execute(
            select(entry.c.status)
            .where(entry.c.commitment_id == commitment_id, entry.c.retired_at.is_(None))
            .order_by(entry.c.entry_date.desc(), entry.c.created_at.desc(), entry.c.uuid.desc())
            .limit(1)
        )
        .scalar()
    )
    return CommitmentStatus(value) if value else CommitmentStatus.UNKNOWN


def _insert_progress(
    connection: Connection, ctx: AuditContext, entries: list[dict[str, Any]]
) -> None:
    """Progress entries in bulk (a return can hold thousands), audited like the ORM does."""
    now = utcnow()
    rows, audited = [], []
    ids = {entry["commitment_id"] for entry in entries}
    uuids = dict(
        connection.execute(
            select(t.commitment.c.id, t.commitment.c.uuid).where(t.commitment.c.id.in_(ids))
        ).all()
    )
    refs = []
    for entry in entries:
        uuid = new_uuid()
        label = entry.pop("label")
        row = {
            **entry,
            "uuid": uuid,
            "channel": Channel.IMPORTED,
            "evidence_quality": None,
            "created_at": now,
            "updated_at": now,
            "retired_at": None,
        }
        rows.append(row)
        snapshot = {
            k: to_json(v)
            for k, v in row.items()
            if k not in ("created_at", "updated_at", "import_batch_id", "commitment_id")
        }
        snapshot["commitment"] = label
        refs.append({"commitment": uuids[entry["commitment_id"]]})
        audited.append(
            (uuid, f"history {entry['entry_date']} {to_json(entry['status'])} ({label})", snapshot)
        )
    insert_rows(connection, t.status_entry, rows)
    # A merged copy orders entries of one day by the moment of their creation entry:
    # here the rows' own moment, so every copy orders them alike.
    insert_rows(
        connection,
        t.audit_entry,
        [
            {**row, "at": now, "refs": ref}
            for row, ref in zip(creation_rows(ctx, "status_entry", audited), refs, strict=True)
        ],
    )


def _say_lowered(
    connection: Connection,
    ctx: AuditContext,
    lowered: list[LoweredMarking],
    file_name: str,
    who: str | None,
) -> None:
    """The audit entry of each lowered marking says it was lowered, by which import,
    and who confirmed it (the other entries keep the import's own note)."""
    ae = t.audit_entry
    for marking in lowered:
        connection.execute(
            ae.update()
            .where(
                ae.c.operation_id == ctx.operation_id,
                ae.c.record_uuid == marking.key,
                ae.c.field == "sensitivity",
            )
            .values(
                note=f"Marking lowered from {marking.old} to {marking.new} by import of "
                f"{file_name}, confirmed by {who}"
            )
        )


def _remember_mapping(session: Session, source_key: str, mapping: dict[str, str]) -> None:
    """Remember how a foreign table's columns map, for the next table of that layout."""
    found = session.scalars(
        select(ColumnMapping).where(ColumnMapping.source_key == source_key)
    ).first()
    if found is None:
        session.add(ColumnMapping(source_key=source_key, mapping=mapping))
    elif found.mapping != mapping:
        found.mapping = mapping
