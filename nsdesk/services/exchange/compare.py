"""Comparing one sheet of a workbook with the desk, row by row.

A sheet is compared against a :class:`SheetContext`: the sheet's spec, the desk's
records as the export would write them now, what the drop-downs accept, the
workbook's date system, what the export sent (fingerprints and reach), and the
two rules that differ between workbooks (may a row add a record; does a blank
cell keep the desk's value). Each row is first identified — an existing record,
a new one, or refused with the reason (:data:`Identification`) — then each of its
editable cells is parsed and set against the desk's value and the exported
fingerprint: unchanged, changed by the workbook, or changed on both sides (a
conflict). What is found goes into a :class:`~nsdesk.services.exchange.changes.Collector`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from nsdesk.domain.records import spec_for
from nsdesk.exchange.cells import cell_text
from nsdesk.exchange.model import ColumnKind, ReadRow, ReadSheet
from nsdesk.services.exchange.cell_values import CellRefusedError, Vocabulary, parse_cell
from nsdesk.services.exchange.changes import Collector, FieldChange, LoweredMarking, RecordChange
from nsdesk.services.exchange.compare_context import SheetContext
from nsdesk.services.exchange.headers import HeaderMatch, check_header, letter, match_header
from nsdesk.services.exchange.sheet_specs import (
    EVIDENCE,
    ID_COLUMN,
    NARRATIVE,
    REVISED_TARGET,
    STATUS,
    ColumnSpec,
    Row,
    SheetSpec,
    canonical,
    fingerprint,
)

# -- which record a row is -------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ExistingRecord:
    """The row names this record of the desk, which the workbook may change."""

    uuid: str


@dataclass(frozen=True, slots=True)
class NewRecord:
    """The row is a record the workbook adds."""


@dataclass(frozen=True, slots=True)
class RowRefused:
    """The row names no record the workbook may change: the column to name and why."""

    header: str
    value: str | None
    reason: str


Identification = ExistingRecord | NewRecord | RowRefused
"""What a row was found to be: an existing record, a new one, or refused."""


def identify(context: SheetContext, record_id: str | None, human: str | None) -> Identification:
    """Which record a row names, by its Record id (``record_id``) or else by its human
    key (``human``: a ref, a code), within the reach of the workbook."""
    spec = context.spec
    if record_id:
        return _by_record_id(context, record_id, human)
    if human and spec.key_unique:
        return _by_key(context, human)
    if context.creates:
        return NewRecord()
    key_header = spec.column(spec.key).header
    return RowRefused(
        key_header,
        None,
        f"the row has no {key_header} and no Record id; this workbook cannot add records",
    )


def _by_record_id(context: SheetContext, record_id: str, human: str | None) -> Identification:
    spec, desk, reach = context.spec, context.desk, context.reach
    key_header = spec.column(spec.key).header
    sent = reach.sent
    if record_id in desk.by_uuid:
        if sent is not None and record_id not in sent.rows:
            desk_key = desk.by_uuid[record_id].get(spec.key)
            return RowRefused(key_header, human or desk_key, reach.not_sent(desk_key))
        if spec.key_unique and human and desk.by_key.get(human.casefold(), record_id) != record_id:
            return RowRefused(
                key_header,
                human,
                f"{key_header} {human} and the Record id name different records; "
                "restore the row as it was exported",
            )
        return ExistingRecord(record_id)
    if record_id in desk.retired:
        reason = (
            f"this record was retired in the desk on {desk.retired[record_id]}; "
            "restore it in the desk first, or delete the row"
        )
    elif sent is not None and record_id in sent.rows:
        reason = reach.now_above(sent.rows[record_id].key or human)
    elif sent is not None:
        reason = f"no record in {reach.described} has this id; {reach.rule}"
    else:
        reason = (reach.outside(human, record_id) if reach.outside else None) or (
            "no record of this desk has this id (deleted, or the row comes from another workbook)"
        )
    return RowRefused("Record id", human or record_id, reason)


def _by_key(context: SheetContext, human: str) -> Identification:
    spec, desk, reach = context.spec, context.desk, context.reach
    key_header = spec.column(spec.key).header
    sent = reach.sent
    folded = human.casefold()
    uuid = desk.by_key.get(folded)
    if uuid is not None:
        if sent is not None and uuid not in sent.rows:
            return RowRefused(key_header, human, reach.not_sent(human))
        return ExistingRecord(uuid)
    if context.creates and spec.key in {c.key for c in spec.editable}:
        return NewRecord()  # a new record that brings its own code (an agency)
    if sent is not None and folded in sent.by_key:
        reason = reach.now_above(human)
    elif folded in desk.retired:
        reason = f"this record was retired in the desk on {desk.retired[folded]}"
    elif sent is not None:
        reason = reach.not_sent(human)
    else:
        reason = (reach.outside(human, None) if reach.outside else None) or (
            f"no {spec_for(spec.kind).label.lower()} {human} in this desk"
        )
    return RowRefused(key_header, human, reason)


# -- one row -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Layout:
    """Where the sheet's columns are, under its matched header."""

    sheet: str
    columns: Mapping[str, int]  # column key -> 0-based index
    letters: Mapping[str, str]  # column key -> column letter
    editable: tuple[ColumnSpec, ...]  # the editable columns the sheet has
    locked: tuple[ColumnSpec, ...]  # the locked ones an export fingerprinted
    formulas: frozenset[str]

    @staticmethod
    def of(sheet: ReadSheet, spec: SheetSpec, header: HeaderMatch) -> _Layout:
        """The layout of ``sheet`` under ``header``."""
        columns = header.columns
        locked = tuple(
            c
            for c in spec.columns
            if not c.editable
            and c.key in columns
            and c.kind is not ColumnKind.ID
            and not (spec.key_unique and c.key == spec.key)  # the key identifies the row
        )
        return _Layout(
            sheet.name,
            columns,
            {key: letter(index) for key, index in columns.items()},
            tuple(c for c in spec.editable if c.key in columns),
            locked,
            sheet.formulas,
        )


@dataclass(frozen=True, slots=True)
class _RowCells:
    """One row of the sheet: its cells by column key, and their addresses."""

    layout: _Layout
    row: ReadRow

    def value(self, key: str) -> Any:
        """The value in column ``key`` (None when the sheet has no such column)."""
        index = self.layout.columns.get(key)
        values = self.row.values
        return values[index] if index is not None and index < len(values) else None

    def text(self, key: str) -> str | None:
        """The cell in column ``key`` read as text; None when blank or absent."""
        return cell_text(self.value(key)) if key in self.layout.columns else None

    def where(self, key: str) -> str:
        """The address of the cell in column ``key``: "Commitments!F12"."""
        return f"{self.layout.sheet}!{self.layout.letters[key]}{self.row.number}"

    @property
    def whole(self) -> str:
        """The address of the whole row: "Commitments!12:12"."""
        return f"{self.layout.sheet}!{self.row.number}:{self.row.number}"

    def has_formula(self, key: str) -> bool:
        """Whether the cell in column ``key`` holds a formula."""
        return f"{self.layout.letters[key]}{self.row.number}" in self.layout.formulas


def compare_sheet(
    collector: Collector,
    sheet: ReadSheet,
    context: SheetContext,
    header: HeaderMatch | None = None,
) -> None:
    """Compare every row of ``sheet`` with the desk; collect changes and refusals.

    ``header`` is given for a foreign table, whose mapping was chosen: the fields it
    leaves out are then not news. Without it the header is found by name."""
    spec = context.spec
    found = header or match_header(sheet, spec)
    if found is None:
        collector.refuse(
            sheet.name,
            "header",
            None,
            "no header row was found (the first rows name none of the expected columns)",
        )
        return
    if not check_header(collector, sheet, spec, found, report_missing=header is None):
        return
    layout = _Layout.of(sheet, spec, found)
    seen: dict[str, int] = {}
    for row in sheet.rows:
        if row.number <= found.row:
            continue
        collector.rows_read += 1
        _compare_row(collector, context, _RowCells(layout, row), seen)


def _compare_row(
    collector: Collector, context: SheetContext, cells: _RowCells, seen: dict[str, int]
) -> None:
    """One row: which record it is, then what each of its editable cells changes."""
    spec, layout, number = context.spec, cells.layout, cells.row.number
    record_id = cells.text(ID_COLUMN.key)
    human = cells.text(spec.key)
    if (
        not any(cells.value(c.key) is not None for c in layout.editable)
        and not record_id
        and not human
    ):
        return
    uuid: str | None = None
    match identify(context, record_id, human):
        case RowRefused(header, value, reason):
            collector.refuse(cells.whole, header, value, reason)
            return
        case ExistingRecord(uuid=uuid):
            if uuid in seen:
                collector.refuse(
                    cells.whole,
                    spec.column(spec.key).header,
                    human,
                    f"this record is also in row {seen[uuid]}; keep one row per record",
                )
                return
            seen[uuid] = number
    if cells.row.hidden:
        collector.notes.append(
            f"{layout.sheet} row {number} is hidden in the workbook; its changes are listed "
            "like the others."
        )
    desk_row: Row | None = None
    exported: Mapping[str, str] = {}
    if uuid is not None:
        _check_locked(collector, context, cells, uuid)
        desk_row = context.desk.by_uuid.get(uuid)
        exported = context.fingerprints.get(uuid, {})
    changes = [
        change
        for column in layout.editable
        if (change := _cell_change(collector, context, cells, column, desk_row, exported))
    ]
    if not changes:
        return
    if uuid is None or desk_row is None:
        key = f"new:{layout.sheet}:{number}"
        label = f"New {spec_for(spec.kind).label.lower()} (row {number})"
    else:
        key = uuid
        label = " ".join(
            str(desk_row.get(k) or "") for k in (spec.key, "title", "name") if desk_row.get(k)
        ).strip()
        _note_lowered(collector, context.vocabulary, key, label, desk_row, changes)
    collector.records.append(
        RecordChange(key, layout.sheet, number, spec.kind, label, tuple(changes), uuid is None)
    )


def _check_locked(collector: Collector, context: SheetContext, cells: _RowCells, uuid: str) -> None:
    """Refuse a locked cell whose value is not the one the export sent."""
    reach = context.reach
    sent_row = reach.sent.rows.get(uuid) if reach.sent is not None else None
    if sent_row is None:
        return
    for column in cells.layout.locked:
        was = sent_row.locked.get(column.key)
        raw = cells.value(column.key)
        if was is not None and fingerprint(_canonical_cell(column.kind, raw)) != was:
            collector.refuse(cells.where(column.key), column.header, raw, reach.locked_reason)


def _canonical_cell(kind: ColumnKind, raw: Any) -> str:
    """A read cell in the form its exported value was fingerprinted in."""
    if isinstance(raw, str):
        raw = cell_text(raw)
    return canonical(kind, raw)


def _cell_change(
    collector: Collector,
    context: SheetContext,
    cells: _RowCells,
    column: ColumnSpec,
    desk_row: Row | None,
    exported: Mapping[str, str],
) -> FieldChange | None:
    """What the cell of ``column`` changes, if anything; a cell that cannot be taken
    is refused into ``collector``."""
    raw = cells.value(column.key)
    if cells.has_formula(column.key):
        collector.refuse(
            cells.where(column.key),
            column.header,
            raw,
            "the cell holds a formula; nsdesk imports values only: type the value itself",
        )
        return None
    if (
        desk_row is not None
        and raw is not None
        and canonical(column.kind, raw) == canonical(column.kind, desk_row.get(column.key))
    ):
        return None  # as the desk shows it ("Status withheld" included): nothing to parse
    try:
        value, shown = parse_cell(
            column, context.spec.kind, raw, context.vocabulary, context.date1904
        )
    except CellRefusedError as refused:
        collector.refuse(cells.where(column.key), column.header, raw, refused.reason)
        return None
    return _diff(column, value, shown, desk_row, exported, context.blank_means_keep, cells)


def _diff(
    column: ColumnSpec,
    value: Any,
    shown: str,
    desk_row: Row | None,
    exported: Mapping[str, str],
    blank_means_keep: bool,
    cells: _RowCells,
) -> FieldChange | None:
    """The change a parsed cell makes to the desk's record; None when it makes none."""

    def change(old: str, conflict: bool = False) -> FieldChange:
        # addressed only once a change is known: most cells are unchanged
        where = cells.where(column.key)
        field_name = column.field or column.key
        return FieldChange(
            column.key, field_name, column.header, where, old, shown, value, conflict
        )

    new_canon = canonical(column.kind, shown)
    if desk_row is None:  # a new record: every filled cell is a value
        return None if value is None else change("")
    old_value = desk_row.get(column.key)
    old_canon = canonical(column.kind, old_value)
    if value is None and (
        blank_means_keep or column.field in (STATUS, NARRATIVE, EVIDENCE, REVISED_TARGET)
    ):
        return None
    if column.field in (NARRATIVE, EVIDENCE):
        if new_canon == canonical(column.kind, desk_row.get(f"_{column.field}")):
            return None  # already the latest progress entry's text (imported before)
        return change("")
    if new_canon == old_canon:
        return None
    if column.field == REVISED_TARGET:
        old_target = desk_row.get("target")
        if new_canon == canonical(column.kind, old_target):
            return None  # already the target in force
        return change("" if old_target is None else str(old_target))
    sent = exported.get(column.key)
    if sent is not None and fingerprint(new_canon) == sent:
        return None  # the workbook did not change it; the desk did, and keeps its value
    conflict = sent is not None and fingerprint(old_canon) != sent
    return change("" if old_value is None else str(old_value), conflict)


def _note_lowered(
    collector: Collector,
    vocabulary: Vocabulary,
    key: str,
    label: str,
    desk_row: Row,
    changes: list[FieldChange],
) -> None:
    """Remember a change that sets a record's marking lower than the desk holds it."""
    marking = vocabulary.marking
    for change in changes:
        if change.field != "sensitivity" or change.value is None:
            continue
        old = desk_row.get("sensitivity")
        if old in marking.codes and marking.rank(change.value) < marking.rank(old):
            collector.lowered.append(LoweredMarking(key, label, change.cell, old, change.value))


__all__ = [
    "ExistingRecord",
    "Identification",
    "NewRecord",
    "RowRefused",
    "compare_sheet",
    "identify",
]
