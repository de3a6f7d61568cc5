"""What a register looks like as a workbook sheet: its columns (header, kind, the
field each edits, the words that name it), which of them a reader may edit, and
the forms values are compared in.

One definition serves both directions: the export writes these columns, and the
import recognises them again by header (renamed and reordered columns included)
and applies the editable ones. The declared sheets are in
:mod:`nsdesk.services.exchange.sheets`, their loaders in
:mod:`nsdesk.services.exchange.sheet_loaders`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from typing import Any

from nsdesk.domain.dates import PartialDate
from nsdesk.domain.enums import LabelledEnum
from nsdesk.domain.text import strip_hidden
from nsdesk.exchange.model import ColumnKind
from nsdesk.services.audience.ceiling import Audience
from nsdesk.services.audience.view import AudienceView
from nsdesk.services.desk import DeskInfo

# Virtual fields: columns that do not edit one stored field but add a record.
STATUS, NARRATIVE, EVIDENCE, REVISED_TARGET = "status", "narrative", "evidence", "revised_target"
PROGRESS_FIELDS = (STATUS, NARRATIVE, EVIDENCE)


@dataclass(frozen=True, slots=True)
class ColumnSpec:
    """One column: its header, kind, the field it edits and the words that name it."""

    key: str
    header: str
    kind: ColumnKind = ColumnKind.TEXT
    field: str | None = None  # the record field (or virtual field) it edits
    editable: bool = False
    choices: str | None = None  # which drop-down list: status, priority, role, agency…
    synonyms: tuple[str, ...] = ()
    note: str = ""
    width: float | None = None  # characters; None: the style's width for the kind


ID_COLUMN = ColumnSpec("record_id", "Record id", ColumnKind.ID, synonyms=("uuid", "nsdesk id"))


@dataclass(slots=True)
class ExportScope:
    """What a sheet loader reads through: the desk as the audience may see it, and
    for a return the agency whose items it carries. Loaders get no connection."""

    view: AudienceView
    agency_id: int | None = None  # a return: only this agency's items

    @property
    def info(self) -> DeskInfo:
        """The desk's identity and marking scheme."""
        return self.view.info

    @property
    def audience(self) -> Audience:
        """Who the sheet is for: the ceiling nothing above which is read."""
        return self.view.audience

    def agency(self, agency_id: int | None) -> str | None:
        """The code a row may print for the agency it names (``(withheld)`` above
        the ceiling)."""
        return self.view.name("agency", agency_id, "code")

    @property
    def agencies(self) -> dict[int, str]:
        """The live agencies within the ceiling: id -> code (not counted: what an
        import accepts, not what an export prints)."""
        return {
            row.id: row.code for row in self.view.for_checking("agency") if row.retired_at is None
        }


Row = dict[str, Any]
Loader = Callable[[ExportScope], list[Row]]


@dataclass(frozen=True, slots=True)
class SheetSpec:
    """A register as a sheet: its columns, the record kind its rows are, and its loader."""

    name: str
    title: str
    kind: str
    key: str  # the column holding the human id (ref, code)
    columns: tuple[ColumnSpec, ...]
    load: Loader
    creates: bool = False  # a register workbook may add records here (rows without id)
    key_unique: bool = True  # whether the human key alone names one record

    def column(self, key: str) -> ColumnSpec:
        """The column whose key is ``key``; ``KeyError`` when the sheet has none."""
        for column in self.columns:
            if column.key == key:
                return column
        raise KeyError(key)

    @property
    def editable(self) -> tuple[ColumnSpec, ...]:
        """The columns a reader may edit, in sheet order."""
        return tuple(c for c in self.columns if c.editable)


# -- values as the sheet shows them ------------------------------------------------------


@cache
def _labels(enum_class: type[LabelledEnum]) -> dict[str, str]:
    return {member.value: member.label for member in enum_class}


def label(enum_class: type[LabelledEnum], value: str | None) -> str | None:
    """The label of a stored value (the value itself when it is not a member)."""
    if value is None:
        return None
    return _labels(enum_class).get(value, value)


def canonical(kind: ColumnKind, value: Any) -> str:
    """The form two values of a column are compared in: a cell read back from Excel
    or LibreOffice and the desk's value agree here when the user changed nothing."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.date() if value.time() == datetime.min.time() else value
    if isinstance(value, PartialDate | date):
        return str(PartialDate.of(value)) if isinstance(value, date) else str(value)
    if isinstance(value, float) and value == int(value):
        value = int(value)
    if isinstance(value, LabelledEnum):
        value = value.label
    if isinstance(value, list | tuple):
        return "; ".join(canonical(kind, v) for v in value)
    # The workbook's cell lost the hidden characters the desk's value had (one rule
    # for all outputs, nsdesk.domain.text): an untouched cell is not a change.
    text = strip_hidden(str(value)).replace("\r\n", "\n").replace("\r", "\n").strip()
    if kind is ColumnKind.LONG_TEXT:
        return text
    text = " ".join(text.split())
    return text.casefold() if kind is ColumnKind.CHOICE else text


def fingerprint(value: str) -> str:
    """A short hash of a field's canonical form (never the value itself): what the
    desk records of an exported value, to tell later who changed it."""
    return hashlib.sha256(value.encode("utf-8")).hexdigest()[:16]
