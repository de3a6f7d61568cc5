"""Commitments: what the desk's state promised, its targets and its history."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Mapped, column_property, relationship, validates

from nsdesk.domain.dates import PartialDate
from nsdesk.domain.derived import targets_in_force
from nsdesk.domain.enums import Channel, CommitmentStatus, EvidenceQuality, Priority
from nsdesk.store import queries
from nsdesk.store import tables as t
from nsdesk.store.base import Base, Record, Retirable, Sensitive
from nsdesk.store.models.agencies import Agency
from nsdesk.store.models.events import Deadline, Document, Event
from nsdesk.store.models.gift_baskets import GiftBasket
from nsdesk.store.models.instruments import Instrument
from nsdesk.store.models.themes import Theme


class Commitment(Base, Record, Sensitive, Retirable):
    """A commitment of the desk's own state, with its origin and owners.

    Its status is not stored: ``status`` is the status of the latest history entry,
    computed in SQL (see :mod:`nsdesk.store.queries`).
    """

    __table__ = t.commitment

    ref: Mapped[str]
    title: Mapped[str]
    text: Mapped[str | None]
    origin_event_id: Mapped[int | None]
    origin_document_id: Mapped[int | None]
    origin_clause: Mapped[str | None]
    pledged_on: Mapped[PartialDate | None]
    lead_agency_id: Mapped[int | None]
    priority: Mapped[Priority]
    next_steps: Mapped[str | None]
    talking_points: Mapped[str | None]
    notes: Mapped[str | None]

    status: Mapped[CommitmentStatus | None] = column_property(queries.current_status())
    last_progress_on: Mapped[date | None] = column_property(queries.last_progress_on())

    origin_event: Mapped[Event | None] = relationship()
    origin_document: Mapped[Document | None] = relationship()
    lead_agency: Mapped[Agency | None] = relationship()
    contributing_agencies: Mapped[list[Agency]] = relationship(
        secondary=t.commitment_agency, order_by="Agency.code"
    )
    themes: Mapped[list[Theme]] = relationship(
        secondary=t.commitment_theme, order_by="Theme.sort_order"
    )
    instruments: Mapped[list[Instrument]] = relationship(secondary=t.commitment_instrument)
    gift_baskets: Mapped[list[GiftBasket]] = relationship(secondary=t.commitment_gift_basket)
    targets: Mapped[list[Target]] = relationship(
        back_populates="commitment", order_by="Target.id", foreign_keys="Target.commitment_id"
    )
    history: Mapped[list[StatusEntry]] = relationship(
        back_populates="commitment",
        order_by="(StatusEntry.entry_date, StatusEntry.created_at, StatusEntry.uuid)",
    )
    appearances: Mapped[list[CommitmentAppearance]] = relationship(
        back_populates="commitment", order_by="CommitmentAppearance.id"
    )

    def current_targets(self) -> list[Target]:
        """Targets still in force: not retired and not revised by a later target."""
        live = [t for t in self.targets if t.retired_at is None]
        # Target has every attribute TargetLike reads, but pyright does not match an
        # ORM descriptor (Mapped[int]) to a protocol member (microsoft/pyright#11021).
        return targets_in_force(live)  # pyright: ignore[reportArgumentType]

    def audit_label(self) -> str:
        return f"{self.ref} {self.title[:60]}"


class Target(Base, Record, Sensitive, Retirable):
    """A dated deadline of a commitment. A revised target points to the one it revises."""

    __table__ = t.target

    commitment_id: Mapped[int]
    description: Mapped[str | None]
    due: Mapped[PartialDate]
    due_by: Mapped[date]
    deadline_id: Mapped[int | None]
    source_document_id: Mapped[int | None]
    clause: Mapped[str | None]
    revises_id: Mapped[int | None]

    commitment: Mapped[Commitment] = relationship(
        back_populates="targets", foreign_keys=[t.target.c.commitment_id]
    )
    deadline: Mapped[Deadline | None] = relationship()

    @validates("due")
    def _keep_due_by(self, _key: str, value: PartialDate) -> PartialDate:
        value = PartialDate.of(value)
        self.due_by = value.latest()
        return value

    def audit_label(self) -> str:
        return f"target {self.due}"


class StatusEntry(Base, Record, Sensitive, Retirable):
    """One dated step in a commitment's history: status, narrative, evidence, and
    where the entry came from (typed in, imported from a ministry's return…)."""

    __table__ = t.status_entry

    commitment_id: Mapped[int]
    entry_date: Mapped[date]
    status: Mapped[CommitmentStatus]
    narrative: Mapped[str | None]
    evidence: Mapped[str | None]
    evidence_quality: Mapped[EvidenceQuality | None]
    channel: Mapped[Channel]
    source_ref: Mapped[str | None]
    recorded_by: Mapped[str | None]
    import_batch_id: Mapped[int | None]

    commitment: Mapped[Commitment] = relationship(back_populates="history")

    def audit_label(self) -> str:
        return f"history {self.entry_date} {self.status}"


class CommitmentAppearance(Base, Record):
    """A later document in which the same commitment reappears, under its own
    paragraph number (progress reports renumber; the commitment's ref does not)."""

    __table__ = t.commitment_appearance

    commitment_id: Mapped[int]
    document_id: Mapped[int]
    clause: Mapped[str | None]
    note: Mapped[str | None]

    commitment: Mapped[Commitment] = relationship(back_populates="appearances")
    document: Mapped[Document] = relationship()

    def audit_label(self) -> str:
        return f"appearance in document {self.document_id}"
