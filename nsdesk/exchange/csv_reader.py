"""A CSV file in, one sheet of text cells out, each cell with its address.

Depositaries' status lists (the IAEA's, the UN Treaty Collection's) are often
saved as CSV rather than a workbook. A CSV from outside gets the same care as a
workbook (:mod:`nsdesk.exchange.safety`):

* the file is checked first: there, an ordinary file, not empty, not too large;
  a workbook, PDF or other binary renamed ``.csv`` is refused by its leading bytes;
* the encoding is detected, never guessed silently: a byte-order mark (UTF-8,
  UTF-16), else UTF-8, else Windows-1252 (what Excel writes on European Windows
  when asked for "CSV"), said in the returned ``encoding``;
* the delimiter is found among comma, semicolon and tab (Excel uses the semicolon
  where the comma is the decimal sign);
* rows, columns and cells are bounded as for a workbook, and a row that runs past
  the bounds is refused naming the line;
* every cell stays text: nothing is evaluated, so ``=HYPERLINK(…)`` or ``+cmd`` is a
  string like any other (no formula is ever interpreted), and no number or date is
  guessed here — the importer reads each cell by the field it fills.

The standard library's ``csv`` module does the parsing; no third-party parser.
"""

from __future__ import annotations

import codecs
import csv
import io
import stat
from dataclasses import dataclass
from pathlib import Path

from nsdesk.domain.errors import WorkbookRefusedError
from nsdesk.exchange.cells import CELL_LIMIT
from nsdesk.exchange.model import ReadRow, ReadSheet, ReadWorkbook

__all__ = ["DEFAULT_CSV_LIMITS", "CsvLimits", "ReadCsv", "is_csv", "read_csv"]

_SNIFF_BYTES = 64 * 1024
_DELIMITERS = (",", ";", "\t")
_BINARY_MAGIC = {
    b"PK\x03\x04": "a workbook (.xlsx) or another zip file renamed .csv: import it as a "
    "workbook (.xlsx) instead",
    bytes.fromhex("D0CF11E0A1B11AE1"): "a legacy Excel workbook (.xls) renamed .csv: open it "
    "in Excel or LibreOffice and save it as CSV or as .xlsx",
    b"%PDF": "a PDF document, not a table: save the depositary's list as CSV or .xlsx",
}


@dataclass(frozen=True, slots=True)
class CsvLimits:
    """Hard bounds on what one CSV file may hold."""

    max_file_bytes: int = 20 * 1024 * 1024
    max_rows: int = 200_000
    max_columns: int = 200


DEFAULT_CSV_LIMITS = CsvLimits()


@dataclass(frozen=True, slots=True)
class ReadCsv:
    """A CSV read as a one-sheet workbook, with how it was read."""

    workbook: ReadWorkbook
    encoding: str  # utf-8, utf-16, windows-1252
    delimiter: str


def is_csv(path: Path) -> bool:
    """Whether ``path`` is named as a CSV (or tab-separated) file."""
    return Path(path).suffix.lower() in (".csv", ".tsv", ".txt")


def _check_file(path: Path, limits: CsvLimits) -> None:
    try:
        status = path.stat()
    except FileNotFoundError:
        raise WorkbookRefusedError(
            path, "the file does not exist (it may have been moved, renamed or deleted)"
        ) from None
    except OSError as error:
        raise WorkbookRefusedError(path, f"the file cannot be read ({error.strerror})") from None
    if not stat.S_ISREG(status.st_mode):
        raise WorkbookRefusedError(path, "this is not an ordinary file: choose a CSV file")
    if status.st_size == 0:
        raise WorkbookRefusedError(path, "the file is empty (0 bytes): ask for it again")
    if status.st_size > limits.max_file_bytes:
        raise WorkbookRefusedError(
            path,
            f"the file is {status.st_size / 1048576:.1f} MB, more than the "
            f"{limits.max_file_bytes // 1048576} MB a CSV to import may be",
        )


def _decode(path: Path, raw: bytes) -> tuple[str, str]:
    """The text of ``raw`` and the encoding it was read in."""
    for magic, problem in _BINARY_MAGIC.items():
        if raw.startswith(magic):
            raise WorkbookRefusedError(path, f"this is {problem}")
    if raw.startswith(codecs.BOM_UTF8):
        return raw[len(codecs.BOM_UTF8) :].decode("utf-8", errors="strict"), "utf-8"
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return raw.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            raise WorkbookRefusedError(
                path, "the file says it is UTF-16 text but is not: save it again as CSV (UTF-8)"
            ) from None
    if b"\x00" in raw:
        raise WorkbookRefusedError(
            path,
            "this is not a text file (it holds binary bytes): save the table as CSV (UTF-8) "
            "or as an Excel workbook (.xlsx)",
        )
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp1252"), "windows-1252"
    except UnicodeDecodeError:
        raise WorkbookRefusedError(
            path,
            "the file's text is in an encoding nsdesk cannot tell (neither UTF-8 nor "
            "Windows-1252): save it again as CSV UTF-8",
        ) from None


def _delimiter(text: str) -> str:
    """The delimiter: the sniffer's choice among comma, semicolon and tab, else the one
    the first line holds most of (a one-column file: the comma)."""
    sample = text[:_SNIFF_BYTES]
    try:
        return csv.Sniffer().sniff(sample, delimiters="".join(_DELIMITERS)).delimiter
    except csv.Error:
        first = sample.splitlines()[0] if sample.splitlines() else ""
        counts = {d: first.count(d) for d in _DELIMITERS}
        best = max(counts, key=lambda d: counts[d])
        return best if counts[best] else ","


def read_csv(path: Path, limits: CsvLimits = DEFAULT_CSV_LIMITS) -> ReadCsv:
    """The CSV at ``path`` as a one-sheet workbook of text cells (rows holding data,
    numbered as lines of the table); :class:`WorkbookRefusedError` names the line when
    the file breaks a bound or cannot be read as a table."""
    path = Path(path)
    _check_file(path, limits)
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise WorkbookRefusedError(path, f"the file cannot be read ({error.strerror})") from None
    text, encoding = _decode(path, raw)
    delimiter = _delimiter(text)
    sheet_name = path.stem[:31] or "CSV"
    rows: list[ReadRow] = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=False)
    number = 0
    try:
        for number, record in enumerate(reader, start=1):
            if number > limits.max_rows:
                raise WorkbookRefusedError(
                    path,
                    f"the table has more than {limits.max_rows:,} rows, more than nsdesk "
                    "imports at once",
                    f"line {number}",
                )
            if len(record) > limits.max_columns:
                raise WorkbookRefusedError(
                    path,
                    f"the row has {len(record)} columns (at most {limits.max_columns})",
                    f"{sheet_name} line {number}",
                )
            for cell in record:
                if len(cell) > CELL_LIMIT:
                    raise WorkbookRefusedError(
                        path,
                        f"a cell holds {len(cell):,} characters, more than a cell holds "
                        f"({CELL_LIMIT:,})",
                        f"{sheet_name} line {number}",
                    )
            values = tuple(cell.strip() or None for cell in record)
            if any(value is not None for value in values):
                rows.append(ReadRow(number, values))
    except csv.Error as error:
        raise WorkbookRefusedError(
            path, f"the file cannot be read as a table ({error})", f"line {number + 1}"
        ) from None
    sheet = ReadSheet(name=sheet_name, visible=True, rows=tuple(rows))
    return ReadCsv(ReadWorkbook((sheet,)), encoding, delimiter)
