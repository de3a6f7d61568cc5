"""A party's standing under an instrument, derived from its dated milestones.

Nobody types "ratified": the status follows from what happened and when. Three
joining mechanics are modelled (PRODUCT.md), plus instruments that nobody joins:

* **treaty** — signature, then consent to be bound (ratification, acceptance,
  approval, accession, succession), deposit with the depositary, entry into force
  for that party; a later denunciation ends it;
* **political commitment** — announcement, note verbale to the IAEA Director
  General (or endorsement of a statement of principles), circulation as an
  INFCIRC; a later withdrawal ends it;
* **obligation on all states** — every state is bound; what varies is whether a
  national report is on record;
* **implementation only** — guidance, advisory services, funds: any recorded step
  means the state is implementing.

Only milestones with an actual date on or before the as-of date count. The
domestic steps (cabinet, parliament, promulgation…) never change the status; they
form the pipeline shown next to it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from nsdesk.domain.dates import PartialDate
from nsdesk.domain.enums import (
    CONSENT_TO_BE_BOUND,
    DOMESTIC_STEPS,
    JoiningMechanism,
    LabelledEnum,
    MilestoneKind,
    ParticipationStatus,
    Standing,
)


@dataclass(frozen=True, slots=True)
class MilestoneFact:
    """What the derivation needs to know of one milestone."""

    kind: MilestoneKind
    actual: PartialDate | None = None
    planned: PartialDate | None = None


@dataclass(frozen=True, slots=True)
class ParticipationAssessment:
    """The derived status, since when, and the next step still to take."""

    status: ParticipationStatus
    since: PartialDate | None = None
    next_step: MilestoneFact | None = None


@dataclass(frozen=True, slots=True)
class _Reached:
    """A milestone that happened by the as-of date, and when."""

    kind: MilestoneKind
    on: PartialDate


def _reached(facts: Iterable[MilestoneFact], as_of: date | None) -> list[_Reached]:
    return [
        _Reached(f.kind, f.actual)
        for f in facts
        if f.actual is not None and (as_of is None or f.actual.earliest() <= as_of)
    ]


def _latest(reached: list[_Reached], kinds: Iterable[MilestoneKind]) -> _Reached | None:
    wanted = set(kinds)
    chosen = [f for f in reached if f.kind in wanted]
    return max(chosen, key=lambda f: f.on.sort_key()) if chosen else None


def _ended_by(
    reached: list[_Reached], ending: MilestoneKind, joining: Iterable[MilestoneKind]
) -> _Reached | None:
    """The ending act (denunciation, withdrawal) if it is later than every joining act."""
    end = _latest(reached, [ending])
    if end is None:
        return None
    last_join = _latest(reached, joining)
    if last_join is not None and last_join.on.sort_key() > end.on.sort_key():
        return None
    return end


_TREATY_LADDER: tuple[tuple[frozenset[MilestoneKind], ParticipationStatus], ...] = (
    (frozenset({MilestoneKind.ENTRY_INTO_FORCE}), ParticipationStatus.IN_FORCE),
    (frozenset({MilestoneKind.DEPOSIT}), ParticipationStatus.DEPOSITED),
    (CONSENT_TO_BE_BOUND, ParticipationStatus.RATIFIED_PENDING_DEPOSIT),
    (frozenset({MilestoneKind.SIGNATURE}), ParticipationStatus.SIGNED),
)
_POLITICAL_LADDER: tuple[tuple[frozenset[MilestoneKind], ParticipationStatus], ...] = (
    (
        frozenset({MilestoneKind.INFCIRC_CIRCULATION, MilestoneKind.ENDORSEMENT}),
        ParticipationStatus.SUBSCRIBED,
    ),
    (frozenset({MilestoneKind.NOTE_VERBALE}), ParticipationStatus.NOTE_VERBALE_SENT),
    (frozenset({MilestoneKind.ANNOUNCEMENT}), ParticipationStatus.ANNOUNCED),
)


def _climb(
    reached: list[_Reached],
    ladder: tuple[tuple[frozenset[MilestoneKind], ParticipationStatus], ...],
    bottom: ParticipationStatus,
) -> tuple[ParticipationStatus, PartialDate | None]:
    for kinds, status in ladder:
        fact = _latest(reached, kinds)
        if fact is not None:
            return status, fact.on
    return bottom, None


def _next_step(facts: Iterable[MilestoneFact]) -> MilestoneFact | None:
    """The earliest planned milestone not yet reached."""
    pending = [(f.planned, f) for f in facts if f.actual is None and f.planned is not None]
    return min(pending, key=lambda pair: pair[0].sort_key())[1] if pending else None


def derive_participation_status(
    mechanism: JoiningMechanism,
    milestones: Iterable[MilestoneFact],
    as_of: date | None = None,
) -> ParticipationAssessment:
    """The status of one participation on ``as_of`` (today's facts when ``None``)."""
    facts = list(milestones)
    reached = _reached(facts, as_of)
    next_step = _next_step(facts)

    if mechanism is JoiningMechanism.TREATY:
        joining = {MilestoneKind.SIGNATURE, MilestoneKind.DEPOSIT, *CONSENT_TO_BE_BOUND}
        ended = _ended_by(reached, MilestoneKind.DENUNCIATION, joining)
        if ended is not None:
            return ParticipationAssessment(ParticipationStatus.DENOUNCED, ended.on, next_step)
        status, since = _climb(reached, _TREATY_LADDER, ParticipationStatus.NOT_PARTY)
    elif mechanism is JoiningMechanism.POLITICAL_COMMITMENT:
        joining = {
            MilestoneKind.ANNOUNCEMENT,
            MilestoneKind.NOTE_VERBALE,
            MilestoneKind.ENDORSEMENT,
            MilestoneKind.INFCIRC_CIRCULATION,
        }
        ended = _ended_by(reached, MilestoneKind.WITHDRAWAL, joining)
        if ended is not None:
            return ParticipationAssessment(ParticipationStatus.WITHDRAWN, ended.on, next_step)
        status, since = _climb(reached, _POLITICAL_LADDER, ParticipationStatus.NOT_SUBSCRIBED)
    elif mechanism is JoiningMechanism.OBLIGATION_ON_ALL_STATES:
        report = _latest(reached, [MilestoneKind.NATIONAL_REPORT])
        status = ParticipationStatus.REPORTED if report else ParticipationStatus.NO_REPORT
        since = report.on if report else None
    else:
        step = _latest(reached, [f.kind for f in reached if not f.kind.is_domestic])
        status = ParticipationStatus.IMPLEMENTING if step else ParticipationStatus.NOT_STARTED
        since = step.on if step else None
    return ParticipationAssessment(status, since, next_step)


# -- where any party stands on a date, as a universalization view counts it ----------

_STANDING_OF: dict[ParticipationStatus, Standing] = {
    ParticipationStatus.IN_FORCE: Standing.PARTY,
    ParticipationStatus.DEPOSITED: Standing.PARTY,
    ParticipationStatus.SUBSCRIBED: Standing.PARTY,
    ParticipationStatus.SIGNED: Standing.SIGNATORY,
}
"""What a derived status counts as: a deposited consent (or a subscription) makes a
party, as depositaries count them; a signature alone a signatory; anything else —
a consent given at home but not yet deposited, a denunciation — leaves it outside."""
_RANK = {Standing.OUTSIDE: 0, Standing.SIGNATORY: 1, Standing.PARTY: 2}


@dataclass(frozen=True, slots=True)
class StandingAssessment:
    """A party's standing on a date and since when. ``undated``: known only because a
    source lists it so as of ``since`` (the day it joined was not found)."""

    standing: Standing
    since: PartialDate | None = None
    undated: bool = False


def standing_on(
    mechanism: JoiningMechanism,
    milestones: Iterable[MilestoneFact],
    day: date,
    listed: Standing | None = None,
    listed_as_of: PartialDate | None = None,
) -> StandingAssessment:
    """Party, signatory only, or outside on ``day``, from the dated milestones.

    ``listed`` is the standing a source gives without a date (``listed_as_of``: the
    date of that source); it counts from the last day ``listed_as_of`` covers, and
    only where the dated milestones say less. Before then the milestones decide."""
    facts = list(milestones)
    derived = derive_participation_status(mechanism, facts, day)
    standing = _STANDING_OF.get(derived.status, Standing.OUTSIDE)
    since = derived.since if standing is not Standing.OUTSIDE else None
    if derived.status is ParticipationStatus.RATIFIED_PENDING_DEPOSIT:
        # consent given at home is not yet a party; its signature still stands
        signed = _latest(_reached(facts, day), [MilestoneKind.SIGNATURE])
        if signed is not None:
            standing, since = Standing.SIGNATORY, signed.on
    assessment = StandingAssessment(standing, since)
    if (
        listed is not None
        and _RANK[listed] > _RANK[standing]
        and (listed_as_of is None or listed_as_of.latest() <= day)
    ):
        return StandingAssessment(listed, listed_as_of, undated=True)
    return assessment


# -- the pipeline of steps, as a detail pane and a pack show it ----------------------


class StepState(LabelledEnum):
    """Where one step of the pipeline stands on the as-of date."""

    DONE = "done"
    PLANNED = "planned"
    LATE = "late"
    NOT_PLANNED = "not_planned"


@dataclass(frozen=True, slots=True)
class MilestoneLine:
    """One live milestone of the own state's participation."""

    uuid: str
    kind: MilestoneKind
    planned: PartialDate | None
    actual: PartialDate | None
    responsible_agency: str | None
    reference: str | None

    @property
    def is_domestic(self) -> bool:
        return self.kind.is_domestic


@dataclass(frozen=True, slots=True)
class PipelineStep:
    """One step of the pipeline: expected for the mechanism (``expected``) or
    recorded beyond it, with the milestone that fills it if any."""

    kind: MilestoneKind
    state: StepState
    expected: bool
    planned: PartialDate | None = None
    actual: PartialDate | None = None
    milestone_uuid: str | None = None
    responsible_agency: str | None = None
    reference: str | None = None


def _slots(
    mechanism: JoiningMechanism, recorded: set[MilestoneKind]
) -> list[tuple[MilestoneKind, frozenset[MilestoneKind]]]:
    """The steps expected for ``mechanism``, in order: (kind shown, kinds that fill it)."""

    def one(*kinds: MilestoneKind) -> tuple[MilestoneKind, frozenset[MilestoneKind]]:
        return kinds[0], frozenset(kinds)

    if mechanism is JoiningMechanism.TREATY:
        # Signature comes before the domestic approval of ratification, so it
        # leads; any of the acts of consent to be bound fills the ratification step.
        return [
            one(MilestoneKind.SIGNATURE),
            *(one(kind) for kind in DOMESTIC_STEPS),
            (MilestoneKind.RATIFICATION, frozenset(CONSENT_TO_BE_BOUND)),
            one(MilestoneKind.DEPOSIT),
            one(MilestoneKind.ENTRY_INTO_FORCE),
        ]
    # Parliament is not expected for a note verbale: domestic steps show when taken.
    domestic = [one(kind) for kind in DOMESTIC_STEPS if kind in recorded]
    if mechanism is JoiningMechanism.POLITICAL_COMMITMENT:
        return [
            *domestic,
            one(MilestoneKind.ANNOUNCEMENT),
            one(MilestoneKind.NOTE_VERBALE, MilestoneKind.ENDORSEMENT),
            one(MilestoneKind.INFCIRC_CIRCULATION),
        ]
    if mechanism is JoiningMechanism.OBLIGATION_ON_ALL_STATES:
        return [*domestic, one(MilestoneKind.NATIONAL_REPORT), one(MilestoneKind.ACTION_PLAN)]
    return domestic


def _state(planned: PartialDate | None, actual: PartialDate | None, day: date) -> StepState:
    if actual is not None and actual.earliest() <= day:
        return StepState.DONE
    if planned is None:
        return StepState.PLANNED if actual is not None else StepState.NOT_PLANNED
    return StepState.LATE if planned.latest() < day else StepState.PLANNED


def build_pipeline(
    mechanism: JoiningMechanism, milestones: Iterable[MilestoneLine], as_of: date
) -> tuple[PipelineStep, ...]:
    """The expected steps of ``mechanism`` filled from ``milestones`` (one step per
    milestone when a kind was taken several times), then the recorded steps the
    mechanism does not expect, by date."""

    def when(m: MilestoneLine) -> tuple[int, int, int]:
        day = m.actual or m.planned
        return day.sort_key() if day else (9999, 0, 0)

    def step(m: MilestoneLine, expected: bool) -> PipelineStep:
        state = _state(m.planned, m.actual, as_of)
        return PipelineStep(
            m.kind, state, expected, m.planned, m.actual, m.uuid, m.responsible_agency, m.reference
        )

    left = sorted(milestones, key=when)
    steps: list[PipelineStep] = []
    for kind, fills in _slots(mechanism, {m.kind for m in left}):
        taken = [m for m in left if m.kind in fills]
        left = [m for m in left if m.kind not in fills]
        steps.extend(step(m, True) for m in taken)
        if not taken:
            steps.append(PipelineStep(kind, StepState.NOT_PLANNED, True))
    steps.extend(step(m, False) for m in left)
    return tuple(steps)
