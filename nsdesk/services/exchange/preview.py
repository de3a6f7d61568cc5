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
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from nsdesk.domain.enums import (
    AgencyKind,
    CommitmentStatus,
    GiftBasketRole,
    LabelledEnum,
    Priority,
)
from nsdesk.domain.errors import ValidationError, WorkbookRefusedError
from nsdesk.domain.fields import coerce
from nsdesk.domain.records import spec_for
from nsdesk.exchange.cells import DateCellError, cell_text, partial_date_from_cell
from nsdesk.exchange.model import ColumnKind
from nsdesk.services.audience.ceiling import Audience
from nsdesk.services.audience.view import AudienceView
from nsdesk.services.desk import Desk
from nsdesk.services.exchange.export_records import ExportRecord, SentSheet, find_export
from nsdesk.services.exchange.sheet_specs import (
    EVIDENCE,
    ID_COLUMN,
    NARRATIVE,
    REVISED_TARGET,
    STATUS,
    ColumnSpec,
    ExportScope,
    SheetSpec,
    canonical,
    fingerprint,
)
from nsdesk.services.exchange.sheets import REGISTER, REGISTER_SHEETS, RETURN, RETURN_SHEETS
from nsdesk.services.progress import Progress
from nsdesk.store import tables as t

FOREIGN = "foreign"
_HEADER_SEARCH_ROWS = 12
_TEXT_KINDS = {"text", "long_text"}


@dataclass(frozen=True, slots=True)
class FieldChange:
    """One field of one record as the import would set it."""

    column: str  # the column key
    field: str  # the record (or virtual) field
    header: str
    cell: str  # "Commitments!F12"
    old: str  # the desk's value now, as shown
    new: str  # the workbook's value, as shown
    value: Any  # what the apply writes
    conflict: bool = False  # the desk changed this field too since the export
    exported: str | None = None  # shown only for a conflict: the desk's value then is unknown


@dataclass(frozen=True, slots=True)
class RecordChange:
    """Everything the import would do to one record (or the record it would create)."""

    key: str  # a record's UUID, or "new:<sheet>:<row>"
    sheet: str
    row: int
    kind: str
    label: str  # "C-0012 Strengthen…"
    changes: tuple[FieldChange, ...]
    is_new: bool = False

    @property
    def conflicts(self) -> tuple[FieldChange, ...]:
        return tuple(c for c in self.changes if c.conflict)


@dataclass(frozen=True, slots=True)
class RefusedCell:
    """A cell the import cannot take, and why; any refused cell blocks the import."""

    where: str  # "Commitments!F12" (or a sheet, or the file)
    header: str
    value: str
    reason: str


@dataclass(frozen=True, slots=True)
class LoweredMarking:
    """A record whose sensitivity the workbook sets lower than the desk holds it:
    applied only once someone confirms it."""

    key: str  # the record's UUID
    label: str  # "C-0012 Strengthen…"
    cell: str  # "Commitments!Q12"
    old: str  # the level the desk holds (code)
    new: str  # the level the workbook sets (code)


@dataclass(frozen=True, slots=True)
class ImportPreview:
    """What an import would do, shown before it does anything."""

    path: Path
    sha256: str
    kind: str  # return, register or foreign
    agency: str | None
    export_id: str | None
    records: tuple[RecordChange, ...]
    refused: tuple[RefusedCell, ...]
    notes: tuple[str, ...]  # said, but not blocking: hidden rows, extra columns…
    desk_mark: int  # the desk's last audit entry when previewed (apply checks it)
    rows_read: int = 0
    mapping_source: str | None = None  # a foreign table's remembered-mapping key
    mapping: tuple[tuple[str, str], ...] = ()  # a foreign table's header -> field key
    ceiling: str | None = None  # no record marked above this level can change
    recorded: bool = False  # scoped by the desk's record of the export it answers
    lowered: tuple[LoweredMarking, ...] = ()  # markings lowered: need a confirmation

    @property
    def conflicts(self) -> int:
        return sum(len(r.conflicts) for r in self.records)

    @property
    def field_changes(self) -> int:
        return sum(len(r.changes) for r in self.records)

    @property
    def can_apply(self) -> bool:
        return not self.refused and bool(self.records)


# -- reading a sheet's header ---------------------------------------------------------------


def fold_header(text: Any) -> str:
    """A header as compared: case, spaces, line breaks and a trailing ``*`` ignored."""
    return " ".join(str(text or "").replace("*", " ").split()).casefold()


@dataclass(slots=True)
class HeaderMatch:
    """Which column of the sheet holds which field, and what is odd about it."""

    row: int
    columns: dict[str, int] = field(default_factory=dict)  # column key -> 0-based index
    unknown: list[tuple[int, str]] = field(default_factory=list)
    duplicates: list[tuple[int, str]] = field(default_factory=list)


def match_header(sheet, spec: SheetSpec, header_row: int | None = None) -> HeaderMatch | None:
    """Find the header row among the first rows (rows may have been inserted above it)
    and map each header, by name or synonym, to a column of ``spec``."""
    names: dict[str, str] = {}
    for column in spec.columns:
        names.setdefault(fold_header(column.header), column.key)
    for column in spec.columns:
        for synonym in column.synonyms:
            names.setdefault(fold_header(synonym), column.key)
    best: HeaderMatch | None = None
    for row in sheet.rows[:_HEADER_SEARCH_ROWS]:
        if header_row is not None and row.number != header_row:
            continue
        found = HeaderMatch(row.number)
        for index, value in enumerate(row.values):
            if value is None:
                continue
            key = names.get(fold_header(value))
            if key is None:
                found.unknown.append((index, str(value)))
            elif key in found.columns:
                found.duplicates.append((index, str(value)))
            else:
                found.columns[key] = index
        if len(found.columns) >= 2 and (best is None or len(found.columns) > len(best.columns)):
            best = found
    return best


# -- the desk as the import compares against it --------------------------------------------


@dataclass(slots=True)
class DeskRecords:
    """The desk's current rows of one sheet, as the export would write them."""

    by_uuid: dict[str, dict[str, Any]]
    by_key: dict[str, str]  # human key (casefolded) -> uuid
    retired: dict[str, str]  # uuid or key -> retired on (ISO)


def _retired(connection, spec: SheetSpec) -> dict[str, str]:
    table = getattr(t, spec.kind)
    key_column = spec.key if spec.key in table.c else None
    columns = [table.c.uuid, table.c.retired_at]
    if key_column:
        columns.append(table.c[key_column])
    found = {}
    for row in connection.execute(select(*columns).where(table.c.retired_at.is_not(None))):
        when = row.retired_at.date().isoformat()
        found[row.uuid] = when
        if key_column and row[2] is not None:
            found[str(row[2]).casefold()] = when
    return found


def desk_records(connection, spec: SheetSpec, scope: ExportScope) -> DeskRecords:
    rows = spec.load(scope)
    by_uuid = {row["_uuid"]: row for row in rows}
    by_key = {str(row[spec.key]).casefold(): row["_uuid"] for row in rows if row.get(spec.key)}
    return DeskRecords(by_uuid, by_key, _retired(connection, spec))


# -- one cell ------------------------------------------------------------------------------


class _CellRefusedError(Exception):
    def __init__(self, reason: str):
        self.reason = reason
        super().__init__(reason)


@dataclass(slots=True)
class Vocabulary:
    """What the drop-down columns accept, case and surrounding spaces ignored."""

    agencies: dict[str, str]  # casefolded code -> code, live agencies within the ceiling
    marking: Any


def parse_cell(column: ColumnSpec, kind: str, value: Any, vocabulary: Vocabulary, date1904: bool):
    """The value to apply for ``value`` in ``column`` (``None`` for blank), and its
    display; ``_CellRefusedError`` says why not."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, ""
    if column.kind.value == "date":
        try:
            parsed = partial_date_from_cell(value, date1904)
        except DateCellError as error:
            raise _CellRefusedError(f"expected a date like 2027-06-30 ({error})") from None
        except ValueError:
            raise _CellRefusedError("expected a date like 2027-06-30") from None
        return parsed, str(parsed)
    if column.kind.value == "choice":
        return _parse_choice(column, value, vocabulary)
    text = cell_text(value) or ""
    record_field = _field_spec(kind, column.field)
    if record_field is not None:
        try:
            stored = coerce(record_field, text)
        except ValidationError as error:
            raise _CellRefusedError(f"expected {error.expected}") from None
        return stored, stored or ""
    return text, text


def _field_spec(kind: str, name: str | None):
    if name is None:
        return None
    if name in (NARRATIVE, EVIDENCE):
        return spec_for("status_entry").field(name)
    try:
        return spec_for(kind).field(name)
    except KeyError:
        return None


#: What ministries write in their own trackers for a status, in the languages the
#: process works in, beyond the labels themselves (which match in any case).
STATUS_WORDS: dict[str, CommitmentStatus] = {
    word: status
    for status, words in {
        CommitmentStatus.IN_PROGRESS: ("en cours", "en curso", "underway", "under way", "started"),
        CommitmentStatus.COMPLETED: (
            "done",
            "complete",
            "achieved",
            "terminé",
            "termine",
            "achevé",
            "acheve",
            "réalisé",
            "realise",
            "completado",
            "cumplido",
        ),
        CommitmentStatus.PARTIALLY_COMPLETED: ("partially done", "partiellement réalisé"),
        CommitmentStatus.STALLED: ("blocked", "on hold", "bloqué", "bloque", "en suspens"),
        CommitmentStatus.PLEDGED: ("not started", "non commencé", "pendiente"),
        CommitmentStatus.ONGOING: ("continuing", "permanent", "continuous"),
    }.items()
    for word in words
}


@cache
def _enum_words(enum_class: type[LabelledEnum]) -> dict[str, LabelledEnum]:
    """Every way a drop-down value may be written, folded: value, label, and for a
    status the ministries' own words."""
    words: dict[str, LabelledEnum] = dict(STATUS_WORDS) if enum_class is CommitmentStatus else {}
    for member in enum_class:
        words[fold_header(member.value.replace("_", " "))] = member
        words[fold_header(member.label)] = member
    return words


_ENUMS = {
    "status": CommitmentStatus,
    "priority": Priority,
    "role": GiftBasketRole,
    "agency_kind": AgencyKind,
}


def _parse_choice(column: ColumnSpec, value: Any, vocabulary: Vocabulary):
    text = cell_text(value) or ""
    if column.choices in _ENUMS:
        enum_class = _ENUMS[column.choices]
        try:
            member = _enum_words(enum_class).get(fold_header(text.replace("_", " ")))
            member = member or enum_class.parse(text)
        except ValueError:
            choices = ", ".join(m.label for m in enum_class)
            raise _CellRefusedError(f"expected one of the list: {choices}") from None
        return member, member.label
    if column.choices == "agency":
        code = vocabulary.agencies.get(text.casefold())
        if code is None:
            raise _CellRefusedError("expected the code of an agency of this desk, such as MFA")
        return code, code
    if column.choices == "sensitivity":
        try:
            code = vocabulary.marking.normalise(text)
        except ValidationError:
            raise _CellRefusedError(
                f"expected one of: {', '.join(vocabulary.marking.codes)}"
            ) from None
        return code, code
    return text, text


# -- the whole workbook --------------------------------------------------------------------


@dataclass(slots=True)
class _Collector:
    path: Path
    records: list[RecordChange] = field(default_factory=list)
    refused: list[RefusedCell] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    lowered: list[LoweredMarking] = field(default_factory=list)
    rows_read: int = 0

    def refuse(self, where: str, header: str, value: Any, reason: str) -> None:
        shown = "" if value is None else str(value)
        self.refused.append(RefusedCell(where, header, shown[:120], reason))


def _meta(workbook) -> dict[str, str]:
    from nsdesk.exchange.model import META_SHEET

    sheet = workbook.sheet(META_SHEET)
    if sheet is None:
        return {}
    return {
        str(row.values[0]): str(row.values[1])
        if len(row.values) > 1 and row.values[1] is not None
        else ""
        for row in sheet.rows
        if row.values and row.values[0] is not None
    }


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with Path(path).open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def read_checked(path: Path):
    """The workbook at ``path``, after the safety checks; ``WorkbookRefusedError`` otherwise."""
    from nsdesk.exchange.safety import check_workbook_file, defusedxml_in_force
    from nsdesk.exchange.workbook_reader import read_workbook

    if not defusedxml_in_force():
        raise WorkbookRefusedError(
            path,
            "nsdesk will not read workbooks while its XML protection (defusedxml) is not in "
            "force: defusedxml is missing or OPENPYXL_DEFUSEDXML is set to False. Reinstall "
            "nsdesk, or unset that variable, and import again",
        )
    check_workbook_file(Path(path))
    return read_workbook(Path(path))


@dataclass(frozen=True, slots=True)
class Reach:
    """Which records a workbook may change, and how to say why a row's record is not
    among them. ``sent`` (a workbook nsdesk wrote): the records its export carried,
    as the desk recorded them. ``outside`` (a table the desk has no record of):
    given a row's key or id, the reason its record is out of reach, or None."""

    described: str = ""  # "the return sent to MOJ on 2026-11-02"
    rule: str = ""  # "a return can only update the commitments it was sent with"
    ceiling_label: str = ""
    sent: SentSheet | None = None
    outside: Callable[[str | None, str | None], str | None] | None = None
    locked_reason: str = ""  # why a locked cell may not change, in this workbook


def preview_import(
    desk: Desk,
    path: Path,
    *,
    progress: Progress | None = None,
    mapping: Mapping[str, str] | None = None,
    ceiling: str | None = None,
) -> ImportPreview:
    """What importing ``path`` would change; nothing is written.

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
    workbook = read_checked(path)
    if progress is not None:
        progress.check_cancelled()
        progress.report(1, 4, "Reading the workbook")
    meta = _meta(workbook)
    info = desk.info()
    if not meta:
        from nsdesk.services.exchange.foreign_tables import preview_foreign

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
    collector = _Collector(path)
    collector.notes.extend(_claims_differing(info, meta, record))
    if ceiling:
        collector.notes.append(
            f"The ceiling chosen ({ceiling}) is for tables nsdesk did not write; this "
            f"workbook may change what {record.described()} carried, up to its ceiling "
            f"({info.marking.label(record.ceiling)})."
        )
    return _compare_recorded(desk, path, workbook, record, collector, progress)


def _unrecorded(desk: Desk, path: Path, workbook, meta: Mapping[str, str], progress):
    """A workbook naming an export the desk has no record of: a return is read like a
    foreign table, within the ministry it names and the desk's default marking; a
    register workbook is refused (the desk staff can export the register again)."""
    claimed = meta.get("kind")
    if claimed == RETURN:
        from nsdesk.services.exchange.foreign_tables import preview_unrecorded_return

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


def _claims_differing(info, meta: Mapping[str, str], record: ExportRecord) -> list[str]:
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


def _compare_recorded(
    desk: Desk, path: Path, workbook, record: ExportRecord, collector: _Collector, progress
) -> ImportPreview:
    info = desk.info()
    kind = record.kind
    specs = RETURN_SHEETS if kind == RETURN else REGISTER_SHEETS
    # The desk as the export showed it: a progress entry or target marked above the
    # export's ceiling was never in the workbook, so it must not read as a change
    # made in the desk since (a false conflict); and a record marked above it now
    # cannot be changed by the workbook at all.
    audience = Audience(info.marking, record.ceiling)
    described = record.described()
    rule = (
        "a return can only update the commitments it was sent with"
        if kind == RETURN
        else "a register workbook can only update the records it was exported with"
    )
    with desk.connect() as connection:
        desk_mark = connection.execute(select(func.max(t.audit_entry.c.id))).scalar() or 0
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
                        path.name, spec.name, None, f"the sheet {spec.name!r} is missing"
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
            names = [c.header for c in as_sent.editable]
            headers = " and ".join([", ".join(names[:-1]), names[-1]] if len(names) > 1 else names)
            reach = Reach(
                described=described,
                rule=rule,
                ceiling_label=info.marking.label(record.ceiling),
                sent=sent,
                locked_reason=(
                    f"this column is locked in {described}: only {headers} may change; put "
                    "back the value that was sent"
                    if kind == RETURN
                    else f"this column is for reading in {described} (an import does not "
                    "change it): put back the value that was exported, or change it in the desk"
                ),
            )
            compare_sheet(
                collector,
                sheet,
                as_sent,
                desk_records(connection, as_sent, scope),
                vocabulary,
                workbook.date1904,
                {uuid: row.fields for uuid, row in sent.rows.items()},
                creates=kind == REGISTER and spec.creates,
                blank_means_keep=kind == RETURN,
                reach=reach,
            )
    return ImportPreview(
        path=path,
        sha256=file_sha256(path),
        kind=kind,
        agency=record.agency,
        export_id=record.export_id,
        records=tuple(collector.records),
        refused=tuple(collector.refused),
        notes=tuple(collector.notes),
        desk_mark=desk_mark,
        rows_read=collector.rows_read,
        ceiling=record.ceiling,
        recorded=True,
        lowered=tuple(collector.lowered),
    )


def _letter(index: int) -> str:
    from nsdesk.exchange.workbook_reader import column_letter

    return column_letter(index + 1)


def _check_header(
    collector: _Collector,
    sheet,
    spec: SheetSpec,
    header: HeaderMatch,
    key_needed: bool,
    report_missing: bool = True,
) -> bool:
    ok = True
    for merged in sheet.merged:
        rows = [int("".join(ch for ch in part if ch.isdigit()) or 0) for part in merged.split(":")]
        if rows and min(rows) <= header.row <= max(rows):
            collector.refuse(
                f"{sheet.name}!{merged}",
                "header",
                None,
                "merged header cells: unmerge them so that each column has its own header",
            )
            ok = False
    for index, text in header.duplicates:
        collector.refuse(
            f"{sheet.name}!{_letter(index)}{header.row}",
            text,
            text,
            "this column repeats a column already in the sheet; delete one of them",
        )
        ok = False
    for index, text in header.unknown:
        collector.notes.append(
            f"{sheet.name}!{_letter(index)}{header.row}: the column {text!r} is not one nsdesk "
            "knows; it is ignored."
        )
    if key_needed and ID_COLUMN.key not in header.columns and spec.key not in header.columns:
        collector.refuse(
            f"{sheet.name}!{header.row}:{header.row}",
            "Record id",
            None,
            f"the sheet has neither a {spec.column(spec.key).header!r} nor a 'Record id' column, "
            "so its rows cannot be matched to records",
        )
        ok = False
    for column in spec.editable if report_missing else ():
        if column.key not in header.columns:
            collector.notes.append(
                f"{sheet.name}: the column {column.header!r} is missing; that field is not changed."
            )
    return ok


def compare_sheet(
    collector: _Collector,
    sheet,
    spec: SheetSpec,
    current: DeskRecords,
    vocabulary: Vocabulary,
    date1904: bool,
    fingerprints: Mapping[str, Mapping[str, str]],
    *,
    creates: bool,
    blank_means_keep: bool,
    header: HeaderMatch | None = None,
    reach: Reach | None = None,
) -> None:
    """Compare every row of ``sheet`` with the desk; collect changes and refusals.

    ``current`` holds the records the workbook may change (within its ceiling);
    ``reach`` says which of them it was sent with and why another is out of reach."""
    given = header
    header = header or match_header(sheet, spec)
    if header is None:
        collector.refuse(
            sheet.name,
            "header",
            None,
            "no header row was found (the first rows name none of the expected columns)",
        )
        return
    # a foreign table's mapping was chosen: the fields it leaves out are not news
    if not _check_header(collector, sheet, spec, header, True, report_missing=given is None):
        return
    reach = reach or Reach()
    seen: dict[str, int] = {}
    columns = header.columns
    letters = {key: _letter(index) for key, index in columns.items()}
    locked = [
        c
        for c in spec.columns
        if not c.editable
        and c.key in columns
        and c.kind is not ColumnKind.ID
        and not (spec.key_unique and c.key == spec.key)  # the key identifies the row
    ]
    for row in sheet.rows:
        if row.number <= header.row:
            continue
        collector.rows_read += 1
        values = row.values

        def cell(key: str, _values: Sequence[Any] = values) -> Any:
            index = columns.get(key)
            return _values[index] if index is not None and index < len(_values) else None

        def where(key: str, _row: int = row.number) -> str:
            return f"{sheet.name}!{letters[key]}{_row}"

        record_id = cell_text(cell(ID_COLUMN.key)) if ID_COLUMN.key in columns else None
        human = cell_text(cell(spec.key)) if spec.key in columns else None
        editable = [c for c in spec.editable if c.key in columns]
        if not any(cell(c.key) is not None for c in editable) and not record_id and not human:
            continue
        uuid = _identify(
            collector, sheet, spec, current, record_id, human, row.number, columns, creates, reach
        )
        if uuid is False:
            continue
        if uuid is not None:
            if uuid in seen:
                collector.refuse(
                    f"{sheet.name}!{row.number}:{row.number}",
                    spec.column(spec.key).header,
                    human,
                    f"this record is also in row {seen[uuid]}; keep one row per record",
                )
                continue
            seen[uuid] = row.number
        if row.hidden:
            collector.notes.append(
                f"{sheet.name} row {row.number} is hidden in the workbook; its changes are listed "
                "like the others."
            )
        sent_row = reach.sent.rows.get(uuid) if reach.sent is not None and uuid else None
        for column in locked if sent_row is not None else ():
            was = sent_row.locked.get(column.key)
            raw = cell(column.key)
            if was is not None and fingerprint(_canonical_cell(column.kind, raw)) != was:
                collector.refuse(where(column.key), column.header, raw, reach.locked_reason)
        desk_row = current.by_uuid.get(uuid) if uuid else None
        exported = fingerprints.get(uuid, {}) if uuid else {}
        changes = []
        for column in editable:
            raw = cell(column.key)
            if sheet.formulas and f"{letters[column.key]}{row.number}" in sheet.formulas:
                collector.refuse(
                    where(column.key),
                    column.header,
                    raw,
                    "the cell holds a formula; nsdesk imports values only: type the value itself",
                )
                continue
            if (
                desk_row is not None
                and raw is not None
                and canonical(column.kind, raw) == canonical(column.kind, desk_row.get(column.key))
            ):
                continue  # as the desk shows it ("Status withheld" included): nothing to parse
            try:
                value, shown = parse_cell(column, spec.kind, raw, vocabulary, date1904)
            except _CellRefusedError as refused:
                collector.refuse(where(column.key), column.header, raw, refused.reason)
                continue
            change = _diff(column, value, shown, desk_row, exported, blank_means_keep)
            if change is not None:  # addressed only when shown: most cells are unchanged
                change = replace(change, cell=where(column.key))
            if change is not None:
                changes.append(change)
        if not changes:
            continue
        if uuid is None:
            key = f"new:{sheet.name}:{row.number}"
            label = f"New {spec_for(spec.kind).label.lower()} (row {row.number})"
        else:
            key = uuid
            label = " ".join(
                str(desk_row.get(k) or "") for k in (spec.key, "title", "name") if desk_row.get(k)
            )
        label = label.strip()
        if desk_row is not None:
            _note_lowered(collector, vocabulary, key, label, desk_row, changes)
        collector.records.append(
            RecordChange(
                key, sheet.name, row.number, spec.kind, label, tuple(changes), uuid is None
            )
        )


def _canonical_cell(kind: ColumnKind, raw: Any) -> str:
    """A read cell in the form its exported value was fingerprinted in."""
    if isinstance(raw, str):
        raw = cell_text(raw)
    return canonical(kind, raw)


def _note_lowered(collector, vocabulary, key, label, desk_row, changes) -> None:
    """Remember a change that sets a record's marking lower than the desk holds it."""
    for change in changes:
        if change.field != "sensitivity" or change.value is None:
            continue
        old = desk_row.get("sensitivity")
        marking = vocabulary.marking
        if old in marking.codes and marking.rank(change.value) < marking.rank(old):
            collector.lowered.append(LoweredMarking(key, label, change.cell, old, change.value))


def _identify(
    collector,
    sheet,
    spec,
    current: DeskRecords,
    record_id,
    human,
    number,
    columns,
    creates,
    reach: Reach,
):
    """The record a row names (its UUID), ``None`` for a new record, ``False`` when refused."""
    key_header = spec.column(spec.key).header
    row_where = f"{sheet.name}!{number}:{number}"
    sent = reach.sent

    def not_sent(name: str | None) -> str:
        return f"{name or 'this record'} was not in {reach.described}; {reach.rule}"

    def now_above(name: str | None) -> str:
        return (
            f"{name or 'this record'} is now marked above the ceiling of {reach.described} "
            f"({reach.ceiling_label}), so it cannot be changed by it"
        )

    if record_id:
        if record_id in current.by_uuid:
            uuid = record_id
            if sent is not None and uuid not in sent.rows:
                desk_key = current.by_uuid[uuid].get(spec.key)
                collector.refuse(row_where, key_header, human or desk_key, not_sent(desk_key))
                return False
            if spec.key_unique and human and current.by_key.get(human.casefold(), uuid) != uuid:
                collector.refuse(
                    row_where,
                    key_header,
                    human,
                    f"{key_header} {human} and the Record id name different records; "
                    "restore the row as it was exported",
                )
                return False
            return uuid
        if record_id in current.retired:
            reason = (
                f"this record was retired in the desk on {current.retired[record_id]}; "
                "restore it in the desk first, or delete the row"
            )
        elif sent is not None and record_id in sent.rows:
            reason = now_above(sent.rows[record_id].key or human)
        elif sent is not None:
            reason = f"no record in {reach.described} has this id; {reach.rule}"
        else:
            reason = (reach.outside(human, record_id) if reach.outside else None) or (
                "no record of this desk has this id (deleted, or the row comes from another "
                "workbook)"
            )
        collector.refuse(row_where, "Record id", human or record_id, reason)
        return False
    if human and spec.key_unique:
        uuid = current.by_key.get(human.casefold())
        if uuid is not None:
            if sent is not None and uuid not in sent.rows:
                collector.refuse(row_where, key_header, human, not_sent(human))
                return False
            return uuid
        if creates and spec.key in {c.key for c in spec.editable}:
            return None  # a new record that brings its own code (an agency)
        if sent is not None and human.casefold() in sent.by_key:
            reason = now_above(human)
        elif human.casefold() in current.retired:
            reason = f"this record was retired in the desk on {current.retired[human.casefold()]}"
        elif sent is not None:
            reason = not_sent(human)
        else:
            reason = (reach.outside(human, None) if reach.outside else None) or (
                f"no {spec_for(spec.kind).label.lower()} {human} in this desk"
            )
        collector.refuse(row_where, key_header, human, reason)
        return False
    if creates:
        return None
    collector.refuse(
        row_where,
        key_header,
        None,
        f"the row has no {key_header} and no Record id; this workbook cannot add records",
    )
    return False


def _diff(
    column: ColumnSpec,
    value,
    shown: str,
    desk_row,
    exported: Mapping[str, str],
    blank_means_keep: bool,
):
    where = ""  # set by the caller once the change is known
    new_canon = canonical(column.kind, shown)
    if desk_row is None:  # a new record: every filled cell is a value
        if value is None:
            return None
        return FieldChange(column.key, column.field, column.header, where, "", shown, value)
    old_value = desk_row.get(column.key)
    old_canon = canonical(column.kind, old_value)
    old_shown = "" if old_value is None else str(old_value)
    if value is None and (
        blank_means_keep or column.field in (STATUS, NARRATIVE, EVIDENCE, REVISED_TARGET)
    ):
        return None
    if new_canon == old_canon and column.field not in (NARRATIVE, EVIDENCE):
        return None
    if column.field in (NARRATIVE, EVIDENCE):
        if new_canon == canonical(column.kind, desk_row.get(f"_{column.field}")):
            return None  # already the latest progress entry's text (imported before)
        return FieldChange(column.key, column.field, column.header, where, "", shown, value)
    if column.field == REVISED_TARGET:
        if new_canon == canonical(column.kind, desk_row.get("target")):
            return None  # already the target in force
        old_target = desk_row.get("target")
        return FieldChange(
            column.key,
            column.field,
            column.header,
            where,
            "" if old_target is None else str(old_target),
            shown,
            value,
        )
    sent = exported.get(column.key)
    if sent is not None and fingerprint(new_canon) == sent:
        return None  # the workbook did not change it; the desk did, and keeps its value
    conflict = sent is not None and fingerprint(old_canon) != sent
    return FieldChange(
        column.key, column.field, column.header, where, old_shown, shown, value, conflict
    )


__all__ = [
    "FOREIGN",
    "FieldChange",
    "ImportPreview",
    "LoweredMarking",
    "Reach",
    "RecordChange",
    "RefusedCell",
    "compare_sheet",
    "preview_import",
]
