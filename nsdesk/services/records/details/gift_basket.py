"""A gift basket's detail: the own state's role, the leads, the signatories over
time with their sources, and the desk's action items under it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from nsdesk.domain.dates import PartialDate
from nsdesk.domain.derived import own_state_listed
from nsdesk.domain.enums import CommitmentStatus, GiftBasketRole
from nsdesk.services.desk import Desk
from nsdesk.services.records.details.citations import SourceLine, cited_sources
from nsdesk.services.records.details.lookup import find_record
from nsdesk.store import tables as t
from nsdesk.store.types import code_point_order


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
    #: Whether the count takes in organisations (INTERPOL, the UN); None: not known.
    includes_organisations: bool | None = None
    #: Whether the named parties are the whole list; None: not known.
    member_list_complete: bool | None = None


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


def gift_basket_detail(desk: Desk, code: str) -> GiftBasketDetail:
    """The gift basket ``code`` (or UUID) as its detail pane shows it."""
    info = desk.info()
    ms, link, ai = t.membership_snapshot, t.membership_snapshot_party, t.action_item
    with desk.connect() as connection:
        row = find_record(connection, t.gift_basket, "code", code, "gift_basket")
        leads = tuple(
            PartyName(r.code, r.name)
            for r in connection.execute(
                select(t.party.c.code, t.party.c.name)
                .join(t.gift_basket_lead, t.gift_basket_lead.c.party_id == t.party.c.id)
                .where(t.gift_basket_lead.c.gift_basket_id == row.id)
                .order_by(code_point_order(t.party.c.code))
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
        sources = cited_sources(connection, "membership_snapshot", (r.uuid for r in snapshot_rows))
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
            own_state_listed(
                members.get(r.id, set()),
                r.member_count,
                info.own_state_id,
                r.member_list_complete,
            ),
            tuple(sources.get(r.uuid, ())),
            r.includes_organisations,
            r.member_list_complete,
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
