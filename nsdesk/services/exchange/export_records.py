"""The desk's own record of every workbook it exports, and reading it back.

A workbook that comes back says, in its hidden ``nsdesk`` sheet, which export it
is, for whom, and up to which ceiling. That is a claim anyone can type over. So
the desk keeps its own record of each export — kind, ministry, ceiling, marking,
who exported it when, the file's name and SHA-256 — and of every record it sent:
a fingerprint (a short hash, never the value) of each editable value, to tell who
changed what since, and of each locked value, to notice a locked cell changed.
The import looks the export up by the id the workbook carries and from then on
believes only this record.

The record is written in the same operation as the file: the workbook is written
under a temporary name, the record is stored, and the file takes its final name
as the last step of that transaction. A failed or cancelled write leaves no
record; a record that cannot be stored leaves no file under the chosen name.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, select

from nsdesk.domain.enums import Channel
from nsdesk.domain.errors import DeskReadOnlyError
from nsdesk.exchange.cells import clean_text
from nsdesk.exchange.model import ColumnKind, WorkbookPlan
from nsdesk.services.audit import Actor, creation_rows
from nsdesk.services.desk import Desk
from nsdesk.services.exchange.sheet_specs import canonical, fingerprint
from nsdesk.services.exchange.sheets import RETURN
from nsdesk.store import tables as t
from nsdesk.store.bulk import insert_rows


@dataclass(frozen=True, slots=True)
class SentRow:
    """One record as an export sent it: fingerprints of its editable values
    (column key -> fingerprint) and of its locked ones."""

    sheet: str
    record_uuid: str
    key: str
    fields: Mapping[str, str]
    locked: Mapping[str, str]


@dataclass(frozen=True, slots=True)
class SentSheet:
    """What one sheet of an export sent: which columns it let the reader edit, and
    its records by UUID (and by human key, casefolded)."""

    name: str
    editable: tuple[str, ...]
    rows: Mapping[str, SentRow] = field(default_factory=dict)
    by_key: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class ExportRecord:
    """One export as the desk recorded it when it wrote the workbook."""

    export_id: str
    kind: str
    agency: str | None  # the agency's code today (codes may be renamed)
    ceiling: str
    marking: str
    exported_at: datetime
    actor: str
    file_name: str
    file_sha256: str
    sheets: Mapping[str, SentSheet]

    def described(self) -> str:
        """The export in a sentence's words: "the return sent to MOJ on 2026-11-02"."""
        day = self.exported_at.astimezone().date().isoformat()
        if self.kind == RETURN:
            return f"the return sent to {self.agency or 'a ministry'} on {day}"
        return f"the register workbook exported on {day}"


def locked_fingerprints(plan: WorkbookPlan) -> dict[tuple[str, str], dict[str, str]]:
    """Fingerprints of the values of the locked columns of every sheet that has
    editable ones, per (sheet, record UUID), as the workbook shows them: text
    cleaned of the characters a workbook cannot hold, as the writer cleans it."""
    found: dict[tuple[str, str], dict[str, str]] = {}
    for sheet in plan.sheets:
        if not any(c.editable for c in sheet.columns):
            continue
        try:
            id_index = next(i for i, c in enumerate(sheet.columns) if c.kind is ColumnKind.ID)
        except StopIteration:
            continue
        locked = [(i, c) for i, c in enumerate(sheet.columns) if not c.editable and i != id_index]
        for row in sheet.rows:
            uuid = row[id_index]
            if not uuid:
                continue
            values = {}
            for index, column in locked:
                value = row[index]
                if isinstance(value, str):
                    value = clean_text(value)[0]
                values[column.key] = fingerprint(canonical(column.kind, value))
            found[(sheet.name, str(uuid))] = values
    return found


def file_sha256(path: Path) -> str:
    """The SHA-256 of a file, read a megabyte at a time."""
    digest = hashlib.sha256()
    with Path(path).open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def check_can_record(desk: Desk) -> None:
    """Refuse, before any work, to export from a desk that cannot record the export."""
    if desk.read_only:
        raise DeskReadOnlyError(
            desk.location,
            f"the desk is read-only ({desk.notes.read_only_reason}), and every export is "
            "recorded in the desk so that what comes back can be checked against what was "
            "sent; open the desk for editing to export. Nothing was written",
        )


def staging_path(path: Path) -> Path:
    """Where the workbook is written before the export is recorded: beside its final
    name (so the last step is a rename on the same disk), hidden, never an .xlsx."""
    return path.with_name(f".{path.name}.{os.getpid()}.unrecorded")


def record_export(
    desk: Desk,
    plan: WorkbookPlan,
    staged: Path,
    path: Path,
    *,
    actor: Actor | None = None,
    place: Callable[[Path, Path], None] = os.replace,
) -> ExportRecord:
    """Record the export ``plan`` describes, whose workbook is written at ``staged``,
    and move that file to ``path`` as the last step of the same transaction.

    When the record cannot be stored nothing is left under ``path``; when the move
    fails the record is rolled back."""
    meta = plan.metadata
    export_id, kind = meta["export id"], meta["kind"]
    exported_at = datetime.fromisoformat(meta["exported at"])
    sha256 = file_sha256(staged)
    actor = actor or Actor.local(Channel.TYPED)
    agency = meta.get("agency") or None
    sheets = {
        sheet.name: [c.key for c in sheet.columns if c.editable]
        for sheet in plan.sheets
        if any(c.editable for c in sheet.columns)
    }
    locked = locked_fingerprints(plan)
    what = f"return for {agency}" if kind == RETURN else "register"
    placed = False
    try:
        with desk.transaction(actor, note=f"Export of {path.name}") as (connection, ctx):
            agency_id = None
            if agency:
                agency_id = connection.execute(
                    select(t.agency.c.id).where(t.agency.c.code == agency)
                ).scalar_one()
            inserted = connection.execute(
                t.workbook_export.insert().values(
                    uuid=export_id,
                    kind=kind,
                    agency_id=agency_id,
                    ceiling=meta["ceiling"],
                    marking=meta["marking"],
                    exported_at=exported_at,
                    actor=actor.name[:120],
                    file_name=path.name[:260],
                    file_sha256=sha256,
                    sheets=sheets,
                )
            ).inserted_primary_key
            assert inserted is not None  # a one-row INSERT always reports its key
            export_pk = inserted[0]
            insert_rows(
                connection,
                t.workbook_export_row,
                [
                    {
                        "export_id": export_pk,
                        "sheet": f.sheet,
                        "record_uuid": f.record_id,
                        "record_key": f.key[:200] or None,
                        "fields": dict(f.fields),
                        "locked": locked.get((f.sheet, f.record_id), {}),
                    }
                    for f in plan.fingerprints
                ],
            )
            summary: dict[str, Any] = {
                "kind": kind,
                "agency": agency,
                "ceiling": meta["ceiling"],
                "marking": meta["marking"],
                "file_name": path.name,
                "file_sha256": sha256,
                "records": len(plan.fingerprints),
            }
            connection.execute(
                t.audit_entry.insert(),
                creation_rows(
                    ctx, "workbook_export", [(export_id, f"{what} to {path.name}", summary)]
                ),
            )
            place(staged, path)
            placed = True
    except BaseException:
        if placed:  # the commit failed after the file took its name
            with contextlib.suppress(OSError):
                path.unlink()
        raise
    with desk.connect() as connection:
        record = find_export(connection, export_id)
    assert record is not None
    return record


def find_export(connection: Connection, export_id: str | None) -> ExportRecord | None:
    """The desk's record of the export ``export_id`` (None: the desk made no such export)."""
    if not export_id:
        return None
    e, a = t.workbook_export, t.agency
    found = connection.execute(
        select(e, a.c.code.label("agency_code"))
        .outerjoin(a, a.c.id == e.c.agency_id)
        .where(e.c.uuid == str(export_id).strip())
    ).first()
    if found is None:
        return None
    r = t.workbook_export_row
    rows: dict[str, dict[str, SentRow]] = {name: {} for name in found.sheets or {}}
    keys: dict[str, dict[str, str]] = {name: {} for name in found.sheets or {}}
    for row in connection.execute(
        select(r.c.sheet, r.c.record_uuid, r.c.record_key, r.c.fields, r.c.locked).where(
            r.c.export_id == found.id
        )
    ):
        sent = SentRow(
            row.sheet, row.record_uuid, row.record_key or "", row.fields or {}, row.locked or {}
        )
        rows.setdefault(row.sheet, {})[row.record_uuid] = sent
        if row.record_key:
            keys.setdefault(row.sheet, {}).setdefault(row.record_key.casefold(), row.record_uuid)
    sheets = {
        name: SentSheet(name, tuple(editable), rows.get(name, {}), keys.get(name, {}))
        for name, editable in (found.sheets or {}).items()
    }
    return ExportRecord(
        export_id=found.uuid,
        kind=found.kind,
        agency=found.agency_code,
        ceiling=found.ceiling,
        marking=found.marking,
        exported_at=found.exported_at,
        actor=found.actor,
        file_name=found.file_name,
        file_sha256=found.file_sha256,
        sheets=sheets,
    )


def list_exports(desk: Desk) -> tuple[ExportRecord, ...]:
    """Every export the desk recorded, newest first (without their rows)."""
    e, a = t.workbook_export, t.agency
    with desk.connect() as connection:
        found = connection.execute(
            select(e, a.c.code.label("agency_code"))
            .outerjoin(a, a.c.id == e.c.agency_id)
            .order_by(e.c.exported_at.desc(), e.c.id.desc())
        ).all()
    return tuple(
        ExportRecord(
            export_id=row.uuid,
            kind=row.kind,
            agency=row.agency_code,
            ceiling=row.ceiling,
            marking=row.marking,
            exported_at=row.exported_at,
            actor=row.actor,
            file_name=row.file_name,
            file_sha256=row.file_sha256,
            sheets={},
        )
        for row in found
    )


__all__ = [
    "ExportRecord",
    "SentRow",
    "SentSheet",
    "check_can_record",
    "file_sha256",
    "find_export",
    "list_exports",
    "record_export",
    "staging_path",
]
