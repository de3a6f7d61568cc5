"""Another officer (another connection to the same desk, file or server) changes a
commitment: the open window shows it within a few seconds, keeping the selected
record, the place in the list and whatever the user is typing; the window's own
edits cause no extra reload."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt

from nsdesk.services.desk import Desk, open_desk
from nsdesk.services.records.record_service import RecordService
from nsdesk.ui.desk.opening_flow import open_desk_into

KEY = "C-0007"


@pytest.fixture
def other_officer(demo_desk_location) -> Iterator[RecordService]:
    """A second connection to the desk the window shows: its own open desk, engine and
    commits, as another officer's (or another process's) would be."""
    desk = open_desk(demo_desk_location)
    yield RecordService(desk)
    desk.close()


@pytest.fixture
def shown(qtbot, window, context, demo_desk_location):
    """The window with the demo desk open on commitment ``KEY``, its watch reading the
    desk's revision every 50 ms."""
    assert open_desk_into(context, window, demo_desk_location)
    watch = window.workspace.desk_watch
    watch.timer.setInterval(50)
    assert window.workspace.open_register_record("commitments", KEY)
    return window.workspace.registers["commitments"], watch


def _title_listed(view, key: str) -> str:
    """The register's line of ``key``, as its cells read."""
    row = view.model.row_of(key)
    assert row is not None
    return " | ".join(view.model.row_at(row).cells)


def test_another_officers_change_shows_with_the_same_record_selected(qtbot, shown, other_officer):
    view, watch = shown
    scrolled = view.table.verticalScrollBar().value()

    other_officer.update("commitment", KEY, {"title": "Changed by the other officer"})

    qtbot.waitUntil(lambda: watch.reloads == 1, timeout=10_000)
    assert "Changed by the other officer" in _title_listed(view, KEY)
    assert view.editor.fields["title"].widget.text() == "Changed by the other officer"
    assert view.current_key() == KEY
    current = view.table.selectionModel().currentIndex()
    assert view.model.key_at(current.row()) == KEY
    assert view.table.selectionModel().isRowSelected(current.row())
    assert view.table.verticalScrollBar().value() == scrolled


def test_a_field_being_typed_in_keeps_the_users_text(qtbot, shown, other_officer):
    view, watch = shown
    title = view.editor.fields["title"].widget
    title.setFocus()
    title.selectAll()
    qtbot.keyClicks(title, "Mine, half typed")

    other_officer.update("commitment", KEY, {"title": "Theirs, committed"})

    qtbot.waitUntil(lambda: watch.reloads == 1, timeout=10_000)
    assert "Theirs, committed" in _title_listed(view, KEY)  # the list shows theirs
    assert title.text() == "Mine, half typed"  # the field keeps the typing
    assert title.cursorPosition() == len("Mine, half typed")  # and the caret its place
    said = view.editor.errors()["title"]
    assert "Another officer changed this field while you were typing" in said
    assert "Theirs, committed" in said

    qtbot.keyClick(title, Qt.Key.Key_Return)  # leaving it: both shown, nothing written
    bar = view.editor.conflict("title")
    assert bar.isVisible()
    assert other_officer.values("commitment", KEY)["title"] == "Theirs, committed"


def test_the_windows_own_edits_cause_no_reload(qtbot, shown, context):
    view, watch = shown
    title = view.editor.fields["title"].widget
    title.setFocus()
    title.selectAll()
    qtbot.keyClicks(title, "Saved by this window")
    qtbot.keyClick(title, Qt.Key.Key_Return)
    desk: Desk = context.desk
    assert RecordService(desk).values("commitment", KEY)["title"] == "Saved by this window"
    saved = desk.revision()

    qtbot.waitUntil(lambda: watch.seen == saved, timeout=10_000)  # the timer read it
    assert watch.reloads == 0
    assert title.text() == "Saved by this window"


def _cells(view, key: str) -> tuple[str, ...]:
    row = view.model.record(key)
    assert row is not None, key
    return tuple(str(cell) for cell in row.cells)


def test_a_progress_entry_recorded_elsewhere_updates_its_commitment_only(
    qtbot, shown, other_officer
):
    """Only the rows another officer changed are read again: the commitment whose
    progress was recorded shows its new status, and its panel the entry; every other
    line is the very line read before (not read again at an archive's cost)."""
    view, watch = shown
    before = {row.key: row for row in view.model._all}
    entries = view.panel.timeline.count()

    other_officer.record_progress(KEY, status="stalled", narrative="Blocked in cabinet")

    qtbot.waitUntil(lambda: watch.reloads == 1, timeout=10_000)
    assert "Stalled" in _cells(view, KEY)
    assert view.panel.timeline.count() == entries + 1
    assert view.current_key() == KEY
    after = {row.key: row for row in view.model._all}
    assert after.keys() == before.keys()
    reread = [key for key in after if after[key] is not before[key]]
    assert reread == [KEY]


def test_a_commitment_created_and_one_retired_elsewhere_come_and_go(qtbot, shown, other_officer):
    view, watch = shown
    count = view.model.rowCount()
    made = other_officer.create(
        "commitment", {"title": "Made on the other laptop", "lead_agency": "MFA"}
    )
    other_officer.retire("commitment", "C-0003")

    qtbot.waitUntil(lambda: watch.reloads >= 1, timeout=10_000)
    qtbot.waitUntil(lambda: view.model.record("C-0003") is None or view.model.is_gone("C-0003"))
    assert "Made on the other laptop" in _cells(view, made.key)
    assert view.model.rowCount() == count  # one more, one fewer
    assert f"{count:,}" in view.filter_bar.count_label.text()
    assert view.current_key() == KEY


def test_an_agency_renamed_elsewhere_shows_on_every_commitment_it_leads(
    qtbot, shown, other_officer
):
    """An agency is named by other records' lines: the register is read again whole."""
    view, watch = shown
    lead = other_officer.values("commitment", KEY)["lead_agency"]
    led = [row.key for row in view.model._all if lead in _cells(view, row.key)]
    assert len(led) > 1

    other_officer.update("agency", lead, {"code": "RENAMED"})

    qtbot.waitUntil(lambda: watch.reloads == 1, timeout=10_000)
    for key in led:
        assert "RENAMED" in _cells(view, key)
    assert view.current_key() == KEY


def test_a_document_created_elsewhere_can_be_chosen_in_the_open_record(qtbot, shown, other_officer):
    """The open commitment's "Origin document" list offers a document another
    officer has just recorded, without F5."""
    view, watch = shown
    listed = view.editor.fields["origin_document"].widget
    origin = listed.itemData(listed.count() - 1)
    other_officer.update("commitment", KEY, {"origin_document": origin})
    qtbot.waitUntil(lambda: watch.reloads == 1, timeout=10_000)
    assert listed.currentData() == origin
    before = listed.count()

    made = other_officer.create(
        "document", {"kind": "joint_statement", "title": "Communiqué typed next door"}
    )

    qtbot.waitUntil(lambda: watch.reloads == 2, timeout=10_000)
    labels = [listed.itemText(row) for row in range(listed.count())]
    assert listed.count() == before + 1
    assert any("Communiqué typed next door" in label for label in labels), labels
    assert listed.findData(made.key) >= 0
    assert listed.currentData() == origin  # the list grew; the record's value stays shown
    assert view.current_key() == KEY
