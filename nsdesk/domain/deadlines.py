""" "Late", "at risk" and "due before an event": derived, never typed.

The rules, in the words a sherpa would use:

* An item is **closed** when its status is completed, superseded or withdrawn;
  closed items are never late or at risk. An **ongoing** item is a standing
  activity with no end point: it is not judged against a target either.
* An open item is **late** when its current target has passed on the as-of date
  (a target of "2013" passes after 31 December 2013).
* An open item that is not late is **at risk** when
  - it is stalled and still has a target ahead, or
  - its target falls within the warning window (90 days by default) and it has
    either not started (pledged, unknown) or seen no progress recorded for
    ``STALE_AFTER_DAYS`` days.
* An item is **due before** an event when its current target falls on or before
  the event's first day (and, given an as-of date, has not already passed).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from nsdesk.domain.dates import PartialDate
from nsdesk.domain.enums import CommitmentStatus, DeadlineState

AT_RISK_WINDOW_DAYS = 90
STALE_AFTER_DAYS = 180
_NOT_STARTED = frozenset({CommitmentStatus.PLEDGED, CommitmentStatus.UNKNOWN})


@dataclass(frozen=True, slots=True)
class DeadlineAssessment:
    """The state of one item against its target, with the reason in words."""

    state: DeadlineState
    reason: str = ""
    days_overdue: int = 0


def assess_deadline(
    status: CommitmentStatus,
    target: PartialDate | None,
    as_of: date,
    *,
    last_progress: date | None = None,
    window_days: int = AT_RISK_WINDOW_DAYS,
) -> DeadlineAssessment:
    """Assess an item of ``status`` with current ``target`` on ``as_of``.

    ``last_progress`` is the date of the latest status entry, if any; it makes an
    item whose target is near but which has not moved in months "at risk".
    """
    if status.is_closed:
        return DeadlineAssessment(DeadlineState.CLOSED)
    if status is CommitmentStatus.ONGOING:
        return DeadlineAssessment(DeadlineState.NO_TARGET, "ongoing activity without an end date")
    if target is None:
        return DeadlineAssessment(DeadlineState.NO_TARGET)

    due = target.latest()
    if as_of > due:
        overdue = (as_of - due).days
        return DeadlineAssessment(
            DeadlineState.LATE,
            f"target {target.display()} passed {overdue} days ago; status {status.label.lower()}",
            overdue,
        )
    if status is CommitmentStatus.STALLED:
        return DeadlineAssessment(
            DeadlineState.AT_RISK, f"stalled with target {target.display()} ahead"
        )
    days_left = (due - as_of).days
    if days_left <= window_days:
        if status in _NOT_STARTED:
            return DeadlineAssessment(
                DeadlineState.AT_RISK,
                f"target {target.display()} in {days_left} days and not started",
            )
        if last_progress is None or (as_of - last_progress) > timedelta(days=STALE_AFTER_DAYS):
            since = (
                "no progress on record"
                if last_progress is None
                else (f"no progress recorded since {last_progress.isoformat()}")
            )
            return DeadlineAssessment(
                DeadlineState.AT_RISK, f"target {target.display()} in {days_left} days; {since}"
            )
    return DeadlineAssessment(DeadlineState.ON_TRACK)


def is_due_before(
    target: PartialDate | None, event_start: PartialDate | date, *, as_of: date | None = None
) -> bool:
    """Whether a target falls due on or before an event's first day.

    A target known only to the month or year counts only if its last possible day
    is on or before the event's first possible day. With ``as_of``, targets that
    have already passed (those are "late", listed apart) do not count.
    """
    if target is None:
        return False
    start = event_start if isinstance(event_start, date) else event_start.earliest()
    due = target.latest()
    return due <= start and (as_of is None or due >= as_of)
