"""Helpers the exchange tests share: export a workbook from a desk, edit it as a
ministry would (openpyxl, normal mode), and compare a desk's content."""

from __future__ import annotations

import hashlib
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


def content_digest(target: Any) -> str:
    """A digest of every row of every table of a desk (an open ``Desk``, or where one
    lives): equal digests, equal content, on either kind of desk (a file's bytes may
    differ by SQLite's own bookkeeping)."""
    from sqlalchemy import select

    from nsdesk.services.desk import open_desk
    from nsdesk.store.tables import metadata

    desk = target if hasattr(target, "engine") else open_desk(target, read_only=True)
    try:
        digest = hashlib.sha256()
        with desk.engine.connect() as connection:
            for table in metadata.sorted_tables:
                order = list(table.primary_key.columns)
                for row in connection.execute(select(table).order_by(*order)):
                    digest.update(repr(tuple(row)).encode("utf-8"))
        return digest.hexdigest()
    finally:
        if desk is not target:
            desk.close()
