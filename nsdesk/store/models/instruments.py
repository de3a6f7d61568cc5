"""Instruments, each party's participation in them, and reporting duties."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Mapped, relationship

from nsdesk.domain.dates import PartialDate
from nsdesk.domain.enums import (
    Confidence,
    InstrumentKind,
    JoiningMechanism,
    MilestoneKind,
    Standing,
)
from nsdesk.domain.participation import MilestoneFact
from nsdesk.store import tables as t
from nsdesk.store.base import Base, CatalogueFact, Record, Retirable, Sensitive
from nsdesk.store.models.agencies import Agency
from nsdesk.store.models.parties import Party


class Instrument(Base, Record, Sensitive, Retirable, CatalogueFact):
    """A convention, amendment, resolution, initiative, code, guidance or INFCIRC."""

    __table__ = t.instrument

    code: Mapped[str]
    name: Mapped[str]
    short_name: Mapped[str]
    kind: Mapped[InstrumentKind]
    mechanism: Mapped[JoiningMechanism]
    binding: Mapped[bool]
    adopted: Mapped[PartialDate | None]
    opened_for_signature: Mapped[PartialDate | None]
    entered_into_force: Mapped[PartialDate | None]
    entry_into_force_condition: Mapped[str | None]
    depositary: Mapped[str | None]
    scope: Mapped[str | None]
    participation_model: Mapped[str | None]
    reporting_summary: Mapped[str | None]
    text_reference: Mapped[str | None]
    url: Mapped[str | None]
    amends_id: Mapped[int | None]
    supplements_id: Mapped[int | None]

    amends: Mapped[Instrument | None] = relationship(
        foreign_keys=[t.instrument.c.amends_id], remote_side=[t.instrument.c.id]
    )
    supplements: Mapped[Instrument | None] = relationship(
        foreign_keys=[t.instrument.c.supplements_id], remote_side=[t.instrument.c.id]
    )
    participations: Mapped[list[Participation]] = relationship(back_populates="instrument")

    def audit_label(self) -> str:
        return self.short_name


class Participation(Base, Record, Sensitive, Retirable):
    """One party's relation to one instrument; its status is derived from milestones."""

    __table__ = t.participation

    party_id: Mapped[int]
    instrument_id: Mapped[int]
    reservations: Mapped[str | None]
    declarations: Mapped[str | None]
    notes: Mapped[str | None]
    # A depositary's row from the catalogue (schema 0005)
    catalogue_key: Mapped[str | None]
    confidence: Mapped[Confidence | None]
    as_of: Mapped[PartialDate | None]
    catalogue_values: Mapped[dict[str, Any] | None]
    listed_standing: Mapped[Standing | None]

    party: Mapped[Party] = relationship()
    instrument: Mapped[Instrument] = relationship(back_populates="participations")
    milestones: Mapped[list[Milestone]] = relationship(
        back_populates="participation", order_by="Milestone.id"
    )

    def milestone_facts(self) -> list[MilestoneFact]:
        """The live milestones, as the domain's status derivation wants them."""
        return [
            MilestoneFact(m.kind, m.actual, m.planned)
            for m in self.milestones
            if m.retired_at is None
        ]

    def audit_label(self) -> str:
        return f"participation {self.party_id}/{self.instrument_id}"


class Milestone(Base, Record, Sensitive, Retirable):
    """A dated step: signature, deposit… or a domestic one such as cabinet approval,
    with the agency responsible and a planned and an actual date."""

    __table__ = t.milestone

    participation_id: Mapped[int]
    kind: Mapped[MilestoneKind]
    planned: Mapped[PartialDate | None]
    actual: Mapped[PartialDate | None]
    responsible_agency_id: Mapped[int | None]
    reference: Mapped[str | None]
    notes: Mapped[str | None]
    # A depositary's fact from the catalogue (schema 0005)
    catalogue_key: Mapped[str | None]
    confidence: Mapped[Confidence | None]
    as_of: Mapped[PartialDate | None]
    catalogue_values: Mapped[dict[str, Any] | None]

    participation: Mapped[Participation] = relationship(back_populates="milestones")
    responsible_agency: Mapped[Agency | None] = relationship()

    def audit_label(self) -> str:
        return f"milestone {self.kind}"


class ReportingObligation(Base, Record, Sensitive, Retirable):
    """One report owed under an instrument (CPPNM Art. 14, a 1540 national report…)."""

    __table__ = t.reporting_obligation

    instrument_id: Mapped[int]
    party_id: Mapped[int]
    title: Mapped[str]
    description: Mapped[str | None]
    period: Mapped[str | None]
    due: Mapped[PartialDate | None]
    submitted: Mapped[PartialDate | None]
    document_id: Mapped[int | None]
    responsible_agency_id: Mapped[int | None]
    notes: Mapped[str | None]

    instrument: Mapped[Instrument] = relationship()
    responsible_agency: Mapped[Agency | None] = relationship()

    def audit_label(self) -> str:
        return f"report {self.title}"
