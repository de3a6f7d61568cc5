"""A commitment's detail: its status now, deadline state, targets and history."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select

from nsdesk.domain.dates import PartialDate
from nsdesk.domain.deadlines import DeadlineAssessment, assess_deadline
from nsdesk.domain.derived import binding_target, revised_ids
from nsdesk.domain.enums import Channel, CommitmentStatus, EvidenceQuality
from nsdesk.services.desk import Desk
from nsdesk.services.records.details.lookup import find_record
from nsdesk.store import tables as t


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    """One live progress entry of a commitment's status history."""

    uuid: str
    entry_date: date
    status: CommitmentStatus
    narrative: str | None
    evidence: str | None
    evidence_quality: EvidenceQuality | None
    channel: Channel
    recorded_by: str | None
    source_ref: str | None = None


@dataclass(frozen=True, slots=True)
class TargetLine:
    """A dated target of a commitment; ``revised`` when a later target replaced it."""

    uuid: str
    due: PartialDate
    description: str | None
    clause: str | None
    revised: bool


@dataclass(frozen=True, slots=True)
class CommitmentDetail:
    """A commitment's status now, its deadline state, targets and history (newest first)."""

    ref: str
    uuid: str
    title: str
    retired: bool
    status: CommitmentStatus
    binding_target: PartialDate | None
    deadline: DeadlineAssessment
    targets: tuple[TargetLine, ...]
    history: tuple[HistoryEntry, ...]
    as_of: date


def commitment_detail(desk: Desk, ref: str, as_of: date | None = None) -> CommitmentDetail:
    """The commitment ``ref`` (or UUID) on ``as_of`` (today by default)."""
    day = as_of or date.today()
    e, tg = t.status_entry, t.target
    with desk.connect() as connection:
        row = find_record(connection, t.commitment, "ref", ref, "commitment")
        history = tuple(
            HistoryEntry(
                r.uuid,
                r.entry_date,
                r.status,
                r.narrative,
                r.evidence,
                r.evidence_quality,
                r.channel,
                r.recorded_by,
                r.source_ref,
            )
            for r in connection.execute(
                select(e)
                .where(e.c.commitment_id == row.id, e.c.retired_at.is_(None))
                .order_by(e.c.entry_date.desc(), e.c.created_at.desc(), e.c.uuid.desc())
            )
        )
        target_rows: list[Any] = list(
            connection.execute(
                select(tg)
                .where(tg.c.commitment_id == row.id, tg.c.retired_at.is_(None))
                .order_by(tg.c.due_by, tg.c.id)
            )
        )
    revised = revised_ids(target_rows)
    targets = tuple(
        TargetLine(r.uuid, r.due, r.description, r.clause, r.id in revised) for r in target_rows
    )
    in_force = binding_target(target_rows)
    binding = in_force.due if in_force is not None else None
    status = history[0].status if history else CommitmentStatus.UNKNOWN
    last = history[0].entry_date if history else None
    return CommitmentDetail(
        ref=row.ref,
        uuid=row.uuid,
        title=row.title,
        retired=row.retired_at is not None,
        status=status,
        binding_target=binding,
        deadline=assess_deadline(status, binding, day, last_progress=last),
        targets=targets,
        history=history,
        as_of=day,
    )
