"""How each sheet's rows are read from the desk, as the workbook shows them.

Every loader reads through an :class:`~nsdesk.services.exchange.sheet_specs.ExportScope`
(the desk as the audience may see it): a record above the ceiling is not a row,
and a name that belongs to one prints as "(withheld)". Loaders get no connection,
and import-linter keeps this module from reaching a table or the store.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from nsdesk.domain.derived import own_state_listed
from nsdesk.domain.enums import (
    AgencyKind,
    Channel,
    CommitmentStatus,
    GiftBasketRole,
    MilestoneKind,
    Priority,
)
from nsdesk.services.audience.ceiling import WITHHELD
from nsdesk.services.audience.view import AudienceView
from nsdesk.services.exchange.sheet_specs import ExportScope, Row, label


def _themes(view: AudienceView, link: str, record_id: int) -> str:
    codes = sorted(view.name("theme", theme_id) or "" for theme_id in view.linked(link, record_id))
    return "; ".join(codes)


def _commitments(scope: ExportScope) -> Sequence[Any]:
    agency_id = scope.agency_id
    return scope.view.records(
        "commitment",
        where=None if agency_id is None else (lambda r: r.lead_agency_id == agency_id),
        key=lambda r: r.ref,
    )


def load_commitments(scope: ExportScope) -> list[Row]:
    """The Commitments sheet: status and last update from the latest entry the
    audience may see (or "Status withheld"), the binding target likewise."""
    view = scope.view
    rows = []
    for r in _commitments(scope):
        status = view.status(r.id)
        target = view.binding_target(r.id)
        rows.append(
            {
                "_uuid": r.uuid,
                "_id": r.id,
                "_sensitivity": r.sensitivity,
                "_entry": status.entry,
                "ref": r.ref,
                "title": r.title,
                "lead_agency": scope.agency(r.lead_agency_id),
                "priority": label(Priority, r.priority),
                "themes": _themes(view, "commitment_theme", r.id),
                "pledged_on": r.pledged_on,
                "target": WITHHELD if target.withheld else target.due,
                "status": status.label if status.entry is not None or status.withheld else None,
                "last_update": WITHHELD if status.withheld else status.entry_date,
                "next_steps": r.next_steps,
                "talking_points": r.talking_points,
                "text": r.text,
                "notes": r.notes,
                "sensitivity": r.sensitivity,
                "record_id": r.uuid,
            }
        )
    return rows


def load_return_commitments(scope: ExportScope) -> list[Row]:
    """A return's rows: the progress columns start empty for the ministry to fill;
    the latest narrative and evidence are kept aside, so that importing the same
    return twice does not record the same progress twice."""
    rows = load_commitments(scope)
    for row in rows:
        entry = row.pop("_entry")
        row["_narrative"] = entry.narrative if entry is not None else None
        row["_evidence"] = entry.evidence if entry is not None else None
        row["narrative"] = None
        row["evidence"] = None
        row["revised_target"] = None
    return rows


def load_history(scope: ExportScope) -> list[Row]:
    """The History sheet: the progress entries the audience may see of the
    commitments in scope, in date order per commitment."""
    view = scope.view
    refs = {r.id: r.ref for r in _commitments(scope)}
    entries = view.records(
        "status_entry",
        where=lambda r: r.commitment_id in refs,
        key=lambda r: (r.commitment_id, r.entry_date, r.created_at, r.uuid),
    )
    return [
        {
            "_uuid": r.uuid,
            "_sensitivity": r.sensitivity,
            "commitment": refs[r.commitment_id],
            "entry_date": r.entry_date,
            "status": label(CommitmentStatus, r.status),
            "narrative": r.narrative,
            "evidence": r.evidence,
            "source_ref": r.source_ref or label(Channel, r.channel),
            "sensitivity": r.sensitivity,
            "record_id": r.uuid,
        }
        for r in entries
    ]


def load_gift_baskets(scope: ExportScope) -> list[Row]:
    """The Gift baskets sheet: the joint statements within the ceiling, by code."""
    view = scope.view
    return [
        {
            "_uuid": r.uuid,
            "_sensitivity": r.sensitivity,
            "code": r.code,
            "title": r.title,
            "event": view.name("event", r.event_id, "code"),
            "issued_on": r.issued_on,
            "infcirc": r.infcirc,
            "themes": _themes(view, "gift_basket_theme", r.id),
            "own_role": label(GiftBasketRole, r.own_role),
            "own_role_note": r.own_role_note,
            "sensitivity": r.sensitivity,
            "record_id": r.uuid,
        }
        for r in view.records("gift_basket", key=lambda r: r.code)
    ]


def _yes_no(flag: bool | None) -> str:
    """A flag of the catalogue as a cell says it ("Not known" when not stated)."""
    return {True: "Yes", False: "No", None: "Not known"}[flag]


def load_signatories(scope: ExportScope) -> list[Row]:
    """The Signatories sheet: each basket's membership over time, and whether
    our state is listed."""
    view = scope.view
    rows = []
    for basket in view.records("gift_basket", key=lambda r: r.code):
        snapshots = sorted(
            view.children("membership_snapshot", "gift_basket_id", basket.id),
            key=lambda s: (s.snapshot_date.sort_key() if s.snapshot_date else (0, 0, 0), s.id),
        )
        for r in snapshots:
            members = set(view.linked("membership_snapshot_party", r.id))
            listed = own_state_listed(
                members, r.member_count, scope.info.own_state_id, r.member_list_complete
            )
            rows.append(
                {
                    "_uuid": r.uuid,
                    "_sensitivity": None,
                    "gift_basket": basket.code,
                    "snapshot_date": r.snapshot_date,
                    "member_count": r.member_count,
                    "observer_count": r.observer_count,
                    "we_are_listed": {True: "Yes", False: "No", None: "Not known"}[listed],
                    "includes_organisations": _yes_no(r.includes_organisations),
                    "list_complete": _yes_no(r.member_list_complete),
                    "description": r.description,
                    "record_id": r.uuid,
                }
            )
    return rows


def load_action_items(scope: ExportScope) -> list[Row]:
    """The Action items sheet (a return: only its agency's items), by ref."""
    view = scope.view
    agency_id = scope.agency_id
    items = view.records(
        "action_item",
        where=None if agency_id is None else (lambda r: r.agency_id == agency_id),
        key=lambda r: r.ref,
    )
    return [
        {
            "_uuid": r.uuid,
            "_sensitivity": r.sensitivity,
            "ref": r.ref,
            "gift_basket": view.name("gift_basket", r.gift_basket_id, "code"),
            "title": r.title,
            "agency": scope.agency(r.agency_id),
            "due": r.due,
            "status": label(CommitmentStatus, r.status),
            "notes": r.notes,
            "sensitivity": r.sensitivity,
            "record_id": r.uuid,
        }
        for r in items
    ]


def load_milestones(scope: ExportScope) -> list[Row]:
    """The Participation sheet: the milestones of our own participation in the
    instruments."""
    view = scope.view
    own = {
        p.id: p
        for p in view.records(
            "participation", where=lambda p: p.party_id == scope.info.own_state_id
        )
    }
    instruments = {
        p_id: view.name("instrument", p.instrument_id, "short_name") for p_id, p in own.items()
    }
    milestones = view.records(
        "milestone",
        where=lambda m: m.participation_id in own,
        key=lambda m: (
            (instruments[m.participation_id] or "").casefold(),
            m.planned.sort_key() if m.planned else (0, 0, 0),
            m.actual.sort_key() if m.actual else (0, 0, 0),
            m.id,
        ),
    )
    return [
        {
            "_uuid": r.uuid,
            "_sensitivity": r.sensitivity,
            "instrument": instruments[r.participation_id],
            "kind": label(MilestoneKind, r.kind),
            "planned": r.planned,
            "actual": r.actual,
            "responsible_agency": scope.agency(r.responsible_agency_id),
            "reference": r.reference,
            "notes": r.notes,
            "sensitivity": r.sensitivity,
            "record_id": r.uuid,
        }
        for r in milestones
    ]


def load_reporting(scope: ExportScope) -> list[Row]:
    """The Reporting sheet: our own reporting obligations, soonest due first."""
    view = scope.view
    obligations = view.records(
        "reporting_obligation",
        where=lambda r: r.party_id == scope.info.own_state_id,
        key=lambda r: (r.due.sort_key() if r.due else (0, 0, 0), r.title, r.id),
    )
    return [
        {
            "_uuid": r.uuid,
            "_sensitivity": r.sensitivity,
            "instrument": view.name("instrument", r.instrument_id, "short_name"),
            "title": r.title,
            "period": r.period,
            "due": r.due,
            "submitted": r.submitted,
            "responsible_agency": scope.agency(r.responsible_agency_id),
            "notes": r.notes,
            "sensitivity": r.sensitivity,
            "record_id": r.uuid,
        }
        for r in obligations
    ]


def load_agencies(scope: ExportScope) -> list[Row]:
    """The Agencies sheet, by code."""
    view = scope.view
    return [
        {
            "_uuid": r.uuid,
            "_sensitivity": r.sensitivity,
            "code": r.code,
            "name": r.name,
            "kind": label(AgencyKind, r.kind),
            "parent": scope.agency(r.parent_id),
            "notes": r.notes,
            "sensitivity": r.sensitivity,
            "record_id": r.uuid,
        }
        for r in view.records("agency", key=lambda r: r.code)
    ]
