"""This laptop's replica of a desk: one id per profile and desk, kept in the profile
(so a copied desk is another replica elsewhere), with a clock that never goes back
across sessions."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import stat
from pathlib import Path

import pytest

from nsdesk.domain.hlc import HlcStamp
from nsdesk.locations import replicas_dir
from nsdesk.services.audit import default_actor_name
from nsdesk.services.desk import open_desk
from nsdesk.services.records.record_service import RecordService
from tests.support.processes import python

# These copy desk files between profiles; a server desk's replicas are the same profile
# code, and its stamps are checked on both kinds in test_change_log.
pytestmark = pytest.mark.file_desk


def _write(path: Path, code: str) -> None:
    with open_desk(path) as desk:
        RecordService(desk).create("agency", {"code": code, "name": f"Agency {code}"})


def _last(path: Path) -> tuple[str, HlcStamp]:
    """(replica id, clock stamp) of the desk's last audit entry."""
    connection = sqlite3.connect(path)
    replica, stamp = connection.execute(
        "SELECT replica_id, hlc FROM audit_entry ORDER BY revision DESC, id DESC LIMIT 1"
    ).fetchone()
    connection.close()
    return replica, HlcStamp.parse(stamp)


def _replicas_of_last(path: Path, count: int) -> list[tuple[str]]:
    connection = sqlite3.connect(path)
    found = connection.execute(
        "SELECT replica_id FROM audit_entry ORDER BY revision DESC, id DESC LIMIT ?", (count,)
    ).fetchall()
    connection.close()
    return found


def _profile_file(path: Path) -> Path:
    connection = sqlite3.connect(path)
    desk_uuid = connection.execute("SELECT uuid FROM desk_settings").fetchone()[0]
    connection.close()
    return replicas_dir() / f"{desk_uuid}.json"


def test_one_profile_is_one_replica_of_a_desk_across_sessions(new_desk_path):
    _write(new_desk_path, "MFA")
    first, _ = _last(new_desk_path)
    _write(new_desk_path, "MOD")  # another session (the desk was closed in between)
    second, _ = _last(new_desk_path)
    kept = _profile_file(new_desk_path)
    assert first == second == json.loads(kept.read_text())["replica_id"]
    if os.name == "posix":
        assert stat.S_IMODE(kept.stat().st_mode) == 0o600
        assert stat.S_IMODE(kept.parent.stat().st_mode) == 0o700
    connection = sqlite3.connect(new_desk_path)
    laptops = connection.execute(
        "SELECT replica_id, label FROM desk_replica WHERE role = 'laptop'"
    ).fetchall()
    connection.close()
    # the laptop that made the desk (the tests' template profile), then this one
    assert len(laptops) == 2
    assert (first, default_actor_name()) in laptops


def test_a_desk_copied_to_another_profile_is_another_replica_there(
    new_desk_path, tmp_path, monkeypatch
):
    _write(new_desk_path, "MFA")
    here, _ = _last(new_desk_path)
    copy = Path(shutil.copy(new_desk_path, tmp_path / "copy.nsdesk"))
    monkeypatch.setenv("NSDESK_HOME", str(tmp_path / "another-laptop"))
    _write(copy, "MOD")
    there, _ = _last(copy)
    assert there != here
    assert _profile_file(copy).is_relative_to(tmp_path / "another-laptop")
    _write(new_desk_path, "DEF")  # the original, in the second profile, is that replica too
    assert _last(new_desk_path)[0] == there


def test_a_new_replica_stamps_after_the_last_change_it_found_in_the_desk(
    new_desk_path, tmp_path, monkeypatch
):
    _write(new_desk_path, "MFA")
    kept = _profile_file(new_desk_path)
    ahead = json.loads(kept.read_text())
    ahead["clock"] = [ahead["clock"][0] + 86_400_000, 3]  # a laptop whose clock ran a day fast
    kept.write_text(json.dumps(ahead))
    _write(new_desk_path, "MOD")
    _, fast = _last(new_desk_path)
    assert (fast.ms, fast.counter) == (ahead["clock"][0], 4)
    copy = Path(shutil.copy(new_desk_path, tmp_path / "copy.nsdesk"))
    monkeypatch.setenv("NSDESK_HOME", str(tmp_path / "another-laptop"))
    _write(copy, "DEF")
    _, later = _last(copy)
    assert (later.ms, later.counter) > (fast.ms, fast.counter)


WRITE_IN_A_NEW_SESSION = """
import sys
from pathlib import Path
from nsdesk.services.desk import open_desk
from nsdesk.services.records.record_service import RecordService
with open_desk(Path(sys.argv[1])) as desk:
    RecordService(desk).create("agency", {"code": "NEW", "name": "A new session's agency"})
"""


def test_the_clock_never_goes_back_across_sessions_when_the_wall_clock_does(new_desk_path):
    _write(new_desk_path, "MFA")
    kept = _profile_file(new_desk_path)
    document = json.loads(kept.read_text())
    # The last session's clock stood an hour ahead of this laptop's wall clock now
    # (its clock was put back since), and that session's stamps are not in the desk.
    document["clock"] = [document["clock"][0] + 3_600_000, 41]
    kept.write_text(json.dumps(document))
    child = python(WRITE_IN_A_NEW_SESSION, str(new_desk_path))
    assert child.wait(timeout=120) == 0, child.stderr.read()
    replica, stamp = _last(new_desk_path)
    assert replica == document["replica_id"]
    assert (stamp.ms, stamp.counter) == (document["clock"][0], 42)
    assert json.loads(kept.read_text())["clock"] == [stamp.ms, stamp.counter]


def test_a_profile_that_cannot_be_written_still_lets_the_desk_be_edited(
    new_desk_path, tmp_path, monkeypatch
):
    not_a_folder = tmp_path / "profile-is-a-file"
    not_a_folder.write_text("not a folder")
    monkeypatch.setenv("NSDESK_HOME", str(not_a_folder))
    _write(new_desk_path, "MFA")
    _write(new_desk_path, "MOD")
    first, second = (row[0] for row in _replicas_of_last(new_desk_path, 2))
    assert first == second  # this session is one replica, kept for the session only
