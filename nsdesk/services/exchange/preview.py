"""Read a workbook back: recognise it, validate every cell, and say what it would
change — record by record, field by field, old → new — before anything changes.

Three kinds of workbook come back: a ministry's *return* and a *register*
workbook (both written by nsdesk), and a *foreign* table (a depositary's list, a
ministry's own tracker) whose columns are mapped to fields
(:mod:`nsdesk.services.exchange.foreign_tables`).

A workbook nsdesk wrote is scoped by the desk, not by the file. Its hidden
``nsdesk`` sheet is only a claim; the export id in it is looked up in the desk's
own record of its exports (:mod:`nsdesk.services.exchange.export_records`), and from then
on the record decides: the kind, the ministry, the ceiling, which records the
workbook was sent with, which of their fields it let the reader edit, and what
each value was when it left. A row for a record the export did not carry, a
locked cell changed, a record now marked above the export's ceiling: each is
refused, naming the row or cell. A return the desk has no record of (sent before
exports were recorded, or its id altered) is read with no more reach than a
foreign table: only the commitments led by the ministry it names, within the
desk's default marking.

The recorded fingerprints make conflicts visible: for every editable field the
import knows what was exported, so it can tell whether the workbook, the desk, or
both changed it since. Both changed (to different values) is a conflict, which the
user settles per record or per field. Rules that never bend: a row missing from
the workbook deletes nothing; a row without an id creates a record only from a
register workbook; a refused cell blocks the whole import; a workbook that lowers
a record's marking is applied only once someone confirms it.

This module is the orchestrator: it reads the file (:mod:`.reading`), tells the
kinds apart, and compares each sheet (:mod:`.compare`, through :mod:`.headers`
and :mod:`.cell_values`) into the preview's types (:mod:`.changes`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path

from sqlalchemy import select

from nsdesk.domain.errors import WorkbookRefusedError
from nsdesk.exchange.model import ReadWorkbook
from nsdesk.services.audience.ceiling import Audience
from nsdesk.services.audience.view import AudienceView
from nsdesk.services.desk import Desk, DeskInfo
from nsdesk.services.exchange.cell_values import Vocabulary
from nsdesk.services.exchange.changes import Collector, ImportPreview, ParticipationTarget
from nsdesk.services.exchange.compare import compare_sheet
from nsdesk.services.exchange.compare_context import (
    Reach,
    SheetContext,
    desk_mark,
    desk_records,
)
from nsdesk.services.exchange.depositary import preview_participation
from nsdesk.services.exchange.export_records import (
    ExportRecord,
    SentSheet,
    file_sha256,
    find_export,
)
from nsdesk.services.exchange.foreign_tables import preview_foreign, preview_unrecorded_return
from nsdesk.services.exchange.reading import read_table, workbook_claims
from nsdesk.services.exchange.sheet_specs import ExportScope, SheetSpec
from nsdesk.services.exchange.sheets import REGISTER, REGISTER_SHEETS, RETURN, RETURN_SHEETS
from nsdesk.services.progress import Progress
from nsdesk.store import tables as t


def preview_import(
    desk: Desk,
    path: Path,
    *,
    progress: Progress | None = None,
    mapping: Mapping[str, str] | None = None,
    ceiling: str | None = None,
    target: ParticipationTarget | None = None,
) -> ImportPreview:
    """What importing ``path`` would change; nothing is written.

    ``target`` reads the table as a depositary's status list for one instrument
    (:mod:`nsdesk.services.exchange.depositary`): its rows become participation.
    A CSV file (.csv, .tsv, .txt) is read as a table nsdesk did not write.

    ``mapping`` (foreign tables only) maps the table's headers to field keys;
    without it the remembered mapping for that table's layout, then header
    synonyms, are used. ``ceiling`` (foreign tables only) is the highest marking a
    record the table changes may carry; the desk's default marking when None.
    Raises ``WorkbookRefusedError`` for a file that is not a sound workbook, or
    that claims to be an export the desk recorded differently; cell-level problems
    are listed in the preview's ``refused``."""
    path = Path(path)
    if progress is not None:
        progress.report(0, 4, "Checking the file")
    workbook = read_table(path)
    if progress is not None:
        progress.check_cancelled()
        progress.report(1, 4, "Reading the workbook")
    if target is not None:
        return preview_participation(
            desk, path, workbook, target, mapping=mapping, progress=progress
        )
    meta = workbook_claims(workbook)
    info = desk.info()
    if not meta:
        return preview_foreign(
            desk, path, workbook, mapping=mapping, progress=progress, ceiling=ceiling
        )
    if not meta.get("format", "").startswith("nsdesk workbook"):
        raise WorkbookRefusedError(
            path, "the workbook's nsdesk sheet is not one this version reads"
        )
    if meta.get("desk") != info.uuid:
        raise WorkbookRefusedError(
            path,
            f"this workbook was exported from another desk (state {meta.get('state') or '?'}), "
            "not from this one: its rows cannot be matched to this desk's records",
        )
    claimed = meta.get("kind")
    with desk.connect() as connection:
        record = find_export(connection, meta.get("export id"))
    if record is None:
        return _unrecorded(desk, path, workbook, meta, progress)
    if claimed != record.kind:
        raise WorkbookRefusedError(
            path,
            f"its hidden nsdesk sheet says it is a {claimed or 'workbook of no kind'}, but the "
            f"desk's record of this export ({record.file_name}, "
            f"{record.exported_at.astimezone():%Y-%m-%d}) is a {record.kind}: the workbook was "
            "altered after it left the desk. Nothing was imported; ask for the workbook as "
            f"it was sent, or send a fresh {record.kind}",
        )
    collector = Collector(path)
    collector.notes.extend(_claims_differing(meta, record))
    if ceiling:
        collector.notes.append(
            f"The ceiling chosen ({ceiling}) is for tables nsdesk did not write; this "
            f"workbook may change what {record.described()} carried, up to its ceiling "
            f"({info.marking.label(record.ceiling)})."
        )
    return _compare_recorded(desk, workbook, record, collector, progress)


def _unrecorded(
    desk: Desk,
    path: Path,
    workbook: ReadWorkbook,
    meta: Mapping[str, str],
    progress: Progress | None,
) -> ImportPreview:
    """A workbook naming an export the desk has no record of: a return is read like a
    foreign table, within the ministry it names and the desk's default marking; a
    register workbook is refused (the desk staff can export the register again)."""
    claimed = meta.get("kind")
    if claimed == RETURN:
        return preview_unrecorded_return(desk, path, workbook, meta, progress=progress)
    if claimed == REGISTER:
        raise WorkbookRefusedError(
            path,
            "this desk has no record of exporting this register workbook (it was exported "
            "before nsdesk recorded its exports, from another copy of the desk, or its hidden "
            "nsdesk sheet was changed), so what it changes cannot be checked against what "
            "was sent. Nothing was imported; export the register again and make the "
            "changes in that workbook",
        )
    raise WorkbookRefusedError(path, f"unknown workbook kind {claimed!r} in its nsdesk sheet")


def _claims_differing(meta: Mapping[str, str], record: ExportRecord) -> list[str]:
    """Notes for what the workbook's hidden sheet claims differently from the record."""
    said = []
    agency = (meta.get("agency") or "").strip()
    if agency.casefold() != (record.agency or "").casefold():
        said.append(
            f"The workbook's hidden nsdesk sheet names the agency {agency or '(none)'}; the "
            f"desk's record of this export says {record.agency or '(none)'}, and only the "
            "desk's record counts."
        )
    ceiling = (meta.get("ceiling") or "").strip()
    if ceiling != record.ceiling:
        said.append(
            f"The workbook's hidden nsdesk sheet gives the ceiling {ceiling or '(none)'}; the "
            f"desk's record of this export says {record.ceiling}, and only the desk's record "
            "counts."
        )
    return said


def _as_sent(spec: SheetSpec, editable: Sequence[str]) -> SheetSpec:
    """``spec`` with the columns the export let the reader edit, and no others."""
    allowed = set(editable)
    if {c.key for c in spec.editable} == allowed:
        return spec
    return replace(
        spec,
        columns=tuple(replace(c, editable=c.key in allowed) for c in spec.columns),
    )


def _reach(info: DeskInfo, record: ExportRecord, sent: SentSheet, editable: Sequence[str]) -> Reach:
    """What a workbook nsdesk wrote may change in one of its sheets (``sent``: what the
    export carried there; ``editable``: the headers it let the reader edit), in words."""
    described = record.described()
    if record.kind == RETURN:
        names = list(editable)
        headers = " and ".join([", ".join(names[:-1]), names[-1]] if len(names) > 1 else names)
        rule = "a return can only update the commitments it was sent with"
        locked = (
            f"this column is locked in {described}: only {headers} may change; put back the "
            "value that was sent"
        )
    else:
        rule = "a register workbook can only update the records it was exported with"
        locked = (
            f"this column is for reading in {described} (an import does not change it): put "
            "back the value that was exported, or change it in the desk"
        )
    return Reach(
        described=described,
        rule=rule,
        ceiling_label=info.marking.label(record.ceiling),
        sent=sent,
        locked_reason=locked,
    )


def _compare_recorded(
    desk: Desk,
    workbook: ReadWorkbook,
    record: ExportRecord,
    collector: Collector,
    progress: Progress | None,
) -> ImportPreview:
    """Compare each sheet of a workbook the desk recorded exporting with what it sent."""
    info = desk.info()
    kind = record.kind
    specs = RETURN_SHEETS if kind == RETURN else REGISTER_SHEETS
    # The desk as the export showed it: a progress entry or target marked above the
    # export's ceiling was never in the workbook, so it must not read as a change
    # made in the desk since (a false conflict); and a record marked above it now
    # cannot be changed by the workbook at all.
    audience = Audience(info.marking, record.ceiling)
    with desk.connect() as connection:
        mark = desk_mark(connection)
        scope = ExportScope(AudienceView(connection, info, audience))
        live_agencies = {
            code.casefold(): code
            for code in connection.execute(
                select(t.agency.c.code).where(t.agency.c.retired_at.is_(None))
            ).scalars()
        }
        vocabulary = Vocabulary(live_agencies, info.marking)
        for spec in specs:
            if progress is not None:
                progress.check_cancelled()
                progress.report(2, 4, f"Checking {spec.title.lower()}")
            sheet = workbook.sheet(spec.name)
            if sheet is None:
                if kind == RETURN:
                    collector.refuse(
                        collector.path.name, spec.name, None, f"the sheet {spec.name!r} is missing"
                    )
                else:
                    collector.notes.append(
                        f"The sheet {spec.name!r} is not in the workbook: nothing there is changed."
                    )
                continue
            sent = record.sheets.get(spec.name)
            if sent is None:  # a sheet for reading: the export let nothing in it change
                continue
            as_sent = _as_sent(spec, sent.editable)
            context = SheetContext(
                spec=as_sent,
                desk=desk_records(connection, as_sent, scope),
                vocabulary=vocabulary,
                date1904=workbook.date1904,
                reach=_reach(info, record, sent, [c.header for c in as_sent.editable]),
                fingerprints={uuid: row.fields for uuid, row in sent.rows.items()},
                creates=kind == REGISTER and spec.creates,
                blank_means_keep=kind == RETURN,
            )
            compare_sheet(collector, sheet, context)
    return collector.preview(
        sha256=file_sha256(collector.path),
        kind=kind,
        agency=record.agency,
        export_id=record.export_id,
        desk_mark=mark,
        ceiling=record.ceiling,
        recorded=True,
    )


__all__ = ["preview_import"]
