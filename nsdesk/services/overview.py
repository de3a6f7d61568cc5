"""The desk at a glance: what the first window shows.

Read models only (frozen dataclasses): the UI receives these and never a session.
Statuses come from history and "late"/"at risk" from :mod:`nsdesk.domain.deadlines`
on the as-of date. Everything here is SQLAlchemy Core, so the first window shows a
desk without loading the ORM.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import Connection, func, literal, select, union_all

from nsdesk.domain.dates import PartialDate
from nsdesk.domain.deadlines import DeadlineAssessment, assess_deadline
from nsdesk.domain.enums import CommitmentStatus, DeadlineState
from nsdesk.domain.records import RECORD_SPECS
from nsdesk.services.desk import Desk, DeskInfo
from nsdesk.store import queries
from nsdesk.store import tables as t


@dataclass(frozen=True, slots=True)
class CommitmentRow:
    """One line of the commitments list."""

    ref: str
    title: str
    status: CommitmentStatus
    lead_agency: str | None
    target: PartialDate | None
    deadline: DeadlineAssessment
    last_progress: date | None
    sensitivity: str


@dataclass(frozen=True, slots=True)
class RecordCount:
    kind: str
    label: str
    plural: str
    live: int
    retired: int


@dataclass(frozen=True, slots=True)
class DeskOverview:
    """Everything the first window shows about a desk."""

    path: Path
    read_only: bool
    info: DeskInfo
    as_of: date
    counts: tuple[RecordCount, ...]
    commitments: tuple[CommitmentRow, ...]

    def count_in(self, state: DeadlineState) -> int:
        return sum(1 for row in self.commitments if row.deadline.state is state)


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


def load_overview(desk: Desk, as_of: date | None = None) -> DeskOverview:
    """The overview of ``desk`` on ``as_of`` (today by default), in Core queries."""
    day = as_of or date.today()
    info = desk.info()
    c = t.commitment
    with desk.connect() as connection:
        agencies = dict(connection.execute(select(t.agency.c.id, t.agency.c.code)).all())
        due = queries.binding_targets(connection)
        rows = []
        for row in connection.execute(
            select(
                c.c.id,
                c.c.ref,
                c.c.title,
                c.c.lead_agency_id,
                c.c.sensitivity,
                queries.current_status().label("status"),
                queries.last_progress_on().label("last_progress"),
            )
            .where(c.c.retired_at.is_(None))
            .order_by(c.c.id)
        ):
            status = CommitmentStatus(row.status) if row.status else CommitmentStatus.UNKNOWN
            target = due.get(row.id)
            rows.append(
                CommitmentRow(
                    ref=row.ref,
                    title=row.title,
                    status=status,
                    lead_agency=agencies.get(row.lead_agency_id),
                    target=target,
                    deadline=assess_deadline(status, target, day, last_progress=row.last_progress),
                    last_progress=row.last_progress,
                    sensitivity=row.sensitivity,
                )
            )
        counts = record_counts(connection)
    return DeskOverview(desk.path, desk.read_only, info, day, counts, tuple(rows))
