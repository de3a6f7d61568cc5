"""Owner-only files and folders, whatever the umask."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from nsdesk.domain.private_files import (
    create_private_file,
    make_private_folders,
    open_private_file,
    write_private_bytes,
)

pytestmark = pytest.mark.skipif(
    os.name != "posix", reason="file modes are POSIX; Windows keeps a profile private by ACL"
)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.lstat().st_mode)


@pytest.fixture
def umask():
    previous = os.umask(0o022)
    yield os.umask
    os.umask(previous)


@pytest.mark.parametrize("value", [0o000, 0o022, 0o277])
def test_a_new_file_is_0600_whatever_the_umask(umask, tmp_path, value):
    umask(value)  # 0277 would even take the owner's write permission away
    path = tmp_path / "f"
    with open_private_file(path) as handle:
        handle.write(b"register")
    assert mode(path) == 0o600
    assert path.read_bytes() == b"register"


def test_an_existing_file_is_refused_unless_replaced(umask, tmp_path):
    path = tmp_path / "manifest.json"
    path.write_text("old")
    path.chmod(0o644)
    with pytest.raises(FileExistsError):
        create_private_file(path)
    write_private_bytes(path, b"new")
    assert (path.read_bytes(), mode(path)) == (b"new", 0o600)


def test_a_symbolic_link_is_not_followed(umask, tmp_path):
    target = tmp_path / "elsewhere"
    target.write_text("someone else's")
    (tmp_path / "link").symlink_to(target)
    with pytest.raises(OSError, match="symbolic links"):
        write_private_bytes(tmp_path / "link", b"x")
    assert target.read_text() == "someone else's"


def test_only_the_folders_made_here_are_0700(umask, tmp_path):
    mine = tmp_path / "users-own"
    mine.mkdir()
    assert mode(mine) == 0o755
    make_private_folders(mine / "data" / "backups" / "desk")
    assert mode(mine) == 0o755
    for folder in (mine / "data", mine / "data" / "backups", mine / "data" / "backups" / "desk"):
        assert mode(folder) == 0o700
    make_private_folders(mine / "data")  # already there: nothing changes, nothing fails
    (tmp_path / "a-file").write_text("")
    with pytest.raises(FileExistsError):
        make_private_folders(tmp_path / "a-file")
