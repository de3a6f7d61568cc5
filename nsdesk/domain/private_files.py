"""Files that hold or carry the register are readable by their owner only.

Desks, their backups and exports (and the temporary files they are written to
before the rename) are created with mode 0600, and the folders nsdesk creates for
them with 0700, whatever the process umask says (docs/QUALITY.md, "What leaves the
desk"). The mode is given when the file is created — never a chmod after the bytes
are in — so there is no moment at which another user could open it. SQLite gives a
desk's ``-wal`` and ``-shm`` files the mode of the desk itself, so creating the desk
file here is enough for them.

Folders and files that already exist and that nsdesk did not write are left as
they are: a user's own folder is not chmod-ed behind their back.

On Windows the modes mean nothing (files in a user's profile are private by its
access-control list); the functions still create the files and folders.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import BinaryIO

PRIVATE_FILE = 0o600
"""Read and write for the owner, nothing for anyone else."""
PRIVATE_FOLDER = 0o700
"""Enter, list and write for the owner, nothing for anyone else."""

_POSIX = os.name == "posix"


def open_private_file(path: Path, *, replace: bool = False) -> BinaryIO:
    """Create ``path`` readable by its owner only and open it for writing (binary).

    Refuses an existing file (``FileExistsError``) unless ``replace``: then a file
    of that name — one nsdesk writes, such as a backup's manifest — is emptied and
    given the owner-only mode too. A symbolic link is never followed."""
    flags = os.O_WRONLY | os.O_CREAT | getattr(os, "O_BINARY", 0) | getattr(os, "O_NOFOLLOW", 0)
    flags |= os.O_TRUNC if replace else os.O_EXCL
    descriptor = os.open(path, flags, PRIVATE_FILE)
    try:
        if _POSIX:
            # The umask may have taken bits away (never added any): the owner must
            # still be able to write, and a replaced file may have been wider.
            os.fchmod(descriptor, PRIVATE_FILE)
        return os.fdopen(descriptor, "wb")
    except BaseException:
        os.close(descriptor)
        raise


def create_private_file(path: Path) -> None:
    """Create ``path`` empty and owner-only (it must not exist), for a library that
    then opens it by name and writes it (SQLite): it keeps the mode."""
    open_private_file(path).close()


def write_private_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path``, owner-only, replacing a file nsdesk wrote there."""
    with open_private_file(path, replace=True) as handle:
        handle.write(data)


def make_private_folders(folder: Path) -> None:
    """Create ``folder`` and any missing parents, each owner-only (0700); folders
    that already exist keep their mode."""
    missing: list[Path] = []
    current = Path(folder)
    while not os.path.lexists(current) and current.parent != current:
        missing.append(current)
        current = current.parent
    for path in reversed(missing):
        try:
            os.mkdir(path, PRIVATE_FOLDER)
        except FileExistsError:
            continue  # made meanwhile by someone else: not ours to change
        if _POSIX:
            os.chmod(path, PRIVATE_FOLDER)  # the umask may have taken the owner's bits
    Path(folder).mkdir(parents=True, exist_ok=True)  # raises if it is not a folder
