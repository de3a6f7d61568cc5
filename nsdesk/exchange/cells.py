"""Cell values in and out, by the rules QUALITY.md learned from real files.

Out: user text stays text. openpyxl reads a string beginning with ``=`` as a
formula and one equal to ``#N/A`` as an error, so such cells are typed as strings
explicitly; bidi controls and hidden characters are removed by the rule the briefing
pack follows too (:func:`nsdesk.domain.text.strip_hidden`), so a cell never shows
its text reordered or carries a word nobody sees; characters a workbook cannot hold
are replaced (not fatal); text longer than a cell holds is refused, never cut.

In: dates arrive as real dates, as serial numbers (1900 and 1904 systems) and as
text in several forms; the unambiguous ones are accepted and the rest refused by
cell.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

from nsdesk.domain.dates import PartialDate
from nsdesk.domain.text import strip_hidden

CELL_LIMIT = 32_767
"""The most characters one cell holds (Excel's limit)."""

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
ERROR_LITERALS = frozenset(
    {"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA"}
)
_FORBIDDEN = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
REPLACEMENT = "\ufffd"


class CellTooLongError(ValueError):
    """A text is longer than one cell holds; the export must not cut it."""

    def __init__(self, length: int):
        self.length = length
        super().__init__(f"{length:,} characters, more than a cell holds ({CELL_LIMIT:,})")


def longer_than_a_cell(text: str) -> bool:
    """Whether ``text`` is longer than one cell holds, counted as Excel counts (in
    UTF-16 units: a character beyond the Basic Multilingual Plane counts twice)."""
    if len(text) <= CELL_LIMIT // 2:
        return False
    return len(text) > CELL_LIMIT or len(text.encode("utf-16-le")) // 2 > CELL_LIMIT


def clean_text(text: str) -> tuple[str, int]:
    """``text`` without the characters that reorder or hide it, with the characters a
    workbook cannot hold replaced, and how many were replaced."""
    cleaned, count = _FORBIDDEN.subn(REPLACEMENT, strip_hidden(text))
    if longer_than_a_cell(cleaned):
        raise CellTooLongError(len(cleaned))
    return cleaned, count


def needs_string_type(text: str) -> bool:
    """Whether a spreadsheet would read ``text`` as a formula or an error unless the
    cell is typed as a string."""
    return text.startswith(FORMULA_STARTS) or text.strip().upper() in ERROR_LITERALS


# -- dates in ---------------------------------------------------------------------------

_EPOCH_1900 = date(1899, 12, 30)  # serial 1 = 1900-01-01, counting Excel's phantom 1900-02-29
_EPOCH_1904 = date(1904, 1, 1)
_SERIAL_RANGE = (1, 2_958_465)  # 1900-01-01 .. 9999-12-31
_ISO = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
_DMY_DOTTED = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")
_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january", "janvier", "januar", "enero"),
            ("feb", "february", "février", "fevrier", "februar", "febrero"),
            ("mar", "march", "mars", "märz", "marzo"),
            ("apr", "april", "avril", "abril"),
            ("may", "mai", "mayo"),
            ("jun", "june", "juin", "juni", "junio"),
            ("jul", "july", "juillet", "juli", "julio"),
            ("aug", "august", "août", "aout", "agosto"),
            ("sep", "sept", "september", "septembre", "septiembre"),
            ("oct", "october", "octobre", "oktober", "octubre"),
            ("nov", "november", "novembre", "noviembre"),
            ("dec", "december", "décembre", "decembre", "dezember", "diciembre"),
        ),
        start=1,
    )
    for name in names
}
_WORDY = re.compile(
    r"^(\d{1,2})\.?\s+([^\W\d_]+)\.?\s+(\d{4})$"  # 31 March 2027
    r"|^([^\W\d_]+)\.?\s+(\d{1,2}),?\s+(\d{4})$"  # March 31, 2027
)


class DateCellError(ValueError):
    """A cell meant as a date cannot be read as one without guessing."""


def date_from_serial(serial: float, date1904: bool = False) -> date:
    """The day an Excel serial number stands for, in the workbook's date system."""
    if serial != int(serial):
        serial = int(serial)  # a time of day on a date column: the day counts
    serial = int(serial)
    if not _SERIAL_RANGE[0] <= serial <= _SERIAL_RANGE[1]:
        raise DateCellError(f"{serial} is not a day a spreadsheet can mean")
    if date1904:
        return _EPOCH_1904 + timedelta(days=serial)
    if serial < 61:  # before Excel's phantom 29 February 1900
        return _EPOCH_1900 + timedelta(days=serial + 1)
    return _EPOCH_1900 + timedelta(days=serial)


def partial_date_from_cell(value: object, date1904: bool = False) -> PartialDate | None:
    """A date (or a month, or a year) from a cell; ``DateCellError`` when the cell
    cannot be read without guessing (``03/04/2027`` is March or April)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime):
        return PartialDate.of(value.date())
    if isinstance(value, date):
        return PartialDate.of(value)
    if isinstance(value, bool):
        raise DateCellError("a yes/no value is not a date")
    if isinstance(value, int | float):
        if 1000 <= value <= 9999 and value == int(value):
            return PartialDate.parse(str(int(value)))  # a year typed as a number
        return PartialDate.of(date_from_serial(value, date1904))
    text = " ".join(str(value).split())
    if _ISO.match(text):
        try:
            return PartialDate.parse(text)
        except ValueError as error:
            raise DateCellError(str(error)) from None
    if text.replace(".", "", 1).isdigit():
        return partial_date_from_cell(float(text), date1904)
    dotted = _DMY_DOTTED.match(text)  # 31.03.2027: day first wherever dots are used
    if dotted:
        return _exact(int(dotted[3]), int(dotted[2]), int(dotted[1]))
    wordy = _WORDY.match(text)
    if wordy:
        if wordy[1]:
            day, month_name, year = wordy[1], wordy[2], wordy[3]
        else:
            month_name, day, year = wordy[4], wordy[5], wordy[6]
        month = _MONTHS.get(month_name.casefold())
        if month is None:
            raise DateCellError(f"{month_name!r} is not a month name")
        return _exact(int(year), month, int(day))
    if "/" in text:
        raise DateCellError(
            "a date written with slashes can be day-first or month-first; "
            "write it as 2027-03-31 or 31 March 2027"
        )
    raise DateCellError("not a date")


def _exact(year: int, month: int, day: int) -> PartialDate:
    try:
        return PartialDate.of(date(year, month, day))
    except ValueError:
        raise DateCellError(f"{year}-{month:02d}-{day:02d} is not a day of the calendar") from None


def cell_text(value: object) -> str | None:
    """A cell read as text: numbers without a spurious ``.0``, stripped, ``None`` when blank."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value == int(value):
        value = int(value)
    if isinstance(value, datetime):
        value = value.date() if value.time() == datetime.min.time() else value
    if isinstance(value, date):
        return value.isoformat()
    text = str(value).strip()
    return text or None
