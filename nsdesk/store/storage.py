"""What the medium a desk lives on allows: writing at all, and safe WAL locking.

A desk on a CD, a write-protected stick or a read-only mount is opened read-only
(with a banner), not refused. A desk on a network share (NFS, SMB…) opens, but
with a warning: SQLite's write-ahead log relies on shared memory that network
file systems do not provide reliably, so two machines writing, or one machine
losing the share mid-write, can damage it. The right place for a desk is the
laptop's own disk, with the exchange files for sharing.
"""

from __future__ import annotations

import ctypes
import os
import sys
from dataclasses import dataclass
from pathlib import Path

NETWORK_FILE_SYSTEMS = frozenset(
    {
        "nfs", "nfs4", "cifs", "smb", "smb2", "smb3", "smbfs", "ncpfs", "afs", "9p",
        "fuse.sshfs", "sshfs", "davfs", "fuse.davfs", "fuse.rclone", "ceph", "glusterfs",
        "fuse.glusterfs", "lustre", "afpfs", "webdav",
    }
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class StorageFacts:
    """What a folder's file system allows."""

    read_only: bool
    network_fs: str | None  # the file system type when it is a network one


def linux_mount_type(path: Path, mounts: str | None = None) -> str | None:
    """The type of the file system that holds ``path``, from ``/proc/mounts``
    (or the given text in that format)."""
    if mounts is None:
        try:
            mounts = Path("/proc/mounts").read_text()
        except OSError:
            return None
    best, kind = "", None
    target = str(path)
    for line in mounts.splitlines():
        parts = line.split()
        if len(parts) < 3:
            continue
        point = parts[1].replace("\\040", " ")
        inside = target == point or target.startswith(point.rstrip("/") + "/")
        if inside and len(point) >= len(best):
            best, kind = point, parts[2]
    return kind


def _windows_is_remote(path: Path) -> bool:  # pragma: no cover - Windows
    text = str(path)
    if text.startswith("\\\\"):
        return True
    drive = os.path.splitdrive(text)[0] + "\\"
    return ctypes.windll.kernel32.GetDriveTypeW(drive) == 4  # DRIVE_REMOTE


def storage_facts(folder: Path) -> StorageFacts:
    """Facts about the file system holding ``folder`` (which must exist)."""
    folder = folder.resolve()
    if hasattr(os, "statvfs"):
        read_only = bool(os.statvfs(folder).f_flag & getattr(os, "ST_RDONLY", 1))
    else:  # pragma: no cover - Windows
        read_only = not os.access(folder, os.W_OK)
    network = None
    if sys.platform.startswith("linux"):
        kind = linux_mount_type(folder)
        network = kind if kind in NETWORK_FILE_SYSTEMS else None
    elif os.name == "nt" and _windows_is_remote(folder):  # pragma: no cover - Windows
        network = "network drive"
    return StorageFacts(read_only, network)
