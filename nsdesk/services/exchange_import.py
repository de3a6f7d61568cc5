"""Read a workbook back: recognise it, validate every cell, and say what it would
change — record by record, field by field, old → new — before anything changes.

Three kinds of workbook come back: a ministry's *return* and a *register*
workbook (both written by nsdesk, so they carry the export's fingerprints), and
a *foreign* table (a depositary's list, a ministry's own tracker) whose columns
are mapped to fields (:mod:`nsdesk.services.foreign_tables`).

The fingerprints make conflicts visible: for every editable field the import
knows what was exported, so it can tell whether the workbook, the desk, or both
changed it since. Both changed (to different values) is a conflict, which the
user settles per record or per field. Rules that never bend: a row missing from
the workbook deletes nothing; a row without an id creates a record only from a
register workbook; a refused cell blocks the whole import.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
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
from nsdesk.services.audience import Audience
from nsdesk.services.audience_view import AudienceView
from nsdesk.services.desk import Desk
from nsdesk.services.exchange_export import REGISTER, RETURN, fingerprint
from nsdesk.services.exchange_sheets import (
    EVIDENCE,
    ID_COLUMN,
    NARRATIVE,
    REGISTER_SHEETS,
    RETURN_SHEETS,
    REVISED_TARGET,
    STATUS,
    ColumnSpec,
    ExportScope,
    SheetSpec,
    canonical,
)
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


def _fingerprints(workbook) -> dict[str, dict[str, str]]:
    import json

    from nsdesk.exchange.model import ROWS_SHEET

    sheet = workbook.sheet(ROWS_SHEET)
    found: dict[str, dict[str, str]] = {}
    if sheet is None:
        return found
    for row in sheet.rows[1:]:
        values = row.values
        if len(values) < 4 or not values[1]:
            continue
        try:
            found[str(values[1])] = json.loads(str(values[3]))
        except ValueError:
            continue
    return found


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


def preview_import(
    desk: Desk,
    path: Path,
    *,
    progress: Progress | None = None,
    mapping: Mapping[str, str] | None = None,
) -> ImportPreview:
    """What importing ``path`` would change; nothing is written.

    ``mapping`` (foreign tables only) maps the table's headers to field keys;
    without it the remembered mapping for that table's layout, then header
    synonyms, are used. Raises ``WorkbookRefusedError`` for a file that is not a
    sound workbook; cell-level problems are listed in the preview's ``refused``."""
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
        from nsdesk.services.foreign_tables import preview_foreign

        return preview_foreign(desk, path, workbook, mapping=mapping, progress=progress)
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
    kind = meta.get("kind")
    if kind not in (REGISTER, RETURN):
        raise WorkbookRefusedError(path, f"unknown workbook kind {kind!r} in its nsdesk sheet")
    specs = RETURN_SHEETS if kind == RETURN else REGISTER_SHEETS
    audience = _audience_of_export(info, meta)
    collector = _Collector(path)
    fingerprints = _fingerprints(workbook)
    agency = meta.get("agency") or None
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
            if not spec.editable:
                continue
            current = desk_records(connection, spec, scope)
            compare_sheet(
                collector,
                sheet,
                spec,
                current,
                vocabulary,
                workbook.date1904,
                fingerprints,
                creates=kind == REGISTER and spec.creates,
                blank_means_keep=kind == RETURN,
            )
    return ImportPreview(
        path=path,
        sha256=file_sha256(path),
        kind=kind,
        agency=agency,
        export_id=meta.get("export id"),
        records=tuple(collector.records),
        refused=tuple(collector.refused),
        notes=tuple(collector.notes),
        desk_mark=desk_mark,
        rows_read=collector.rows_read,
    )


def _audience_of_export(info, meta: Mapping[str, str]) -> Audience:
    """The desk as the export showed it: a progress entry or target marked above the
    export's ceiling was never in the workbook, so it must not read as a change made
    in the desk since (a false conflict)."""
    ceiling = meta.get("ceiling") or ""
    if ceiling not in info.marking.codes:
        ceiling = info.marking.codes[-1]
    return Audience(info.marking, ceiling)


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
) -> None:
    """Compare every row of ``sheet`` with the desk; collect changes and refusals."""
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
    seen: dict[str, int] = {}
    columns = header.columns
    letters = {key: _letter(index) for key, index in columns.items()}
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
            collector, sheet, spec, current, record_id, human, row.number, columns, creates
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
        collector.records.append(
            RecordChange(
                key, sheet.name, row.number, spec.kind, label.strip(), tuple(changes), uuid is None
            )
        )


def _identify(
    collector, sheet, spec, current: DeskRecords, record_id, human, number, columns, creates
):
    """The record a row names (its UUID), ``None`` for a new record, ``False`` when refused."""
    key_header = spec.column(spec.key).header
    if record_id:
        if record_id in current.by_uuid:
            uuid = record_id
            if spec.key_unique and human and current.by_key.get(human.casefold(), uuid) != uuid:
                collector.refuse(
                    f"{sheet.name}!{number}:{number}",
                    key_header,
                    human,
                    f"{key_header} {human} and the Record id name different records; "
                    "restore the row as it was exported",
                )
                return False
            return uuid
        if record_id in current.retired:
            collector.refuse(
                f"{sheet.name}!{number}:{number}",
                "Record id",
                human or record_id,
                f"this record was retired in the desk on {current.retired[record_id]}; "
                "restore it in the desk first, or delete the row",
            )
        else:
            collector.refuse(
                f"{sheet.name}!{number}:{number}",
                "Record id",
                human or record_id,
                "no record of this desk has this id (deleted, or the row comes from another "
                "workbook)",
            )
        return False
    if human and spec.key_unique:
        uuid = current.by_key.get(human.casefold())
        if uuid is not None:
            return uuid
        if creates and spec.key in {c.key for c in spec.editable}:
            return None  # a new record that brings its own code (an agency)
        reason = (
            f"this record was retired in the desk on {current.retired[human.casefold()]}"
            if human.casefold() in current.retired
            else f"no {spec_for(spec.kind).label.lower()} {human} in this desk"
        )
        collector.refuse(f"{sheet.name}!{number}:{number}", key_header, human, reason)
        return False
    if creates:
        return None
    collector.refuse(
        f"{sheet.name}!{number}:{number}",
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
    "RecordChange",
    "RefusedCell",
    "compare_sheet",
    "preview_import",
]
