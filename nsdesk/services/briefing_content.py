"""Reading a briefing pack's content from the desk, under an audience ceiling.

Each reader makes one pass over its tables with SQLAlchemy Core and returns
parts of :mod:`nsdesk.briefing.model`. Every row carrying a marking goes through
:class:`Audience` first: a record above the ceiling is counted as withheld and
never read further, so nothing of it (a status, a date, a name) reaches the
pack. A commitment's status is taken from its *included* history entries up to
the as-of date, so a withheld entry cannot show through the status it set.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Connection, select

from nsdesk.briefing import model as m
from nsdesk.domain.dates import PartialDate
from nsdesk.domain.deadlines import DeadlineAssessment, assess_deadline, is_due_before
from nsdesk.domain.enums import (
    CommitmentStatus,
    DeadlineState,
    GiftBasketRole,
    JoiningMechanism,
    MilestoneKind,
)
from nsdesk.domain.participation import MilestoneFact, derive_participation_status
from nsdesk.services.audience import WITHHELD, Audience
from nsdesk.services.record_details import MilestoneLine, build_pipeline, own_state_listed
from nsdesk.store import tables as t

UPCOMING_DAYS = 365
"""How far ahead the Upcoming deadlines section looks from the as-of date."""

_STATUSES = {s.value: s for s in CommitmentStatus}


def _date(value: PartialDate | date | None) -> str:
    if value is None:
        return ""
    if isinstance(value, PartialDate):
        return value.display()
    return PartialDate.of(value).display()


# -- names the sections share ----------------------------------------------------------


@dataclass(slots=True)
class Names:
    """Agencies, events, documents and themes by id, as the pack may print them."""

    agencies: dict[int, str] = field(default_factory=dict)
    events: dict[int, str] = field(default_factory=dict)
    documents: dict[int, Any] = field(default_factory=dict)  # id -> row, only admitted ones
    themes: dict[int, tuple[str, str, int]] = field(default_factory=dict)  # code, label, order

    def agency(self, agency_id: int | None) -> str:
        if agency_id is None:
            return ""
        return self.agencies.get(agency_id, WITHHELD)


def read_names(connection: Connection, audience: Audience) -> Names:
    names = Names()
    for row in connection.execute(
        # Retired agencies too: a commitment may still name one, and a retired
        # agency is not a secret one ("(withheld)" is for the ceiling only).
        select(t.agency.c.id, t.agency.c.name, t.agency.c.sensitivity)
    ):
        if audience.admit(row.sensitivity):
            names.agencies[row.id] = row.name
    e = t.event
    for row in connection.execute(select(e.c.id, e.c.name, e.c.sensitivity)):
        if audience.admit(row.sensitivity):
            names.events[row.id] = row.name
    d = t.document
    for row in connection.execute(
        select(d.c.id, d.c.uuid, d.c.title, d.c.citation, d.c.url, d.c.sensitivity).where(
            d.c.retired_at.is_(None)
        )
    ):
        if audience.permits(row.sensitivity):  # admitted when cited, not merely present
            names.documents[row.id] = row
    for row in connection.execute(
        select(t.theme.c.id, t.theme.c.code, t.theme.c.label, t.theme.c.sort_order)
    ):
        names.themes[row.id] = (row.code, row.label, row.sort_order)
    return names


# -- commitments -------------------------------------------------------------------------


@dataclass(slots=True)
class CommitmentFacts:
    """One included commitment as every section needs it."""

    id: int
    uuid: str
    ref: str
    title: str
    sensitivity: str
    row: Any
    status: CommitmentStatus
    last_progress: date | None
    target: PartialDate | None
    targets: list[str]
    assessment: DeadlineAssessment
    themes: list[int]
    contributing: list[int]
    history: list[m.HistoryLine]
    history_withheld: int

    @property
    def open(self) -> bool:
        return not self.status.is_closed


@dataclass(slots=True)
class Commitments:
    included: list[CommitmentFacts]
    withheld: int


def read_commitments(connection: Connection, audience: Audience, as_of: date) -> Commitments:
    """The live commitments pledged by ``as_of`` and allowed by the ceiling."""
    c, e, tg = t.commitment, t.status_entry, t.target
    rows = connection.execute(select(c).where(c.c.retired_at.is_(None)).order_by(c.c.ref)).all()
    history: dict[int, list[Any]] = defaultdict(list)
    for entry in connection.execute(
        select(
            e.c.uuid,
            e.c.commitment_id,
            e.c.entry_date,
            e.c.status,
            e.c.narrative,
            e.c.evidence,
            e.c.sensitivity,
        )
        .where(e.c.retired_at.is_(None))
        .order_by(e.c.commitment_id, e.c.entry_date.desc(), e.c.id.desc())
    ):
        history[entry.commitment_id].append(entry)
    targets: dict[int, list[Any]] = defaultdict(list)
    revised: set[int] = set()
    for target in connection.execute(
        select(
            tg.c.id,
            tg.c.uuid,
            tg.c.commitment_id,
            tg.c.due,
            tg.c.description,
            tg.c.revises_id,
            tg.c.sensitivity,
        )
        .where(tg.c.retired_at.is_(None))
        .order_by(tg.c.due_by, tg.c.id)
    ):
        targets[target.commitment_id].append(target)
        if target.revises_id is not None:
            revised.add(target.revises_id)
    themes: dict[int, list[int]] = defaultdict(list)
    for commitment_id, theme_id in connection.execute(
        select(t.commitment_theme.c.commitment_id, t.commitment_theme.c.theme_id)
    ):
        themes[commitment_id].append(theme_id)
    contributing: dict[int, list[int]] = defaultdict(list)
    for commitment_id, agency_id in connection.execute(
        select(t.commitment_agency.c.commitment_id, t.commitment_agency.c.agency_id)
    ):
        contributing[commitment_id].append(agency_id)

    included: list[CommitmentFacts] = []
    withheld = 0
    for row in rows:
        entries = history.get(row.id, [])
        if entries and all(x.entry_date > as_of for x in entries):
            continue  # not yet pledged on the as-of date: not withheld, simply not there
        if row.pledged_on is not None and row.pledged_on.earliest() > as_of:
            continue
        if not audience.admit(row.sensitivity, row.uuid):
            withheld += 1
            continue
        shown: list[m.HistoryLine] = []
        hidden = 0
        status, last_progress = CommitmentStatus.UNKNOWN, None
        for x in entries:
            if x.entry_date > as_of:
                continue
            if not audience.admit(x.sensitivity, x.uuid):
                hidden += 1
                continue
            value = _STATUSES.get(x.status, CommitmentStatus.UNKNOWN)
            if last_progress is None:
                status, last_progress = value, x.entry_date
            shown.append(m.HistoryLine(x.entry_date, value.label, x.narrative, x.evidence))
        binding: PartialDate | None = None
        target_lines: list[str] = []
        for target in targets.get(row.id, []):
            if not audience.admit(target.sensitivity, target.uuid):
                continue
            line = target.due.display()
            if target.description:
                line += f": {target.description}"
            if target.id in revised:
                line += " (revised)"
            elif binding is None or target.due.latest() < binding.latest():
                binding = target.due
            target_lines.append(line)
        included.append(
            CommitmentFacts(
                id=row.id,
                uuid=row.uuid,
                ref=row.ref,
                title=row.title,
                sensitivity=row.sensitivity,
                row=row,
                status=status,
                last_progress=last_progress,
                target=binding,
                targets=target_lines,
                assessment=assess_deadline(status, binding, as_of, last_progress=last_progress),
                themes=themes.get(row.id, []),
                contributing=contributing.get(row.id, []),
                history=shown,
                history_withheld=hidden,
            )
        )
    return Commitments(included, withheld)


def _flag(facts: CommitmentFacts) -> str:
    state = facts.assessment.state
    return {DeadlineState.LATE: "late", DeadlineState.AT_RISK: "at_risk"}.get(state, "")


def commitment_row(facts: CommitmentFacts, names: Names) -> m.CommitmentRow:
    return m.CommitmentRow(
        ref=facts.ref,
        title=facts.title,
        lead_agency=names.agency(facts.row.lead_agency_id),
        target=_date(facts.target),
        status=facts.status.label,
        last_update=facts.last_progress.isoformat() if facts.last_progress else "",
        flag=_flag(facts),
    )


def summary(
    commitments: Commitments,
    names: Names,
    *,
    event_start: PartialDate | None,
    as_of: date,
    baseline_statuses: dict[str, str] | None,
) -> m.Summary:
    included = commitments.included
    by_status = [
        m.Figure(status.label, n)
        for status in CommitmentStatus
        if (n := sum(1 for c in included if c.status is status))
    ]
    theme_counts: dict[int, int] = defaultdict(int)
    for c in included:
        for theme_id in set(c.themes):
            theme_counts[theme_id] += 1
    by_theme = [
        m.Figure(names.themes[theme_id][1], n)
        for theme_id, n in sorted(
            theme_counts.items(), key=lambda kv: (-kv[1], names.themes[kv[0]][2])
        )
    ]
    completed_since = None
    if baseline_statuses is not None:
        completed_since = sum(
            1
            for c in included
            if c.status is CommitmentStatus.COMPLETED
            and baseline_statuses.get(c.uuid) != CommitmentStatus.COMPLETED.value
        )
    due_before = None
    if event_start is not None:
        due_before = sum(
            1 for c in included if c.open and is_due_before(c.target, event_start, as_of=as_of)
        )
    return m.Summary(
        total=len(included),
        by_status=tuple(by_status),
        by_theme=tuple(by_theme),
        late=sum(1 for c in included if c.assessment.state is DeadlineState.LATE),
        at_risk=sum(1 for c in included if c.assessment.state is DeadlineState.AT_RISK),
        due_before_event=due_before,
        completed_since_baseline=completed_since,
        withheld=commitments.withheld,
    )


def read_baseline_statuses(connection: Connection, baseline_id: int) -> dict[str, str]:
    """commitment UUID → its status in the frozen baseline."""
    bi = t.baseline_item
    return {
        row.record_uuid: row.payload.get("status", "")
        for row in connection.execute(
            select(bi.c.record_uuid, bi.c.payload).where(
                bi.c.baseline_id == baseline_id, bi.c.record_table == "commitment"
            )
        )
    }


def changes(
    commitments: Commitments, baseline_name: str | None, baseline_statuses: dict[str, str] | None
) -> m.Changes:
    if baseline_name is None or baseline_statuses is None:
        return m.Changes(None)
    moves, new, completed = [], [], []
    for c in commitments.included:
        before = baseline_statuses.get(c.uuid)
        if before is None:
            new.append(m.ItemLine(c.ref, c.title, c.status.label))
            continue
        if before != c.status.value:
            label = _STATUSES.get(before, CommitmentStatus.UNKNOWN).label
            moves.append(m.StatusMove(c.ref, c.title, label, c.status.label))
            if c.status is CommitmentStatus.COMPLETED:
                completed.append(m.ItemLine(c.ref, c.title, c.status.label))
    return m.Changes(
        baseline_name, tuple(moves), tuple(new), tuple(completed), commitments.withheld
    )


def theme_groups(commitments: Commitments, names: Names) -> tuple[m.ThemeGroup, ...]:
    """A group per theme (in the themes' order) of the commitments carrying it; a
    commitment with several themes is listed under each, as a reader of one
    theme expects to find all of its items there."""
    grouped: dict[int | None, list[m.CommitmentRow]] = defaultdict(list)
    for c in commitments.included:
        row = commitment_row(c, names)
        for theme_id in sorted(set(c.themes)) or [None]:
            grouped[theme_id].append(row)
    order = sorted(
        (k for k in grouped if k is not None),
        key=lambda k: (names.themes[k][2], names.themes[k][1]),
    )
    groups = [
        m.ThemeGroup(names.themes[k][0], names.themes[k][1], tuple(grouped[k])) for k in order
    ]
    if None in grouped:
        groups.append(m.ThemeGroup("", "No theme", tuple(grouped[None])))
    return tuple(groups)


def alerts(commitments: Commitments, names: Names) -> tuple[m.AlertLine, ...]:
    """Late items first (most overdue first), then at-risk items by target."""
    late = [c for c in commitments.included if c.assessment.state is DeadlineState.LATE]
    risky = [c for c in commitments.included if c.assessment.state is DeadlineState.AT_RISK]
    late.sort(key=lambda c: (-c.assessment.days_overdue, c.ref))
    risky.sort(key=lambda c: (c.target.latest() if c.target else date.max, c.ref))
    return tuple(
        m.AlertLine(
            c.ref,
            c.title,
            names.agency(c.row.lead_agency_id),
            _date(c.target),
            c.status.label,
            c.assessment.state.label,
            c.assessment.reason,
        )
        for c in (*late, *risky)
    )


def _origin(row: Any, names: Names) -> str | None:
    parts = []
    if row.origin_event_id is not None and row.origin_event_id in names.events:
        parts.append(names.events[row.origin_event_id])
    document = names.documents.get(row.origin_document_id)
    if document is not None:
        cited = f" ({document.citation})" if document.citation else ""
        parts.append(f"{document.title}{cited}")
    text = " — ".join(parts)
    if row.origin_clause:
        text = f"{text}, {row.origin_clause}" if text else row.origin_clause
    return text or None


def sheets(
    commitments: Commitments, names: Names, audience: Audience
) -> tuple[m.CommitmentSheet, ...]:
    scheme = audience.scheme
    return tuple(
        m.CommitmentSheet(
            ref=c.ref,
            title=c.title,
            status=c.status.label,
            deadline=(
                f"{c.assessment.state.label}: {c.assessment.reason}"
                if c.assessment.state in (DeadlineState.LATE, DeadlineState.AT_RISK)
                else ""
            ),
            marking_label=scheme.label(c.sensitivity),
            text=c.row.text,
            origin=_origin(c.row, names),
            lead_agency=names.agency(c.row.lead_agency_id),
            contributing=tuple(names.agency(a) for a in c.contributing),
            themes=tuple(
                names.themes[k][1] for k in sorted(set(c.themes), key=lambda k: names.themes[k][2])
            ),
            targets=tuple(c.targets),
            history=tuple(c.history),
            history_withheld=c.history_withheld,
            next_steps=c.row.next_steps,
            talking_points=c.row.talking_points,
        )
        for c in commitments.included
    )


# -- gift baskets --------------------------------------------------------------------------


def _members(count: int | None, observers: int | None) -> str:
    if count is None:
        return "not stated"
    return f"{count} (+{observers} observers)" if observers else str(count)


def read_gift_baskets(
    connection: Connection, audience: Audience, names: Names, own_state_id: int, as_of: date
) -> tuple[tuple[m.BasketSheet, ...], int, list[tuple[str, str]]]:
    """The joint statements where the desk has a part or action items, the number
    withheld, and (subject UUID, label) of every snapshot printed, for Sources."""
    g, ms, link, ai = (
        t.gift_basket,
        t.membership_snapshot,
        t.membership_snapshot_party,
        t.action_item,
    )
    parties = dict(connection.execute(select(t.party.c.id, t.party.c.code)).all())
    leads: dict[int, list[str]] = defaultdict(list)
    for basket_id, party_id in connection.execute(select(t.gift_basket_lead)):
        leads[basket_id].append(parties[party_id])
    snapshots: dict[int, list[Any]] = defaultdict(list)
    for row in connection.execute(
        select(ms).where(ms.c.gift_basket_id.is_not(None), ms.c.retired_at.is_(None))
    ):
        snapshots[row.gift_basket_id].append(row)
    members: dict[int, set[int]] = defaultdict(set)
    for snapshot_id, party_id in connection.execute(select(link.c.snapshot_id, link.c.party_id)):
        members[snapshot_id].add(party_id)
    citations = _citation_titles(connection, "membership_snapshot")
    items: dict[int, list[Any]] = defaultdict(list)
    for row in connection.execute(select(ai).where(ai.c.retired_at.is_(None)).order_by(ai.c.ref)):
        items[row.gift_basket_id].append(row)

    sheets_: list[m.BasketSheet] = []
    cited: list[tuple[str, str]] = []
    withheld = 0
    for row in connection.execute(select(g).where(g.c.retired_at.is_(None)).order_by(g.c.code)):
        if row.own_role is GiftBasketRole.NONE and not items.get(row.id):
            continue
        if not audience.admit(row.sensitivity, row.uuid):
            withheld += 1
            continue
        shown_items, hidden = [], 0
        for item in items.get(row.id, []):
            if not audience.admit(item.sensitivity, item.uuid):
                hidden += 1
                continue
            shown_items.append(
                m.ActionLine(
                    item.ref,
                    item.title,
                    names.agency(item.agency_id),
                    _date(item.due),
                    item.status.label,
                )
            )
        lines = []
        for snap in sorted(
            snapshots.get(row.id, []),
            key=lambda s: s.snapshot_date.sort_key() if s.snapshot_date else (9999, 0, 0),
        ):
            listed = {True: "Yes", False: "No", None: "Not known"}[
                own_state_listed(members.get(snap.id, set()), snap.member_count, own_state_id)
            ]
            sources = citations.get(snap.uuid, [])
            lines.append(
                m.SnapshotLine(
                    _date(snap.snapshot_date) or "undated",
                    _members(snap.member_count, snap.observer_count),
                    listed,
                    "; ".join(sources),
                )
            )
            cited.append((snap.uuid, f"{row.code} — signatories {_date(snap.snapshot_date)}"))
        sheets_.append(
            m.BasketSheet(
                code=row.code,
                title=row.title,
                event=names.events.get(row.event_id) if row.event_id else None,
                infcirc=row.infcirc,
                role=row.own_role.label,
                role_note=row.own_role_note,
                leads=tuple(sorted(leads.get(row.id, []))),
                snapshots=tuple(lines),
                action_items=tuple(shown_items),
                action_items_withheld=hidden,
            )
        )
    return tuple(sheets_), withheld, cited


def _citation_titles(connection: Connection, subject_table: str) -> dict[str, list[str]]:
    c, s = t.citation, t.source
    found: dict[str, list[str]] = defaultdict(list)
    for uuid, title in connection.execute(
        select(c.c.subject_uuid, s.c.title)
        .join(s, s.c.id == c.c.source_id)
        .where(c.c.subject_table == subject_table)
        .order_by(c.c.id)
    ):
        if title not in found[uuid]:
            found[uuid].append(title)
    return found


# -- instruments and reporting ---------------------------------------------------------------


def read_instruments(
    connection: Connection, audience: Audience, names: Names, own_state_id: int, as_of: date
) -> tuple[m.Instruments, list[tuple[str, str]]]:
    p, ms, i = t.participation, t.milestone, t.instrument
    instruments = {
        row.id: row for row in connection.execute(select(i).where(i.c.retired_at.is_(None)))
    }
    milestones: dict[int, list[Any]] = defaultdict(list)
    for row in connection.execute(select(ms).where(ms.c.retired_at.is_(None)).order_by(ms.c.id)):
        milestones[row.participation_id].append(row)
    lines: list[m.InstrumentLine] = []
    cited: list[tuple[str, str]] = []
    withheld = 0
    for row in connection.execute(
        select(p).where(p.c.party_id == own_state_id, p.c.retired_at.is_(None))
    ):
        instrument = instruments.get(row.instrument_id)
        if instrument is None:
            continue
        if not (
            audience.admit(row.sensitivity, row.uuid)
            and audience.admit(instrument.sensitivity, instrument.uuid)
        ):
            withheld += 1
            continue
        steps = [
            MilestoneLine(
                x.uuid,
                x.kind,
                x.planned,
                x.actual,
                names.agency(x.responsible_agency_id) or None,
                x.reference,
            )
            for x in milestones.get(row.id, [])
            if audience.admit(x.sensitivity, x.uuid)
        ]
        mechanism = JoiningMechanism(instrument.mechanism)
        assessment = derive_participation_status(
            mechanism, (MilestoneFact(s.kind, s.actual, s.planned) for s in steps), as_of
        )
        next_step = ""
        if assessment.next_step is not None:
            planned = assessment.next_step.planned
            next_step = assessment.next_step.kind.label + (
                f", planned {planned.display()}" if planned else ""
            )
        lines.append(
            m.InstrumentLine(
                code=instrument.code,
                short_name=instrument.short_name,
                name=instrument.name,
                status=assessment.status.label,
                since=_date(assessment.since),
                next_step=next_step,
                steps=tuple(
                    m.StepLine(
                        MilestoneKind(s.kind).label,
                        _date(s.planned),
                        _date(s.actual),
                        s.state.label,
                    )
                    for s in build_pipeline(mechanism, steps, as_of)
                ),
            )
        )
        cited.append((instrument.uuid, instrument.short_name))
    lines.sort(key=lambda line: line.short_name.casefold())
    reporting, hidden = read_reporting(
        connection, audience, names, own_state_id, as_of, instruments
    )
    return m.Instruments(tuple(lines), reporting, withheld + hidden), cited


def read_reporting(
    connection: Connection,
    audience: Audience,
    names: Names,
    own_state_id: int,
    as_of: date,
    instruments: dict[int, Any],
) -> tuple[tuple[m.ReportingLine, ...], int]:
    """The own state's reports not yet submitted, soonest first."""
    r = t.reporting_obligation
    found, withheld = [], 0
    for row in connection.execute(
        select(r).where(
            r.c.party_id == own_state_id, r.c.retired_at.is_(None), r.c.submitted.is_(None)
        )
    ):
        if not audience.admit(row.sensitivity, row.uuid):
            withheld += 1
            continue
        instrument = instruments.get(row.instrument_id)
        late = row.due is not None and row.due.latest() < as_of
        found.append(
            (
                row.due.latest() if row.due else date.max,
                m.ReportingLine(
                    instrument.short_name if instrument is not None else "",
                    row.title,
                    row.period or "",
                    _date(row.due),
                    names.agency(row.responsible_agency_id),
                    "Late" if late else ("Due" if row.due else "No date"),
                ),
            )
        )
    found.sort(key=lambda pair: (pair[0], pair[1].title))
    return tuple(line for _, line in found), withheld


# -- upcoming deadlines ----------------------------------------------------------------------


def upcoming(
    connection: Connection,
    audience: Audience,
    commitments: Commitments,
    as_of: date,
    until: date | None = None,
) -> tuple[tuple[m.DeadlineLine, ...], int]:
    """Every open dated item due from ``as_of`` for a year: commitment targets,
    action items, reports and collective deadlines, soonest first."""
    last = until or as_of + timedelta(days=UPCOMING_DAYS)
    found: list[m.DeadlineLine] = []

    def add(due: PartialDate | None, kind: str, ref: str, what: str, state: str) -> None:
        if due is not None and as_of <= due.latest() <= last:
            found.append(m.DeadlineLine(due.display(), due.latest(), kind, ref, what, state))

    for c in commitments.included:
        if c.open:
            add(c.target, "Commitment target", c.ref, c.title, c.status.label)
    withheld = 0
    a, r, d = t.action_item, t.reporting_obligation, t.deadline
    open_statuses = [s for s in CommitmentStatus if not s.is_closed]
    for row in connection.execute(
        select(a.c.uuid, a.c.ref, a.c.title, a.c.due, a.c.status, a.c.sensitivity).where(
            a.c.retired_at.is_(None), a.c.due.is_not(None), a.c.status.in_(open_statuses)
        )
    ):
        if _due_in(row.due, as_of, last) and not audience.admit(row.sensitivity, row.uuid):
            withheld += 1
            continue
        add(row.due, "Action item", row.ref, row.title, row.status.label)
    for row in connection.execute(
        select(r.c.uuid, r.c.title, r.c.due, r.c.sensitivity).where(
            r.c.retired_at.is_(None), r.c.due.is_not(None), r.c.submitted.is_(None)
        )
    ):
        if _due_in(row.due, as_of, last) and not audience.admit(row.sensitivity, row.uuid):
            withheld += 1
            continue
        add(row.due, "Report", "", row.title, "Not submitted")
    for row in connection.execute(
        select(d.c.uuid, d.c.description, d.c.due, d.c.sensitivity).where(d.c.retired_at.is_(None))
    ):
        if _due_in(row.due, as_of, last) and not audience.admit(row.sensitivity, row.uuid):
            withheld += 1
            continue
        add(row.due, "Collective deadline", "", row.description, "")
    order = {"Commitment target": 0, "Action item": 1, "Report": 2, "Collective deadline": 3}
    found.sort(key=lambda line: (line.due_sort, order[line.kind], line.ref, line.what))
    return tuple(found), withheld


def _due_in(due: PartialDate | None, since: date, until: date) -> bool:
    return due is not None and since <= due.latest() <= until


# -- sources -----------------------------------------------------------------------------------


def sources(
    connection: Connection,
    names: Names,
    audience: Audience,
    commitments: Commitments,
    cited: Iterable[tuple[str, str]],
) -> tuple[m.SourceEntry, ...]:
    """The origin documents of the commitments printed, then the catalogue's
    sources for the instruments and signatory counts printed."""
    by_document: dict[int, list[str]] = defaultdict(list)
    for c in commitments.included:
        document_id = c.row.origin_document_id
        if document_id in names.documents:
            by_document[document_id].append(c.ref)
    entries: list[m.SourceEntry] = []
    for document_id, refs in sorted(
        by_document.items(), key=lambda kv: names.documents[kv[0]].title
    ):
        document = names.documents[document_id]
        audience.admit(document.sensitivity)
        entries.append(
            m.SourceEntry(document.title, document.citation, document.url, (_refs(refs),))
        )
    subjects = dict(cited)
    c, s = t.citation, t.source
    by_source: dict[int, tuple[Any, list[str]]] = {}
    if subjects:
        for row in connection.execute(
            select(s.c.id, s.c.title, s.c.url, c.c.subject_uuid)
            .join(c, c.c.source_id == s.c.id)
            .where(c.c.subject_uuid.in_(list(subjects)))
            .order_by(s.c.title, c.c.id)
        ):
            source, labels = by_source.setdefault(row.id, (row, []))
            label = subjects[row.subject_uuid]
            if label not in labels:
                labels.append(label)
    for source, labels in sorted(by_source.values(), key=lambda pair: pair[0].title.casefold()):
        entries.append(m.SourceEntry(source.title, None, source.url, tuple(labels)))
    return tuple(entries)


def _refs(refs: list[str], limit: int = 12) -> str:
    shown = ", ".join(refs[:limit])
    more = len(refs) - limit
    return f"{shown} and {more} more" if more > 0 else shown
