"""The desk at a glance: how many records of each kind, and where each
commitment stands.

Read models only (frozen dataclasses). Statuses come from history and
"late"/"at risk" from :mod:`nsdesk.domain.deadlines` on the as-of date.
Everything here is SQLAlchemy Core, so the first window shows a desk without
loading the ORM.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, Connection, func, literal, select, union_all

from nsdesk.domain.dates import PartialDate
from nsdesk.domain.deadlines import DeadlineAssessment, assess_deadline
from nsdesk.domain.enums import CommitmentStatus
from nsdesk.domain.records import RECORD_SPECS
from nsdesk.store import queries
from nsdesk.store import tables as t


@dataclass(frozen=True, slots=True)
class CommitmentStanding:
    """Where one commitment stands on a day: its status (from its history), its
    binding target and what that makes it (late, at risk…)."""

    id: int
    uuid: str
    ref: str
    title: str
    lead_agency_id: int | None
    sensitivity: str
    retired: bool
    status: CommitmentStatus
    last_progress: date | None
    target: PartialDate | None
    assessment: DeadlineAssessment


# Looked up once: an enum's value lookup is slow, and 6,000 rows ask for it.
_STATUSES = {s.value: s for s in CommitmentStatus}


def commitment_standings(
    connection: Connection,
    day: date,
    *,
    live_only: bool = False,
    where: ColumnElement[bool] | None = None,
) -> list[CommitmentStanding]:
    """Every commitment's standing on ``day`` (only live ones with ``live_only``;
    only those ``where`` selects), in id order. The one pass the registers, the
    dashboard and the briefing pack share, so they never disagree on "late"."""
    c = t.commitment
    latest = t.status_entry.alias("latest")
    query = (
        select(
            c.c.id,
            c.c.uuid,
            c.c.ref,
            c.c.title,
            c.c.lead_agency_id,
            c.c.sensitivity,
            c.c.retired_at,
            latest.c.status.label("status"),
            latest.c.entry_date.label("last_progress"),
        )
        .select_from(c.outerjoin(latest, latest.c.id == queries.latest_entry_id()))
        .order_by(c.c.id)
    )
    if live_only:
        query = query.where(c.c.retired_at.is_(None))
    if where is not None:
        query = query.where(where)
    rows = connection.execute(query).all()
    # A few commitments (``where``) need only their own targets; all need them all.
    due = queries.binding_targets(
        connection, [row.id for row in rows] if where is not None else None
    )
    found = []
    for row in rows:
        status = _STATUSES.get(row.status, CommitmentStatus.UNKNOWN)
        target = due.get(row.id)
        found.append(
            CommitmentStanding(
                id=row.id,
                uuid=row.uuid,
                ref=row.ref,
                title=row.title,
                lead_agency_id=row.lead_agency_id,
                sensitivity=row.sensitivity,
                retired=row.retired_at is not None,
                status=status,
                last_progress=row.last_progress,
                target=target,
                assessment=assess_deadline(status, target, day, last_progress=row.last_progress),
            )
        )
    return found


@dataclass(frozen=True, slots=True)
class RecordCount:
    kind: str
    label: str
    plural: str
    live: int
    retired: int


def record_counts(connection: Connection) -> tuple[RecordCount, ...]:
    """Live and retired records of every kind, in one statement."""
    parts = []
    for kind in RECORD_SPECS:
        table = t.metadata.tables[kind]
        # count(column) counts the rows where it is set: the retired ones
        retired = table.c.get("retired_at")
        parts.append(
            select(
                literal(kind).label("kind"),
                func.count().label("total"),
                (func.count(retired) if retired is not None else literal(0)).label("retired"),
            ).select_from(table)
        )
    totals = {row.kind: (row.total, row.retired) for row in connection.execute(union_all(*parts))}
    return tuple(
        RecordCount(
            kind, spec.label, spec.plural, totals[kind][0] - totals[kind][1], totals[kind][1]
        )
        for kind, spec in RECORD_SPECS.items()
    )
