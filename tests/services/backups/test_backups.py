"""Verified backups, bounded retention, and a restore that never overwrites."""

import hashlib
import shutil
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from nsdesk.domain.errors import DeskLockedError
from nsdesk.services.backups import backups as b
from nsdesk.services.backups.backups import BackupReason
from nsdesk.services.backups.crash_check import check_after_crash
from nsdesk.services.backups.restore import RestoreRefusedError, restore_desk
from nsdesk.services.desk import open_desk
from nsdesk.services.records.record_service import RecordService
from nsdesk.store.backup import BackupError
from tests.support.processes import desk_held_by_another_process

# About backups, restore and the emergency copy: a desk file's (a server's are IT's pg_dump).
pytestmark = pytest.mark.file_desk


NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)


def commitments(path):
    connection = sqlite3.connect(path)
    titles = [r[0] for r in connection.execute("SELECT title FROM commitment ORDER BY id")]
    connection.close()
    return titles


def add(path, title):
    with open_desk(path) as desk:
        return RecordService(desk).create("commitment", {"title": title}).key


def test_a_backup_is_verified_described_and_kept_out_of_the_desks_folder(
    demo_desk_path, nsdesk_home
):
    info = b.take_backup(demo_desk_path, BackupReason.MANUAL, now=NOW)
    assert info.path.is_relative_to(nsdesk_home / "data" / "backups")
    assert info.path.parent != demo_desk_path.parent  # never beside the desk
    assert info.verified
    assert info.counts["commitment"] == 60
    assert info.record_count > 1000
    assert commitments(info.path) == commitments(demo_desk_path)
    # A standalone file: copied to a stick on its own, it opens with everything in it.
    assert info.path.read_bytes()[18:20] == b"\x01\x01"  # rollback journal, not WAL
    assert sorted(p.name for p in info.path.parent.iterdir() if p.suffix != ".json") == [
        info.path.name
    ]
    listed = b.list_backups(demo_desk_path)
    assert [x.path for x in listed] == [info.path]
    assert listed[0].reason == "manual"
    assert listed[0].taken_at == NOW


def test_a_backup_that_does_not_verify_leaves_nothing(demo_desk_path, monkeypatch):
    monkeypatch.setattr("nsdesk.store.backup.verify_copy", lambda *_, **__: "row counts differ")
    with pytest.raises(BackupError, match="did not verify"):
        b.take_backup(demo_desk_path, now=NOW)
    assert b.list_backups(demo_desk_path) == []
    assert not any(b.backup_folder(None, demo_desk_path).parent.rglob("*.nsdesk*"))


def test_backup_to_a_chosen_file(new_desk_path, tmp_path):
    target = tmp_path / "usb" / "copy.nsdesk"
    info = b.take_backup(new_desk_path, to=target)
    assert info.path == target
    assert target.exists()


def test_retention_keeps_recent_daily_and_monthly_backups_only(new_desk_path):
    moments = [NOW - timedelta(minutes=5 * i) for i in range(30)]  # a busy morning
    moments += [NOW - timedelta(days=d, hours=3) for d in range(1, 40)]  # each day
    moments += [NOW - timedelta(days=31 * m + 2) for m in range(2, 20)]  # months back
    for moment in sorted(moments):
        b.take_backup(new_desk_path, BackupReason.PERIODIC, now=moment)
    kept = b.list_backups(new_desk_path)
    times = [k.taken_at for k in kept]
    assert times[: b.KEEP_RECENT] == sorted(moments, reverse=True)[: b.KEEP_RECENT]
    days = {t.date() for t in times if NOW - t <= timedelta(days=b.KEEP_DAILY)}
    wanted_days = {m.date() for m in moments if NOW - m <= timedelta(days=b.KEEP_DAILY)}
    assert days == wanted_days  # one backup kept for every day of the last two weeks
    assert not any(NOW - t > timedelta(days=31 * b.KEEP_MONTHLY) for t in times)
    assert len(kept) <= b.KEEP_RECENT + b.KEEP_DAILY + b.KEEP_MONTHLY + 1
    assert all(k.path.exists() for k in kept)


def test_backups_taken_for_a_reason_survive_the_day(new_desk_path):
    b.take_backup(new_desk_path, BackupReason.BEFORE_IMPORT, now=NOW - timedelta(hours=2))
    for minutes in range(0, 100, 5):
        b.take_backup(new_desk_path, BackupReason.PERIODIC, now=NOW - timedelta(minutes=minutes))
    reasons = [k.reason for k in b.list_backups(new_desk_path)]
    assert "before-import" in reasons


def test_needs_backup_follows_changes(new_desk_path):
    assert b.needs_backup(new_desk_path)
    b.take_backup(new_desk_path)
    assert not b.needs_backup(new_desk_path)
    add(new_desk_path, "A change")
    assert b.needs_backup(new_desk_path)


def test_a_copy_of_the_desk_keeps_its_own_backups_and_its_own_pace(new_desk_path, tmp_path):
    original = b.take_backup(new_desk_path, BackupReason.PERIODIC, now=NOW - timedelta(days=40))
    copy = Path(shutil.copy(new_desk_path, tmp_path / "copy.nsdesk"))  # same UUID, same folder
    for i in range(3):
        add(copy, f"Only in the copy {i}")
    for minutes in range(0, 100, 5):  # the copy is backed up all morning
        b.take_backup(copy, BackupReason.PERIODIC, now=NOW - timedelta(minutes=minutes))
    assert original.path.exists()  # not thinned out by the copy's backups
    add(new_desk_path, "A change to the original")
    # the copy's newer backups (more audit entries) do not hide the original's change
    assert b.needs_backup(new_desk_path)


def test_restore_keeps_the_current_desk_aside_and_can_be_undone(new_desk_path):
    add(new_desk_path, "Before the backup")
    backup = b.take_backup(new_desk_path)
    add(new_desk_path, "After the backup")
    report = restore_desk(new_desk_path, backup.path)
    assert commitments(new_desk_path) == ["Before the backup"]
    assert report.kept_aside_restorable
    assert commitments(report.kept_aside) == ["Before the backup", "After the backup"]
    assert report.kept_aside in [x.path for x in b.list_backups(new_desk_path)]
    # the restore is recorded in the restored desk
    connection = sqlite3.connect(new_desk_path)
    note = connection.execute(
        "SELECT channel, note FROM audit_entry ORDER BY id DESC LIMIT 1"
    ).fetchone()
    connection.close()
    assert note[0] == "restored"
    assert backup.path.name in note[1]
    # undo: restore what was kept aside
    restore_desk(new_desk_path, report.kept_aside)
    assert commitments(new_desk_path) == ["Before the backup", "After the backup"]
    with open_desk(new_desk_path) as desk:
        assert desk.info().own_state_code == "NLD"


def test_a_damaged_desk_is_kept_aside_byte_for_byte(new_desk_path):
    backup = b.take_backup(new_desk_path)
    data = bytearray(new_desk_path.read_bytes())
    data[4096 * 3 : 4096 * 6] = b"\xff" * (4096 * 3)
    new_desk_path.write_bytes(bytes(data))
    damaged = hashlib.sha256(bytes(data)).hexdigest()
    report = restore_desk(new_desk_path, backup.path)
    assert not report.kept_aside_restorable
    assert hashlib.sha256(report.kept_aside.read_bytes()).hexdigest() == damaged
    assert b.list_backups(new_desk_path)  # the restored desk is sound and found again


def test_restore_refuses_what_it_must(new_desk_path, demo_desk_path, tmp_path):
    other = b.take_backup(demo_desk_path)
    with pytest.raises(RestoreRefusedError, match="backup of another desk"):
        restore_desk(new_desk_path, other.path)
    text = tmp_path / "notes.nsdesk"
    text.write_text("not a desk")
    with pytest.raises(RestoreRefusedError, match="cannot be restored"):
        restore_desk(new_desk_path, text)
    with pytest.raises(RestoreRefusedError, match="the desk itself"):
        restore_desk(new_desk_path, new_desk_path)
    mine = b.take_backup(new_desk_path)
    before = new_desk_path.read_bytes()
    with desk_held_by_another_process(new_desk_path), pytest.raises(DeskLockedError):
        restore_desk(new_desk_path, mine.path)
    assert new_desk_path.read_bytes() == before


def test_a_desk_deleted_by_mistake_is_restored_from_its_backups(new_desk_path):
    backup = b.take_backup(new_desk_path)
    shutil.move(new_desk_path, new_desk_path.with_suffix(".gone"))
    assert b.list_backups(new_desk_path, desk_uuid=backup.desk_uuid)
    report = restore_desk(new_desk_path, backup.path)
    assert report.kept_aside is None
    assert new_desk_path.exists()


def test_after_a_restore_the_replaced_desk_is_not_mistaken_for_lost_work(new_desk_path):
    from nsdesk.services.backups.check import check_desk

    add(new_desk_path, "Kept")
    older = b.take_backup(new_desk_path, BackupReason.PERIODIC, now=NOW - timedelta(hours=2))
    add(new_desk_path, "Undone by the restore")
    b.take_backup(new_desk_path, BackupReason.PERIODIC, now=NOW - timedelta(hours=1))
    restore_desk(new_desk_path, older.path, now=NOW)
    report = check_desk(new_desk_path)
    assert report.sound, report.problems
    crash = check_after_crash(new_desk_path)
    assert crash.sound
    assert crash.newest_backup is None
