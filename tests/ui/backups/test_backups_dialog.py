"""File ▸ Backups…: the list, a backup on demand, restore, and the folder."""

from __future__ import annotations

import contextlib
import gc
import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtGui import QDesktopServices

from nsdesk.services.backups.backups import BackupReason, list_backups, take_backup
from nsdesk.services.desk import open_desk
from nsdesk.services.records.record_service import RecordService
from nsdesk.ui import wording
from nsdesk.ui.backups.backup_flow import show_backups
from nsdesk.ui.backups.backups_table_model import COL_REASON, COL_RECORDS, COL_SIZE, COL_TAKEN
from nsdesk.ui.desk.opening_flow import open_desk_into, open_plain

# About the backups of a desk file.
pytestmark = pytest.mark.file_desk


def cell(dialog, row, column):
    model = dialog.model
    return model.data(model.index(row, column))


@pytest.fixture
def open_demo(window, context, demo_desk_path):
    assert open_desk_into(context, window, demo_desk_path)
    return context.desk


def test_the_backups_are_listed_newest_first_in_words(window, context, open_demo):
    earlier = datetime.now(UTC) - timedelta(days=3)
    take_backup(open_demo.path, BackupReason.ON_OPEN, now=earlier)
    take_backup(open_demo.path, BackupReason.PERIODIC)
    dialog = show_backups(context, window, lambda path: open_plain(context, window, path))
    assert dialog.isVisible()
    assert dialog.windowTitle() == "Backups of demo.nsdesk — nsdesk"
    assert dialog.model.rowCount() == 2
    assert cell(dialog, 0, COL_REASON) == "Periodic"
    assert cell(dialog, 1, COL_REASON) == "On opening"
    assert cell(dialog, 0, COL_TAKEN).startswith("Today ")
    assert cell(dialog, 1, COL_TAKEN) == wording.full_when(earlier)
    assert cell(dialog, 0, COL_SIZE).endswith(" MB")
    records = list_backups(open_demo.path)[0].record_count
    assert cell(dialog, 0, COL_RECORDS) == f"{records:,}"
    assert dialog.restore_button.isEnabled()  # the newest is selected, ready to restore


def test_back_up_now_adds_a_verified_backup(window, context, open_demo):
    dialog = show_backups(context, window, lambda path: open_plain(context, window, path))
    assert dialog.model.rowCount() == 0
    assert dialog.status_label.text() == "This desk has no backup yet."
    dialog.backup_button.click()  # the background runs at once in tests
    assert dialog.model.rowCount() == 1
    assert cell(dialog, 0, COL_REASON) == "Manual"
    assert dialog.status_label.text().startswith("Backed up at ")
    assert "checked and sound" in dialog.status_label.text()
    assert window.statusBar().currentMessage().startswith("Backed up at ")
    assert list_backups(open_demo.path)[0].verified


def test_restore_keeps_the_current_desk_aside_and_reopens_the_desk(
    window, context, open_demo, modal
):
    path = open_demo.path
    backup = take_backup(path, BackupReason.ON_OPEN)
    RecordService(open_demo).create(
        "commitment", {"title": "Host a workshop", "pledged_on": "2016"}
    )
    assert window.workspace.dashboard.tiles["total"].value_label.text() == "60"  # not reloaded
    dialog = show_backups(context, window, lambda path: open_plain(context, window, path))
    modal.click("Restore")
    dialog.restore_button.click()

    title, question = modal.seen[0]
    assert title == "Restore this backup?"
    assert f"Replace the desk with the backup of {wording.full_when(backup.taken_at)}?" in question
    assert "restoring that one undoes this restore" in question
    assert "recorded after" in question
    assert "they stay in the copy kept aside" in question

    assert context.desk is not None
    assert context.desk is not open_demo
    assert window.workspace.dashboard.tiles["total"].value_label.text() == "60"
    kept = [b for b in list_backups(path) if b.reason == "replaced-by-restore"]
    assert len(kept) == 1
    assert kept[0].counts["commitment"] == 61
    restored = f"Restored the backup of {wording.full_when(backup.taken_at)}."
    assert window.statusBar().currentMessage() == (
        f"{restored} The replaced desk is kept as {kept[0].path.name}."
    )
    assert dialog.status_label.text() == (
        f"{restored} The replaced desk is kept as {kept[0].path.name}: restore that backup "
        "to undo this restore."
    )
    reasons = [cell(dialog, r, COL_REASON) for r in range(dialog.model.rowCount())]
    assert "Before a restore (the desk it replaced)" in reasons
    assert not dialog.busy


def test_a_restored_desk_keeps_what_is_saved_after_it(window, context, open_demo, modal):
    """No connection to the replaced file may outlive it: closing one would delete
    the restored desk's journal by name."""
    take_backup(open_demo.path, BackupReason.ON_OPEN)
    dialog = show_backups(context, window, lambda path: open_plain(context, window, path))
    modal.click("Restore")
    dialog.restore_button.click()
    RecordService(context.desk).create("commitment", {"title": "After", "pledged_on": "2016"})
    gc.collect()
    path = context.desk.path
    context.close_desk()
    with open_desk(path) as desk:
        assert RecordService(desk).values("commitment", "C-0061")["title"] == "After"


def test_cancelling_the_restore_changes_nothing(window, context, open_demo, modal):
    take_backup(open_demo.path, BackupReason.ON_OPEN)
    dialog = show_backups(context, window, lambda path: open_plain(context, window, path))
    modal.click("Cancel")
    dialog.restore_button.click()
    assert context.desk is open_demo
    assert len(list_backups(open_demo.path)) == 1
    assert not dialog.busy


def test_a_read_only_desk_can_be_backed_up_but_not_restored(window, context, demo_desk_path):
    take_backup(demo_desk_path, BackupReason.ON_OPEN)
    context.read_only = True
    assert open_desk_into(context, window, demo_desk_path)
    dialog = show_backups(context, window, lambda path: open_plain(context, window, path))
    assert not dialog.restore_button.isEnabled()
    assert dialog.backup_button.isEnabled()
    assert "Restoring needs the desk open for editing" in dialog.status_label.text()
    assert "you opened it read-only" in dialog.status_label.text()


def test_show_folder_opens_the_backups_folder(window, context, open_demo, monkeypatch):
    opened = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url) or True)
    backup = take_backup(open_demo.path, BackupReason.ON_OPEN)
    dialog = show_backups(context, window, lambda path: open_plain(context, window, path))
    dialog.folder_button.click()
    assert [url.toLocalFile() for url in opened] == [str(backup.path.parent)]
    assert str(backup.path.parent) in dialog.folder_label.text()


def test_the_backups_menu_item_needs_an_open_desk(window, context, demo_desk_path):
    assert not window.backups_action.isEnabled()
    assert window.backups_action.shortcut().toString() == "Ctrl+Shift+B"
    assert open_desk_into(context, window, demo_desk_path)
    assert window.backups_action.isEnabled()


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs /proc to list open files")
def test_closing_the_desk_lets_go_of_its_file(window, context, demo_desk_path):
    """A restore replaces the file: nothing of nsdesk may still hold the old one."""

    def held() -> list[str]:
        names = []
        for fd in Path("/proc/self/fd").iterdir():
            with contextlib.suppress(OSError):
                names.append(os.readlink(fd))
        return [n for n in names if n.startswith(str(demo_desk_path))]

    assert open_desk_into(context, window, demo_desk_path)
    assert held()
    context.close_desk()
    assert held() == []
