"""Read queries that several parts of nsdesk share, in SQLAlchemy Core.

A commitment's status is not stored: it is the status of its latest live history
entry (by date, then by the moment it was recorded, then by UUID: the same order
in every copy of a desk, where row ids are not). The expressions below compute it in SQL, so lists
can filter and sort on it; the mapped class uses the same expressions.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from typing import Any

from sqlalchemy import ColumnElement, Connection, select

from nsdesk.domain.dates import PartialDate
from nsdesk.domain.derived import binding_target
from nsdesk.store import tables as t


def _latest_entry(column: ColumnElement) -> ColumnElement:
    """``column`` of the commitment's latest live history entry (correlated)."""
    entry = t.status_entry
    return (
        select(column)
        .where(entry.c.commitment_id == t.commitment.c.id, entry.c.retired_at.is_(None))
        .order_by(entry.c.entry_date.desc(), entry.c.created_at.desc(), entry.c.uuid.desc())
        .limit(1)
        .scalar_subquery()
    )


def current_status() -> ColumnElement:
    """A commitment's current status, derived from its history."""
    return _latest_entry(t.status_entry.c.status)


def latest_entry_id() -> ColumnElement:
    """The id of a commitment's latest live history entry (correlated): joined back,
    it gives the status and the date in one lookup where two subqueries took two."""
    return _latest_entry(t.status_entry.c.id)


def last_progress_on() -> ColumnElement:
    """The date of a commitment's latest progress entry."""
    return _latest_entry(t.status_entry.c.entry_date)


def binding_targets(
    connection: Connection, commitment_ids: Collection[int] | None = None
) -> dict[int, PartialDate]:
    """Each commitment's binding deadline (:func:`nsdesk.domain.derived.binding_target`
    over its live targets), or only those of ``commitment_ids`` (a few rows read again
    after an edit need not read every target of an archive). Keyed by commitment id."""
    target = t.target
    query = select(target.c.id, target.c.commitment_id, target.c.due, target.c.revises_id).where(
        target.c.retired_at.is_(None)
    )
    if commitment_ids is not None:
        query = query.where(target.c.commitment_id.in_(sorted(commitment_ids)))
    live: dict[int, list[Any]] = defaultdict(list)
    for row in connection.execute(query):
        live[row.commitment_id].append(row)
    due: dict[int, PartialDate] = {}
    for commitment_id, rows in live.items():
        binding = binding_target(rows)
        if binding is not None:
            due[commitment_id] = binding.due
    return due
