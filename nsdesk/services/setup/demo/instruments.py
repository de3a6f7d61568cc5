"""The own state's standing under the real instruments: participation with its
milestones, and reporting obligations."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import select

from nsdesk.domain.dates import PartialDate
from nsdesk.domain.enums import MilestoneKind
from nsdesk.services.setup.demo.content import ILLUSTRATIVE, ILLUSTRATIVE_DATES
from nsdesk.store import tables as t

if TYPE_CHECKING:
    from nsdesk.services.setup.demo.builder import DemoBuilder


def add_participations(demo: DemoBuilder) -> None:
    """The own state's participation in the content's instruments. Where the catalogue
    holds the state's depositary facts (ICSANT, the CPPNM amendment) the demo adds
    only the domestic pipeline on top of them; elsewhere it records the whole path,
    its dates illustrative. A step marked real in the content keeps its source's
    words and is not tagged illustrative."""
    table = t.participation
    own = demo.info.own_state_id
    known = dict(
        demo.conn.execute(
            select(table.c.instrument_id, table.c.id).where(table.c.party_id == own)
        ).all()
    )
    rows = [
        {
            "party_id": own,
            "instrument_id": demo.instruments[p["instrument"]],
            "notes": ILLUSTRATIVE_DATES,
            "sensitivity": "INTERNAL",
        }
        for p in demo.content["participations"]
        if demo.instruments[p["instrument"]] not in known
    ]
    demo.insert(t.participation, rows, lambda r: "participation")
    ids = dict(
        demo.conn.execute(
            select(table.c.instrument_id, table.c.id).where(table.c.party_id == own)
        ).all()
    )
    milestones = []
    for p in demo.content["participations"]:
        for kind, planned, actual, *real in p["milestones"]:
            kind = MilestoneKind(kind)
            agency = "JUS" if kind.is_domestic else "MFA"
            milestones.append(
                {
                    "participation_id": ids[demo.instruments[p["instrument"]]],
                    "kind": kind,
                    "planned": PartialDate.parse(planned) if planned else None,
                    "actual": PartialDate.parse(actual) if actual else None,
                    "responsible_agency_id": demo.agencies[agency],
                    "notes": real[0] if real else "Illustrative date (DEMO desk).",
                    "sensitivity": "INTERNAL",
                }
            )
    demo.insert(t.milestone, milestones, lambda r: f"milestone {r['kind']}")


def add_reporting(demo: DemoBuilder) -> None:
    """The own state's reporting obligations under its instruments."""
    rows = [
        {
            "instrument_id": demo.instruments[r["instrument"]],
            "party_id": demo.info.own_state_id,
            "title": r["title"],
            "period": r["period"],
            "due": PartialDate.parse(r["due"]),
            "submitted": PartialDate.parse(r["submitted"]) if r["submitted"] else None,
            "responsible_agency_id": demo.agencies[r["agency"]],
            "notes": ILLUSTRATIVE,
            "sensitivity": "INTERNAL",
        }
        for r in demo.content["reporting"]
    ]
    demo.insert(t.reporting_obligation, rows, lambda r: f"report {r['title']}")
