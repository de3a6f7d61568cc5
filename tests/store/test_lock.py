"""One writer per desk: the lock names who holds it, dies with its process, and
leaves the evidence of an unclean shutdown."""

import os
import socket

import pytest

from nsdesk.domain.errors import DeskLockedError, DeskReadOnlyError
from nsdesk.services.desk import open_desk
from nsdesk.services.records.record_service import RecordService
from nsdesk.store.lock import acquire, lock_path, read_holder
from tests.support.processes import (
    HOLD_DESK,
    desk_held_by_another_process,
    kill_hard,
    python,
    wait_for,
)

# About the lock file beside a desk file.
pytestmark = pytest.mark.file_desk


def test_a_second_instance_is_told_who_holds_the_desk_and_can_read_it(new_desk_path):
    with desk_held_by_another_process(new_desk_path) as other:
        with pytest.raises(DeskLockedError) as refused:
            open_desk(new_desk_path)
        holder = refused.value.holder
        assert (holder.host, holder.pid) == (socket.gethostname(), other.pid)
        assert f"(process {other.pid})" in refused.value.reason
        with open_desk(new_desk_path, read_only=True) as reader:
            assert reader.info().own_state_code == "NLD"
            assert reader.notes.read_only_reason == "it was opened read-only"
            with pytest.raises(DeskReadOnlyError, match="nothing was changed"):
                RecordService(reader).create("agency", {"code": "MFA", "name": "Foreign Affairs"})


def test_a_clean_close_removes_the_lock(new_desk_path):
    desk = open_desk(new_desk_path)
    assert read_holder(lock_path(new_desk_path)).pid == os.getpid()
    desk.close()
    assert not lock_path(new_desk_path).exists()


def test_the_same_process_may_open_its_desk_twice(new_desk_path):
    with open_desk(new_desk_path) as first, open_desk(new_desk_path) as second:
        assert first.info().uuid == second.info().uuid
    assert not lock_path(new_desk_path).exists()


def test_a_lock_left_by_a_killed_process_is_taken_over_and_reported(new_desk_path):
    child = python(HOLD_DESK, str(new_desk_path))
    wait_for(child, "ready")
    kill_hard(child)  # the operating system drops its lock; the file still names it
    assert read_holder(lock_path(new_desk_path)).pid == child.pid
    lock = acquire(new_desk_path)
    try:
        assert lock.took_over is not None
        assert lock.took_over.pid == child.pid
        assert lock.holder.pid == os.getpid()
    finally:
        lock.release()


def test_lock_file_without_lock_and_without_content_is_a_clean_state(new_desk_path):
    lock_path(new_desk_path).write_text("")
    lock = acquire(new_desk_path)
    assert lock.took_over is None
    lock.release()


def test_closing_a_desk_lets_go_of_every_file(new_desk_path, nsdesk_home):
    import sys

    from nsdesk.services.overview.dashboard import load_dashboard

    if not sys.platform.startswith("linux"):
        pytest.skip("reads the open files of this process from /proc (Linux)")

    def open_files():
        found = []
        for fd in os.listdir("/proc/self/fd"):
            try:
                target = os.readlink(f"/proc/self/fd/{fd}")
            except OSError:
                continue
            if target.startswith(str(new_desk_path)):
                found.append(target)
        return found

    desk = open_desk(new_desk_path)
    load_dashboard(desk)
    RecordService(desk).create("agency", {"code": "MFA", "name": "Foreign Affairs"})
    assert open_files()
    desk.close()
    assert open_files() == []
    # (the profile, beside the desk in a test, keeps this laptop's replica of it)
    left = sorted(p.name for p in new_desk_path.parent.iterdir() if p != nsdesk_home)
    assert left == [new_desk_path.name]
