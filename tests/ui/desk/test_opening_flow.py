"""Opening a desk when something is wrong: open elsewhere, damaged, or left by a crash."""

from __future__ import annotations

import gc
import json
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from nsdesk.services.backups.backups import BackupReason, list_backups, take_backup
from nsdesk.services.desk import open_desk
from nsdesk.services.records.record_service import RecordService
from nsdesk.ui.desk.opening_flow import open_desk_into

# About opening a desk file: its lock, the check after a crash, recovery from its backups.
pytestmark = pytest.mark.file_desk


@pytest.fixture
def held_elsewhere(demo_desk_path: Path) -> Iterator[subprocess.Popen]:
    """Another nsdesk process holding the demo desk for editing."""
    code = (
        "import sys; from pathlib import Path; from nsdesk.store.lock import acquire\n"
        "acquire(Path(sys.argv[1])); print('held', flush=True); sys.stdin.read()\n"
    )
    holder = subprocess.Popen(
        [sys.executable, "-c", code, str(demo_desk_path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout.readline().strip() == "held"
    yield holder
    holder.stdin.close()
    holder.wait(10)


def leave_stale_lock(desk: Path) -> None:
    """What a session that crashed or lost power leaves: a lock file naming it,
    locked by nobody."""
    desk.with_name(desk.name + ".lock").write_text(
        json.dumps(
            {"user": "officer", "host": "laptop-7", "pid": 999_999, "since": "2026-11-21T16:40:00"}
        )
    )


def test_a_desk_open_elsewhere_is_offered_read_only_and_says_why(
    window, context, demo_desk_path, held_elsewhere, modal
):
    modal.click("Open read-only")
    assert open_desk_into(context, window, demo_desk_path)
    title, question = modal.seen[0]
    assert title == "Desk open elsewhere"
    assert "open for editing by" in question
    assert f"process {held_elsewhere.pid}" in question
    assert context.desk.read_only
    assert window.windowTitle().endswith("[read-only]")
    view = window.workspace.banner
    assert view.read_only_label.isVisible()
    assert "open for editing by" in view.read_only_label.text()
    assert f"process {held_elsewhere.pid}" in view.read_only_label.text()
    assert window.workspace.dashboard.tiles["total"].value_label.text() == "60"


def test_declining_read_only_keeps_the_desk_that_was_open(
    window, context, new_desk_path, demo_desk_path, held_elsewhere, modal
):
    assert open_desk_into(context, window, new_desk_path)
    shown_title = window.windowTitle()
    modal.click("Cancel")
    assert not open_desk_into(context, window, demo_desk_path)
    assert window.windowTitle() == shown_title
    assert window.pages.currentWidget() is window.workspace
    assert context.desk.path == new_desk_path


def test_declining_read_only_with_no_desk_open_says_who_has_it(
    window, context, demo_desk_path, held_elsewhere, modal
):
    modal.click("Cancel")
    assert not open_desk_into(context, window, demo_desk_path)
    assert "was not opened: it is open for editing by" in window.message_label.text()
    assert context.desk is None


def add_a_commitment(desk_path: Path) -> None:
    desk = open_desk(desk_path)
    RecordService(desk).create("commitment", {"title": "Host a workshop", "pledged_on": "2016"})
    desk.close()
    # Desk.close() leaves the connection it keeps for emergencies open (and the WAL
    # beside the file) until the Desk is collected; collect it, as a closed desk must be.
    del desk
    gc.collect()


def lose_the_last_change(desk_path: Path) -> None:
    """A crash whose journal lost a committed change: the desk file is as it was
    before the change, while the newest backup (taken after it) holds it."""
    before = desk_path.with_name("before.nsdesk")
    shutil.copy(desk_path, before)
    add_a_commitment(desk_path)
    take_backup(desk_path, BackupReason.PERIODIC)
    for journal in ("-wal", "-shm"):  # the journal that held the change is what was lost
        desk_path.with_name(desk_path.name + journal).unlink(missing_ok=True)
    shutil.copy(before, desk_path)
    leave_stale_lock(desk_path)


def test_a_desk_that_lost_work_in_a_crash_is_restored_from_its_backup(
    window, context, demo_desk_path, modal
):
    lose_the_last_change(demo_desk_path)
    modal.click("Restore this backup")
    assert open_desk_into(context, window, demo_desk_path)
    title, said = modal.seen[0]
    assert title == "demo.nsdesk needs attention — nsdesk"
    assert "was not closed properly last time, and some of its work is missing" in said
    assert "Commitments: 1 of the 61 in the newest backup are missing from the desk." in said
    assert "The newest good backup is of" in said
    assert "UTC" not in said  # local time, as the laptop's clock shows it
    assert "nsdesk first keeps it aside in the backups folder" in said
    assert window.workspace.dashboard.tiles["total"].value_label.text() == "61"
    assert not context.desk.read_only
    assert window.statusBar().currentMessage().startswith("Restored the backup of ")
    kept = [b for b in list_backups(demo_desk_path) if b.reason == "replaced-by-restore"]
    assert len(kept) == 1
    assert (
        f"The replaced desk is kept as {kept[0].path.name}." in window.statusBar().currentMessage()
    )


def test_cancelling_recovery_changes_nothing(window, context, demo_desk_path, modal):
    lose_the_last_change(demo_desk_path)
    before = demo_desk_path.read_bytes()
    modal.click("Cancel")
    assert not open_desk_into(context, window, demo_desk_path)
    assert demo_desk_path.read_bytes() == before
    assert "demo.nsdesk was not opened, and nothing was changed" in window.message_label.text()
    assert context.desk is None


def test_a_damaged_desk_with_a_backup_is_offered_it(window, context, demo_desk_path, modal):
    backup = take_backup(demo_desk_path, BackupReason.ON_OPEN)
    data = demo_desk_path.read_bytes()
    demo_desk_path.write_bytes(data[: len(data) // 2])
    modal.click("Restore this backup")
    assert open_desk_into(context, window, demo_desk_path)
    _, said = modal.seen[0]
    assert "demo.nsdesk cannot be opened as it is." in said
    assert "SQLite reports damage" in said
    assert "Anything changed after" in said
    assert window.workspace.dashboard.tiles["total"].value_label.text() == "60"
    assert backup.path.exists()  # restoring copies a backup; it never uses it up
    assert "The damaged desk is kept, unchanged, as" in window.statusBar().currentMessage()


def test_a_damaged_desk_without_a_backup_is_refused_as_before(
    window, context, demo_desk_path, monkeypatch
):
    from PySide6.QtWidgets import QMessageBox

    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *args: shown.append(args[1:3]))
    data = demo_desk_path.read_bytes()
    demo_desk_path.write_bytes(data[: len(data) // 2])
    assert not open_desk_into(context, window, demo_desk_path)
    assert shown[0][0] == "The desk could not be opened"
    assert "SQLite reports damage" in shown[0][1]


def test_a_crash_damaged_desk_with_no_backup_offers_only_cancel(
    window, context, demo_desk_path, modal
):
    import sqlite3

    connection = sqlite3.connect(demo_desk_path)
    connection.execute("PRAGMA foreign_keys = OFF")
    connection.execute("DELETE FROM agency WHERE id = (SELECT MIN(lead_agency_id) FROM commitment)")
    connection.commit()
    connection.close()
    leave_stale_lock(demo_desk_path)

    def offers_no_restore(dialog):
        buttons = [b.text() for b in dialog.buttons.buttons()]
        assert buttons == ["Cancel"]

    modal.click("Cancel", then=offers_no_restore)
    assert not open_desk_into(context, window, demo_desk_path)
    _, said = modal.seen[0]
    assert "was not closed properly last time, and it is damaged" in said
    assert "points to a missing agency" in said
    assert "There is no backup of this desk, so nsdesk cannot restore it." in said


def test_an_unclean_shutdown_that_left_the_desk_sound_is_said_above_the_figures(
    window, context, demo_desk_path
):
    take_backup(demo_desk_path, BackupReason.ON_OPEN)
    leave_stale_lock(demo_desk_path)
    assert open_desk_into(context, window, demo_desk_path)
    view = window.workspace.banner
    assert view.warnings_bar.isVisible()
    [warning] = view.warnings()
    assert warning.startswith("This desk was not closed properly last time")
    assert "open for editing by officer on laptop-7 (nsdesk process 999999, since " in warning
    assert "UTC" not in warning  # the laptop's own time
    assert warning.endswith("It has been checked and is sound.")
    assert not window.workspace.banner.read_only_label.isVisible()


def test_a_sound_desk_shows_no_warning_bar(window, context, demo_desk_path):
    assert open_desk_into(context, window, demo_desk_path)
    assert not window.workspace.banner.warnings_bar.isVisible()
    assert window.workspace.banner.warnings() == []
    assert not window.workspace.banner.read_only_label.isVisible()


def test_an_empty_desk_file_is_offered_its_backup(window, context, demo_desk_path, modal):
    take_backup(demo_desk_path, BackupReason.ON_OPEN)
    demo_desk_path.write_bytes(b"")
    modal.click("Cancel")
    assert not open_desk_into(context, window, demo_desk_path)
    _, said = modal.seen[0]
    assert "demo.nsdesk cannot be opened as it is." in said
    assert "The file is empty (0 bytes)" in said
    assert "The newest good backup is of" in said
    assert demo_desk_path.read_bytes() == b""


def test_restoring_over_an_empty_desk_file_brings_the_desk_back(qtbot, background, demo_desk_path):
    from nsdesk.ui.backups.recovery_dialog import RecoveryDialog

    backup = take_backup(demo_desk_path, BackupReason.ON_OPEN)
    demo_desk_path.write_bytes(b"")
    dialog = RecoveryDialog(
        demo_desk_path, reason="the file is empty", backup=backup, background=background
    )
    qtbot.addWidget(dialog)
    dialog.restore_button.click()
    assert dialog.report is not None, dialog.status_label.text()
    with open_desk(demo_desk_path) as desk:
        assert RecordService(desk).values("commitment", "C-0060")
    kept = dialog.report.kept_aside
    assert kept.read_bytes() == b""  # the empty file is kept aside as it was
    listed = {b.path: b for b in list_backups(demo_desk_path)}
    assert kept in listed
    assert not listed[kept].verified
