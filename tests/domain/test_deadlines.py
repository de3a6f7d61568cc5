from datetime import date

import pytest

from nsdesk.domain.dates import PartialDate
from nsdesk.domain.deadlines import assess_deadline, is_due_before
from nsdesk.domain.enums import CommitmentStatus as S
from nsdesk.domain.enums import DeadlineState as D

TODAY = date(2026, 11, 22)


def assess(status, target, **kw):
    return assess_deadline(status, PartialDate.parse(target) if target else None, TODAY, **kw)


@pytest.mark.parametrize("status", [S.COMPLETED, S.SUPERSEDED, S.WITHDRAWN])
def test_closed_items_are_never_late(status):
    assert assess(status, "2010").state is D.CLOSED


def test_an_open_item_past_its_target_is_late_and_says_by_how_much():
    result = assess(S.IN_PROGRESS, "2026-11-01", last_progress=date(2026, 11, 1))
    assert result.state is D.LATE
    assert result.days_overdue == 21
    assert "21 days" in result.reason


def test_a_target_known_only_to_the_year_is_not_late_before_the_year_ends():
    assert assess(S.IN_PROGRESS, "2026", last_progress=date(2026, 10, 1)).state is D.ON_TRACK
    assert assess(S.IN_PROGRESS, "2025", last_progress=date(2026, 10, 1)).state is D.LATE


def test_not_started_with_a_near_target_is_at_risk():
    result = assess(S.PLEDGED, "2027-01-15")
    assert result.state is D.AT_RISK
    assert "not started" in result.reason


def test_moving_item_with_a_near_target_and_recent_progress_is_on_track():
    assert assess(S.IN_PROGRESS, "2027-01-15", last_progress=date(2026, 10, 1)).state is D.ON_TRACK


def test_near_target_without_progress_for_months_is_at_risk():
    result = assess(S.IN_PROGRESS, "2027-01-15", last_progress=date(2025, 1, 1))
    assert result.state is D.AT_RISK
    assert "since 2025-01-01" in result.reason


def test_stalled_with_a_target_ahead_is_at_risk_however_far():
    assert assess(S.STALLED, "2030").state is D.AT_RISK


def test_ongoing_activities_and_items_without_target_are_not_judged():
    assert assess(S.ONGOING, "2020").state is D.NO_TARGET
    assert assess(S.IN_PROGRESS, None).state is D.NO_TARGET


def test_due_before_an_event_counts_only_targets_certainly_before_its_first_day():
    event = PartialDate.parse("2027-03-01")
    assert is_due_before(PartialDate.parse("2027-02"), event)
    assert is_due_before(PartialDate.parse("2027-03-01"), event)
    assert not is_due_before(PartialDate.parse("2027"), event)
    assert not is_due_before(PartialDate.parse("2026-01"), event, as_of=TODAY)
