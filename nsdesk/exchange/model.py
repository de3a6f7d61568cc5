"""What the workbook writer receives and what the workbook reader returns.

Plain frozen dataclasses, so the services can build and read them without
openpyxl, and the exchange package never sees a desk: a plan of sheets goes in
and a file comes out; a file goes in and sheets of cell values, each with its
address, come out.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

HEADER_ROW = 2
"""Row of the column headers in the sheets nsdesk writes (row 1 is the marking banner)."""
FIRST_DATA_ROW = HEADER_ROW + 1

META_SHEET = "nsdesk"
"""The hidden sheet that says which desk and export a workbook came from (a claim:
the import looks the export up in the desk's own record)."""
LISTS_SHEET = "Lists"
"""The hidden sheet holding the drop-down lists."""
FORMAT_VERSION = "1"


class ColumnKind(StrEnum):
    """How a column's cells are written and read."""

    TEXT = "text"
    LONG_TEXT = "long_text"
    DATE = "date"  # a date cell when the value is a whole date; text for "2027" or "2027-03"
    CHOICE = "choice"  # a drop-down list
    NUMBER = "number"
    ID = "id"  # a record id: narrow, grey, never edited


@dataclass(frozen=True, slots=True)
class ColumnPlan:
    """One column of a sheet: its header, kind, and whether the reader may edit it."""

    key: str
    header: str
    kind: ColumnKind = ColumnKind.TEXT
    editable: bool = False
    choices: tuple[str, ...] = ()
    width: float | None = None
    note: str = ""  # shown when the cell is selected (an input message)


@dataclass(frozen=True, slots=True)
class SheetPlan:
    """One register as a sheet: a banner, the header row, then one row per record."""

    name: str
    title: str
    columns: tuple[ColumnPlan, ...]
    rows: Sequence[Sequence[Any]]
    protected: bool = False  # only the editable columns unlocked


@dataclass(frozen=True, slots=True)
class RowFingerprint:
    """What one exported record looked like: a hash per editable column, so an
    import can tell, field by field, who changed what since the export. Recorded
    in the desk with the export, never written into the workbook."""

    sheet: str
    record_id: str
    key: str
    fields: Mapping[str, str]


@dataclass(frozen=True, slots=True)
class WorkbookPlan:
    """A whole workbook: instructions, the registers, and what identifies the export."""

    marking: str  # the label printed in every header, footer and banner
    instructions_title: str
    instructions: tuple[str, ...]  # paragraphs, plain language
    sheets: tuple[SheetPlan, ...]
    metadata: Mapping[str, str]
    fingerprints: Sequence[RowFingerprint] = ()  # for the desk's record, not the file
    title: str = ""
    author: str = ""
    #: Records above the ceiling left out: said in every banner and the instructions.
    withheld: int = 0
    #: The label of the audience ceiling, for the words about what was withheld.
    ceiling: str = ""

    @property
    def withheld_note(self) -> str:
        """ "n records marked above X withheld", or "" when nothing was."""
        if not self.withheld:
            return ""
        noun = "record" if self.withheld == 1 else "records"
        return f"{self.withheld} {noun} marked above {self.ceiling} withheld"


@dataclass(frozen=True, slots=True)
class WriteResult:
    """What the writer did that the user should know."""

    rows: int
    replaced_characters: int  # control characters a workbook cannot hold, replaced by U+FFFD


# -- what the reader returns ----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ReadRow:
    """One row of values as read, with its row number in the sheet."""

    number: int
    values: tuple[Any, ...]  # str, float, int, bool, date, datetime or None
    hidden: bool = False


@dataclass(frozen=True, slots=True)
class ReadSheet:
    """A sheet as read: visible or not, its rows (only those holding data), the
    cells that hold formulas and the merged ranges."""

    name: str
    visible: bool
    rows: tuple[ReadRow, ...]
    formulas: frozenset[str] = frozenset()  # cell references holding a formula
    merged: tuple[str, ...] = ()  # "A1:C1"
    #: Rows whose XML the reader parsed: the data's and up to a run of empty rows
    #: below it, not the million formatted rows a sheet may carry (the work done).
    rows_parsed: int = 0


@dataclass(frozen=True, slots=True)
class ReadWorkbook:
    """Every sheet of a workbook, in order, and the date system it declared."""

    sheets: tuple[ReadSheet, ...]
    date1904: bool = False

    def sheet(self, name: str) -> ReadSheet | None:
        wanted = name.casefold()
        for sheet in self.sheets:
            if sheet.name.casefold() == wanted:
                return sheet
        return None
