"""Progress since a baseline in the app: the same figures the briefing pack prints
for the same desk, baseline and day, from one computation; and they follow edits."""

from __future__ import annotations

from datetime import date

import pytest

from nsdesk.domain.enums import Channel
from nsdesk.domain.errors import RecordNotFoundError
from nsdesk.services.audit import Actor
from nsdesk.services.briefing.pack import BriefingRequest, build_briefing
from nsdesk.services.overview.progress import (
    baseline_choices,
    default_baseline,
    progress_since,
)
from nsdesk.services.records.record_service import RecordService
from tests.conftest import DEMO_DAY

BASELINE = "As reported at The Hague 2014"
TOP = "CONFIDENTIAL"


def refs(items) -> list[str]:
    return [item.ref for item in items]


def test_the_app_counts_what_the_pack_prints_for_the_same_baseline_and_day(demo_desk):
    progress = progress_since(demo_desk, BASELINE, DEMO_DAY)
    pack = build_briefing(
        demo_desk, BriefingRequest(as_of=DEMO_DAY, baseline=BASELINE, ceiling=TOP)
    )
    assert (
        progress.completed == len(pack.changes.completed) == pack.summary.completed_since_baseline
    )
    assert progress.moves == len(pack.changes.moves) > 0
    assert progress.new == len(pack.changes.new) > 0
    assert refs(progress.changes.completed) == refs(pack.changes.completed)
    assert refs(progress.changes.moves) == refs(pack.changes.moves)
    assert refs(progress.changes.new) == refs(pack.changes.new)
    # The app sees the whole desk: nothing is withheld from it.
    assert progress.changes.withheld == progress.changes.status_withheld == 0
    lines = progress.lines()
    assert len(lines) == progress.moves + progress.new
    assert sum(line.completed for line in lines) == progress.completed


def test_the_default_baseline_is_the_latest_frozen_by_the_day(demo_desk):
    choices = baseline_choices(demo_desk)
    assert [c.name for c in choices] == [BASELINE]
    assert default_baseline(choices, DEMO_DAY) == choices[0]
    assert default_baseline(choices, date(2014, 3, 23)) is None  # not frozen yet then
    assert progress_since(demo_desk, choices[0].uuid, DEMO_DAY).baseline == choices[0]


def test_completing_a_commitment_counts_once_more(demo_desk):
    before = progress_since(demo_desk, BASELINE, DEMO_DAY)
    completed = set(refs(before.changes.completed))
    moved = {line.ref for line in before.lines()}
    ref = next(
        line.ref
        for line in before.lines()
        if line.before is not None and line.now in ("Ongoing", "Stalled", "Partially completed")
    )
    service = RecordService(
        demo_desk, Actor("officer@laptop", Channel.TYPED), today=lambda: DEMO_DAY
    )
    service.record_progress(ref, status="completed", narrative="Act in force.")

    after = progress_since(demo_desk, BASELINE, DEMO_DAY)
    assert after.completed == before.completed + 1
    assert set(refs(after.changes.completed)) == completed | {ref}
    assert {line.ref for line in after.lines()} == moved
    assert next(line for line in after.lines() if line.ref == ref).change.endswith("→ Completed")


def test_a_retired_baseline_is_not_compared_with(demo_desk):
    service = RecordService(
        demo_desk, Actor("officer@laptop", Channel.TYPED), today=lambda: DEMO_DAY
    )
    service.retire("baseline", BASELINE)
    assert baseline_choices(demo_desk) == ()
    with pytest.raises(RecordNotFoundError):
        progress_since(demo_desk, BASELINE, DEMO_DAY)
