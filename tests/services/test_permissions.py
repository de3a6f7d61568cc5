"""A desk in a folder this user may not write: read-only with the reason, never
"damaged". Run for real, by a child process that drops to the user nobody."""

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from tests.services.test_crash_and_faults import crash_after_work

AS_NOBODY = r"""
import os, sys
from pathlib import Path
# Everything is imported first: the interpreter itself may not be readable by nobody.
import nsdesk.services.desk, nsdesk.services.backups, nsdesk.services.dashboard
import nsdesk.services.records, nsdesk.services.unit_of_work, sqlalchemy.dialects.sqlite
import getpass, socket
from nsdesk.domain.errors import DeskError
from nsdesk.services.desk import open_desk
from nsdesk.services.dashboard import load_dashboard
os.setgid(65534)
os.setuid(65534)
try:
    with open_desk(Path(sys.argv[1])) as desk:
        print("OPENED", desk.read_only, "|", desk.notes.read_only_reason, "|",
              load_dashboard(desk).total)
except DeskError as error:
    print("REFUSED", type(error).__name__, "|", error.reason)
"""


@pytest.fixture
def locked_folder():
    if os.name != "posix" or os.geteuid() != 0:
        pytest.skip("needs root to start a child as another user (CI runs as root)")
    # Not under pytest's tmp_path: its parent folders are closed to other users.
    root = Path(tempfile.mkdtemp(prefix="nsdesk-perm-"))
    root.chmod(0o755)
    folder = root / "ministry-share"
    folder.mkdir(mode=0o755)
    home = root / "nobody-home"
    home.mkdir()
    home.chmod(0o777)
    yield folder, home
    shutil.rmtree(root, ignore_errors=True)


def run_as_nobody(desk, home):
    result = subprocess.run(
        [sys.executable, "-c", AS_NOBODY, str(desk)],
        capture_output=True,
        text=True,
        env={**os.environ, "NSDESK_HOME": str(home)},
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_a_desk_in_a_folder_the_user_may_not_write_opens_read_only(locked_folder, demo_desk_path):
    folder, home = locked_folder
    desk = shutil.copy(demo_desk_path, folder / "desk.nsdesk")
    os.chmod(desk, 0o644)
    out = run_as_nobody(desk, home)
    assert "OPENED True | this user may not change files in its folder | 60" in out
    assert sorted(p.name for p in folder.iterdir()) == ["desk.nsdesk"]


def test_work_left_in_a_journal_is_explained_not_called_damage(locked_folder, new_desk_path):
    folder, home = locked_folder
    crash_after_work(new_desk_path, 2, "no-backup")  # committed work stays in the -wal
    for name in (new_desk_path.name, f"{new_desk_path.name}-wal", f"{new_desk_path.name}-shm"):
        target = shutil.copy(new_desk_path.with_name(name), folder / name)
        os.chmod(target, 0o644 if name.endswith(".nsdesk") else 0o600)
    out = run_as_nobody(folder / new_desk_path.name, home)
    assert "DeskDamagedError" not in out
    assert "only someone allowed to write its folder can complete" in out


def test_a_desk_the_user_may_not_even_read_is_said_so(locked_folder, new_desk_path):
    folder, home = locked_folder
    desk = shutil.copy(new_desk_path, folder / "desk.nsdesk")
    os.chmod(desk, 0o600)
    out = run_as_nobody(desk, home)
    assert "REFUSED DeskError | this user may not read the file" in out
