"""Freezing baselines: the register as it stood on a date, under a name.

A baseline stores, for every live commitment, action item and participation of the
desk's state, a small JSON payload of what a later comparison needs (status,
target, lead agency, themes, sensitivity). The baseline itself carries a
sensitivity (the desk's default marking unless one is chosen), like every record
that can leave the desk. Statuses are taken as of the
baseline's date from the history, so a baseline can also be frozen after the
fact ("as reported at The Hague 2014"). The payload has a version number, so a
later nsdesk can still read baselines frozen today.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

from sqlalchemy import Connection, select

from nsdesk.domain.derived import binding_target, latest_entry
from nsdesk.domain.enums import JoiningMechanism, MilestoneKind
from nsdesk.domain.participation import MilestoneFact, derive_participation_status
from nsdesk.services.audit import AuditContext, creation_rows
from nsdesk.store import tables as t
from nsdesk.store.bulk import insert_rows
from nsdesk.store.ids import new_uuid

#: 1: status, target, agency, themes, sensitivity per record. 2: and the UUIDs of
#: the entry that set each status and of the target in force.
BASELINE_PAYLOAD_VERSION = 2


def _commitment_payloads(connection: Connection, as_of: date) -> list[dict[str, Any]]:
    """Each live commitment pledged by ``as_of``: its status then, with the UUID of
    the entry that set it and of the target in force (payload 2), so a pack cut for
    an audience can tell whether it may print the status the baseline froze."""
    c, e, tg = t.commitment, t.status_entry, t.target
    agencies = dict(connection.execute(select(t.agency.c.id, t.agency.c.code)).all())
    themes: dict[int, list[str]] = defaultdict(list)
    for commitment_id, code in connection.execute(
        select(t.commitment_theme.c.commitment_id, t.theme.c.code).join(
            t.theme, t.theme.c.id == t.commitment_theme.c.theme_id
        )
    ):
        themes[commitment_id].append(code)
    entries: dict[int, list[Any]] = defaultdict(list)
    for row in connection.execute(
        select(
            e.c.id, e.c.uuid, e.c.commitment_id, e.c.entry_date, e.c.created_at, e.c.status
        ).where(e.c.retired_at.is_(None), e.c.entry_date <= as_of)
    ):
        entries[row.commitment_id].append(row)
    targets: dict[int, list[Any]] = defaultdict(list)
    for row in connection.execute(
        select(tg.c.id, tg.c.uuid, tg.c.commitment_id, tg.c.due, tg.c.revises_id).where(
            tg.c.retired_at.is_(None)
        )
    ):
        targets[row.commitment_id].append(row)
    payloads = []
    for row in connection.execute(
        select(
            c.c.id, c.c.uuid, c.c.ref, c.c.title, c.c.lead_agency_id, c.c.sensitivity, c.c.priority
        )
        .where(c.c.retired_at.is_(None))
        .order_by(c.c.id)
    ):
        entry = latest_entry(entries.get(row.id, ()))
        if entry is None:
            continue  # not yet pledged on that date
        target = binding_target(targets.get(row.id, ()))
        payloads.append(
            {
                "record_table": "commitment",
                "record_uuid": row.uuid,
                "record_ref": row.ref,
                "payload": {
                    "ref": row.ref,
                    "title": row.title,
                    "status": entry.status,
                    "status_date": entry.entry_date.isoformat(),
                    "status_entry": entry.uuid,
                    "target": str(target.due) if target is not None else None,
                    "target_uuid": target.uuid if target is not None else None,
                    "lead_agency": agencies.get(row.lead_agency_id),
                    "themes": sorted(themes.get(row.id, [])),
                    "sensitivity": row.sensitivity,
                    "priority": row.priority,
                },
            }
        )
    return payloads


def _action_item_payloads(connection: Connection) -> list[dict[str, Any]]:
    a = t.action_item
    return [
        {
            "record_table": "action_item",
            "record_uuid": row.uuid,
            "record_ref": row.ref,
            "payload": {
                "ref": row.ref,
                "title": row.title,
                "status": row.status,
                "due": str(row.due) if row.due else None,
                "sensitivity": row.sensitivity,
            },
        }
        for row in connection.execute(
            select(a.c.uuid, a.c.ref, a.c.title, a.c.status, a.c.due, a.c.sensitivity)
            .where(a.c.retired_at.is_(None))
            .order_by(a.c.id)
        )
    ]


def _participation_payloads(connection: Connection, as_of: date) -> list[dict[str, Any]]:
    p, ms, i = t.participation, t.milestone, t.instrument
    own_state = connection.execute(select(t.desk_settings.c.own_state_id)).scalar_one()
    facts: dict[int, list[MilestoneFact]] = defaultdict(list)
    for participation_id, kind, actual, planned in connection.execute(
        select(ms.c.participation_id, ms.c.kind, ms.c.actual, ms.c.planned).where(
            ms.c.retired_at.is_(None)
        )
    ):
        facts[participation_id].append(MilestoneFact(MilestoneKind(kind), actual, planned))
    payloads = []
    for row in connection.execute(
        select(p.c.id, p.c.uuid, p.c.sensitivity, i.c.code, i.c.mechanism)
        .join(i, i.c.id == p.c.instrument_id)
        .where(p.c.party_id == own_state, p.c.retired_at.is_(None))
        .order_by(p.c.id)
    ):
        assessment = derive_participation_status(
            JoiningMechanism(row.mechanism), facts[row.id], as_of
        )
        payloads.append(
            {
                "record_table": "participation",
                "record_uuid": row.uuid,
                "record_ref": row.code,
                "payload": {
                    "instrument": row.code,
                    "status": assessment.status.value,
                    "since": str(assessment.since) if assessment.since else None,
                    "sensitivity": row.sensitivity,
                },
            }
        )
    return payloads


def freeze_items(connection: Connection, baseline_id: int, as_of: date) -> int:
    """Store the register as of ``as_of`` as the items of baseline ``baseline_id``;
    returns how many records were frozen."""
    items = [
        *_commitment_payloads(connection, as_of),
        *_action_item_payloads(connection),
        *_participation_payloads(connection, as_of),
    ]
    if items:
        insert_rows(connection, t.baseline_item, [{"baseline_id": baseline_id, **i} for i in items])
    connection.execute(
        t.baseline.update()
        .where(t.baseline.c.id == baseline_id)
        .values(payload_version=BASELINE_PAYLOAD_VERSION)
    )
    return len(items)


def freeze_baseline(
    connection: Connection,
    ctx: AuditContext,
    *,
    name: str,
    as_of: date,
    event_id: int | None = None,
    description: str | None = None,
    sensitivity: str | None = None,
) -> int:
    """Create and freeze a baseline in one go with SQLAlchemy Core (for bulk
    builders such as the demo, inside their transaction); returns its id.
    It is marked ``sensitivity``, or the desk's default marking when none is given.
    Editors create baselines through the record service, which freezes too (and
    marks a new baseline with the desk's default unless the form says otherwise)."""
    if sensitivity is None:
        sensitivity = connection.execute(select(t.desk_settings.c.default_sensitivity)).scalar_one()
    baseline_uuid = new_uuid()
    inserted = connection.execute(
        t.baseline.insert().values(
            uuid=baseline_uuid,
            name=name,
            as_of=as_of,
            event_id=event_id,
            description=description,
            payload_version=BASELINE_PAYLOAD_VERSION,
            sensitivity=sensitivity,
        )
    ).inserted_primary_key
    assert inserted is not None  # a one-row INSERT always reports its key
    baseline_id = inserted[0]
    frozen = freeze_items(connection, baseline_id, as_of)
    connection.execute(
        t.audit_entry.insert(),
        creation_rows(
            ctx,
            "baseline",
            [
                (
                    baseline_uuid,
                    f"baseline {name}",
                    {"as_of": as_of.isoformat(), "items": frozen, "sensitivity": sensitivity},
                )
            ],
        ),
    )
    return baseline_id
