"""Real small and read-only file systems (tmpfs), for disk-full and read-only-medium
tests. Mounting needs root; CI runs as root, elsewhere these tests are skipped and
say why."""

from __future__ import annotations

import os
import subprocess
from contextlib import contextmanager
from pathlib import Path

import pytest


def _run(*args: str) -> None:
    subprocess.run(args, check=True, capture_output=True, text=True)


@contextmanager
def mounted_tmpfs(folder: Path, size_kb: int):
    """A tmpfs of ``size_kb`` mounted on ``folder``; unmounted afterwards."""
    if os.name != "posix" or os.geteuid() != 0:
        pytest.skip("mounting a small file system needs root (CI runs as root)")
    folder.mkdir(parents=True, exist_ok=True)
    try:
        _run("mount", "-t", "tmpfs", "-o", f"size={size_kb}k", "tmpfs", str(folder))
    except (subprocess.CalledProcessError, FileNotFoundError) as error:
        pytest.skip(f"this machine does not allow mounting a tmpfs ({error})")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], capture_output=True)


def remount_read_only(folder: Path) -> None:
    _run("mount", "-o", "remount,ro", str(folder))
