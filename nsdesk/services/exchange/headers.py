"""Finding a sheet's header row and saying which column holds which field.

A workbook comes back with rows inserted above the header, columns renamed
(within their synonyms), reordered, repeated or merged. The header is found among
the first rows, each header is matched by name or synonym to a column of the
sheet's spec, and what cannot be read safely (merged header cells, a repeated
column, no way to tell which record a row is) is refused, naming the cell.
Both the workbooks nsdesk wrote and the tables it did not
(:mod:`nsdesk.services.exchange.foreign_tables`) are read through here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from nsdesk.exchange.model import ReadSheet
from nsdesk.exchange.workbook_reader import column_letter
from nsdesk.services.exchange.changes import Collector
from nsdesk.services.exchange.sheet_specs import ID_COLUMN, SheetSpec

#: How many rows from the top the header may have been pushed down to.
HEADER_SEARCH_ROWS = 12


def fold_header(text: Any) -> str:
    """A header as compared: case, spaces, line breaks and a trailing ``*`` ignored."""
    return " ".join(str(text or "").replace("*", " ").split()).casefold()


def letter(index: int) -> str:
    """The column letter of a 0-based column index: ``0`` → ``A``."""
    return column_letter(index + 1)


@dataclass(slots=True)
class HeaderMatch:
    """Which column of the sheet holds which field, and what is odd about it."""

    row: int
    columns: dict[str, int] = field(default_factory=dict)  # column key -> 0-based index
    unknown: list[tuple[int, str]] = field(default_factory=list)
    duplicates: list[tuple[int, str]] = field(default_factory=list)


def match_header(
    sheet: ReadSheet, spec: SheetSpec, header_row: int | None = None
) -> HeaderMatch | None:
    """Find the header row among the first rows (rows may have been inserted above it)
    and map each header, by name or synonym, to a column of ``spec``; None when no
    row names at least two of its columns."""
    names: dict[str, str] = {}
    for column in spec.columns:
        names.setdefault(fold_header(column.header), column.key)
    for column in spec.columns:
        for synonym in column.synonyms:
            names.setdefault(fold_header(synonym), column.key)
    best: HeaderMatch | None = None
    for row in sheet.rows[:HEADER_SEARCH_ROWS]:
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


def check_header(
    collector: Collector,
    sheet: ReadSheet,
    spec: SheetSpec,
    header: HeaderMatch,
    *,
    report_missing: bool = True,
) -> bool:
    """Whether the sheet's rows can be read under ``header``: merged header cells, a
    repeated column, or no column that names the record are refused (into
    ``collector``); unknown columns, and with ``report_missing`` the editable columns
    left out, are noted."""
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
            f"{sheet.name}!{letter(index)}{header.row}",
            text,
            text,
            "this column repeats a column already in the sheet; delete one of them",
        )
        ok = False
    for index, text in header.unknown:
        collector.notes.append(
            f"{sheet.name}!{letter(index)}{header.row}: the column {text!r} is not one nsdesk "
            "knows; it is ignored."
        )
    if ID_COLUMN.key not in header.columns and spec.key not in header.columns:
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


__all__ = [
    "HEADER_SEARCH_ROWS",
    "HeaderMatch",
    "check_header",
    "fold_header",
    "letter",
    "match_header",
]
