"""What the detail pane shows under a record's fields, kind by kind.

A commitment's history and targets, a gift basket's signatories over time and its
action items, an instrument's catalogue facts with their sources and the own
state's pipeline of steps, an agency's contacts and what it has due. Read models
only (frozen dataclasses), built with SQLAlchemy Core; records are named by their
key (ref, code) or UUID, and :class:`~nsdesk.domain.errors.RecordNotFoundError`
says when none matches. Retired rows are left out unless a field says otherwise.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Connection, Table, or_, select

from nsdesk.domain.dates import PartialDate
from nsdesk.domain.deadlines import DeadlineAssessment, assess_deadline
from nsdesk.domain.derived import binding_target, own_state_listed, revised_ids
from nsdesk.domain.enums import (
    Channel,
    CommitmentStatus,
    EvidenceQuality,
    GiftBasketRole,
    JoiningMechanism,
    LabelledEnum,
)
from nsdesk.domain.errors import RecordNotFoundError
from nsdesk.domain.participation import (
    MilestoneFact,
    MilestoneLine,
    ParticipationAssessment,
    PipelineStep,
    build_pipeline,
    derive_participation_status,
)
from nsdesk.domain.records import spec_for
from nsdesk.services.desk import Desk
from nsdesk.store import queries
from nsdesk.store import tables as t


@dataclass(frozen=True, slots=True)
class SourceLine:
    """A source cited for a record: its title, web address and the field it backs."""

    title: str
    url: str | None = None
    #: The label of the field cited (``None``: the record as a whole).
    field: str | None = None


# -- commitments ---------------------------------------------------------------------


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


def _find(connection: Connection, table: Table, key_column: str, key: str, kind: str) -> Any:
    key = key.strip()
    # Refs and agency codes are upper case, catalogue keys lower case (as typed).
    wanted = key.upper() if key_column == "ref" or table is t.agency else key.lower()
    row = connection.execute(
        select(table).where(or_(table.c.uuid == key, table.c[key_column] == wanted))
    ).first()
    if row is None:
        raise RecordNotFoundError(spec_for(kind).label.lower(), key)
    return row


def commitment_detail(desk: Desk, ref: str, as_of: date | None = None) -> CommitmentDetail:
    """The commitment ``ref`` (or UUID) on ``as_of`` (today by default)."""
    day = as_of or date.today()
    e, tg = t.status_entry, t.target
    with desk.connect() as connection:
        row = _find(connection, t.commitment, "ref", ref, "commitment")
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
                .order_by(e.c.entry_date.desc(), e.c.id.desc())
            )
        )
        target_rows = connection.execute(
            select(tg)
            .where(tg.c.commitment_id == row.id, tg.c.retired_at.is_(None))
            .order_by(tg.c.due_by, tg.c.id)
        ).all()
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


# -- gift baskets ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PartyName:
    """A party as a list names it: its code and name."""

    code: str
    name: str


@dataclass(frozen=True, slots=True)
class MembershipLine:
    """Who had joined a statement on a date, according to the sources cited."""

    uuid: str
    snapshot_date: PartialDate | None
    member_count: int | None
    observer_count: int | None
    description: str | None
    #: How many parties the snapshot names (0: no list is known).
    listed: int
    #: Whether the desk's own state is named: ``None`` when no complete list is known.
    own_state_listed: bool | None
    sources: tuple[SourceLine, ...]


@dataclass(frozen=True, slots=True)
class ActionItemLine:
    """One live action item of the desk under a gift basket."""

    uuid: str
    ref: str
    title: str
    agency: str | None
    due: PartialDate | None
    status: CommitmentStatus


@dataclass(frozen=True, slots=True)
class GiftBasketDetail:
    """A joint statement's own role, leads, signatories over time (oldest first)
    and the desk's live action items."""

    code: str
    uuid: str
    title: str
    own_state: str
    own_role: GiftBasketRole
    own_role_note: str | None
    leads: tuple[PartyName, ...]
    snapshots: tuple[MembershipLine, ...]
    action_items: tuple[ActionItemLine, ...]


def _sources(
    connection: Connection, subject_table: str, uuids: Iterable[str]
) -> dict[str, list[SourceLine]]:
    """subject UUID → the sources cited for it, in the order they were cited."""
    c, s = t.citation, t.source
    spec = spec_for(subject_table)
    labels = {f.name: f.label for f in spec.fields}
    found: dict[str, list[SourceLine]] = {}
    for row in connection.execute(
        select(c.c.subject_uuid, c.c.field, s.c.title, s.c.url)
        .join(s, s.c.id == c.c.source_id)
        .where(c.c.subject_table == subject_table, c.c.subject_uuid.in_(list(uuids)))
        .order_by(c.c.id)
    ):
        field = labels.get(row.field, row.field) if row.field else None
        found.setdefault(row.subject_uuid, []).append(SourceLine(row.title, row.url, field))
    return found


def gift_basket_detail(desk: Desk, code: str) -> GiftBasketDetail:
    """The gift basket ``code`` (or UUID) as its detail pane shows it."""
    info = desk.info()
    ms, link, ai = t.membership_snapshot, t.membership_snapshot_party, t.action_item
    with desk.connect() as connection:
        row = _find(connection, t.gift_basket, "code", code, "gift_basket")
        leads = tuple(
            PartyName(r.code, r.name)
            for r in connection.execute(
                select(t.party.c.code, t.party.c.name)
                .join(t.gift_basket_lead, t.gift_basket_lead.c.party_id == t.party.c.id)
                .where(t.gift_basket_lead.c.gift_basket_id == row.id)
                .order_by(t.party.c.code)
            )
        )
        snapshot_rows = connection.execute(
            select(ms).where(ms.c.gift_basket_id == row.id, ms.c.retired_at.is_(None))
        ).all()
        members: dict[int, set[int]] = {}
        for snapshot_id, party_id in connection.execute(
            select(link.c.snapshot_id, link.c.party_id).where(
                link.c.snapshot_id.in_([r.id for r in snapshot_rows])
            )
        ):
            members.setdefault(snapshot_id, set()).add(party_id)
        sources = _sources(connection, "membership_snapshot", (r.uuid for r in snapshot_rows))
        items = connection.execute(
            select(ai, t.agency.c.code.label("agency_code"))
            .outerjoin(t.agency, t.agency.c.id == ai.c.agency_id)
            .where(ai.c.gift_basket_id == row.id, ai.c.retired_at.is_(None))
            .order_by(ai.c.id)
        ).all()

    def when(r: Any) -> tuple[int, tuple[int, int, int]]:
        return (0, r.snapshot_date.sort_key()) if r.snapshot_date else (1, (0, 0, 0))

    snapshots = tuple(
        MembershipLine(
            r.uuid,
            r.snapshot_date,
            r.member_count,
            r.observer_count,
            r.description,
            len(members.get(r.id, ())),
            own_state_listed(members.get(r.id, set()), r.member_count, info.own_state_id),
            tuple(sources.get(r.uuid, ())),
        )
        for r in sorted(snapshot_rows, key=when)
    )
    return GiftBasketDetail(
        code=row.code,
        uuid=row.uuid,
        title=row.title,
        own_state=info.own_state_code,
        own_role=row.own_role,
        own_role_note=row.own_role_note,
        leads=leads,
        snapshots=snapshots,
        action_items=tuple(
            ActionItemLine(r.uuid, r.ref, r.title, r.agency_code, r.due, r.status) for r in items
        ),
    )


# -- instruments -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CatalogueFact:
    """One fact of the catalogue about an instrument, as a label and its text."""

    label: str
    value: str


@dataclass(frozen=True, slots=True)
class InstrumentDetail:
    """An instrument's catalogue facts and sources, and where the own state stands."""

    code: str
    uuid: str
    name: str
    short_name: str
    mechanism: JoiningMechanism
    facts: tuple[CatalogueFact, ...]
    sources: tuple[SourceLine, ...]
    own_state: str
    #: The own state's live participation (``None``: none yet, or retired).
    participation_uuid: str | None
    #: A retired participation of the own state, to bring back rather than duplicate.
    retired_participation_uuid: str | None
    milestones: tuple[MilestoneLine, ...]
    assessment: ParticipationAssessment
    pipeline: tuple[PipelineStep, ...]
    as_of: date


def _fact_text(value: Any) -> str:
    if isinstance(value, PartialDate):
        return value.display()
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, LabelledEnum):
        return value.label
    return str(value).strip()


_FACT_FIELDS = (
    "kind",
    "mechanism",
    "binding",
    "adopted",
    "opened_for_signature",
    "entered_into_force",
    "depositary",
    "entry_into_force_condition",
    "scope",
    "participation_model",
    "reporting_summary",
    "text_reference",
    "url",
)


def instrument_detail(desk: Desk, code: str, as_of: date | None = None) -> InstrumentDetail:
    """The instrument ``code`` (or UUID) and the own state's standing on ``as_of``."""
    day = as_of or date.today()
    info = desk.info()
    p, m = t.participation, t.milestone
    spec = spec_for("instrument")
    with desk.connect() as connection:
        row = _find(connection, t.instrument, "code", code, "instrument")
        sources = tuple(_sources(connection, "instrument", [row.uuid]).get(row.uuid, ()))
        own = connection.execute(
            select(p.c.id, p.c.uuid, p.c.retired_at).where(
                p.c.party_id == info.own_state_id, p.c.instrument_id == row.id
            )
        ).first()
        live = own if own is not None and own.retired_at is None else None
        milestones = tuple(
            MilestoneLine(r.uuid, r.kind, r.planned, r.actual, r.agency_code, r.reference)
            for r in connection.execute(
                select(m, t.agency.c.code.label("agency_code"))
                .outerjoin(t.agency, t.agency.c.id == m.c.responsible_agency_id)
                .where(m.c.participation_id == (live.id if live else -1), m.c.retired_at.is_(None))
                .order_by(m.c.id)
            )
        )
    facts = [
        CatalogueFact(spec.field(name).label, _fact_text(row._mapping[name]))
        for name in _FACT_FIELDS
        if row._mapping[name] not in (None, "")
    ]
    if row.confidence is not None:
        facts.append(CatalogueFact("Confidence", row.confidence.label))
    if row.as_of is not None:
        facts.append(CatalogueFact("As of", row.as_of.display()))
    assessment = derive_participation_status(
        row.mechanism, (MilestoneFact(x.kind, x.actual, x.planned) for x in milestones), day
    )
    return InstrumentDetail(
        code=row.code,
        uuid=row.uuid,
        name=row.name,
        short_name=row.short_name,
        mechanism=row.mechanism,
        facts=tuple(facts),
        sources=sources,
        own_state=info.own_state_code,
        participation_uuid=live.uuid if live else None,
        retired_participation_uuid=own.uuid if own is not None and live is None else None,
        milestones=milestones,
        assessment=assessment,
        pipeline=build_pipeline(row.mechanism, milestones, day),
        as_of=day,
    )


# -- agencies -----------------------------------------------------------------------------


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
        row = _find(connection, t.agency, "code", code, "agency")
        ac = t.agency_contact
        contacts = tuple(
            ContactLine(r.uuid, r.name, r.role, r.email, r.phone)
            for r in connection.execute(
                select(ac)
                .where(ac.c.agency_id == row.id, ac.c.retired_at.is_(None))
                .order_by(ac.c.name, ac.c.id)
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
