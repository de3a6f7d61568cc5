"""Read queries that several parts of nsdesk share, in SQLAlchemy Core.

A commitment's status is not stored: it is the status of its latest live history
entry (by date, then by entry). The expressions below compute it in SQL, so lists
can filter and sort on it; the mapped class uses the same expressions.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import ColumnElement, Connection, select

from nsdesk.domain.dates import PartialDate
from nsdesk.store import tables as t


def _latest_entry(column: ColumnElement) -> ColumnElement:
    """``column`` of the commitment's latest live history entry (correlated)."""
    entry = t.status_entry
    return (
        select(column)
        .where(entry.c.commitment_id == t.commitment.c.id, entry.c.retired_at.is_(None))
        .order_by(entry.c.entry_date.desc(), entry.c.id.desc())
        .limit(1)
        .scalar_subquery()
    )


def current_status() -> ColumnElement:
    """A commitment's current status, derived from its history."""
    return _latest_entry(t.status_entry.c.status)


def last_progress_on() -> ColumnElement:
    """The date of a commitment's latest progress entry."""
    return _latest_entry(t.status_entry.c.entry_date)


def binding_targets(connection: Connection) -> dict[int, PartialDate]:
    """Each commitment's binding deadline: the earliest of its targets still in force
    (not retired, not revised by a later target). Keyed by commitment id."""
    target = t.target
    revised = select(target.c.revises_id).where(
        target.c.revises_id.is_not(None), target.c.retired_at.is_(None)
    )
    due: dict[int, PartialDate] = {}
    for commitment_id, target_due in connection.execute(
        select(target.c.commitment_id, target.c.due).where(
            target.c.retired_at.is_(None), target.c.id.not_in(revised)
        )
    ):
        if commitment_id not in due or target_due.latest() < due[commitment_id].latest():
            due[commitment_id] = target_due
    return due


def statuses_as_of(connection: Connection, day: date) -> dict[int, tuple[date, str]]:
    """Each commitment's (date, status) from its latest live entry on or before ``day``."""
    entry = t.status_entry
    latest: dict[int, tuple[date, str]] = {}
    for commitment_id, entry_date, status in connection.execute(
        select(entry.c.commitment_id, entry.c.entry_date, entry.c.status)
        .where(entry.c.retired_at.is_(None), entry.c.entry_date <= day)
        .order_by(entry.c.commitment_id, entry.c.entry_date, entry.c.id)
    ):
        latest[commitment_id] = (entry_date, status)
    return latest
