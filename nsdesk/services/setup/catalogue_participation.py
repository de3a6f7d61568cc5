"""Applying the catalogue's participation: every party's acts under the treaties.

Each catalogue row is one party's participation in one instrument (ICSANT, the
CPPNM, its amendment), with its milestones — the signature, the act of consent and
its kind, the deposit, entry into force for that party — each a fact with its
sources (cited on the participation), confidence and as-of date. Both merge through
the same per-field three-way merge as every other catalogue record
(:mod:`nsdesk.services.setup.catalogue_merge`), so a newer catalogue never
overwrites what the user edited.

The desk's own state is one party among the others, with one difference: its
domestic pipeline (inter-agency review, cabinet, parliament…) is the user's own
milestones, rows without a catalogue key on the same participation, which the
catalogue never touches. A participation or an international step the user
recorded before the catalogue knew it is adopted, not duplicated: their signature
becomes the catalogue's signature, keeping every value they typed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import select

from nsdesk.domain.dates import PartialDate
from nsdesk.domain.enums import CONSENT_TO_BE_BOUND, Confidence, MilestoneKind, Standing
from nsdesk.services.setup.catalogue_merge import RecordMerger, Wanted
from nsdesk.store import tables as t


def _group(kind: MilestoneKind | str) -> str:
    """Which step of a depositary's row a milestone of ``kind`` records: any act of
    consent is one step (a user's "ratification" is the catalogue's "acceptance")."""
    member = MilestoneKind(kind)
    return "consent" if member in CONSENT_TO_BE_BOUND else member.value


def _partial(value: str | None) -> PartialDate | None:
    return PartialDate.parse(value) if value else None


def merge_participation(
    merger: RecordMerger,
    rows: list[dict[str, Any]],
    parties: Mapping[str, int],
    instruments: Mapping[str, int],
    as_of: PartialDate,
    instrument_names: Mapping[str, str],
) -> None:
    """Merge the catalogue's participation rows and their milestones into the desk.

    ``instrument_names`` gives each instrument's short name by its catalogue key: the
    history names a state's step "ISL in CPPNM: Deposit", never by the stored key."""
    if not rows:
        return
    p = t.participation
    wanted = []
    pairs: dict[tuple[int, int], str] = {}
    for row in rows:
        party_id, instrument_id = parties[row["party"]], instruments[row["instrument"]]
        pairs[(party_id, instrument_id)] = row["key"]
        wanted.append(
            Wanted(
                row["key"],
                {
                    "party_id": party_id,
                    "instrument_id": instrument_id,
                    "listed_standing": Standing(row["listed_standing"]),
                    "reservations": row.get("reservations"),
                    "notes": row.get("notes"),
                    "confidence": Confidence(row["confidence"]),
                    "as_of": _partial(row.get("as_of")) or as_of,
                },
                f"{row['party']} in {instrument_names.get(row['instrument'], row['instrument'])}",
                tuple(row.get("sources", ())),
            )
        )
    merger.adopt(p, _unkeyed_participations(merger, pairs))
    ids = merger.merge(p, wanted)
    merger.adopt(t.milestone, _unkeyed_milestones(merger, rows, ids))
    merger.merge(
        t.milestone,
        [
            Wanted(
                m["key"],
                {
                    "participation_id": ids[row["key"]],
                    "kind": MilestoneKind(m["kind"]),
                    "actual": _partial(m.get("actual")),
                    "notes": m.get("notes"),
                    "confidence": Confidence(row["confidence"]),
                    "as_of": _partial(row.get("as_of")) or as_of,
                },
                f"{row['party']} in "
                f"{instrument_names.get(row['instrument'], row['instrument'])}: "
                f"{MilestoneKind(m['kind']).label}",
            )
            for row in rows
            for m in row.get("milestones", ())
        ],
    )


def _unkeyed_participations(
    merger: RecordMerger, pairs: Mapping[tuple[int, int], str]
) -> dict[str, int]:
    """The user's participation rows (no catalogue key) the catalogue also holds."""
    p = t.participation
    found = merger.connection.execute(
        select(p.c.id, p.c.party_id, p.c.instrument_id).where(
            p.c.catalogue_key.is_(None),
            p.c.party_id.in_({party for party, _ in pairs}),
        )
    ).all()
    return {
        pairs[(r.party_id, r.instrument_id)]: r.id
        for r in found
        if (r.party_id, r.instrument_id) in pairs
    }


def _unkeyed_milestones(
    merger: RecordMerger, rows: Iterable[dict[str, Any]], ids: Mapping[str, int]
) -> dict[str, int]:
    """The user's live international steps (no catalogue key) that record a step the
    catalogue holds for the same participation: the first of each step."""
    ms = t.milestone
    keys: dict[tuple[int, str], str] = {}
    for row in rows:
        for m in row.get("milestones", ()):
            keys.setdefault((ids[row["key"]], _group(m["kind"])), m["key"])
    if not keys:
        return {}
    found = merger.connection.execute(
        select(ms.c.id, ms.c.participation_id, ms.c.kind)
        .where(
            ms.c.catalogue_key.is_(None),
            ms.c.retired_at.is_(None),
            ms.c.participation_id.in_({participation for participation, _ in keys}),
        )
        .order_by(ms.c.id)
    ).all()
    adopted: dict[str, int] = {}
    for r in found:
        key = keys.get((r.participation_id, _group(r.kind)))
        if key is not None and key not in adopted:
            adopted[key] = r.id
    return adopted
