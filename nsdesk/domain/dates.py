"""Dates as the sources give them: a full day, a month, or only a year.

Catalogue facts ("adopted 2011-01"), deadlines ("by the end of 2013") and planned
domestic steps ("parliament, 2027") are often known only to the month or the
year. A :class:`PartialDate` keeps that precision instead of inventing a day,
and says which real days it covers, so "late" can be computed honestly: a target
of "2013" is met by anything done on or before 31 December 2013.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

_ISO = re.compile(r"^\s*(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?\s*$")


class Precision(StrEnum):
    YEAR = "year"
    MONTH = "month"
    DAY = "day"


# English abbreviations, fixed: a briefing pack reads the same on any laptop's
# locale (calendar.month_abbr follows the locale, and calls strftime each time).
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@dataclass(frozen=True, slots=True)
class PartialDate:
    """A calendar date known to the year, the month or the day.

    Its text form is ISO 8601 truncated to the known part (``2013``, ``2013-12``,
    ``2013-12-31``); that form is how it is stored, exported and typed in.
    """

    year: int
    month: int | None = None
    day: int | None = None

    def __post_init__(self) -> None:
        if not 1 <= self.year <= 9999:
            raise ValueError(f"year {self.year} is out of range")
        if self.month is None:
            if self.day is not None:
                raise ValueError("a day needs a month")
            return
        if not 1 <= self.month <= 12:
            raise ValueError(f"month {self.month} is not between 1 and 12")
        if self.day is not None:
            last = calendar.monthrange(self.year, self.month)[1]
            if not 1 <= self.day <= last:
                raise ValueError(f"{self.year}-{self.month:02d} has no day {self.day}")

    @classmethod
    def parse(cls, text: str) -> PartialDate:
        """Read ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``; ``ValueError`` otherwise."""
        match = _ISO.match(str(text))
        if not match:
            raise ValueError(f"{text!r} is not a date like 2016, 2016-04 or 2016-04-01")
        year, month, day = match.groups()
        return cls(int(year), int(month) if month else None, int(day) if day else None)

    @classmethod
    def of(cls, value: date | PartialDate | str) -> PartialDate:
        """Coerce a ``date``, a ``PartialDate`` or its text form."""
        if isinstance(value, PartialDate):
            return value
        if isinstance(value, date):
            return cls(value.year, value.month, value.day)
        return cls.parse(value)

    @property
    def precision(self) -> Precision:
        if self.day is not None:
            return Precision.DAY
        if self.month is not None:
            return Precision.MONTH
        return Precision.YEAR

    def earliest(self) -> date:
        """The first day the partial date could mean."""
        return date(self.year, self.month or 1, self.day or 1)

    def latest(self) -> date:
        """The last day the partial date could mean: a deadline of "2013-12" is
        met by anything done on or before 31 December 2013."""
        if self.month is None:
            return date(self.year, 12, 31)
        if self.day is None:
            return date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])
        return date(self.year, self.month, self.day)

    def as_date(self) -> date | None:
        """The exact day, or ``None`` when only the month or year is known."""
        if self.month is None or self.day is None:
            return None
        return date(self.year, self.month, self.day)

    def sort_key(self) -> tuple[int, int, int]:
        return (self.year, self.month or 0, self.day or 0)

    def __str__(self) -> str:
        if self.month is None:
            return f"{self.year:04d}"
        if self.day is None:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"

    def display(self) -> str:
        """The form printed for people: ``31 Dec 2013``, ``Dec 2013`` or ``2013``."""
        if self.month is None:
            return str(self.year)
        month = _MONTHS[self.month - 1]
        if self.day is None:
            return f"{month} {self.year}"
        return f"{self.day} {month} {self.year}"


def parse_iso_date(text: str) -> date:
    """A full ISO date ``YYYY-MM-DD``; ``ValueError`` with the expected form."""
    partial = PartialDate.parse(text)
    exact = partial.as_date()
    if exact is None:
        raise ValueError(f"{text!r} is not a full date like 2016-04-01")
    return exact
