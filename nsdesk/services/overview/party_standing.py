"""Who has joined an instrument: every party's standing on a date, and the dated
party counts — the reads a universalization view is built on.

A party's standing (party, signatory only, outside) is never stored: it is derived
on the day asked for from its live milestones by
:func:`nsdesk.domain.participation.standing_on`, the same rule as the own state's
status, with the standing a source lists without a date counting only from that
source's date. Parties without a participation row are outside. Counts are the
instrument's membership snapshots, oldest first, each saying whether it includes
organisations and whether a member list is complete: never one number.

Read models only (frozen dataclasses), SQLAlchemy Core. Regions are not here: a
view groups parties by their ISO code.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Connection, select

from nsdesk.domain.dates import PartialDate
from nsdesk.domain.enums import (
    CONSENT_TO_BE_BOUND,
    Confidence,
    JoiningMechanism,
    MilestoneKind,
    PartyKind,
    Standing,
)
from nsdesk.domain.participation import MilestoneFact, standing_on
from nsdesk.services.desk import Desk
from nsdesk.store import tables as t


@dataclass(frozen=True, slots=True)
class PartyStanding:
    """One party's standing under an instrument on a day, and the facts behind it."""

    code: str  # ISO 3166 alpha-3, or an organisation's code (EURATOM)
    name: str
    kind: PartyKind
    standing: Standing
    #: Since when (``None`` for outside); with ``undated``, the date of the source
    #: that lists the party without saying when it joined.
    since: PartialDate | None
    undated: bool
    signed: PartialDate | None
    consent: MilestoneKind | None  # ratification, acceptance, approval, accession…
    consented: PartialDate | None
    in_force: PartialDate | None
    confidence: Confidence | None
    as_of: PartialDate | None
    participation_uuid: str


@dataclass(frozen=True, slots=True)
class PartyCount:
    """How many were party to an instrument on a date, by the cited source."""

    uuid: str
    snapshot_date: PartialDate | None
    parties: int | None
    signatories: int | None
    includes_organisations: bool | None
    member_list_complete: bool | None
    description: str | None
    confidence: Confidence | None


def standings_on(connection: Connection, instrument: str, day: date) -> tuple[PartyStanding, ...]:
    """Every party with a live participation in ``instrument`` (its code), with its
    standing on ``day``, ordered by name. Parties not listed are outside."""
    i, p, ms, party = t.instrument, t.participation, t.milestone, t.party
    found = connection.execute(select(i.c.id, i.c.mechanism).where(i.c.code == instrument)).first()
    if found is None:
        return ()
    mechanism = JoiningMechanism(found.mechanism)
    rows = connection.execute(
        select(
            p.c.id,
            p.c.uuid,
            p.c.listed_standing,
            p.c.confidence,
            p.c.as_of,
            party.c.code,
            party.c.name,
            party.c.kind,
        )
        .join(party, party.c.id == p.c.party_id)
        .where(p.c.instrument_id == found.id, p.c.retired_at.is_(None))
    ).all()
    steps: dict[int, list[tuple[MilestoneKind, PartialDate | None, PartialDate | None]]]
    steps = defaultdict(list)
    for participation_id, kind, actual, planned in connection.execute(
        select(ms.c.participation_id, ms.c.kind, ms.c.actual, ms.c.planned).where(
            ms.c.participation_id.in_([r.id for r in rows]), ms.c.retired_at.is_(None)
        )
    ):
        steps[participation_id].append((MilestoneKind(kind), actual, planned))
    result = []
    for row in rows:
        own = steps[row.id]
        facts = [MilestoneFact(kind, actual, planned) for kind, actual, planned in own]
        assessment = standing_on(mechanism, facts, day, row.listed_standing, row.as_of)

        consent, consented = _first(own, CONSENT_TO_BE_BOUND, day)
        result.append(
            PartyStanding(
                code=row.code,
                name=row.name,
                kind=PartyKind(row.kind),
                standing=assessment.standing,
                since=assessment.since,
                undated=assessment.undated,
                signed=_first(own, {MilestoneKind.SIGNATURE}, day)[1],
                consent=consent,
                consented=consented,
                in_force=_first(own, {MilestoneKind.ENTRY_INTO_FORCE}, day)[1],
                confidence=row.confidence,
                as_of=row.as_of,
                participation_uuid=row.uuid,
            )
        )
    return tuple(sorted(result, key=lambda s: s.name.casefold()))


def _first(
    steps: list[tuple[MilestoneKind, PartialDate | None, PartialDate | None]],
    kinds: Collection[MilestoneKind],
    day: date,
) -> tuple[MilestoneKind | None, PartialDate | None]:
    """The earliest step of ``kinds`` taken by ``day``: its kind and date."""
    reached = [
        (kind, actual)
        for kind, actual, _ in steps
        if kind in kinds and actual is not None and actual.earliest() <= day
    ]
    return min(reached, key=lambda pair: pair[1].sort_key()) if reached else (None, None)


def party_counts(connection: Connection, instrument: str) -> tuple[PartyCount, ...]:
    """The instrument's dated party counts, oldest first (undated ones last)."""
    i, ms = t.instrument, t.membership_snapshot
    rows = connection.execute(
        select(ms)
        .join(i, i.c.id == ms.c.instrument_id)
        .where(i.c.code == instrument, ms.c.retired_at.is_(None))
    ).all()

    def when(r: Any) -> tuple[int, tuple[int, int, int], int]:
        day = r.snapshot_date
        return (0, day.sort_key(), r.id) if day else (1, (0, 0, 0), r.id)

    return tuple(
        PartyCount(
            uuid=r.uuid,
            snapshot_date=r.snapshot_date,
            parties=r.member_count,
            signatories=r.signatory_count,
            includes_organisations=r.includes_organisations,
            member_list_complete=r.member_list_complete,
            description=r.description,
            confidence=r.confidence,
        )
        for r in sorted(rows, key=when)
    )


def instrument_standings(
    desk: Desk, instrument: str, day: date | None = None
) -> tuple[tuple[PartyStanding, ...], tuple[PartyCount, ...]]:
    """Every listed party's standing under ``instrument`` on ``day`` (today if None),
    and the instrument's dated party counts."""
    with desk.connect() as connection:
        return (
            standings_on(connection, instrument, day or date.today()),
            party_counts(connection, instrument),
        )
