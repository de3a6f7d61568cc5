"""A demo commitment's past: its status history and its targets, some late and
some at risk on the day the demo is made."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from nsdesk.domain.dates import PartialDate
from nsdesk.domain.enums import Channel, CommitmentStatus, EvidenceQuality
from nsdesk.services.setup.demo.content import ACTIVE
from nsdesk.store.ids import new_uuid

if TYPE_CHECKING:
    from nsdesk.services.setup.demo.builder import DemoBuilder


def history_rows(
    demo: DemoBuilder,
    ref: str,
    pledged: date,
    final: CommitmentStatus,
    real: dict[str, Any] | None,
) -> list[dict[str, Any]]:
    """A commitment's status history from its pledge to its ``final`` status (a real
    one's as the content gives it, from its sources), oldest first."""
    narratives = demo.content["narratives"]
    last_day = demo.today - timedelta(days=7)
    entries = [
        (pledged, CommitmentStatus.PLEDGED, "Recorded as pledged in the national statement.")
    ]
    if real:
        entries += [
            (date.fromisoformat(day), CommitmentStatus(status), narrative)
            for day, status, narrative in real["history"]
        ]
    elif final is not CommitmentStatus.PLEDGED:
        span = max((last_day - pledged).days, 30)
        steps = demo.rng.randint(7, 14)
        if final in ACTIVE:  # a live item has been reported on lately
            end = last_day - timedelta(days=demo.rng.randint(0, 240))
        else:
            end = pledged + timedelta(days=int(span * demo.rng.uniform(0.35, 0.95)))
        moments = sorted(
            pledged + timedelta(days=demo.rng.randint(20, max((end - pledged).days, 21)))
            for _ in range(steps - 1)
        )
        path = [CommitmentStatus.IN_PROGRESS] * (steps - 2)
        if final in (CommitmentStatus.COMPLETED, CommitmentStatus.PARTIALLY_COMPLETED):
            path.append(CommitmentStatus.PARTIALLY_COMPLETED)
        else:
            path.append(CommitmentStatus.IN_PROGRESS)
        path.append(final)
        for moment, status in zip(moments, path[-len(moments) :], strict=False):
            text = demo.rng.choice(narratives[status.value])
            entries.append((min(moment, last_day), status, text))
    rows = []
    for entry_date, status, narrative in entries:
        rows.append(
            {
                "ref": ref,
                "entry_date": entry_date,
                "status": status,
                "narrative": narrative,
                "evidence": demo.rng.choice(demo.content["evidence"])
                if status is not CommitmentStatus.PLEDGED
                else None,
                "evidence_quality": EvidenceQuality.OFFICIAL_SECONDARY
                if real
                else demo.rng.choice(list(EvidenceQuality)),
                "channel": Channel.DEMO,
                "recorded_by": demo.ctx.actor.name,
                "sensitivity": "PUBLIC" if real else demo.sensitivity(),
            }
        )
    return rows


def target_rows(
    demo: DemoBuilder,
    ref: str,
    pledged: date,
    status: CommitmentStatus,
    history: list[dict[str, Any]],
    revisions: list[dict[str, Any]],
) -> list[dict[str, Any]]:
    """A commitment's target (none for an ongoing one): late, soon due or later for an open one; an
    earlier target it revises goes to ``revisions``."""
    if status is CommitmentStatus.ONGOING:
        return []
    if status.is_closed:
        done = history[-1]["entry_date"]
        due = PartialDate(max(done.year + demo.rng.choice((-1, 0, 0, 1)), pledged.year))
    else:
        roll = demo.rng.random()
        if roll < 0.35:  # late
            due_day = demo.today - timedelta(days=demo.rng.randint(30, 900))
        elif roll < 0.6:  # falls due within the warning window
            due_day = demo.today + timedelta(days=demo.rng.randint(5, 85))
        else:
            due_day = demo.today + timedelta(days=demo.rng.randint(120, 1100))
        due_day = max(due_day, pledged + timedelta(days=60))
        due = (
            PartialDate.of(due_day)
            if demo.rng.random() < 0.6
            else PartialDate(due_day.year, due_day.month)
        )
    row = {
        "ref": ref,
        "due": due,
        "due_by": due.latest(),
        "uuid": new_uuid(),
        "description": "Target set in the national statement.",
    }
    if not status.is_closed and demo.rng.random() < 0.15:
        # An earlier target, since revised: the row above revises it.
        original = PartialDate(max(pledged.year + 2, due.year - 2))
        if original.latest() < due.latest():
            revised = dict(
                row,
                revises_uuid=row["uuid"],
                uuid=new_uuid(),
                description="Target revised in the national progress report.",
            )
            row.update(due=original, due_by=original.latest())
            revisions.append(revised)
    return [row]
