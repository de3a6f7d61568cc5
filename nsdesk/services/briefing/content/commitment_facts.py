"""The commitments a pack includes, read once through the audience view with
everything the sections need of them (status, target, deadline state, history),
and their one-line row as the theme and alert tables print it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from nsdesk.briefing import model as m
from nsdesk.domain.deadlines import DeadlineAssessment
from nsdesk.domain.enums import CommitmentStatus, DeadlineState
from nsdesk.services.audience.ceiling import WITHHELD
from nsdesk.services.audience.view import (
    AudienceView,
    DerivedStatus,
    DerivedTarget,
    Selection,
)
from nsdesk.services.briefing.content.names import STATUSES, Names, display_date


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
    #: Late, at risk… (``None``: what decides it is withheld).
    assessment: DeadlineAssessment | None
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
        return None if self.assessment is None else self.assessment.state


@dataclass(slots=True)
class Commitments:
    """The commitments included, in ref order, and how many the ceiling withheld."""

    included: list[CommitmentFacts]
    withheld: int


@dataclass(frozen=True, slots=True)
class CommitmentStatusLine:
    """An included commitment as a comparison with a baseline needs it: who it is
    and its status on the day, derived through the view."""

    uuid: str
    ref: str
    title: str
    status: DerivedStatus


@dataclass(frozen=True, slots=True)
class CommitmentStatuses:
    """The commitments included, with only their status (the app's progress since a
    baseline reads no more than this), and how many the ceiling withheld."""

    included: tuple[CommitmentStatusLine, ...]
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


def _included(view: AudienceView, as_of: date) -> Selection:
    """The one rule of which commitments a pack or a comparison counts: live,
    pledged by ``as_of``, allowed by the ceiling, in ref order."""
    return view.records("commitment", where=_pledged_by(view, as_of), key=lambda r: r.ref)


def read_statuses(view: AudienceView, as_of: date) -> CommitmentStatuses:
    """The commitments :func:`read_commitments` includes, with their status on
    ``as_of`` and nothing else (cheap enough to read again after every edit)."""
    selected = _included(view, as_of)
    return CommitmentStatuses(
        tuple(
            CommitmentStatusLine(row.uuid, row.ref, row.title, view.status(row.id, as_of))
            for row in selected
        ),
        selected.withheld,
    )


def read_commitments(view: AudienceView, as_of: date) -> Commitments:
    """The live commitments pledged by ``as_of`` and allowed by the ceiling."""
    selected = _included(view, as_of)
    included: list[CommitmentFacts] = []
    for row in selected:
        history = view.history(row.id, as_of)
        shown = [
            m.HistoryLine(
                x.entry_date,
                STATUSES.get(x.status, CommitmentStatus.UNKNOWN).label,
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
    if facts.state is DeadlineState.LATE:
        return "late"
    return "at_risk" if facts.state is DeadlineState.AT_RISK else ""


def target_text(facts: CommitmentFacts) -> str:
    """The target in force as printed, or "withheld" when what decides it is."""
    return WITHHELD if facts.target.withheld else display_date(facts.target.due)


def _last_update(facts: CommitmentFacts) -> str:
    if facts.status.withheld:
        return WITHHELD
    return facts.status.entry_date.isoformat() if facts.status.entry_date else ""


def commitment_row(facts: CommitmentFacts, names: Names) -> m.CommitmentRow:
    """The commitment as one row of the theme tables."""
    return m.CommitmentRow(
        ref=facts.ref,
        title=facts.title,
        lead_agency=names.agency(facts.row.lead_agency_id),
        target=target_text(facts),
        status=facts.status.label,
        last_update=_last_update(facts),
        flag=_flag(facts),
    )
