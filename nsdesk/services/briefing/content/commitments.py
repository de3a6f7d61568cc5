"""The sections built on the commitments: the executive summary, what changed since
the baseline, commitments by theme, late and at-risk alerts, and the detailed sheets."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date
from typing import Any, Protocol

from nsdesk.briefing import model as m
from nsdesk.domain.dates import PartialDate
from nsdesk.domain.enums import CommitmentStatus, DeadlineState
from nsdesk.services.audience.ceiling import WITHHELD, Audience
from nsdesk.services.audience.view import AudienceView, DerivedStatus
from nsdesk.services.briefing.content.commitment_facts import (
    CommitmentFacts,
    Commitments,
    commitment_row,
    target_text,
)
from nsdesk.services.briefing.content.deadlines import due_before
from nsdesk.services.briefing.content.names import Names


def summary(
    commitments: Commitments,
    *,
    changes: m.Changes,
    alerts: Sequence[m.AlertLine],
    themes: Sequence[m.ThemeGroup],
    deadlines: Sequence[m.DeadlineLine],
    event_start: PartialDate | None,
) -> m.Summary:
    """The executive summary's figures, each taken from the section that prints it
    again, so the pack cannot disagree with itself: late and at risk are the Late
    and at-risk section's lines, the themes the Commitments by theme section's
    groups, "due before the event" the Upcoming deadlines section's commitment
    targets due by the event's first day, "completed since the baseline" the
    Changes section's own count."""
    included = commitments.included
    by_status = [
        m.Figure(status.label, n)
        for status in CommitmentStatus
        if (n := sum(1 for c in included if c.status.status is status and not c.status.withheld))
    ]
    if withheld := sum(1 for c in included if c.status.withheld):
        by_status.append(m.Figure("Status withheld", withheld))
    # Most commitments first; a tie keeps the themes' own order (the groups' order).
    groups = sorted((g for g in themes if g.code), key=lambda g: -len(g.rows))
    return m.Summary(
        total=len(included),
        by_status=tuple(by_status),
        by_theme=tuple(m.Figure(g.label, len(g.rows)) for g in groups),
        late=sum(1 for a in alerts if a.state == DeadlineState.LATE.label),
        at_risk=sum(1 for a in alerts if a.state == DeadlineState.AT_RISK.label),
        due_before_event=(
            due_before(deadlines, event_start.earliest()) if event_start is not None else None
        ),
        completed_since_baseline=(
            len(changes.completed) if changes.baseline_name is not None else None
        ),
        withheld=commitments.withheld,
        deadline_withheld=sum(1 for c in included if c.state is None),
    )


class StatusLine(Protocol):
    """What :func:`changes` reads of a commitment (a pack's facts, or the app's
    lighter :class:`~.commitment_facts.CommitmentStatusLine`)."""

    @property
    def uuid(self) -> str: ...
    @property
    def ref(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def status(self) -> DerivedStatus: ...


class IncludedStatuses(Protocol):
    """The commitments included and how many the ceiling withheld."""

    @property
    def included(self) -> Sequence[StatusLine]: ...
    @property
    def withheld(self) -> int: ...


def changes(
    commitments: IncludedStatuses,
    baseline_name: str | None,
    before: dict[str, DerivedStatus] | None,
) -> m.Changes:
    """What moved since the baseline, from statuses the audience may see on both
    sides: an item whose status then or now is withheld is counted, not listed.
    Completed: completed now and not completed then (new items included).

    The one computation of progress since a baseline: the pack's Changes section
    and executive summary print it, and the app's dashboard and Baselines page show
    it (:mod:`nsdesk.services.overview.progress`)."""
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
    judged = [(c, c.assessment) for c in commitments.included if c.assessment is not None]
    late = [(c, a) for c, a in judged if a.state is DeadlineState.LATE]
    risky = [(c, a) for c, a in judged if a.state is DeadlineState.AT_RISK]
    late.sort(key=lambda pair: (-pair[1].days_overdue, pair[0].ref))
    risky.sort(
        key=lambda pair: (
            pair[0].target.due.latest() if pair[0].target.due else date.max,
            pair[0].ref,
        )
    )
    return tuple(
        m.AlertLine(
            c.ref,
            c.title,
            names.agency(c.row.lead_agency_id),
            target_text(c),
            c.status.label,
            assessment.state.label,
            assessment.reason,
        )
        for c, assessment in (*late, *risky)
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
    assessment = facts.assessment
    if assessment is None:
        return "Deadline state withheld: what decides it is marked above the ceiling"
    if assessment.state in (DeadlineState.LATE, DeadlineState.AT_RISK):
        return f"{assessment.state.label}: {assessment.reason}"
    return ""


def sheets(
    commitments: Commitments, names: Names, audience: Audience
) -> tuple[m.CommitmentSheet, ...]:
    """A detailed sheet per commitment: its facts, marking, origin, targets, history
    the audience may see, next steps and talking points."""
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
