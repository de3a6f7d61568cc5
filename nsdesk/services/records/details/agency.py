"""An agency's detail: its contacts, how many commitments it leads, and what it has
due, soonest first."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from nsdesk.domain.dates import PartialDate
from nsdesk.domain.enums import CommitmentStatus
from nsdesk.services.desk import Desk
from nsdesk.services.records.details.lookup import find_record
from nsdesk.store import queries
from nsdesk.store import tables as t
from nsdesk.store.types import code_point_order


@dataclass(frozen=True, slots=True)
class ContactLine:
    """One live contact at an agency."""

    uuid: str
    name: str
    role: str | None
    email: str | None
    phone: str | None


@dataclass(frozen=True, slots=True)
class DueItem:
    """Something open that an agency owes, with the date it is due."""

    kind: str
    key: str
    title: str
    due: PartialDate
    late: bool


@dataclass(frozen=True, slots=True)
class AgencyDetail:
    """An agency's live contacts, how many commitments it leads, and its items due
    (open commitments by target, action items, planned steps, reports), soonest first."""

    code: str
    uuid: str
    name: str
    contacts: tuple[ContactLine, ...]
    commitments_led: int
    items_due: tuple[DueItem, ...]


def _open(status: str | None) -> bool:
    """Whether an item of ``status`` is still expected to move (and so can fall due)."""
    known = CommitmentStatus(status) if status else CommitmentStatus.UNKNOWN
    return not known.is_closed and known is not CommitmentStatus.ONGOING


def agency_detail(desk: Desk, code: str, *, as_of: date | None = None) -> AgencyDetail:
    """The agency ``code`` (or UUID) as its detail pane shows it."""
    day = as_of or date.today()
    c, ai, m, ro = t.commitment, t.action_item, t.milestone, t.reporting_obligation
    closed = [s for s in CommitmentStatus if s.is_closed]
    with desk.connect() as connection:
        row = find_record(connection, t.agency, "code", code, "agency")
        ac = t.agency_contact
        contacts = tuple(
            ContactLine(r.uuid, r.name, r.role, r.email, r.phone)
            for r in connection.execute(
                select(ac)
                .where(ac.c.agency_id == row.id, ac.c.retired_at.is_(None))
                .order_by(code_point_order(ac.c.name), ac.c.id)
            )
        )
        led = connection.execute(
            select(c.c.id, c.c.ref, c.c.title, queries.current_status().label("status")).where(
                c.c.lead_agency_id == row.id, c.c.retired_at.is_(None)
            )
        ).all()
        targets = queries.binding_targets(connection) if led else {}
        due: list[tuple[str, str, str, PartialDate | None]] = [
            ("Commitment", r.ref, r.title, targets.get(r.id)) for r in led if _open(r.status)
        ]
        due += [
            ("Action item", r.ref, r.title, r.due)
            for r in connection.execute(
                select(ai.c.ref, ai.c.title, ai.c.due).where(
                    ai.c.agency_id == row.id, ai.c.retired_at.is_(None), ai.c.status.not_in(closed)
                )
            )
        ]
        due += [
            ("Step", r.uuid, f"{r.kind.label} — {r.short_name}", r.planned)
            for r in connection.execute(
                select(m.c.uuid, m.c.kind, m.c.planned, t.instrument.c.short_name)
                .join(t.participation, t.participation.c.id == m.c.participation_id)
                .join(t.instrument, t.instrument.c.id == t.participation.c.instrument_id)
                .where(
                    m.c.responsible_agency_id == row.id,
                    m.c.retired_at.is_(None),
                    m.c.actual.is_(None),
                )
            )
        ]
        due += [
            ("Report", r.uuid, r.title, r.due)
            for r in connection.execute(
                select(ro.c.uuid, ro.c.title, ro.c.due).where(
                    ro.c.responsible_agency_id == row.id,
                    ro.c.retired_at.is_(None),
                    ro.c.submitted.is_(None),
                )
            )
        ]
    items = sorted(
        (
            DueItem(kind, key, title, when, when.latest() < day)
            for kind, key, title, when in due
            if when is not None
        ),
        key=lambda item: (item.due.latest(), item.key),
    )
    return AgencyDetail(row.code, row.uuid, row.name, contacts, len(led), tuple(items))
