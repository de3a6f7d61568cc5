"""Gift baskets (joint statements), the desk's role in them and its action items."""

from __future__ import annotations

from sqlalchemy.orm import Mapped, relationship

from nsdesk.domain.dates import PartialDate
from nsdesk.domain.enums import CommitmentStatus, GiftBasketRole
from nsdesk.store import tables as t
from nsdesk.store.base import Base, CatalogueFact, Record, Retirable, Sensitive
from nsdesk.store.models.agencies import Agency
from nsdesk.store.models.events import Document, Event
from nsdesk.store.models.memberships import MembershipSnapshot
from nsdesk.store.models.parties import Party
from nsdesk.store.models.themes import Theme


class GiftBasket(Base, Record, Sensitive, Retirable, CatalogueFact):
    """A joint statement made at a summit, with its signatories over time."""

    __table__ = t.gift_basket

    code: Mapped[str]
    title: Mapped[str]
    event_id: Mapped[int | None]
    document_id: Mapped[int | None]
    instrument_id: Mapped[int | None]
    issued_on: Mapped[PartialDate | None]
    infcirc: Mapped[str | None]
    summary: Mapped[str | None]
    text: Mapped[str | None]
    own_role: Mapped[GiftBasketRole]
    own_role_note: Mapped[str | None]

    event: Mapped[Event | None] = relationship()
    document: Mapped[Document | None] = relationship()
    leads: Mapped[list[Party]] = relationship(secondary=t.gift_basket_lead, order_by="Party.name")
    themes: Mapped[list[Theme]] = relationship(
        secondary=t.gift_basket_theme, order_by="Theme.sort_order"
    )
    snapshots: Mapped[list[MembershipSnapshot]] = relationship(
        order_by="MembershipSnapshot.snapshot_date"
    )
    action_items: Mapped[list[ActionItem]] = relationship(
        back_populates="gift_basket", order_by="ActionItem.id"
    )

    def audit_label(self) -> str:
        return self.title[:80]


class ActionItem(Base, Record, Sensitive, Retirable):
    """Something the desk's state must do under a gift basket."""

    __table__ = t.action_item

    ref: Mapped[str]
    gift_basket_id: Mapped[int]
    title: Mapped[str]
    description: Mapped[str | None]
    agency_id: Mapped[int | None]
    due: Mapped[PartialDate | None]
    status: Mapped[CommitmentStatus]
    notes: Mapped[str | None]

    gift_basket: Mapped[GiftBasket] = relationship(back_populates="action_items")
    agency: Mapped[Agency | None] = relationship()

    def audit_label(self) -> str:
        return f"{self.ref} {self.title[:60]}"
