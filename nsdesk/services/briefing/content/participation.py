"""Where the own state takes part beyond its own commitments: the joint statements
("gift baskets") it has a role or action items in, and its standing and reports due
under each instrument."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

from nsdesk.briefing import model as m
from nsdesk.domain.derived import own_state_listed
from nsdesk.domain.enums import CommitmentStatus, GiftBasketRole, JoiningMechanism, MilestoneKind
from nsdesk.domain.participation import MilestoneLine, build_pipeline
from nsdesk.services.audience.view import AudienceView
from nsdesk.services.briefing.content.names import STATUSES, Names, display_date


def _members(count: int | None, observers: int | None, organisations: bool | None = None) -> str:
    if count is None:
        return "not stated"
    said = f"{count} incl. organisations" if organisations else str(count)
    return f"{said} (+{observers} observers)" if observers else said


def read_gift_baskets(
    view: AudienceView, names: Names, own_state_id: int
) -> tuple[tuple[m.BasketSheet, ...], int, list[tuple[str, str]]]:
    """The joint statements where the desk has a part or action items the audience
    may see, the number withheld, and (subject UUID, label) of every snapshot
    printed, for Sources."""

    def ours(basket: Any) -> bool:
        return basket.own_role is not GiftBasketRole.NONE or any(
            view.admitted("action_item", item.id)
            for item in view.children("action_item", "gift_basket_id", basket.id)
        )

    baskets = view.records("gift_basket", where=ours, key=lambda r: r.code)
    citations = _citation_titles(view, "membership_snapshot")
    sheets_: list[m.BasketSheet] = []
    cited: list[tuple[str, str]] = []
    for row in baskets:
        items = view.records(
            "action_item", where=lambda a, b=row.id: a.gift_basket_id == b, key=lambda a: a.ref
        )
        shown_items = [
            m.ActionLine(
                item.ref,
                item.title,
                names.agency(item.agency_id),
                display_date(item.due),
                STATUSES.get(item.status, CommitmentStatus.UNKNOWN).label,
            )
            for item in items
        ]
        lines = []
        for snap in sorted(
            view.children("membership_snapshot", "gift_basket_id", row.id),
            key=lambda s: (s.snapshot_date.sort_key() if s.snapshot_date else (9999, 0, 0), s.id),
        ):
            members = set(view.linked("membership_snapshot_party", snap.id))
            listed = {True: "Yes", False: "No", None: "Not known"}[
                own_state_listed(
                    members, snap.member_count, own_state_id, snap.member_list_complete
                )
            ]
            lines.append(
                m.SnapshotLine(
                    display_date(snap.snapshot_date) or "undated",
                    _members(snap.member_count, snap.observer_count, snap.includes_organisations),
                    listed,
                    "; ".join(citations.get(snap.uuid, [])),
                )
            )
            cited.append(
                (snap.uuid, f"{row.code} — signatories {display_date(snap.snapshot_date)}")
            )
        leads = sorted(view.name("party", p) or "" for p in view.linked("gift_basket_lead", row.id))
        sheets_.append(
            m.BasketSheet(
                code=row.code,
                title=row.title,
                event=names.event(row.event_id),
                infcirc=row.infcirc,
                role=GiftBasketRole(row.own_role).label,
                role_note=row.own_role_note,
                leads=tuple(leads),
                snapshots=tuple(lines),
                action_items=tuple(shown_items),
                action_items_withheld=items.withheld,
            )
        )
    return tuple(sheets_), baskets.withheld, cited


def _citation_titles(view: AudienceView, subject_table: str) -> dict[str, list[str]]:
    """Source titles by the UUID of the record they are cited for (citations and
    sources carry no marking: they are the catalogue's public references)."""
    found: dict[str, list[str]] = defaultdict(list)
    for citation in view.records(
        "citation", where=lambda c: c.subject_table == subject_table, live=False
    ):
        title = view.name("source", citation.source_id, "title")
        if title is not None and title not in found[citation.subject_uuid]:
            found[citation.subject_uuid].append(title)
    return found


def read_instruments(
    view: AudienceView, names: Names, own_state_id: int, as_of: date
) -> tuple[m.Instruments, list[tuple[str, str]]]:
    """The own state's standing under each instrument, from the milestones the
    audience may see; "Status withheld" where a withheld milestone would change it."""
    participations = view.records("participation", where=lambda p: p.party_id == own_state_id)
    lines: list[m.InstrumentLine] = []
    cited: list[tuple[str, str]] = []
    for row in participations:
        instrument = view.parent("instrument", row.instrument_id)
        mechanism = JoiningMechanism(instrument.mechanism)
        derived = view.participation_status(row.id, mechanism, as_of)
        steps = [
            MilestoneLine(
                x.uuid,
                MilestoneKind(x.kind),
                x.planned,
                x.actual,
                names.agency(x.responsible_agency_id) or None,
                x.reference,
            )
            for x in derived.milestones
        ]
        assessment = derived.assessment
        next_step = ""
        if assessment.next_step is not None and not derived.withheld:
            planned = assessment.next_step.planned
            next_step = assessment.next_step.kind.label + (
                f", planned {planned.display()}" if planned else ""
            )
        # lazy: the universalization module imports this one (its citation titles)
        from nsdesk.services.briefing.content.universalization import party_count_line

        lines.append(
            m.InstrumentLine(
                code=instrument.code,
                short_name=instrument.short_name,
                name=instrument.name,
                status="Status withheld" if derived.withheld else assessment.status.label,
                since="" if derived.withheld else display_date(assessment.since),
                next_step=next_step,
                steps=tuple(
                    m.StepLine(
                        MilestoneKind(s.kind).label,
                        display_date(s.planned),
                        display_date(s.actual),
                        "" if derived.withheld else s.state.label,
                    )
                    for s in build_pipeline(mechanism, steps, as_of)
                    if not derived.withheld or s.milestone_uuid is not None
                ),
                party_count=party_count_line(view, instrument.id, as_of),
            )
        )
        cited.append((instrument.uuid, instrument.short_name))
    lines.sort(key=lambda line: line.short_name.casefold())
    reporting, hidden = read_reporting(view, names, own_state_id, as_of)
    return m.Instruments(tuple(lines), reporting, participations.withheld + hidden), cited


def read_reporting(
    view: AudienceView, names: Names, own_state_id: int, as_of: date
) -> tuple[tuple[m.ReportingLine, ...], int]:
    """The own state's reports not yet submitted, soonest first."""
    obligations = view.records(
        "reporting_obligation",
        where=lambda r: r.party_id == own_state_id and r.submitted is None,
        key=lambda r: (r.due.latest() if r.due else date.max, r.title),
    )
    found = []
    for row in obligations:
        late = row.due is not None and row.due.latest() < as_of
        found.append(
            m.ReportingLine(
                view.name("instrument", row.instrument_id, "short_name") or "",
                row.title,
                row.period or "",
                display_date(row.due),
                names.agency(row.responsible_agency_id),
                "Late" if late else ("Due" if row.due else "No date"),
            )
        )
    return tuple(found), obligations.withheld
