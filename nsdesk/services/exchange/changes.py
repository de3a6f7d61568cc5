"""What an import would change, as the preview shows it before anything changes:
record by record, field by field, old → new; the cells refused and why; the
markings a workbook would lower. Plain frozen dataclasses, filled by the
comparison (:mod:`nsdesk.services.exchange.compare`) through a :class:`Collector`
and applied by :mod:`nsdesk.services.exchange.apply`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from nsdesk.domain.dates import PartialDate
from nsdesk.domain.errors import ValidationError


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
        """The changes the desk also made since the export: the user settles them."""
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
class ParticipationTarget:
    """What a depositary's list is: the instrument it lists parties to, the date it
    was current, and where it came from (a title, and a web address if any). Its
    import records all three (:mod:`nsdesk.services.exchange.depositary`)."""

    instrument: str
    as_of: PartialDate
    source: str
    url: str | None = None

    @staticmethod
    def of(instrument: str, as_of: str, source: str, url: str | None = None) -> ParticipationTarget:
        """A target from what a user typed; ``ValidationError`` names the field at fault."""
        if not instrument.strip():
            raise ValidationError("Instrument", "the key of an instrument, such as icsant")
        try:
            day = PartialDate.parse(as_of.strip())
        except ValueError:
            raise ValidationError("As of", "a date like 2025-05-16 (or 2025-05)", as_of) from None
        if not source.strip():
            raise ValidationError("Source", "where the list comes from (its title)")
        return ParticipationTarget(
            instrument.strip(), day, " ".join(source.split()), (url or "").strip() or None
        )


@dataclass(frozen=True, slots=True)
class ImportPreview:
    """What an import would do, shown before it does anything."""

    path: Path
    sha256: str
    kind: str  # return, register or foreign (nsdesk.services.exchange.sheets)
    agency: str | None
    export_id: str | None
    records: tuple[RecordChange, ...]
    refused: tuple[RefusedCell, ...]
    notes: tuple[str, ...]  # said, but not blocking: hidden rows, extra columns…
    desk_mark: int  # the desk's revision when previewed (apply checks it)
    rows_read: int = 0
    mapping_source: str | None = None  # a foreign table's remembered-mapping key
    mapping: tuple[tuple[str, str], ...] = ()  # a foreign table's header -> field key
    ceiling: str | None = None  # no record marked above this level can change
    recorded: bool = False  # scoped by the desk's record of the export it answers
    lowered: tuple[LoweredMarking, ...] = ()  # markings lowered: need a confirmation
    #: A depositary's list: its instrument, as-of date and source (else None).
    target: ParticipationTarget | None = None

    @property
    def conflicts(self) -> int:
        """How many fields both the workbook and the desk changed since the export."""
        return sum(len(r.conflicts) for r in self.records)

    @property
    def field_changes(self) -> int:
        """How many fields the import would set, conflicts included."""
        return sum(len(r.changes) for r in self.records)

    @property
    def can_apply(self) -> bool:
        """Whether there is something to apply and no refused cell blocks it."""
        return not self.refused and bool(self.records)


@dataclass(slots=True)
class Collector:
    """What the comparison of one workbook has found so far: the records it would
    change, the cells it refuses, what it only says, and the lowered markings."""

    path: Path
    records: list[RecordChange] = field(default_factory=list)
    refused: list[RefusedCell] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    lowered: list[LoweredMarking] = field(default_factory=list)
    rows_read: int = 0

    def refuse(self, where: str, header: str, value: Any, reason: str) -> None:
        """Refuse the cell (or row, sheet, file) at ``where``. The value is kept whole
        (a cell holds at most 32,767 characters): each output shortens it and says its
        length, which a value cut here could not."""
        shown = "" if value is None else str(value)
        self.refused.append(RefusedCell(where, header, shown, reason))

    def preview(
        self,
        *,
        sha256: str,
        kind: str,
        agency: str | None,
        export_id: str | None,
        desk_mark: int,
        ceiling: str | None,
        recorded: bool = False,
        mapping_source: str | None = None,
        mapping: tuple[tuple[str, str], ...] = (),
        target: ParticipationTarget | None = None,
    ) -> ImportPreview:
        """The preview of what was collected, for a workbook of ``kind``."""
        return ImportPreview(
            path=self.path,
            sha256=sha256,
            kind=kind,
            agency=agency,
            export_id=export_id,
            records=tuple(self.records),
            refused=tuple(self.refused),
            notes=tuple(self.notes),
            desk_mark=desk_mark,
            rows_read=self.rows_read,
            mapping_source=mapping_source,
            mapping=mapping,
            ceiling=ceiling,
            recorded=recorded,
            lowered=tuple(self.lowered),
            target=target,
        )


__all__ = [
    "Collector",
    "FieldChange",
    "ImportPreview",
    "LoweredMarking",
    "ParticipationTarget",
    "RecordChange",
    "RefusedCell",
]
