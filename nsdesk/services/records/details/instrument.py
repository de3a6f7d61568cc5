"""An instrument's detail: its catalogue facts and sources, and where the own state
stands (its milestones, status and pipeline of steps)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select

from nsdesk.domain.dates import PartialDate
from nsdesk.domain.enums import JoiningMechanism, LabelledEnum
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
from nsdesk.services.records.details.citations import SourceLine, cited_sources
from nsdesk.services.records.details.lookup import find_record
from nsdesk.store import tables as t


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
        row = find_record(connection, t.instrument, "code", code, "instrument")
        sources = tuple(cited_sources(connection, "instrument", [row.uuid]).get(row.uuid, ()))
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
