"""The dashboard agrees with the registers, looks the right distance ahead, and
shows the latest edit first, opening the record it changed."""

from datetime import timedelta

import pytest

from nsdesk.domain.enums import Channel, CommitmentStatus
from nsdesk.services.audit import Actor
from nsdesk.services.overview import dashboard as dashboard_module
from nsdesk.services.overview.dashboard import DUE_WINDOW_DAYS, load_dashboard
from nsdesk.services.records.choices import load_filter_choices
from nsdesk.services.records.record_service import RecordService
from nsdesk.services.records.register_rows import RegisterFilter, filter_rows
from nsdesk.services.records.registers import load_register
from tests.conftest import DEMO_DAY

CLOSED = {s.value for s in CommitmentStatus if s.is_closed}


@pytest.fixture
def rows(demo_desk):
    return load_register(demo_desk, "commitments", as_of=DEMO_DAY)


@pytest.fixture
def board(demo_desk):
    return load_dashboard(demo_desk, as_of=DEMO_DAY)


def shown(rows, **wanted):
    return filter_rows(rows, RegisterFilter(**wanted), as_of=DEMO_DAY)


def test_the_figures_are_what_the_register_lists_for_the_same_filter(board, rows):
    live = shown(rows)
    assert board.total == len(live) > 0
    assert board.open == sum(1 for row in live if row.status not in CLOSED)
    assert board.completed == len(shown(rows, status="completed"))
    assert board.late.total == len(shown(rows, deadline="late")) > 0
    assert board.at_risk.total == len(shown(rows, deadline="at_risk")) > 0


def test_every_status_is_counted_in_order_and_the_counts_add_up(board, rows):
    assert [c.status for c in board.by_status] == list(CommitmentStatus)
    for count in board.by_status:
        assert count.label == count.status.label
        assert count.count == len(shown(rows, status=count.status.value))
    assert sum(c.count for c in board.by_status) == board.total


def test_themes_in_use_are_counted_most_used_first(board, rows):
    in_use = {code for row in shown(rows) for code in row.themes}
    assert {t.code for t in board.by_theme} == in_use
    for theme in board.by_theme:
        assert theme.count == len(shown(rows, theme=theme.code)) > 0
    counts = [t.count for t in board.by_theme]
    assert counts == sorted(counts, reverse=True)


def test_late_items_are_the_late_commitments_most_overdue_first(board, rows):
    late = {row.key: row for row in shown(rows, deadline="late")}
    assert {item.ref for item in board.late.items} == set(late)
    for item in board.late.items:
        assert item.reason == late[item.ref].deadline_reason
        assert f"{item.days_overdue} days ago" in item.reason
    overdue = [item.days_overdue for item in board.late.items]
    assert overdue == sorted(overdue, reverse=True)
    at_risk = {row.key for row in shown(rows, deadline="at_risk")}
    assert {item.ref for item in board.at_risk.items} == at_risk


def test_long_lists_are_cut_but_still_counted_in_full(demo_desk, monkeypatch):
    monkeypatch.setattr(dashboard_module, "LIST_LIMIT", 3)
    board = load_dashboard(demo_desk, as_of=DEMO_DAY)
    assert len(board.late.items) == 3
    assert board.late.total > 3
    assert board.late.more == board.late.total - 3


def test_due_soon_holds_every_kind_due_in_the_next_90_days_soonest_first(board, rows):
    until = DEMO_DAY + timedelta(days=DUE_WINDOW_DAYS)
    assert board.due_soon_until == until
    items = board.due_soon.items
    assert all(DEMO_DAY <= item.due_by <= until for item in items)
    assert [item.due_by for item in items] == sorted(item.due_by for item in items)
    expected = {row.key for row in shown(rows, due_before=until) if row.status not in CLOSED}
    assert {item.key for item in items if item.register == "commitments"} == expected
    # The demo owes a report by the end of the year: reports are listed beside commitments.
    assert "Report due" in {item.kind for item in items}
    for item in items:
        assert item.due.latest() == item.due_by


def test_an_open_item_due_past_the_window_is_not_due_soon(board, rows):
    until = DEMO_DAY + timedelta(days=DUE_WINDOW_DAYS)
    later = [
        row.key
        for row in shown(rows)
        if row.status not in CLOSED and row.due is not None and row.due > until
    ]
    assert later, "the demo should have targets beyond 90 days"
    assert not set(later) & {item.key for item in board.due_soon.items}


def test_the_next_event_is_the_first_to_start_after_the_day(demo_desk, board, rows):
    upcoming = [e for e in load_filter_choices(demo_desk).events if e.starts > DEMO_DAY]
    event = board.next_event
    assert event is not None
    assert (event.code, event.start_day) == (upcoming[0].key, upcoming[0].starts)
    assert all(DEMO_DAY <= item.due_by <= event.start_day for item in board.due_before_event.items)
    expected = {
        row.key
        for row in shown(rows, due_before=event.start_day, due_before_label=event.name)
        if row.status not in CLOSED
    }
    listed = {item.key for item in board.due_before_event.items if item.register == "commitments"}
    assert listed == expected


def test_without_an_event_ahead_nothing_is_due_before_one(demo_desk):
    board = load_dashboard(demo_desk, as_of=DEMO_DAY + timedelta(days=365 * 10))
    assert board.next_event is None
    assert board.due_before_event.total == 0


def test_an_edit_is_the_newest_change_and_opens_its_record(demo_desk):
    ref = load_register(demo_desk, "commitments", as_of=DEMO_DAY)[0].key
    service = RecordService(
        demo_desk, Actor("officer@laptop", Channel.TYPED), today=lambda: DEMO_DAY
    )
    service.update("commitment", ref, {"title": "Ratify the amended convention"})

    newest = load_dashboard(demo_desk, as_of=DEMO_DAY).recent[0]
    assert newest.summary.startswith(f"Edited {ref} Ratify the amended convention")
    assert "(title)" in newest.summary
    assert (newest.actor, newest.records) == ("officer@laptop", 1)
    assert (newest.register, newest.key) == ("commitments", ref)
    opened = load_register(demo_desk, newest.register, as_of=DEMO_DAY, keys=[newest.key])
    assert [row.cells[1] for row in opened] == ["Ratify the amended convention"]


def test_progress_opens_its_commitment_and_the_demo_load_is_one_line(demo_desk):
    ref = load_register(demo_desk, "commitments", as_of=DEMO_DAY)[1].key
    service = RecordService(
        demo_desk, Actor("officer@laptop", Channel.TYPED), today=lambda: DEMO_DAY
    )
    service.record_progress(ref, status="in_progress", narrative="Bill sent to parliament.")

    recent = load_dashboard(demo_desk, as_of=DEMO_DAY).recent
    assert recent[0].summary == f"Recorded progress on {ref}: in progress"
    assert (recent[0].register, recent[0].key) == ("commitments", ref)
    # The whole demo was written in one operation: one line, nothing to open.
    assert recent[-1].summary == "Demo data written"
    assert (recent[-1].records or 0) > 100
    assert recent[-1].register is None


def test_a_retired_commitment_leaves_the_figures(demo_desk, board):
    ref = next(item.ref for item in board.late.items)
    RecordService(demo_desk, Actor("officer@laptop"), today=lambda: DEMO_DAY).retire(
        "commitment", ref
    )

    after = load_dashboard(demo_desk, as_of=DEMO_DAY)
    assert after.total == board.total - 1
    assert after.late.total == board.late.total - 1
    assert ref not in {item.ref for item in after.late.items}
    assert after.recent[0].summary.startswith(f"Retired {ref}")
