"""Reading a briefing pack's content from the desk, under an audience ceiling.

Each reader takes an :class:`~nsdesk.services.audience.view.AudienceView` — never
a connection — and returns parts of :mod:`nsdesk.briefing.model`. The view holds
the one rule of what the audience may see: records above the ceiling are only
counted ("n withheld"), names of withheld records read ``(withheld)``, and a
status, binding target or "late" decided by a withheld record reads "withheld"
instead of a stale value.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from nsdesk.briefing import model as m
from nsdesk.domain.dates import PartialDate
from nsdesk.domain.deadlines import is_due_before
from nsdesk.domain.derived import own_state_listed
from nsdesk.domain.enums import (
    CommitmentStatus,
    DeadlineState,
    GiftBasketRole,
    JoiningMechanism,
    MilestoneKind,
)
from nsdesk.domain.participation import MilestoneLine, build_pipeline
from nsdesk.services.audience.ceiling import WITHHELD, Audience
from nsdesk.services.audience.view import (
    AudienceView,
    DerivedAssessment,
    DerivedStatus,
    DerivedTarget,
)

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
    """Names the sections print of records others point at, through the view: a
    withheld record's name is ``(withheld)``, an admitted one counts toward the
    marking when printed."""

    view: AudienceView

    def agency(self, agency_id: int | None) -> str:
        return self.view.name("agency", agency_id, "name") or ""

    def event(self, event_id: int | None) -> str | None:
        return self.view.name("event", event_id, "name")

    def theme(self, theme_id: int) -> tuple[str, str, int]:
        """A theme's code, label and order (themes carry no marking)."""
        row = self.view.row("theme", theme_id)
        return (row.code, row.label, row.sort_order)


# -- commitments -------------------------------------------------------------------------


@dataclass(slots=True)
class CommitmentFacts:
    """One included commitment as every section needs it, derived through the view."""

    id: int
    uuid: str
    ref: str
    title: str
    sensitivity: str
    row: Any
    status: DerivedStatus
    target: DerivedTarget
    targets: list[str]
    assessment: DerivedAssessment
    themes: list[int]
    contributing: list[int]
    history: list[m.HistoryLine]
    history_withheld: int

    @property
    def open(self) -> bool:
        """Open on what the audience may know: a withheld status is not known closed."""
        return self.status.status is None or not self.status.status.is_closed

    @property
    def state(self) -> DeadlineState | None:
        """Late, at risk… or ``None`` when what decides it is withheld."""
        return None if self.assessment.withheld else self.assessment.assessment.state


@dataclass(slots=True)
class Commitments:
    included: list[CommitmentFacts]
    withheld: int


def _pledged_by(view: AudienceView, as_of: date) -> Any:
    """Whether a commitment existed on ``as_of``: pledged by then, or with a
    progress entry by then (one not yet pledged is not withheld, simply not there)."""

    def pledged(row: Any) -> bool:
        if row.pledged_on is not None and row.pledged_on.earliest() > as_of:
            return False
        dates = [e.entry_date for e in view.children("status_entry", "commitment_id", row.id)]
        return not dates or min(dates) <= as_of

    return pledged


def read_commitments(view: AudienceView, as_of: date) -> Commitments:
    """The live commitments pledged by ``as_of`` and allowed by the ceiling."""
    selected = view.records("commitment", where=_pledged_by(view, as_of), key=lambda r: r.ref)
    included: list[CommitmentFacts] = []
    for row in selected:
        history = view.history(row.id, as_of)
        shown = [
            m.HistoryLine(
                x.entry_date,
                _STATUSES.get(x.status, CommitmentStatus.UNKNOWN).label,
                x.narrative,
                x.evidence,
            )
            for x in history
        ]
        target_lines: list[str] = []
        for target in view.targets(row.id):
            line = target.row.due.display()
            if target.row.description:
                line += f": {target.row.description}"
            if target.revised:
                line += " (revised)"
            elif target.revision_withheld:
                line += " (revised; the revision is withheld)"
            target_lines.append(line)
        included.append(
            CommitmentFacts(
                id=row.id,
                uuid=row.uuid,
                ref=row.ref,
                title=row.title,
                sensitivity=row.sensitivity,
                row=row,
                status=view.status(row.id, as_of),
                target=view.binding_target(row.id),
                targets=target_lines,
                assessment=view.assessment(row.id, as_of),
                themes=view.linked("commitment_theme", row.id),
                contributing=view.linked("commitment_agency", row.id),
                history=shown,
                history_withheld=history.withheld,
            )
        )
    return Commitments(included, selected.withheld)


def _flag(facts: CommitmentFacts) -> str:
    return {DeadlineState.LATE: "late", DeadlineState.AT_RISK: "at_risk"}.get(facts.state, "")


def _target_text(facts: CommitmentFacts) -> str:
    return WITHHELD if facts.target.withheld else _date(facts.target.due)


def _last_update(facts: CommitmentFacts) -> str:
    if facts.status.withheld:
        return WITHHELD
    return facts.status.entry_date.isoformat() if facts.status.entry_date else ""


def commitment_row(facts: CommitmentFacts, names: Names) -> m.CommitmentRow:
    return m.CommitmentRow(
        ref=facts.ref,
        title=facts.title,
        lead_agency=names.agency(facts.row.lead_agency_id),
        target=_target_text(facts),
        status=facts.status.label,
        last_update=_last_update(facts),
        flag=_flag(facts),
    )


def summary(
    commitments: Commitments,
    names: Names,
    *,
    event_start: PartialDate | None,
    as_of: date,
    changes: m.Changes,
) -> m.Summary:
    """The executive summary's figures. "Completed since the baseline" is the
    Changes section's own count, so the two pages cannot disagree."""
    included = commitments.included
    by_status = [
        m.Figure(status.label, n)
        for status in CommitmentStatus
        if (n := sum(1 for c in included if c.status.status is status and not c.status.withheld))
    ]
    if withheld := sum(1 for c in included if c.status.withheld):
        by_status.append(m.Figure("Status withheld", withheld))
    theme_counts: dict[int, int] = defaultdict(int)
    for c in included:
        for theme_id in set(c.themes):
            theme_counts[theme_id] += 1
    by_theme = [
        m.Figure(names.theme(theme_id)[1], n)
        for theme_id, n in sorted(
            theme_counts.items(), key=lambda kv: (-kv[1], names.theme(kv[0])[2])
        )
    ]
    due_before = None
    if event_start is not None:
        due_before = sum(
            1
            for c in included
            if c.open
            and not c.status.withheld
            and is_due_before(c.target.due, event_start, as_of=as_of)
        )
    return m.Summary(
        total=len(included),
        by_status=tuple(by_status),
        by_theme=tuple(by_theme),
        late=sum(1 for c in included if c.state is DeadlineState.LATE),
        at_risk=sum(1 for c in included if c.state is DeadlineState.AT_RISK),
        due_before_event=due_before,
        completed_since_baseline=(
            len(changes.completed) if changes.baseline_name is not None else None
        ),
        withheld=commitments.withheld,
        deadline_withheld=sum(1 for c in included if c.state is None),
    )


def changes(
    commitments: Commitments,
    baseline_name: str | None,
    before: dict[str, DerivedStatus] | None,
) -> m.Changes:
    """What moved since the baseline, from statuses the audience may see on both
    sides: an item whose status then or now is withheld is counted, not listed.
    Completed: completed now and not completed then (new items included)."""
    if baseline_name is None or before is None:
        return m.Changes(None)
    moves, new, completed = [], [], []
    unknown = 0
    completed_now = CommitmentStatus.COMPLETED
    for c in commitments.included:
        then = before.get(c.uuid)
        if c.status.withheld or (then is not None and then.withheld):
            unknown += 1
            continue
        now = c.status.status
        if then is None:
            new.append(m.ItemLine(c.ref, c.title, c.status.label))
        elif then.status is not now:
            moves.append(m.StatusMove(c.ref, c.title, then.label, c.status.label))
        if now is completed_now and (then is None or then.status is not completed_now):
            completed.append(m.ItemLine(c.ref, c.title, c.status.label))
    return m.Changes(
        baseline_name,
        tuple(moves),
        tuple(new),
        tuple(completed),
        commitments.withheld,
        status_withheld=unknown,
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
        key=lambda k: (names.theme(k)[2], names.theme(k)[1]),
    )
    groups = [m.ThemeGroup(names.theme(k)[0], names.theme(k)[1], tuple(grouped[k])) for k in order]
    if None in grouped:
        groups.append(m.ThemeGroup("", "No theme", tuple(grouped[None])))
    return tuple(groups)


def alerts(commitments: Commitments, names: Names) -> tuple[m.AlertLine, ...]:
    """Late items first (most overdue first), then at-risk items by target."""
    late = [c for c in commitments.included if c.state is DeadlineState.LATE]
    risky = [c for c in commitments.included if c.state is DeadlineState.AT_RISK]
    late.sort(key=lambda c: (-c.assessment.assessment.days_overdue, c.ref))
    risky.sort(key=lambda c: (c.target.due.latest() if c.target.due else date.max, c.ref))
    return tuple(
        m.AlertLine(
            c.ref,
            c.title,
            names.agency(c.row.lead_agency_id),
            _target_text(c),
            c.status.label,
            c.assessment.assessment.state.label,
            c.assessment.assessment.reason,
        )
        for c in (*late, *risky)
    )


def _origin(row: Any, view: AudienceView) -> str | None:
    parts = []
    event = view.name("event", row.origin_event_id, "name")
    if event is not None and event != WITHHELD:
        parts.append(event)
    document = view.row("document", row.origin_document_id, live=True)
    if document is not None:
        cited = f" ({document.citation})" if document.citation else ""
        parts.append(f"{document.title}{cited}")
    text = " — ".join(parts)
    if row.origin_clause:
        text = f"{text}, {row.origin_clause}" if text else row.origin_clause
    return text or None


def _deadline_text(facts: CommitmentFacts) -> str:
    if facts.assessment.withheld:
        return "Deadline state withheld: what decides it is marked above the ceiling"
    assessment = facts.assessment.assessment
    if assessment.state in (DeadlineState.LATE, DeadlineState.AT_RISK):
        return f"{assessment.state.label}: {assessment.reason}"
    return ""


def sheets(
    commitments: Commitments, names: Names, audience: Audience
) -> tuple[m.CommitmentSheet, ...]:
    scheme = audience.scheme
    return tuple(
        m.CommitmentSheet(
            ref=c.ref,
            title=c.title,
            status=c.status.label,
            deadline=_deadline_text(c),
            marking_label=scheme.label(c.sensitivity),
            text=c.row.text,
            origin=_origin(c.row, names.view),
            lead_agency=names.agency(c.row.lead_agency_id),
            contributing=tuple(names.agency(a) for a in c.contributing),
            themes=tuple(
                names.theme(k)[1] for k in sorted(set(c.themes), key=lambda k: names.theme(k)[2])
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
                _date(item.due),
                _STATUSES.get(item.status, CommitmentStatus.UNKNOWN).label,
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
                own_state_listed(members, snap.member_count, own_state_id)
            ]
            lines.append(
                m.SnapshotLine(
                    _date(snap.snapshot_date) or "undated",
                    _members(snap.member_count, snap.observer_count),
                    listed,
                    "; ".join(citations.get(snap.uuid, [])),
                )
            )
            cited.append((snap.uuid, f"{row.code} — signatories {_date(snap.snapshot_date)}"))
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


# -- instruments and reporting ---------------------------------------------------------------


def read_instruments(
    view: AudienceView, names: Names, own_state_id: int, as_of: date
) -> tuple[m.Instruments, list[tuple[str, str]]]:
    """The own state's standing under each instrument, from the milestones the
    audience may see; "Status withheld" where a withheld milestone would change it."""
    participations = view.records("participation", where=lambda p: p.party_id == own_state_id)
    lines: list[m.InstrumentLine] = []
    cited: list[tuple[str, str]] = []
    for row in participations:
        instrument = view.row("instrument", row.instrument_id)
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
        lines.append(
            m.InstrumentLine(
                code=instrument.code,
                short_name=instrument.short_name,
                name=instrument.name,
                status="Status withheld" if derived.withheld else assessment.status.label,
                since="" if derived.withheld else _date(assessment.since),
                next_step=next_step,
                steps=tuple(
                    m.StepLine(
                        MilestoneKind(s.kind).label,
                        _date(s.planned),
                        _date(s.actual),
                        "" if derived.withheld else s.state.label,
                    )
                    for s in build_pipeline(mechanism, steps, as_of)
                    if not derived.withheld or s.milestone_uuid is not None
                ),
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
                _date(row.due),
                names.agency(row.responsible_agency_id),
                "Late" if late else ("Due" if row.due else "No date"),
            )
        )
    return tuple(found), obligations.withheld


# -- upcoming deadlines ----------------------------------------------------------------------


def upcoming(
    view: AudienceView,
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
        if c.open and not c.status.withheld:
            add(c.target.due, "Commitment target", c.ref, c.title, c.status.label)
    open_statuses = {s.value for s in CommitmentStatus if not s.is_closed}
    items = view.records(
        "action_item",
        where=lambda a: a.status in open_statuses and _due_in(a.due, as_of, last),
    )
    for row in items:
        status = _STATUSES.get(row.status, CommitmentStatus.UNKNOWN).label
        add(row.due, "Action item", row.ref, row.title, status)
    reports = view.records(
        "reporting_obligation",
        where=lambda r: r.submitted is None and _due_in(r.due, as_of, last),
    )
    for row in reports:
        add(row.due, "Report", "", row.title, "Not submitted")
    collective = view.records("deadline", where=lambda d: _due_in(d.due, as_of, last))
    for row in collective:
        add(row.due, "Collective deadline", "", row.description, "")
    order = {"Commitment target": 0, "Action item": 1, "Report": 2, "Collective deadline": 3}
    found.sort(key=lambda line: (line.due_sort, order[line.kind], line.ref, line.what))
    return tuple(found), items.withheld + reports.withheld + collective.withheld


def _due_in(due: PartialDate | None, since: date, until: date) -> bool:
    return due is not None and since <= due.latest() <= until


# -- sources -----------------------------------------------------------------------------------


def sources(
    view: AudienceView,
    commitments: Commitments,
    cited: Iterable[tuple[str, str]],
) -> tuple[m.SourceEntry, ...]:
    """The origin documents of the commitments printed, then the catalogue's
    sources for the instruments and signatory counts printed."""
    by_document: dict[int, list[str]] = defaultdict(list)
    documents: dict[int, Any] = {}
    for c in commitments.included:
        document = view.row("document", c.row.origin_document_id, live=True)
        if document is not None:
            documents[document.id] = document
            by_document[document.id].append(c.ref)
    entries: list[m.SourceEntry] = []
    for document_id, refs in sorted(by_document.items(), key=lambda kv: documents[kv[0]].title):
        document = documents[document_id]
        entries.append(
            m.SourceEntry(document.title, document.citation, document.url, (_refs(refs),))
        )
    subjects = dict(cited)
    by_source: dict[int, tuple[Any, list[str]]] = {}
    for citation in view.records(
        "citation", where=lambda c: c.subject_uuid in subjects, live=False
    ):
        source = view.row("source", citation.source_id)
        if source is None:
            continue
        _, labels = by_source.setdefault(source.id, (source, []))
        label = subjects[citation.subject_uuid]
        if label not in labels:
            labels.append(label)
    for source, labels in sorted(
        by_source.values(), key=lambda pair: (pair[0].title.casefold(), pair[0].id)
    ):
        entries.append(m.SourceEntry(source.title, None, source.url, tuple(labels)))
    return tuple(entries)


def _refs(refs: list[str], limit: int = 12) -> str:
    shown = ", ".join(refs[:limit])
    more = len(refs) - limit
    return f"{shown} and {more} more" if more > 0 else shown
