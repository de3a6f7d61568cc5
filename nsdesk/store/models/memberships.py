"""Dated membership snapshots of instruments and joint statements.

Counts change over time and sources disagree, so a membership is never one
number: it is a series of snapshots, each dated, sourced (through citations) and
rated, with the member list when it is known.
"""

from __future__ import annotations

from sqlalchemy.orm import Mapped, relationship

from nsdesk.domain.dates import PartialDate
from nsdesk.store import tables as t
from nsdesk.store.base import Base, CatalogueFact, Record, Retirable
from nsdesk.store.models.parties import Party


class MembershipSnapshot(Base, Record, Retirable, CatalogueFact):
    """How many (and, when known, which) parties an instrument or statement had
    on a date, according to the cited sources."""

    __table__ = t.membership_snapshot

    instrument_id: Mapped[int | None]
    gift_basket_id: Mapped[int | None]
    snapshot_date: Mapped[PartialDate | None]
    member_count: Mapped[int | None]
    observer_count: Mapped[int | None]
    description: Mapped[str | None]
    signatory_count: Mapped[int | None]
    includes_organisations: Mapped[bool | None]
    member_list_complete: Mapped[bool | None]

    members: Mapped[list[Party]] = relationship(
        secondary=t.membership_snapshot_party, order_by="Party.name"
    )

    def audit_label(self) -> str:
        return f"membership on {self.snapshot_date or 'undated'}"
