"""A workbook coming back, read only after the safety checks, and what its hidden
``nsdesk`` sheet claims.

The checks (:mod:`nsdesk.exchange.safety`) refuse a file that is not a sound
workbook — not an .xlsx at all, too large, expanding beyond sane bounds, parts that
lie about their size, or read while the XML protection is not in force — before
any parser sees it. The hidden sheet's claims (which desk, which export) are
only claims: the preview looks the export up in the desk's own record.
"""

from __future__ import annotations

from pathlib import Path

from nsdesk.domain.errors import WorkbookRefusedError
from nsdesk.exchange.csv_reader import is_csv, read_csv
from nsdesk.exchange.model import META_SHEET, ReadWorkbook
from nsdesk.exchange.safety import check_workbook_file, defusedxml_in_force
from nsdesk.exchange.workbook_reader import read_workbook


def read_checked(path: Path) -> ReadWorkbook:
    """The workbook at ``path``, after the safety checks; ``WorkbookRefusedError`` otherwise."""
    if not defusedxml_in_force():
        raise WorkbookRefusedError(
            path,
            "nsdesk will not read workbooks while its XML protection (defusedxml) is not in "
            "force: defusedxml is missing or OPENPYXL_DEFUSEDXML is set to False. Reinstall "
            "nsdesk, or unset that variable, and import again",
        )
    check_workbook_file(Path(path))
    return read_workbook(Path(path))


def read_table(path: Path) -> ReadWorkbook:
    """A table from outside: a CSV file (by its name: .csv, .tsv, .txt) read by the
    bounded text reader, anything else as a workbook after the safety checks."""
    if is_csv(Path(path)):
        return read_csv(Path(path)).workbook
    return read_checked(path)


def workbook_claims(workbook: ReadWorkbook) -> dict[str, str]:
    """What the workbook's hidden ``nsdesk`` sheet says (name -> value); empty when it
    has none (a table nsdesk did not write)."""
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


__all__ = ["read_checked", "read_table", "workbook_claims"]
