"""How the pack's sections name what they print: records others point at (through
the audience view, so a withheld one reads ``(withheld)``), dates and statuses."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from nsdesk.domain.dates import PartialDate
from nsdesk.domain.enums import CommitmentStatus
from nsdesk.services.audience.view import AudienceView

STATUSES = {s.value: s for s in CommitmentStatus}
"""A stored status value → its status (to print its label)."""


def display_date(value: PartialDate | date | None) -> str:
    """A date as the pack prints it (``24 Mar 2014``); empty for none."""
    if value is None:
        return ""
    if isinstance(value, PartialDate):
        return value.display()
    return PartialDate.of(value).display()


@dataclass(slots=True)
class Names:
    """Names the sections print of records others point at, through the view: a
    withheld record's name is ``(withheld)``, an admitted one counts toward the
    marking when printed."""

    view: AudienceView

    def agency(self, agency_id: int | None) -> str:
        """An agency's name (empty for none)."""
        return self.view.name("agency", agency_id, "name") or ""

    def event(self, event_id: int | None) -> str | None:
        """An event's name (``None`` for none)."""
        return self.view.name("event", event_id, "name")

    def theme(self, theme_id: int) -> tuple[str, str, int]:
        """A theme's code, label and order (themes carry no marking)."""
        row = self.view.parent("theme", theme_id)
        return (row.code, row.label, row.sort_order)
