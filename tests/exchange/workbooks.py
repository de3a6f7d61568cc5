"""Helpers the exchange tests share: export a workbook from a desk, edit it as a
ministry would (openpyxl, normal mode), and compare a desk's content."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path
from typing import Any

import openpyxl

from nsdesk.exchange.model import HEADER_ROW


def column_of(ws: Any, header: str, header_row: int = HEADER_ROW) -> int:
    """The 1-based column whose header is ``header``."""
    for cell in ws[header_row]:
        if cell.value == header:
            return cell.column
    raise KeyError(f"no column {header!r} in {ws.title}")


def row_of(ws: Any, key: str, key_header: str = "Ref", header_row: int = HEADER_ROW) -> int:
    column = column_of(ws, key_header, header_row)
    for row in ws.iter_rows(min_row=header_row + 1, min_col=column, max_col=column):
        if row[0].value == key:
            return row[0].row
    raise KeyError(f"no row {key!r} in {ws.title}")


def edit(path: Path, out: Path, edits: dict[tuple[str, str, str], Any]) -> Path:
    """Save ``path`` as ``out`` with ``{(sheet, key, header): value}`` set, the way a
    ministry's desk officer would change cells."""
    wb = openpyxl.load_workbook(path)
    for (sheet, key, header), value in edits.items():
        ws = wb[sheet]
        key_header = "Code" if sheet == "Agencies" else "Ref"
        ws.cell(row=row_of(ws, key, key_header), column=column_of(ws, header)).value = value
    wb.save(out)
    return out


def content_digest(desk_path: Path) -> str:
    """A digest of every row of every table: equal digests, equal content (the file's
    bytes may differ by SQLite's own bookkeeping)."""
    connection = sqlite3.connect(f"file:{desk_path}?mode=ro", uri=True)
    try:
        digest = hashlib.sha256()
        for line in connection.iterdump():
            digest.update(line.encode("utf-8"))
        return digest.hexdigest()
    finally:
        connection.close()
