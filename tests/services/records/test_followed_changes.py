"""What another officer changed, read from the change log: the rows a window reads
again, or "everything" where a row-by-row read would miss what other lines show."""

from __future__ import annotations

from nsdesk.services.records.followed_changes import changes_between
from nsdesk.services.records.record_service import RecordService


def test_an_edit_and_a_progress_entry_name_their_commitments(demo_desk):
    service = RecordService(demo_desk)
    start = demo_desk.revision()
    service.update("commitment", "C-0002", {"next_steps": "Call the regulator"})
    service.record_progress("C-0005", status="stalled", narrative="Waiting for cabinet")
    service.update("action_item", service.identify("action_item", "A-0001").key, {"due": None})

    found = changes_between(demo_desk, start, demo_desk.revision())

    assert not found.everything
    uuid = {key: service.identify("commitment", key).uuid for key in ("C-0002", "C-0005")}
    assert found.records["commitment"] == frozenset(uuid.values())
    assert found.records["action_item"] == {service.identify("action_item", "A-0001").uuid}
    assert found.kinds == {"commitment", "action_item"}


def test_what_other_lines_show_asks_for_everything(demo_desk):
    service = RecordService(demo_desk)
    start = demo_desk.revision()
    agency = service.values("commitment", "C-0002")["lead_agency"]
    service.update("agency", agency, {"name": "Renamed ministry"})
    assert changes_between(demo_desk, start, demo_desk.revision()).everything


def test_many_changes_at_once_ask_for_everything(demo_desk):
    service = RecordService(demo_desk)
    keys = [f"C-{n:04d}" for n in range(1, 13)]
    start = demo_desk.revision()
    service.record_progress_many(keys, status="in_progress", narrative="Reviewed")
    now = demo_desk.revision()
    assert len(changes_between(demo_desk, start, now).records["commitment"]) == 12
    assert changes_between(demo_desk, start, now, most=11).everything


def test_nothing_between_two_revisions_asks_for_everything(demo_desk):
    """A revision without a logged change (a note of an export) cannot be followed row
    by row, so it is read whole rather than missed."""
    now = demo_desk.revision()
    assert changes_between(demo_desk, now, now).everything
