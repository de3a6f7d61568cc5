"""Rules that involve more than one field, or the calendar.

Each raises :class:`~nsdesk.domain.errors.ValidationError` naming the field the
user should correct and saying what would be accepted.
"""

from __future__ import annotations

from datetime import date

from nsdesk.domain.dates import PartialDate
from nsdesk.domain.errors import ValidationError


def check_period(
    start: PartialDate | None, end: PartialDate | None, *, end_label: str = "Ends"
) -> None:
    """An end that cannot come before the start."""
    if start is not None and end is not None and end.latest() < start.earliest():
        raise ValidationError(end_label, f"a date on or after the start ({start})", str(end))


def check_not_future(label: str, value: PartialDate | date | None, today: date) -> None:
    """Something that has happened cannot be dated after today."""
    if value is None:
        return
    earliest = value.earliest() if isinstance(value, PartialDate) else value
    if earliest > today:
        raise ValidationError(label, f"a date not after today ({today.isoformat()})", str(value))


def check_target_after_pledge(due: PartialDate, pledged_on: PartialDate | None) -> None:
    """A commitment cannot be due before it was made."""
    if pledged_on is not None and due.latest() < pledged_on.earliest():
        raise ValidationError("Due", f"a date on or after the pledge ({pledged_on})", str(due))
