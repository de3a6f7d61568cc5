"""The upcoming deadlines section: every open dated item falling due within a year."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from nsdesk.briefing import model as m
from nsdesk.domain.dates import PartialDate
from nsdesk.domain.enums import CommitmentStatus
from nsdesk.services.audience.view import AudienceView
from nsdesk.services.briefing.content.commitment_facts import Commitments
from nsdesk.services.briefing.content.names import STATUSES

UPCOMING_DAYS = 365
"""How far ahead the Upcoming deadlines section looks from the as-of date."""


def upcoming(
    view: AudienceView,
    commitments: Commitments,
    as_of: date,
    until: date | None = None,
) -> tuple[tuple[m.DeadlineLine, ...], int]:
    """Every open dated item due from ``as_of`` for a year: commitment targets,
    action items, reports and collective deadlines, soonest first."""
    last = until or as_of + timedelta(days=UPCOMING_DAYS)
    found: list[m.DeadlineLine] = []

    def add(due: PartialDate | None, kind: str, ref: str, what: str, state: str) -> None:
        if due is not None and as_of <= due.latest() <= last:
            found.append(m.DeadlineLine(due.display(), due.latest(), kind, ref, what, state))

    for c in commitments.included:
        if c.open and not c.status.withheld:
            add(c.target.due, COMMITMENT_TARGET, c.ref, c.title, c.status.label)
    open_statuses = {s.value for s in CommitmentStatus if not s.is_closed}
    items = view.records(
        "action_item",
        where=lambda a: a.status in open_statuses and _due_in(a.due, as_of, last),
    )
    for row in items:
        status = STATUSES.get(row.status, CommitmentStatus.UNKNOWN).label
        add(row.due, "Action item", row.ref, row.title, status)
    reports = view.records(
        "reporting_obligation",
        where=lambda r: r.submitted is None and _due_in(r.due, as_of, last),
    )
    for row in reports:
        add(row.due, "Report", "", row.title, "Not submitted")
    collective = view.records("deadline", where=lambda d: _due_in(d.due, as_of, last))
    for row in collective:
        add(row.due, "Collective deadline", "", row.description, "")
    order = {COMMITMENT_TARGET: 0, "Action item": 1, "Report": 2, "Collective deadline": 3}
    found.sort(key=lambda line: (line.due_sort, order[line.kind], line.ref, line.what))
    return tuple(found), items.withheld + reports.withheld + collective.withheld


def _due_in(due: PartialDate | None, since: date, until: date) -> bool:
    return due is not None and since <= due.latest() <= until


COMMITMENT_TARGET = "Commitment target"
"""The kind of a deadline line that is a commitment's target in force."""


def due_before(lines: Sequence[m.DeadlineLine], start: date) -> int:
    """How many commitments fall due before an event starting on ``start``: the
    commitment targets among ``lines`` due by that day (the lines start at the
    as-of day, so a target already passed, late, is not counted)."""
    return sum(1 for line in lines if line.kind == COMMITMENT_TARGET and line.due_sort <= start)


def upcoming_until(as_of: date, event_start: PartialDate | None) -> date:
    """The last day the Upcoming deadlines section covers: a year from ``as_of``, or
    the event's first day when that is later (so every target due before the event
    is listed, and the summary's count of them can be checked there)."""
    year = as_of + timedelta(days=UPCOMING_DAYS)
    return max(year, event_start.earliest()) if event_start is not None else year
