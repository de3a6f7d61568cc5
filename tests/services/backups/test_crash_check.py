"""After a crash, on a full disk, on a read-only medium, with the file moved away:
messages, not tracebacks, and nothing already committed lost."""

import shutil
import sqlite3
from pathlib import Path

import pytest

from nsdesk.domain.errors import DeskMovedError, DeskReadOnlyError, DiskFullError
from nsdesk.services.backups import backups as b
from nsdesk.services.backups.restore import restore_desk
from nsdesk.services.desk import DeskNeedsRecoveryError, open_desk
from nsdesk.services.overview.dashboard import load_dashboard
from nsdesk.services.records.record_service import RecordService
from nsdesk.store.storage import linux_mount_type
from tests.support.filesystems import mounted_tmpfs, remount_read_only
from tests.support.processes import kill_hard, python, wait_for

# About the check after a crash, a full disk, a read-only medium and a moved file are a desk file's.
pytestmark = pytest.mark.file_desk

WORK_THEN_WAIT = """
import sys, time
from pathlib import Path
from nsdesk.services.desk import open_desk
from nsdesk.services.records.record_service import RecordService
from nsdesk.services.backups.backups import take_backup

desk = open_desk(Path(sys.argv[1]))
records = RecordService(desk)
for i in range(int(sys.argv[2])):
    records.create("commitment", {"title": f"Committed before the crash {i}"})
if sys.argv[3] == "backup":
    take_backup(desk.path)
print("ready", flush=True)
time.sleep(600)
"""


def count(path, table="commitment"):
    connection = sqlite3.connect(path)
    n = connection.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
    connection.close()
    return n


def crash_after_work(desk_path, commitments, backup):
    child = python(WORK_THEN_WAIT, str(desk_path), str(commitments), backup)
    wait_for(child, "ready")
    kill_hard(child)


def test_an_unclean_shutdown_is_noticed_checked_and_reported(new_desk_path):
    crash_after_work(new_desk_path, 3, "no-backup")
    with open_desk(new_desk_path) as desk:
        assert desk.notes.unclean is not None
        assert desk.notes.crash_check.sound
        assert any("not closed properly" in w for w in desk.notes.warnings())
        assert count(new_desk_path) == 3  # committed work survived in the WAL


def test_transactions_lost_from_the_wal_are_found_by_comparing_with_the_backup(new_desk_path):
    crash_after_work(new_desk_path, 4, "backup")
    # Damage that integrity_check cannot see: the journal holding the last commits is gone.
    for journal in ("-wal", "-shm"):
        Path(f"{new_desk_path}{journal}").unlink(missing_ok=True)
    assert sqlite3.connect(new_desk_path).execute("PRAGMA integrity_check").fetchone() == ("ok",)
    with pytest.raises(DeskNeedsRecoveryError) as refused:
        open_desk(new_desk_path)
    check = refused.value.check
    assert check.lost["commitment"] == (4, 0)
    assert "audit_entry" in check.lost
    assert "rows that the backup of" in check.describe()
    restore_desk(new_desk_path, check.newest_backup.path)
    assert count(new_desk_path) == 4


def test_a_copy_of_the_desk_with_more_work_does_not_make_it_look_damaged(new_desk_path, tmp_path):
    copy = Path(shutil.copy(new_desk_path, tmp_path / "copy.nsdesk"))  # same UUID
    with open_desk(copy) as desk:
        for i in range(3):
            RecordService(desk).create("commitment", {"title": f"Only in the copy {i}"})
    b.take_backup(copy)  # the newest backup in the shared folder: 3 commitments
    crash_after_work(new_desk_path, 0, "no-backup")
    with open_desk(new_desk_path) as desk:
        assert desk.notes.crash_check.sound
        assert desk.notes.crash_check.lost == {}
    assert count(new_desk_path) == 0


def test_backups_of_a_desk_damaged_beyond_reading_are_still_found(new_desk_path):
    backup = b.take_backup(new_desk_path)
    new_desk_path.write_bytes(b"\x00" * 4096)
    assert [x.path for x in b.list_backups(new_desk_path)] == [backup.path]


@pytest.mark.file_desk
def test_a_full_disk_refuses_the_change_and_keeps_everything_before_it(desk_templates, tmp_path):
    folder = tmp_path / "small"
    template = desk_templates["new"]
    with mounted_tmpfs(folder, size_kb=template.stat().st_size // 1024 + 1500):
        desk_path = Path(shutil.copy(template, folder / "desk.nsdesk"))
        saved = []

        def fill_the_disk(records):
            for i in range(100_000):
                records.create("commitment", {"title": f"Entry {i}", "text": "x" * 3000})
                saved.append(i)

        with open_desk(desk_path) as desk:
            records = RecordService(desk)
            with pytest.raises(DiskFullError, match="disk is full") as full:
                fill_the_disk(records)
            assert "everything saved before it is safe" in full.value.reason
        with open_desk(desk_path, read_only=True) as reopened:
            assert load_dashboard(reopened).total == len(saved) >= 1


@pytest.mark.file_desk
def test_a_desk_on_a_read_only_medium_opens_read_only_and_says_why(desk_copies, tmp_path):
    folder = tmp_path / "cdrom"
    with mounted_tmpfs(folder, size_kb=8192):
        desk_path = desk_copies.copy("demo", folder, "desk.nsdesk")
        remount_read_only(folder)
        with open_desk(desk_path) as desk:
            assert desk.read_only
            assert desk.notes.read_only_reason == "the desk is on a read-only medium"
            assert load_dashboard(desk).total == 60
            with pytest.raises(DeskReadOnlyError, match="read-only medium"):
                RecordService(desk).create("agency", {"code": "X", "name": "X"})
        assert sorted(p.name for p in folder.iterdir()) == ["desk.nsdesk"]


@pytest.mark.parametrize("how", ["moved", "deleted"])
def test_a_desk_moved_or_deleted_while_open_saves_an_emergency_copy(new_desk_path, how):
    with open_desk(new_desk_path) as desk:
        records = RecordService(desk)
        records.create("commitment", {"title": "Saved before it went"})
        if how == "moved":
            new_desk_path.rename(new_desk_path.with_name("elsewhere.nsdesk"))
        else:
            new_desk_path.unlink()
        with pytest.raises(DeskMovedError, match="moved or deleted while nsdesk had it open") as e:
            records.create("commitment", {"title": "Not saved"})
    copy = Path(e.value.reason.split("kept in ")[1].split(". Reopen")[0])
    assert count(copy) == 1
    assert sqlite3.connect(copy).execute("SELECT title FROM commitment").fetchone() == (
        "Saved before it went",
    )


def test_network_shares_are_recognised_from_the_mount_table():
    mounts = (
        "/dev/sda1 / ext4 rw 0 0\n"
        "server:/exports/desks /mnt/share nfs4 rw 0 0\n"
        "//fileserver/ministry /mnt/ministry\\040files cifs rw 0 0\n"
    )
    assert linux_mount_type(Path("/mnt/share/desk.nsdesk"), mounts) == "nfs4"
    assert linux_mount_type(Path("/mnt/ministry files/a/b.nsdesk"), mounts) == "cifs"
    assert linux_mount_type(Path("/home/officer/desk.nsdesk"), mounts) == "ext4"
